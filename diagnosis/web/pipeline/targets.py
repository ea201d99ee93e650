"""The targets page: each catalogue target of a year, its value (the default until someone sets one),
a form for a new value and the history of changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis.core.pipeline_catalogue import TargetKind, catalogue, text
from diagnosis.store.accounts import User
from diagnosis.store.targets import TargetValue, YearTarget, set_target, target_history, year_targets
from diagnosis.web.i18n import current_language
from diagnosis.web.pipeline.forms import FIRST_YEAR, LAST_YEAR, TargetForm


def chosen_year(raw: str | None) -> int | None:
    """The year asked for (this year when none); None for a year that is not one."""
    if not raw:
        return date.today().year
    try:
        year = int(raw)
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def forms_for(year: int, posted: str | None) -> dict[str, TargetForm]:
    """One form per target, prefixed by its id, its field labelled with the target's unit; only the
    posted one reads the request."""
    forms = {target_id: TargetForm(prefix=target_id) if target_id == posted
             else TargetForm(prefix=target_id, formdata=None) for target_id in catalogue().targets}
    for target_id, form in forms.items():
        unit = text(catalogue().targets[target_id].unit, current_language())
        form.value.label.text = _("新的目标值（%(unit)s）", unit=unit)
    return forms


def save(session: Session, year: int, target_id: str, form: TargetForm, user_id: int) -> None:
    """Keep the validated form's value (never None once the form validated)."""
    value = form.value.data
    assert value is not None
    set_target(session, year, target_id, value, user_id)


@dataclass(frozen=True)
class Change:
    value: float
    by: str | None
    at: object


@dataclass(frozen=True)
class TargetRow:
    target: TargetKind
    current: YearTarget
    form: TargetForm
    history: list[Change]


def rows(session: Session, year: int, forms: dict[str, TargetForm]) -> list[TargetRow]:
    current = year_targets(session, year)
    histories = {target_id: target_history(session, year, target_id) for target_id in catalogue().targets}
    user_ids = {row.set_by_id for rows in histories.values() for row in rows if row.set_by_id is not None}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    return [TargetRow(target, current[target_id], forms[target_id],
                      [_change(row, names) for row in histories[target_id]])
            for target_id, target in catalogue().targets.items()]


def _change(row: TargetValue, names: dict[int, str]) -> Change:
    return Change(float(row.value), names.get(row.set_by_id) if row.set_by_id else None, row.set_at)
