"""Re-assessment: a new draft starts from the company's last submitted (or verified) answers, each
marked until saved or confirmed; answers no longer valid are dropped; no other company's answers."""

from __future__ import annotations

import pytest

from diagnosis.core.answers import validate_answers
from diagnosis.core.bundle import load_bundle
from diagnosis.store import assessments as store
from tests.web.assess_helpers import autosave, company_like, example, fill, new_assessment, section_url

MARK = '<p class="question__carried">沿用上次答案，请核对</p>'


@pytest.fixture
def company_user(make_company, make_user, login, client):
    user = make_user(role="company", company=company_like(make_company))
    login(client, user)
    return user


@pytest.fixture
def token(client, csrf_token, company_user):
    return csrf_token(client, "/assessments/")


def completed(db_session, company, answers, status="submitted"):
    assessment = new_assessment(db_session, company)
    fill(db_session, assessment, answers)
    store.change_status(db_session, assessment, "submitted", None)
    if status == "verified":
        store.change_status(db_session, assessment, "verified", None)
    return assessment


def start(client, token, choice):
    response = client.post("/assessments/start", data={"csrf_token": token, "start": choice})
    assert response.status_code == 302
    return response


def new_draft(db_session, company):
    db_session.expire_all()
    draft = store.open_draft(db_session, company.id)
    assert draft is not None
    return draft


def expected(company, answers):
    bundle = load_bundle()
    return validate_answers(bundle.active_instrument(), answers, bundle.profile(company.profile)).values


def test_index_offers_both_starts_only_after_a_submitted_assessment(client, db_session, company_user):
    page = client.get("/assessments/").get_data(as_text=True)
    assert "从上次答案开始" not in page
    completed(db_session, company_user.company, {"equip_total": 100})
    page = client.get("/assessments/").get_data(as_text=True)
    assert 'name="start" value="last"' in page and 'name="start" value="blank"' in page


def test_start_from_last_copies_the_own_answers_only(client, db_session, company_user, token, make_company):
    answers = example()["answers"]
    completed(db_session, company_user.company, answers)
    other = company_like(make_company)
    completed(db_session, other, {**answers, "equip_total": 999, "robots_in_use": 77})
    start(client, token, "last")
    draft = new_draft(db_session, company_user.company)
    carried = store.company_answers(db_session, draft.id)
    assert carried == expected(company_user.company, answers)
    assert carried["equip_total"] == answers["equip_total"] != 999
    assert store.carried_revision(db_session, draft.id) == draft.revision == 1


def test_start_blank_copies_nothing(client, db_session, company_user, token):
    completed(db_session, company_user.company, example()["answers"])
    start(client, token, "blank")
    draft = new_draft(db_session, company_user.company)
    assert store.company_answers(db_session, draft.id) == {}
    assert store.carried_revision(db_session, draft.id) is None


def test_a_verified_assessment_gives_the_verified_answers(client, db_session, company_user, token):
    origin = completed(db_session, company_user.company, {"equip_total": 186, "equip_digital": 124},
                       status="verified")
    store.write_answer(db_session, origin, "equip_digital", 90, None, source="verified")
    start(client, token, "last")
    draft = new_draft(db_session, company_user.company)
    assert store.company_answers(db_session, draft.id) == {"equip_total": 186, "equip_digital": 90}


def test_answers_no_longer_valid_are_dropped(client, db_session, company_user, token):
    completed(db_session, company_user.company, {
        "equip_total": 186,
        "retired_question": 5,  # no longer in the questionnaire
        "network_wifi": "option_removed",  # an option that no longer exists
        "systems_in_use": "erp",  # the type changed: once one choice, now several
    })
    start(client, token, "last")
    draft = new_draft(db_session, company_user.company)
    assert store.company_answers(db_session, draft.id) == {"equip_total": 186}


def test_carried_answers_are_marked_until_saved_or_confirmed(client, db_session, company_user, token):
    answers = {"equip_total": 186, "equip_digital": 124, "equip_networked": 88}
    completed(db_session, company_user.company, answers)
    start(client, token, "last")
    draft = new_draft(db_session, company_user.company)
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert page.count(MARK) == 3
    assert 'class="carried-note"' in page

    saved = autosave(client, draft, "equip_total", "186", token, rev=1)  # the same value: confirmed
    assert saved.status_code == 200 and "已保存" in saved.get_data(as_text=True)
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert page.count(MARK) == 2

    response = client.post(section_url(draft, "profile") + "/confirm", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert MARK not in page
    assert 'class="carried-note"' not in page
    db_session.expire_all()
    assert store.company_answers(db_session, draft.id) == answers


def test_submit_page_lists_sections_with_unchecked_carried_answers(client, db_session, company_user, token):
    completed(db_session, company_user.company, {"equip_total": 186})
    start(client, token, "last")
    draft = new_draft(db_session, company_user.company)
    page = client.get(f"/assessments/{draft.id}/submit").get_data(as_text=True)
    assert "尚未核对" in page and f'href="{section_url(draft, "profile")}"' in page


def test_confirm_is_only_for_the_own_draft(client, db_session, company_user, token, make_company):
    other = company_like(make_company)
    completed(db_session, other, {"equip_total": 186})
    theirs = new_assessment(db_session, other)
    response = client.post(section_url(theirs, "profile") + "/confirm", data={"csrf_token": token})
    assert response.status_code == 404
