"""Requests generated from the OpenAPI document (schemathesis), run in process against the app with
a real token of a seeded user: no response may be a 500, and every response must match the document
(status, content type, body schema, headers). Bounded: 30 examples per operation and role, valid and
invalid ones, half of them on the world's own records.

Two roles drive it: the admin reaches every operation; the company user the creating ones (立项,
progress) and the officials' refusals. Each operation's strategy is run by Hypothesis directly
(schemathesis' pytest fixture loader does not run under pytest 9), and every failing operation is
reported, not only the first."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import bearer

#: Bodies with rules JSON Schema cannot say: across fields (the count only for kinds with one, the
#: finish not before the start, the month not after this one) or the questionnaire's own (question
#: ids, each question's type and range). A schema-valid body may be refused with 422 (or 400 for a
#: NUL character) there, and only there.
NOT_IN_SCHEMA = {
    "POST /api/v1/companies/{company_id}/projects",
    "POST /api/v1/projects/{project_id}/progress",
    "PUT /api/v1/assessments/{assessment_id}/answers",
    "POST /api/v1/assessments/{assessment_id}/submit",  # the draft's answers must be complete
}
BOUNDS = settings(
    max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def _strategy(operation: Any, known: dict[str, Any]) -> Any:
    """Valid and invalid requests, half of them naming the world's records (random ids find none)."""
    names = {parameter.name for parameter in operation.path_parameters}
    ids = {name: value for name, value in known.items() if name in names}
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if ids:
        strategies += [operation.as_strategy(mode, path_parameters=ids) for mode in GenerationMode]
    return st.one_of(strategies)


def _run(operation: Any, token: str, known: dict[str, Any]) -> None:
    excluded = [positive_data_acceptance] if operation.label in NOT_IN_SCHEMA else []

    @BOUNDS
    @given(case=_strategy(operation, known))
    def run(case):
        case.call_and_validate(headers=bearer(token), excluded_checks=excluded)

    run()


def _failures(app, token: str, known: dict[str, Any]) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation the document describes wrongly
            failures.append(f"invalid operation: {result.err()}")
            continue
        operation = result.ok()
        try:
            _run(operation, token, known)
        except Exception as error:  # noqa: BLE001 - every operation's failure is collected
            failures.append(f"{operation.label}: {error}")
    return failures


@pytest.mark.parametrize("role", ["admin", "company_own"])
def test_the_api_keeps_its_document(app, api_world, monkeypatch, role):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    ids = api_world["ids"]
    known = {
        "company_id": ids["company_id"],
        "assessment_id": ids["draft_id"] if role == "company_own" else ids["submitted_id"],
        "project_id": ids["project_id"],
        "year": date.today().year,
        "target_id": "robots",
    }
    failures = _failures(app, api_world["tokens"][role], known)
    assert failures == [], "\n\n".join(failures)
