"""Report batches through the real Huey queue: an in-thread SQLite consumer, Redis workers, the CLI.

The workers read the database through their own connections, so these tests build a database
of their own (migrated, committed: SQLite, or a private schema on TEST_DATABASE_URL) instead of
the rolled-back test transaction.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis.core.bundle import load_bundle
from diagnosis.store.batches import ReportBatch, ReportBatchItem, ReportRender, progress
from diagnosis.store.db import make_engine
from reports.batch import failures, start_batch
from reports.data import report_key
from reports.queue import make_queue, start_consumer
from reports.renders import claim
from reports.selection import BatchFilter, select_batch
from tests.reports.conftest import ROOT, poppler
from tests.reports.stored import DEAD_REDIS, submitted_assessment
from tests.support import furniture_company

COMPANIES = ("甲家居有限公司", "乙家居有限公司", "丙家居有限公司", "丁损坏数据公司")
BROKEN_RESULT = {"engine": 1, "questionnaire": {"id": "district-diagnosis", "version": "2026.1"}}
FURNITURE = BatchFilter(industry_tag="furniture")


@pytest.fixture
def district(committed_url):
    """A committed district: three scoreable companies and one whose snapshot is broken."""
    engine = make_engine(committed_url)
    with Session(engine) as session:
        for seq, name in enumerate(COMPANIES, 1):
            company = furniture_company(session, 9000 + seq, name)
            submitted_assessment(session, company, result=BROKEN_RESULT if name.startswith("丁") else None)
        session.commit()
    yield engine
    engine.dispose()


def queue_config(engine, tmp_path: Path, **settings) -> dict:
    return {"DATABASE_URL": engine.url.render_as_string(hide_password=False), "REDIS_URL": None,
            "DIAGNOSIS_STORAGE": str(tmp_path / "storage"), "HUEY_QUEUE": "test-reports",
            "HUEY_FILE": str(tmp_path / "huey.db"), **settings}


def run_batch(queue, engine, directory: Path, workers: int) -> int:
    """Start a batch of the furniture companies, render it on an in-thread consumer; its id."""
    with Session(engine) as session:
        items = select_batch(session, FURNITURE, load_bundle())
        batch = start_batch(session, items, "zh_CN", directory, FURNITURE, requested_by=None)
        session.commit()
        consumer = start_consumer(queue, workers=workers)
        try:
            queue.enqueue(item.id for item in batch.items)
            deadline = time.monotonic() + 120
            while batch.status != "finished" and time.monotonic() < deadline:
                time.sleep(0.2)
                session.expire_all()
                session.rollback()
        finally:
            consumer.stop(graceful=True)
        return batch.id


def check_outcome(engine, batch_id: int) -> None:
    with Session(engine) as session:
        batch = session.get(ReportBatch, batch_id)
        state = progress(session, batch_id)
        assert (state.total, state.rendered, state.failed) == (4, 3, 1)
        assert [(item.company_name, item.error) for item in failures(session, batch_id)] == [
            ("丁损坏数据公司", "KeyError: 'sme'")]
        assert batch is not None and batch.status == "finished" and batch.archive == "reports.zip"
        directory = Path(batch.directory)
    with zipfile.ZipFile(directory / "reports.zip") as archive:
        assert archive.testzip() is None
        names = sorted(archive.namelist())
        assert len([name for name in names if name.endswith(".pdf")]) == 3
        assert any("甲家居有限公司" in name for name in names)
        assert archive.read("errors.txt").decode() == "丁损坏数据公司: KeyError: 'sme'\n"
    pdf = next(directory.glob("*甲家居有限公司.pdf"))
    assert "甲家居有限公司" in poppler("pdftotext", str(pdf), "-")
    assert not list(directory.glob(".*.tmp"))


def test_batch_on_an_in_thread_sqlite_consumer(district, tmp_path):
    queue = make_queue(queue_config(district, tmp_path), load_bundle())
    batch_id = run_batch(queue, district, tmp_path / "batch", workers=2)
    check_outcome(district, batch_id)
    with Session(district) as session:
        done = [item.id for item in session.get(ReportBatch, batch_id).items]
    queue.render.call_local(done[0])  # a task delivered twice renders nothing again
    check_outcome(district, batch_id)


def test_batch_on_redis_workers(district, tmp_path):
    config = queue_config(district, tmp_path, REDIS_URL="redis://127.0.0.1:6379/0",
                          HUEY_QUEUE=f"test-reports-{uuid.uuid4().hex}")
    queue = make_queue(config, load_bundle())
    try:
        check_outcome(district, run_batch(queue, district, tmp_path / "batch", workers=2))
    finally:
        queue.huey.storage.flush_all()


def test_cli_batch_with_process_workers_and_a_progress_bar(district, tmp_path):
    out = tmp_path / "out"
    environment = {**os.environ, "DATABASE_URL": district.url.render_as_string(hide_password=False),
                   "DIAGNOSIS_STORAGE": str(tmp_path / "storage"), "REDIS_URL": "", "SECRET_KEY": "cli-test"}
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "report", "batch", "--out", str(out),
         "--industry-tag", "furniture", "--workers", "2"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "3 份已生成，1 份失败" in finished.stdout
    assert "失败 丁损坏数据公司: KeyError: 'sme'" in finished.stderr
    assert "4/4" in finished.stderr  # tqdm's final line
    assert len(list(out.glob("*.pdf"))) == 3
    with zipfile.ZipFile(out / "reports.zip") as archive:
        assert archive.testzip() is None and len(archive.namelist()) == 4


def test_unknown_industry_tag_is_refused(district):
    with Session(district) as session, pytest.raises(ValueError, match="unknown industry tag 'wood'"):
        select_batch(session, BatchFilter(industry_tag="wood"), load_bundle())


def test_cli_batch_with_the_queue_down_starts_nothing(district, tmp_path):
    environment = {**os.environ, "DATABASE_URL": district.url.render_as_string(hide_password=False),
                   "DIAGNOSIS_STORAGE": str(tmp_path / "storage"), "REDIS_URL": DEAD_REDIS,
                   "SECRET_KEY": "cli-test"}
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "report", "batch", "--out", str(tmp_path / "out"),
         "--industry-tag", "furniture", "--workers", "1"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1
    assert "the report queue is unavailable, no batch started" in finished.stderr
    assert "Traceback" not in finished.stderr
    with Session(district) as session:
        assert session.scalars(select(ReportBatch)).all() == []
    assert not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("redis_url", [None, "redis://127.0.0.1:6379/0"], ids=["sqlite", "redis"])
def test_a_single_report_goes_before_the_batch_items_queued_earlier(district, tmp_path, redis_url):
    """A person waits for a download; an official's batch can wait for it (one worker)."""
    queue = make_queue(queue_config(district, tmp_path, REDIS_URL=redis_url,
                                    HUEY_QUEUE=f"test-reports-{uuid.uuid4().hex}"), load_bundle())
    try:
        with Session(district) as session:
            items = select_batch(session, FURNITURE, load_bundle())
            batch = start_batch(session, items, "zh_CN", tmp_path / "batch", FURNITURE, requested_by=None)
            session.commit()
            queue.enqueue(item.id for item in batch.items)
            claimed = claim(session, report_key(session, items[0].assessment_id), "en", None)
            assert claimed.queue is not None
            queue.enqueue_report(claimed.queue)
            consumer = start_consumer(queue, workers=1)
            try:
                deadline = time.monotonic() + 120
                while progress(session, batch.id).done < 4 and time.monotonic() < deadline:
                    time.sleep(0.2)
                    session.rollback()
            finally:
                consumer.stop(graceful=True)
            render = session.get(ReportRender, claimed.queue)
            assert render is not None and render.state == "rendered" and render.finished_at is not None
            first_item = min(item.finished_at for item in session.scalars(
                select(ReportBatchItem).where(ReportBatchItem.batch_id == batch.id)))
            assert render.finished_at < first_item
    finally:
        queue.huey.storage.flush_all()
