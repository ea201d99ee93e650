"""Every number of the officials' dashboard, 调度表 and 通报, and the list behind each one.

One rule per number: each figure is an aggregate over a SELECT that `members` returns as it is, so a
number and the list of companies or projects it opens always agree (tests/pipeline hold every cell to
its list). Everything is aggregated in SQL over one table at a time where it can: the companies carry
their standing (current levels, recommended and started project kinds: diagnosis/store/standing.py),
projects their current status.

A cell is named by a `Cell`: (group, key, stage), e.g. ("coverage", "verified", ""),
("sme", "verified", "2"), ("target", "robots", "done"), ("month", "robots", "2026-03").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from diagnosis.core.pipeline_catalogue import TargetKind, catalogue
from diagnosis.store.companies import Company
from diagnosis.store.projects import Project, ProjectRecognition
from diagnosis.store.standing import holds_kind, level_column

COVERAGE = ("roster", "registered", "self_assessed", "verified")
LEVEL_KINDS = ("self", "verified")
SME_LEVELS = ("0", "1", "2", "3", "4")
CMMM_LEVELS = ("0", "1", "2", "3", "4", "5")
STAGES = ("done", "in_progress", "planned", "potential")


@dataclass(frozen=True)
class Filters:
    """What the official looks at: a year (and a month for the monthly figures), within their parks."""

    year: int
    #: The parks the official covers; None: the whole district.
    parks: tuple[str, ...] | None = None
    park: str | None = None
    #: The industry codes of the chosen industry tag (resolved by the caller from the industry table).
    industry_codes: tuple[str, ...] | None = None
    provider_org_id: int | None = None
    month: int | None = None

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)


class Cell(NamedTuple):
    group: str
    key: str
    stage: str = ""

    @classmethod
    def parse(cls, text: str) -> Cell | None:
        """``group:key:stage`` from a URL, or None when it names no cell."""
        parts = text.split(":")
        if len(parts) != 3:
            return None
        cell = cls(*parts)
        return cell if is_cell(cell) else None

    def __str__(self) -> str:
        return ":".join(self)


def is_cell(cell: Cell) -> bool:
    targets = catalogue().targets
    if cell.group == "coverage":
        return cell.key in COVERAGE and cell.stage == ""
    if cell.group in ("sme", "cmmm"):
        return cell.key in LEVEL_KINDS and cell.stage in (SME_LEVELS if cell.group == "sme" else CMMM_LEVELS)
    if cell.group == "target":
        return cell.key in targets and cell.stage in STAGES
    if cell.group in ("month", "cumulative"):
        return cell.key in targets and _month(cell.stage) is not None
    return False


def _month(text: str) -> int | None:
    """The month number of ``YYYY-MM`` (the year is the filters')."""
    try:
        return int(text.split("-")[1]) if len(text) == 7 and 1 <= int(text.split("-")[1]) <= 12 else None
    except (IndexError, ValueError):
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# -- companies in scope ------------------------------------------------------------------------------

def scoped(query: Select, filters: Filters) -> Select:
    """``query`` (which selects from Company) narrowed to the official's parks and the filters."""
    if filters.parks is not None:
        query = query.where(Company.park.in_(filters.parks))
    if filters.park is not None:
        query = query.where(Company.park == filters.park)
    if filters.industry_codes is not None:
        query = query.where(Company.industry_code.in_(filters.industry_codes))
    if filters.provider_org_id is not None:
        query = query.where(Company.provider_org_id == filters.provider_org_id)
    return query


def narrows(filters: Filters) -> bool:
    """Whether the filters name any company column (else a query need not join companies at all)."""
    return any(value is not None for value in (filters.parks, filters.park, filters.industry_codes,
                                                filters.provider_org_id))


def _scoped_by(query: Select, company_id: Any, filters: Filters) -> Select:
    """``query`` narrowed to the filters' companies through its ``company_id`` column; no join to
    companies when nothing narrows."""
    if not narrows(filters):
        return query
    return scoped(query.join(Company, Company.id == company_id), filters)


def _coverage_condition(key: str) -> Any:
    return {"roster": literal(True), "registered": Company.registered_at.is_not(None),
            "self_assessed": level_column("self", "sme").is_not(None),
            "verified": level_column("verified", "sme").is_not(None)}[key]


# -- projects and their stage towards a target ---------------------------------------------------------

def _first_done(target: TargetKind) -> Any:
    """(project id, day of its first recognition that makes it done towards ``target``)."""
    done_on = func.min(ProjectRecognition.recognised_on).label("done_on")
    query = select(ProjectRecognition.project_id, done_on).group_by(ProjectRecognition.project_id)
    if target.recognitions:
        query = query.where(ProjectRecognition.kind.in_(target.recognitions))
    return query.subquery()


def _project_value(target: TargetKind) -> Any:
    if target.measure == "quantity":
        return func.coalesce(Project.quantity, 0)
    if target.measure == "investment":
        return case((Project.investment_to_date > 0, Project.investment_to_date),
                    else_=Project.planned_investment)
    return literal(1)


def project_stages(filters: Filters, target: TargetKind) -> Select:
    """(project id, company id, stage, done_on, value) of every project counting towards ``target``:
    done in the year (its first counting recognition dated in it), in progress, planned, or done
    in an earlier year / stopped (stages "earlier" and "stopped", counted nowhere)."""
    first = _first_done(target)
    done_on = first.c.done_on
    stage = case((done_on.between(filters.year_start, filters.year_end), "done"),
                 (done_on < filters.year_start, "earlier"),
                 (done_on > filters.year_end, "later"),
                 (Project.status == "stopped", "stopped"),
                 (Project.status == "planned", "planned"),
                 else_="in_progress")
    query = (select(Project.id.label("project_id"), Project.company_id.label("company_id"),
                    stage.label("stage"), done_on.label("done_on"), _project_value(target).label("value"))
             .outerjoin(first, first.c.project_id == Project.id))
    if target.project_kinds:
        query = query.where(Project.kind.in_(target.project_kinds))
    return _scoped_by(query, Project.company_id, filters)


def _potential_condition(target: TargetKind) -> Any:
    """Whether a company's latest result recommends something of the target's kinds (anything, for a
    target of all kinds) and it has no (unstopped) project of those kinds yet."""
    if not target.project_kinds:
        return and_(Company.recommended_kinds != "", Company.started_kinds == "")
    return and_(or_(*(holds_kind(Company.recommended_kinds, kind) for kind in target.project_kinds)),
                *(~holds_kind(Company.started_kinds, kind) for kind in target.project_kinds))


# -- the list behind a cell -------------------------------------------------------------------------

@dataclass(frozen=True)
class Members:
    """The SELECT behind a cell: company ids, or (project id, company id, value) rows."""

    subject: str  # "companies" | "projects"
    query: Select = field(compare=False)
    measure: str = "companies"


def company_condition(cell: Cell) -> Any:
    """The condition on a company's row that puts it in the cell's list, for the cells counted over
    companies alone (coverage, levels, potential); None for the cells counted over projects."""
    if cell.group == "coverage":
        return _coverage_condition(cell.key)
    if cell.group in ("sme", "cmmm"):
        return level_column(cell.key, cell.group) == int(cell.stage)
    if cell.group == "target" and cell.stage == "potential":
        return _potential_condition(catalogue().targets[cell.key])
    return None


def members(filters: Filters, cell: Cell) -> Members:
    condition = company_condition(cell)
    if condition is not None:
        return Members("companies", scoped(select(Company.id).where(condition), filters))
    target = catalogue().targets[cell.key]
    rows = project_stages(filters, target).subquery()
    if cell.group == "target":
        picked = select(rows).where(rows.c.stage == cell.stage)
        if target.measure == "companies":
            return Members("companies", select(picked.subquery().c.company_id).distinct())
        return Members("projects", picked, target.measure)
    month = _month(cell.stage) or 1
    first = filters.year_start if cell.group == "cumulative" else date(filters.year, month, 1)
    done = _done_by_day(rows, target).subquery()
    picked = select(done).where(done.c.done_on.between(first, month_end(filters.year, month)))
    if target.measure == "companies":
        return Members("companies", select(picked.subquery().c.company_id))
    return Members("projects", picked, target.measure)


def _done_by_day(rows: Any, target: TargetKind) -> Select:
    """The done rows with the day they count on; a company (measure companies) once, on its first."""
    done = select(rows).where(rows.c.stage == "done")
    if target.measure != "companies":
        return done
    inner = done.subquery()
    return select(inner.c.company_id, func.min(inner.c.done_on).label("done_on"),
                  literal(1).label("value")).group_by(inner.c.company_id)


def figure(session: Session, filters: Filters, cell: Cell) -> float:
    """The number of one cell, computed over its own list."""
    found = members(filters, cell)
    behind = found.query.subquery()
    if found.subject == "companies":
        return float(session.scalar(select(func.count()).select_from(behind)) or 0)
    return float(session.scalar(select(func.coalesce(func.sum(behind.c.value), 0))) or 0)


# -- the dashboard's figures, a few grouped queries --------------------------------------------------

def company_cells() -> list[Cell]:
    """Every cell counted over companies alone: coverage, both levels of both models, each potential."""
    levels = [Cell(model, kind, level) for model, names in (("sme", SME_LEVELS), ("cmmm", CMMM_LEVELS))
              for kind in LEVEL_KINDS for level in names]
    return [*(Cell("coverage", key) for key in COVERAGE), *levels,
            *(Cell("target", target_id, "potential") for target_id in catalogue().targets)]


#: The columns the breakdowns group by; each group's numbers are the cells of the filters narrowed to
#: that group (park=..., provider_org_id=...).
BREAKDOWNS = {"park": Company.park, "provider_org_id": Company.provider_org_id}


@dataclass(frozen=True)
class CompanyCounts:
    """Every company cell's count per (park, provider organisation), from one pass over the companies
    (parks × organisations rows); the district's, a park's or an organisation's count is the sum of
    its disjoint groups."""

    groups: dict[tuple[str, int | None], dict[Cell, int]]

    def total(self) -> dict[Cell, int]:
        return self._sum(self.groups.values())

    def by(self, breakdown: str) -> dict[Any, dict[Cell, int]]:
        index = list(BREAKDOWNS).index(breakdown)
        found: set[Any] = {key[index] for key in self.groups if key[index] is not None}
        values = sorted(found)
        return {value: self._sum(counts for key, counts in self.groups.items() if key[index] == value)
                for value in values}

    @staticmethod
    def _sum(rows: Any) -> dict[Cell, int]:
        total = dict.fromkeys(company_cells(), 0)
        for counts in rows:
            for cell, count in counts.items():
                total[cell] += count
        return total


def company_counts(session: Session, filters: Filters) -> CompanyCounts:
    cells = company_cells()
    columns = [func.count(case((company_condition(cell), 1))) for cell in cells]
    query = scoped(select(Company.park, Company.provider_org_id, *columns), filters)
    rows: list[Any] = list(session.execute(query.group_by(Company.park, Company.provider_org_id)))
    return CompanyCounts({(row[0], row[1]): dict(zip(cells, map(int, row[2:]), strict=True)) for row in rows})


def coverage_of(counts: dict[Cell, int]) -> dict[str, int]:
    return {key: counts[Cell("coverage", key)] for key in COVERAGE}


def levels_of(counts: dict[Cell, int]) -> dict[str, dict[str, dict[str, int]]]:
    """{"sme": {"self": {"0": n, ...}, "verified": {...}}, "cmmm": {...}}."""
    return {model: {kind: {level: counts[Cell(model, kind, level)] for level in names}
                    for kind in LEVEL_KINDS}
            for model, names in (("sme", SME_LEVELS), ("cmmm", CMMM_LEVELS))}


def potentials_of(counts: dict[Cell, int]) -> dict[str, float]:
    return {target_id: float(counts[Cell("target", target_id, "potential")])
            for target_id in catalogue().targets}


def coverage(session: Session, filters: Filters) -> dict[str, int]:
    return coverage_of(company_counts(session, filters).total())


def coverage_by(session: Session, filters: Filters, breakdown: str) -> dict[Any, dict[str, int]]:
    """{group value: coverage}; companies without a value (no provider) left out."""
    groups = company_counts(session, filters).by(breakdown)
    return {value: coverage_of(counts) for value, counts in groups.items()}


def levels(session: Session, filters: Filters, model: str) -> dict[str, dict[str, int]]:
    """{"self": {"0": n, ...}, "verified": {...}} of the companies' current snapshots."""
    return levels_of(company_counts(session, filters).total())[model]


@dataclass(frozen=True)
class TargetFigures:
    target: TargetKind
    goal: float
    stages: dict[str, float]
    #: Month number -> (new that month, cumulative to its end).
    months: dict[int, tuple[float, float]]

    def rate(self, value: float) -> float | None:
        """value / goal, None when the goal is 0."""
        return value / self.goal if self.goal else None


def target_figures(session: Session, filters: Filters, target: TargetKind, goal: float,
                   potential: float | None = None) -> TargetFigures:
    """One target's stages and months: one grouped query (two when it counts companies), plus its
    potential unless the caller counted it already (`CompanyCounts`)."""
    rows = project_stages(filters, target).subquery()
    stages = dict.fromkeys(STAGES, 0.0)
    new = dict.fromkeys(range(1, 13), Decimal(0))
    month = _month_of(rows.c.done_on)
    if target.measure == "companies":
        grouped: list[Any] = list(session.execute(
            select(rows.c.stage, func.count(func.distinct(rows.c.company_id))).group_by(rows.c.stage)))
        done = _done_by_day(rows, target).subquery()
        first = _month_of(done.c.done_on)
        by_month: list[Any] = list(session.execute(select(first, func.count()).group_by(first)))
    else:
        by_stage_month: list[Any] = list(session.execute(
            select(rows.c.stage, case((rows.c.stage == "done", month)).label("month"),
                   func.coalesce(func.sum(rows.c.value), 0)).group_by(rows.c.stage, "month")))
        grouped = [(stage, value) for stage, _month_number, value in by_stage_month]
        by_month = [(number, value) for stage, number, value in by_stage_month if stage == "done"]
    for stage, value in grouped:
        if stage in stages:
            stages[stage] += float(value)
    for number, value in by_month:
        new[int(number)] += Decimal(str(value))
    stages["potential"] = float(potential if potential is not None else
                                figure(session, filters, Cell("target", target.id, "potential")))
    return TargetFigures(target, goal, stages, _cumulate(new))


def _month_of(day: Any) -> Any:
    return func.extract("month", day)


def _cumulate(new: dict[int, Decimal]) -> dict[int, tuple[float, float]]:
    months, total = {}, Decimal(0)
    for month in range(1, 13):
        total += new[month]
        months[month] = (float(new[month]), float(total))
    return months


def dashboard_targets(session: Session, filters: Filters, goals: dict[str, float],
                      counts: dict[Cell, int] | None = None) -> list[TargetFigures]:
    """Every target's figures; the potentials from ``counts`` (`CompanyCounts.total`) when the caller
    has them already."""
    potential = potentials_of(counts if counts is not None else company_counts(session, filters).total())
    return [target_figures(session, filters, target, goals.get(target.id, target.default),
                           potential[target.id]) for target in catalogue().targets.values()]
