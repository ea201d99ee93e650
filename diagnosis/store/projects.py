"""Projects (立项): what a company does about a recommendation, its monthly progress, its documents and
the official's acceptance or recognition (验收 / 认定). Only a recognised project counts as done
(diagnosis/core/pipeline_catalogue.py says which recognitions count towards which target).

``Project.status`` and ``Project.investment_to_date`` are the latest progress report's, kept on the
project on write so the dashboard aggregates one indexed table; the reports themselves are history.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from diagnosis.store import standing
from diagnosis.store.accounts import utcnow
from diagnosis.store.db import Base

STATUSES = ("planned", "in_progress", "completed", "stopped")
#: Investment in 万元 with two decimals (100 yuan); 12 digits hold a province's sums.
Money = Numeric(14, 2)


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'completed', 'stopped')", name="status"),
        CheckConstraint("planned_investment >= 0", name="planned_investment"),
        CheckConstraint("investment_to_date >= 0", name="investment_to_date"),
        CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity"),
        CheckConstraint("planned_finish_on >= start_on", name="finish_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    #: A project kind of the pipeline catalogue.
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The recommendation it was started from, if any (an id of the engine's catalogues).
    recommendation_id: Mapped[str | None] = mapped_column(String(64))
    #: The implementing provider (改造服务商), which need not be the diagnosing one.
    provider_org_id: Mapped[int | None] = mapped_column(ForeignKey("provider_orgs.id"), index=True)
    planned_investment: Mapped[Decimal] = mapped_column(Money)
    #: How many (robots); None for kinds without a count.
    quantity: Mapped[int | None] = mapped_column(Integer)
    start_on: Mapped[date] = mapped_column(Date)
    planned_finish_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    investment_to_date: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: Raised by every change, for the revision check of two people editing one project.
    revision: Mapped[int] = mapped_column(Integer, default=0)

    progress: Mapped[list[ProjectProgress]] = relationship(
        order_by="ProjectProgress.id", cascade="all, delete-orphan", passive_deletes=True)
    recognitions: Mapped[list[ProjectRecognition]] = relationship(
        order_by="ProjectRecognition.id", cascade="all, delete-orphan", passive_deletes=True)


class ProjectProgress(Base):
    """One monthly report: the status and investment to date as of ``month`` (its first day)."""

    __tablename__ = "project_progress"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'completed', 'stopped')", name="status"),
        CheckConstraint("investment_to_date >= 0", name="investment_to_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    investment_to_date: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectRecognition(Base):
    """The official's acceptance or recognition of a project: a recognition id of the catalogue and the
    date on its document."""

    __tablename__ = "project_recognitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    #: Denormalised from the project so the dashboard counts without a join.
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recognised_on: Mapped[date] = mapped_column(Date, index=True)
    #: 文号 or other reference of the document.
    reference: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectDocument(Base):
    """A file attached to a project, to one of its progress reports or to its recognition; checked and
    stored like review evidence (diagnosis/evidence.py), once per content hash."""

    __tablename__ = "project_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    progress_id: Mapped[int | None] = mapped_column(ForeignKey("project_progress.id", ondelete="CASCADE"))
    recognition_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_recognitions.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def month_start(day: date) -> date:
    return day.replace(day=1)


def projects_of(session: Session, company_id: int) -> list[Project]:
    return list(session.scalars(select(Project).where(Project.company_id == company_id)
                                .order_by(Project.created_at.desc(), Project.id.desc())))


def add_project(session: Session, company_id: int, user_id: int | None, **fields: object) -> Project:
    """A new project (status planned, nothing invested yet)."""
    project = Project(company_id=company_id, created_by_id=user_id, created_at=utcnow(), status="planned",
                      investment_to_date=Decimal(0), revision=0, **fields)
    session.add(project)
    session.flush()
    standing.refresh(session, [company_id])
    return project


def report_progress(session: Session, project: Project, user_id: int | None, *, month: date, status: str,
                    investment_to_date: Decimal, note: str) -> ProjectProgress:
    """Record a monthly report and make it the project's current status and investment (the caller
    holds the project's row lock and checked its revision)."""
    report = ProjectProgress(project_id=project.id, month=month_start(month), status=status,
                             investment_to_date=investment_to_date, note=note, user_id=user_id, at=utcnow())
    session.add(report)
    stops_or_resumes = (status == "stopped") != (project.status == "stopped")
    project.status, project.investment_to_date = status, investment_to_date
    project.revision += 1
    session.flush()
    if stops_or_resumes:
        standing.refresh(session, [project.company_id])
    return report


def recognise(session: Session, project: Project, user_id: int | None, *, kind: str, recognised_on: date,
              reference: str) -> ProjectRecognition:
    recognition = ProjectRecognition(project_id=project.id, company_id=project.company_id, kind=kind,
                                     recognised_on=recognised_on, reference=reference,
                                     recorded_by_id=user_id, recorded_at=utcnow())
    session.add(recognition)
    project.revision += 1
    session.flush()
    return recognition
