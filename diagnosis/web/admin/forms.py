"""Admin forms: provider organisations and staff accounts (providers, officials)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from diagnosis.web.company.forms import EMAIL_PATTERN
from diagnosis.web.fields import STRIP, new_password_field


class ProviderOrgForm(FlaskForm):
    name = StringField(
        _l("服务商名称"),
        filters=[STRIP],
        validators=[DataRequired(_l("请填写服务商名称。")), Length(max=200)],
    )
    submit = SubmitField(_l("添加服务商"))


class StaffUserForm(FlaskForm):
    email = EmailField(
        _l("登录邮箱"),
        filters=[STRIP],
        validators=[
            DataRequired(_l("请填写邮箱。")),
            Length(max=254, message=_l("邮箱最长 254 个字符。")),
            Regexp(EMAIL_PATTERN, message=_l("邮箱格式不正确。")),
        ],
    )
    name = StringField(
        _l("姓名"), filters=[STRIP], validators=[DataRequired(_l("请填写姓名。")), Length(max=100)]
    )
    password = new_password_field()
    submit = SubmitField(_l("创建账号"))


class ConfirmForm(FlaskForm):
    """A confirmation step with nothing to fill in but the CSRF token."""

    submit = SubmitField(_l("确认停用"))


class ProviderUserForm(StaffUserForm):
    provider_org_id = SelectField(
        _l("所属服务商"), coerce=int, validators=[DataRequired(_l("请选择所属服务商。"))]
    )


class OfficialUserForm(StaffUserForm):
    regions = SelectMultipleField(
        _l("负责区域"),
        description=_l("不选表示负责全区。"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
