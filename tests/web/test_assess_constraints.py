"""Answers that contradict each other: saved and marked at both fields, listed at submit (which is
refused), refused in the what-if, and reported by `flask diagnose`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOO_MANY = "数字化生产设备数量不能超过生产设备总数。"


@pytest.fixture
def company_user(make_company, make_user, login, client):
    user = make_user(role="company", company=company_like(make_company, "panels_2021"))
    login(client, user)
    return user


@pytest.fixture
def token(client, csrf_token, company_user):
    return csrf_token(client, "/assessments/")


@pytest.fixture
def draft(db_session, company_user):
    return new_assessment(db_session, company_user.company, company_user)


def test_an_impossible_count_is_saved_and_marked_at_both_fields(client, db_session, draft, token):
    fill(db_session, draft, {"equip_total": 142})
    response = autosave(client, draft, "equip_digital", "200", token)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert store.company_answers(db_session, draft.id) == {"equip_total": 142, "equip_digital": 200}
    mine, other = body.split('id="q-equip_total-status"')
    assert 'data-state="warning"' in mine and TOO_MANY in mine and "生产设备总数：142 台/套" in mine
    assert 'hx-swap-oob="true"' in other and TOO_MANY in other and "200 台/套" in other
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert page.count(TOO_MANY) == 2

    fixed = autosave(client, draft, "equip_total", "250", token, rev=1).get_data(as_text=True)
    assert TOO_MANY not in fixed and 'id="q-equip_digital-status"' in fixed  # its mark is cleared too
    assert client.get(section_url(draft, "profile")).get_data(as_text=True).count(TOO_MANY) == 0


def test_an_unrelated_answer_leaves_the_other_marks_alone(client, db_session, draft, token):
    fill(db_session, draft, {"equip_total": 142, "equip_digital": 40})
    body = autosave(client, draft, "equip_networked", "30", token).get_data(as_text=True)
    assert 'data-state="saved"' in body and 'id="q-equip_total-status"' not in body


def test_integrated_systems_must_be_in_use(client, db_session, draft, token):
    fill(db_session, draft, {"systems_in_use": ["erp", "oa"]})
    body = autosave(client, draft, "systems_integrated", ["erp", "mes"], token).get_data(as_text=True)
    assert "已集成的系统必须是在用的系统" in body
    assert store.company_answers(db_session, draft.id)["systems_integrated"] == ["erp", "mes"]


def test_the_revenue_question_shows_the_band_the_record_holds(client, draft, db_session, token):
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert "营业收入规模：2000 万至 1 亿元" in page  # panels' record: 20m_100m
    body = autosave(client, draft, "revenue_wan", "26800", token).get_data(as_text=True)
    assert "营业收入与企业档案中的营业收入规模（2000 万至 1 亿元）不一致" in body


def test_submit_lists_contradictions_with_links_and_is_refused(client, db_session, draft, token):
    fill(db_session, draft, {**example("panels_2021")["answers"], "key_process_nc": 9})
    review = client.get(f"/assessments/{draft.id}/submit").get_data(as_text=True)
    assert 'data-constraint="key_process_nc_within_total"' in review
    assert f'{section_url(draft, "profile")}#q-key_process_nc"' in review
    assert f'{section_url(draft, "profile")}#q-key_process_total"' in review
    response = client.post(f"/assessments/{draft.id}/submit", data={"csrf_token": token})
    assert response.status_code == 422 and "有答案互相矛盾" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(store.Assessment, draft.id).status == "draft"
    assert store.company_answers(db_session, draft.id)["key_process_nc"] == 9  # nothing lost
    fill(db_session, draft, {"key_process_nc": 2})
    assert client.post(f"/assessments/{draft.id}/submit", data={"csrf_token": token}).status_code == 302


def test_the_what_if_gives_the_message_not_a_score(client, db_session, draft, token):
    fill(db_session, draft, example("panels_2021")["answers"])
    assert client.post(f"/assessments/{draft.id}/submit", data={"csrf_token": token}).status_code == 302
    response = hx_post(client, f"/assessments/{draft.id}/what-if",
                       {"wi_q_0": "equip_networked", "wi_v_0": "500"}, token)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "已联网的生产设备数量不能超过生产设备总数。" in body and "模拟后" not in body


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_diagnose_refuses_contradictions_by_question_and_constraint(runner, tmp_path):
    data = json.loads((EXAMPLES / "panels_2021.json").read_text(encoding="utf-8"))
    data["answers"].update(equip_digital=200, systems_integrated=["erp", "mes"])
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["diagnose", str(path), "--lang", "en"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: equip_digital: constraint equip_digital_within_total (equip_digital=200, equip_total=142): "
        "There cannot be more digitised production equipment than production equipment in all.",
        f"{path}: systems_integrated: constraint systems_integrated_in_use "
        "(systems_integrated=['erp', 'mes'], systems_in_use=['erp', 'oa']): "
        "An integrated system must be a system in use; tick it under systems in use, or untick it here.",
    ]


def test_diagnose_warns_about_unanswered_required_questions_and_still_prints(runner, tmp_path):
    data = json.loads((EXAMPLES / "panels_2021.json").read_text(encoding="utf-8"))
    del data["answers"]["network_5g"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["diagnose", str(path)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"{path}: network_5g: warning: required question not answered"]
    assert json.loads(result.stdout)["sme"]["level"] is not None
