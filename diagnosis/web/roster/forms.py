"""The roster upload form: a new file, or the stored one of an earlier check (by its content hash)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SubmitField
from wtforms.validators import Length, Optional, Regexp

from diagnosis.web.fields import STRIP


class RosterForm(FlaskForm):
    """Either ``file`` (a new upload) or ``file_id`` (a file checked before, kept in storage)."""

    file = FileField(_l("名录文件"),
                     description=_l("Excel 工作簿（.xlsx）或 CSV 文件，不超过 10 MB、50000 行。"))
    file_id = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{64}$")])
    file_name = HiddenField(filters=[STRIP], validators=[Length(max=255)])
    check = SubmitField(_l("仅检查"))
    submit = SubmitField(_l("导入"))
    valid_rows = SubmitField(_l("仅导入有效行"))

    def mode(self) -> str:
        """"check" (dry run), "valid_rows" (import the good rows) or "import" (all rows, or nothing)."""
        if self.check.data:
            return "check"
        return "valid_rows" if self.valid_rows.data else "import"
