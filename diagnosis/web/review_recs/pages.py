"""What the recommendations page shows, as plain objects: the engine's list in words, and the
provider's list with the actions each row offers and their forms (a failed one bound to what was
posted, its message at the field)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_translations, lazy_pgettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from diagnosis.provider_recs import ProviderRecommendation
from diagnosis.web.bundle import instrument_for
from diagnosis.web.i18n import current_language
from diagnosis.web.review_recs.forms import (
    AddCatalogueForm,
    AddOwnForm,
    ChangeForm,
    DismissForm,
    KeepForm,
    row_prefix,
    with_phases,
)
from diagnosis.web.review_recs.service import RecsState
from reports.explain import leaf_sentences
from reports.wording import Wording

#: A row's mark in words (the verified report uses the same words).
MARK_LABELS = {
    "engine": _l("未改动"),
    "kept": lazy_pgettext("badge", "保留"),
    "changed": _l("已调整"),
    "dismissed": lazy_pgettext("badge", "不采纳"),
    "added": _l("服务商新增"),
}
FORMS = {"keep": KeepForm, "dismiss": DismissForm, "change": ChangeForm}
#: What each action is called on its button (the same words as a mark are the "badge" context).
ACTION_LABELS = {"keep": lazy_pgettext("button", "保留"), "dismiss": lazy_pgettext("button", "不采纳"),
                 "change": _l("调整优先级或阶段"), "add": lazy_pgettext("button", "新增")}
LOCKED = _l("评审已签署，建议清单不能再修改。")


@dataclass
class Failed:
    """A posted form that did not validate: which row (or "add" / "own") and action it belongs to."""

    key: str
    action: str
    form: FlaskForm


@dataclass
class RowView:
    rec: ProviderRecommendation
    mark_label: str
    actions: list[str]  # offered: keep, dismiss, change (in that order)
    keep_label: str
    forms: dict[str, FlaskForm]
    open: str = ""  # the action whose form failed: shown open
    saved: bool = False


@dataclass
class RecsPage:
    state: RecsState
    words: Wording
    engine: list[dict]
    rows: list[RowView]
    stale: list[dict]
    add_catalogue: FlaskForm | None
    add_own: FlaskForm | None
    open_add: str = ""
    message: str = ""
    saved: str = ""


def offered(rec: ProviderRecommendation) -> tuple[list[str], Any]:
    """The actions a row offers, and what "keep" is called there."""
    if rec.mark == "dismissed":
        return ["keep"], _l("恢复")
    if rec.mark == "added":
        return ["change", "dismiss"], ""
    if rec.mark == "changed":
        return ["keep", "change", "dismiss"], _l("恢复为引擎建议")
    if rec.mark == "kept":
        return ["change", "dismiss"], ""
    return ["keep", "change", "dismiss"], ACTION_LABELS["keep"]


def row_form(action: str, rec: ProviderRecommendation, phases: list[tuple[str, str]], formdata=None):
    """The form of one row's action; unbound, it shows the row's current priority and phase."""
    data = {"priority": round(100 * rec.priority), "phase": rec.phase} if action == "change" else {}
    form = FORMS[action](formdata=formdata, prefix=row_prefix(action, rec.key), data=data)
    return with_phases(form, phases)


def add_forms(state: RecsState, words: Wording, formdata=None) -> tuple[FlaskForm, FlaskForm]:
    """The two add forms: a catalogue item not in the list yet (named with its kind), or one of the
    provider's own."""
    phases = phase_choices(state, words)
    catalogue = with_phases(AddCatalogueForm(formdata=formdata, prefix="add"), phases)
    catalogue.item.choices = [("", _l("请选择"))] + [
        (item.key, f"{words.kind(item.kind)}：{item.title}") for item in state.addable()]
    own = with_phases(AddOwnForm(formdata=formdata, prefix="own"), phases)
    return catalogue, own


def wording(state: RecsState, bundle) -> Wording:
    return Wording(bundle, instrument_for(state.assessment, bundle), current_language(), get_translations())


def phase_choices(state: RecsState, words: Wording) -> list[tuple[str, str]]:
    return [(phase, words.phase(phase)) for phase in state.phases]


def row_view(rec: ProviderRecommendation, phases: list[tuple[str, str]] | None, failed: Failed | None,
             saved: str) -> RowView:
    """One row; ``phases`` None: read-only, no forms."""
    actions, keep_label = offered(rec) if phases is not None else ([], "")
    view = RowView(rec, str(MARK_LABELS[rec.mark]), actions, str(keep_label),
                   {action: row_form(action, rec, phases or []) for action in actions},
                   saved=rec.key == saved)
    if failed is not None and failed.key == rec.key and failed.action in view.forms:
        view.forms[failed.action], view.open = failed.form, failed.action
    return view


def page(state: RecsState, bundle, failed: Failed | None = None, saved: str = "",
         message: str = "") -> RecsPage:
    """The page; ``failed`` is a refused form to show with its messages, ``saved`` the key just saved."""
    words = wording(state, bundle)
    phases = phase_choices(state, words)
    rows = [row_view(rec, phases if state.editable else None, failed, saved) for rec in state.rows]
    add_catalogue, add_own = add_forms(state, words) if state.editable else (None, None)
    open_add = ""
    if failed is not None and failed.key == "add":
        add_catalogue, open_add = failed.form, "add"
    elif failed is not None and failed.key == "own":
        add_own, open_add = failed.form, "own"
    engine = [{**rec, "reasons": leaf_sentences(words, rec.get("because"))} for rec in state.engine]
    stale = [{"title": state.catalogue[e.key].title if e.key in state.catalogue else e.key,
              "action": str(ACTION_LABELS.get(e.action, e.action)), "reason": e.reason} for e in state.stale]
    return RecsPage(state, words, engine, rows, stale, add_catalogue, add_own, open_add=open_add,
                    message=message, saved=saved)
