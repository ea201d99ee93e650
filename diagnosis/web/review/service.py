"""The on-site review, question by question: the rules, apart from the pages.

A question's review state is one of ITEM_STATES (diagnosis/store/reviews.py) or none yet. The
verified answers the result is scored from follow one rule, `reviews.verified_answers`: the
company's answer unless adjusted (then the verified answer) or not applicable (then none). A
question left unreviewed counts as accepted at sign-off unless it is required: every required
question must be reviewed, and nothing may still wait for the company's evidence.

Views stay thin; these functions decide, call the store (which flushes) and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.answers import AnswerValueError, visible_questions
from diagnosis.core.constraints import broken_constraints
from diagnosis.provider_recs import provider_list
from diagnosis.review_reasons import reasons
from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.web.assess.service import parse_posted
from diagnosis.web.bundle import diagnose_for, instrument_for, profile_for

ACTIONS = {"accept": "accepted", "adjust": "adjusted", "needs_evidence": "needs_evidence",
           "not_applicable": "not_applicable", "clear": None}
REASON_MAX = 1000


class ReviewLocked(Exception):
    """The assessment is signed off (or was never submitted): nothing in its review changes."""


@dataclass(frozen=True)
class ReviewState:
    """An assessment under review as it stands: both answers, the review items, visibility."""

    assessment: Any
    instrument: Any
    profile: dict
    company: dict[str, Any]
    verified_rows: dict[str, store.StoredAnswer]
    items: dict[str, reviews.ReviewItem]
    #: the answers the verified result is scored from (`reviews.verified_answers`)
    answers: dict[str, Any]
    visible: set[str]
    open_round: reviews.ReviewRound | None

    @property
    def locked(self) -> bool:
        return self.assessment.status != "submitted"

    def state_of(self, question_id: str) -> str | None:
        item = self.items.get(question_id)
        return item.state if item is not None else None

    def revision(self, question_id: str) -> int:
        """The token a page posts back: the revision that last wrote this question's review state."""
        item = self.items.get(question_id)
        return item.revision if item is not None else 0

    def in_open_round(self, question_id: str) -> bool:
        return self.open_round is not None and question_id in self.open_round.question_ids


def load(session: Session, assessment, bundle) -> ReviewState:
    instrument = instrument_for(assessment, bundle)
    profile = profile_for(assessment.company, bundle)
    company = store.company_answers(session, assessment.id)
    answers = reviews.verified_answers(session, assessment.id)
    return ReviewState(
        assessment, instrument, profile, company, store.answer_rows(session, assessment.id, "verified"),
        reviews.items(session, assessment.id), answers,
        set(visible_questions(instrument, answers, profile)), reviews.open_round(session, assessment.id))


@dataclass(frozen=True)
class ItemOutcome:
    """What one review action did. status: saved | unchanged | invalid | conflict | hidden | waiting"""

    question_id: str
    status: str
    #: why it was refused: a code diagnosis/web/review/pages.py puts in words (with ``detail``)
    code: str = ""
    #: the posted field the refusal is about: action, value, reason_code, reason_text
    field: str = ""
    revision: int = 0
    detail: Any = None

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")


@dataclass(frozen=True)
class Action:
    """A review action as posted: what to do, the verified value for "adjust", the reason."""

    name: str
    raw: Any = None
    reason_code: str = ""
    reason_text: str = ""
    base_revision: int | None = None


def act(session: Session, state: ReviewState, question, action: Action,
        user_id: int | None) -> tuple[ItemOutcome, ReviewState]:
    """Apply one review action to one question, unless another reviewer changed it since
    ``action.base_revision`` (None skips the check).

    :param state: `load` of an assessment fetched with its row lock in this transaction.
    :raise ReviewLocked: when the assessment is signed off.
    """
    if state.locked:
        raise ReviewLocked(state.assessment.id)
    qid = question.id
    problem = _refusal(state, question, action)
    if problem is not None:
        return problem, state
    new_state = ACTIONS[action.name]
    verified = _verified_value(question, action) if new_state == "adjusted" else None
    if isinstance(verified, ItemOutcome):
        return verified, state
    if verified is not None and (broken := _constraint_refusal(state, question, verified)) is not None:
        return broken, state
    item = state.items.get(qid)
    stored = state.verified_rows.get(qid)
    same_value = (stored.value if stored is not None else None) == verified
    reason_code = action.reason_code if new_state == "adjusted" else None
    reason_text = (action.reason_text.strip() or None) if new_state else None
    if reviews.item_dict(item) == _as_item(new_state, reason_code, reason_text) and same_value:
        return ItemOutcome(qid, "unchanged", revision=state.revision(qid)), state
    verified_rows = dict(state.verified_rows)
    if not same_value:
        written = store.write_answer(session, state.assessment, qid, verified, user_id, source="verified",
                                     reason=reason_text)
        verified_rows.pop(qid, None)
        if verified is not None:
            verified_rows[qid] = store.StoredAnswer(verified, written)
    revision = reviews.set_item(session, state.assessment, qid, new_state, user_id, reason_code, reason_text)
    reviews.ensure_review(session, state.assessment.id)
    items = {key: item for key, item in state.items.items() if key != qid}
    written_item = session.get(reviews.ReviewItem, (state.assessment.id, qid)) if new_state else None
    if written_item is not None:  # set_item just wrote it: from the identity map, no query
        items[qid] = written_item
    return ItemOutcome(qid, "saved", revision=revision), _after_one(state, qid, verified_rows, items)


def _after_one(state: ReviewState, qid: str, verified_rows: dict[str, store.StoredAnswer],
               items: dict[str, reviews.ReviewItem]) -> ReviewState:
    """The state after one question's review changed, from the state read at the start of the
    request (`load_after` reads it all again: a sixth of an action's time). The question's verified
    answer follows `reviews.verified_answers` (a test holds the two equal); visibility is recomputed."""
    answers = {key: value for key, value in state.answers.items() if key != qid}
    item = items.get(qid)
    if item is None or item.state != "not_applicable":
        if qid in verified_rows:
            answers[qid] = verified_rows[qid].value
        elif qid in state.company:
            answers[qid] = state.company[qid]
    return replace(state, verified_rows=verified_rows, items=items, answers=answers,
                   visible=set(visible_questions(state.instrument, answers, state.profile)))


def _as_item(state: str | None, code: str | None, text: str | None) -> dict | None:
    return None if state is None else {"state": state, "reason_code": code, "reason_text": text}


def _refusal(state: ReviewState, question, action: Action) -> ItemOutcome | None:
    """Why this action cannot be applied as posted, or None."""
    qid = question.id
    if action.name not in ACTIONS:
        return ItemOutcome(qid, "invalid", "unknown_action", "action", state.revision(qid))
    if action.base_revision is not None and action.base_revision != state.revision(qid):
        return ItemOutcome(qid, "conflict", "conflict", revision=state.revision(qid))
    if qid not in state.visible:
        return ItemOutcome(qid, "hidden", "hidden", revision=state.revision(qid))
    if state.in_open_round(qid):
        return ItemOutcome(qid, "waiting", "waiting", revision=state.revision(qid))
    if action.name == "not_applicable" and question.required:
        return ItemOutcome(qid, "invalid", "na_required", "action", state.revision(qid))
    if action.name == "accept" and qid not in state.company and question.required:
        return ItemOutcome(qid, "invalid", "accept_blank", "action", state.revision(qid))
    if action.name == "adjust":
        if action.reason_code not in reasons():
            return ItemOutcome(qid, "invalid", "reason_code", "reason_code", state.revision(qid))
        if not action.reason_text.strip():
            return ItemOutcome(qid, "invalid", "reason_text", "reason_text", state.revision(qid))
    if len(action.reason_text) > REASON_MAX:
        return ItemOutcome(qid, "invalid", "reason_long", "reason_text", state.revision(qid))
    return None


def _verified_value(question, action: Action) -> Any:
    """The posted verified answer, parsed like the company's; an ItemOutcome when it is refused."""
    try:
        value = parse_posted(question, action.raw)
    except AnswerValueError as error:
        return ItemOutcome(question.id, "invalid", error.code, "value", detail=error.detail)
    if value is None:
        return ItemOutcome(question.id, "invalid", "value_missing", "value")
    return value


def _constraint_refusal(state: ReviewState, question, verified: Any) -> ItemOutcome | None:
    """A verified answer is held to the questionnaire's constraints like the company's: refused when,
    with it, a constraint that reads this question breaks (its message shown at the value)."""
    answers = {**state.answers, question.id: verified}
    visible = visible_questions(state.instrument, answers, state.profile)
    shown = {qid: value for qid, value in answers.items() if qid in visible}
    breaks = broken_constraints(state.instrument, shown, state.profile,
                                constraints=state.instrument.constraints_of(question.id))
    if not breaks:
        return None
    return ItemOutcome(question.id, "invalid", "constraint", "value", state.revision(question.id),
                       detail={"constraint": breaks[0].id, "message": breaks[0].constraint.message})


def load_after(session: Session, state: ReviewState) -> ReviewState:
    """The state after a write in this transaction (re-read: visibility may follow the new answer)."""
    fresh = reviews.verified_answers(session, state.assessment.id)
    return replace(state, verified_rows=store.answer_rows(session, state.assessment.id, "verified"),
                   items=reviews.items(session, state.assessment.id), answers=fresh,
                   visible=set(visible_questions(state.instrument, fresh, state.profile)))


def accept_rest(session: Session, state: ReviewState, section,
                user_id: int | None) -> tuple[int, ReviewState]:
    """Accept every visible question of ``section`` not yet reviewed that the company answered
    (a blank required question needs an answer, not an acceptance; one in the open round waits).

    :return: how many were accepted, and the state after.
    """
    if state.locked:
        raise ReviewLocked(state.assessment.id)
    open_ = [q for q in section.questions if q.id in state.visible and q.id not in state.items
             and q.id in state.company and not state.in_open_round(q.id)]
    for question in open_:
        reviews.set_item(session, state.assessment, question.id, "accepted", user_id)
    if not open_:
        return 0, state
    reviews.ensure_review(session, state.assessment.id)
    return len(open_), load_after(session, state)


@dataclass(frozen=True)
class OpenItem:
    """What still stands in the way of sign-off: a question (with its section) or the open round."""

    kind: str  # unreviewed | needs_evidence | round
    question_id: str = ""
    section_id: str = ""


def open_items(state: ReviewState) -> list[OpenItem]:
    """Every required visible question not yet reviewed, every question waiting for evidence, the
    open round; in questionnaire order."""
    found = []
    for question in state.instrument.questions():
        if question.id not in state.visible:
            continue
        status = state.state_of(question.id)
        if status == "needs_evidence":
            found.append(OpenItem("needs_evidence", question.id, question.section))
        elif status is None and question.required:
            found.append(OpenItem("unreviewed", question.id, question.section))
    if state.open_round is not None:
        found.append(OpenItem("round"))
    return found


class NothingToSendBack(Exception):
    """No question is marked 需补充材料, or a round is already with the company."""


def send_back(session: Session, state: ReviewState, note: str, user_id: int | None) -> reviews.ReviewRound:
    """Send the questions marked needs_evidence to the company as the next round."""
    if state.locked:
        raise ReviewLocked(state.assessment.id)
    wanted = [q.id for q in state.instrument.questions()
              if q.id in state.visible and state.state_of(q.id) == "needs_evidence"]
    if not wanted or state.open_round is not None:
        raise NothingToSendBack(state.assessment.id)
    review = reviews.ensure_review(session, state.assessment.id)
    number = len(reviews.rounds(session, state.assessment.id)) + 1
    now = utcnow()
    round_ = reviews.ReviewRound(assessment_id=state.assessment.id, number=number, question_ids=wanted,
                                 note=note.strip() or None, sent_at=now, sent_by_id=user_id)
    session.add(round_)
    review.returned_at = now
    reviews.record(session, state.assessment.id, user_id, None,
                   {"round": number, "questions": wanted}, reason=round_.note, at=now)
    return round_


@dataclass(frozen=True)
class SignOffOutcome:
    open: list[OpenItem]
    snapshot: Any = None


def sign_off(session: Session, state: ReviewState, bundle, user_id: int | None) -> SignOffOutcome:
    """Refuse while `open_items` remain; else score the verified answers, keep the verified snapshot
    (standing for the provider's recommendation list), lock the assessment (status verified) and
    stamp the sign-off. The caller commits, then schedules the verified reports (the workers read
    the snapshot).

    :param state: `load` of an assessment fetched with its row lock, so a second sign-off waits and
        then finds it locked.
    """
    if state.locked:
        raise ReviewLocked(state.assessment.id)
    remaining = open_items(state)
    if remaining:
        return SignOffOutcome(open=remaining)
    result = diagnose_for(state.assessment, state.answers, bundle)
    signed = signed_recommendations(session, state.assessment.id, result)
    snapshot = store.add_snapshot(session, state.assessment, result, kind="verified", recommendations=signed)
    store.change_status(session, state.assessment, "verified", user_id)
    review = reviews.ensure_review(session, state.assessment.id)
    review.signed_off_at, review.signed_off_by_id = state.assessment.verified_at, user_id
    session.flush()
    return SignOffOutcome(open=[], snapshot=snapshot)


def signed_recommendations(session: Session, assessment_id: int, result: dict) -> list[tuple[str, str]]:
    """(key, kind) of the provider's list as signed (diagnosis/provider_recs.py): the engine's
    recommendations the provider did not dismiss, and those the provider added. The verified
    snapshot stands for these, so the officials' "potential" counts what was signed."""
    edits = reviews.recommendation_edits(session, assessment_id)
    rows = provider_list(result.get("recommendations", []), edits)
    return [(row.key, row.kind) for row in rows if not row.dismissed]


def live_result(state: ReviewState, bundle) -> dict:
    """The engine's result over the verified answers as they stand (a diagnose() is well under a
    millisecond: benchmarks/engine.py)."""
    return diagnose_for(state.assessment, state.answers, bundle)
