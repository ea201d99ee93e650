"""PDF downloads served from stored reports: rendered once per snapshot and language in the
background, never in the request; a waiting page polled by htmx; renders limited per user;
a dead queue answered with a message. On `committed_app` with the real Huey queue and a consumer
in a thread of the test (the workers read the database through their own connections)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from diagnosis.store.accounts import ProviderOrg, User, utcnow
from diagnosis.store.batches import ReportRender
from diagnosis.store.companies import Company
from diagnosis.web.reports.downloads import schedule_reports
from reports.renders import RENDERS_PER_USER, STALE
from tests.conftest import TEST_PASSWORD_HASH
from tests.reports.conftest import poppler
from tests.reports.stored import consume_until, queue_of, signed_in, submitted_assessment, use_dead_queue
from tests.reports.test_batch import BROKEN_RESULT
from tests.support import furniture_company


@pytest.fixture
def district(committed_app):
    """Five committed companies with submitted assessments (the last one's snapshot cannot be
    rendered), a company user of the first, an official of their park, a verified assessment."""
    with Session(committed_app.extensions["db_engine"]) as session:
        org = ProviderOrg(name="合肥数智诊断服务有限公司")
        session.add(org)
        session.flush()
        assessments = []
        for seq in range(1, 6):
            company = furniture_company(session, 8000 + seq, f"下载企业{seq}", provider_org_id=org.id)
            assessments.append(submitted_assessment(session, company,
                                                    result=BROKEN_RESULT if seq == 5 else None))
        users = [User(email="company@example.cn", name="企业用户", role="company",
                      company_id=assessments[0].company_id, password_hash=TEST_PASSWORD_HASH, regions=[],
                      active=True),
                 User(email="official@example.cn", name="官员", role="official", regions=["家居产业园"],
                      password_hash=TEST_PASSWORD_HASH, active=True),
                 User(email="provider@example.cn", name="王诊断", role="provider", provider_org_id=org.id,
                      password_hash=TEST_PASSWORD_HASH, regions=[], active=True)]
        session.add_all(users)
        session.flush()
        verified = submitted_assessment(session, session.get(Company, assessments[1].company_id),
                                        verifier=users[2], adjust={"equip_networked": 60})
        session.commit()
        return {"assessments": [assessment.id for assessment in assessments], "verified": verified.id,
                "company_user": users[0].get_id(), "official": users[1].get_id(),
                "official_id": users[1].id}


def renders(app, **where) -> list[ReportRender]:
    with Session(app.extensions["db_engine"]) as session:
        query = select(ReportRender).order_by(ReportRender.id)
        for name, value in where.items():
            query = query.where(getattr(ReportRender, name) == value)
        return list(session.scalars(query))


def stored_files(app) -> list[Path]:
    return sorted((Path(app.config["DIAGNOSIS_STORAGE"]) / "reports").glob("*/*.pdf"))


def download(client, url: str) -> tuple[int, str, bytes]:
    """GET a stored PDF (a streamed file, closed here): status, Content-Disposition, bytes."""
    with client.get(url) as response:
        assert response.mimetype == "application/pdf", response.get_data(as_text=True)
        return response.status_code, response.headers["Content-Disposition"], response.data


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    return poppler("pdftotext", str(path), "-")


def test_a_download_before_the_report_exists_waits_then_gets_the_stored_bytes(committed_app, district,
                                                                              tmp_path):
    client = signed_in(committed_app, district["company_user"])
    url = f"/reports/assessments/{district['assessments'][0]}.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202 and waiting.mimetype == "text/html"
    page = waiting.get_data(as_text=True)
    assert "报告正在生成…" in page and 'hx-trigger="every 2s"' in page
    assert f'hx-get="/reports/assessments/{district["assessments"][0]}/report-status?lang=zh_CN"' in page
    assert client.get(url).status_code == 202  # asked again while pending: not queued again
    assert queue_of(committed_app).huey.pending_count() == 1 and not stored_files(committed_app)

    status = f"/reports/assessments/{district['assessments'][0]}/report-status?lang=zh_CN"
    consume_until(committed_app, lambda: "报告已生成" in client.get(status).get_data(as_text=True))
    fragment = client.get(status).get_data(as_text=True)
    assert "hx-get" not in fragment and f'href="{url}?lang=zh_CN"' in fragment

    code, disposition, first = download(client, url)
    assert code == 200 and disposition.startswith("attachment; filename=ZGSZ-")
    [kept] = stored_files(committed_app)
    assert first == download(client, url)[2] == kept.read_bytes()
    assert "下载企业1" in pdf_text(first, tmp_path)
    assert [render.state for render in renders(committed_app)] == ["rendered"]


def test_schedule_reports_renders_both_languages_ahead_of_the_download(committed_app, district, tmp_path):
    with committed_app.test_request_context():
        assert schedule_reports(district["assessments"][0]) is True
        assert schedule_reports(district["assessments"][0]) is True  # pending: nothing queued again
    assert queue_of(committed_app).huey.pending_count() == 2
    consume_until(committed_app, lambda: len(stored_files(committed_app)) == 2)
    assert [render.requested_by_id for render in renders(committed_app)] == [None, None]
    client = signed_in(committed_app, district["company_user"])
    url = f"/reports/assessments/{district['assessments'][0]}.pdf?lang=en"
    code, disposition, english = download(client, url)
    assert code == 200 and disposition.endswith("-en.pdf")
    assert "Diagnosis" in pdf_text(english, tmp_path)
    with committed_app.test_request_context():
        assert schedule_reports(district["assessments"][0]) is True  # both kept: nothing to do
    assert queue_of(committed_app).huey.pending_count() == 0


def test_a_user_has_only_a_few_renders_pending(committed_app, district):
    client = signed_in(committed_app, district["official"])
    urls = [f"/reports/assessments/{assessment_id}.pdf" for assessment_id in district["assessments"]]
    assert [client.get(url).status_code for url in urls[:RENDERS_PER_USER]] == [202] * RENDERS_PER_USER
    refused = client.get(urls[RENDERS_PER_USER])
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "5"
    assert f"您已有 {RENDERS_PER_USER} 份报告正在生成" in refused.get_data(as_text=True)
    assert client.get(urls[0]).status_code == 202  # a pending one asked again is no new render
    assert len(renders(committed_app, requested_by_id=district["official_id"])) == RENDERS_PER_USER
    assert queue_of(committed_app).huey.pending_count() == RENDERS_PER_USER

    consume_until(committed_app, lambda: len(renders(committed_app, state="rendered")) == RENDERS_PER_USER)
    assert client.get(urls[RENDERS_PER_USER]).status_code == 202  # a slot is free again


def test_a_failed_render_is_told_and_not_queued_again_at_once(committed_app, district):
    client = signed_in(committed_app, district["official"])
    broken = district["assessments"][4]
    client.get(f"/reports/assessments/{broken}.pdf")
    consume_until(committed_app, lambda: bool(renders(committed_app, state="failed")))
    [failed] = renders(committed_app)
    assert failed.error == "KeyError: 'sme'"
    page = client.get(f"/reports/assessments/{broken}.pdf")
    assert page.status_code == 200 and "报告生成失败" in page.get_data(as_text=True)
    assert "hx-get" not in page.get_data(as_text=True)
    assert queue_of(committed_app).huey.pending_count() == 0


def test_a_render_pending_too_long_is_queued_again(committed_app, district):
    """Its task was lost (a worker killed, a queue flushed): the next download asks again."""
    client = signed_in(committed_app, district["company_user"])
    url = f"/reports/assessments/{district['assessments'][0]}.pdf"
    client.get(url)
    queue = queue_of(committed_app)
    queue.huey.flush()
    with Session(committed_app.extensions["db_engine"]) as session:
        session.execute(update(ReportRender).values(requested_at=utcnow() - STALE - timedelta(seconds=1)))
        session.commit()
    assert client.get(url).status_code == 202
    assert queue.huey.pending_count() == 1


def test_the_issued_copy_of_a_verified_report_is_served_and_never_rendered_again(committed_app, district,
                                                                                  tmp_path):
    with committed_app.test_request_context():
        schedule_reports(district["verified"])
    consume_until(committed_app, lambda: len(stored_files(committed_app)) == 2)
    other_company = signed_in(committed_app, district["company_user"])
    official = signed_in(committed_app, district["official"])
    url = f"/reports/assessments/{district['verified']}.pdf"
    code, disposition, first = download(official, url)
    assert code == 200 and "-V" in disposition
    text = pdf_text(first, tmp_path)
    assert "合肥数智诊断服务有限公司" in text and "王诊断" in text
    assert "现场核对台账" in text.replace("\n", "")  # the reason wraps in its table cell
    kept = next(path for path in stored_files(committed_app) if path.name.endswith("-zh_CN.pdf"))
    kept.write_bytes(first + b"%issued")
    assert download(official, url)[2] == first + b"%issued"
    with committed_app.test_request_context():
        schedule_reports(district["verified"])  # both kept: no render is asked for
    assert queue_of(committed_app).huey.pending_count() == 0
    assert other_company.get(url).status_code == 404


def test_a_dead_queue_is_told_and_leaves_nothing_pending(committed_app, district, monkeypatch):
    use_dead_queue(committed_app, monkeypatch)
    client = signed_in(committed_app, district["company_user"])
    url = f"/reports/assessments/{district['assessments'][0]}.pdf"
    answer = client.get(url)
    assert answer.status_code == 503
    assert "报告服务暂不可用" in answer.get_data(as_text=True)
    assert 'hx-trigger="every 10s"' in answer.get_data(as_text=True)
    status = client.get(f"/reports/assessments/{district['assessments'][0]}/report-status")
    assert status.status_code == 200 and "报告服务暂不可用" in status.get_data(as_text=True)
    with committed_app.test_request_context():
        assert schedule_reports(district["assessments"][0]) is False
    assert renders(committed_app) == [] and not stored_files(committed_app)
