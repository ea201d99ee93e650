"""The official's batch form: pick companies, or take every company matching a filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class BatchForm(FlaskForm):
    mode = RadioField(_l("选择方式"), choices=[SelectChoice("companies", _l("勾选企业")),
                                           SelectChoice("filter", _l("按条件筛选"))],
                      default="companies", validators=[InputRequired()])
    company_ids = SelectMultipleField(_l("企业"), coerce=int, widget=ListWidget(prefix_label=False),
                                      option_widget=CheckboxInput())
    industry_tag = SelectField(_l("行业"), default="")
    park = SelectField(_l("园区"), default="")
    level = SelectField(_l("数字化水平等级"), default="")
    lang = SelectField(_l("报告语言"), choices=[SelectChoice("zh_CN", "中文"), SelectChoice("en", "English")],
                       default="zh_CN")
    submit = SubmitField(_l("开始批量生成"))

    def validate_company_ids(self, field: SelectMultipleField) -> None:
        if self.mode.data == "companies" and not field.data:
            raise ValidationError(_l("请至少勾选一家企业。"))
