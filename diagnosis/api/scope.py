"""Which companies a user sees, as a SQL condition for the API's lists.

The rule is diagnosis.web.access.can_view_company; a list cannot call a predicate per row and still
page in SQL, so this is the same rule written as a WHERE clause, and tests/api/test_scope.py holds
the two to each other for every role (a company the predicate refuses never appears in a list).
Single resources are always checked with the predicate itself.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from diagnosis.store.accounts import User
from diagnosis.store.companies import Company


def visible_companies(user: User) -> ColumnElement[bool]:
    if not user.is_authenticated or not user.active:
        return false()
    if user.role == "admin":
        return true()
    if user.role == "company":
        return Company.id == user.company_id if user.company_id is not None else false()
    if user.role == "provider":
        org_id = user.provider_org_id
        return Company.provider_org_id == org_id if org_id is not None else false()
    if user.role == "official":
        return Company.park.in_(user.regions) if user.regions else true()
    return false()
