"""The on-site review: actions per question with the revision check, the live score, accept the
rest, send back, sign-off (refused with open items, then locked), and who may do it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.db import get_session
from tests.support import csrf_from
from tests.web.review_helpers import act, build_review_world


@pytest.fixture
def world(db_session):
    return build_review_world(db_session)


def page_token(client, world, section: str = "profile") -> str:
    response = client.get(f"/reviews/{world.assessment.id}/sections/{section}")
    assert response.status_code == 200, response.status_code
    return csrf_from(response.get_data(as_text=True))


def test_the_section_shows_both_answers_and_the_live_score(client, login, world):
    login(client, world.diagnostician)
    response = client.get(f"/reviews/{world.assessment.id}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="rq-equip_total"' in html and "186" in html
    assert "企业填报" in html and "核定" in html and "自评" in html


def test_an_adjustment_needs_a_reason_code_and_words(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    response = act(client, world.assessment, "equip_digital", token, "adjust", q_equip_digital="100")
    assert response.status_code == 422
    assert "请选择调整理由" in response.get_data(as_text=True)
    response = act(client, world.assessment, "equip_digital", token, "adjust", q_equip_digital="100",
                   reason_code="site_differs", reason_text="  ")
    assert response.status_code == 422
    assert reviews.items(db_session, world.assessment.id) == {}
    assert store.answer_rows(db_session, world.assessment.id, "verified") == {}


def test_an_adjustment_writes_the_verified_answer_and_moves_the_score(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    before = client.get(f"/reviews/{world.assessment.id}/sections/profile").get_data(as_text=True)
    response = act(client, world.assessment, "equip_networked", token, "adjust", q_equip_networked="10",
                   reason_code="site_differs", reason_text="车间现场仅 10 台联网")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="review-score"' in html and 'id="rq-equip_networked"' in html
    assert "已调整" in html and "车间现场仅 10 台联网" in html
    verified = store.answer_rows(db_session, world.assessment.id, "verified")
    assert verified["equip_networked"].value == 10
    assert reviews.verified_answers(db_session, world.assessment.id)["equip_networked"] == 10
    item = reviews.items(db_session, world.assessment.id)["equip_networked"]
    assert (item.state, item.reason_code) == ("adjusted", "site_differs")
    assert item.reviewer_id == world.diagnostician.id
    events = reviews.question_history(db_session, world.assessment.id, "equip_networked")
    assert [event.source for event in events][-2:] == ["verified", "review"]
    assert events[-1].reason == "车间现场仅 10 台联网"
    assert _score_block(html) != _score_block(before)


def _score_block(html: str) -> str:
    start = html.index('id="review-score"')
    return html[start:html.index("</section>", start)]


def test_a_stale_revision_is_a_conflict_and_changes_nothing(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    assert act(client, world.assessment, "equip_total", token, "accept").status_code == 200
    response = act(client, world.assessment, "equip_total", token, "needs_evidence", rev=0)
    assert response.status_code == 409
    assert "已被另一位诊断师" in response.get_data(as_text=True)
    assert reviews.items(db_session, world.assessment.id)["equip_total"].state == "accepted"


def test_not_applicable_only_where_the_question_is_optional(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    assert act(client, world.assessment, "equip_total", token, "not_applicable").status_code == 422
    assert "equip_total" not in reviews.items(db_session, world.assessment.id)


def test_accept_the_rest_of_a_section_leaves_flagged_questions_alone(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    act(client, world.assessment, "equip_total", token, "needs_evidence", reason_text="请提供设备台账")
    response = client.post(f"/reviews/{world.assessment.id}/sections/profile/accept-rest",
                           data={"csrf_token": token})
    assert response.status_code == 302
    items = reviews.items(db_session, world.assessment.id)
    assert items["equip_total"].state == "needs_evidence"
    assert items["equip_digital"].state == "accepted"


def review_everything(client, world, token) -> None:
    """Accept every section's rest, as a diagnostician who found nothing to change would."""
    for section in ("profile", "sme2024", "cmmm", "furniture", "panels", "chemicals", "general"):
        client.post(f"/reviews/{world.assessment.id}/sections/{section}/accept-rest",
                    data={"csrf_token": token})


def test_sign_off_is_refused_with_the_open_items_listed(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    response = client.post(f"/reviews/{world.assessment.id}/sign-off", data={"csrf_token": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "必答题尚未核验" in html
    assert f"/reviews/{world.assessment.id}/sections/profile#rq-equip_total" in html
    db_session.refresh(world.assessment)
    assert world.assessment.status == "submitted"
    assert store.latest_snapshot(db_session, world.assessment.id, "verified") is None


def test_sign_off_scores_the_verified_answers_and_locks_the_review(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    act(client, world.assessment, "equip_networked", token, "adjust", q_equip_networked="10",
        reason_code="site_differs", reason_text="现场核实")
    review_everything(client, world, token)
    response = client.post(f"/reviews/{world.assessment.id}/sign-off", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    assessment = db_session.get(store.Assessment, world.assessment.id)
    assert assessment.status == "verified"
    snapshot = store.latest_snapshot(db_session, assessment.id, "verified")
    assert snapshot.result["facts"]["equipment_network_rate"] == pytest.approx(10 / 186, abs=1e-3)
    review = reviews.get_review(db_session, assessment.id)
    assert review.signed_off_by_id == world.diagnostician.id and review.signed_off_at is not None
    late = act(client, world.assessment, "equip_total", token, "needs_evidence", rev=None)
    assert late.status_code == 409
    assert reviews.items(db_session, assessment.id)["equip_total"].state == "accepted"


def test_send_back_opens_a_round_and_its_questions_wait(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    act(client, world.assessment, "equip_total", token, "needs_evidence", reason_text="请提供设备台账")
    response = client.post(f"/reviews/{world.assessment.id}/send-back",
                           data={"csrf_token": token, "note": "补充"})
    assert response.status_code == 302
    round_ = reviews.open_round(db_session, world.assessment.id)
    assert (round_.number, round_.question_ids, round_.note) == (1, ["equip_total"], "补充")
    assert reviews.get_review(db_session, world.assessment.id).returned_at is not None
    rev = reviews.items(db_session, world.assessment.id)["equip_total"].revision
    assert act(client, world.assessment, "equip_total", token, "accept", rev=rev).status_code == 409
    again = client.post(f"/reviews/{world.assessment.id}/send-back", data={"csrf_token": token})
    assert again.status_code == 409
    assert len(reviews.rounds(db_session, world.assessment.id)) == 1


@pytest.mark.parametrize("who, status", [("lead", 200), ("colleague", 403), ("other_org", 404),
                                         ("company", 403), ("official", 403), ("admin", 403)])
def test_who_may_review(client, login, world, make_user, who, status):
    users = {"lead": lambda: world.lead, "colleague": lambda: make_user("provider", provider_org=world.org),
             "other_org": lambda: make_user("provider"), "company": lambda: world.company_user,
             "official": lambda: make_user("official"), "admin": lambda: make_user("admin")}
    login(client, users[who]())
    response = client.get(f"/reviews/{world.assessment.id}/sections/profile")
    assert response.status_code == status


def test_a_provider_of_another_org_cannot_act_and_nothing_changes(client, login, world, make_user,
                                                                  db_session):
    outsider = make_user("provider")
    login(client, outsider)
    token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = act(client, world.assessment, "equip_total", token, "accept")
    assert response.status_code == 404
    assert reviews.items(db_session, world.assessment.id) == {}
    assert get_session().scalar(select(reviews.Review)) is None


def test_the_provider_answers_what_the_company_left_blank(client, login, world, db_session):
    store.write_answer(db_session, world.assessment, "pain_text", None, None)
    login(client, world.diagnostician)
    token = page_token(client, world)
    html = client.get(f"/reviews/{world.assessment.id}/sections/profile").get_data(as_text=True)
    card = html[html.index('id="rq-pain_text"'):]
    assert "（未填写）" in card[:card.index("</article>")]
    response = act(client, world.assessment, "pain_text", token, "adjust", q_pain_text="订单交期难保证",
                   reason_code="answered_on_site", reason_text="总经理现场口述")
    assert response.status_code == 200
    assert reviews.verified_answers(db_session, world.assessment.id)["pain_text"] == "订单交期难保证"


def test_not_applicable_removes_the_answer_from_the_verified_set(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    assert act(client, world.assessment, "pain_points", token, "not_applicable").status_code == 200
    assert "pain_points" not in reviews.verified_answers(db_session, world.assessment.id)
    assert "pain_points" in store.company_answers(db_session, world.assessment.id)


def test_an_answer_that_hides_a_question_updates_every_card_of_the_section(client, login, world):
    login(client, world.diagnostician)
    token = page_token(client, world)
    response = act(client, world.assessment, "systems_in_use", token, "adjust", q_systems_in_use="none",
                   reason_code="site_differs", reason_text="现场未见任何信息系统在用")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="review-cards"' in html and 'id="rq-equip_total"' in html
    assert 'id="rq-systems_integrated"' not in html


def test_without_javascript_the_forms_post_and_come_back(client, login, world, db_session):
    login(client, world.diagnostician)
    token = page_token(client, world)
    refused = act(client, world.assessment, "equip_total", token, "adjust", htmx=False, q_equip_total="150")
    assert refused.status_code == 422 and "请选择调整理由" in refused.get_data(as_text=True)
    saved = act(client, world.assessment, "equip_total", token, "adjust", htmx=False, q_equip_total="150",
                reason_code="evidence_differs", reason_text="固定资产清单 150 台")
    assert saved.status_code == 302
    location = saved.headers["Location"]
    assert location.endswith(f"/reviews/{world.assessment.id}/sections/profile#rq-equip_total")
    assert reviews.verified_answers(db_session, world.assessment.id)["equip_total"] == 150
