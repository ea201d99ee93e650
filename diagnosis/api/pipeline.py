"""The officials' pipeline for machines: the dashboard's target figures and coverage, the 调度表's
ledger, and the yearly targets (read, and set as on /pipeline/targets).

Filters are the dashboard's (year, month, park, industry tag, provider), always inside the parks the
official covers: a park outside them gives empty figures, as on the dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.pipeline import figures
from diagnosis.pipeline.figures import Filters
from diagnosis.pipeline.ledger import _ledger_row, ledger_query
from diagnosis.pipeline.monthly import default_month
from diagnosis.store.db import session
from diagnosis.store.targets import set_target, year_targets
from diagnosis.web.access import role_required
from diagnosis.web.bundle import current_bundle
from diagnosis.web.guards import DATABASE_ID_MAX
from diagnosis.web.pipeline.dashboard import build_board, scope_parks
from diagnosis.web.pipeline.forms import FIRST_YEAR, LAST_YEAR
from reports.selection import industry_codes

from .blueprint import bp
from .problems import API_REASONS, Refused
from .schemas import Body, Money, Page, PageQuery, Query, invalid

OFFICIALS = ("official", "admin")


class FilterQuery(Query):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR)
    month: int | None = Field(None, ge=1, le=12)
    park: str | None = Field(None, max_length=40)
    tag: str | None = Field(None, max_length=40, description="An industry tag (the dashboard's 行业类别)")
    provider: int | None = Field(None, ge=1, le=DATABASE_ID_MAX, description="A provider organisation's id")

    @field_validator("tag")
    @classmethod
    def known_tag(cls, tag: str | None) -> str | None:
        if tag is not None and tag not in current_bundle().industries.tag_labels:
            known = ", ".join(sorted(current_bundle().industries.tag_labels))
            raise invalid(_("未知的行业类别，可选：%(known)s", known=known))
        return tag

    def filters(self) -> Filters:
        """The dashboard's Filters for the token's user (diagnosis/web/pipeline/dashboard.py's rule)."""
        today = date.today()
        year = self.year or today.year
        return Filters(year=year, parks=scope_parks(current_user), park=self.park or None,
                       industry_codes=tuple(industry_codes(current_bundle(), self.tag)) if self.tag else None,
                       provider_org_id=self.provider, month=self.month or default_month(year, today))


class LedgerQuery(FilterQuery, PageQuery):
    pass


class MonthOut(BaseModel):
    month: int
    new: float
    cumulative: float
    rate: float | None


class TargetFigureOut(BaseModel):
    id: str
    measure: str
    title: dict[str, str]
    unit: dict[str, str]
    goal: float
    stages: dict[str, float] = Field(description="done, in_progress, planned, potential")
    months: list[MonthOut]


class TargetFigures(BaseModel):
    year: int
    month: int
    items: list[TargetFigureOut]


class CoverageOut(BaseModel):
    year: int
    total: dict[str, int] = Field(description="roster, registered, self_assessed, verified")
    by_park: dict[str, dict[str, int]]
    by_provider: dict[str, dict[str, int]] = Field(description="By provider organisation id")
    levels: dict[str, dict[str, dict[str, int]]] = Field(
        description="sme / cmmm → self / verified → level → companies")


@bp.get("/pipeline/targets")
@role_required(*OFFICIALS)
@bp.input(FilterQuery, location="query")
@bp.output(TargetFigures)
@bp.doc(summary="Target figures (the dashboard's funnel and months)", responses=[401, 403, 422])
def target_figures(query_data: FilterQuery) -> TargetFigures:
    filters = query_data.filters()
    goals = {key: goal.value for key, goal in year_targets(session(), filters.year).items()}
    assert filters.month is not None  # FilterQuery.filters always sets it
    items = [TargetFigureOut(
        id=figure.target.id, measure=figure.target.measure, title=dict(figure.target.title),
        unit=dict(figure.target.unit), goal=figure.goal, stages=figure.stages,
        months=[MonthOut(month=month, new=new, cumulative=total, rate=figure.rate(total))
                for month, (new, total) in figure.months.items()])
        for figure in figures.dashboard_targets(session(), filters, goals)]
    return TargetFigures(year=filters.year, month=filters.month, items=items)


@bp.get("/pipeline/coverage")
@role_required(*OFFICIALS)
@bp.input(FilterQuery, location="query")
@bp.output(CoverageOut)
@bp.doc(summary="Coverage and level distributions", responses=[401, 403, 422])
def coverage(query_data: FilterQuery) -> CoverageOut:
    board = build_board(session(), query_data.filters())
    return CoverageOut(year=board.filters.year, total=board.coverage, levels=board.levels,
                       by_park={str(key): value for key, value in board.by_park.items()},
                       by_provider={str(key): value for key, value in board.by_provider.items()})


class LedgerRowOut(BaseModel):
    company_id: int
    park: str
    name: str
    credit_code: str
    industry_code: str
    above_designated_size: bool
    self_on: date | None
    self_sme: int | None
    self_cmmm: int | None
    verified_on: date | None
    verified_sme: int | None
    verified_cmmm: int | None
    provider: str | None
    project_id: int | None
    project_kind: str | None
    project_name: str | None
    project_provider: str | None
    status: str | None
    planned_investment: float | None
    investment_to_date: float | None
    quantity: int | None
    recognitions: list[dict[str, Any]]


class LedgerPage(Page):
    items: list[LedgerRowOut]


def _row_out(row: Any) -> LedgerRowOut:
    values = _ledger_row(row).__dict__
    money = {key: float(values[key]) if values[key] is not None else None
             for key in ("planned_investment", "investment_to_date")}
    recognitions = [{"kind": item.kind, "on": item.on.isoformat()} for item in values["recognitions"]]
    return LedgerRowOut(**{**values, **money, "recognitions": recognitions})


@bp.get("/pipeline/ledger")
@role_required(*OFFICIALS)
@bp.input(LedgerQuery, location="query")
@bp.output(LedgerPage)
@bp.doc(summary="The 调度表's ledger: a row per company and project, in the 调度表's order",
        responses=[401, 403, 422])
def ledger(query_data: LedgerQuery) -> LedgerPage:
    query = ledger_query(query_data.filters())
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.execute(query.offset(query_data.offset).limit(query_data.per_page))
    return LedgerPage(total=total, page=query_data.page, per_page=query_data.per_page,
                      items=[_row_out(row) for row in rows])


class YearQuery(Query):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR)


class TargetValueOut(BaseModel):
    year: int
    target_id: str
    value: float
    set: bool = Field(description="False: the work plan's default, nobody set it for this year")


class TargetValues(BaseModel):
    items: list[TargetValueOut]


class TargetValueIn(Body):
    value: Money = Field(description="In the target's unit; 0 or more, at most two decimals")


def _values(year: int) -> TargetValues:
    goals = year_targets(session(), year).values()
    return TargetValues(items=[TargetValueOut(year=year, target_id=goal.target_id, value=goal.value,
                                              set=goal.set) for goal in goals])


@bp.get("/targets")
@role_required(*OFFICIALS)
@bp.input(YearQuery, location="query")
@bp.output(TargetValues)
@bp.doc(summary="The year's targets (this year when none is given)", responses=[401, 403, 422])
def targets(query_data: YearQuery) -> TargetValues:
    return _values(query_data.year or date.today().year)


@bp.put("/targets/<int:year>/<target_id>")
@role_required(*OFFICIALS)
@bp.input(TargetValueIn, location="json")
@bp.output(TargetValueOut)
@bp.doc(summary="Set a target for a year (district-wide; the history is kept)",
        responses=[401, 403, 404, 422])
def put_target(year: int, target_id: str, json_data: TargetValueIn) -> TargetValueOut:
    if not FIRST_YEAR <= year <= LAST_YEAR or target_id not in catalogue().targets:
        raise Refused(404, API_REASONS[404])
    set_target(session(), year, target_id, json_data.value, current_user.id)
    goal = year_targets(session(), year)[target_id]
    return TargetValueOut(year=year, target_id=target_id, value=goal.value, set=goal.set)

