"""The provider's forms on the recommendations page: one per action.

A row's forms carry a prefix of their own (`row_prefix`), so the ids of many rows on one page do not
collide; the view reads the posted form with the same prefix, taken from the key in the URL.
Priority is entered as shown, 0–100 (the engine's 0–1 priority as points), and stored as 0–1.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from diagnosis.web.fields import STRIP

REASON_MAX = 1000
REASON_REQUIRED = _l("请填写理由：现场看到了什么、为什么这样调整。")
REASON_LONG = _l("理由不能超过 1000 字。")


def row_prefix(action: str, key: str) -> str:
    """The prefix of one row's form for ``action`` (ids and names stay plain: letters, digits, -)."""
    return f"{action}-{re.sub(r'[^A-Za-z0-9_]', '-', key)}"


def _reason() -> TextAreaField:
    return TextAreaField(_l("理由"), filters=[STRIP], validators=[
        DataRequired(REASON_REQUIRED), Length(max=REASON_MAX, message=REASON_LONG)])


PRIORITY_MESSAGE = _l("请填写优先级：0 到 100 的整数。")


class PriorityField(IntegerField):
    """0–100; anything else (text, a fraction, out of range) gets one message, at the field."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.data = int(text) if re.fullmatch(r"\d{1,3}", text) else None


def _in_range(_form, field: Field) -> None:
    if field.data is None or not 0 <= field.data <= 100:
        raise ValidationError(PRIORITY_MESSAGE)


def _offered(_form, field: Field) -> None:
    """The value is one of the choices (the message of ours, not WTForms' English one)."""
    if field.data not in {value for value, _label in field.choices or ()}:
        raise ValidationError(_l("请从列表中选择。"))


def _priority() -> PriorityField:
    return PriorityField(_l("优先级（0–100）"), validators=[InputRequired(PRIORITY_MESSAGE), _in_range])


def _phase() -> SelectField:
    return SelectField(_l("实施阶段"), validate_choice=False,
                       validators=[InputRequired(_l("请选择实施阶段。")), _offered])


class RecForm(FlaskForm):
    """No token field of its own: CSRFProtect checks the page's one token (``csrf_token``, or the
    X-CSRFToken header htmx sends) on every POST before the view runs, whatever the form's prefix."""

    class Meta:
        csrf = False


class KeepForm(RecForm):
    """One tap: keep the engine's recommendation as it is (or restore a dismissed one)."""


class DismissForm(RecForm):
    reason = _reason()


class ChangeForm(RecForm):
    priority = _priority()
    phase = _phase()
    reason = _reason()


class AddCatalogueForm(RecForm):
    item = SelectField(_l("目录中的建议"), validate_choice=False,
                       validators=[InputRequired(_l("请选择一条建议。")), _offered])
    priority = _priority()
    phase = _phase()
    reason = _reason()


class AddOwnForm(RecForm):
    title = StringField(_l("建议标题"), filters=[STRIP],
                        validators=[DataRequired(_l("请填写建议标题。")),
                                    Length(max=200, message=_l("标题不能超过 200 字。"))])
    detail = TextAreaField(_l("建议内容"), filters=[STRIP],
                           validators=[DataRequired(_l("请写明建议做什么、怎么做。")),
                                       Length(max=2000, message=_l("内容不能超过 2000 字。"))])
    priority = _priority()
    phase = _phase()
    reason = _reason()


def with_phases(form, phases: list[tuple[str, str]]):
    """Give the form's phase select the catalogue's phases ((id, title), in order)."""
    if hasattr(form, "phase"):
        form.phase.choices = phases
    return form
