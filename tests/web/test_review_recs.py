"""The provider's recommendations page: the engine's list for the verified answers beside the
provider's; keep, dismiss, change, add from the catalogue or their own; every refusal; access per
role, before and after sign-off."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnosis.core.bundle import load_bundle
from diagnosis.store import assessments as store
from diagnosis.store.assessments import AuditEvent
from diagnosis.store.reviews import RecommendationEdit, recommendation_edits, verified_answers
from diagnosis.web.bundle import diagnose_for
from tests.web.review_helpers import submitted_for_review

VISION = "5g.machine_vision_qc"  # the furniture example gets it from fur_edge_banding_vision = false
CLOUD = "cloud.l3"


@pytest.fixture
def world(db_session, make_company, make_user, make_provider_org):
    return submitted_for_review(db_session, make_company, make_user, make_provider_org)


def page_url(world) -> str:
    return f"/reviews/{world.assessment.id}/recommendations"


def engine_list(html: str) -> str:
    """The engine's column of the page."""
    return html[html.index('id="engine-recs-title"'):html.index('id="provider-recs"')]


def post(client, url: str, token: str, htmx: bool = True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**data, "csrf_token": token}, headers=headers)


@pytest.fixture
def reviewer(client, world, login, csrf_token):
    """The diagnostician logged in; returns the page's CSRF token."""
    login(client, world.diagnostician)
    return csrf_token(client, page_url(world))


def edits_of(db_session, world) -> dict[str, RecommendationEdit]:
    db_session.expire_all()
    return recommendation_edits(db_session, world.assessment.id)


def edit_count(db_session, world) -> tuple[int, int]:
    """(recommendation edits, review audit events) of the assessment."""
    db_session.expire_all()
    edits = db_session.scalar(select(func.count()).select_from(RecommendationEdit)
                              .where(RecommendationEdit.assessment_id == world.assessment.id))
    events = db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.assessment_id == world.assessment.id, AuditEvent.source == "review"))
    return edits, events


def last_review_event(db_session, world) -> AuditEvent:
    db_session.expire_all()
    return db_session.scalars(select(AuditEvent).where(
        AuditEvent.assessment_id == world.assessment.id, AuditEvent.source == "review")
        .order_by(AuditEvent.id.desc())).first()


def sign_off(db_session, world) -> None:
    """What sign-off leaves behind for this page: the verified snapshot, the status."""
    result = diagnose_for(world.assessment, verified_answers(db_session, world.assessment.id), load_bundle())
    store.add_snapshot(db_session, world.assessment, result, kind="verified")
    store.change_status(db_session, world.assessment, "verified", world.diagnostician.id)


# --- the page ---------------------------------------------------------------------------------------


def test_page_shows_the_engine_list_beside_the_provider_list(client, world, reviewer):
    html = client.get(page_url(world)).get_data(as_text=True)
    assert "引擎建议（按核定答案）" in html and 'id="provider-recs"' in html
    assert html.count("机器视觉质检") == 2  # once per list
    assert "未改动" in html and "从目录新增建议" in html and "自拟一条建议" in html


def test_engine_list_follows_the_verified_answers(client, db_session, world, reviewer):
    assert "机器视觉质检" in engine_list(client.get(page_url(world)).get_data(as_text=True))
    store.write_answer(db_session, world.assessment, "fur_edge_banding_vision", True, world.diagnostician.id,
                       source="verified")
    html = client.get(page_url(world)).get_data(as_text=True)
    assert "机器视觉质检" not in engine_list(html)
    assert 'value="5g.machine_vision_qc"' in html  # it may be added from the catalogue now


# --- each action --------------------------------------------------------------------------------------


def test_keep(client, db_session, world, reviewer):
    response = post(client, f"{page_url(world)}/{VISION}/keep", reviewer)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="provider-recs"' in body and "<html" not in body and "已保存" in body
    edit = edits_of(db_session, world)[VISION]
    assert (edit.action, edit.author_id, edit.priority, edit.reason) == (
        "keep", world.diagnostician.id, None, None)
    event = last_review_event(db_session, world)
    assert event.question_id is None and event.user_id == world.diagnostician.id
    assert event.new["recommendation"] == VISION and event.new["action"] == "keep"
    assert event.old["mark"] == "engine"


def test_dismiss_moves_the_row_to_the_end_with_its_reason(client, db_session, world, reviewer):
    response = post(client, f"{page_url(world)}/{VISION}/dismiss", reviewer, **{
        "dismiss-5g-machine_vision_qc-reason": "封边已用在线检测"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "不采纳" in body and "封边已用在线检测" in body
    assert body.rindex('class="rec rec--dismissed"') > body.rindex('class="rec rec--engine"')
    edit = edits_of(db_session, world)[VISION]
    assert (edit.action, edit.reason) == ("dismiss", "封边已用在线检测")
    assert last_review_event(db_session, world).reason == "封边已用在线检测"


def test_change_priority_and_phase(client, db_session, world, reviewer):
    response = post(client, f"{page_url(world)}/{VISION}/change", reviewer, **{
        "change-5g-machine_vision_qc-priority": "90", "change-5g-machine_vision_qc-phase": "0-6",
        "change-5g-machine_vision_qc-reason": "客户投诉集中在封边"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "已调整" in body and "引擎：中期（6–18 个月） · 优先级 16" in body
    edit = edits_of(db_session, world)[VISION]
    assert (edit.action, edit.priority, edit.phase) == ("change", 0.9, "0-6")
    event = last_review_event(db_session, world)
    assert event.new == {"recommendation": VISION, "action": "change", "priority": 0.9, "phase": "0-6"}
    # the changed row now leads the list (priority 90)
    assert body.index("机器视觉质检") < body.index("能源管理")


def test_add_from_the_catalogue(client, db_session, world, reviewer):
    key = "sf.excellent"  # the example's miit track stops at 基础级 (met, not declared): not in the list
    assert f'value="{key}"' in client.get(page_url(world)).get_data(as_text=True)
    response = post(client, f"{page_url(world)}/add", reviewer, **{
        "add-item": key, "add-priority": "40", "add-phase": "6-18", "add-reason": "园区有专项补贴"})
    assert response.status_code == 200
    edit = edits_of(db_session, world)[key]
    assert (edit.action, edit.priority, edit.phase, edit.reason) == ("add", 0.4, "6-18", "园区有专项补贴")
    assert edit.title  # stored with the edit, as shown
    body = response.get_data(as_text=True)
    assert "服务商新增" in body and f'value="{key}"' not in body  # no longer offered


def test_add_own(client, db_session, world, reviewer):
    response = post(client, f"{page_url(world)}/add-own", reviewer, **{
        "own-title": "建立板材余料台账", "own-detail": "每班记录余料尺寸，开料优化时优先调用。",
        "own-priority": "55", "own-phase": "0-6", "own-reason": "现场看到大量余料堆放"})
    assert response.status_code == 200
    edit = edits_of(db_session, world)["own:1"]
    assert (edit.action, edit.title, edit.priority) == ("add", "建立板材余料台账", 0.55)
    body = response.get_data(as_text=True)
    assert "建立板材余料台账" in body and "服务商自拟" in body and "现场看到大量余料堆放" in body
    event = last_review_event(db_session, world)
    assert event.old is None and event.new["title"] == "建立板材余料台账"


def test_an_added_one_is_changed_withdrawn_and_restored_with_its_text(client, db_session, world, reviewer):
    post(client, f"{page_url(world)}/add-own", reviewer, **{
        "own-title": "余料台账", "own-detail": "每班记录", "own-priority": "55", "own-phase": "0-6",
        "own-reason": "现场所见"})
    assert post(client, f"{page_url(world)}/own:1/change", reviewer, **{
        "change-own-1-priority": "20", "change-own-1-phase": "6-18", "change-own-1-reason": "先做上云"}
    ).status_code == 200
    edit = edits_of(db_session, world)["own:1"]
    assert (edit.action, edit.title, edit.detail, edit.priority, edit.phase) == (
        "change", "余料台账", "每班记录", 0.2, "6-18")
    assert post(client, f"{page_url(world)}/own:1/dismiss", reviewer,
                **{"dismiss-own-1-reason": "企业已在做"}).status_code == 200
    body = post(client, f"{page_url(world)}/own:1/keep", reviewer).get_data(as_text=True)
    edit = edits_of(db_session, world)["own:1"]
    assert (edit.action, edit.title, edit.priority) == ("keep", "余料台账", 0.2)
    assert "服务商新增" in body


def test_without_javascript_a_post_redirects_to_the_row(client, db_session, world, reviewer):
    response = post(client, f"{page_url(world)}/{VISION}/keep", reviewer, htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{page_url(world)}#rec-row-5g-machine_vision_qc")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已保存：机器视觉质检" in page


def test_without_javascript_a_refusal_is_the_whole_page_with_the_message(client, db_session, world, reviewer):
    response = post(client, f"{page_url(world)}/{VISION}/dismiss", reviewer, htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" in html and "请填写理由" in html and "<details open>" in html


# --- refusals -------------------------------------------------------------------------------------------

ROW = "5g-machine_vision_qc"
REFUSED_FORMS = [
    ("dismiss without a reason", "dismiss", {f"dismiss-{ROW}-reason": "  "}, "请填写理由"),
    ("change without a reason", "change", {f"change-{ROW}-priority": "90", f"change-{ROW}-phase": "0-6"},
     "请填写理由"),
    ("priority not a number", "change", {f"change-{ROW}-priority": "high", f"change-{ROW}-phase": "0-6",
                                         f"change-{ROW}-reason": "r"}, "0 到 100 的整数"),
    ("priority out of range", "change", {f"change-{ROW}-priority": "150", f"change-{ROW}-phase": "0-6",
                                         f"change-{ROW}-reason": "r"}, "0 到 100 的整数"),
    ("priority a fraction", "change", {f"change-{ROW}-priority": "0.9", f"change-{ROW}-phase": "0-6",
                                       f"change-{ROW}-reason": "r"}, "0 到 100 的整数"),
    ("unknown phase", "change", {f"change-{ROW}-priority": "90", f"change-{ROW}-phase": "0-99",
                                 f"change-{ROW}-reason": "r"}, "请从列表中选择"),
    ("nothing changed", "change", {f"change-{ROW}-priority": "16", f"change-{ROW}-phase": "6-18",
                                   f"change-{ROW}-reason": "r"}, "请至少改一项"),
    ("reason too long", "dismiss", {f"dismiss-{ROW}-reason": "长" * 1001}, "不能超过 1000 字"),
    ("add without an item", "add", {"add-item": "", "add-priority": "40", "add-phase": "0-6",
                                    "add-reason": "r"}, "请选择一条建议"),
    ("add what is in the list", "add", {"add-item": VISION, "add-priority": "40", "add-phase": "0-6",
                                        "add-reason": "r"}, "请从列表中选择"),
    ("add without a reason", "add", {"add-item": "sf.excellent", "add-priority": "40", "add-phase": "0-6"},
     "请填写理由"),
    ("own without a title", "add-own", {"own-detail": "d", "own-priority": "40", "own-phase": "0-6",
                                        "own-reason": "r"}, "请填写建议标题"),
    ("own without a description", "add-own", {"own-title": "t", "own-priority": "40", "own-phase": "0-6",
                                              "own-reason": "r"}, "请写明建议做什么"),
]


@pytest.mark.parametrize(("action", "data", "message"), [case[1:] for case in REFUSED_FORMS],
                         ids=[case[0] for case in REFUSED_FORMS])
def test_a_refused_form_saves_nothing_and_says_why_at_the_field(client, db_session, world, reviewer,
                                                                 action, data, message):
    before = edit_count(db_session, world)
    path = f"{VISION}/{action}" if action in ("dismiss", "change") else action
    response = post(client, f"{page_url(world)}/{path}", reviewer, **data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and 'class="field-errors"' in body and "<details" in body
    assert edit_count(db_session, world) == before


def test_unknown_key_or_action_answers_404(client, db_session, world, reviewer):
    assert post(client, f"{page_url(world)}/5g.nope/keep", reviewer).status_code == 404
    assert post(client, f"{page_url(world)}/own:9/dismiss", reviewer,
                **{"dismiss-own-9-reason": "r"}).status_code == 404
    assert post(client, f"{page_url(world)}/{VISION}/remove", reviewer).status_code == 404
    assert client.get(f"/reviews/{world.assessment.id + 999}/recommendations").status_code == 404
    assert edit_count(db_session, world) == (0, 0)


def test_an_action_the_row_no_longer_offers_answers_409(client, db_session, world, reviewer):
    post(client, f"{page_url(world)}/{VISION}/keep", reviewer)
    response = post(client, f"{page_url(world)}/{VISION}/keep", reviewer)
    assert response.status_code == 409 and "页面已更新" in response.get_data(as_text=True)
    assert edit_count(db_session, world) == (1, 1)


def test_after_sign_off_every_post_answers_409_and_the_page_is_read_only(client, db_session, world, reviewer):
    sign_off(db_session, world)
    attempts = [(f"{VISION}/keep", {}), (f"{VISION}/dismiss", {f"dismiss-{ROW}-reason": "r"}),
                (f"{VISION}/change", {f"change-{ROW}-priority": "90", f"change-{ROW}-phase": "0-6",
                                      f"change-{ROW}-reason": "r"}),
                ("add", {"add-item": "sf.basic", "add-priority": "4", "add-phase": "0-6", "add-reason": "r"}),
                ("add-own", {"own-title": "t", "own-detail": "d", "own-priority": "4", "own-phase": "0-6",
                             "own-reason": "r"})]
    for path, data in attempts:
        for htmx in (True, False):
            response = post(client, f"{page_url(world)}/{path}", reviewer, htmx=htmx, **data)
            assert response.status_code == 409, path
            assert "评审已签署，建议清单不能再修改。" in response.get_data(as_text=True)
    assert edit_count(db_session, world) == (0, 0)
    html = client.get(page_url(world)).get_data(as_text=True)
    assert "评审已签署" in html and "<form method=\"post\" action=\"/reviews" not in html


def test_signed_off_page_reads_the_verified_snapshot(client, db_session, world, reviewer):
    post(client, f"{page_url(world)}/{VISION}/dismiss", reviewer, **{f"dismiss-{ROW}-reason": "已有"})
    sign_off(db_session, world)
    # a later verified answer (it cannot happen through the app) does not change the signed-off list
    store.write_answer(db_session, world.assessment, "fur_edge_banding_vision", True, None, source="verified")
    html = client.get(page_url(world)).get_data(as_text=True)
    assert html.count("机器视觉质检") == 2 and "不采纳" in html


def test_edits_the_engine_no_longer_matches_are_reported_stale(client, db_session, world, reviewer):
    post(client, f"{page_url(world)}/{VISION}/dismiss", reviewer, **{f"dismiss-{ROW}-reason": "已有在线检测"})
    store.write_answer(db_session, world.assessment, "fur_edge_banding_vision", True, world.diagnostician.id,
                       source="verified")
    html = client.get(page_url(world)).get_data(as_text=True)
    assert "对它们的处理已不再生效" in html and "机器视觉质检（不采纳：已有在线检测）" in html
    assert 'class="rec rec--dismissed"' not in html


# --- access -----------------------------------------------------------------------------------------------


@pytest.fixture
def people(world, make_user, make_provider_org):
    return {
        "diagnostician": world.diagnostician,
        "lead": world.lead,
        "colleague": make_user("provider", provider_org=world.org),  # same organisation, not assigned
        "other_provider": make_user("provider", provider_org=make_provider_org(), is_lead=True),
        "company": world.company_user,
        "other_company": make_user("company"),
        "official": make_user("official", regions=["家居产业园"]),
        "other_official": make_user("official", regions=["别的园区"]),
        "admin": make_user("admin"),
    }


BEFORE_SIGN_OFF = {"diagnostician": 200, "lead": 200, "colleague": 403, "other_provider": 404, "company": 403,
                   "other_company": 404, "official": 403, "other_official": 404, "admin": 403}
AFTER_SIGN_OFF = {**BEFORE_SIGN_OFF, "colleague": 200, "company": 200, "official": 200, "admin": 200}
POST_STATUS = {"diagnostician": 303, "lead": 303, "colleague": 403, "other_provider": 404, "company": 403,
               "other_company": 403, "official": 403, "other_official": 403, "admin": 403}


@pytest.mark.parametrize("who", sorted(BEFORE_SIGN_OFF))
def test_page_access_before_and_after_sign_off(client, db_session, world, people, login, who):
    login(client, people[who])
    assert client.get(page_url(world)).status_code == BEFORE_SIGN_OFF[who]
    sign_off(db_session, world)
    assert client.get(page_url(world)).status_code == AFTER_SIGN_OFF[who]


@pytest.mark.parametrize("who", sorted(POST_STATUS))
def test_post_access(client, db_session, world, people, login, csrf_token, who):
    login(client, people[who])
    token = csrf_token(client, "/")
    response = post(client, f"{page_url(world)}/{VISION}/keep", token, htmx=False)
    assert response.status_code == POST_STATUS[who]
    assert edit_count(db_session, world) == ((1, 1) if POST_STATUS[who] == 303 else (0, 0))


def test_anonymous_is_sent_to_login_and_a_draft_is_404(client, db_session, world, login):
    assert client.get(page_url(world)).status_code == 302
    draft = store.create_assessment(db_session, world.company.id, world.assessment.questionnaire_id,
                                    world.assessment.questionnaire_version, None)
    login(client, world.diagnostician)
    assert client.get(f"/reviews/{draft.id}/recommendations").status_code == 404


def test_post_without_csrf_token_is_refused(client, db_session, world, login):
    login(client, world.diagnostician)
    assert client.post(f"{page_url(world)}/{VISION}/keep").status_code == 400
    assert edit_count(db_session, world) == (0, 0)
