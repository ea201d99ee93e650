"""Filling in an assessment: start, save one answer or a whole section, submit, try changes.

Views stay thin; these functions decide, call the store (which flushes) and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.answers import AnswerValueError, missing_required, parse_value, visible_questions
from diagnosis.core.engine import simulate
from diagnosis.store import assessments as store
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
    snapshot: Any = None


def start(session: Session, company, bundle, user_id: int | None):
    """A new draft on the active questionnaire; refuses when one is already open."""
    draft = store.open_draft(session, company.id)
    if draft is not None:
        raise DraftExists(draft)
    instrument = bundle.active_instrument()
    return store.create_assessment(session, company.id, instrument.id, str(instrument.version), user_id)


def save_answer(
    session: Session, assessment, bundle, question, raw: Any, base_revision: int | None, user_id: int | None
) -> SaveOutcome:
    """Validate and store one answer unless another tab changed it since ``base_revision``.

    :param raw: the posted value as JSON types (forms.typed_value); None removes the answer.

    :param base_revision: the answer revision the page showed (0 when it showed no answer);
        None skips the check (the user chose "keep mine" after seeing the other value).
    :raise AssessmentLocked: when the assessment is not a draft.
    """
    assessment = store.lock_assessment(session, assessment.id)
    if not assessment.is_draft:
        raise AssessmentLocked(assessment.id)
    rows = store.answer_rows(session, assessment.id)
    current = rows.get(question.id)
    current_value = current.value if current is not None else None
    current_revision = current.revision if current is not None else 0
    try:
        value = parse_value(question, raw)
    except AnswerValueError as error:
        return SaveOutcome(
            question.id,
            "invalid",
            current_value,
            current_revision,
            error=error.code,
            detail=error.detail,
            mine=raw,
        )
    if value == current_value:
        return SaveOutcome(question.id, "unchanged", current_value, current_revision)
    if base_revision is not None and base_revision != current_revision:
        return SaveOutcome(question.id, "conflict", current_value, current_revision, mine=value)
    instrument = instrument_for(assessment, bundle)
    answers = {qid: row.value for qid, row in rows.items()}
    if question.id not in visible_questions(instrument, answers, profile_for(assessment.company, bundle)):
        return SaveOutcome(question.id, "hidden", current_value, current_revision, mine=value)
    revision = store.write_answer(session, assessment, question.id, value, user_id)
    return SaveOutcome(question.id, "saved", value, revision)


def save_section(
    session: Session,
    assessment,
    bundle,
    section,
    raw_values: dict[str, Any],
    base_revisions: dict[str, int | None],
    user_id: int | None,
) -> dict[str, SaveOutcome]:
    """Save every posted question of a section in display order (the form without JavaScript).

    Valid answers are saved even when a neighbour is invalid or in conflict, so no work is lost;
    questions hidden by an answer earlier in the same post are skipped.
    """
    outcomes = {}
    for question in section.questions:
        if question.id not in raw_values:
            continue
        outcomes[question.id] = save_answer(
            session,
            assessment,
            bundle,
            question,
            raw_values[question.id],
            base_revisions.get(question.id),
            user_id,
        )
    return outcomes


def submit(session: Session, assessment, bundle, user_id: int | None) -> SubmitOutcome:
    """Check required answers; when none is missing, diagnose, store the snapshot and lock the draft."""
    assessment = store.lock_assessment(session, assessment.id)
    if not assessment.is_draft:
        raise AssessmentLocked(assessment.id)
    instrument = instrument_for(assessment, bundle)
    answers = store.company_answers(session, assessment.id)
    missing = missing_required(instrument, answers, profile_for(assessment.company, bundle))
    if missing:
        return SubmitOutcome(missing=list(missing))
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
