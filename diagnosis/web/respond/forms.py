"""The company's dispute of the verified report (confirming needs no field). The round's answers use
the questionnaire's own forms (diagnosis/web/assess/forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from diagnosis.web.fields import STRIP
from diagnosis.web.respond.service import COMMENT_MAX


class DisputeForm(FlaskForm):
    comment = TextAreaField(
        _l("异议说明"), filters=[STRIP],
        description=_l("请说明对哪些核验结果有异议及理由。服务商和主管部门都能看到这段说明。"),
        validators=[DataRequired(_l("请填写异议说明。")),
                    Length(max=COMMENT_MAX, message=_l("异议说明最多 %(max)d 字。", max=COMMENT_MAX))])
