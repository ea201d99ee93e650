"""The on-site review of a submitted assessment: one state per question, rounds back to the company,
findings, evidence files and the provider's edits of the recommendations.

Nothing is overwritten (design.md invariant 3): a review item keeps its latest state, and every
change is also an `AuditEvent` with source "review" (old and new item, the reason); findings and
evidence are removed by stamping ``removed_at``; recommendation edits are appended, the latest per
recommendation wins. Store functions flush at most; the request commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from diagnosis.store.accounts import utcnow
from diagnosis.store.assessments import Assessment, AuditEvent, answer_rows
from diagnosis.store.db import Base

#: 已确认 / 已调整 / 需补充材料 / 不适用
ITEM_STATES = ("accepted", "adjusted", "needs_evidence", "not_applicable")
#: 提示 / 一般 / 严重
SEVERITIES = ("info", "minor", "major")
RESPONSES = ("confirmed", "disputed")
EDIT_ACTIONS = ("keep", "dismiss", "change", "add")


class Review(Base):
    """The review of one assessment: its round with the company, sign-off and the company's answer."""

    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("response IN ('confirmed', 'disputed')", name="response"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"),
                                               primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Set while questions are back with the company for evidence (the open round).
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    response: Mapped[str | None] = mapped_column(String(16))
    response_comment: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReviewItem(Base):
    """The review state of one question. No row: not yet reviewed."""

    __tablename__ = "review_items"
    __table_args__ = (CheckConstraint(
        "state IN ('accepted', 'adjusted', 'needs_evidence', 'not_applicable')", name="state"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"),
                                               primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    #: One of the review-reasons catalogue's codes (adjusted), with the reviewer's own words.
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason_text: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The assessment revision that wrote this state: the optimistic-concurrency token.
    revision: Mapped[int] = mapped_column(Integer, default=0)


class ReviewRound(Base):
    """Questions sent back to the company for evidence, and when the company answered them."""

    __tablename__ = "review_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Finding(Base):
    """A diagnostician's observation about one section, shown in the verified report."""

    __tablename__ = "findings"
    __table_args__ = (CheckConstraint("severity IN ('info', 'minor', 'major')", name="severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Evidence(Base):
    """A file attached to one question: stored once by content hash, named as uploaded."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    #: "verified" (the provider's, on site) or "company" (sent in a round)
    source: Mapped[str] = mapped_column(String(16))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RecommendationEdit(Base):
    """One decision of the provider about one recommendation; the latest per ``key`` holds.

    ``key`` is the engine's recommendation id, or "own:<n>" / a catalogue id for one the provider
    added. ``priority`` and ``phase`` are set by "change" and "add"."""

    __tablename__ = "recommendation_edits"
    __table_args__ = (CheckConstraint("action IN ('keep', 'dismiss', 'change', 'add')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    priority: Mapped[float | None] = mapped_column()
    phase: Mapped[str | None] = mapped_column(String(16))
    #: For one the provider wrote: its title and description.
    title: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def get_review(session: Session, assessment_id: int) -> Review | None:
    return session.get(Review, assessment_id)


def ensure_review(session: Session, assessment_id: int) -> Review:
    review = session.get(Review, assessment_id)
    if review is None:
        review = Review(assessment_id=assessment_id, started_at=utcnow())
        session.add(review)
        session.flush()
    return review


def items(session: Session, assessment_id: int) -> dict[str, ReviewItem]:
    """The review state of every reviewed question, fresh from the database."""
    return {item.question_id: item for item in session.scalars(
        select(ReviewItem).where(ReviewItem.assessment_id == assessment_id)
        .execution_options(populate_existing=True))}


def item_dict(item: ReviewItem | None) -> dict[str, Any] | None:
    """The item as the audit trail keeps it."""
    if item is None:
        return None
    return {"state": item.state, "reason_code": item.reason_code, "reason_text": item.reason_text}


def set_item(session: Session, assessment, question_id: str, state: str | None, user_id: int | None,
             reason_code: str | None = None, reason_text: str | None = None) -> int:
    """Set (state None: clear) one question's review state, bump the revision, record the change.

    :return: the new assessment revision (also the item's revision).
    """
    if state is not None and state not in ITEM_STATES:
        raise ValueError(state)
    item = session.get(ReviewItem, (assessment.id, question_id), populate_existing=True)
    old = item_dict(item)
    assessment.revision += 1
    now = utcnow()
    if state is None:
        if item is not None:
            session.delete(item)
    else:
        if item is None:
            item = ReviewItem(assessment_id=assessment.id, question_id=question_id)
            session.add(item)
        item.state, item.reason_code, item.reason_text = state, reason_code, reason_text
        item.reviewer_id, item.updated_at, item.revision = user_id, now, assessment.revision
    new = {"state": state, "reason_code": reason_code, "reason_text": reason_text} if state else None
    record(session, assessment.id, user_id, old, new, question_id=question_id, reason=reason_text, at=now)
    return assessment.revision


def record(session: Session, assessment_id: int, user_id: int | None, old: Any, new: Any, *,
           question_id: str | None = None, reason: str | None = None, at: datetime | None = None) -> None:
    """One review action in the audit trail (source "review")."""
    session.add(AuditEvent(assessment_id=assessment_id, user_id=user_id, at=at or utcnow(),
                           question_id=question_id, source="review", old=old, new=new, reason=reason))
    session.flush()


def question_history(session: Session, assessment_id: int, question_id: str) -> list[AuditEvent]:
    """Every change to one question (answers of both sources and review states), oldest first."""
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.assessment_id == assessment_id, AuditEvent.question_id == question_id)
        .order_by(AuditEvent.at, AuditEvent.id)))


def verified_answers(session: Session, assessment_id: int) -> dict[str, Any]:
    """The answers the verified result is scored from: the company's answer unless the reviewer
    adjusted it (the verified answer) or marked the question not applicable (no answer).

    The one place this rule lives: the review page's live score, sign-off and the verified report.
    """
    answers = {qid: row.value for qid, row in answer_rows(session, assessment_id, "company").items()}
    answers.update({qid: row.value for qid, row in answer_rows(session, assessment_id, "verified").items()})
    for question_id, item in items(session, assessment_id).items():
        if item.state == "not_applicable":
            answers.pop(question_id, None)
    return answers


def open_round(session: Session, assessment_id: int) -> ReviewRound | None:
    """The round the company has not answered yet, if any."""
    return session.scalar(select(ReviewRound).where(ReviewRound.assessment_id == assessment_id,
                                                    ReviewRound.answered_at.is_(None))
                          .order_by(ReviewRound.number.desc()).limit(1))


def rounds(session: Session, assessment_id: int) -> list[ReviewRound]:
    return list(session.scalars(select(ReviewRound).where(ReviewRound.assessment_id == assessment_id)
                                .order_by(ReviewRound.number)))


def findings(session: Session, assessment_id: int) -> list[Finding]:
    """The findings still standing, in the order they were written."""
    return list(session.scalars(select(Finding).where(Finding.assessment_id == assessment_id,
                                                      Finding.removed_at.is_(None))
                                .order_by(Finding.created_at, Finding.id)))


def evidence_for(session: Session, assessment_id: int, question_id: str | None = None) -> list[Evidence]:
    """The files still attached (to one question when given), oldest first."""
    query = select(Evidence).where(Evidence.assessment_id == assessment_id, Evidence.removed_at.is_(None))
    if question_id is not None:
        query = query.where(Evidence.question_id == question_id)
    return list(session.scalars(query.order_by(Evidence.uploaded_at, Evidence.id)))


def recommendation_edits(session: Session, assessment_id: int) -> dict[str, RecommendationEdit]:
    """The latest edit per recommendation key."""
    latest: dict[str, RecommendationEdit] = {}
    query = select(RecommendationEdit).where(RecommendationEdit.assessment_id == assessment_id)
    for edit in session.scalars(query.order_by(RecommendationEdit.at, RecommendationEdit.id)):
        latest[edit.key] = edit
    return latest


def assessment_under_review(session: Session, company_id: int) -> Assessment | None:
    """The company's newest submitted or verified assessment: the one a provider reviews."""
    return session.scalar(select(Assessment).where(Assessment.company_id == company_id,
                                                   Assessment.status.in_(("submitted", "verified")))
                          .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1))
