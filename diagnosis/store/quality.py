"""Provider quality, computed from the review data: per provider organisation and per diagnostician.

A signed-off review counts for the organisation of the diagnostician who signed it off (the
organisation assigned at sign-off when that user is gone) and for that diagnostician. The figures:

- signed off: assessments with ``Review.signed_off_at``;
- days to sign-off: from the start of the organisation's latest assignment of the company that began
  before the sign-off, to the sign-off; the median over the organisation's (or diagnostician's)
  assessments;
- adjusted share: review items "adjusted" / all review items of those assessments;
- points change: mean of verified − self-assessed SME points (the newest snapshot of each kind);
- evidence per adjusted answer: evidence files still attached / adjusted items;
- disputes: reviews the company disputed, and their share of the signed-off ones.

Counts and means are summed in SQL per (organisation, diagnostician); the medians are taken in
Python over one row per signed-off assessment (two queries in all, whatever the number of reviews).
An official sees only the companies of the parks they cover (``parks``; None: every park).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.assessments import Assessment, ResultSnapshot
from diagnosis.store.assignments import Assignment
from diagnosis.store.companies import Company
from diagnosis.store.reviews import Evidence, Review, ReviewItem

SECONDS_PER_DAY = 86400


@dataclass
class Figures:
    """The quality figures of one organisation or one diagnostician; None where nothing to measure."""

    signed_off: int = 0
    items: int = 0
    adjusted: int = 0
    evidence: int = 0
    disputed: int = 0
    points_change_sum: float = 0.0
    points_change_count: int = 0
    days: list[float] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        self.signed_off += other.signed_off
        self.items += other.items
        self.adjusted += other.adjusted
        self.evidence += other.evidence
        self.disputed += other.disputed
        self.points_change_sum += other.points_change_sum
        self.points_change_count += other.points_change_count
        self.days.extend(other.days)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def adjusted_share(self) -> float | None:
        return self.adjusted / self.items if self.items else None

    @property
    def mean_points_change(self) -> float | None:
        return self.points_change_sum / self.points_change_count if self.points_change_count else None

    @property
    def evidence_per_adjusted(self) -> float | None:
        return self.evidence / self.adjusted if self.adjusted else None

    @property
    def disputed_share(self) -> float | None:
        return self.disputed / self.signed_off if self.signed_off else None


@dataclass
class DiagnosticianQuality:
    user_id: int | None
    name: str | None
    figures: Figures


@dataclass
class OrgQuality:
    org_id: int
    name: str
    #: Companies in scope currently assigned to the organisation.
    assigned: int
    figures: Figures = field(default_factory=Figures)
    diagnosticians: list[DiagnosticianQuality] = field(default_factory=list)


def provider_quality(session: Session, parks: Sequence[str] | None = None) -> list[OrgQuality]:
    """Every organisation with a company assigned or a review signed off in scope, by name; each
    with its diagnosticians (most sign-offs first)."""
    signed = _signed_off(parks)
    per_person = _per_person(session, signed)
    _add_days(session, signed, per_person)
    assigned = _assigned_counts(session, parks)
    org_ids = set(assigned) | {org_id for org_id, _user in per_person}
    if not org_ids:
        return []
    names = dict(session.execute(select(ProviderOrg.id, ProviderOrg.name)
                                 .where(ProviderOrg.id.in_(org_ids))).all())
    user_ids = {user_id for _org, user_id in per_person if user_id is not None}
    people: dict[int | None, str] = dict(
        session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
    orgs = {org_id: OrgQuality(org_id, names.get(org_id, ""), assigned.get(org_id, 0)) for org_id in org_ids}
    for (org_id, user_id), figures in per_person.items():
        org = orgs[org_id]
        org.figures.add(figures)
        org.diagnosticians.append(DiagnosticianQuality(user_id, people.get(user_id), figures))
    for org in orgs.values():
        org.diagnosticians.sort(key=lambda d: (-d.figures.signed_off, d.name or "", d.user_id or 0))
    return sorted(orgs.values(), key=lambda org: (org.name, org.org_id))


def _snapshot_points(assessment_id, kind: str):
    """The SME points of the assessment's newest snapshot of ``kind``, as a correlated subquery."""
    return (select(ResultSnapshot.result[("sme", "points")].as_float())
            .where(ResultSnapshot.assessment_id == assessment_id, ResultSnapshot.kind == kind)
            .order_by(ResultSnapshot.created_at.desc(), ResultSnapshot.id.desc())
            .limit(1).correlate_except(ResultSnapshot).scalar_subquery())


def _signed_off(parks: Sequence[str] | None) -> Subquery:
    """One row per signed-off review in scope: its organisation, signer, times, dispute, points."""
    signer = User.__table__.alias("signer")
    current_org = (select(Assignment.provider_org_id)
                   .where(Assignment.company_id == Assessment.company_id,
                          Assignment.assigned_at <= Review.signed_off_at,
                          or_(Assignment.ended_at.is_(None), Assignment.ended_at > Review.signed_off_at))
                   .order_by(Assignment.assigned_at.desc()).limit(1)
                   .correlate_except(Assignment).scalar_subquery())
    org_id = func.coalesce(signer.c.provider_org_id, current_org)
    assigned_at = (select(func.max(Assignment.assigned_at))
                   .where(Assignment.company_id == Assessment.company_id,
                          Assignment.provider_org_id == org_id,
                          Assignment.assigned_at <= Review.signed_off_at)
                   .correlate_except(Assignment).scalar_subquery())
    query = (select(Review.assessment_id.label("assessment_id"), org_id.label("org_id"),
                    Review.signed_off_by_id.label("user_id"), Review.signed_off_at.label("signed_off_at"),
                    assigned_at.label("assigned_at"),
                    case((Review.response == "disputed", 1), else_=0).label("disputed"),
                    (_snapshot_points(Review.assessment_id, "verified")
                     - _snapshot_points(Review.assessment_id, "self")).label("points_change"))
             .join(Assessment, Assessment.id == Review.assessment_id)
             .join(Company, Company.id == Assessment.company_id)
             .outerjoin(signer, signer.c.id == Review.signed_off_by_id)
             .where(Review.signed_off_at.is_not(None)))
    if parks is not None:
        query = query.where(Company.park.in_(list(parks)))
    return query.subquery("signed")


def _per_person(session: Session, signed: Subquery) -> dict[tuple[int, int | None], Figures]:
    """Counts and sums per (organisation, diagnostician), in one grouped query."""
    item_counts = (select(ReviewItem.assessment_id, func.count().label("item_count"),
                    func.sum(case((ReviewItem.state == "adjusted", 1), else_=0)).label("adjusted"))
             .group_by(ReviewItem.assessment_id).subquery("item_counts"))
    evidence = (select(Evidence.assessment_id, func.count().label("files"))
                .where(Evidence.removed_at.is_(None))
                .group_by(Evidence.assessment_id).subquery("evidence_counts"))
    rows = session.execute(
        select(signed.c.org_id, signed.c.user_id, func.count().label("signed_off"),
               func.sum(signed.c.disputed).label("disputed"),
               func.coalesce(func.sum(item_counts.c.item_count), 0).label("items"),
               func.coalesce(func.sum(item_counts.c.adjusted), 0).label("adjusted"),
               func.coalesce(func.sum(evidence.c.files), 0).label("files"),
               func.coalesce(func.sum(signed.c.points_change), 0.0).label("change"),
               func.count(signed.c.points_change).label("changes"))
        .outerjoin(item_counts, item_counts.c.assessment_id == signed.c.assessment_id)
        .outerjoin(evidence, evidence.c.assessment_id == signed.c.assessment_id)
        .where(signed.c.org_id.is_not(None))
        .group_by(signed.c.org_id, signed.c.user_id))
    return {(row.org_id, row.user_id): Figures(
        signed_off=row.signed_off, disputed=int(row.disputed), items=int(row.items),
        adjusted=int(row.adjusted), evidence=int(row.files), points_change_sum=float(row.change),
        points_change_count=row.changes) for row in rows}


def _add_days(session: Session, signed: Subquery,
              per_person: dict[tuple[int, int | None], Figures]) -> None:
    """Each signed-off assessment's days from assignment to sign-off, onto its diagnostician."""
    rows = session.execute(select(signed.c.org_id, signed.c.user_id, signed.c.assigned_at,
                                  signed.c.signed_off_at)
                           .where(signed.c.org_id.is_not(None), signed.c.assigned_at.is_not(None)))
    for row in rows:
        seconds = (_aware(row.signed_off_at) - _aware(row.assigned_at)).total_seconds()
        per_person[(row.org_id, row.user_id)].days.append(seconds / SECONDS_PER_DAY)


def _assigned_counts(session: Session, parks: Sequence[str] | None) -> dict[int, int]:
    """Companies in scope per organisation they are assigned to now."""
    query = (select(Assignment.provider_org_id, func.count())
             .where(Assignment.ended_at.is_(None)).group_by(Assignment.provider_org_id))
    if parks is not None:
        query = query.join(Company, Company.id == Assignment.company_id).where(Company.park.in_(list(parks)))
    return dict(session.execute(query).all())


def _aware(moment: datetime) -> datetime:
    """SQLite keeps no offset; every time stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment

