"""The list behind a number: one page (50 rows, in id order) of the companies or projects that
diagnosis.pipeline.figures.members returns for a cell, with the total that is the number."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from diagnosis.pipeline.figures import Cell, Filters, figure, members
from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.assessments import ResultSnapshot
from diagnosis.store.companies import Company
from diagnosis.store.projects import Project, ProjectRecognition

PAGE_SIZE = 50


@dataclass
class CompanyRow:
    company: Company
    provider: str | None
    #: {"self": (sme, cmmm), "verified": (sme, cmmm)} of the current snapshots.
    levels: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)


@dataclass
class ProjectRow:
    project: Project
    company: Company
    value: float
    recognitions: list[ProjectRecognition] = field(default_factory=list)


@dataclass
class MembersPage:
    cell: Cell
    subject: str
    measure: str
    #: The number on the dashboard: companies counted, or the projects' values added up.
    total: float
    #: Rows in the list (companies, or projects).
    count: int
    page: int
    rows: list[Any]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / PAGE_SIZE))


def members_page(session: Session, filters: Filters, cell: Cell, page: int) -> MembersPage:
    found = members(filters, cell)
    behind = found.query.subquery()
    count = int(session.scalar(select(func.count()).select_from(behind)) or 0)
    offset = (page - 1) * PAGE_SIZE
    if found.subject == "companies":
        rows: list[Any] = _companies(session, select(behind.c[0]), offset)
        total = float(count)
    else:
        rows = _projects(session, behind, offset)
        total = figure(session, filters, cell)
    return MembersPage(cell, found.subject, found.measure, total, count, page, rows)


def _companies(session: Session, ids: Any, offset: int) -> list[CompanyRow]:
    found = session.execute(select(Company, ProviderOrg.name)
                            .outerjoin(ProviderOrg, ProviderOrg.id == Company.provider_org_id)
                            .where(Company.id.in_(ids)).order_by(Company.id)
                            .limit(PAGE_SIZE).offset(offset)).all()
    rows = {company.id: CompanyRow(company, provider) for company, provider in found}
    if rows:
        snapshots = session.execute(
            select(ResultSnapshot.company_id, ResultSnapshot.kind, ResultSnapshot.sme_level,
                   ResultSnapshot.cmmm_level)
            .where(ResultSnapshot.company_id.in_(list(rows)), ResultSnapshot.is_current)).all()
        for company_id, kind, sme, cmmm in snapshots:
            rows[company_id].levels[kind] = (sme, cmmm)
    return list(rows.values())


def _projects(session: Session, behind: Any, offset: int) -> list[ProjectRow]:
    found: list[Any] = list(session.execute(select(Project, Company, behind.c.value)
                                            .join(behind, behind.c.project_id == Project.id)
                                            .join(Company, Company.id == Project.company_id)
                                            .order_by(Project.id).limit(PAGE_SIZE).offset(offset)))
    rows = [ProjectRow(project, company, float(value or 0)) for project, company, value in found]
    by_project: dict[int, list[ProjectRecognition]] = defaultdict(list)
    if rows:
        ids = [row.project.id for row in rows]
        for recognition in session.scalars(
                select(ProjectRecognition).where(ProjectRecognition.project_id.in_(ids))
                .order_by(ProjectRecognition.recognised_on, ProjectRecognition.id)):
            by_project[recognition.project_id].append(recognition)
    for row in rows:
        row.recognitions = by_project[row.project.id]
    return rows
