"""A company's self-assessment through the API: start, answers in the answer-file format with the
per-answer revision check (409 with both values, nothing saved), submit, the stored result."""

from __future__ import annotations

from diagnosis.store import tokens
from diagnosis.store.assessments import answer_rows
from tests.api.conftest import call
from tests.web.assess_helpers import company_like, example


def _company_token(make_company, make_user, db_session):
    company = company_like(make_company, park="家居产业园")
    user = make_user(role="company", company=company)
    return company, tokens.create_token(db_session, user, "自诊断脚本", 30)[1]


def _start(client, company, token):
    response = call(client, "POST", f"/api/v1/companies/{company.id}/assessments", token, json={})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_company_answers_and_submits(client, make_company, make_user, db_session):
    company, token = _company_token(make_company, make_user, db_session)
    assessment_id = _start(client, company, token)
    again = call(client, "POST", f"/api/v1/companies/{company.id}/assessments", token, json={})
    assert again.status_code == 409
    url = f"/api/v1/assessments/{assessment_id}/answers"
    assert call(client, "GET", url, token).get_json()["answers"] == {}
    written = call(client, "PUT", url, token, json={"answers": example()["answers"]})
    assert written.status_code == 200, written.get_json()
    body = written.get_json()
    assert body["questionnaire"]["id"] == example()["questionnaire"]["id"]
    assert body["answers"]["equip_total"] == example()["answers"]["equip_total"]
    assert set(body["revisions"]) == set(body["answers"])
    submitted = call(client, "POST", f"/api/v1/assessments/{assessment_id}/submit", token)
    assert submitted.status_code == 200, submitted.get_json()
    result = call(client, "GET", f"/api/v1/assessments/{assessment_id}/result", token).get_json()
    assert result["snapshot_id"] == submitted.get_json()["snapshot_id"]
    assert result["result"]["sme"]["level"] == submitted.get_json()["result"]["sme"]["level"]
    locked = call(
        client, "PUT", url, token, json={"answers": {"equip_total": 1}, "revisions": {"equip_total": 1}}
    )
    assert locked.status_code == 409


def test_a_stale_answer_is_refused_with_both_values_and_nothing_is_saved(
    client, make_company, make_user, db_session
):
    company, token = _company_token(make_company, make_user, db_session)
    assessment_id = _start(client, company, token)
    url = f"/api/v1/assessments/{assessment_id}/answers"
    first = call(client, "PUT", url, token, json={"answers": {"equip_total": 100}})
    assert first.status_code == 200
    revision = first.get_json()["revisions"]["equip_total"]
    stale = call(
        client,
        "PUT",
        url,
        token,
        json={"answers": {"equip_digital": 50, "equip_total": 200}, "revisions": {}},
    )
    assert stale.status_code == 409
    conflict = stale.get_json()["conflicts"]
    assert conflict == [{"question": "equip_total", "current": 100, "revision": revision, "yours": 200}]
    assert stale.get_json()["errors"][0]["field"] == "json.answers.equip_total"
    stored = answer_rows(db_session, assessment_id)
    assert {qid: row.value for qid, row in stored.items()} == {"equip_total": 100}
    fresh = call(
        client,
        "PUT",
        url,
        token,
        json={"answers": {"equip_total": 200}, "revisions": {"equip_total": revision}},
    )
    assert fresh.status_code == 200 and fresh.get_json()["answers"]["equip_total"] == 200


def test_invalid_answers_name_the_question_and_nothing_is_saved(client, make_company, make_user, db_session):
    company, token = _company_token(make_company, make_user, db_session)
    assessment_id = _start(client, company, token)
    url = f"/api/v1/assessments/{assessment_id}/answers"
    unknown = call(client, "PUT", url, token, json={"answers": {"no_such_question": 1}})
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "json.answers.no_such_question"
    bad = call(
        client, "PUT", url, token, json={"answers": {"equip_total": "many", "systems_in_use": ["erp"]}}
    )
    assert bad.status_code == 422
    assert [error["field"] for error in bad.get_json()["errors"]] == ["json.answers.equip_total"]
    assert answer_rows(db_session, assessment_id) == {}
    missing = call(client, "POST", f"/api/v1/assessments/{assessment_id}/submit", token)
    assert missing.status_code == 422
    assert any(error["field"].startswith("answers.") for error in missing.get_json()["errors"])
