"""The access matrix's part for the roster import: see tests/web/test_access_matrix.py.

Only officials and admins import. A POST without a file answers the page again with the message at the
field (200); the template is a download for the same roles."""

from __future__ import annotations

from typing import Any

#: The URL placeholders `ids` fills in (for the test that every route is in the matrix).
ID_NAMES: tuple[str, ...] = ()


def _officials(status: int) -> dict[str, int]:
    roles = ("company_own", "company_other", "provider", "provider_colleague", "provider_other")
    return {"anonymous": 302, **dict.fromkeys(roles, 403), "official": status, "official_other": status,
            "admin": status}


ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/roster/", _officials(200)),
    ("POST", "/roster/", _officials(200)),
    ("GET", "/roster/template.xlsx", _officials(200)),
]


def ids(company: Any, other_company: Any, users: dict[str, Any]) -> dict[str, int]:
    return {}
