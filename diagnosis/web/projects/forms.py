"""Project forms: a new project (立项), a monthly progress report, the official's recognition.

The choices (kinds, providers, recognitions) are filled in by the views from the catalogue and the
database; the checks that need the chosen kind (the count of robots) live here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    Field,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import MonthInput

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.store.projects import STATUSES
from diagnosis.web.fields import STRIP, WholeNumberField
from diagnosis.web.projects.service import kind_title, kind_unit

STATUS_LABELS = {"planned": _l("计划中"), "in_progress": _l("实施中"), "completed": _l("已完成"),
                 "stopped": _l("已停止")}
#: Numeric(14, 2): at most 12 digits before the point.
MONEY_MAX = Decimal("999999999999.99")
QUANTITY_MAX = 100_000
#: Dates outside these years are typing mistakes (0226 for 2026), not projects.
FIRST_YEAR, LAST_YEAR = 2000, 2099
EVIDENCE_HINT = _l("可上传 PDF、XLSX、DOCX 文档或 JPEG、PNG、WebP 照片，每个文件不超过 15 MB。")


class MoneyField(StringField):
    """An amount in 万元: a number of 0 or more with at most two decimals; words, not a traceback."""

    data: Decimal | None

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", "").replace("，", "")
        self.raw_text = text
        if not text:
            self.data = None
            return
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            self.data = None
            raise ValueError(_("请填写数字（单位：万元），例如 120 或 85.5。")) from error
        self.data = value
        if not value.is_finite():
            raise ValueError(_("请填写数字（单位：万元），例如 120 或 85.5。"))
        if value < 0:
            raise ValueError(_("金额不能为负数。"))
        if value > MONEY_MAX:
            raise ValueError(_("金额过大，请核对单位（万元）。"))
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(_("金额最多保留两位小数（单位：万元）。"))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else f"{self.data:.2f}"


def plausible_year(day: date | None) -> None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_("请填写 %(first)s 年至 %(last)s 年之间的日期。", first=FIRST_YEAR, last=LAST_YEAR))


class DayField(DateField):
    """A date input whose format error speaks our language and whose year is plausible."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("请按“年-月-日”填写日期，例如 2026-03-18。")) from error
        plausible_year(self.data)


class MonthField(DateField):
    """``<input type="month">``: YYYY-MM, kept as the month's first day."""

    widget = MonthInput()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, format="%Y-%m", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("请按“年-月”填写月份，例如 2026-03。")) from error
        plausible_year(self.data)


def evidence_field(label: str, description: str = "") -> MultipleFileField:
    """Always named ``files``: the one upload field diagnosis/web/guards.py UPLOADS lets through."""
    return MultipleFileField(label, description=description or EVIDENCE_HINT)


class ProjectForm(FlaskForm):
    kind = SelectField(_l("项目类型"), validators=[InputRequired(_l("请选择项目类型。"))],
                       invalid_choice_message=_l("请从列表中选择项目类型。"))
    name = StringField(_l("项目名称"), filters=[STRIP], validators=[
        DataRequired(_l("请填写项目名称。")), Length(max=200, message=_l("项目名称最多 200 个字。"))])
    provider_org_id = SelectField(_l("实施服务商"), coerce=int, default=0,
                                  description=_l("承担改造的服务商，可与诊断服务商不同；尚未确定可不选。"),
                                  invalid_choice_message=_l("请从列表中选择服务商。"),
                                  invalid_value_message=_l("请从列表中选择服务商。"))
    planned_investment = MoneyField(_l("计划投资（万元）"),
                                    validators=[InputRequired(_l("请填写计划投资。"))])
    #: No Optional(): it would stop the chain before validate_quantity, which knows when it is needed.
    quantity = WholeNumberField(_l("数量"))
    start_on = DayField(_l("开始日期"), validators=[InputRequired(_l("请填写开始日期。"))])
    planned_finish_on = DayField(_l("计划完成日期"), validators=[InputRequired(_l("请填写计划完成日期。"))])
    recommendation = HiddenField()
    submit = SubmitField(_l("立项"))

    def validate_quantity(self, field: Field) -> None:
        kind = catalogue().project_kinds.get(self.kind.data or "")
        if kind is None:
            return
        if kind.quantity is None:
            if field.data is not None or (field.raw_data and field.raw_data[0].strip()):
                raise ValidationError(_("只有“%(kinds)s”类项目填写数量，本类型请留空。",
                                        kinds=quantity_kinds()))
            return
        if field.data is None:
            raise ValidationError(_("请填写数量（%(unit)s）。", unit=kind_unit(kind.id)))
        if not 1 <= field.data <= QUANTITY_MAX:
            raise ValidationError(_("数量应为 1 至 %(max)s 之间的整数。", max=QUANTITY_MAX))

    def validate_planned_finish_on(self, field: Field) -> None:
        if field.data is not None and self.start_on.data is not None and field.data < self.start_on.data:
            raise ValidationError(_("计划完成日期不能早于开始日期（%(start)s）。",
                                    start=self.start_on.data.isoformat()))


def quantity_kinds() -> str:
    return "、".join(kind_title(kind.id) for kind in catalogue().project_kinds.values() if kind.quantity)


class ProgressForm(FlaskForm):
    """A monthly report; ``revision`` is the project's revision the page was shown with."""

    status = SelectField(_l("状态"),
                         choices=[SelectChoice(status, STATUS_LABELS[status]) for status in STATUSES],
                         validators=[InputRequired(_l("请选择状态。"))],
                         invalid_choice_message=_l("请从列表中选择状态。"))
    investment_to_date = MoneyField(_l("累计完成投资（万元）"),
                                    validators=[InputRequired(_l("请填写累计完成投资。"))])
    month = MonthField(_l("报告月份"), validators=[InputRequired(_l("请填写报告月份。"))])
    note = TextAreaField(_l("进展说明"), filters=[STRIP], validators=[
        Length(max=2000, message=_l("进展说明最多 2000 个字。"))])
    files = evidence_field(_l("佐证材料（可选）"))
    revision = HiddenField()
    submit = SubmitField(_l("提交进展"))

    def validate_month(self, field: Field) -> None:
        if field.data is not None and field.data > date.today().replace(day=1):
            raise ValidationError(_("报告月份不能晚于本月。"))


class RecognitionForm(FlaskForm):
    kind = SelectField(_l("验收 / 认定类别"), validators=[InputRequired(_l("请选择验收 / 认定类别。"))],
                       invalid_choice_message=_l("请从列表中选择验收 / 认定类别。"))
    recognised_on = DayField(_l("验收 / 认定日期"), validators=[InputRequired(_l("请填写验收 / 认定日期。"))],
                             description=_l("以文件上的日期为准；完成情况按此日期计入当年。"))
    reference = StringField(_l("文号"), filters=[STRIP], validators=[
        Length(max=200, message=_l("文号最多 200 个字。"))])
    files = evidence_field(_l("验收 / 认定文件"), _l(
        "建议上传文件扫描件或照片（PDF、XLSX、DOCX、JPEG、PNG、WebP），便于核对。"))
    submit = SubmitField(_l("记录验收 / 认定"))

    def validate_recognised_on(self, field: Field) -> None:
        if field.data is not None and field.data > date.today():
            raise ValidationError(_("验收 / 认定日期不能晚于今天。"))
