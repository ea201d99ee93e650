"""The dashboard's filter (a GET form) and the form that sets one yearly target."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from diagnosis.web.fields import WholeNumberField

FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Numeric(14, 2): twelve digits before the point.
MAX_TARGET = Decimal("999999999999.99")


class FilterForm(FlaskForm):
    """What the dashboard and its lists show, read from the query string (no CSRF token: a GET form).
    The park is not checked against the choices: the view intersects it with the official's parks,
    so a park outside them shows nothing rather than an error."""

    class Meta:
        csrf = False

    year = WholeNumberField(_l("年度"), validators=[Optional(), NumberRange(
        FIRST_YEAR, LAST_YEAR, _l("年度须在 %(min)s 至 %(max)s 之间。"))])
    month = SelectField(_l("调度月份"), default="")
    park = SelectField(_l("园区"), default="", validate_choice=False)
    tag = SelectField(_l("行业类别"), default="")
    provider = SelectField(_l("服务商"), default="")
    page = WholeNumberField(_l("页码"), validators=[
        Optional(), NumberRange(min=1, message=_l("页码须大于 0。"))])


class TargetValueField(StringField):
    """A target value: a number of 0 or more with at most two decimals, kept as a Decimal."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip().replace(",", "") if valuelist else ""
        self.raw_text = text
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(_("请填写数字，例如 20 或 1.5。")) from error
        if not value.is_finite():
            raise ValueError(_("请填写数字，例如 20 或 1.5。"))
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


class TargetForm(FlaskForm):
    """One target of one year; the page holds one per target, told apart by their prefix (the target's
    id, also posted as ``target_id`` to say which form was sent)."""

    value = TargetValueField(_l("新的目标值"), validators=[InputRequired(_l("请填写目标值。"))])
    submit = SubmitField(_l("保存目标"))

    def validate_value(self, field: Field) -> None:
        if field.data is None:
            if not field.process_errors:
                raise ValidationError(_("请填写目标值。"))
            return
        if field.data < 0:
            raise ValidationError(_("目标值不能为负数。"))
        if field.data > MAX_TARGET:
            raise ValidationError(_("目标值过大。"))
        if field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(_("目标值最多保留两位小数。"))
