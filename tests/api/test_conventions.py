"""The API's conventions: JSON errors with the field and reason everywhere under /api (and HTML pages
unchanged elsewhere), pagination, ETags, idempotency keys, the body limit, the rate limit."""

from __future__ import annotations

from sqlalchemy import func, select

from diagnosis.store.projects import Project
from reports.data import report_key
from reports.report import stored_path
from tests.api.access_api import project_body
from tests.api.conftest import call


def _errors(response):
    assert response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert body["status"] == response.status_code
    return [(error["field"], error["reason"]) for error in body["errors"]]


def _projects(db_session, company_id: int) -> int:
    """Counted through the test's own session: the app's starts afresh with each request."""
    query = select(func.count()).select_from(Project).where(Project.company_id == company_id)
    return db_session.scalar(query)


def test_routing_errors_are_json_under_api_and_pages_elsewhere(client, api_world):
    token = api_world["tokens"]["admin"]
    assert _errors(call(client, "GET", "/api/v1/no-such-thing", token))[0][0] is None
    response = call(client, "DELETE", "/api/v1/companies", token)
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET"}
    _errors(response)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_bad_bodies_name_the_field_and_save_nothing(client, api_world, db_session):
    token, company_id = api_world["tokens"]["company_own"], api_world["ids"]["company_id"]
    url = f"/api/v1/companies/{company_id}/projects"
    cases = [
        ({**project_body(), "colour": "red"}, "json.colour"),
        ({**project_body(), "quantity": True}, "json.quantity"),
        ({**project_body(), "quantity": "3"}, "json.quantity"),
        ({**project_body(), "planned_investment": "12"}, "json.planned_investment"),
        ({**project_body(), "planned_investment": 1.234}, "json.planned_investment"),
        ({**project_body(), "kind": "teleport"}, "json.kind"),
        ({**project_body(), "quantity": None}, "json"),  # robots need their count
        ({**project_body(), "planned_finish_on": "2025-12-31"}, "json"),  # before the start
        ({**project_body(), "start_on": "0226-01-01"}, "json.start_on"),
    ]
    for body, field in cases:
        response = call(client, "POST", url, token, json=body)
        assert response.status_code == 422, body
        assert field in [name for name, _reason in _errors(response)], (body, response.get_json())
    malformed = call(client, "POST", url, token, data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and _errors(malformed)[0][0] == "json"
    nested = call(
        client, "POST", url, token, data="[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert nested.status_code in (400, 413)
    _errors(nested)
    nul = call(client, "POST", url, token, json={**project_body(), "name": "a\u0000b"})
    assert nul.status_code == 400
    _errors(nul)
    assert _projects(db_session, company_id) == 1


def test_a_body_over_the_limit_is_413(client, api_world, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_MAX_BODY_BYTES", 1000)
    token, company_id = api_world["tokens"]["company_own"], api_world["ids"]["company_id"]
    response = call(
        client,
        "POST",
        f"/api/v1/companies/{company_id}/projects",
        token,
        json={**project_body(), "name": "x" * 2000},
    )
    assert response.status_code == 413
    _errors(response)


def test_a_server_error_is_json_too(client, api_world, app, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("diagnosis.api.companies.visible_companies", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = call(client, "GET", "/api/v1/companies", api_world["tokens"]["admin"])
    assert response.status_code == 500
    assert "boom" not in response.get_data(as_text=True)
    _errors(response)


def test_lists_are_pages_in_id_order_with_their_total(client, api_world, make_company):
    extra = [make_company(park="家居产业园").id for _ in range(4)]
    token = api_world["tokens"]["official"]
    first = call(client, "GET", "/api/v1/companies?per_page=2", token).get_json()
    second = call(client, "GET", "/api/v1/companies?per_page=2&page=2", token).get_json()
    last = call(client, "GET", "/api/v1/companies?per_page=2&page=3", token).get_json()
    ids = [item["id"] for page in (first, second, last) for item in page["items"]]
    assert ids == sorted([api_world["ids"]["company_id"], *extra]) and first["total"] == 5
    for bad in ("per_page=0", "per_page=501", "page=0", "page=x", "colour=red"):
        assert call(client, "GET", f"/api/v1/companies?{bad}", token).status_code == 422, bad
    assert _errors(call(client, "GET", "/api/v1/companies?page=1&page=2", token))[0][0] == "query.page"


def test_results_carry_an_etag(client, api_world):
    token, assessment_id = api_world["tokens"]["official"], api_world["ids"]["submitted_id"]
    url = f"/api/v1/assessments/{assessment_id}/result"
    first = call(client, "GET", url, token)
    assert first.status_code == 200 and first.get_json()["result"]["sme"]["level"] is not None
    again = call(client, "GET", url, token, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert call(client, "GET", url, token, headers={"If-None-Match": '"other"'}).status_code == 200
    assert call(client, "GET", url + "?kind=verified", token).status_code == 404


def test_a_stored_report_downloads_with_an_etag(client, api_world, app, db_session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DIAGNOSIS_STORAGE", str(tmp_path))  # the file must not outlive the test
    token, assessment_id = api_world["tokens"]["company_own"], api_world["ids"]["submitted_id"]
    path = stored_path(app.config["DIAGNOSIS_STORAGE"], report_key(db_session, assessment_id), "zh_CN")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 stored report")
    url = f"/api/v1/assessments/{assessment_id}/report.pdf"
    first = call(client, "GET", url, token)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.get_data() == b"%PDF-1.7 stored report"
    first.close()
    again = call(client, "GET", url, token, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    again.close()
    assert call(client, "GET", url + "?lang=fr", token).status_code == 422


def test_an_idempotency_key_replays_the_first_response(client, api_world, db_session):
    token, company_id = api_world["tokens"]["company_own"], api_world["ids"]["company_id"]
    url = f"/api/v1/companies/{company_id}/projects"
    key = {"Idempotency-Key": "2026-12 立项 1"}
    first = call(client, "POST", url, token, json=project_body(), headers=key)
    again = call(client, "POST", url, token, json=project_body(), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert _projects(db_session, company_id) == 2
    other = call(client, "POST", url, token, json={**project_body(), "name": "另一项目"}, headers=key)
    assert other.status_code == 422 and _errors(other)[0][0] == "header.Idempotency-Key"
    provider = call(client, "POST", url, api_world["tokens"]["provider"], json=project_body(), headers=key)
    assert provider.status_code == 201 and provider.get_json()["id"] != first.get_json()["id"]
    assert _projects(db_session, company_id) == 3


def test_the_rate_limit_counts_per_token(client, api_world, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    own, other = api_world["tokens"]["company_own"], api_world["tokens"]["company_other"]
    statuses = [call(client, "GET", "/api/v1/companies", own).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = call(client, "GET", "/api/v1/companies", own)
    _errors(refused)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert call(client, "GET", "/api/v1/companies", other).status_code == 200
