"""The officials' downloads: the 调度表 queued from the dashboard's button, followed on its job page
(htmx polling) and downloaded once a real Huey consumer wrote it, only by the official who asked (or
an admin); the 月度通报 PDF; bad choices answered at the field.

The queued flow runs on `committed_app` (a database of the test's own whose commits the queue's
workers see), with a consumer in a thread of the test: the web only enqueues.
"""

from __future__ import annotations

import io
import re
import subprocess
import threading
import time
from urllib.parse import quote

import pytest
from flask import render_template
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session

from diagnosis.pipeline import jobs
from diagnosis.pipeline.export import LEDGER_SHEET, SUMMARY_SHEET
from diagnosis.pipeline.figures import Filters
from diagnosis.store.accounts import User
from diagnosis.web.bundle import current_bundle
from reports.queue import queue_for, start_consumer
from tests.conftest import TEST_PASSWORD_HASH
from tests.pipeline.world import PARK_A, PARK_B, YEAR, build_district
from tests.reports.stored import signed_in
from tests.support import csrf_from


@pytest.fixture
def district(committed_app):
    """The pipeline tests' district, committed, with two officials of park A and an admin."""
    with Session(committed_app.extensions["db_engine"]) as session:
        build_district(session)
        users = [User(email=f"{name}@example.cn", name=name, role=role, password_hash=TEST_PASSWORD_HASH,
                      regions=regions, active=True)
                 for name, role, regions in (("official1", "official", [PARK_A]),
                                             ("official2", "official", [PARK_A]), ("admin1", "admin", []))]
        session.add_all(users)
        session.commit()
        return [user.get_id() for user in users]


def start_export(client, **choice: str):
    token = csrf_from(client.get("/exports/").get_data(as_text=True))
    return client.post("/exports/", data={**choice, "csrf_token": token})


def run_queued(app, client, job_url: str) -> str:
    """Run a consumer until the job page offers the file; the last fragment."""
    with app.app_context():
        queue = queue_for(app, current_bundle())
    consumer = start_consumer(queue)
    try:
        deadline = time.monotonic() + 90
        fragment = client.get(job_url + "/progress").get_data(as_text=True)
        while "下载调度表（Excel）" not in fragment and time.monotonic() < deadline:
            assert 'hx-trigger="every 1s"' in fragment and "生成失败" not in fragment, fragment
            time.sleep(0.3)
            fragment = client.get(job_url + "/progress").get_data(as_text=True)
    finally:
        consumer.stop(graceful=True)
    return fragment


def test_starting_an_export_only_enqueues(committed_app, district):
    client = signed_in(committed_app, district[0])
    threads = set(threading.enumerate())
    response = start_export(client, year=str(YEAR), month=f"{YEAR}-03")
    assert response.status_code == 302
    assert set(threading.enumerate()) == threads
    with committed_app.app_context():
        assert queue_for(committed_app, current_bundle()).huey.pending_count() == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已加入队列" in page and 'hx-trigger="every 1s"' in page
    assert f'href="/pipeline/?year={YEAR}&amp;month=3">返回调度看板</a>' in page
    assert f'href="/exports/?year={YEAR}&amp;month={YEAR}-03"' in page


def test_official_exports_in_the_background_and_only_they_download(committed_app, district):
    client = signed_in(committed_app, district[0])
    response = start_export(client, year=str(YEAR), month=f"{YEAR}-03", park="", tag="", provider="")
    job_url = response.headers["Location"]
    token = job_url.rsplit("/", 1)[-1]
    early = client.get(job_url + "/file")
    assert early.status_code == 302 and early.headers["Location"].endswith(job_url)

    fragment = run_queued(committed_app, client, job_url)
    assert "已完成：共 5 家企业。" in fragment  # park A's five companies only
    job = jobs.load(committed_app.config["DIAGNOSIS_STORAGE"], token)
    assert job is not None and job.filters["parks"] == [PARK_A] and job.filters["month"] == 3
    assert job.chosen == {"year": str(YEAR), "month": f"{YEAR}-03"}

    with client.get(job_url + "/file") as download:
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert "xlsx" in download.headers["Content-Disposition"]
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(download.data))
    ledger = workbook.get_sheet_by_name(LEDGER_SHEET).to_python()
    assert {row[0] for row in ledger[1:]} == {PARK_A}
    summary = {row[0]: row for row in workbook.get_sheet_by_name(SUMMARY_SHEET).to_python() if row[0]}
    assert summary["推广应用工业机器人"][3:5] == [6, 6]
    assert summary["名录企业"][1] == 5

    other = signed_in(committed_app, district[1])
    for suffix in ("", "/progress", "/file"):
        assert other.get(job_url + suffix).status_code == 404
    admin = signed_in(committed_app, district[2])
    with admin.get(job_url + "/file") as by_admin:
        assert by_admin.status_code == 200


def test_a_park_outside_the_officials_exports_nothing(committed_app, district):
    client = signed_in(committed_app, district[0])
    job_url = start_export(client, year=str(YEAR), month=f"{YEAR}-03", park=PARK_B).headers["Location"]
    assert "已完成：共 0 家企业。" in run_queued(committed_app, client, job_url)


def test_bad_choices_are_named_at_the_field(client, make_user, login, csrf_token):
    login(client, make_user(role="official", regions=[PARK_A]))
    token = csrf_token(client, "/exports/")
    for data, message in (({"month": "2026-13"}, "月份格式为 年-月"), ({"year": "2025", "month": "2026-03"},
                                                                      "月份须在所选年度之内"),
                          ({"year": "abc"}, ""), ({"provider": "x"}, "服务商无效"), ({"tag": "nope"}, "")):
        response = client.post("/exports/", data={**data, "csrf_token": token})
        assert response.status_code == 200, data
        page = response.get_data(as_text=True)
        assert "field-errors" in page and message in page, data
    assert client.get("/exports/briefing.pdf?month=2026-99").status_code == 400


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_briefing_download_is_scoped_to_the_officials_parks(client, db_session, make_user, login, tmp_path):
    build_district(db_session)
    login(client, make_user(role="official", regions=[PARK_A]))
    response = client.get(f"/exports/briefing.pdf?year={YEAR}&month={YEAR}-03&park=&tag=&provider=")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.data, tmp_path)
    assert re.search(r"推广应用工业机器人\s+台\s+10\s+6\s+6\s+60\.0%", text)  # park B's r5 left out
    assert f"范围：{PARK_A}" in text


def test_dashboard_buttons_carry_the_filters(app):
    args = {"year": YEAR, "month": f"{YEAR}-03", "park": PARK_A, "tag": "", "provider": "7"}
    with app.test_request_context("/pipeline/"):
        html = render_template("exports/_buttons.html", export_args=args, filters=None)
    assert 'action="/exports/"' in html and 'name="csrf_token"' in html
    assert f'name="month" value="{YEAR}-03"' in html and 'name="tag"' not in html
    assert "/exports/briefing.pdf?" in html and "provider=7" in html


def test_the_job_page_names_the_choice_and_leads_back(app, client, db_session, make_user, make_provider_org,
                                                      login):
    """The form offers the official's parks and the providers by name; the job page names the park,
    tag and provider chosen and leads back to the dashboard with that choice."""
    org = make_provider_org(name="合肥数转咨询有限公司")
    user = make_user(role="official", regions=[PARK_A])
    login(client, user)
    form = client.get("/exports/").get_data(as_text=True)
    assert f'<option value="{org.id}">合肥数转咨询有限公司</option>' in form
    assert f'<option value="{PARK_A}">{PARK_A}</option>' in form and PARK_B not in form
    chosen = {"year": str(YEAR), "month": f"{YEAR}-03", "park": PARK_A, "tag": "furniture",
              "provider": str(org.id)}
    filters = Filters(year=YEAR, parks=(PARK_A,), park=PARK_A, provider_org_id=org.id, month=3)
    job = jobs.new_job(app.config["DIAGNOSIS_STORAGE"], user.id, "zh_CN", filters, chosen)
    page = client.get(f"/exports/{job.token}").get_data(as_text=True)
    assert f"· {PARK_A} · 定制家居 · 合肥数转咨询有限公司" in page
    assert (f'href="/pipeline/?year={YEAR}&amp;month=3&amp;park={quote(PARK_A)}&amp;tag=furniture'
            f'&amp;provider={org.id}">返回调度看板</a>') in page
