"""The API's part of the pages' access matrix (tests/web/test_access_matrix.py lists it in FEATURES):
the tokens page, and every /api/v1 route as a browser reaches it, with the session cookie of each
role: 401 for all, since a cookie never authenticates the API (it is exempt from CSRF). The OpenAPI
document and the docs page are public. Bearer tokens per role: tests/api/access_api.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from diagnosis.store import tokens
from diagnosis.store.db import get_session, session
from diagnosis.store.projects import add_project

ID_NAMES: tuple[str, ...] = ("token_id", "api_project_id", "api_year")

_ROLES = (
    "company_own",
    "company_other",
    "provider",
    "provider_colleague",
    "provider_other",
    "official",
    "official_other",
    "admin",
)


def _all(status: int, anonymous: int | None = None, **overrides: int) -> dict[str, int]:
    return {
        "anonymous": status if anonymous is None else anonymous,
        **{role: overrides.get(role, status) for role in _ROLES},
    }


_API = [
    ("GET", "/api/v1/companies"),
    ("GET", "/api/v1/companies/{company_id}"),
    ("GET", "/api/v1/companies/{company_id}/assessments"),
    ("GET", "/api/v1/assessments/{submitted_id}/result"),
    ("GET", "/api/v1/assessments/{submitted_id}/report.pdf"),
    ("POST", "/api/v1/companies/{company_id}/assessments"),
    ("GET", "/api/v1/assessments/{draft_id}/answers"),
    ("PUT", "/api/v1/assessments/{draft_id}/answers"),
    ("POST", "/api/v1/assessments/{draft_id}/submit"),
    ("GET", "/api/v1/companies/{company_id}/projects"),
    ("POST", "/api/v1/companies/{company_id}/projects"),
    ("GET", "/api/v1/projects/{api_project_id}"),
    ("POST", "/api/v1/projects/{api_project_id}/progress"),
    ("GET", "/api/v1/reviews/{submitted_id}"),
    ("POST", "/api/v1/reviews/{submitted_id}/questions/equip_total"),
    ("GET", "/api/v1/reviews/{submitted_id}/questions/equip_total/evidence"),
    ("POST", "/api/v1/reviews/{submitted_id}/questions/equip_total/evidence"),
    ("GET", "/api/v1/reviews/{submitted_id}/evidence/0"),
    ("POST", "/api/v1/roster"),
    ("GET", "/api/v1/pipeline/targets"),
    ("GET", "/api/v1/pipeline/coverage"),
    ("GET", "/api/v1/pipeline/ledger"),
    ("GET", "/api/v1/targets"),
    ("PUT", "/api/v1/targets/{api_year}/robots"),
]

ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/account/tokens", _all(200, anonymous=302)),
    # Only the CSRF token: the form comes back with its messages.
    ("POST", "/account/tokens", _all(422, anonymous=302)),
    # company_own's token: only its owner revokes it; to everyone else it does not exist.
    ("POST", "/account/tokens/{token_id}/revoke", _all(404, anonymous=302, company_own=303)),
    ("GET", "/api/v1/openapi.json", _all(200)),
    ("GET", "/api/v1/docs", _all(200)),
    *[(method, url, _all(401)) for method, url in _API],
]


def ids(company: Any, other_company: Any, users: dict[str, Any]) -> dict[str, int]:
    token, _value = tokens.create_token(get_session(), users["company_own"], "矩阵令牌", 30)
    project = add_project(
        get_session(),
        company.id,
        None,
        kind="robot",
        name="矩阵接口项目",
        provider_org_id=None,
        planned_investment=Decimal("10"),
        quantity=2,
        start_on=date(2026, 1, 1),
        planned_finish_on=date(2026, 6, 30),
    )
    found = {"token_id": token.id, "api_project_id": project.id, "api_year": date.today().year}
    session.commit()
    return found
