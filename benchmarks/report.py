"""Report rendering: one full report in a warm process, and batch throughput through Huey.

Prints the median wall and CPU time and the size of a full verified report (furniture example,
with adjustments, peers and every answer), then renders a batch of N reports from a committed
SQLite database through the real queue with 1 and with 2 process workers.
Targets on 2 cores: <= 1.0 s median per report, <= 400 KiB, 200 reports in < 2 minutes with
2 workers.

    .venv/bin/python benchmarks/report.py [--runs 9] [--reports 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import create_app  # noqa: E402
from diagnosis.store import alembic_config, load_models  # noqa: E402
from diagnosis.store.batches import progress  # noqa: E402
from diagnosis.store.companies import Company  # noqa: E402
from diagnosis.store.db import make_engine  # noqa: E402
from reports.batch import failures, start_batch  # noqa: E402
from reports.document import build_document  # noqa: E402
from reports.queue import make_queue, start_consumer  # noqa: E402
from reports.render import render_pdf  # noqa: E402
from reports.selection import BatchFilter, select_batch  # noqa: E402
from tests.reports.conftest import example  # noqa: E402
from tests.reports.stored import submitted_assessment  # noqa: E402
from tests.support import credit_code  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_KIB = 400
TARGET_BATCH = (200, 120.0)


def full_report_source():
    """The verified furniture report of the tests (adjustments, provider, six peers)."""
    from datetime import UTC, datetime

    from diagnosis.core.bundle import load_bundle
    from diagnosis.core.engine import diagnose
    from diagnosis.store.peers import PeerPoint
    from reports.document import ReportData
    from tests.reports.conftest import ADJUSTMENT

    bundle = load_bundle()
    data = example()
    profile = bundle.profile(data["profile"])
    source = ReportData(
        assessment_id=42, snapshot_id=7, kind="verified", issued_at=datetime(2026, 3, 18, tzinfo=UTC),
        company={"id": 1, "name": "皖西定制家居有限公司", "credit_code": "91341522MA2TEST12X",
                 "industry_code": profile["industry_code"], "park": "家居产业园"},
        result=diagnose(bundle, data["answers"], profile), answers=data["answers"],
        provider={"org": "合肥数智诊断服务有限公司", "diagnostician": "王诊断"}, adjustments=(ADJUSTMENT,),
        cohort_label={"zh_CN": "定制家居", "en": "Custom furniture"},
        peers=tuple(PeerPoint(i, 30 + 7 * i, 1 + i % 3) for i in range(2, 8)))
    return source, bundle


def single_report(runs: int) -> None:
    source, bundle = full_report_source()
    render_pdf(build_document(source, bundle, "zh_CN"))  # warm: fonts, templates, CSS
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(render_pdf(build_document(source, bundle, "zh_CN")))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"full report: median {wall:.2f} s wall, {cpu:.2f} s CPU over {runs} runs "
          f"(target <= {TARGET_SECONDS} s); {size / 1024:.0f} KiB (target <= {TARGET_KIB} KiB)")


def district_database(directory: Path, companies: int) -> str:
    url = f"sqlite:///{directory / 'district.db'}"
    load_models()
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    with Session(engine) as session:
        for seq in range(1, companies + 1):
            company = Company(name=f"基准企业{seq:03d}", credit_code=credit_code(50000 + seq),
                              industry_code="2110", park="家居产业园", above_designated_size=True,
                              employees=320, revenue_band="100m_400m", contact_name="张经理",
                              contact_phone="0564-1234567")
            session.add(company)
            session.flush()
            submitted_assessment(session, company)
        session.commit()
    engine.dispose()
    return url


def batch_throughput(reports: int) -> None:
    """A batch through the real queue and workers, as `flask report batch` runs it."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        url = district_database(root, reports)
        for workers in (1, 2):
            app = create_app({"DATABASE_URL": url, "DIAGNOSIS_STORAGE": str(root), "SECRET_KEY": "bench",
                              "HUEY_FILE": str(root / f"huey-{workers}.db")})
            bundle = app.extensions["bundle"]
            engine = make_engine(url)
            with Session(engine) as session:
                items = select_batch(session, BatchFilter(), bundle)
                batch = start_batch(session, items, "zh_CN", root / f"batch-{workers}", BatchFilter(), None)
                batch_id, item_ids = batch.id, [item.id for item in batch.items]
                session.commit()
            queue = make_queue(app.config, bundle)
            consumer = start_consumer(queue, workers=workers, worker_type="process")
            started = time.perf_counter()
            queue.enqueue(item_ids)
            with Session(engine) as session:
                while not (state := progress(session, batch_id)).finished:
                    time.sleep(0.1)
                    session.rollback()  # a new snapshot: the workers' commits
                elapsed = time.perf_counter() - started
                consumer.stop(graceful=True)
                print(f"batch of {state.total} with {workers} worker(s): {elapsed:.1f} s, "
                      f"{state.total / elapsed:.2f} reports/s, {state.failed} failed"
                      + (f" (target {TARGET_BATCH[0]} in < {TARGET_BATCH[1]:.0f} s)" if workers == 2 else ""))
                for item in failures(session, batch_id)[:3]:
                    print(f"  failed {item.company_name}: {item.error}")
            engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--reports", type=int, default=TARGET_BATCH[0])
    args = parser.parse_args()
    single_report(args.runs)
    batch_throughput(args.reports)


if __name__ == "__main__":
    main()
