"""The companies lists' SQL condition (diagnosis/api/scope.py) is the pages' predicate
(access.can_view_company): for every user of every role and every company, the same answer."""

from __future__ import annotations

from sqlalchemy import select

from diagnosis.api.scope import visible_companies
from diagnosis.store.companies import Company
from diagnosis.web.access import can_view_company


def test_the_list_condition_is_the_pages_rule(
    api_world, make_company, make_user, make_provider_org, db_session
):
    org = make_provider_org()
    companies = [
        api_world["company"],
        api_world["other_company"],
        make_company(park="经济开发区", provider_org=org),
    ]
    users = [
        *api_world["users"].values(),
        make_user(role="official"),
        make_user(role="provider", provider_org=org),
        make_user(role="official", regions=["经济开发区", "化工园区"]),
        make_user(role="company", active=False, company=companies[0]),
        make_user(role="provider", provider_org=None),
    ]
    ids = {company.id for company in companies}
    for user in users:
        listed = set(
            db_session.scalars(select(Company.id).where(visible_companies(user), Company.id.in_(ids)))
        )
        allowed = {company.id for company in companies if can_view_company(user, company)}
        assert listed == allowed, (user.role, user.regions, user.provider_org_id)
