"""The company's side of the review: the round sent back for evidence (only its questions open, the
revision check, closing it), confirming or disputing the verified report, and who may do it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.web.review import service as review_service
from tests.support import audit_trail, csrf_from
from tests.web.assess_helpers import hx_post, new_assessment
from tests.web.review_helpers import submitted_for_review

ROUND = ("equip_total", "systems_in_use")


@pytest.fixture
def world(db_session, make_company, make_user, make_provider_org):
    return submitted_for_review(db_session, make_company, make_user, make_provider_org)


def send_back(app, db_session, world, questions=ROUND, note="请补充设备台账和系统截图"):
    """The provider marks ``questions`` 需补充材料 and sends them back (the review service's own way)."""
    for qid in questions:
        reviews.set_item(db_session, world.assessment, qid, "needs_evidence", world.lead.id,
                         reason_text=f"{qid}：请上传证明材料")
    state = review_service.load(db_session, world.assessment, app.extensions["bundle"])
    round_ = review_service.send_back(db_session, state, note, world.lead.id)
    db_session.flush()
    return round_


@pytest.fixture
def open_round(app, db_session, world):
    return send_back(app, db_session, world)


@pytest.fixture
def company(client, login, world):
    login(client, world.company_user)
    return world.company_user


def round_url(world, suffix: str = "") -> str:
    return f"/responses/{world.assessment.id}/round{suffix}"


def page_token(client, world) -> str:
    response = client.get(round_url(world))
    assert response.status_code == 200
    return csrf_from(response.get_data(as_text=True))


def save(client, world, qid: str, raw, token: str, rev: int | None, htmx: bool = True):
    data = {f"q_{qid}": raw}
    if rev is not None:
        data[f"rev_{qid}"] = str(rev)
    url = round_url(world, f"/questions/{qid}")
    if htmx:
        return hx_post(client, url, data, token)
    return client.post(url, data={**data, "csrf_token": token})


def company_row(db_session, world, qid: str):
    return store.answer_rows(db_session, world.assessment.id)[qid]


def sign_off(db_session, world) -> None:
    """Signed off as the review service leaves it: verified snapshot, status verified, stamped."""
    self_snapshot = store.latest_snapshot(db_session, world.assessment.id, "self")
    assert self_snapshot is not None
    store.add_snapshot(db_session, world.assessment, self_snapshot.result, kind="verified")
    store.change_status(db_session, world.assessment, "verified", world.lead.id)
    review = reviews.ensure_review(db_session, world.assessment.id)
    review.signed_off_at, review.signed_off_by_id = utcnow(), world.lead.id
    db_session.flush()


# The round page


def test_the_round_page_shows_only_the_round_questions_with_the_providers_words(client, company, world,
                                                                                open_round):
    html = client.get(round_url(world)).get_data(as_text=True)
    assert "第 1 轮补充" in html and "请补充设备台账和系统截图" in html
    assert "equip_total：请上传证明材料" in html and "systems_in_use：请上传证明材料" in html
    assert 'name="q_equip_total"' in html and 'value="186"' in html
    assert html.count('name="q_systems_in_use"') > 1  # the hidden empty input and the boxes
    assert 'name="q_equip_digital"' not in html and 'name="q_robots_in_use"' not in html
    assert 'name="rev_equip_total"' in html
    assert f'action="/responses/{world.assessment.id}/round/answer"' in html


def test_without_an_open_round_the_page_says_so_and_answers_stay_locked(client, company, world, db_session):
    html = client.get(round_url(world)).get_data(as_text=True)
    assert "当前没有需要补充的材料" in html and 'name="q_' not in html
    token = csrf_from(html)
    response = save(client, world, "equip_total", "200", token, company_row(db_session, world, "equip_total")
                    .revision)
    assert response.status_code == 409
    assert "当前没有需要补充的材料" in response.get_data(as_text=True)
    assert company_row(db_session, world, "equip_total").value == 186


def test_a_draft_has_no_round_to_answer(client, company, world, db_session, post_form):
    draft = new_assessment(db_session, world.company, world.company_user)
    assert "当前没有需要补充的材料" in client.get(f"/responses/{draft.id}/round").get_data(as_text=True)
    response = post_form(client, f"/responses/{draft.id}/round/answer", page="/assessments/")
    assert response.status_code == 409
    response = post_form(client, f"/responses/{draft.id}/round/questions/equip_total", {"q_equip_total": "5"},
                         page="/assessments/")
    assert response.status_code == 409
    assert store.answer_rows(db_session, draft.id) == {}


def test_the_banner_on_the_companys_pages_leads_to_the_round(client, company, world, open_round):
    for page in ("/assessments/", f"/assessments/{world.assessment.id}/result"):
        html = client.get(page).get_data(as_text=True)
        assert "服务商请您补充 2 项材料" in html, page
        assert f'href="/responses/{world.assessment.id}/round"' in html


def test_no_banner_without_a_round_or_for_the_provider(client, login, company, world, app, db_session):
    assert "服务商请您补充" not in client.get("/assessments/").get_data(as_text=True)
    send_back(app, db_session, world)
    login(client, world.lead)
    assert "服务商请您补充" not in client.get(f"/assessments/{world.assessment.id}/result").get_data(
        as_text=True)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_company_adds_evidence_to_a_round_question_from_the_page(client, company, world, open_round):
    html = client.get(round_url(world)).get_data(as_text=True)
    upload = f"/assessments/{world.assessment.id}/questions/equip_total/evidence"
    assert f'action="{upload}"' in html and "evidence.js" in html
    assert f'action="/assessments/{world.assessment.id}/questions/equip_digital/evidence"' not in html
    response = client.post(upload, data={"csrf_token": csrf_from(html), "next": round_url(world),
                                         "files": (io.BytesIO(png()), "台账.png")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(round_url(world))
    page = client.get(round_url(world)).get_data(as_text=True)
    assert "台账.jpg" in page and "企业补充" in page  # re-encoded as JPEG


# Answers in the round


def test_a_round_answer_is_saved_as_the_companys_with_its_audit_event(client, company, world, open_round,
                                                                      db_session):
    token = page_token(client, world)
    before = company_row(db_session, world, "equip_total")
    response = save(client, world, "equip_total", "190", token, before.revision)
    assert response.status_code == 200
    assert "已保存" in response.get_data(as_text=True)
    after = company_row(db_session, world, "equip_total")
    assert after.value == 190 and after.revision > before.revision
    event = audit_trail(db_session, world.assessment.id)[-1]
    assert (event.question_id, event.source, event.old, event.new, event.user_id) == (
        "equip_total", "company", 186, 190, world.company_user.id)
    assert store.answer_rows(db_session, world.assessment.id, "verified") == {}


def test_a_round_answer_without_javascript_goes_back_to_the_page(client, company, world, open_round,
                                                                 db_session):
    token = page_token(client, world)
    rev = company_row(db_session, world, "systems_in_use").revision
    response = save(client, world, "systems_in_use", ["erp", "mes"], token, rev, htmx=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(round_url(world) + "#q-systems_in_use")
    assert company_row(db_session, world, "systems_in_use").value == ["erp", "mes"]


@pytest.mark.parametrize("qid, raw", [("equip_digital", "100"), ("robots_in_use", "2")])
def test_a_question_outside_the_round_stays_locked(client, company, world, open_round, db_session, qid, raw):
    token = page_token(client, world)
    before = company_row(db_session, world, qid)
    events = len(audit_trail(db_session, world.assessment.id))
    for htmx in (True, False):
        response = save(client, world, qid, raw, token, before.revision, htmx=htmx)
        assert response.status_code == 409
        assert "不在服务商要求补充的范围内" in response.get_data(as_text=True)
    assert company_row(db_session, world, qid) == before
    assert len(audit_trail(db_session, world.assessment.id)) == events


def test_an_unknown_question_is_not_found(client, company, world, open_round):
    token = page_token(client, world)
    assert save(client, world, "no_such_question", "1", token, 0).status_code == 404


def test_a_stale_revision_shows_both_values_and_keeps_the_stored_one(client, company, world, open_round,
                                                                     db_session):
    token = page_token(client, world)
    seen = company_row(db_session, world, "equip_total").revision
    assert save(client, world, "equip_total", "190", token, seen).status_code == 200  # another tab
    response = save(client, world, "equip_total", "200", token, seen)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "另一个窗口或设备上被修改" in html
    assert ">190" in html and ">200" in html and 'data-value="theirs"' in html
    assert company_row(db_session, world, "equip_total").value == 190
    fresh = company_row(db_session, world, "equip_total").revision
    assert f'name="rev_equip_total" value="{fresh}"' in html
    assert save(client, world, "equip_total", "200", token, fresh).status_code == 200  # keep mine
    assert company_row(db_session, world, "equip_total").value == 200


def test_an_invalid_value_is_refused_at_the_question(client, company, world, open_round, db_session):
    token = page_token(client, world)
    rev = company_row(db_session, world, "equip_total").revision
    response = save(client, world, "equip_total", "many", token, rev)
    assert response.status_code == 422
    assert "请填写整数" in response.get_data(as_text=True)
    response = save(client, world, "equip_total", "many", token, rev, htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "请填写整数" in html and 'value="many"' in html and "第 1 轮补充" in html
    assert company_row(db_session, world, "equip_total").value == 186


# Sending the round back to the provider


def test_sending_back_closes_the_round_clears_its_items_and_is_recorded(client, company, world, open_round,
                                                                        db_session, post_form):
    reviews.set_item(db_session, world.assessment, "equip_digital", "accepted", world.lead.id)
    db_session.flush()
    response = post_form(client, round_url(world, "/answer"), page=round_url(world))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{world.assessment.id}/result")
    db_session.expire_all()
    round_ = db_session.get(reviews.ReviewRound, open_round.id)
    assert round_.answered_at is not None and round_.answered_by_id == world.company_user.id
    assert reviews.get_review(db_session, world.assessment.id).returned_at is None
    assert reviews.open_round(db_session, world.assessment.id) is None
    assert set(reviews.items(db_session, world.assessment.id)) == {"equip_digital"}
    events = [e for e in audit_trail(db_session, world.assessment.id) if e.source == "review"]
    assert events[-1].new == {"round": 1, "answered": True}
    assert events[-1].user_id == world.company_user.id
    cleared = {e.question_id for e in events if e.question_id in ROUND and e.new is None}
    assert cleared == set(ROUND)
    page = client.get(round_url(world)).get_data(as_text=True)
    assert "当前没有需要补充的材料" in page and "第 1 轮：2 题" in page


def test_a_second_send_back_and_answers_after_it_are_refused(client, company, world, open_round, db_session,
                                                             post_form):
    token = page_token(client, world)
    assert post_form(client, round_url(world, "/answer"), page=round_url(world)).status_code == 302
    assert post_form(client, round_url(world, "/answer"), page=round_url(world)).status_code == 409
    rev = company_row(db_session, world, "equip_total").revision
    assert save(client, world, "equip_total", "190", token, rev).status_code == 409
    assert company_row(db_session, world, "equip_total").value == 186


def test_the_provider_reviews_the_round_questions_again_after_it(client, company, world, open_round,
                                                                 db_session, post_form, app):
    post_form(client, round_url(world, "/answer"), page=round_url(world))
    db_session.expire_all()
    state = review_service.load(db_session, world.assessment, app.extensions["bundle"])
    assert state.open_round is None and state.state_of("equip_total") is None
    assert not any(item.kind == "needs_evidence" for item in review_service.open_items(state))


# Who may do it


def test_another_companys_assessment_is_not_found(client, login, make_user, world, open_round, post_form):
    login(client, make_user("company"))
    assert client.get(round_url(world)).status_code == 404
    token = csrf_from(client.get("/assessments/").get_data(as_text=True))
    assert save(client, world, "equip_total", "190", token, 0).status_code == 404
    for suffix in ("/round/answer", "/confirm", "/dispute"):
        response = post_form(client, f"/responses/{world.assessment.id}{suffix}", {"comment": "x"},
                             page="/assessments/")
        assert response.status_code == 404, suffix


@pytest.mark.parametrize("who", ["lead", "diagnostician", "official", "admin"])
def test_staff_cannot_answer_for_the_company(client, login, make_user, world, open_round, db_session,
                                             csrf_token, who):
    user = getattr(world, who) if who in ("lead", "diagnostician") else make_user(who)
    login(client, user)
    token = csrf_token(client, "/")
    assert client.get(round_url(world)).status_code == 403
    for url in (round_url(world, "/questions/equip_total"), round_url(world, "/answer"),
                f"/responses/{world.assessment.id}/confirm", f"/responses/{world.assessment.id}/dispute"):
        response = client.post(url, data={"csrf_token": token, "q_equip_total": "1", "comment": "x"})
        assert response.status_code == 403, url
    assert company_row(db_session, world, "equip_total").value == 186
    assert reviews.open_round(db_session, world.assessment.id) is not None


# Confirming or disputing the verified report


def test_before_sign_off_there_is_nothing_to_confirm(client, company, world, post_form):
    for suffix, data in (("/confirm", {}), ("/dispute", {"comment": "不同意"})):
        response = post_form(client, f"/responses/{world.assessment.id}{suffix}", data, page="/assessments/")
        assert response.status_code == 409
        assert "核验报告尚未签发" in response.get_data(as_text=True)
    html = client.get(f"/assessments/{world.assessment.id}/result").get_data(as_text=True)
    assert "确认核验报告" not in html


def test_the_company_confirms_once_and_everyone_sees_it(client, login, company, world, db_session,
                                                        post_form):
    sign_off(db_session, world)
    result = f"/assessments/{world.assessment.id}/result"
    html = client.get(result).get_data(as_text=True)
    assert "确认核验报告" in html and "提出异议" in html
    response = post_form(client, f"/responses/{world.assessment.id}/confirm", page=result)
    assert response.status_code == 302
    db_session.expire_all()
    review = reviews.get_review(db_session, world.assessment.id)
    assert (review.response, review.response_comment, review.responded_by_id) == (
        "confirmed", None, world.company_user.id)
    assert review.responded_at is not None
    assert audit_trail(db_session, world.assessment.id)[-1].new == {"response": "confirmed"}
    for suffix, data in (("/confirm", {}), ("/dispute", {"comment": "改主意了"})):
        again = post_form(client, f"/responses/{world.assessment.id}{suffix}", data, page=result)
        assert again.status_code == 409
        assert "不能再次提交" in again.get_data(as_text=True)
    login(client, world.lead)
    html = client.get(result).get_data(as_text=True)
    assert "企业已于" in html and "确认核验报告。" in html and 'action="/responses/' not in html


@pytest.mark.parametrize("comment, message", [("", "请填写异议说明"), ("   ", "请填写异议说明"),
                                              ("长" * 2001, "最多 2000 字")])
def test_a_dispute_needs_a_comment_of_at_most_2000_characters(client, company, world, db_session, post_form,
                                                              comment, message):
    sign_off(db_session, world)
    response = post_form(client, f"/responses/{world.assessment.id}/dispute", {"comment": comment},
                         page=f"/assessments/{world.assessment.id}/result")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert reviews.get_review(db_session, world.assessment.id).response is None


def test_a_dispute_is_stored_with_its_comment_and_shown_to_the_official(client, login, make_user, company,
                                                                        world, db_session, post_form):
    sign_off(db_session, world)
    result = f"/assessments/{world.assessment.id}/result"
    response = post_form(client, f"/responses/{world.assessment.id}/dispute",
                         {"comment": "  数控设备数量核定有误，见设备台账  "}, page=result)
    assert response.status_code == 302
    db_session.expire_all()
    review = reviews.get_review(db_session, world.assessment.id)
    assert (review.response, review.response_comment) == ("disputed", "数控设备数量核定有误，见设备台账")
    event = audit_trail(db_session, world.assessment.id)[-1]
    assert (event.source, event.new, event.reason) == ("review", {"response": "disputed"},
                                                       "数控设备数量核定有误，见设备台账")
    login(client, make_user("official"))
    html = client.get(result).get_data(as_text=True)
    assert "提出异议" in html and "数控设备数量核定有误，见设备台账" in html
