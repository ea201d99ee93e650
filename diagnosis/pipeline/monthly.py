"""The month's figures that the 调度表's summary sheet and the 月度通报 both show, read once through
diagnosis/pipeline/figures.py, so both agree with the dashboard for the same filters and month.

Per target: the year's goal (diagnosis/store/targets.py), new in the month, cumulative to the month's
end, completion rate, and the year's in progress / planned / potential stages. Coverage and level
distributions are the current ones (they have no month). The companies recognised in the month are
ranked by how many recognitions they received in it, then by the investment of those projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from diagnosis.core.pipeline_catalogue import catalogue, text
from diagnosis.pipeline.figures import (
    Filters,
    company_counts,
    coverage_of,
    dashboard_targets,
    levels_of,
    month_end,
    scoped,
)
from diagnosis.store.companies import Company
from diagnosis.store.projects import Project, ProjectRecognition
from diagnosis.store.targets import year_targets

RECOGNISED_LIMIT = 10


@dataclass(frozen=True)
class TargetRow:
    target_id: str
    title: str
    unit: str
    goal: float
    new: float
    cumulative: float
    #: cumulative / goal; None when the goal is 0.
    rate: float | None
    in_progress: float
    planned: float
    potential: float


@dataclass(frozen=True)
class RecognisedCompany:
    name: str
    park: str
    recognitions: tuple[str, ...]
    investment: float


@dataclass(frozen=True)
class MonthlyFigures:
    filters: Filters
    month: int
    targets: list[TargetRow]
    coverage: dict[str, int]
    #: {"sme": {"self": {"0": n, ...}, "verified": {...}}, "cmmm": {...}}
    levels: dict[str, dict[str, dict[str, int]]]
    recognised: list[RecognisedCompany]

    @property
    def month_first(self) -> date:
        return date(self.filters.year, self.month, 1)

    @property
    def month_last(self) -> date:
        return month_end(self.filters.year, self.month)


def default_month(year: int, today: date) -> int:
    """The month a 调度表 or 通报 is for when none is chosen: this month in the current year, December
    (the closing figures) in another."""
    return today.month if year == today.year else 12


def monthly_figures(session: Session, filters: Filters, lang: str) -> MonthlyFigures:
    """The figures of ``filters.month`` (which must be set) of ``filters.year``."""
    if filters.month is None:
        raise ValueError("monthly figures need a month")
    month = filters.month
    goals = {target_id: row.value for target_id, row in year_targets(session, filters.year).items()}
    counts = company_counts(session, filters).total()
    rows = []
    for figures in dashboard_targets(session, filters, goals, counts):
        new, cumulative = figures.months[month]
        target = figures.target
        rows.append(TargetRow(target.id, text(target.title, lang), text(target.unit, lang), figures.goal,
                              new, cumulative, figures.rate(cumulative), figures.stages["in_progress"],
                              figures.stages["planned"], figures.stages["potential"]))
    return MonthlyFigures(filters, month, rows, coverage_of(counts), levels_of(counts),
                          recognised_in_month(session, filters, month, lang))


def recognised_in_month(session: Session, filters: Filters, month: int, lang: str,
                        limit: int = RECOGNISED_LIMIT) -> list[RecognisedCompany]:
    first, last = date(filters.year, month, 1), month_end(filters.year, month)
    in_month = ProjectRecognition.recognised_on.between(first, last)
    mine = ProjectRecognition.company_id == Company.id
    count = select(func.count()).where(mine, in_month).correlate(Company).scalar_subquery()
    recognised_project = exists().where(ProjectRecognition.project_id == Project.id, in_month)
    investment = (select(func.coalesce(func.sum(Project.investment_to_date), 0))
                  .where(Project.company_id == Company.id, recognised_project)
                  .correlate(Company).scalar_subquery())
    ranked: list[Any] = list(session.execute(scoped(
        select(Company.id, Company.name, Company.park, count, investment)
        .where(exists().where(mine, in_month))
        .order_by(count.desc(), investment.desc(), Company.name, Company.id).limit(limit), filters)))
    kinds: dict[int, list[str]] = {}
    titles = catalogue().recognitions
    for company_id, kind in session.execute(
            select(ProjectRecognition.company_id, ProjectRecognition.kind)
            .where(in_month, ProjectRecognition.company_id.in_([row[0] for row in ranked]))
            .order_by(ProjectRecognition.recognised_on, ProjectRecognition.id)):
        kinds.setdefault(company_id, []).append(text(titles[kind].title, lang) if kind in titles else kind)
    return [RecognisedCompany(name, park, tuple(kinds.get(company_id, ())), float(invested))
            for company_id, name, park, _, invested in ranked]
