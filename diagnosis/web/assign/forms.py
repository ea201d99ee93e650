"""Assignment forms: the official's list filter (GET), bulk and single assignment, the lead's plan."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from diagnosis.web.assign.service import visit_window
from diagnosis.web.fields import WholeNumberField

PICK_ORG = _l("请从列表中选择服务商。")
OWN_STAFF = _l("只能选择本机构在职的诊断师。")


class FilterForm(FlaskForm):
    """The list filter, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    industry_tag = SelectField(_l("行业类别"), default="")
    industry_code = SelectField(_l("具体行业"), default="")
    park = SelectField(_l("园区"), default="")
    size = SelectField(_l("企业规模"), default="", choices=[
        SelectChoice("", _l("全部")), SelectChoice("above", _l("规模以上")),
        SelectChoice("below", _l("规模以下"))])
    level = SelectField(_l("数字化水平等级（自评）"), default="")
    unassigned = BooleanField(_l("只看尚未分配服务商的企业"))
    page = WholeNumberField(_l("页码"), validators=[Optional()])


class IdsField(SelectMultipleField):
    """Company ids from checkboxes; the choices are the page's, the check is the caller's (scope)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            self.data = [int(value) for value in valuelist]
        except ValueError as error:
            self.data = []
            raise ValueError(_("所选企业无效，请刷新页面后重新勾选。")) from error

    def pre_validate(self, form: FlaskForm) -> None:
        """Any id may come in; which are allowed is decided against the user's scope."""


class BulkAssignForm(FlaskForm):
    target = RadioField(_l("分配哪些企业"), default="selected", validators=[InputRequired()], choices=[
        SelectChoice("selected", _l("本页勾选的企业")), SelectChoice("filtered", _l("全部筛选结果"))])
    company_ids = IdsField(_l("企业"))
    #: How many companies the filter matched when the page was shown ("all filtered" only).
    expected = HiddenField()
    provider_org_id = SelectField(_l("分配给服务商"), coerce=int, validators=[InputRequired(PICK_ORG)],
                                  invalid_choice_message=PICK_ORG, invalid_value_message=PICK_ORG)
    submit = SubmitField(_l("分配"))

    def validate_company_ids(self, field: Field) -> None:
        if self.target.data == "selected" and not field.data:
            raise ValidationError(_l("请至少勾选一家企业，或选择“全部筛选结果”。"))

    def validate_provider_org_id(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(PICK_ORG)


class AssignForm(FlaskForm):
    """One company: an organisation, or -1 to end the current assignment (0 is the placeholder)."""

    provider_org_id = SelectField(_l("服务商"), coerce=int, validators=[InputRequired(PICK_ORG)],
                                  invalid_choice_message=PICK_ORG, invalid_value_message=PICK_ORG)
    submit = SubmitField(_l("保存分配"))

    def validate_provider_org_id(self, field: Field) -> None:
        if field.data == 0:
            raise ValidationError(PICK_ORG)


class VisitDateField(DateField):
    """A date input whose format error speaks our language."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("请按“年-月-日”填写日期，例如 2025-03-18。")) from error


class PlanVisitForm(FlaskForm):
    """The lead's choice: which diagnostician goes (0: not decided yet) and when."""

    diagnostician_id = SelectField(_l("诊断师"), coerce=int, default=0, invalid_choice_message=OWN_STAFF,
                                   invalid_value_message=OWN_STAFF)
    planned_visit = VisitDateField(_l("计划上门日期"), validators=[Optional()],
                                   description=_l("不填表示日期待定。"))
    next = HiddenField()
    submit = SubmitField(_l("保存安排"))

    def validate_planned_visit(self, field: Field) -> None:
        if field.data is None:
            return
        earliest, latest = visit_window()
        if field.data < earliest:
            raise ValidationError(_("计划上门日期不能早于 %(date)s（一年以前）。", date=earliest.isoformat()))
        if field.data > latest:
            raise ValidationError(_("计划上门日期不能晚于 %(date)s（两年以后）。", date=latest.isoformat()))
