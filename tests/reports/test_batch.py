"""Report batches through the real Huey queue: an embedded SQLite consumer, Redis workers, the CLI.

The workers read the database through their own connections, so these tests build a database
of their own (migrated, committed) instead of the rolled-back test transaction.
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
from alembic import command
from sqlalchemy.orm import Session

from diagnosis.jobs import enqueue_batch, make_queue, start_consumer
from diagnosis.store import alembic_config
from diagnosis.store.companies import Company
from diagnosis.store.db import make_engine
from reports import batch
from reports.selection import BatchFilter, select_batch
from tests.reports.conftest import ROOT, poppler
from tests.reports.stored import submitted_assessment
from tests.support import credit_code

COMPANIES = ("甲家居有限公司", "乙家居有限公司", "丙家居有限公司", "丁损坏数据公司")
BROKEN_RESULT = {"engine": 1, "questionnaire": {"id": "district-diagnosis", "version": "2026.1"}}


@pytest.fixture
def district(tmp_path):
    """A committed SQLite district: three scoreable companies and one whose snapshot is broken."""
    url = f"sqlite:///{tmp_path / 'district.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    with Session(engine) as session:
        for seq, name in enumerate(COMPANIES, 1):
            company = Company(name=name, credit_code=credit_code(9000 + seq), industry_code="2110",
                              park="家居产业园", above_designated_size=True, employees=320,
                              revenue_band="100m_400m", contact_name="张经理", contact_phone="0564-1234567")
            session.add(company)
            session.flush()
            submitted_assessment(session, company, result=BROKEN_RESULT if name.startswith("丁") else None)
        session.commit()
        items = select_batch(session, BatchFilter(industry_tag="furniture"))
    engine.dispose()
    return url, items


def run_batch(queue, url: str, items, directory: Path, workers: int) -> batch.Progress:
    batch.create_batch(directory, items, "zh_CN")
    consumer = start_consumer(queue, workers=workers)
    try:
        enqueue_batch(queue, directory, url, None)
        deadline = time.monotonic() + 120
        while not batch.progress(directory).finished and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
    return batch.progress(directory)


def check_outcome(directory: Path, state: batch.Progress) -> None:
    assert (state.total, state.rendered, state.failed) == (4, 3, 1)
    assert batch.failures(directory) == [{"company": "丁损坏数据公司", "reason": "KeyError: 'sme'"}]
    with zipfile.ZipFile(batch.build_zip(directory)) as archive:
        names = sorted(archive.namelist())
        assert len([name for name in names if name.endswith(".pdf")]) == 3
        assert any("甲家居有限公司" in name for name in names)
        assert archive.read("errors.txt").decode() == "丁损坏数据公司: KeyError: 'sme'\n"
    pdf = next(directory.glob("*甲家居有限公司.pdf"))
    assert "甲家居有限公司" in poppler("pdftotext", str(pdf), "-")


def test_batch_on_an_embedded_sqlite_consumer(district, tmp_path):
    url, items = district
    queue = make_queue({"HUEY_FILE": str(tmp_path / "huey.db")}, tmp_path)
    directory = tmp_path / "batch"
    check_outcome(directory, run_batch(queue, url, items, directory, workers=2))


def test_batch_on_redis_workers(district, tmp_path):
    url, items = district
    queue = make_queue({"REDIS_URL": "redis://127.0.0.1:6379/0",
                        "HUEY_QUEUE": f"test-reports-{uuid.uuid4().hex}"}, tmp_path)
    directory = tmp_path / "batch"
    try:
        check_outcome(directory, run_batch(queue, url, items, directory, workers=2))
    finally:
        queue.huey.storage.flush_all()


def test_cli_batch_with_process_workers_and_a_progress_bar(district, tmp_path):
    url, _ = district
    out = tmp_path / "out"
    environment = {**os.environ, "DATABASE_URL": url, "DIAGNOSIS_STORAGE": str(tmp_path / "storage"),
                   "REDIS_URL": "", "SECRET_KEY": "cli-test"}
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "report", "batch", "--out", str(out),
         "--industry-tag", "furniture", "--workers", "2"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "3 份已生成，1 份失败" in finished.stdout
    assert "失败 丁损坏数据公司: KeyError: 'sme'" in finished.stderr
    assert "4/4" in finished.stderr  # tqdm's final line
    assert len(list(out.glob("*.pdf"))) == 3


def test_unknown_industry_tag_is_refused(district):
    url, _ = district
    engine = make_engine(url)
    with Session(engine) as session, pytest.raises(ValueError, match="unknown industry tag 'wood'"):
        select_batch(session, BatchFilter(industry_tag="wood"))
    engine.dispose()
