"""Projects through the API: made as on the page (the same store function, the recommendation kept
when the company's results hold it), progress with the revision check (409 with both values)."""

from __future__ import annotations

from datetime import date

from diagnosis.store.projects import Project
from tests.api.access_api import progress_body, project_body
from tests.api.conftest import call


def test_a_company_starts_a_project_and_reports_progress(client, api_world, db_session):
    token, company_id = api_world["tokens"]["company_own"], api_world["ids"]["company_id"]
    made = call(client, "POST", f"/api/v1/companies/{company_id}/projects", token, json=project_body())
    assert made.status_code == 201
    project = made.get_json()
    assert (project["status"], project["revision"], project["quantity"]) == ("planned", 0, 3)
    url = f"/api/v1/projects/{project['id']}/progress"
    reported = call(client, "POST", url, token, json={**progress_body(), "note": " 设备到厂 "})
    assert reported.status_code == 201
    body = reported.get_json()
    assert (body["status"], body["investment_to_date"], body["revision"]) == ("in_progress", 4.0, 1)
    assert body["progress"][0]["note"] == "设备到厂"
    assert body["progress"][0]["month"] == date.today().replace(day=1).isoformat()
    listed = call(client, "GET", f"/api/v1/companies/{company_id}/projects", token).get_json()["items"]
    assert project["id"] in [item["id"] for item in listed]


def test_a_stale_revision_is_refused_with_both_values(client, api_world, db_session):
    token, project_id = api_world["tokens"]["provider"], api_world["ids"]["project_id"]
    url = f"/api/v1/projects/{project_id}/progress"
    assert call(client, "POST", url, token, json=progress_body()).status_code == 201
    stale = call(
        client,
        "POST",
        url,
        api_world["tokens"]["company_own"],
        json={**progress_body(), "status": "completed", "investment_to_date": 9},
    )
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["errors"][0]["field"] == "json.revision"
    assert body["current"] == {"revision": 1, "status": "in_progress", "investment_to_date": 4.0}
    assert body["yours"] == {"revision": 0, "status": "completed", "investment_to_date": 9.0}
    project = db_session.get(Project, project_id)
    db_session.refresh(project)
    assert (project.status, project.revision, len(project.progress)) == ("in_progress", 1, 1)


def test_progress_rules_are_the_forms(client, api_world):
    token, project_id = api_world["tokens"]["company_own"], api_world["ids"]["project_id"]
    url = f"/api/v1/projects/{project_id}/progress"
    next_year = date.today().year + 1
    for change, field in (
        ({"month": f"{next_year}-01"}, "json.month"),
        ({"month": "2026-13"}, "json.month"),
        ({"status": "done"}, "json.status"),
        ({"investment_to_date": -1}, "json.investment_to_date"),
        ({"revision": "0"}, "json.revision"),
        ({"note": "x" * 2001}, "json.note"),
    ):
        response = call(client, "POST", url, token, json={**progress_body(), **change})
        assert response.status_code == 422, change
        assert [error["field"] for error in response.get_json()["errors"]] == [field], change


def test_an_unknown_provider_is_a_field_error(client, api_world):
    token, company_id = api_world["tokens"]["company_own"], api_world["ids"]["company_id"]
    response = call(
        client,
        "POST",
        f"/api/v1/companies/{company_id}/projects",
        token,
        json={**project_body(), "provider_org_id": 2_000_000_000},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "json.provider_org_id"
