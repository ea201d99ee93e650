"""The work list's search and filters (a GET form: no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectChoice, SelectField
from wtforms.validators import Length, Optional

from diagnosis.web.fields import STRIP, WholeNumberField


class WorkFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("企业名称或统一社会信用代码"), filters=[STRIP],
                    validators=[Length(max=100, message=_l("搜索内容最长 100 个字符。"))])
    state = SelectField(_l("状态"), default="")
    park = SelectField(_l("园区"), default="")
    who = SelectField(_l("范围"), default="", choices=[
        SelectChoice("mine", _l("分配给我的")), SelectChoice("all", _l("本机构全部"))])
    page = WholeNumberField(_l("页码"), validators=[Optional()])
