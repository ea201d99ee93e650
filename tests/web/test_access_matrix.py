"""Every route × every role → the expected status code. Extend ROUTES when adding a route.

The world: company A (park 家居产业园, assigned to provider organisation P) is the target of the
`{company_id}` URLs. Roles: anonymous; company_own (a user of A); company_other (a user of company B);
provider (the lead of P, who may review A); provider_colleague (of P, neither lead nor A's assigned
diagnostician); provider_other (of another organisation); official (covers 家居产业园);
official_other (covers 化工园区 only); admin. URL templates may use {company_id}, {other_company_id},
{user_id} (a provider user of another organisation).

POSTs carry a valid CSRF token, so the status reflects access only. 302 for anonymous means "sent to
the login page" (checked below).
"""

from __future__ import annotations

import pytest

from tests.api import access_pages
from tests.web import access_exports, access_pipeline, access_projects, access_roster
from tests.web.assess_helpers import access_world

#: Feature modules that own their part of the matrix: each has ROUTES (as below) and
#: ``ids(company, other_company, users) -> dict`` that adds the records its URLs name, committed
#: through the app's session like `access_world`.
FEATURES = (access_projects, access_pipeline, access_exports, access_roster, access_pages)

ROLES = (
    "anonymous",
    "company_own",
    "company_other",
    "provider",
    "provider_colleague",
    "provider_other",
    "official",
    "official_other",
    "admin",
)


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    """Anonymous users go to the login page; everyone else gets `status` unless overridden."""
    return everyone(status, anonymous=302, **overrides)


def admin_only(status: int) -> dict[str, int]:
    return signed_in(403, admin=status)


#: (method, url template, {role: status}). Keep it complete: a test fails for any route not listed.
ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/", everyone(302, anonymous=200)),
    ("GET", "/login", everyone(302, anonymous=200)),
    ("POST", "/login", everyone(302, anonymous=200)),
    ("POST", "/logout", everyone(302)),
    ("POST", "/language", everyone(302)),
    ("GET", "/register", everyone(302, anonymous=200)),
    ("POST", "/register", everyone(302, anonymous=200)),
    ("GET", "/company", signed_in(403, company_own=302, company_other=302)),
    (
        "GET",
        "/company/{company_id}",
        signed_in(200, company_other=404, provider_other=404, official_other=404),
    ),
    (
        "GET",
        "/company/{company_id}/edit",
        signed_in(403, company_own=200, company_other=404, admin=200),
    ),
    (
        "POST",
        "/company/{company_id}/edit",
        signed_in(403, company_own=200, company_other=404, admin=200),
    ),
    ("GET", "/company/{other_company_id}", signed_in(404, company_other=200, official_other=200, admin=200)),
    ("GET", "/admin/", admin_only(302)),
    ("GET", "/admin/users", admin_only(200)),
    ("GET", "/admin/users/new/provider", admin_only(200)),
    ("GET", "/admin/users/new/official", admin_only(200)),
    ("POST", "/admin/users/new/official", admin_only(200)),
    ("GET", "/admin/users/new/admin", signed_in(403, admin=404)),
    ("GET", "/admin/users/{user_id}/deactivate", admin_only(200)),
    ("POST", "/admin/users/{user_id}/deactivate", admin_only(302)),
    ("GET", "/account/password", signed_in(200)),
    ("POST", "/account/password", signed_in(200)),
    ("POST", "/admin/users/{user_id}/activate", admin_only(302)),
    ("GET", "/admin/provider-orgs", admin_only(200)),
    ("POST", "/admin/provider-orgs", admin_only(200)),
    ("GET", "/assessments/", signed_in(403, company_own=200, company_other=200)),
    ("POST", "/assessments/start", signed_in(403, company_own=302, company_other=302)),
    ("GET", "/assessments/{draft_id}", signed_in(403, company_own=302, company_other=404)),
    ("GET", "/assessments/{draft_id}/sections/profile", signed_in(403, company_own=200, company_other=404)),
    ("POST", "/assessments/{draft_id}/sections/profile", signed_in(403, company_own=302, company_other=404)),
    ("POST", "/assessments/{draft_id}/sections/profile/confirm",
     signed_in(403, company_own=302, company_other=404)),
    ("GET", "/assessments/{draft_id}/questions/equip_total",
     signed_in(403, company_own=200, company_other=404)),
    ("POST", "/assessments/{draft_id}/questions/equip_total",
     signed_in(403, company_own=302, company_other=404)),
    ("POST", "/assessments/{submitted_id}/questions/equip_total",
     signed_in(403, company_own=303, company_other=404)),
    ("GET", "/assessments/{draft_id}/submit", signed_in(403, company_own=200, company_other=404)),
    ("POST", "/assessments/{draft_id}/submit", signed_in(403, company_own=422, company_other=404)),
    ("GET", "/assessments/{submitted_id}/result",
     signed_in(200, company_other=404, provider_other=404, official_other=404)),
    ("GET", "/assessments/{draft_id}/result", signed_in(404, company_own=302)),
    ("GET", "/assessments/{submitted_id}/what-if/value", signed_in(403, company_own=200, company_other=404)),
    ("POST", "/assessments/{submitted_id}/what-if", signed_in(403, company_own=200, company_other=404)),
    # No stored file yet: the render is queued and the waiting page answers 202.
    ("GET", "/reports/assessments/{submitted_id}.pdf",
     signed_in(202, company_other=404, provider_other=404, official_other=404)),
    ("GET", "/reports/assessments/{draft_id}.pdf", signed_in(404)),
    ("GET", "/reports/assessments/{submitted_id}/report-status",
     signed_in(200, company_other=404, provider_other=404, official_other=404)),
    ("GET", "/reports/assessments/{draft_id}/report-status", signed_in(404)),
    ("GET", "/reports/batches", signed_in(403, official=200, official_other=200, admin=200)),
    ("POST", "/reports/batches", signed_in(403, official=200, official_other=200, admin=200)),
    *[("GET", "/reports/batches/" + "0" * 24 + suffix,
       signed_in(403, official=404, official_other=404, admin=404))
      for suffix in ("", "/progress", "/reports.zip")],
    *[("POST", "/reports/batches/" + "0" * 24 + action,
       signed_in(403, official=404, official_other=404, admin=404))
      for action in ("/cancel", "/retry")],
    # The provider's side: assignment, work list, review, recommendations, evidence, quality.
    ("GET", "/assignments/", signed_in(403, official=200, official_other=200, admin=200)),
    ("POST", "/assignments/", signed_in(403, official=200, official_other=200, admin=200)),
    *[(method, "/assignments/company/{company_id}",
       signed_in(403, official=200, official_other=404, admin=200)) for method in ("GET", "POST")],
    ("GET", "/assignments/company/{company_id}/visit",
     signed_in(403, provider=200, provider_other=404, admin=200)),
    # An empty form clears the diagnostician and the date.
    ("POST", "/assignments/company/{company_id}/visit",
     signed_in(403, provider=302, provider_other=404, admin=302)),
    ("GET", "/work/", signed_in(403, provider=200, provider_colleague=200, provider_other=200)),
    ("GET", "/quality/", signed_in(403, official=200, official_other=200, admin=200)),
    # Other roles get 403 whatever the id; a provider who may not see the company gets 404.
    *[(method, "/reviews/{submitted_id}" + path, signed_in(403, provider=status, provider_other=404))
      for method, path, status in (
          ("GET", "", 302), ("GET", "/sections/profile", 200), ("POST", "/questions/equip_total", 422),
          ("GET", "/questions/equip_total/history", 200), ("POST", "/sections/profile/accept-rest", 302),
          ("GET", "/questions/equip_total/adjust", 200), ("GET", "/questions/equip_total/evidence", 200),
          ("POST", "/sections/profile/findings", 422), ("POST", "/findings/0/remove", 404),
          ("GET", "/sign-off", 200), ("POST", "/send-back", 409), ("POST", "/sign-off", 422),
          ("POST", "/recommendations/sme.uplift/keep", 303),
          ("POST", "/recommendations/sme.uplift/dismiss", 422),
          ("POST", "/recommendations/sme.uplift/change", 422),
          ("POST", "/recommendations/add", 422), ("POST", "/recommendations/add-own", 422))],
    # The recommendations page is read-only for everyone who sees the company once signed off.
    ("GET", "/reviews/{submitted_id}/recommendations",
     signed_in(403, provider=200, provider_other=404, company_other=404, official_other=404)),
    ("GET", "/reviews/{draft_id}", signed_in(403, provider=404, provider_colleague=404, provider_other=404)),
    ("GET", "/assessments/{submitted_id}/questions/equip_total/evidence",
     signed_in(200, company_other=404, provider_other=404, official_other=404)),
    # No file posted: back to the page with the message. Only the reviewer (and, in a round, the
    # company) uploads.
    ("POST", "/assessments/{submitted_id}/questions/equip_total/evidence",
     signed_in(403, company_own=303, provider=303, company_other=404, provider_other=404,
               official_other=404)),
    ("GET", "/evidence/0", signed_in(404)),
    ("POST", "/evidence/0/remove", signed_in(404)),
    # The company's side of the review: no round is open and nothing is signed off in this world.
    ("GET", "/responses/{submitted_id}/round", signed_in(403, company_own=200, company_other=404)),
    ("POST", "/responses/{submitted_id}/round/questions/equip_total",
     signed_in(403, company_own=409, company_other=404)),
    ("POST", "/responses/{submitted_id}/round/answer", signed_in(403, company_own=409, company_other=404)),
    ("POST", "/responses/{submitted_id}/confirm", signed_in(403, company_own=409, company_other=404)),
    ("POST", "/responses/{submitted_id}/dispute", signed_in(403, company_own=409, company_other=404)),
]
for feature in FEATURES:
    ROUTES += feature.ROUTES

#: Routes deliberately outside the matrix, with the reason.
NOT_IN_MATRIX = {"/static/<path:filename>": "public vendored assets"}


@pytest.fixture
def world(make_user, make_company, make_provider_org):
    provider_org = make_provider_org()
    company = make_company(park="家居产业园", provider_org=provider_org)
    other_company = make_company(park="化工园区")
    users = {
        "anonymous": None,
        "company_own": make_user(role="company", company=company),
        "company_other": make_user(role="company", company=other_company),
        "provider": make_user(role="provider", provider_org=provider_org, is_lead=True),
        "provider_colleague": make_user(role="provider", provider_org=provider_org),
        "provider_other": make_user(role="provider"),
        "official": make_user(role="official", regions=["家居产业园"]),
        "official_other": make_user(role="official", regions=["化工园区"]),
        "admin": make_user(role="admin"),
    }
    ids = {
        "company_id": company.id,
        "other_company_id": other_company.id,
        "user_id": users["provider_other"].id,
    }
    ids.update(access_world(company))
    for feature in FEATURES:
        ids.update(feature.ids(company, other_company, users))
    return users, ids


def _cases():
    for method, template, expected in ROUTES:
        for role in ROLES:
            yield pytest.param(method, template, role, expected[role], id=f"{method} {template} {role}")


@pytest.mark.parametrize(("method", "template", "role", "status"), list(_cases()))
def test_access(client, world, login, csrf_token, method, template, role, status):
    users, ids = world
    if users[role] is not None:
        login(client, users[role])
    url = template.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.open(url, method=method, data={"csrf_token": csrf_token(client)})
    assert response.status_code == status
    if role == "anonymous" and status == 302 and template != "/language":
        assert response.headers["Location"].startswith("/login"), response.headers["Location"]


def test_every_entry_names_every_role():
    for method, template, expected in ROUTES:
        assert set(expected) == set(ROLES), (method, template)


def test_every_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    sample_ids = {"company_id": 1, "other_company_id": 2, "user_id": 3, "draft_id": 4, "submitted_id": 5}
    for feature in FEATURES:
        sample_ids.update(dict.fromkeys(getattr(feature, "ID_NAMES", ()), 6))
    covered = {
        (adapter.match(template.format(**sample_ids), method=method)[0], method)
        for method, template, _ in ROUTES
    }
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.rule not in NOT_IN_MATRIX
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.endpoint, method) not in covered
    ]
    assert missing == []
