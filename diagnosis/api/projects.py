"""Projects (立项) and their monthly progress, as on the project pages: a company's users and its
assigned provider's start projects and report progress; everyone who sees the company reads them.

The rules are the HTML forms' (diagnosis/web/projects/forms.py: the kinds, the count only for kinds
with one, dates in plausible years, the finish not before the start, amounts in 万元 with two
decimals) with the same messages. A progress report carries the project's ``revision``; a stale one
is refused with 409 and the project's current values beside the sent ones, and nothing is saved.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from flask import abort, json
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field, field_validator, model_validator

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.store import projects as store
from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.companies import Company
from diagnosis.store.db import session
from diagnosis.web.access import company_for_user_or_404
from diagnosis.web.guards import DATABASE_ID_MAX
from diagnosis.web.projects import service
from diagnosis.web.projects.forms import FIRST_YEAR, LAST_YEAR, QUANTITY_MAX, quantity_kinds

from .blueprint import bp
from .conventions import idempotent
from .problems import Refused, error_response
from .schemas import Body, Moment, Money, invalid, whole

MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def _plausible(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise invalid(_("请填写 %(first)s 年至 %(last)s 年之间的日期。", first=FIRST_YEAR, last=LAST_YEAR))
    return day


class ProgressOut(BaseModel):
    id: int
    month: date
    status: str
    investment_to_date: float
    note: str
    at: Moment


class ProjectOut(BaseModel):
    id: int
    company_id: int
    kind: str
    name: str
    recommendation_id: str | None
    provider_org_id: int | None
    planned_investment: float
    quantity: int | None
    start_on: date
    planned_finish_on: date
    status: str
    investment_to_date: float
    revision: int = Field(description="Send it back with a progress report")
    created_at: Moment
    progress: list[ProgressOut]


class ProjectList(BaseModel):
    items: list[ProjectOut]


class ProjectIn(Body):
    kind: Literal[tuple(catalogue().project_kinds)] = Field(  # type: ignore[valid-type]
        description="A project kind of questionnaires/catalogues/pipeline.yaml")
    name: str = Field(min_length=1, max_length=200)
    provider_org_id: whole(1, DATABASE_ID_MAX) | None = None  # type: ignore[valid-type]
    planned_investment: Money
    quantity: whole(1, QUANTITY_MAX) | None = None  # type: ignore[valid-type]
    start_on: date
    planned_finish_on: date
    recommendation_id: str | None = Field(None, max_length=64)

    @field_validator("name")
    @classmethod
    def not_blank(cls, name: str) -> str:
        if not name.strip():
            raise invalid(_("请填写项目名称。"))
        return name.strip()

    @field_validator("start_on", "planned_finish_on")
    @classmethod
    def plausible(cls, day: date) -> date:
        return _plausible(day)

    @model_validator(mode="after")
    def consistent(self) -> ProjectIn:
        if self.planned_finish_on < self.start_on:
            raise invalid(_("计划完成日期不能早于开始日期（%(start)s）。", start=self.start_on.isoformat()))
        kind = catalogue().project_kinds[self.kind]
        if kind.quantity is None and self.quantity is not None:
            raise invalid(_("只有“%(kinds)s”类项目填写数量，本类型请留空。", kinds=quantity_kinds()))
        if kind.quantity is not None and self.quantity is None:
            raise invalid(_("请填写数量（%(unit)s）。", unit=service.kind_unit(kind.id)))
        return self


class ProgressIn(Body):
    month: str = Field(pattern=MONTH.pattern, description="YYYY-MM, not after this month")
    status: Literal[store.STATUSES]  # type: ignore[valid-type]
    investment_to_date: Money
    note: str = Field("", max_length=2000)
    revision: whole(0, DATABASE_ID_MAX)  # type: ignore[valid-type]

    @field_validator("month")
    @classmethod
    def not_ahead(cls, month: str) -> str:
        first = _plausible(date.fromisoformat(f"{month}-01"))
        if first > date.today().replace(day=1):
            raise invalid(_("报告月份不能晚于本月。"))
        return month


def project_out(project: store.Project) -> ProjectOut:
    rows = sorted(project.progress, key=lambda row: row.id)
    return ProjectOut.model_validate({
        **{name: getattr(project, name) for name in ProjectOut.model_fields if name != "progress"},
        "progress": [ProgressOut.model_validate(row, from_attributes=True) for row in rows]})


def _runnable_company(company_id: int) -> Company:
    company = company_for_user_or_404(company_id)
    if not service.can_run_project(current_user, company):
        abort(403)
    return company


@bp.get("/companies/<int:company_id>/projects")
@bp.output(ProjectList)
@bp.doc(summary="A company's projects, newest first", responses=[401, 404])
def company_projects(company_id: int) -> ProjectList:
    company = company_for_user_or_404(company_id)
    return ProjectList(items=[project_out(row) for row in store.projects_of(session(), company.id)])


@bp.get("/projects/<int:project_id>")
@bp.output(ProjectOut)
@bp.doc(summary="One project with its progress history", responses=[401, 404])
def get_project(project_id: int) -> ProjectOut:
    return project_out(service.project_or_404(project_id))


@bp.post("/companies/<int:company_id>/projects")
@idempotent
@bp.input(ProjectIn, location="json")
@bp.output(ProjectOut, status_code=201)
@bp.doc(summary="Start a project (立项)", responses=[401, 403, 404, 409, 422])
def create_project(company_id: int, json_data: ProjectIn) -> tuple[ProjectOut, int]:
    company = _runnable_company(company_id)
    if json_data.provider_org_id is not None and session.get(ProviderOrg, json_data.provider_org_id) is None:
        raise Refused(422, _("请从列表中选择服务商。"), "json.provider_org_id")
    recommended = (service.recommendation(company.id, json_data.recommendation_id)
                   if json_data.recommendation_id else None)
    project = store.add_project(
        session(), company.id, current_user.id, kind=json_data.kind, name=json_data.name,
        recommendation_id=recommended.id if recommended is not None else None,
        provider_org_id=json_data.provider_org_id, planned_investment=json_data.planned_investment,
        quantity=json_data.quantity, start_on=json_data.start_on,
        planned_finish_on=json_data.planned_finish_on)
    return project_out(project), 201


def conflict(project: store.Project, sent: ProgressIn) -> Any:
    """409 with the project's current values beside the sent ones."""
    response = error_response(409, [{"field": "json.revision", "reason": _(
        "此项目的进展已被他人更新，本次填报没有保存。请核对当前值后重新提交。")}])
    current = {"revision": project.revision, "status": project.status,
               "investment_to_date": float(project.investment_to_date)}
    yours = {"revision": sent.revision, "status": sent.status,
             "investment_to_date": float(sent.investment_to_date)}
    response.set_data(json.dumps({**response.get_json(), "current": current, "yours": yours}))
    return response


@bp.post("/projects/<int:project_id>/progress")
@bp.input(ProgressIn, location="json")
@bp.output(ProjectOut, status_code=201)
@bp.doc(summary="Report a month's progress", responses={
    401: "No usable token", 403: "Not yours to report", 404: "Not found",
    409: "The revision is stale: the body has `current` and `yours`", 422: "Validation error"})
def report_progress(project_id: int, json_data: ProgressIn) -> Any:
    project = service.project_or_404(project_id, lock=True)
    _runnable_company(project.company_id)
    if json_data.revision != project.revision:
        return conflict(project, json_data)
    month = date.fromisoformat(f"{json_data.month}-01")
    store.report_progress(session(), project, current_user.id, month=month, status=json_data.status,
                          investment_to_date=json_data.investment_to_date, note=json_data.note.strip())
    session.refresh(project)
    return project_out(project), 201
