"""The access matrix's part for the officials' dashboard, lists and targets: see
tests/web/test_access_matrix.py."""

from __future__ import annotations

from typing import Any

#: The URL placeholders `ids` fills in (for the test that every route is in the matrix).
ID_NAMES: tuple[str, ...] = ()


def _officials(status: int, **overrides: int) -> dict[str, int]:
    """Officials and admins get ``status``; other signed-in roles 403; anonymous to the login page."""
    roles = ("company_own", "company_other", "provider", "provider_colleague", "provider_other")
    statuses = {"anonymous": 302, **dict.fromkeys(roles, 403),
                "official": status, "official_other": status, "admin": status}
    return {**statuses, **overrides}


ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/pipeline/", _officials(200)),
    # No cell named: nothing to list (tests/web/test_pipeline_dashboard.py follows every real one).
    ("GET", "/pipeline/list", _officials(404)),
    ("GET", "/pipeline/targets", _officials(200)),
    # A valid token but no target named: refused, nothing saved.
    ("POST", "/pipeline/targets", _officials(400)),
]


def ids(company: Any, other_company: Any, users: dict[str, Any]) -> dict[str, int]:
    return {}
