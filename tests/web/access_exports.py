"""The access matrix's part for the 调度表 and 通报 downloads: see tests/web/test_access_matrix.py.

Only officials and admins reach them. A job is its requester's: an unknown token answers 404 to
everyone who may export (tests/web/test_exports.py holds another official to 404 on a real job). The
empty POST is a valid choice (this month, the official's parks): it queues an export and redirects.
"""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "company_own", "company_other", "provider", "provider_colleague", "provider_other",
         "official", "official_other", "admin")


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    """As the matrix's own: anonymous users go to the login page, the others get ``status``."""
    return {role: overrides.get(role, 302 if role == "anonymous" else status) for role in ROLES}

#: The URL placeholders `ids` fills in (for the test that every route is in the matrix).
ID_NAMES: tuple[str, ...] = ()

_UNKNOWN = "/exports/" + "0" * 24

ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/exports/", signed_in(403, official=200, official_other=200, admin=200)),
    ("POST", "/exports/", signed_in(403, official=302, official_other=302, admin=302)),
    ("GET", "/exports/briefing.pdf", signed_in(403, official=200, official_other=200, admin=200)),
    *[("GET", _UNKNOWN + suffix, signed_in(403, official=404, official_other=404, admin=404))
      for suffix in ("", "/progress", "/file")],
]


def ids(company: Any, other_company: Any, users: dict[str, Any]) -> dict[str, int]:
    return {}
