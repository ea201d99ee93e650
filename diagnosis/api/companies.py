"""Companies in the user's scope: a company user its own, a provider the companies assigned to its
organisation, an official those of its parks, an admin all."""

from __future__ import annotations

from flask_login import current_user
from pydantic import BaseModel
from sqlalchemy import func, select

from diagnosis.store.companies import Company
from diagnosis.store.db import session
from diagnosis.web.access import company_for_user_or_404

from .blueprint import bp
from .schemas import Moment, Page, PageQuery
from .scope import visible_companies


class CompanyOut(BaseModel):
    id: int
    name: str
    credit_code: str
    industry_code: str
    park: str
    above_designated_size: bool
    employees: int | None
    revenue_band: str | None
    provider_org_id: int | None
    self_sme_level: int | None
    self_cmmm_level: int | None
    verified_sme_level: int | None
    verified_cmmm_level: int | None
    registered_at: Moment | None


class CompanyPage(Page):
    items: list[CompanyOut]


class CompanyQuery(PageQuery):
    park: str | None = None


def company_out(company: Company) -> CompanyOut:
    return CompanyOut.model_validate(company, from_attributes=True)


@bp.get("/companies")
@bp.input(CompanyQuery, location="query")
@bp.output(CompanyPage)
@bp.doc(summary="Companies in scope", responses=[401, 422])
def list_companies(query_data: CompanyQuery) -> CompanyPage:
    """The companies the token's user may see, by id; ``park`` narrows to one park."""
    condition = visible_companies(current_user)
    if query_data.park is not None:
        condition = condition & (Company.park == query_data.park)
    total = session.scalar(select(func.count()).select_from(Company).where(condition)) or 0
    rows = session.scalars(select(Company).where(condition).order_by(Company.id)
                           .offset(query_data.offset).limit(query_data.per_page))
    return CompanyPage(total=total, page=query_data.page, per_page=query_data.per_page,
                       items=[company_out(company) for company in rows])


@bp.get("/companies/<int:company_id>")
@bp.output(CompanyOut)
@bp.doc(summary="One company", responses=[401, 404])
def get_company(company_id: int) -> CompanyOut:
    return company_out(company_for_user_or_404(company_id))
