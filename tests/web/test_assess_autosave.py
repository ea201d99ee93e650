"""Filling in the diagnosis: start, autosave per question, validation, conflicts, visibility, progress."""

from __future__ import annotations

import pytest

from diagnosis.store import assessments as store
from tests.support import audit_trail
from tests.web.assess_helpers import (
    autosave,
    company_like,
    hx_post,
    instrument,
    new_assessment,
    question_url,
    section_url,
)


@pytest.fixture
def company_user(make_company, make_user, login, client):
    company = company_like(make_company)
    user = make_user(role="company", company=company)
    login(client, user)
    return user


@pytest.fixture
def draft(db_session, company_user):
    return new_assessment(db_session, company_user.company, company_user)


@pytest.fixture
def token(client, csrf_token, company_user):
    return csrf_token(client, "/assessments/")


def audit_count(db_session, assessment) -> int:
    return len(audit_trail(db_session, assessment.id))


def test_starting_pins_the_active_questionnaire_and_keeps_one_open_draft(client, db_session, company_user,
                                                                         post_form):
    response = post_form(client, "/assessments/start", page="/assessments/")
    assert response.status_code == 302
    [assessment] = store.assessments_of(db_session, company_user.company_id)
    active = instrument()
    assert (assessment.questionnaire_id, assessment.questionnaire_version) == (active.id, str(active.version))
    again = post_form(client, "/assessments/start", page="/assessments/")
    assert again.headers["Location"].endswith(f"/assessments/{assessment.id}")
    assert len(store.assessments_of(db_session, company_user.company_id)) == 1


def test_resume_opens_the_first_unfinished_section(client, draft):
    response = client.get(f"/assessments/{draft.id}")
    assert response.headers["Location"].endswith(section_url(draft, "profile"))


def test_section_page_shows_questions_hints_progress_and_only_applicable_sections(client, draft):
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert 'id="q-equip_total"' in page and 'name="q_equip_total"' in page
    assert 'type="number"' in page and 'max="100000"' in page
    assert "佐证材料" in page
    assert 'id="assess-progress"' in page and "已回答 0 / " in page
    assert section_url(draft, "furniture") in page
    assert section_url(draft, "chemicals") not in page
    assert client.get(section_url(draft, "chemicals")).status_code == 302


def test_scenario_levels_render_as_cards_with_their_statements(client, draft):
    page = client.get(section_url(draft, "sme2024")).get_data(as_text=True)
    assert 'class="level-card"' in page and "未开展" in page
    assert page.count('name="q_sme_sc_quality"') == 5


def test_autosave_stores_the_answer_with_an_audit_event_and_updates_progress(client, db_session, draft,
                                                                              token):
    response = autosave(client, draft, "equip_total", "120", token)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "已保存" in body
    assert 'id="assess-progress" class="assess-progress" hx-swap-oob="true"' in body
    assert "已回答 1 / " in body
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"equip_total": 120}
    event = audit_trail(db_session, draft.id)[-1]
    assert (event.question_id, event.old, event.new) == ("equip_total", None, 120)


@pytest.mark.parametrize(("qid", "raw", "message"), [
    ("equip_total", "-5", "请填写 0 到 100000 之间的数值。"),
    ("equip_total", "abc", "请填写整数。"),
    ("equip_total", "12.5", "请填写整数。"),
    ("network_wifi", "everywhere", "“everywhere”不在选项之中。"),
    ("network_industrial", "maybe", "请选择“是”或“否”。"),
])
def test_invalid_values_get_a_message_and_change_nothing(client, db_session, draft, token, qid, raw, message):
    store.write_answer(db_session, draft, "equip_total", 80, None)
    before = audit_count(db_session, draft)
    response = autosave(client, draft, qid, raw, token, rev=1)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"equip_total": 80}
    assert audit_count(db_session, draft) == before


def test_exclusive_option_cannot_be_mixed(client, db_session, draft, token):
    response = autosave(client, draft, "systems_in_use", ["erp", "none"], token)
    assert response.status_code == 422
    assert "不能与其他选项同时选择" in response.get_data(as_text=True)
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {}


def test_two_tabs_never_overwrite_each_other_silently(app, client, db_session, draft, token, company_user,
                                                      login, csrf_token):
    other_tab = app.test_client()
    login(other_tab, company_user)
    other_token = csrf_token(other_tab, "/assessments/")
    first = autosave(client, draft, "equip_total", "100", token)
    assert first.status_code == 200
    stale = autosave(other_tab, draft, "equip_total", "200", other_token, rev=0)
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "100 台/套" in body and "200 台/套" in body
    assert "保留我的答案" in body and "采用已保存的答案" in body
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"equip_total": 100}
    theirs_revision = store.answer_rows(db_session, draft.id)["equip_total"].revision
    assert f'name="rev_equip_total" value="{theirs_revision}"' in body
    kept = autosave(other_tab, draft, "equip_total", "200", other_token, rev=theirs_revision)
    assert kept.status_code == 200
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"equip_total": 200}
    late = autosave(client, draft, "equip_total", "300", token, rev=theirs_revision)
    assert late.status_code == 409
    taken = client.get(question_url(draft, "equip_total")).get_data(as_text=True)
    assert 'value="200"' in taken


def test_same_value_from_a_stale_tab_is_not_a_conflict(client, db_session, draft, token):
    store.write_answer(db_session, draft, "network_wifi", "partial", None)
    response = autosave(client, draft, "network_wifi", "partial", token, rev=0)
    assert response.status_code == 200


def test_an_answer_brings_in_the_questions_it_conditions(client, db_session, draft, token):
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert '<div id="q-systems_integrated" class="question question--hidden" hidden></div>' in page
    response = autosave(client, draft, "systems_in_use", ["erp", "mes"], token)
    body = response.get_data(as_text=True)
    assert 'id="q-systems_integrated" class="question"' in body and 'hx-swap-oob="true"' in body
    assert 'name="q_systems_integrated"' in body
    hidden_again = autosave(client, draft, "systems_in_use", ["none"], token, rev=1)
    assert 'id="q-systems_integrated" class="question question--hidden" hidden hx-swap-oob="true"' in \
        hidden_again.get_data(as_text=True)


def test_answering_a_hidden_question_is_refused(client, db_session, draft, token):
    response = autosave(client, draft, "systems_integrated", ["erp"], token)
    assert response.status_code == 409
    assert "不适用" in response.get_data(as_text=True)
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {}


def test_a_section_appears_when_its_condition_is_met(client, db_session, make_company, make_user, login,
                                                     csrf_token):
    small = company_like(make_company, above_designated_size=False, revenue_band="5m_20m", employees=40)
    user = make_user(role="company", company=small)
    login(client, user)
    assessment = new_assessment(db_session, small, user)
    page = client.get(section_url(assessment, "profile")).get_data(as_text=True)
    assert section_url(assessment, "cmmm") not in page
    response = autosave(client, assessment, "cmmm_self_check", "true", csrf_token(client, "/assessments/"))
    assert response.status_code == 200
    assert section_url(assessment, "cmmm") in response.get_data(as_text=True)


def test_progress_and_section_marks_follow_the_answers(client, db_session, draft):
    store.write_answer(db_session, draft, "equip_total", 10, None)
    store.write_answer(db_session, draft, "equip_digital", 5, None)
    page = client.get(section_url(draft, "sme2024")).get_data(as_text=True)
    assert "已回答 2 / " in page
    assert "section-list__item--partial" in page and "部分完成" in page


def test_the_section_form_saves_without_javascript(client, db_session, draft, token):
    response = client.post(section_url(draft, "profile"), data={
        "csrf_token": token, "q_equip_total": "150", "rev_equip_total": "0", "q_equip_digital": "90",
        "rev_equip_digital": "0", "q_network_industrial": "true", "go": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(section_url(draft, "sme2024"))
    db_session.expire_all()
    answers = store.company_answers(db_session, draft.id)
    assert answers == {"equip_total": 150, "equip_digital": 90, "network_industrial": True}


def test_the_section_form_keeps_valid_answers_and_marks_the_invalid_one(client, db_session, draft, token):
    response = client.post(section_url(draft, "profile"), data={
        "csrf_token": token, "q_equip_total": "150", "q_equip_digital": "lots", "go": "next"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "请填写整数。" in page and 'value="lots"' in page
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"equip_total": 150}


def test_answers_survive_and_show_on_another_browser(app, client, draft, token, company_user, login):
    autosave(client, draft, "revenue_wan", "12000.5", token)
    elsewhere = app.test_client()
    login(elsewhere, company_user)
    page = elsewhere.get(section_url(draft, "profile")).get_data(as_text=True)
    assert 'value="12000.5"' in page


def test_spaces_only_are_refused_and_keep_the_saved_text(client, db_session, draft, token):
    assert autosave(client, draft, "pain_text", "排产靠经验", token).status_code == 200
    revision = store.answer_rows(db_session, draft.id)["pain_text"].revision
    response = autosave(client, draft, "pain_text", "   ", token, rev=revision)
    assert response.status_code == 422
    assert "只填写了空格" in response.get_data(as_text=True)
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"pain_text": "排产靠经验"}
    cleared = autosave(client, draft, "pain_text", "", token, rev=revision)
    assert cleared.status_code == 200
    assert store.company_answers(db_session, draft.id) == {}


def test_a_post_without_the_answer_or_with_a_file_changes_nothing(client, db_session, draft, token):
    from io import BytesIO

    autosave(client, draft, "pain_text", "排产靠经验", token)
    revision = store.answer_rows(db_session, draft.id)["pain_text"].revision
    without = hx_post(client, question_url(draft, "pain_text"), {"rev_pain_text": str(revision)}, token)
    assert without.status_code == 422
    assert "没有收到此题的答案" in without.get_data(as_text=True)
    section = client.post(section_url(draft, "profile"), data={"csrf_token": token, "q_equip_total": "150"})
    assert section.status_code == 302
    upload = client.post(question_url(draft, "pain_text"), headers={"HX-Request": "true"},
                         content_type="multipart/form-data",
                         data={"q_pain_text": (BytesIO(b"%PDF-1.4"), "a.pdf"), "rev_pain_text": str(revision),
                               "csrf_token": token})
    assert upload.status_code == 400
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"pain_text": "排产靠经验", "equip_total": 150}


def test_unticking_every_box_removes_a_multi_choice_answer(client, db_session, draft, token):
    autosave(client, draft, "systems_in_use", ["erp", "mes"], token)
    revision = store.answer_rows(db_session, draft.id)["systems_in_use"].revision
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert '<input type="hidden" name="q_systems_in_use" value="">' in page
    response = autosave(client, draft, "systems_in_use", "", token, rev=revision)
    assert response.status_code == 200
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {}


@pytest.mark.parametrize("token_text", ["²", "١", "9" * 5000, "-1", " 3"])
def test_a_garbled_revision_token_is_a_conflict_not_an_error(client, db_session, draft, token, token_text):
    autosave(client, draft, "equip_total", "100", token)
    response = hx_post(client, question_url(draft, "equip_total"),
                       {"q_equip_total": "120", "rev_equip_total": token_text}, token)
    assert response.status_code == 409
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == {"equip_total": 100}
