"""The official's batch page: scoped choices, start, progress polled by htmx, ownership, the ZIP.

The flows that render run on `committed_app` (a database of the test's own, whose commits the
queue's workers see), with a real consumer in a thread of the test: the web only enqueues.
"""

from __future__ import annotations

import threading
import time
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from diagnosis.core.bundle import load_bundle
from diagnosis.store.accounts import User
from diagnosis.store.batches import ReportBatch, ReportBatchItem
from reports.batch import STALLED, batch_directory, new_token, start_batch
from reports.queue import start_consumer
from reports.selection import BatchFilter, select_batch
from tests.conftest import TEST_PASSWORD_HASH
from tests.reports.stored import queue_of, signed_in, submitted_assessment, use_dead_queue
from tests.support import csrf_from, furniture_company


@pytest.fixture
def district(committed_app):
    """Two furniture companies with submitted assessments, one inside the official's park; committed."""
    with Session(committed_app.extensions["db_engine"]) as session:
        companies = {}
        for seq, (name, park) in enumerate((("园区内企业", "家居产业园"), ("园区外企业", "化工园区")), 1):
            company = furniture_company(session, 7000 + seq, name, park=park)
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


def batch_rows(app) -> list[ReportBatch]:
    with Session(app.extensions["db_engine"]) as session:
        return list(session.scalars(select(ReportBatch)))


def item_ids(app) -> list[int]:
    with Session(app.extensions["db_engine"]) as session:
        return list(session.scalars(select(ReportBatchItem.id).order_by(ReportBatchItem.id)))


def post_action(client, batch_url: str, action: str):
    token = csrf_from(client.get(batch_url).get_data(as_text=True))
    return client.post(f"{batch_url}/{action}", data={"csrf_token": token})


def recorded_batch(app, district, queued_at=None) -> str:
    """A batch of the official's company whose rows were committed but whose task never reached the
    queue (the process died in between), or reached it at ``queued_at``; its page URL."""
    with Session(app.extensions["db_engine"]) as session:
        chosen = BatchFilter(company_ids=[district["companies"]["园区内企业"]])
        official = session.scalars(select(User).where(User.email == "official1@example.cn")).one()
        storage = Path(app.config["DIAGNOSIS_STORAGE"])
        token = new_token()
        batch = start_batch(session, select_batch(session, chosen, load_bundle()), "zh_CN",
                            batch_directory(storage, token), chosen, official.id, token)
        for item in batch.items:
            item.queued_at = queued_at
        session.commit()
    return f"/reports/batches/{token}"


def test_a_dead_queue_refuses_the_batch_and_leaves_none_behind(committed_app, district, monkeypatch):
    use_dead_queue(committed_app, monkeypatch)
    client = signed_in(committed_app, district["officials"][0])
    response = post_batch(client, {"mode": "filter", "industry_tag": "furniture", "park": "", "level": "",
                                   "lang": "zh_CN"})
    assert response.status_code == 503
    assert "报告队列暂不可用，批量生成没有开始。请稍后再试。" in response.get_data(as_text=True)
    assert batch_rows(committed_app) == []
    assert not list((Path(committed_app.config["DIAGNOSIS_STORAGE"]) / "batches").glob("*"))


def test_an_official_cancels_a_running_batch_then_retries_it(committed_app, district):
    client = signed_in(committed_app, district["officials"][0])
    batch_url = post_batch(client, {"mode": "filter", "industry_tag": "furniture", "park": "", "level": "",
                                    "lang": "zh_CN"}).headers["Location"]
    assert "取消批量生成" in client.get(batch_url).get_data(as_text=True)
    cancelled = post_action(client, batch_url, "cancel")
    assert cancelled.status_code == 302 and cancelled.headers["Location"].endswith(batch_url)
    page = client.get(batch_url).get_data(as_text=True)
    assert "已取消 1 份尚未生成的报告。" in page and "已取消 1 份。" in page
    assert "下载 ZIP" in page and "取消批量生成" not in page and "重试 1 份未完成的报告" in page
    queue_of(committed_app).render.call_local(item_ids(committed_app)[0])  # its task, late: ignored
    assert "已生成 0 份" in client.get(batch_url).get_data(as_text=True)

    assert post_action(client, batch_url, "retry").status_code == 302
    assert "已重新加入队列 1 份报告。" in client.get(batch_url).get_data(as_text=True)
    fragment = render_queued(committed_app, client, batch_url)
    assert "共 1 份：已生成 1 份，失败 0 份。" in fragment and "重试" not in fragment
    with client.get(batch_url + "/reports.zip") as archive:
        contents = zipfile.ZipFile(BytesIO(archive.data))
        assert [name.endswith("-园区内企业.pdf") for name in contents.namelist()] == [True]


def test_items_that_never_reached_the_queue_are_retried(committed_app, district):
    batch_url = recorded_batch(committed_app, district)
    client = signed_in(committed_app, district["officials"][0])
    assert "重试 1 份未完成的报告" in client.get(batch_url).get_data(as_text=True)
    post_action(client, batch_url, "retry")
    assert "共 1 份：已生成 1 份" in render_queued(committed_app, client, batch_url)


def test_a_retry_the_queue_refuses_keeps_the_items_retryable(committed_app, district, monkeypatch):
    batch_url = recorded_batch(committed_app, district)
    use_dead_queue(committed_app, monkeypatch)
    client = signed_in(committed_app, district["officials"][0])
    assert post_action(client, batch_url, "retry").status_code == 302
    page = client.get(batch_url).get_data(as_text=True)
    assert "报告队列暂不可用，未能重新加入队列的报告可稍后再试。" in page and "重试 1 份未完成的报告" in page


def test_a_batch_queued_long_ago_with_nothing_finished_is_stalled(committed_app, district):
    recent = recorded_batch(committed_app, district, queued_at=datetime.now(UTC))
    long_ago = datetime.now(UTC) - STALLED - timedelta(minutes=1)
    stuck = recorded_batch(committed_app, district, queued_at=long_ago)
    client = signed_in(committed_app, district["officials"][0])
    assert "重试" not in client.get(recent).get_data(as_text=True)
    assert "重试 1 份未完成的报告" in client.get(stuck).get_data(as_text=True)


def test_cancel_and_retry_need_the_token_and_the_owner(committed_app, district):
    batch_url = recorded_batch(committed_app, district)
    owner = signed_in(committed_app, district["officials"][0])
    other = signed_in(committed_app, district["officials"][1])
    for action in ("cancel", "retry"):
        assert owner.post(f"{batch_url}/{action}").status_code == 400
        token = csrf_from(other.get("/reports/batches").get_data(as_text=True))
        assert other.post(f"{batch_url}/{action}", data={"csrf_token": token}).status_code == 404
    with Session(committed_app.extensions["db_engine"]) as session:
        assert [item.state for item in session.scalars(select(ReportBatchItem))] == ["queued"]
