"""The review page's lighter cards: the adjust form and the first evidence upload are fetched when
opened; an action answers with the acted card alone; the state an action leaves agrees with a fresh
load; sign-off keeps the provider's recommendation list with the verified snapshot."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.assessments import SnapshotRecommendation
from diagnosis.web.review import service
from tests.support import csrf_from
from tests.web.review_helpers import act, build_review_world
from tests.web.test_review import review_everything

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(db_session):
    return build_review_world(db_session)


@pytest.fixture
def token(client, login, world) -> str:
    login(client, world.diagnostician)
    return csrf_from(client.get(f"/reviews/{world.assessment.id}/sections/profile").get_data(as_text=True))


def card_of(html: str, qid: str) -> str:
    start = html.index(f'id="rq-{qid}"')
    return html[start:html.index("</article>", start)]


def adjust_url(world, qid: str, rev: int = 0) -> str:
    return f"/reviews/{world.assessment.id}/questions/{qid}/adjust?rev={rev}"


def test_cards_carry_no_forms_until_opened(client, world, token):
    html = client.get(f"/reviews/{world.assessment.id}/sections/profile").get_data(as_text=True)
    card = card_of(html, "equip_networked")
    assert 'name="reason_code"' not in html and 'class="evidence__upload"' not in html
    assert f'hx-get="{adjust_url(world, "equip_networked")}"' in card and "调整核定答案" in card
    assert f'hx-get="/reviews/{world.assessment.id}/questions/equip_networked/evidence"' in card
    assert "添加佐证材料" in card


def test_the_adjust_form_is_fetched_with_the_card_s_revision(client, world, token):
    response = client.get(adjust_url(world, "equip_networked", 7), headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'name="rev" value="7"' in html and 'name="action" value="adjust"' in html
    assert 'name="q_equip_networked"' in html and 'value="88"' in html  # the company's answer
    assert 'name="reason_code"' in html and 'data-review-form' in html


def test_without_javascript_the_adjust_form_is_a_page_that_posts_like_the_card(client, world, token,
                                                                               db_session):
    response = client.get(adjust_url(world, "equip_total", 0))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and 'name="q_equip_total"' in html
    saved = act(client, world.assessment, "equip_total", token, "adjust", htmx=False, q_equip_total="150",
                reason_code="evidence_differs", reason_text="固定资产清单 150 台")
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#rq-equip_total")


def test_the_adjust_form_of_a_question_not_open_is_refused(client, world, token, db_session):
    assert client.get(adjust_url(world, "no_such_question"), headers=HTMX).status_code == 404
    act(client, world.assessment, "systems_in_use", token, "adjust", q_systems_in_use="none",
        reason_code="site_differs", reason_text="现场未见任何信息系统在用")
    assert client.get(adjust_url(world, "systems_integrated"), headers=HTMX).status_code == 404
    store.change_status(db_session, world.assessment, "verified", world.diagnostician.id)
    assert client.get(adjust_url(world, "equip_total"), headers=HTMX).status_code == 409


def test_a_refused_adjustment_shows_its_form_with_the_posted_value(client, world, token):
    response = act(client, world.assessment, "equip_digital", token, "adjust", q_equip_digital="100")
    card = card_of(response.get_data(as_text=True), "equip_digital")
    assert response.status_code == 422 and "请选择调整理由" in card
    assert 'name="reason_code" required aria-invalid="true"' in card and 'value="100"' in card


def test_the_first_evidence_upload_form_is_fetched_and_comes_back_to_the_section(client, world, token):
    url = f"/reviews/{world.assessment.id}/questions/equip_total/evidence"
    html = client.get(url, headers=HTMX).get_data(as_text=True)
    assert 'class="evidence__upload"' in html and "<html" not in html
    assert f'value="/reviews/{world.assessment.id}/sections/profile#rq-equip_total"' in html
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


def test_an_action_answers_with_the_acted_card_only(client, world, token):
    response = act(client, world.assessment, "equip_total", token, "accept")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count("<article") == 1 and 'id="rq-equip_total"' in html
    assert 'id="review-score"' in html and 'id="review-sections"' in html


@pytest.mark.parametrize(("qid", "steps"), [
    ("equip_networked", [("adjust", 10)]), ("equip_networked", [("adjust", 10), ("accept", None)]),
    ("equip_networked", [("adjust", 10), ("clear", None)]),
    ("equip_networked", [("needs_evidence", None), ("adjust", 12)]),
    ("pain_points", [("not_applicable", None)]),
    ("systems_in_use", [("adjust", ["none"])]),  # hides the questions that follow from it
    ("systems_in_use", [("adjust", ["none"]), ("clear", None)])])
def test_the_state_after_an_action_agrees_with_a_fresh_load(app, db_session, world, qid, steps):
    bundle = app.extensions["bundle"]
    with app.test_request_context():
        state = service.load(db_session, world.assessment, bundle)
        question = state.instrument.question(qid)
        for name, value in steps:
            posted = service.Action(name, raw=value, reason_code="site_differs", reason_text="现场核实")
            outcome, state = service.act(db_session, state, question, posted, None)
            assert outcome.status == "saved", outcome
        fresh = service.load(db_session, world.assessment, bundle)
    assert state.answers == fresh.answers and state.visible == fresh.visible
    assert state.verified_rows == fresh.verified_rows
    assert {k: reviews.item_dict(v) for k, v in state.items.items()} == \
        {k: reviews.item_dict(v) for k, v in fresh.items.items()}


def test_sign_off_keeps_the_provider_s_list_with_the_snapshot(client, world, token, db_session):
    recs = f"/reviews/{world.assessment.id}/recommendations"
    offered = client.get(recs).get_data(as_text=True).split('name="add-item"', 1)[1]
    dismissed, added = "5g.machine_vision_qc", re.search(r'<option value="(sf\.[\w.]+)"', offered).group(1)
    assert client.post(f"{recs}/{dismissed}/dismiss", headers=HTMX, data={
        "csrf_token": token, "dismiss-5g-machine_vision_qc-reason": "已有在线检测"}).status_code == 200
    assert client.post(f"{recs}/add", headers=HTMX, data={
        "csrf_token": token, "add-item": added, "add-priority": "40", "add-phase": "6-18",
        "add-reason": "园区有专项补贴"}).status_code == 200
    review_everything(client, world, token)
    response = client.post(f"/reviews/{world.assessment.id}/sign-off", data={"csrf_token": token})
    assert response.status_code == 302
    db_session.expire_all()
    snapshot = store.latest_snapshot(db_session, world.assessment.id, "verified")
    signed = dict(db_session.execute(select(SnapshotRecommendation.recommendation_id,
                                            SnapshotRecommendation.project_kind)
                                     .where(SnapshotRecommendation.snapshot_id == snapshot.id)).all())
    engine = {rec["id"] for rec in snapshot.result["recommendations"]}
    assert dismissed in engine and dismissed not in signed
    assert added not in engine and signed[added] == "smart_factory"
    assert set(signed) == (engine - {dismissed}) | {added}
