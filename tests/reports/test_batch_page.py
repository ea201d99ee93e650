"""The official's batch page: scoped choices, start, progress polled by htmx, ownership, the ZIP.

The flows that render run on `committed_app` (a database of the test's own, whose commits the
queue's workers see), with a real consumer in a thread of the test: the web only enqueues.
"""

from __future__ import annotations

import threading
import time
import urllib.request
import zipfile
from io import BytesIO

import pytest
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from diagnosis.store.accounts import User
from diagnosis.store.companies import Company
from reports.queue import start_consumer
from tests.conftest import TEST_PASSWORD_HASH
from tests.reports.stored import queue_of, signed_in, submitted_assessment
from tests.support import credit_code, csrf_from


@pytest.fixture
def district(committed_app):
    """Two furniture companies with submitted assessments, one inside the official's park; committed."""
    with Session(committed_app.extensions["db_engine"]) as session:
        companies = {}
        for seq, (name, park) in enumerate((("园区内企业", "家居产业园"), ("园区外企业", "化工园区")), 1):
            company = Company(name=name, credit_code=credit_code(7000 + seq), industry_code="2110", park=park,
                              above_designated_size=True, employees=320, revenue_band="100m_400m",
                              contact_name="张经理", contact_phone="0564-1234567")
            session.add(company)
            session.flush()
            submitted_assessment(session, company)
            companies[name] = company.id
        officials = [User(email=f"official{seq}@example.cn", name=f"官员{seq}", role="official",
                          password_hash=TEST_PASSWORD_HASH, regions=["家居产业园"], active=True)
                     for seq in (1, 2)]
        session.add_all(officials)
        session.commit()
        return {"companies": companies, "officials": [user.get_id() for user in officials]}


def post_batch(client, data: dict):
    token = csrf_from(client.get("/reports/batches").get_data(as_text=True))
    return client.post("/reports/batches", data={**data, "csrf_token": token})


def render_queued(app, client, batch_url: str) -> str:
    """Run a consumer in this thread's process until the batch page offers the ZIP; the last fragment."""
    consumer = start_consumer(queue_of(app))
    try:
        deadline = time.monotonic() + 90
        fragment = client.get(batch_url + "/progress").get_data(as_text=True)
        while "下载 ZIP" not in fragment and time.monotonic() < deadline:
            assert 'hx-trigger="every 1s"' in fragment
            time.sleep(0.3)
            fragment = client.get(batch_url + "/progress").get_data(as_text=True)
    finally:
        consumer.stop(graceful=True)
    return fragment


def test_starting_a_batch_only_enqueues(committed_app, district):
    client = signed_in(committed_app, district["officials"][0])
    threads = set(threading.enumerate())
    response = post_batch(client, {"mode": "companies", "company_ids": [district["companies"]["园区内企业"]],
                                   "lang": "zh_CN"})
    assert response.status_code == 302
    assert set(threading.enumerate()) == threads  # no consumer, no worker thread
    assert queue_of(committed_app).huey.pending_count() == 1
    assert "共 1 份：已生成 0 份" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_official_starts_follows_and_downloads_a_batch(committed_app, district):
    client = signed_in(committed_app, district["officials"][0])
    page = client.get("/reports/batches").get_data(as_text=True)
    assert "园区内企业" in page and "园区外企业" not in page

    refused = post_batch(client, {"mode": "companies", "company_ids": [district["companies"]["园区外企业"]],
                                  "lang": "zh_CN"})
    assert refused.status_code == 200 and "field-errors" in refused.get_data(as_text=True)
    response = post_batch(client, {"mode": "companies", "company_ids": [district["companies"]["园区内企业"]],
                                   "lang": "zh_CN"})
    assert response.status_code == 302
    batch_url = response.headers["Location"]
    early = client.get(batch_url + "/reports.zip")
    assert early.status_code == 302 and early.headers["Location"].endswith(batch_url)

    fragment = render_queued(committed_app, client, batch_url)
    assert "共 1 份：已生成 1 份，失败 0 份。" in fragment

    with client.get(batch_url + "/reports.zip") as archive:
        assert archive.status_code == 200 and archive.mimetype == "application/zip"
        with zipfile.ZipFile(BytesIO(archive.data)) as contents:
            assert contents.testzip() is None
            assert [name.endswith("-园区内企业.pdf") for name in contents.namelist()] == [True]

    other = signed_in(committed_app, district["officials"][1])
    for suffix in ("", "/progress", "/reports.zip"):
        assert other.get(batch_url + suffix).status_code == 404


def test_concurrent_downloads_of_a_finished_batch_each_get_a_whole_zip(committed_app, district):
    client = signed_in(committed_app, district["officials"][0])
    response = post_batch(client, {"mode": "filter", "industry_tag": "furniture", "park": "", "level": "",
                                   "lang": "zh_CN"})
    batch_url = response.headers["Location"]
    render_queued(committed_app, client, batch_url)
    cookie = client.get_cookie("session").value
    server = make_server("127.0.0.1", 0, committed_app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    downloads: list[bytes] = []

    def download() -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}{batch_url}/reports.zip",
                                         headers={"Cookie": f"session={cookie}"})
        with urllib.request.urlopen(request, timeout=60) as reply:
            downloads.append(reply.read())

    try:
        threads = [threading.Thread(target=download) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.shutdown()
        serving.join()
    assert len(downloads) == 12
    for data in downloads:
        with zipfile.ZipFile(BytesIO(data)) as contents:
            assert contents.testzip() is None and len(contents.namelist()) == 1


def test_batch_form_asks_for_a_company(client, make_user, login, post_form):
    login(client, make_user(role="official"))
    response = post_form(client, "/reports/batches", {"mode": "companies", "lang": "zh_CN"},
                         page="/reports/batches")
    assert response.status_code == 200
    assert "请至少勾选一家企业。" in response.get_data(as_text=True)


def test_industry_tags_follow_the_page_language(client, make_user, login):
    login(client, make_user(role="official", locale=None))
    with client.session_transaction() as browser:
        browser["locale"] = "en"
    page = client.get("/reports/batches").get_data(as_text=True)
    assert ">Custom furniture</option>" in page and "定制家居" not in page
