"""The 调度表's company ledger: one row per company and project (one row with empty project columns for a
company without projects), streamed from a single SELECT.

No ORM object is made per row and nothing is queried per company: the query joins each company's
current self and verified snapshots (their levels and dates), its diagnosing provider, its projects
with their implementing provider, and per project its recognitions folded into one string; rows come
through a server-side cursor (``yield_per``), in park, name, company, project order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, String, and_, cast, func, select
from sqlalchemy.orm import Session, aliased

from diagnosis.pipeline.figures import Filters, scoped
from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.assessments import ResultSnapshot
from diagnosis.store.companies import Company
from diagnosis.store.projects import Project, ProjectRecognition

BATCH_ROWS = 2000
#: Between a recognition's kind and its date, and between recognitions, in the folded string.
KIND_DATE, BETWEEN = "@", "|"
TIMEZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Recognised:
    kind: str
    on: date


def ledger_query(filters: Filters) -> Select:
    self_snapshot, verified_snapshot = aliased(ResultSnapshot), aliased(ResultSnapshot)
    diagnosing, implementing = aliased(ProviderOrg), aliased(ProviderOrg)
    folded = func.aggregate_strings(
        ProjectRecognition.kind + KIND_DATE + cast(ProjectRecognition.recognised_on, String), BETWEEN)
    recognitions = (select(ProjectRecognition.project_id, folded.label("folded"))
                    .group_by(ProjectRecognition.project_id).subquery())
    query = (
        select(Company.id, Company.park, Company.name, Company.credit_code, Company.industry_code,
               Company.above_designated_size, Company.contact_name, Company.contact_phone,
               self_snapshot.created_at, self_snapshot.sme_level, self_snapshot.cmmm_level,
               verified_snapshot.created_at, verified_snapshot.sme_level, verified_snapshot.cmmm_level,
               diagnosing.name, Project.id, Project.kind, Project.name, implementing.name, Project.status,
               Project.planned_investment, Project.investment_to_date, Project.quantity,
               recognitions.c.folded)
        .select_from(Company)
        .outerjoin(self_snapshot, and_(self_snapshot.company_id == Company.id, self_snapshot.kind == "self",
                                       self_snapshot.is_current))
        .outerjoin(verified_snapshot, and_(verified_snapshot.company_id == Company.id,
                                           verified_snapshot.kind == "verified",
                                           verified_snapshot.is_current))
        .outerjoin(diagnosing, diagnosing.id == Company.provider_org_id)
        .outerjoin(Project, Project.company_id == Company.id)
        .outerjoin(implementing, implementing.id == Project.provider_org_id)
        .outerjoin(recognitions, recognitions.c.project_id == Project.id)
        .order_by(Company.park, Company.name, Company.id, Project.id))
    return scoped(query, filters)


def company_count(session: Session, filters: Filters) -> int:
    return int(session.scalar(scoped(select(func.count()).select_from(Company), filters)) or 0)


@dataclass(frozen=True)
class LedgerRow:
    company_id: int
    park: str
    name: str
    credit_code: str
    industry_code: str
    above_designated_size: bool
    contact_name: str
    contact_phone: str
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
    planned_investment: Decimal | None
    investment_to_date: Decimal | None
    quantity: int | None
    recognitions: tuple[Recognised, ...]


def ledger_rows(session: Session, filters: Filters) -> Iterator[LedgerRow]:
    """The ledger's rows, streamed ``BATCH_ROWS`` at a time."""
    result = session.execute(ledger_query(filters).execution_options(yield_per=BATCH_ROWS))
    for row in result:
        yield _ledger_row(row)


def _ledger_row(row: Row[Any]) -> LedgerRow:
    values = list(row)
    values[8], values[11] = local_day(values[8]), local_day(values[11])
    values[-1] = unfold(values[-1])
    return LedgerRow(*values)


def local_day(moment: datetime | str | None) -> date | None:
    """The district's calendar day of a stored moment (SQLite hands back naive UTC)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TIMEZONE).date()


def unfold(folded: str | None) -> tuple[Recognised, ...]:
    """The recognitions of one project, by date (the aggregate keeps no order)."""
    if not folded:
        return ()
    found = []
    for part in folded.split(BETWEEN):
        kind, _, day = part.rpartition(KIND_DATE)
        found.append(Recognised(kind, date.fromisoformat(day[:10])))
    return tuple(sorted(found, key=lambda item: (item.on, item.kind)))
