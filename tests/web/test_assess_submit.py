"""Submitting, the read-only assessment, the result page from its snapshot and the what-if panel."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import localize
from diagnosis.store import assessments as store
from tests.web.assess_helpers import (
    autosave,
    company_like,
    example,
    fill,
    hx_post,
    new_assessment,
    section_url,
)


@pytest.fixture
def company_user(make_company, make_user, login, client):
    user = make_user(role="company", company=company_like(make_company))
    login(client, user)
    return user


@pytest.fixture
def token(client, csrf_token, company_user):
    return csrf_token(client, "/assessments/")


@pytest.fixture
def complete(db_session, company_user):
    assessment = new_assessment(db_session, company_user.company, company_user)
    fill(db_session, assessment, example()["answers"])
    return assessment


@pytest.fixture
def submitted(client, db_session, complete, token):
    response = client.post(f"/assessments/{complete.id}/submit", data={"csrf_token": token})
    assert response.status_code == 302
    db_session.expire_all()
    return complete


def test_submit_with_missing_answers_lists_them_with_links_and_changes_nothing(client, db_session,
                                                                            company_user, token):
    assessment = new_assessment(db_session, company_user.company, company_user)
    fill(db_session, assessment, {"equip_total": 100})
    review = client.get(f"/assessments/{assessment.id}/submit").get_data(as_text=True)
    assert f'href="{section_url(assessment, "profile")}#q-equip_digital"' in review
    assert '#q-equip_total"' not in review
    response = client.post(f"/assessments/{assessment.id}/submit", data={"csrf_token": token})
    assert response.status_code == 422
    assert f'{section_url(assessment, "sme2024")}#q-sme_planning' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(store.Assessment, assessment.id).status == "draft"
    assert store.latest_snapshot(db_session, assessment.id) is None


def test_review_names_sections_with_open_optional_questions(client, db_session, company_user):
    assessment = new_assessment(db_session, company_user.company, company_user)
    answers = dict(example()["answers"])
    answers.pop("cmmm_strategy_l1")
    answers.pop("pain_text", None)
    fill(db_session, assessment, answers)
    review = client.get(f"/assessments/{assessment.id}/submit").get_data(as_text=True)
    assert "所有必答题均已填写" in review
    unfinished = review[review.index('class="unfinished"'):]
    assert f'href="{section_url(assessment, "cmmm")}"' in unfinished
    assert "未填 1 题" in unfinished and "按“不满足”计分" in unfinished


def test_submit_stores_the_snapshot_and_locks_the_assessment(client, db_session, submitted, token):
    assessment = db_session.get(store.Assessment, submitted.id)
    assert assessment.status == "submitted" and assessment.submitted_at is not None
    snapshot = store.latest_snapshot(db_session, assessment.id)
    assert snapshot.kind == "self"
    assert snapshot.result["questionnaire"] == {"id": assessment.questionnaire_id,
                                                "version": assessment.questionnaire_version}
    response = autosave(client, assessment, "equip_total", "1", token, rev=None)
    assert response.status_code == 409
    assert "已提交" in response.get_data(as_text=True)
    whole = client.post(section_url(assessment, "profile"), data={"csrf_token": token, "q_equip_total": "1"})
    assert whole.status_code == 303
    again = client.post(f"/assessments/{assessment.id}/submit", data={"csrf_token": token})
    assert again.status_code == 303
    db_session.expire_all()
    stored = store.company_answers(db_session, assessment.id)
    assert stored["equip_total"] == example()["answers"]["equip_total"]


def test_a_submitted_assessment_reads_only(client, submitted):
    page = client.get(section_url(submitted, "profile")).get_data(as_text=True)
    assert "只读" in page and "hx-post" not in page
    assert 'name="q_equip_total"' in page and "disabled" in page


def test_after_submit_a_new_draft_can_be_started(client, db_session, submitted, post_form):
    post_form(client, "/assessments/start", page="/assessments/")
    assert store.open_draft(db_session, submitted.company_id) is not None


def test_result_page_reads_the_snapshot_not_the_answers(client, db_session, submitted):
    snapshot = store.latest_snapshot(db_session, submitted.id)
    result = dict(snapshot.result)
    result["sme"] = {**result["sme"], "points": 77.25}
    snapshot.result = result
    db_session.flush()
    page = client.get(f"/assessments/{submitted.id}/result").get_data(as_text=True)
    assert "77.25" in page
    assert "中小企业数字化水平" in page and "智能制造能力成熟度" in page
    assert "<svg" in page and "能力雷达图" in page
    assert f'href="/reports/assessments/{submitted.id}.pdf?lang=zh_CN"' in page


def test_result_page_shows_ranked_recommendations_with_reasons(client, db_session, submitted):
    snapshot = store.latest_snapshot(db_session, submitted.id)
    recommendations = snapshot.result["recommendations"]
    assert recommendations, "the furniture example should draw recommendations"
    page = client.get(f"/assessments/{submitted.id}/result").get_data(as_text=True)
    for kind in {rec["kind"] for rec in recommendations}:  # grouped by kind, the main list before the folded
        ranked = [rec for rec in recommendations if rec["kind"] == kind]
        shown = [rec for rec in ranked if not rec["folded"]] + [rec for rec in ranked if rec["folded"]]
        positions = [page.index(f'id="rec-{rec["id"]}"') for rec in shown]
        assert positions == sorted(positions)
    assert 'class="because"' in page
    first = localize(snapshot.result, load_bundle(), "zh_CN")["recommendations"][0]
    assert first["title"] and first["title"] in page


def test_cmmm_not_assessed_is_said_so(client, db_session, make_company, make_user, login, csrf_token):
    small = company_like(make_company, above_designated_size=False, revenue_band="5m_20m", employees=40)
    user = make_user(role="company", company=small)
    login(client, user)
    assessment = new_assessment(db_session, small, user)
    answers = {qid: value for qid, value in example()["answers"].items() if not qid.startswith("cmmm_")}
    in_band = {"revenue_wan": 1800, "digital_spend_wan": 30}  # 500 万至 2000 万元, as its record says
    fill(db_session, assessment, {**answers, **in_band, "cmmm_self_check": False})
    response = client.post(f"/assessments/{assessment.id}/submit", data={"csrf_token": csrf_token(client,
                                                                                                "/assessments/")})
    assert response.status_code == 302
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    assert "未评估" in page


def counts(db_session, assessment_id):
    db_session.expire_all()
    audit = db_session.scalar(select(func.count()).select_from(store.AuditEvent)
                              .where(store.AuditEvent.assessment_id == assessment_id))
    snapshots = db_session.scalar(select(func.count()).select_from(store.ResultSnapshot)
                                  .where(store.ResultSnapshot.assessment_id == assessment_id))
    assessment = db_session.get(store.Assessment, assessment_id)
    return (store.company_answers(db_session, assessment_id), audit, snapshots, assessment.revision)


def test_what_if_shows_the_diff_and_writes_nothing(client, db_session, submitted, token):
    before = counts(db_session, submitted.id)
    changes = {"wi_q_0": "sme_sc_quality", "wi_v_0": "4", "wi_q_1": "equip_networked", "wi_v_1": "0"}
    response = hx_post(client, f"/assessments/{submitted.id}/what-if", changes, token)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "数字化水平等级" in body and "模拟后" in body and "已提交的答案没有任何改动" in body
    assert counts(db_session, submitted.id) == before


def test_what_if_reports_an_invalid_value_beside_nothing_written(client, db_session, submitted, token):
    before = counts(db_session, submitted.id)
    changes = {"wi_q_0": "sme_sc_quality", "wi_v_0": "9"}
    response = hx_post(client, f"/assessments/{submitted.id}/what-if", changes, token)
    assert response.status_code == 422
    assert "请填写 0 到 4 之间的数值。" in response.get_data(as_text=True)
    assert counts(db_session, submitted.id) == before


def test_what_if_value_input_follows_the_picked_question(client, submitted):
    response = client.get(f"/assessments/{submitted.id}/what-if/value?row=1&wi_q_1=network_wifi")
    body = response.get_data(as_text=True)
    assert 'name="wi_v_1"' in body and 'type="radio"' in body


@pytest.mark.parametrize("row", ["²", "٣", "9" * 5000, "3", "-1", ""])
def test_what_if_value_for_a_row_that_is_not_one_asks_for_a_question(client, submitted, row):
    response = client.get(f"/assessments/{submitted.id}/what-if/value",
                          query_string={"row": row, f"wi_q_{row}": "network_wifi"})
    assert response.status_code == 200
    assert "请先选择一道题。" in response.get_data(as_text=True)


def test_an_assessment_pinned_to_an_unknown_version_says_so(client, db_session, company_user):
    assessment = new_assessment(db_session, company_user.company, company_user)
    assessment.questionnaire_version = "1999.1"
    db_session.flush()
    response = client.get(section_url(assessment, "profile"))
    assert response.status_code == 409
    assert "1999.1" in response.get_data(as_text=True)
