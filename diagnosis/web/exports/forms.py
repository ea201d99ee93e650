"""What a download is made for: the dashboard's year, month, park, industry tag and provider.

The same fields come from the dashboard's buttons (hidden inputs / the query string) and from the
export page's own form. The park is not checked against a list: the view keeps it inside the
official's parks, so a park outside them exports nothing rather than an error.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, SubmitField
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from diagnosis.web.fields import STRIP, WholeNumberField

FIRST_YEAR, LAST_YEAR = 2000, 2100
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(text: str) -> tuple[int, int] | None:
    """(year, month) of ``YYYY-MM``; None when it is not one."""
    match = _MONTH.match(text or "")
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


class ExportForm(FlaskForm):
    year = WholeNumberField(_l("年度"), validators=[Optional(), NumberRange(
        FIRST_YEAR, LAST_YEAR, _l("年度须在 %(min)s 至 %(max)s 之间。"))])
    month = StringField(_l("调度月份"), filters=[STRIP],
                        description=_l("格式为 年-月，例如 2026-03；留空为本月。"))
    #: Not checked against the choices: the view keeps it inside the official's parks.
    park = SelectField(_l("园区"), default="", validate_choice=False)
    tag = SelectField(_l("行业类别"), default="")
    #: Not checked against the choices: an organisation removed since the link was made exports nothing.
    provider = SelectField(_l("服务商"), default="", validate_choice=False,
                           validators=[Optional(), Regexp(r"^\d{1,9}$", message=_l("服务商无效。"))])
    submit = SubmitField(_l("下载调度表"))

    def validate_month(self, field: Field) -> None:
        if not field.data:
            return
        parsed = month_of(field.data)
        if parsed is None:
            raise ValidationError(_l("月份格式为 年-月，例如 2026-03。"))
        if self.year.data is not None and parsed[0] != self.year.data:
            raise ValidationError(_l("月份须在所选年度之内。"))


class BriefingForm(ExportForm):
    """The same choice read from a GET query string (a link: no CSRF token)."""

    class Meta:
        csrf = False
