"""Where each company stands in the on-site review, derived in SQL from what is stored (never typed in).

One query answers a whole page: the provider's work list, the officials' dashboard and the quality
figures read the same derivation, so their states agree.

The assessment a state is about is the one a provider reviews (`reviews.assessment_under_review`):
the company's newest submitted or verified assessment. The states, first match wins:

==========================  ===================================================================
awaiting_self_assessment    no submitted or verified assessment
confirmed / disputed        the company answered the signed-off review (``Review.response``)
signed_off                  the assessment is verified
returned                    questions are back with the company for evidence (``Review.returned_at``)
in_progress                 at least one question reviewed (n of m, see below)
visit_planned               the current assignment has a planned visit, nothing reviewed yet
in_progress                 a Review row exists with nothing reviewed (every item was cleared)
self_assessed               submitted, no review started, no visit planned
==========================  ===================================================================

Review progress "n of m": n is the number of `ReviewItem` rows of the assessment (questions with a
review state of any kind), m the number of the company's own `Answer` rows (source "company"). A
question the provider answered for the company counts in n but not in m, so n may exceed m.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, Subquery, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from diagnosis.store.assessments import Answer, Assessment
from diagnosis.store.assignments import Assignment
from diagnosis.store.companies import Company
from diagnosis.store.reviews import Review, ReviewItem

STATES = ("awaiting_self_assessment", "self_assessed", "visit_planned", "in_progress", "returned",
          "signed_off", "confirmed", "disputed")
REVIEWABLE = ("submitted", "verified")


@dataclass(frozen=True)
class WorkScope:
    """Which companies. Every field given narrows the set; none at all means every company (the
    caller scopes it to what the user may see).

    :param org_id: companies currently assigned to this provider organisation
    :param company_ids: these companies, assigned or not
    :param parks: an official's parks
    :param park: one park (a filter)
    :param search: part of the company name or credit code
    :param diagnostician_id: the current assignment names this diagnostician
    """

    org_id: int | None = None
    company_ids: Collection[int] | None = None
    parks: Collection[str] | None = None
    park: str | None = None
    search: str | None = None
    diagnostician_id: int | None = None


@dataclass(frozen=True)
class WorkRow:
    company: Company
    #: the current assignment (its provider organisation and diagnostician loaded), None if unassigned
    assignment: Assignment | None
    #: the assessment under review, None while awaiting the self-assessment
    assessment_id: int | None
    state: str
    reviewed: int
    total: int

    @property
    def next_visit(self) -> date | None:
        return self.assignment.planned_visit if self.assignment is not None else None


def derived(scope: WorkScope) -> Subquery:
    """Per company in scope: company_id, assignment_id, planned_visit, assessment_id, state (one
    of STATES). `progress` gives the n and m of an assessment id column."""
    base = _narrow(_facts(scope.org_id is not None), scope).subquery("facts")
    state = case(
        (base.c.assessment_id.is_(None), "awaiting_self_assessment"),
        (base.c.response == "confirmed", "confirmed"),
        (base.c.response == "disputed", "disputed"),
        (base.c.status == "verified", "signed_off"),
        (base.c.returned_at.is_not(None), "returned"),
        (base.c.any_reviewed, "in_progress"),
        (base.c.planned_visit.is_not(None), "visit_planned"),
        (base.c.review_id.is_not(None), "in_progress"),
        else_="self_assessed",
    )
    return select(base.c.company_id, base.c.assignment_id, base.c.planned_visit, base.c.assessment_id,
                  state.label("state")).subquery("work")


def progress(assessment_id: Any) -> tuple[Any, Any]:
    """(n reviewed, m company answers) of the assessment in the column ``assessment_id``, as scalar
    subqueries (0 when the column is NULL)."""
    reviewed = select(func.count()).select_from(ReviewItem).where(ReviewItem.assessment_id == assessment_id)
    total = select(func.count()).select_from(Answer).where(Answer.assessment_id == assessment_id,
                                                           Answer.source == "company")
    return reviewed.scalar_subquery(), total.scalar_subquery()


def _facts(assigned_only: bool) -> Select:
    """The stored facts the state is derived from, one row per company."""
    newest = aliased(Assessment)
    under_review = (select(newest.id).where(newest.company_id == Company.id, newest.status.in_(REVIEWABLE))
                    .order_by(newest.created_at.desc(), newest.id.desc()).limit(1)
                    .correlate(Company).scalar_subquery())
    assessment = aliased(Assessment)
    any_reviewed = select(ReviewItem.question_id).where(ReviewItem.assessment_id == assessment.id).exists()
    current = and_(Assignment.company_id == Company.id, Assignment.ended_at.is_(None))
    return (select(Company.id.label("company_id"), Assignment.id.label("assignment_id"),
                   Assignment.planned_visit, assessment.id.label("assessment_id"), assessment.status,
                   Review.assessment_id.label("review_id"), Review.returned_at, Review.response,
                   any_reviewed.correlate(assessment).label("any_reviewed"))
            .select_from(Company)
            .join(Assignment, current, isouter=not assigned_only)
            .outerjoin(assessment, assessment.id == under_review)
            .outerjoin(Review, Review.assessment_id == assessment.id))


def _narrow(query: Select, scope: WorkScope) -> Select:
    if scope.org_id is not None:
        query = query.where(Assignment.provider_org_id == scope.org_id)
    if scope.company_ids is not None:
        query = query.where(Company.id.in_(list(scope.company_ids)))
    if scope.parks is not None:
        query = query.where(Company.park.in_(list(scope.parks)))
    if scope.park:
        query = query.where(Company.park == scope.park)
    if scope.diagnostician_id is not None:
        query = query.where(Assignment.diagnostician_id == scope.diagnostician_id)
    if scope.search:
        query = query.where(or_(Company.name.icontains(scope.search, autoescape=True),
                                Company.credit_code.icontains(scope.search, autoescape=True)))
    return query


def work_rows(session: Session, scope: WorkScope, *, state: str | None = None, limit: int | None = None,
              offset: int = 0) -> list[WorkRow]:
    """The companies in scope (of one state when given), by next visit (none planned last), then name.

    Three queries whatever the number of rows: the page (n and m counted for its rows only), then
    the assignments' organisations and diagnosticians.
    """
    work = derived(scope)
    order = (work.c.planned_visit.is_(None), work.c.planned_visit, Company.name, Company.id)
    chosen = select(work, Company.name).join(Company, Company.id == work.c.company_id)
    if state is not None:
        chosen = chosen.where(work.c.state == state)
    page = chosen.order_by(*order).offset(offset).limit(limit).subquery("page")
    reviewed, total = progress(page.c.assessment_id)
    query = (select(Company, Assignment, page.c.assessment_id, page.c.state, reviewed, total)
             .join(page, page.c.company_id == Company.id)
             .outerjoin(Assignment, Assignment.id == page.c.assignment_id)
             .options(selectinload(Assignment.provider_org), selectinload(Assignment.diagnostician))
             .order_by(page.c.planned_visit.is_(None), page.c.planned_visit, page.c.name, Company.id))
    rows: list[Any] = list(session.execute(query))
    return [WorkRow(company, assignment, assessment_id, row_state, reviewed_n, total_m)
            for company, assignment, assessment_id, row_state, reviewed_n, total_m in rows]


def state_counts(session: Session, scope: WorkScope) -> dict[str, int]:
    """How many companies in scope are in each state (every state present, zeros included)."""
    work = derived(scope)
    counts = dict.fromkeys(STATES, 0)
    rows: list[Any] = list(session.execute(select(work.c.state, func.count()).group_by(work.c.state)))
    counts.update({state: count for state, count in rows})
    return counts
