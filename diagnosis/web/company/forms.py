"""Company registration and profile forms."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp, ValidationError

from diagnosis.core.uscc import UsccCheck, UsccProblem, check_uscc, normalize
from diagnosis.store.companies import EMPLOYEES_MAX
from diagnosis.web.fields import STRIP, WholeNumberField, confirm_password_field, new_password_field

REVENUE_BAND_LABELS = {
    "lt_5m": _l("500 万元以下"),
    "5m_20m": _l("500 万至 2000 万元"),
    "20m_100m": _l("2000 万至 1 亿元"),
    "100m_400m": _l("1 亿至 4 亿元"),
    "ge_400m": _l("4 亿元及以上"),
}
#: Revenue bands compatible with 规模以上 (annual main business revenue of 20 million yuan or more).
ABOVE_SIZE_BANDS = ("20m_100m", "100m_400m", "ge_400m")
SIZE_LABELS = {True: _l("规模以上（年主营业务收入 2000 万元及以上）"), False: _l("规模以下")}
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def to_bool(value: Any) -> bool:
    """Radio values arrive as the strings "True"/"False"; the model holds a bool."""
    return value in (True, "True")


def uscc_error_message(problem: UsccProblem) -> str:
    """The sentence for one credit-code error, saying exactly what is wrong."""
    if problem.code == "length":
        return _("统一社会信用代码应为 18 位，您填写了 %(n)s 位。", n=problem.given)
    if problem.code == "charset":
        return _(
            "第 %(position)s 位的“%(char)s”不是有效字符：只能使用数字和除 I、O、S、V、Z 以外的大写字母。",
            position=problem.position,
            char=problem.given,
        )
    return _(
        "校验位不正确：按前 17 位计算，第 18 位应为 %(expected)s，您填写的是 %(given)s。请核对是否输错。",
        expected=problem.expected,
        given=problem.given,
    )


def uscc_warning_message(problem: UsccProblem) -> str:
    if problem.code == "authority":
        return _("代码第 1 位“%(char)s”不在常见的登记管理部门代码中，请确认代码无误。", char=problem.given)
    return _("代码中组织机构代码的校验位与标准不符（部分 2015 年后登记的主体如此），请确认代码无误。")


def uscc_errors(check: UsccCheck) -> list[str]:
    return [uscc_error_message(d) for d in check.details if d.code in check.errors]


def uscc_warnings(check: UsccCheck) -> list[str]:
    return [uscc_warning_message(d) for d in check.details if d.code in check.warnings]


class CompanyProfileForm(FlaskForm):
    """The company's editable profile. Choices for industry and park are set by the view."""

    name = StringField(
        _l("企业名称"), filters=[STRIP], validators=[DataRequired(_l("请填写企业名称。")), Length(max=200)]
    )
    industry_code = SelectField(
        _l("所属行业（国民经济行业分类小类）"),
        validators=[DataRequired(_l("请选择所属行业。"))],
        validate_choice=True,
        description=_l("可输入行业名称、代码或产业标签（如 家居、板材、化工）筛选。"),
    )
    park = SelectField(_l("所在园区或乡镇（街道）"), validators=[DataRequired(_l("请选择所在园区或乡镇。"))])
    above_designated_size = RadioField(
        _l("企业规模"),
        choices=[SelectChoice(value, label) for value, label in SIZE_LABELS.items()],
        coerce=to_bool,
        validators=[InputRequired(_l("请选择企业规模。"))],
    )
    employees = WholeNumberField(
        _l("从业人数"),
        validators=[
            InputRequired(_l("请填写从业人数（整数）。")),
            NumberRange(min=1, max=EMPLOYEES_MAX, message=_l("从业人数应在 1 到 1000000 之间。")),
        ],
    )
    revenue_band = SelectField(
        _l("上年度营业收入"),
        choices=[
            SelectChoice("", _l("请选择")),
            *(SelectChoice(value, label) for value, label in REVENUE_BAND_LABELS.items()),
        ],
        validators=[DataRequired(_l("请选择营业收入区间。"))],
    )
    contact_name = StringField(
        _l("联系人"), filters=[STRIP], validators=[DataRequired(_l("请填写联系人。")), Length(max=100)]
    )
    contact_phone = StringField(
        _l("联系电话"),
        filters=[STRIP],
        validators=[
            DataRequired(_l("请填写联系电话。")),
            Regexp(r"^[0-9+\- ]{7,20}$", message=_l("请填写有效的电话号码（手机或座机，可含区号和“-”）。")),
        ],
    )
    submit = SubmitField(_l("保存"))

    def validate_revenue_band(self, field: Any) -> None:
        if self.above_designated_size.data is True and field.data not in ABOVE_SIZE_BANDS:
            raise ValidationError(_("规模以上企业年营业收入应不低于 2000 万元，与所选区间不一致。"))

    def company_values(self) -> dict[str, Any]:
        """The fields as Company column values."""
        return {
            "name": self.name.data,
            "industry_code": self.industry_code.data,
            "park": self.park.data,
            "above_designated_size": self.above_designated_size.data,
            "employees": self.employees.data,
            "revenue_band": self.revenue_band.data,
            "contact_name": self.contact_name.data,
            "contact_phone": self.contact_phone.data,
        }


#: What the credit-code input takes: room for a code pasted with blanks between its groups
#: (18 characters and up to 17 blanks, then some); the blanks are removed before it is checked.
CREDIT_CODE_INPUT_MAX = 40


def normalized_code(value: Any) -> Any:
    """The code without blanks (also full-width ones), in upper case: before any validator counts it."""
    return normalize(value) if isinstance(value, str) else value


class RegistrationForm(CompanyProfileForm):
    """Registers a company and its first user (the contact person)."""

    credit_code = StringField(
        _l("统一社会信用代码"),
        filters=[normalized_code],
        validators=[DataRequired(_l("请填写统一社会信用代码。")), Length(max=CREDIT_CODE_INPUT_MAX)],
        description=_l("18 位，见营业执照。"),
        render_kw={"maxlength": CREDIT_CODE_INPUT_MAX},
    )
    email = EmailField(
        _l("登录邮箱"),
        filters=[STRIP],
        validators=[
            DataRequired(_l("请填写邮箱。")),
            Regexp(EMAIL_PATTERN, message=_l("邮箱格式不正确。")),
            Length(max=254),
        ],
    )
    password = new_password_field()
    confirm = confirm_password_field()
    submit = SubmitField(_l("注册并开始诊断"))

    def validate_credit_code(self, field: Any) -> None:
        check = check_uscc(field.data)
        errors = uscc_errors(check)
        if errors:
            raise ValidationError(" ".join(errors))
        field.data = check.normalized
