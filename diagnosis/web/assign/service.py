"""The assignment pages' work: the official's filtered company list, assigning one or many companies
(all or nothing), the lead's choice of diagnostician and date, and what a company page shows.

An official only ever assigns inside the parks it covers: a request naming any company outside them
assigns none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import get_timezone
from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload

from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.assessments import Assessment, ResultSnapshot
from diagnosis.store.assignments import Assignment, assign, current_assignment
from diagnosis.store.companies import Company
from diagnosis.web.access import can_assign_provider, can_plan_visit

PAGE_SIZE = 50
#: A planned visit may be recorded up to a year after it happened, and planned up to two years ahead.
VISIT_PAST = timedelta(days=365)
VISIT_AHEAD = timedelta(days=730)


class AssignmentConflict(Exception):
    """Another request changed one of the companies' assignments at the same moment."""


def scope_parks(user: User) -> list[str] | None:
    """The parks an official covers; None: the whole district (an official without regions, an admin)."""
    return list(user.regions) if user.role == "official" and user.regions else None


@dataclass(frozen=True)
class CandidateFilter:
    """The official's list filter. ``industry_codes`` comes from an industry tag; ``level`` is an
    SME level, or -1 for "no self-assessment yet"."""

    parks: Sequence[str] | None = None
    industry_codes: Sequence[str] | None = None
    industry_code: str | None = None
    park: str | None = None
    above_designated_size: bool | None = None
    level: int | None = None
    unassigned: bool = False


@dataclass(frozen=True)
class Candidate:
    company: Company
    provider_org: str | None
    sme_level: int | None


@dataclass
class CandidatePage:
    rows: list[Candidate]
    total: int
    unassigned: int
    page: int
    pages: int


def _level():
    """The SME level of the company's latest self-assessment snapshot (NULL when it has none)."""
    snapshot, assessment = aliased(ResultSnapshot), aliased(Assessment)
    latest = (select(snapshot.id).join(assessment, assessment.id == snapshot.assessment_id)
              .where(assessment.company_id == Company.id, snapshot.kind == "self")
              .order_by(snapshot.created_at.desc(), snapshot.id.desc()).limit(1)
              .correlate(Company).scalar_subquery())
    latest_self = aliased(ResultSnapshot)
    return latest_self, latest_self.id == latest, latest_self.result[("sme", "level")].as_integer()


def candidates_query(chosen: CandidateFilter, *columns) -> Select:
    """The companies matching ``chosen`` with the given columns (the level as ``sme_level``)."""
    latest_self, on_latest, level = _level()
    query = (select(*columns, level.label("sme_level")).select_from(Company)
             .outerjoin(latest_self, on_latest))
    if chosen.parks is not None:
        query = query.where(Company.park.in_(list(chosen.parks)))
    if chosen.park:
        query = query.where(Company.park == chosen.park)
    if chosen.industry_codes is not None:
        query = query.where(Company.industry_code.in_(list(chosen.industry_codes)))
    if chosen.industry_code:
        query = query.where(Company.industry_code == chosen.industry_code)
    if chosen.above_designated_size is not None:
        query = query.where(Company.above_designated_size == chosen.above_designated_size)
    if chosen.level == -1:
        query = query.where(level.is_(None))
    elif chosen.level is not None:
        query = query.where(level == chosen.level)
    if chosen.unassigned:
        query = query.where(Company.provider_org_id.is_(None))
    return query


def candidate_page(session: Session, chosen: CandidateFilter, page: int) -> CandidatePage:
    """One page of the matching companies by name, with the counts of the whole match."""
    counted = candidates_query(chosen, Company.id, Company.provider_org_id).subquery()
    total, unassigned = (int(count) for count in session.execute(select(
        func.count(), func.coalesce(func.sum(case((counted.c.provider_org_id.is_(None), 1), else_=0)), 0)
    ).select_from(counted)).one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    query = (candidates_query(chosen, Company, ProviderOrg.name)
             .outerjoin(ProviderOrg, ProviderOrg.id == Company.provider_org_id)
             .order_by(Company.name, Company.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    found: list[Any] = list(session.execute(query))
    rows = [Candidate(company, org, level) for company, org, level in found]
    return CandidatePage(rows, total, unassigned, page, pages)


def matching_ids(session: Session, chosen: CandidateFilter) -> list[int]:
    return list(session.scalars(candidates_query(chosen, Company.id).order_by(Company.id)))


def provider_orgs(session: Session) -> list[ProviderOrg]:
    return list(session.scalars(select(ProviderOrg).order_by(ProviderOrg.name)))


def companies_to_assign(session: Session, user: User,
                        company_ids: Sequence[int]) -> tuple[list[Company], int]:
    """The companies named, and how many of the ids are not the user's to assign (missing, or
    outside the official's parks: told apart from neither, so nothing leaks)."""
    wanted = set(company_ids)
    found = list(session.scalars(select(Company).where(Company.id.in_(wanted)).order_by(Company.id)))
    allowed = [company for company in found if can_assign_provider(user, company)]
    return allowed, len(wanted) - len(allowed)


def assign_all(session: Session, companies: Sequence[Company], org_id: int | None,
               user_id: int) -> tuple[int, int]:
    """Assign every company to ``org_id`` (None: unassign), in one savepoint: all or nothing.

    :return: (changed, already so)
    :raise AssignmentConflict: a concurrent request made a current assignment of one of them first
        (the partial unique index uq_assignments_current); nothing of this call is kept.
    """
    changed = 0
    try:
        with session.begin_nested():
            for company in companies:
                changed += company.provider_org_id != org_id
                assign(session, company, org_id, user_id)
    except IntegrityError as error:
        raise AssignmentConflict from error
    return changed, len(companies) - changed


def diagnosticians(session: Session, org_id: int) -> list[User]:
    """The organisation's active provider users, the ones a lead may send."""
    return list(session.scalars(select(User).where(User.role == "provider", User.provider_org_id == org_id,
                                                   User.active.is_(True)).order_by(User.name, User.id)))


def today() -> date:
    """Today where the district is (the app's timezone), not on the server's clock."""
    return datetime.now(get_timezone()).date()


def visit_window() -> tuple[date, date]:
    now = today()
    return now - VISIT_PAST, now + VISIT_AHEAD


def history(session: Session, company_id: int) -> list[tuple[Assignment, str | None]]:
    """Every assignment of the company, newest first, with the name of the user who made it."""
    return [(assignment, name) for assignment, name in session.execute(
        select(Assignment, User.name).outerjoin(User, User.id == Assignment.assigned_by_id)
        .options(selectinload(Assignment.provider_org), selectinload(Assignment.diagnostician))
        .where(Assignment.company_id == company_id)
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc()))]


@dataclass(frozen=True)
class Panel:
    """What a company page shows about its assignment: who is coming to everyone who sees the
    company; the history and the organisations to choose from to those who assign."""

    current: Assignment | None
    history: list[tuple[Assignment, str | None]]
    orgs: list[ProviderOrg]
    can_assign: bool
    can_plan: bool


def panel(session: Session, user: User, company: Company) -> Panel:
    current = current_assignment(session, company.id)
    if not can_assign_provider(user, company):
        return Panel(current, [], [], False, can_plan_visit(user, current))
    return Panel(current, history(session, company.id), provider_orgs(session), True,
                 can_plan_visit(user, current))
