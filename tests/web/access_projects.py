"""The access matrix's part for projects (立项, progress, recognition): see tests/web/test_access_matrix.py.

The POSTs carry only the CSRF token: whoever may act gets the form back with its messages (422).
Downloads are checked role by role with a stored file in tests/web/test_projects_progress.py; here,
like /evidence/0, an id that names no document answers 404 to everyone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from diagnosis.store.db import get_session, session
from diagnosis.store.projects import add_project

#: The URL placeholders `ids` fills in (for the test that every route is in the matrix).
ID_NAMES: tuple[str, ...] = ("project_id",)


def _signed_in(status: int, **overrides: int) -> dict[str, int]:
    roles = (
        "company_own",
        "company_other",
        "provider",
        "provider_colleague",
        "provider_other",
        "official",
        "official_other",
        "admin",
    )
    return {"anonymous": 302, **{role: overrides.get(role, status) for role in roles}}


#: Who sees company A: its users, its provider's, the official of its park, the admin.
_UNSEEN = {"company_other": 404, "provider_other": 404, "official_other": 404}
#: Who runs its projects: its users and its provider's; officials and admins look (403).
_RUNS = {"company_own": 422, "provider": 422, "provider_colleague": 422, **_UNSEEN}

ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/projects/", _signed_in(403, company_own=302, company_other=302)),
    ("GET", "/companies/{company_id}/projects", _signed_in(200, **_UNSEEN)),
    (
        "GET",
        "/companies/{company_id}/projects/new",
        _signed_in(403, company_own=200, provider=200, provider_colleague=200, **_UNSEEN),
    ),
    ("POST", "/companies/{company_id}/projects/new", _signed_in(403, **_RUNS)),
    ("GET", "/projects/{project_id}", _signed_in(200, **_UNSEEN)),
    ("POST", "/projects/{project_id}/progress", _signed_in(403, **_RUNS)),
    ("POST", "/projects/{project_id}/recognitions", _signed_in(403, official=422, admin=422, **_UNSEEN)),
    ("GET", "/project-documents/0", _signed_in(404)),
]


def ids(company: Any, other_company: Any, users: dict[str, Any]) -> dict[str, int]:
    project = add_project(
        get_session(),
        company.id,
        None,
        kind="robot",
        name="矩阵项目",
        provider_org_id=None,
        planned_investment=Decimal("10"),
        quantity=2,
        start_on=date(2026, 1, 1),
        planned_finish_on=date(2026, 6, 30),
    )
    session.commit()
    return {"project_id": project.id}
