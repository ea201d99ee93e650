"""Latest submitted results per company: the report's industry cohort and the batch selection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis.store.assessments import Assessment, ResultSnapshot
from diagnosis.store.companies import Company


@dataclass(frozen=True)
class PeerPoint:
    """One company's latest submitted (or verified) result."""

    company_id: int
    sme_points: float
    sme_level: int | None


@dataclass(frozen=True)
class LatestResult:
    company_id: int
    company_name: str
    park: str
    assessment_id: int
    sme_points: float
    sme_level: int | None


def latest_results(session: Session, *, industry_codes: Iterable[str] | None = None,
                   parks: Iterable[str] | None = None, company_ids: Iterable[int] | None = None,
                   as_of: datetime | None = None) -> list[LatestResult]:
    """Each matching company once, with its latest submitted or verified assessment and that
    assessment's newest snapshot (the verified one once it exists), ordered by company id.

    Every filter given narrows the set; ``parks`` is the caller's access scope for officials;
    ``as_of`` keeps only what existed at that moment (a report's cohort as of its date).
    """
    query = (select(Assessment.id, Company.id, Company.name, Company.park)
             .join(Company, Company.id == Assessment.company_id)
             .where(Assessment.status.in_(("submitted", "verified")))
             .order_by(Company.id, Assessment.submitted_at.desc(), Assessment.id.desc()))
    if industry_codes is not None:
        query = query.where(Company.industry_code.in_(list(industry_codes)))
    if parks is not None:
        query = query.where(Company.park.in_(list(parks)))
    if company_ids is not None:
        query = query.where(Company.id.in_(list(company_ids)))
    if as_of is not None:
        query = query.where(Assessment.submitted_at <= as_of)
    latest: dict[int, tuple[int, str, str]] = {}
    for assessment_id, company_id, name, park in session.execute(query):
        latest.setdefault(company_id, (assessment_id, name, park))
    results = _newest_results(session, [assessment_id for assessment_id, _, _ in latest.values()], as_of)
    return [_latest(company_id, name, park, assessment_id, results[assessment_id])
            for company_id, (assessment_id, name, park) in latest.items() if assessment_id in results]


def cohort_points(session: Session, industry_codes: Iterable[str],
                  as_of: datetime | None = None) -> list[PeerPoint]:
    """The industry cohort: every company with one of ``industry_codes`` and a submitted result
    (as of ``as_of``, so a report re-rendered later still shows the cohort of its date)."""
    return [PeerPoint(row.company_id, row.sme_points, row.sme_level)
            for row in latest_results(session, industry_codes=industry_codes, as_of=as_of)]


def _newest_results(session: Session, assessment_ids: list[int],
                    as_of: datetime | None) -> dict[int, dict]:
    if not assessment_ids:
        return {}
    query = select(ResultSnapshot.assessment_id, ResultSnapshot.result).where(
        ResultSnapshot.assessment_id.in_(assessment_ids))
    if as_of is not None:
        query = query.where(ResultSnapshot.created_at <= as_of)
    snapshots = session.execute(query.order_by(
        ResultSnapshot.assessment_id, ResultSnapshot.created_at.desc(), ResultSnapshot.id.desc()))
    newest: dict[int, dict] = {}
    for row in snapshots:
        newest.setdefault(row.assessment_id, row.result)
    return newest


def _latest(company_id: int, name: str, park: str, assessment_id: int, result: dict) -> LatestResult:
    sme = result.get("sme") or {}
    return LatestResult(company_id=company_id, company_name=name, park=park, assessment_id=assessment_id,
                        sme_points=float(sme.get("points") or 0), sme_level=sme.get("level"))
