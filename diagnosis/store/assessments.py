"""Assessments, their answers (company's and verified, side by side), the audit trail and result snapshots.

Store functions flush at most; the request (or CLI command) commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    and_,
    case,
    false,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, aliased, joinedload, mapped_column, relationship

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.store import standing
from diagnosis.store.accounts import utcnow
from diagnosis.store.db import Base

STATUSES = ("draft", "submitted", "verified")
SOURCES = ("company", "verified")
#: the key of the assessment-level audit event that records where a re-assessment's answers came from
CARRIED_FROM = "carried_from"


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    #: the questionnaire this assessment was answered under, pinned for good
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    #: bumped by every answer change; an answer records the revision that wrote it
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    company = relationship("Company")

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


class Answer(Base):
    """One answer to one question from one source; the company's and the verified answer coexist."""

    __tablename__ = "answers"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)
    #: the assessment revision that last wrote this answer: the optimistic-concurrency token
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AuditEvent(Base):
    """Who changed what, when, from which old value to which new one (and why)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: None for a change of the assessment itself (status), with old/new {"status": ...}
    question_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="company")
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)


class ResultSnapshot(Base):
    """The engine's result (docs/result-format.md) as it was at submit (self) or sign-off (verified).

    The company, the levels and two flags are copied out of the result on write (`add_snapshot`), so
    the officials' dashboard counts over indexed columns instead of reading every result:
    ``is_current`` marks the company's newest snapshot of its kind, ``is_latest`` its newest of any
    kind (the result the company acts on now: verified, or a newer self-assessment after it)."""

    __tablename__ = "result_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="self")
    result: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sme_level: Mapped[int | None] = mapped_column(Integer)
    cmmm_level: Mapped[int | None] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_latest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SnapshotRecommendation(Base):
    """The recommendations a snapshot stands for (the provider's list for a verified one), with the
    project kind each would become: the dashboard's "potential" reads these."""

    __tablename__ = "snapshot_recommendations"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("result_snapshots.id", ondelete="CASCADE"),
                                             primary_key=True)
    recommendation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_kind: Mapped[str] = mapped_column(String(32), index=True)


def get_for_company(session: Session, company_id: int, assessment_id: int, *,
                    lock: bool = False) -> Assessment | None:
    """The assessment (with its company) if it belongs to ``company_id``; None otherwise (the caller
    answers 404).

    :param lock: for a request that writes: take the assessment's row lock (PostgreSQL; SQLite
        writers hold the database's write lock) and re-read the row, before anything else is read.
    """
    query = (select(Assessment).options(joinedload(Assessment.company, innerjoin=True))
             .where(Assessment.id == assessment_id, Assessment.company_id == company_id))
    if lock:
        query = query.with_for_update(of=Assessment).execution_options(populate_existing=True)
    return session.scalar(query)


def assessments_of(session: Session, company_id: int) -> list[Assessment]:
    """A company's assessments, newest first."""
    return list(session.scalars(select(Assessment).where(Assessment.company_id == company_id)
                                .order_by(Assessment.created_at.desc(), Assessment.id.desc())))


def open_draft(session: Session, company_id: int) -> Assessment | None:
    return session.scalar(select(Assessment).where(
        Assessment.company_id == company_id, Assessment.status == "draft"))


def create_assessment(session: Session, company_id: int, questionnaire_id: str, questionnaire_version: str,
                      user_id: int | None) -> Assessment:
    """A new draft pinned to the questionnaire id and version, its creation recorded."""
    assessment = Assessment(company_id=company_id, questionnaire_id=questionnaire_id,
                            questionnaire_version=questionnaire_version, status="draft", revision=0,
                            created_at=utcnow())
    session.add(assessment)
    session.flush()
    session.add(AuditEvent(assessment_id=assessment.id, user_id=user_id, at=assessment.created_at,
                           question_id=None, source="company", old=None, new={"status": "draft"}))
    session.flush()
    return assessment


def latest_completed(session: Session, company_id: int, questionnaire_id: str) -> Assessment | None:
    """The company's newest submitted or verified assessment of ``questionnaire_id``: where a
    re-assessment starts from. Scoped by company here, so no other company's answers can be read."""
    return session.scalar(select(Assessment).where(
        Assessment.company_id == company_id, Assessment.questionnaire_id == questionnaire_id,
        Assessment.status.in_(("submitted", "verified")))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1))


def carry_answers(session: Session, assessment: Assessment, values: dict[str, Any], origin_id: int,
                  user_id: int | None) -> int:
    """Write ``values`` (copied from assessment ``origin_id``) as the company's answers, all at one
    revision, each change recorded; an assessment-level event keeps the origin and that revision.

    An answer counts as carried over while its revision is still the carried one (`carried_revision`):
    any later write or confirmation gives it a new revision. No column of its own is needed.

    :return: the carried revision.
    """
    assessment.revision += 1
    now = utcnow()
    session.add_all([Answer(assessment_id=assessment.id, question_id=qid, source="company", value=value,
                            revision=assessment.revision, updated_at=now, updated_by_id=user_id)
                     for qid, value in values.items()])
    session.add_all([AuditEvent(assessment_id=assessment.id, user_id=user_id, at=now, question_id=qid,
                                source="company", old=None, new=value) for qid, value in values.items()])
    session.add(AuditEvent(assessment_id=assessment.id, user_id=user_id, at=now, question_id=None,
                           source="company", old=None,
                           new={CARRIED_FROM: origin_id, "revision": assessment.revision,
                                "answers": len(values)}))
    session.flush()
    return assessment.revision


def carried_revision(session: Session, assessment_id: int) -> int | None:
    """The revision `carry_answers` wrote the copied answers at; None when the draft started blank."""
    events: list[Any] = list(session.scalars(select(AuditEvent.new).where(
        AuditEvent.assessment_id == assessment_id, AuditEvent.question_id.is_(None))))
    for new in events:
        if isinstance(new, dict) and CARRIED_FROM in new:
            return int(new["revision"])
    return None


def confirm_answers(session: Session, assessment: Assessment, question_ids: Iterable[str],
                    user_id: int | None) -> int:
    """The company confirms answers as they stand (carried ones stop being marked): a new
    revision for each, recorded as a change to the same value."""
    rows = session.scalars(select(Answer).where(
        Answer.assessment_id == assessment.id, Answer.source == "company",
        Answer.question_id.in_(list(question_ids)))).all()
    if not rows:
        return assessment.revision
    assessment.revision += 1
    now = utcnow()
    for row in rows:
        row.revision, row.updated_at, row.updated_by_id = assessment.revision, now, user_id
        session.add(AuditEvent(assessment_id=assessment.id, user_id=user_id, at=now,
                               question_id=row.question_id, source="company", old=row.value, new=row.value))
    session.flush()
    return assessment.revision


class StoredAnswer(NamedTuple):
    """An answer's value and the revision that wrote it (the optimistic-concurrency token)."""

    value: Any
    revision: int


def answer_rows(session: Session, assessment_id: int, source: str = "company") -> dict[str, StoredAnswer]:
    """The answers as committed now, as plain tuples.

    Plain columns, not Answer objects: a fresh SELECT never served from the identity map, so after
    `get_for_company(lock=True)` a request sees what another writer committed while it waited
    (PostgreSQL's READ COMMITTED shows it to the new statement); and a draft's 160-odd rows cost a
    fraction of loading them as objects on every autosave.
    """
    rows = session.execute(select(Answer.question_id, Answer.value, Answer.revision).where(
        Answer.assessment_id == assessment_id, Answer.source == source))
    return {row.question_id: StoredAnswer(row.value, row.revision) for row in rows}


def company_answers(session: Session, assessment_id: int) -> dict[str, Any]:
    """The company's own answers as {question id: value}."""
    return {qid: row.value for qid, row in answer_rows(session, assessment_id).items()}


def write_answer(session: Session, assessment: Assessment, question_id: str, value: Any,
                 user_id: int | None, source: str = "company", reason: str | None = None) -> int:
    """Set (or, with ``value`` None, remove) one answer, bump the revision and record the change.

    :return: the new assessment revision (also the answer's revision).
    """
    row = session.get(Answer, (assessment.id, question_id, source), populate_existing=True)
    old = row.value if row is not None else None
    assessment.revision += 1
    now = utcnow()
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Answer(assessment_id=assessment.id, question_id=question_id, source=source,
                           value=value, revision=assessment.revision, updated_at=now,
                           updated_by_id=user_id))
    else:
        row.value, row.revision, row.updated_at, row.updated_by_id = value, assessment.revision, now, user_id
    session.add(AuditEvent(assessment_id=assessment.id, user_id=user_id, at=now, question_id=question_id,
                           source=source, old=old, new=value, reason=reason))
    session.flush()
    return assessment.revision


def change_status(session: Session, assessment: Assessment, status: str, user_id: int | None) -> None:
    """Move the assessment to ``status`` (stamping submitted_at / verified_at) and record it."""
    if status not in STATUSES:
        raise ValueError(status)
    old = assessment.status
    assessment.status = status
    now = utcnow()
    if status == "submitted":
        assessment.submitted_at = now
    elif status == "verified":
        assessment.verified_at = now
    session.add(AuditEvent(assessment_id=assessment.id, user_id=user_id, at=now, question_id=None,
                           source="company" if status == "submitted" else "verified",
                           old={"status": old}, new={"status": status}))
    session.flush()


def add_snapshot(session: Session, assessment: Assessment, result: dict, kind: str = "self",
                 recommendations: Iterable[tuple[str, str]] | None = None) -> ResultSnapshot:
    """Keep ``result`` as the company's current snapshot of ``kind`` and its latest.

    :param recommendations: (recommendation id, recommendation kind) pairs the snapshot stands for;
        the result's own recommendations when None.
    """
    company_id = assessment.company_id
    session.execute(update(ResultSnapshot).where(ResultSnapshot.company_id == company_id,
                                                 ResultSnapshot.kind == kind, ResultSnapshot.is_current)
                    .values(is_current=False))
    session.execute(update(ResultSnapshot).where(ResultSnapshot.company_id == company_id,
                                                 ResultSnapshot.is_latest).values(is_latest=False))
    snapshot = ResultSnapshot(assessment_id=assessment.id, company_id=company_id, kind=kind, result=result,
                              created_at=utcnow(), **_summary(result))
    session.add(snapshot)
    session.flush()
    _add_recommendations(session, {snapshot.id: _pairs(result, recommendations)})
    standing.refresh(session, [company_id])
    return snapshot


def add_first_snapshots(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk `add_snapshot` for companies that have no snapshot yet (the demo seed): ``rows`` of
    assessment_id, company_id, kind, result, created_at; one per company."""
    if not rows:
        return
    ids = session.scalars(insert(ResultSnapshot).returning(ResultSnapshot.id, sort_by_parameter_order=True),
                          [{**row, **_summary(row["result"])} for row in rows]).all()
    _add_recommendations(session, {snapshot_id: _pairs(row["result"], None)
                                   for snapshot_id, row in zip(ids, rows, strict=True)})
    standing.refresh(session, [row["company_id"] for row in rows])


def _summary(result: dict) -> dict[str, Any]:
    return {"sme_level": (result.get("sme") or {}).get("level"),
            "cmmm_level": (result.get("cmmm") or {}).get("level"), "is_current": True, "is_latest": True}


def _pairs(result: dict, recommendations: Iterable[tuple[str, str]] | None) -> dict[str, str]:
    if recommendations is None:
        recommendations = [(rec["id"], rec["kind"]) for rec in result.get("recommendations", [])]
    return dict(recommendations)


def _add_recommendations(session: Session, by_snapshot: dict[int, dict[str, str]]) -> None:
    pipeline = catalogue()
    rows = [{"snapshot_id": snapshot_id, "recommendation_id": rec_id,
             "project_kind": pipeline.kind_for_recommendation(rec_id, rec_kind)}
            for snapshot_id, pairs in by_snapshot.items() for rec_id, rec_kind in pairs.items()
            if pipeline.becomes_project(rec_kind)]
    if rows:
        session.execute(insert(SnapshotRecommendation), rows)


def latest_snapshot(session: Session, assessment_id: int, kind: str | None = None) -> ResultSnapshot | None:
    """The newest result snapshot of the assessment (of ``kind`` when given)."""
    query = select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment_id)
    if kind is not None:
        query = query.where(ResultSnapshot.kind == kind)
    return session.scalar(query.order_by(ResultSnapshot.created_at.desc(), ResultSnapshot.id.desc()).limit(1))


def previous_snapshot(session: Session, snapshot: ResultSnapshot) -> ResultSnapshot | None:
    """The result a re-assessment is compared with: of the company's submitted or verified
    assessments created before ``snapshot``'s, the newest that has a snapshot; its verified snapshot
    when it has one, else its self-assessed one. None for a first assessment.

    Only snapshots made no later than ``snapshot`` count, so the comparison a result shows never
    changes afterwards (its report is rendered once and kept). Scoped by the snapshot's company.
    """
    current, made = aliased(Assessment), aliased(ResultSnapshot)
    earlier = or_(Assessment.created_at < current.created_at,
                  and_(Assessment.created_at == current.created_at, Assessment.id < current.id))
    query = (select(ResultSnapshot)
             .join(Assessment, Assessment.id == ResultSnapshot.assessment_id)
             .join(current, current.id == snapshot.assessment_id)
             .join(made, made.id == snapshot.id)
             .where(ResultSnapshot.company_id == snapshot.company_id,
                    Assessment.company_id == snapshot.company_id, current.company_id == snapshot.company_id,
                    Assessment.status.in_(("submitted", "verified")), earlier,
                    ResultSnapshot.created_at <= made.created_at)
             .order_by(Assessment.created_at.desc(), Assessment.id.desc(),
                       case((ResultSnapshot.kind == "verified", 0), else_=1),
                       ResultSnapshot.created_at.desc(), ResultSnapshot.id.desc())
             .limit(1))
    return session.scalar(query)
