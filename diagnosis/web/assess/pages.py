"""What the assessment pages show, gathered from the store and the engine as plain objects.

Views call these builders and hand the result to a template; no template computes a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from wtforms import Field

from diagnosis.core.answers import missing_required, progress, visible_sections
from diagnosis.web.assess import agreement
from diagnosis.web.assess.forms import bound_form, display_value, error_message, localized
from diagnosis.web.assess.service import State


@dataclass(frozen=True)
class SectionMark:
    id: str
    title: str
    answered: int
    applicable: int
    current: bool

    @property
    def state(self) -> str:
        if self.applicable and self.answered >= self.applicable:
            return "complete"
        return "partial" if self.answered else "empty"


@dataclass(frozen=True)
class Conflict:
    """Another tab changed the answer: both values in words, and the revision to overwrite."""

    theirs: str
    mine: str
    revision: int


@dataclass
class QuestionView:
    question: Any
    field: Field | None
    visible: bool
    revision: int
    answered: bool
    read_only: bool
    message: str | None = None
    conflict: Conflict | None = None
    saved: bool = False
    #: The constraints the answer breaks, in words (it is saved all the same, and marked).
    disagreements: tuple[str, ...] = ()
    #: What the company record holds that this answer is compared with.
    profile_notes: tuple[str, ...] = ()
    #: The answer was carried over from the last assessment and is not yet saved or confirmed.
    carried: bool = False


@dataclass
class Overview:
    progress: Any
    sections: list[SectionMark] = field(default_factory=list)


def overview(state: State, current_section: str | None = None) -> Overview:
    """The progress bar's figures and the marks of the visible sections."""
    figures = progress(state.instrument, state.answers, state.profile)
    marks = []
    for section in visible_sections(state.instrument, state.answers, state.profile):
        answered, applicable = figures.sections.get(section.id, (0, 0))
        marks.append(
            SectionMark(
                section.id, localized(section.title), answered, applicable, section.id == current_section
            )
        )
    return Overview(figures, marks)


def has_section(state: State, section_id: str) -> bool:
    return any(s.id == section_id for s in state.instrument.sections)


def missing(state: State) -> list[str]:
    return list(missing_required(state.instrument, state.answers, state.profile))


def section_is_visible(state: State, section_id: str) -> bool:
    return any(s.id == section_id for s in visible_sections(state.instrument, state.answers, state.profile))


def neighbours(state: State, section_id: str) -> tuple[str | None, str | None]:
    """The visible sections before and after ``section_id``."""
    ids = [s.id for s in visible_sections(state.instrument, state.answers, state.profile)]
    if section_id not in ids:
        return None, None
    at = ids.index(section_id)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


def first_open_section(state: State) -> str:
    """Where to resume: the first visible section not yet complete (else the first)."""
    marks = overview(state).sections
    for mark in marks:
        if mark.state != "complete":
            return mark.id
    return marks[0].id


def question_views(state: State, questions, formdata=None, outcomes=None) -> list[QuestionView]:
    """One view per question; hidden ones carry no field (the page keeps an empty placeholder)."""
    outcomes = outcomes or {}
    shown = [q for q in questions if q.id in state.visible]
    form = bound_form(shown, state.answers, formdata)
    disagreements = agreement.messages_by_question(state, agreement.state_breaks(state))
    views = []
    for question in questions:
        visible = question.id in state.visible
        view = QuestionView(
            question,
            form["q_" + question.id] if visible else None,
            visible,
            state.revision(question.id),
            question.id in state.answers,
            state.read_only,
        )
        if visible:
            view.carried = question.id in state.carried
            view.disagreements = tuple(disagreements.get(question.id, ()))
            view.profile_notes = tuple(agreement.profile_notes(state, question))
        outcome = outcomes.get(question.id)
        if outcome is not None:
            apply_outcome(view, outcome)
        views.append(view)
    return views


def apply_outcome(view: QuestionView, outcome) -> None:
    """Put a save's result on the view: saved mark, message, or the conflict choice."""
    question = view.question
    view.revision = outcome.revision
    view.saved = outcome.status == "saved"
    if outcome.status == "invalid":
        view.message = error_message(question, outcome.error, outcome.detail)
    elif outcome.status == "hidden":
        view.message = _("此题当前不适用，答案未保存。")
    elif outcome.status == "conflict":
        view.message = _("此答案已在另一个窗口或设备上被修改。请选择保留哪一个。")
        view.conflict = Conflict(
            display_value(question, outcome.value), display_value(question, outcome.mine), outcome.revision
        )


def carried_count(state: State, section) -> int:
    """How many shown questions of ``section`` still hold an answer carried over unconfirmed."""
    return sum(1 for q in section.questions if q.id in state.carried and q.id in state.visible)


def carried_by_section(state: State) -> list[tuple[Any, int]]:
    """The visible sections with carried-over answers still to check, and how many each holds."""
    found = [(section, carried_count(state, section))
             for section in visible_sections(state.instrument, state.answers, state.profile)]
    return [(section, count) for section, count in found if count]


def missing_by_section(state: State, missing: list[str]) -> list[tuple[Any, list[Any]]]:
    """The missing required questions grouped under their sections, in display order."""
    wanted = set(missing)
    groups = []
    for section in state.instrument.sections:
        questions = [q for q in section.questions if q.id in wanted]
        if questions:
            groups.append((section, questions))
    return groups
