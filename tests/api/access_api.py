"""The API's access matrix: every route × every role → the status, with a real bearer token per role.

The world is tests/api/conftest.py's (company A in 家居产业园 assigned to provider organisation P,
company B in 化工园区). Roles as in tests/web/test_access_matrix.py; ``anonymous`` sends no token
(401 everywhere). Bodies are valid, so the status reflects access only: another company's resource
answers 404, a role that may see but not act 403. ``{submitted_id}`` has a self-assessed snapshot and
no report file yet (202: the render is asked for), and a PDF on equip_total (``{evidence_id}``). A body
is JSON, or a `Multipart` for the routes that take files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from diagnosis.review_reasons import reasons
from tests.api.conftest import Multipart
from tests.pipeline.roster_files import csv_bytes, good_row
from tests.web.test_evidence_files import PDF

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

#: The URL placeholders the world fills in.
ID_NAMES = (
    "company_id",
    "other_company_id",
    "submitted_id",
    "draft_id",
    "project_id",
    "year",
    "target_id",
    "evidence_id",
)


def body_arguments(body: dict[str, Any] | Multipart | None) -> dict[str, Any]:
    return body.request() if isinstance(body, Multipart) else {"json": body}


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    return {"anonymous": 401, **{role: overrides.get(role, status) for role in ROLES[1:]}}


#: Who sees company A: its users, P's, the official of its park, the admin.
UNSEEN = {"company_other": 404, "provider_other": 404, "official_other": 404}
OFFICIALS = signed_in(403, official=200, official_other=200, admin=200)
#: A company's own assessments: its users only; another company's are not there.
OWN = {"company_other": 404}


def project_body() -> dict[str, Any]:
    return {
        "kind": "robot",
        "name": "矩阵项目",
        "planned_investment": 12.5,
        "quantity": 3,
        "start_on": "2026-01-01",
        "planned_finish_on": "2026-12-31",
    }


def progress_body() -> dict[str, Any]:
    return {
        "month": date.today().strftime("%Y-%m"),
        "status": "in_progress",
        "investment_to_date": 4,
        "note": "",
        "revision": 0,
    }


#: A dry run of one good row in 家居产业园: every official checks it (the other park's as a bad row).
ROSTER = Multipart({"dry_run": "true"}, {"file": [(csv_bytes([good_row(1)]), "名录.csv")]})
EVIDENCE = Multipart({}, {"files": [(PDF.replace(b"%%EOF", b"% matrix\n%%EOF"), "现场台账.pdf")]})

#: (method, URL template, {role: status}, body or None). Complete: a test fails for a route missing.
ROUTES: list[tuple[str, str, dict[str, int], dict[str, Any] | Multipart | None]] = [
    ("GET", "/api/v1/companies", signed_in(200), None),
    ("GET", "/api/v1/companies/{company_id}", signed_in(200, **UNSEEN), None),
    (
        "GET",
        "/api/v1/companies/{other_company_id}",
        signed_in(404, company_other=200, official_other=200, admin=200),
        None,
    ),
    ("GET", "/api/v1/companies/{company_id}/assessments", signed_in(200, **UNSEEN), None),
    ("GET", "/api/v1/assessments/{submitted_id}/result", signed_in(200, **UNSEEN), None),
    ("GET", "/api/v1/assessments/{submitted_id}/report.pdf", signed_in(202, **UNSEEN), None),
    # company_own has an open draft already (one at a time): 409.
    ("POST", "/api/v1/companies/{company_id}/assessments", signed_in(403, company_own=409, **OWN), {}),
    ("GET", "/api/v1/assessments/{draft_id}/answers", signed_in(403, company_own=200, **OWN), None),
    (
        "PUT",
        "/api/v1/assessments/{draft_id}/answers",
        signed_in(403, company_own=200, **OWN),
        {"answers": {"equip_total": 10}, "revisions": {"equip_total": 0}},
    ),
    # The draft lacks its required answers: 422 for its company.
    ("POST", "/api/v1/assessments/{draft_id}/submit", signed_in(403, company_own=422, **OWN), None),
    ("GET", "/api/v1/companies/{company_id}/projects", signed_in(200, **UNSEEN), None),
    (
        "POST",
        "/api/v1/companies/{company_id}/projects",
        signed_in(403, company_own=201, provider=201, provider_colleague=201, **UNSEEN),
        project_body(),
    ),
    ("GET", "/api/v1/projects/{project_id}", signed_in(200, **UNSEEN), None),
    (
        "POST",
        "/api/v1/projects/{project_id}/progress",
        signed_in(403, company_own=201, provider=201, provider_colleague=201, **UNSEEN),
        progress_body(),
    ),
    # The review: P's lead (may review every one of P's); a colleague neither lead nor assigned: 403.
    # The company left equip_total blank: adjusting (with a reason) is the action open to the reviewer.
    ("GET", "/api/v1/reviews/{submitted_id}", signed_in(403, provider=200, provider_other=404), None),
    (
        "POST",
        "/api/v1/reviews/{submitted_id}/questions/equip_total",
        signed_in(403, provider=200, provider_other=404),
        {"action": "adjust", "value": 100, "revision": 0, "reason_code": next(iter(reasons())),
         "reason_text": "现场清点设备台账"},
    ),
    (
        "GET",
        "/api/v1/reviews/{submitted_id}/questions/equip_total/evidence",
        signed_in(403, provider=200, provider_other=404),
        None,
    ),
    (
        "POST",
        "/api/v1/reviews/{submitted_id}/questions/equip_total/evidence",
        signed_in(403, provider=201, provider_other=404),
        EVIDENCE,
    ),
    (
        "GET",
        "/api/v1/reviews/{submitted_id}/evidence/{evidence_id}",
        signed_in(403, provider=200, provider_other=404),
        None,
    ),
    ("POST", "/api/v1/roster", OFFICIALS, ROSTER),
    ("GET", "/api/v1/pipeline/targets", OFFICIALS, None),
    ("GET", "/api/v1/pipeline/coverage", OFFICIALS, None),
    ("GET", "/api/v1/pipeline/ledger", OFFICIALS, None),
    ("GET", "/api/v1/targets", OFFICIALS, None),
    ("PUT", "/api/v1/targets/{year}/{target_id}", OFFICIALS, {"value": 7}),
]

#: Rules under /api/v1 outside the matrix, with the reason.
NOT_IN_MATRIX = {
    "/api/v1/openapi.json": "the public OpenAPI document (no token: clients read it before they have one)",
    "/api/v1/docs": "the public docs page showing that document",
}
