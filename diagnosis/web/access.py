"""Access decisions, made on the server for every route.

Views follow one order: load (404 when missing) → check access → act. A company that the user may
not see answers 404, so its existence does not leak.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app
from flask_login import current_user

from diagnosis.store.accounts import User, parse_session_id
from diagnosis.store.assignments import Assignment
from diagnosis.store.companies import Company
from diagnosis.store.db import session
from diagnosis.web.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(value: str) -> User | None:
    """The user of a session or remember-me cookie (see User.get_id), or None, which ends it: when
    the account is gone or deactivated, its sessions were ended since (a newer generation), or the
    login is older than REMEMBER_COOKIE_DURATION."""
    parsed = parse_session_id(value)
    if parsed is None:
        return None
    user_id, generation, issued = parsed
    if time.time() - issued > current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds():
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_generation != generation:
        return None
    return user


def role_required(*roles: str) -> Callable[[View], View]:
    """Anonymous users are sent to the login page; logged-in users of other roles get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def can_view_company(user: User, company: Company) -> bool:
    """A company user sees only their company, a provider the companies assigned to its
    organisation, an official the parks it covers (all when it covers none), an admin everything."""
    if not user.is_authenticated or not user.active:
        return False
    if user.role == "admin":
        return True
    if user.role == "company":
        return user.company_id == company.id
    if user.role == "provider":
        return user.provider_org_id is not None and company.provider_org_id == user.provider_org_id
    if user.role == "official":
        return not user.regions or company.park in user.regions
    return False


def can_edit_company(user: User, company: Company) -> bool:
    """Only the company's own users and admins change a company's profile."""
    return can_view_company(user, company) and user.role in ("company", "admin")


def company_for_user_or_404(company_id: int) -> Company:
    """The company with this id if the current user may see it, else 404 (also for anonymous)."""
    company = session.get(Company, company_id)
    if company is None or not can_view_company(current_user, company):
        abort(404)
    return company


def can_assign_provider(user: User, company: Company) -> bool:
    """An admin, or an official for a company in the parks it covers, assigns provider organisations."""
    return user.role in ("official", "admin") and can_view_company(user, company)


def can_plan_visit(user: User, assignment: Assignment | None) -> bool:
    """The lead of the assigned organisation (or an admin) picks the diagnostician and the date."""
    if assignment is None or not user.is_authenticated or not user.active:
        return False
    return user.role == "admin" or (user.role == "provider" and user.is_lead
                                    and user.provider_org_id == assignment.provider_org_id)


def can_review(user: User, assignment: Assignment | None) -> bool:
    """The assigned diagnostician, or the lead of the assigned organisation, reviews and signs off."""
    if assignment is None or not user.is_authenticated or not user.active or user.role != "provider":
        return False
    return user.provider_org_id == assignment.provider_org_id and (
        user.is_lead or assignment.diagnostician_id == user.id)
