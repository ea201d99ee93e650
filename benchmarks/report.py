"""Report rendering: one full report in a warm process, PDF downloads, batch throughput through Huey.

Prints the median wall and CPU time and the size of a full verified report (furniture example,
with adjustments, peers and every answer); then the latency of a company user's PDF download
from gunicorn (4 workers, loopback) once its report exists, alone and while 8 parallel downloads
run, with the login page's latency beside them; then renders a batch of N reports from a committed
SQLite database through the real queue with 1 and with 2 process workers.
Targets on 2 cores: <= 1.0 s median per report, <= 400 KiB, a download <= 50 ms p95,
200 reports in < 2 minutes with 2 workers.

    .venv/bin/python benchmarks/report.py [--runs 9] [--downloads 40] [--reports 200]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
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
from tests.support import furniture_company  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_KIB = 400
TARGET_BATCH = (200, 120.0)
TARGET_DOWNLOAD_P95 = 0.050
PARALLEL_DOWNLOADS = 8


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
            company = furniture_company(session, 50000 + seq, f"基准企业{seq:03d}")
            submitted_assessment(session, company)
        session.commit()
    engine.dispose()
    return url


def company_user(url: str) -> int:
    """A company user of the district's first company; its id."""
    from diagnosis.store.accounts import User

    engine = make_engine(url)
    with Session(engine) as session:
        company = session.query(Company).order_by(Company.id).first()
        assert company is not None
        user = User(email="bench@example.cn", name="基准用户", role="company", company_id=company.id,
                    password_hash="!", regions=[], active=True)
        session.add(user)
        session.commit()
        user_id = user.id
    engine.dispose()
    return user_id


def signed_cookie(settings: dict, user_id: int) -> str:
    """The session cookie of ``user_id`` as the server (same SECRET_KEY) signs it."""
    from diagnosis.store.accounts import User
    from diagnosis.store.db import get_session

    app = create_app(settings)
    client = app.test_client()
    with app.app_context():
        user = get_session().get(User, user_id)
        assert user is not None
        with client.session_transaction() as browser:
            browser["_user_id"], browser["_fresh"] = user.get_id(), True
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, cookie: str | None = None) -> tuple[float, str]:
    """One GET: its wall time and the answer's content type."""
    request = urllib.request.Request(url, headers={"Cookie": f"session={cookie}"} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as reply:
        reply.read()
        kind = reply.headers.get_content_type()
    return time.perf_counter() - started, kind


def figures(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
    return f"median {1000 * statistics.median(times):.0f} ms, p95 {1000 * p95:.0f} ms"


def download_latency(downloads: int) -> None:
    """A company's PDF download from gunicorn (4 sync workers), alone and in a burst of parallel ones.

    The report is made first (a queue consumer runs in this process); only downloads of an
    existing report are timed.
    """
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        url = district_database(root, 1)
        user_id = company_user(url)
        settings = {"DATABASE_URL": url, "DIAGNOSIS_STORAGE": str(root / "storage"), "SECRET_KEY": "bench",
                    "REDIS_URL": ""}
        cookie = signed_cookie(settings, user_id)
        app = create_app(settings)
        queue = make_queue(app.config, app.extensions["bundle"])
        consumer = start_consumer(queue, workers=1)
        port = free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-w", "4", "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "app:create_app()"],
            cwd=ROOT, env={**os.environ, **settings})
        base = f"http://127.0.0.1:{port}"
        try:
            pdf = f"{base}/reports/assessments/1.pdf"
            wait_for(lambda: get(f"{base}/login")[1] == "text/html", "the server")
            wait_for(lambda: get(pdf, cookie)[1] == "application/pdf", "the report")
            logins = [get(f"{base}/login")[0] for _ in range(20)]
            print(f"the login page alone: {figures(logins)}")
            alone = [get(pdf, cookie)[0] for _ in range(downloads)]
            print(f"PDF download of an existing report, {downloads} in a row: {figures(alone)} "
                  f"(target p95 <= {1000 * TARGET_DOWNLOAD_P95:.0f} ms)")
            burst(base, pdf, cookie)
        finally:
            server.terminate()
            server.wait(timeout=30)
            consumer.stop(graceful=True)


def wait_for(ready, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} was not ready within {seconds:.0f} s")


def burst(base: str, pdf: str, cookie: str) -> None:
    """PARALLEL_DOWNLOADS users' threads download 3 times each; the login page is timed meanwhile."""
    downloads: list[float] = []
    logins: list[float] = []
    running = threading.Event()
    running.set()

    def download() -> None:
        for _ in range(3):
            downloads.append(get(pdf, cookie)[0])

    def probe() -> None:
        while running.is_set():
            logins.append(get(f"{base}/login")[0])
            time.sleep(0.05)

    prober = threading.Thread(target=probe)
    prober.start()
    threads = [threading.Thread(target=download) for _ in range(PARALLEL_DOWNLOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.clear()
    prober.join()
    print(f"{PARALLEL_DOWNLOADS} parallel downloads x 3: {figures(downloads)}; "
          f"the login page meanwhile: {figures(logins)}, max {1000 * max(logins):.0f} ms")


def batch_throughput(reports: int) -> None:
    """A batch through the real queue and workers, as `flask report batch` runs it."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        url = district_database(root, reports)
        for workers in (1, 2):
            # Storage of its own per run: reports are kept once rendered, and a second run over the
            # first one's storage would only copy them.
            app = create_app({"DATABASE_URL": url, "DIAGNOSIS_STORAGE": str(root / f"storage-{workers}"),
                              "SECRET_KEY": "bench",
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
    parser.add_argument("--downloads", type=int, default=40)
    parser.add_argument("--reports", type=int, default=TARGET_BATCH[0])
    args = parser.parse_args()
    single_report(args.runs)
    download_latency(args.downloads)
    batch_throughput(args.reports)


if __name__ == "__main__":
    main()
