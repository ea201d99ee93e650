"""Filling in an assessment: start, save one answer or a whole section, submit, try changes.

Views stay thin; these functions decide, call the store (which flushes) and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.answers import AnswerValueError, missing_required, parse_value, visible_questions
from diagnosis.core.constraints import broken_constraints
from diagnosis.core.engine import simulate
from diagnosis.store import assessments as store
from diagnosis.web.assess import carry
from diagnosis.web.assess.forms import NOT_POSTED
from diagnosis.web.bundle import diagnose_for, instrument_for, profile_for


class AssessmentLocked(Exception):
    """The assessment is no longer a draft: its answers cannot change here."""


class DraftExists(Exception):
    """The company already has an open draft (one at a time)."""

    def __init__(self, draft):
        super().__init__(draft.id)
        self.draft = draft


@dataclass(frozen=True)
class SaveOutcome:
    """What happened to one posted answer.

    status: saved | unchanged | invalid | conflict | hidden
    """

    question_id: str
    status: str
    value: Any = None
    revision: int = 0
    error: str | None = None
    detail: Any = None
    mine: Any = None

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")


@dataclass(frozen=True)
class SubmitOutcome:
    missing: list[str]
    broken: list[str] = field(default_factory=list)  # ids of the constraints the answers break
    snapshot: Any = None


def start(session: Session, company, bundle, user_id: int | None, from_last: bool = False):
    """A new draft on the active questionnaire; refuses when one is already open.

    :param from_last: start from the company's last submitted answers (diagnosis.web.assess.carry);
        a blank draft when there are none.
    """
    draft = store.open_draft(session, company.id)
    if draft is not None:
        raise DraftExists(draft)
    instrument = bundle.active_instrument()
    origin = carry.origin_for(session, company, bundle) if from_last else None
    draft = store.create_assessment(session, company.id, instrument.id, str(instrument.version), user_id)
    if origin is not None:
        carry.carry(session, draft, origin, company, bundle, user_id)
    return draft


@dataclass(frozen=True)
class State:
    """An assessment's answers as they stand, with what the engine derives from them."""

    assessment: Any
    instrument: Any
    profile: dict
    rows: dict[str, store.StoredAnswer]
    answers: dict[str, Any]
    visible: set[str]
    #: questions whose answer was carried over from the last assessment and not yet saved or confirmed
    carried: frozenset[str] = frozenset()

    @property
    def read_only(self) -> bool:
        return not self.assessment.is_draft

    def revision(self, question_id: str) -> int:
        row = self.rows.get(question_id)
        return row.revision if row is not None else 0

    def answered(self, question_id: str, value: Any, revision: int) -> State:
        """This state after one answer was written (None removes it), visibility derived again."""
        rows, answers = dict(self.rows), dict(self.answers)
        if value is None:
            rows.pop(question_id, None)
            answers.pop(question_id, None)
        else:
            rows[question_id] = store.StoredAnswer(value, revision)
            answers[question_id] = value
        visible = set(visible_questions(self.instrument, answers, self.profile))
        return replace(self, rows=rows, answers=answers, visible=visible,
                       carried=self.carried - {question_id})


def load_state(session: Session, assessment, bundle) -> State:
    instrument = instrument_for(assessment, bundle)
    profile = profile_for(assessment.company, bundle)
    rows = store.answer_rows(session, assessment.id)
    answers = {qid: row.value for qid, row in rows.items()}
    return State(
        assessment, instrument, profile, rows, answers, set(visible_questions(instrument, answers, profile)),
        carry.carried_questions(session, assessment.id, rows),
    )


def save_answer(
    session: Session, state: State, question, raw: Any, base_revision: int | None, user_id: int | None
) -> tuple[SaveOutcome, State]:
    """Validate and store one answer unless another tab changed it since ``base_revision``.

    :param state: `load_state` of an assessment fetched with its row lock (store.get_for_company with
        lock=True) in this transaction, so a change another request committed while this one waited
        for the lock is seen and checked, never overwritten.
    :param raw: the posted value as JSON types (forms.posted); None removes the answer,
        NOT_POSTED (the field was not in the post) and text of spaces only are refused.
    :param base_revision: the answer revision the page showed (0 when it showed no answer);
        None skips the check (the user chose "keep mine" after seeing the other value).
    :return: the outcome and the state after it.
    :raise AssessmentLocked: when the assessment is not a draft.
    """
    if state.read_only:
        raise AssessmentLocked(state.assessment.id)
    current = state.rows.get(question.id)
    current_value = current.value if current is not None else None
    current_revision = current.revision if current is not None else 0
    try:
        value = parse_posted(question, raw)
    except AnswerValueError as error:
        outcome = SaveOutcome(question.id, "invalid", current_value, current_revision, error=error.code,
                              detail=error.detail, mine=raw)
        return outcome, state
    if value == current_value:
        if question.id in state.carried:  # saving a carried answer as it is confirms it
            revision = store.confirm_answers(session, state.assessment, [question.id], user_id)
            outcome = SaveOutcome(question.id, "saved", value, revision)
            return outcome, state.answered(question.id, value, revision)
        return SaveOutcome(question.id, "unchanged", current_value, current_revision), state
    if base_revision is not None and base_revision != current_revision:
        return SaveOutcome(question.id, "conflict", current_value, current_revision, mine=value), state
    if question.id not in state.visible:
        return SaveOutcome(question.id, "hidden", current_value, current_revision, mine=value), state
    revision = store.write_answer(session, state.assessment, question.id, value, user_id)
    return SaveOutcome(question.id, "saved", value, revision), state.answered(question.id, value, revision)


def parse_posted(question, raw: Any) -> Any:
    """parse_value, after refusing what would silently delete a saved answer: a field missing from
    the post (a file sent instead of text, a hand-made request) and text made of spaces only."""
    if raw is NOT_POSTED:
        raise AnswerValueError("not_posted")
    if isinstance(raw, str) and raw and not raw.strip():
        raise AnswerValueError("only_spaces")
    return parse_value(question, raw)


def save_section(
    session: Session,
    state: State,
    section,
    raw_values: dict[str, Any],
    base_revisions: dict[str, int | None],
    user_id: int | None,
) -> tuple[dict[str, SaveOutcome], State]:
    """Save every posted question of a section in display order (the form without JavaScript).

    Valid answers are saved even when a neighbour is invalid or in conflict, so no work is lost;
    questions hidden by an answer earlier in the same post are skipped, and questions the post does
    not carry keep their answer.
    """
    outcomes = {}
    for question in section.questions:
        raw = raw_values.get(question.id, NOT_POSTED)
        if raw is NOT_POSTED:
            continue
        outcomes[question.id], state = save_answer(
            session, state, question, raw, base_revisions.get(question.id), user_id)
    return outcomes, state


def confirm_section(session: Session, state: State, section, user_id: int | None) -> State:
    """Confirm the carried-over answers of the section's shown questions as they stand."""
    if state.read_only:
        raise AssessmentLocked(state.assessment.id)
    ids = [q.id for q in section.questions if q.id in state.carried and q.id in state.visible]
    if not ids:
        return state
    revision = store.confirm_answers(session, state.assessment, ids, user_id)
    rows = dict(state.rows) | {qid: store.StoredAnswer(state.answers[qid], revision) for qid in ids}
    return replace(state, rows=rows, carried=state.carried.difference(ids))


def submit(session: Session, assessment, bundle, user_id: int | None) -> SubmitOutcome:
    """Check required answers and constraints; when none is missing and none broken, diagnose, store
    the snapshot and lock the draft (answers that contradict each other are never scored here).

    :param assessment: fetched with its row lock (store.get_for_company with lock=True), so a second
        submit waits and then finds it submitted.
    """
    if not assessment.is_draft:
        raise AssessmentLocked(assessment.id)
    instrument = instrument_for(assessment, bundle)
    answers = store.company_answers(session, assessment.id)
    profile = profile_for(assessment.company, bundle)
    missing = missing_required(instrument, answers, profile)
    visible = visible_questions(instrument, answers, profile)
    broken = broken_constraints(instrument, {q: v for q, v in answers.items() if q in visible}, profile)
    if missing or broken:
        return SubmitOutcome(missing=list(missing), broken=[item.id for item in broken])
    result = diagnose_for(assessment, answers, bundle)
    snapshot = store.add_snapshot(session, assessment, result, kind="self")
    store.change_status(session, assessment, "submitted", user_id)
    return SubmitOutcome(missing=[], snapshot=snapshot)


def what_if(session: Session, assessment, bundle, changes: dict[str, Any]) -> dict:
    """simulate() over the company's stored answers with ``changes``; reads only, writes nothing."""
    answers = store.company_answers(session, assessment.id)
    return simulate(
        bundle,
        answers,
        changes,
        profile_for(assessment.company, bundle),
        instrument_id=assessment.questionnaire_id,
    )
