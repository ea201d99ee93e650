"""Assignments: which provider organisation diagnoses a company on site, who goes and when.

An assignment is never overwritten: reassigning ends the current row (``ended_at``) and starts a new
one, so the history stays. ``Company.provider_org_id`` mirrors the current row's organisation (the
access rule reads it on every request); `assign` keeps the two in step.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from diagnosis.store.accounts import ProviderOrg, User, utcnow
from diagnosis.store.companies import Company
from diagnosis.store.db import Base


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (
        # One current assignment per company: a second concurrent `assign` fails at the database.
        Index("uq_assignments_current", "company_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("provider_orgs.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: None while current; set when the company was reassigned or unassigned.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Set by the provider organisation's lead.
    diagnostician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                         index=True)
    planned_visit: Mapped[date | None] = mapped_column(Date)

    company: Mapped[Company] = relationship()
    provider_org: Mapped[ProviderOrg] = relationship()
    diagnostician: Mapped[User | None] = relationship(foreign_keys=[diagnostician_id])


def current_assignment(session: Session, company_id: int, *, lock: bool = False) -> Assignment | None:
    query = select(Assignment).where(Assignment.company_id == company_id, Assignment.ended_at.is_(None))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def assignment_history(session: Session, company_id: int) -> list[Assignment]:
    """Every assignment of the company, newest first."""
    return list(session.scalars(select(Assignment).where(Assignment.company_id == company_id)
                                .order_by(Assignment.assigned_at.desc(), Assignment.id.desc())))


def assign(session: Session, company: Company, provider_org_id: int | None,
           user_id: int | None) -> Assignment | None:
    """Assign ``company`` to an organisation (None: unassign), ending the current assignment.

    Assigning to the organisation it already has changes nothing and returns the current row.
    """
    current = current_assignment(session, company.id, lock=True)
    if current is not None and current.provider_org_id == provider_org_id:
        return current
    now = utcnow()
    if current is not None:
        current.ended_at = now
        session.flush()
    company.provider_org_id = provider_org_id
    if provider_org_id is None:
        session.flush()
        return None
    assignment = Assignment(company_id=company.id, provider_org_id=provider_org_id, assigned_by_id=user_id,
                            assigned_at=now)
    session.add(assignment)
    session.flush()
    return assignment


def plan_visit(session: Session, assignment: Assignment, diagnostician_id: int | None,
               planned_visit: date | None) -> None:
    """The lead's choice of diagnostician and visit date (the caller checks the diagnostician's org)."""
    assignment.diagnostician_id = diagnostician_id
    assignment.planned_visit = planned_visit
    session.flush()
