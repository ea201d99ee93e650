"""Autosave under load: gunicorn + PostgreSQL on loopback, as companies fill in the questionnaire.

Seeds N company users with a draft holding a complete example answer set (a realistic 160-odd
answers), logs each in through the real login form, then:

1. steady: every user autosaves one numeric answer every INTERVAL seconds for DURATION seconds,
   carrying the revision the last answer gave it, as the page does;
2. saturated: CLIENTS users save back to back for SATURATE seconds.

Prints p50 / p95 / p99 latency and errors of each phase, saved answers per second when saturated,
and the acknowledged answers that the database does not hold (must be 0). Targets (issue 9), on
2 cores with 4 workers: steady p95 <= 50 ms, 0 errors, 0 lost; saturated >= 3 x 97 saves/s.

    .venv/bin/python benchmarks/web_load.py [--users 100] [--interval 5] [--duration 120]
        [--clients 16] [--saturate 30] [--workers 4] [--threads 1] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy import create_engine, make_url, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from diagnosis.core.bundle import load_bundle  # noqa: E402
from diagnosis.store import alembic_config  # noqa: E402
from diagnosis.store import assessments as store  # noqa: E402
from diagnosis.store.accounts import User  # noqa: E402
from diagnosis.store.db import make_engine  # noqa: E402
from tests.support import csrf_from, furniture_company  # noqa: E402

SCHEMA = "bench_web_load"
PASSWORD = "Bench-load-Zq7#pass"
#: The answers the load changes: numeric, always visible, in the first section.
QUESTIONS = ("equip_total", "equip_digital")
REVISION = re.compile(r'name="rev_(\w+)" value="(\d+)"')
TARGET_P95_MS = 50.0
BASELINE_SATURATED = 97.0
WARM_UP_SECONDS = 3.0


@dataclass
class Browser:
    """One logged-in company user: cookie, CSRF token, its draft, and what the server acknowledged."""

    cookie: str
    token: str
    assessment_id: int
    revisions: dict[str, int]
    acknowledged: dict[str, int] = field(default_factory=dict)
    counter: int = 0


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def schema_url(url: str) -> str:
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    admin.dispose()
    return (make_url(url).set(drivername="postgresql+psycopg")
            .update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False))


def seed(url: str, users: int) -> list[tuple[str, int]]:
    """``users`` companies, each with a user and a draft of complete example answers; (email, draft id)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    bundle = load_bundle()
    instrument = bundle.active_instrument()
    answers = json.loads((ROOT / "examples" / "furniture_2110.json").read_text(encoding="utf-8"))["answers"]
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    seeded = []
    with Session(engine) as session:
        for seq in range(users):
            company = furniture_company(session, 20000 + seq, f"压测企业{seq:03d}")
            email = f"load{seq:03d}@example.cn"
            session.add(User(email=email, name="张经理", role="company", company_id=company.id,
                             password_hash=password_hash, active=True))
            draft = store.create_assessment(session, company.id, instrument.id, str(instrument.version), None)
            for qid, value in answers.items():
                store.write_answer(session, draft, qid, value, None)
            seeded.append((email, draft.id))
        session.commit()
    engine.dispose()
    return seeded


def log_in(app, email: str, assessment_id: int) -> Browser:
    """Log in through the real form (in this process, same secret and database as the server)."""
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    reply = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert reply.status_code == 302, (email, reply.status_code)
    page = client.get(f"/assessments/{assessment_id}/sections/profile").get_data(as_text=True)
    revisions = {qid: int(rev) for qid, rev in REVISION.findall(page) if qid in QUESTIONS}
    return Browser(client.get_cookie("session").value, csrf_from(page), assessment_id, revisions)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, secret: str, storage: str, workers: int, threads: int
                 ) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "DIAGNOSIS_STORAGE": storage}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--threads", str(threads),
         "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "app:create_app()"], cwd=ROOT, env=env)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def save(connection: http.client.HTTPConnection, browser: Browser, phase: Phase) -> None:
    """One autosave of the next value of one question, as htmx posts it."""
    browser.counter += 1
    qid = QUESTIONS[browser.counter % len(QUESTIONS)]
    value = 10 + browser.counter % 5000
    body = urllib.parse.urlencode({f"q_{qid}": str(value), f"rev_{qid}": str(browser.revisions.get(qid, 0)),
                                   "csrf_token": browser.token})
    headers = {"Cookie": f"session={browser.cookie}", "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    try:
        connection.request("POST", f"/assessments/{browser.assessment_id}/questions/{qid}", body, headers)
        reply = connection.getresponse()
        page = reply.read().decode()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        phase.record(time.perf_counter() - started, f"{qid}: {error!r}")
        return
    elapsed = time.perf_counter() - started
    if reply.status != 200:
        phase.record(elapsed, f"{qid}: HTTP {reply.status}")
        return
    phase.record(elapsed, None)
    browser.acknowledged[qid] = value
    revision = dict(REVISION.findall(page)).get(qid)
    if revision is not None:
        browser.revisions[qid] = int(revision)


def user_loop(port: int, browser: Browser, phase: Phase, until: float, interval: float) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    time.sleep(random.uniform(0, interval))
    while time.monotonic() < until:
        due = time.monotonic() + interval
        save(connection, browser, phase)
        time.sleep(max(0.0, due - time.monotonic()))
    connection.close()


def run_phase(port: int, browsers: list[Browser], seconds: float, interval: float) -> Phase:
    phase = Phase()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=user_loop, args=(port, browser, phase, until, interval))
               for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return phase


def lost_answers(url: str, browsers: list[Browser]) -> int:
    """Acknowledged answers the database does not hold (a later acknowledged value replaces an earlier)."""
    engine = make_engine(url)
    lost = 0
    with Session(engine) as session:
        for browser in browsers:
            stored = store.company_answers(session, browser.assessment_id)
            lost += sum(stored.get(qid) != value for qid, value in browser.acknowledged.items())
    engine.dispose()
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(name: str, phase: Phase, seconds: float) -> None:
    figures = phase.latencies or [0.0]
    print(f"{name}: {len(phase.latencies)} saves, {len(phase.latencies) / seconds:.1f}/s, "
          f"p50 {percentile(figures, 0.5):.1f} ms, p95 {percentile(figures, 0.95):.1f} ms, "
          f"p99 {percentile(figures, 0.99):.1f} ms, errors {len(phase.errors)}")
    for error in sorted(set(phase.errors))[:5]:
        print(f"  e.g. {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--saturate", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread when > 1)")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    url = schema_url(args.database_url)
    seeded = seed(url, args.users)
    secret, storage = os.urandom(16).hex(), tempfile.mkdtemp(prefix="web-load-")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "DIAGNOSIS_STORAGE": storage,
                      "REDIS_URL": None, "RATELIMIT_ENABLED": False})
    browsers = [log_in(app, email, draft_id) for email, draft_id in seeded]
    server, port = start_server(url, secret, storage, args.workers, args.threads)
    try:
        run_phase(port, browsers[:8], WARM_UP_SECONDS, 0.0)  # every worker compiles its templates first
        steady = run_phase(port, browsers, args.duration, args.interval)
        saturated = run_phase(port, browsers[: args.clients], args.saturate, 0.0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lost = lost_answers(url, browsers)
    print(f"gunicorn -w {args.workers} --threads {args.threads} on PostgreSQL, {args.users} users saving "
          f"every {args.interval:g} s for {args.duration:g} s, then {args.clients} saving back to back "
          f"for {args.saturate:g} s")
    report("steady", steady, args.duration)
    report("saturated", saturated, args.saturate)
    throughput = len(saturated.latencies) / args.saturate
    print(f"acknowledged answers missing from the database: {lost}")
    print(f"targets: steady p95 <= {TARGET_P95_MS:g} ms, 0 errors, 0 lost, saturated >= "
          f"{3 * BASELINE_SATURATED:g}/s (x{throughput / BASELINE_SATURATED:.2f} of {BASELINE_SATURATED:g})")
    failed = steady.errors or saturated.errors or lost
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
