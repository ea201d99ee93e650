"""Review evidence through the API: the lead lists, uploads (checked by content and size as on the
review page, all or nothing) and downloads the files of a question; every refusal names its field and
saves nothing (no row, no audit event, no file); scoped as the review."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from diagnosis.store import assessments as store
from diagnosis.store.assessments import Assessment, AuditEvent
from diagnosis.store.reviews import Evidence
from tests.api.conftest import Multipart, attached_pdf, call
from tests.web.assess_helpers import new_assessment
from tests.web.test_evidence_files import PDF, jpeg

SCRIPT = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


def unique_pdf() -> bytes:
    """A PDF no other test stored (the storage folder is shared by the test session)."""
    return PDF.replace(b"%%EOF", f"% {uuid.uuid4()}\n%%EOF".encode())


def url(api_world, question_id: str = "equip_total") -> str:
    return f"/api/v1/reviews/{api_world['ids']['submitted_id']}/questions/{question_id}/evidence"


def upload(client, api_world, uploads, role: str = "provider", question_id: str = "equip_total", **kwargs):
    body = Multipart({}, {"files": list(uploads)})
    token = api_world["tokens"][role]
    return call(client, "POST", url(api_world, question_id), token, **body.request(), **kwargs)


def saved(app, db_session, api_world) -> tuple[int, int, int]:
    """Evidence rows, review audit events and stored files: what a refusal must leave as it was."""
    db_session.expire_all()
    assessment_id = api_world["ids"]["submitted_id"]
    rows = db_session.scalar(select(func.count()).select_from(Evidence).where(
        Evidence.assessment_id == assessment_id))
    events = db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.assessment_id == assessment_id, AuditEvent.source == "review"))
    root = Path(app.config["DIAGNOSIS_STORAGE"]) / "evidence"
    return rows, events, sum(1 for path in root.rglob("*") if path.is_file())


def test_the_lead_uploads_lists_and_downloads(client, api_world, db_session):
    content = unique_pdf()
    response = upload(client, api_world, [(content, "设备台账.pdf"), (jpeg(gps=True), "现场.jpg")])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    names = [item["name"] for item in body["items"]]
    assert names == ["台账.pdf", "设备台账.pdf", "现场.jpg"] and body["already_listed"] == []
    pdf = body["items"][1]
    assert (pdf["content_type"], pdf["size"], pdf["source"]) == ("application/pdf", len(content), "verified")
    row = db_session.get(Evidence, pdf["id"])
    assert row is not None and row.uploaded_by_id == api_world["users"]["provider"].id
    listed = call(client, "GET", url(api_world), api_world["tokens"]["provider"]).get_json()
    assert [item["id"] for item in listed["items"]] == [item["id"] for item in body["items"]]
    with call(client, "GET", pdf["download"], api_world["tokens"]["provider"]) as download:
        assert download.status_code == 200 and download.data == content
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment; ")
    assert download.headers["Content-Security-Policy"].startswith("default-src 'none'; sandbox")


def test_the_same_content_is_listed_once(client, api_world):
    response = upload(client, api_world, [(PDF, "again.pdf")])  # the world's file already
    assert response.status_code == 200
    assert response.get_json()["already_listed"] == ["again.pdf"]
    assert len(response.get_json()["items"]) == 1


@pytest.mark.parametrize(("uploads", "field", "reason"), [
    ([(SCRIPT, "报告.pdf")], "files.files.0", "不支持此类文件"),
    ([(PDF.replace(b"%%EOF", b"% x\n%%EOF"), "报告.docx")], "files.files.0",
     "文件名的扩展名（.docx）与文件内容（.pdf）不符。"),
    ([(unique_pdf(), "好的.pdf"), (b"", "空.pdf")], "files.files.1", "文件是空的。"),
])
def test_refused_content_names_the_file_and_saves_nothing(app, client, api_world, db_session, uploads, field,
                                                          reason):
    before = saved(app, db_session, api_world)
    response = upload(client, api_world, uploads)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == field and reason in error["reason"]
    assert saved(app, db_session, api_world) == before


def test_a_file_over_the_size_limit(app, client, api_world, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_FILE_BYTES", 1024 * 1024)
    before = saved(app, db_session, api_world)
    big = PDF.replace(b"%%EOF", b"%" + b"x" * (1024 * 1024) + b"\n%%EOF")
    response = upload(client, api_world, [(big, "大.pdf")])
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "files.files.0" and "文件超过 1 MB 的上限。" in error["reason"]
    assert saved(app, db_session, api_world) == before


def test_the_request_limits(app, client, api_world, db_session, monkeypatch):
    before = saved(app, db_session, api_world)
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_FILES", 1)
    too_many = upload(client, api_world, [(unique_pdf(), "a.pdf"), (unique_pdf(), "b.pdf")])
    assert too_many.status_code == 422
    assert too_many.get_json()["errors"][0]["field"] == "files.files"
    assert "一次最多上传 1 个文件" in too_many.get_json()["errors"][0]["reason"]
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_REQUEST_BYTES", 2048)
    too_large = upload(client, api_world, [(PDF + b"%" * 4096, "a.pdf")])
    assert too_large.status_code == 413
    assert too_large.get_json()["errors"][0]["field"] == "files.files"
    nothing = call(client, "POST", url(api_world), api_world["tokens"]["provider"], **Multipart().request())
    assert nothing.status_code == 422
    assert nothing.get_json()["errors"][0]["field"] == "files.files"
    empty_input = upload(client, api_world, [(b"", "")])
    assert empty_input.status_code == 422
    assert empty_input.get_json()["errors"] == [{"field": "files.files", "reason": "请选择要上传的文件。"}]
    assert saved(app, db_session, api_world) == before


def test_scoped_as_the_review(app, client, api_world, db_session, make_company, make_provider_org):
    before = saved(app, db_session, api_world)
    assert upload(client, api_world, [(unique_pdf(), "a.pdf")], role="provider_colleague").status_code == 403
    assert upload(client, api_world, [(unique_pdf(), "a.pdf")], role="provider_other").status_code == 404
    assert upload(client, api_world, [(unique_pdf(), "a.pdf")], question_id="no_such").status_code == 404
    token = api_world["tokens"]["provider"]
    assert call(client, "GET", url(api_world, "no_such"), token).status_code == 404
    draft = f"/api/v1/reviews/{api_world['ids']['draft_id']}/questions/equip_total/evidence"
    assert call(client, "GET", draft, token).status_code == 404
    assert saved(app, db_session, api_world) == before


def test_a_file_of_another_assessment_or_removed_is_not_found(app, client, api_world, db_session):
    token, ids = api_world["tokens"]["provider"], api_world["ids"]
    other = new_assessment(db_session, api_world["company"])
    store.change_status(db_session, other, "submitted", None)
    foreign = attached_pdf(app, other.id)
    db_session.flush()
    response = call(client, "GET", f"/api/v1/reviews/{ids['submitted_id']}/evidence/{foreign.id}", token)
    assert response.status_code == 404 and response.is_json
    listed = db_session.get(Evidence, ids["evidence_id"])
    listed.removed_at = listed.uploaded_at
    db_session.flush()
    gone = call(client, "GET", f"/api/v1/reviews/{ids['submitted_id']}/evidence/{listed.id}", token)
    assert gone.status_code == 404


def test_nothing_changes_after_sign_off(app, client, api_world, db_session):
    assessment = db_session.get(Assessment, api_world["ids"]["submitted_id"])
    store.change_status(db_session, assessment, "verified", None)
    db_session.flush()
    before = saved(app, db_session, api_world)
    response = upload(client, api_world, [(unique_pdf(), "a.pdf")])
    assert response.status_code == 409
    assert response.get_json()["errors"][0]["reason"] == "该诊断已签字确认，核验结果不能再修改。"
    assert saved(app, db_session, api_world) == before
    assert call(client, "GET", url(api_world), api_world["tokens"]["provider"]).status_code == 200


def test_an_idempotency_key_replays_the_upload(app, client, api_world, db_session):
    content, key = unique_pdf(), {"Idempotency-Key": "evidence-1"}
    first = upload(client, api_world, [(content, "a.pdf")], headers=key)
    assert first.status_code == 201
    after_first = saved(app, db_session, api_world)
    replay = upload(client, api_world, [(content, "a.pdf")], headers=key)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    other = upload(client, api_world, [(unique_pdf(), "a.pdf")], headers=key)
    assert other.status_code == 422
    assert saved(app, db_session, api_world) == after_first
