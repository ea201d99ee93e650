"""The API's access matrix (tests/api/access_api.py), and that every rule under /api/v1 is in the
OpenAPI document and in the matrix."""

from __future__ import annotations

from datetime import date

import pytest

from diagnosis.core.pipeline_catalogue import catalogue
from tests.api.access_api import NOT_IN_MATRIX, ROLES, ROUTES, body_arguments
from tests.api.conftest import call


def _cases():
    for method, template, expected, body in ROUTES:
        for role in ROLES:
            yield pytest.param(method, template, role, expected[role], body, id=f"{method} {template} {role}")


def _ids(api_world) -> dict[str, object]:
    return {**api_world["ids"], "year": date.today().year, "target_id": next(iter(catalogue().targets))}


@pytest.mark.parametrize(("method", "template", "role", "status", "body"), list(_cases()))
def test_access(client, api_world, method, template, role, status, body):
    token = api_world["tokens"].get(role)
    response = call(client, method, template.format(**_ids(api_world)), token, **body_arguments(body))
    response.close()  # a file download's stream
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if status >= 400:
        assert response.is_json and response.get_json()["status"] == status


def test_company_lists_hold_exactly_what_the_role_sees(client, api_world):
    own, other = api_world["company"].id, api_world["other_company"].id
    expected = {
        "company_own": {own},
        "company_other": {other},
        "provider": {own},
        "provider_colleague": {own},
        "provider_other": set(),
        "official": {own},
        "official_other": {other},
        "admin": {own, other},
    }
    for role, ids in expected.items():
        body = call(client, "GET", "/api/v1/companies", api_world["tokens"][role]).get_json()
        assert {item["id"] for item in body["items"]} == ids, role
        assert body["total"] == len(ids)


def test_every_entry_names_every_role():
    for method, template, expected, _body in ROUTES:
        assert set(expected) == set(ROLES), (method, template)


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule not in NOT_IN_MATRIX:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_api_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    sample = {
        "company_id": 1,
        "other_company_id": 2,
        "submitted_id": 3,
        "draft_id": 5,
        "project_id": 4,
        "year": 2026,
        "target_id": "robots",
        "evidence_id": 6,
    }
    covered = {
        (adapter.match(template.format(**sample), method=method)[0], method)
        for method, template, _expected, _body in ROUTES
    }
    missing = [
        f"{method} {rule.rule}" for rule, method in _api_rules(app) if (rule.endpoint, method) not in covered
    ]
    assert missing == []


def test_every_api_route_is_in_the_openapi_document(client):
    app = client.application
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    documented = {(path, method.upper()) for path, item in paths.items() for method in item}
    missing = []
    for rule, method in _api_rules(app):
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        if (path, method) not in documented:
            missing.append(f"{method} {rule.rule}")
    assert missing == []
    assert all(path.startswith("/api/v1/") for path in paths), "only the API is documented"
