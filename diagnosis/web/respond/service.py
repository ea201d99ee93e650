"""The company's side of the review: the round of questions sent back for evidence, and the answer
to the verified report.

While a round is open, the company may change its own answers to exactly the round's questions
(the rest of the submitted assessment stays locked) and add evidence to them; "send back to the
provider" closes the round and clears those questions' review items, so the provider reviews them
again. After sign-off the company confirms or disputes the verified report, once.

Views stay thin; these functions decide, call the store (which flushes) and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.web.assess import service as assess
from diagnosis.web.assess.service import SaveOutcome, State

COMMENT_MAX = 2000


class RoundClosed(Exception):
    """No round is open with the company (never sent, already answered, or the assessment is no
    longer under review)."""


class NotInRound(Exception):
    """The question is not one of the open round's: its answer stays locked."""


class NotSignedOff(Exception):
    """The verified report does not exist yet: nothing to confirm or dispute."""


class AlreadyResponded(Exception):
    """The company has already confirmed or disputed the verified report."""


@dataclass(frozen=True)
class RoundState(State):
    """A submitted assessment's company answers, writable only through the open round.

    ``read_only`` is what `assess.service.save_answer` and the question views ask: here it means
    "no round is open", and `save_round_answer` admits only the round's questions.
    """

    round: reviews.ReviewRound | None = None

    @property
    def read_only(self) -> bool:
        return self.round is None or self.assessment.status != "submitted"

    def in_round(self, question_id: str) -> bool:
        return self.round is not None and question_id in self.round.question_ids


def load(session: Session, assessment, bundle) -> RoundState:
    base = assess.load_state(session, assessment, bundle)
    return RoundState(**{f.name: getattr(base, f.name) for f in fields(base)},
                      round=reviews.open_round(session, assessment.id))


def round_questions(state: RoundState) -> list[Any]:
    """The open round's questions in questionnaire order (ids the questionnaire no longer has are
    left out)."""
    if state.round is None:
        return []
    wanted = set(state.round.question_ids)
    return [q for q in state.instrument.questions() if q.id in wanted]


def save_round_answer(session: Session, state: RoundState, question, raw: Any, base_revision: int | None,
                      user_id: int | None) -> tuple[SaveOutcome, State]:
    """`assess.service.save_answer` (validation, revision check, audit), for a question of the round.

    :param state: `load` of an assessment fetched with its row lock in this transaction.
    :raise RoundClosed: when no round is open.
    :raise NotInRound: when the question is not one of the round's.
    """
    if state.read_only:
        raise RoundClosed(state.assessment.id)
    if not state.in_round(question.id):
        raise NotInRound(question.id)
    return assess.save_answer(session, state, question, raw, base_revision, user_id)


def close_round(session: Session, assessment, user_id: int | None) -> reviews.ReviewRound:
    """Send the open round back to the provider: stamp it answered, clear its questions' review
    items (the provider reviews them again), record it. Allowed with no answer changed: the
    company may have added evidence only.

    :param assessment: fetched with its row lock, so a second "send back" waits and then finds
        no round open.
    :raise RoundClosed: when no round is open.
    """
    round_ = reviews.open_round(session, assessment.id)
    if round_ is None or assessment.status != "submitted":
        raise RoundClosed(assessment.id)
    present = reviews.items(session, assessment.id)
    for question_id in round_.question_ids:
        if question_id in present:
            reviews.set_item(session, assessment, question_id, None, user_id)
    now = utcnow()  # after the items' events: the trail reads "cleared, then answered"
    round_.answered_at, round_.answered_by_id = now, user_id
    reviews.ensure_review(session, assessment.id).returned_at = None
    reviews.record(session, assessment.id, user_id, None, {"round": round_.number, "answered": True}, at=now)
    return round_


def signed_off_review(session: Session, assessment) -> reviews.Review | None:
    """The review of a verified, signed-off assessment (read fresh), else None."""
    if assessment.status != "verified":
        return None
    review = session.get(reviews.Review, assessment.id, populate_existing=True)
    return review if review is not None and review.signed_off_at is not None else None


def check_can_respond(session: Session, assessment) -> reviews.Review:
    """The signed-off review still awaiting the company's answer.

    :raise NotSignedOff: before sign-off.
    :raise AlreadyResponded: when a response is already stored.
    """
    review = signed_off_review(session, assessment)
    if review is None:
        raise NotSignedOff(assessment.id)
    if review.response is not None:
        raise AlreadyResponded(assessment.id)
    return review


def respond(session: Session, assessment, response: str, comment: str, user_id: int | None) -> reviews.Review:
    """Store the company's confirmation or dispute of the verified report, once, and record it.

    :param assessment: fetched with its row lock, so a second response waits and is refused.
    :param comment: already checked by the form (required for a dispute, at most COMMENT_MAX).
    :raise NotSignedOff, AlreadyResponded: see `check_can_respond`.
    """
    if response not in reviews.RESPONSES:
        raise ValueError(response)
    review = check_can_respond(session, assessment)
    now = utcnow()
    review.response, review.response_comment = response, comment.strip() or None
    review.responded_at, review.responded_by_id = now, user_id
    reviews.record(session, assessment.id, user_id, None, {"response": response},
                   reason=review.response_comment, at=now)
    return review
