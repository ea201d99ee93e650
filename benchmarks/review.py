"""The on-site review under load: gunicorn + PostgreSQL on loopback, as diagnosticians review.

Seeds REVIEWERS companies, each assigned to its own provider organisation with a submitted
assessment of the 161 example answers (tests/web/review_helpers.py) and its diagnostician, who
logs in through the real login form with a real (scrypt) password. One gunicorn serves both parts:

1. pages: one reviewer reads every section page of a fresh review ROUNDS times, one request at a
   time, through gunicorn (so a figure holds HTTP, the session, the queries and the rendering, as
   a tablet sees it): the median (p10-p90) per section, and the medians added up ("the full
   questionnaire", every section once); with the workers' CPU per page from /proc, which a busy
   machine disturbs less than the wall time;
2. actions: every reviewer, on its own assessment, acts on a question every INTERVAL seconds for
   DURATION seconds, as the page does with htmx (the card, the live score and the section marks
   come back): accept and adjust (with a reason) in turn, on a profile number, an SME choice and a
   CMMM choice (the largest section's card update), carrying the revision the last card gave.

Prints the figures, the actions the server acknowledged that the database does not hold as the
last acknowledged state (must be 0), and the targets (issue 10, 2 cores, 4 workers): the largest
section page <= 150 ms median; the full questionnaire printed against the same 150 ms; actions
p95 <= 100 ms, 0 errors (any status but 200, a 409 conflict included: no two reviewers share an
assessment), 0 lost. The schema is dropped at the end.

    .venv/bin/python benchmarks/review.py [--reviewers 20] [--interval 1] [--duration 30]
        [--rounds 20] [--workers 4] [--threads 1] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy import create_engine, make_url, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

# benchmarks/web_load.py: a script's own directory comes first on sys.path (benchmarks/ is no package)
from web_load import WARM_UP_SECONDS, Phase, percentile, report, start_server  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from diagnosis.store import alembic_config, reviews  # noqa: E402
from diagnosis.store import assessments as store  # noqa: E402
from diagnosis.store.db import make_engine  # noqa: E402
from tests.support import csrf_from  # noqa: E402
from tests.web.review_helpers import build_review_world  # noqa: E402

SCHEMA = "bench_review"
PASSWORD = "Bench-review-Kp4#pass"
#: question -> the verified values an adjustment cycles through (none of them shows or hides questions)
QUESTIONS: dict[str, tuple[Any, ...]] = {
    "equip_networked": (80, 84, 86), "sme_it_coverage": ("two_plus", "all"),
    "cmmm_strategy_l3": ("partial", "full"),
}
ORDER = tuple(QUESTIONS)
SECTION_LINK = re.compile(r'/reviews/\d+/sections/(\w+)"')
TARGET_PAGE_MS = 150.0
TARGET_ACTION_P95_MS = 100.0
PAGE_WARM_UP_ROUNDS = 3


@dataclass
class Reviewer:
    """One logged-in diagnostician: cookie, CSRF token, its assessment, what the server acknowledged."""

    cookie: str
    token: str
    assessment_id: int
    revisions: dict[str, int] = field(default_factory=dict)
    #: question -> (review state, verified value or None) of the last action answered 200
    acknowledged: dict[str, tuple[str, Any]] = field(default_factory=dict)
    counter: int = 0


@contextmanager
def private_schema(url: str) -> Iterator[str]:
    """A fresh schema for the run (dropped afterwards) and the URL that works in it."""
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    try:
        inside = make_url(url).set(drivername="postgresql+psycopg").update_query_dict(
            {"options": f"-csearch_path={SCHEMA}"})
        yield inside.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()


def seed(url: str, count: int) -> list[tuple[str, int]]:
    """``count`` review worlds, their diagnosticians given PASSWORD; (email, assessment id)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    seeded = []
    with Session(engine) as session:
        for _ in range(count):
            world = build_review_world(session)
            world.diagnostician.password_hash = password_hash
            seeded.append((world.diagnostician.email, world.assessment.id))
        session.commit()
    engine.dispose()
    return seeded


def log_in(app, email: str, assessment_id: int) -> Reviewer:
    """Log in through the real form (in this process, same secret and database as the server)."""
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    reply = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert reply.status_code == 302, (email, reply.status_code)
    page = client.get(f"/reviews/{assessment_id}/sections/profile")
    assert page.status_code == 200, (email, page.status_code)
    return Reviewer(client.get_cookie("session").value, csrf_from(page.get_data(as_text=True)), assessment_id)


def wait_ready(port: int, seconds: float = 120.0) -> None:
    """Until a worker answers (the socket is open before the workers have imported the app)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
    connection.request("GET", "/login")
    connection.getresponse().read()
    connection.close()


def get(connection: http.client.HTTPConnection, reviewer: Reviewer, path: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"session={reviewer.cookie}"})
    reply = connection.getresponse()
    page = reply.read().decode()
    return reply.status, page, time.perf_counter() - started


@dataclass
class SectionPage:
    """One section's page as read: its questions, its size, wall seconds per read, server CPU per read."""

    questions: int
    kilobytes: float
    seconds: list[float]
    cpu: float


def workers_cpu(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) the server's workers have used so far: its children in /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # from the third field, state
        except (OSError, IndexError):
            continue
        if int(fields[1]) == server.pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def read_pages(port: int, server: subprocess.Popen, reviewer: Reviewer, rounds: int
               ) -> tuple[dict[str, SectionPage], list[str]]:
    """Every section page ``rounds`` times (after PAGE_WARM_UP_ROUNDS unmeasured, as every worker
    renders each page a first time), one section after another; and the errors."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    base = f"/reviews/{reviewer.assessment_id}/sections/"
    _status, first, _elapsed = get(connection, reviewer, base + "profile")
    pages, errors = {}, []
    for section in dict.fromkeys(SECTION_LINK.findall(first)):
        for _ in range(PAGE_WARM_UP_ROUNDS):
            get(connection, reviewer, base + section)
        seconds, cpu_before = [], workers_cpu(server)
        for _ in range(rounds):
            status, page, elapsed = get(connection, reviewer, base + section)
            seconds.append(elapsed)
            if status != 200:
                errors.append(f"{section}: HTTP {status}")
        pages[section] = SectionPage(page.count('<article id="rq-'), len(page.encode()) / 1024, seconds,
                                     (workers_cpu(server) - cpu_before) / rounds)
    connection.close()
    return pages, errors


def next_action(reviewer: Reviewer) -> tuple[str, dict[str, str], tuple[str, Any]]:
    """The next question, the posted fields and the state they ask for: each question is accepted,
    then adjusted to its next value, in turn."""
    reviewer.counter += 1
    qid = ORDER[reviewer.counter % len(ORDER)]
    turn = reviewer.counter // len(ORDER)
    if turn % 2 == 0:
        return qid, {"action": "accept"}, ("accepted", None)
    values = QUESTIONS[qid]
    value = values[(turn // 2) % len(values)]
    fields = {"action": "adjust", f"q_{qid}": str(value), "reason_code": "site_differs",
              "reason_text": f"现场核对（第 {reviewer.counter} 次）：与自评不符"}
    return qid, fields, ("adjusted", value)


def card_revision(page: str, qid: str) -> int | None:
    """The revision in the returned card of ``qid`` (``name="rev" value="N"`` after its article)."""
    match = re.search(rf'<article id="rq-{qid}".*?name="rev" value="(\d+)"', page, re.S)
    return int(match.group(1)) if match else None


def act(connection: http.client.HTTPConnection, reviewer: Reviewer, phase: Phase) -> None:
    """One review action as review.js posts it."""
    qid, fields, wanted = next_action(reviewer)
    body = urllib.parse.urlencode({**fields, "rev": str(reviewer.revisions.get(qid, 0)),
                                   "csrf_token": reviewer.token})
    headers = {"Cookie": f"session={reviewer.cookie}", "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    try:
        connection.request("POST", f"/reviews/{reviewer.assessment_id}/questions/{qid}", body, headers)
        reply = connection.getresponse()
        page = reply.read().decode()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        phase.record(time.perf_counter() - started, f"{qid}: {error!r}")
        return
    elapsed = time.perf_counter() - started
    revision = card_revision(page, qid)
    if reply.status != 200 or revision is None:
        phase.record(elapsed, f"{qid} {fields['action']}: HTTP {reply.status}")
        return
    phase.record(elapsed, None)
    reviewer.acknowledged[qid] = wanted
    reviewer.revisions[qid] = revision


def reviewer_loop(port: int, reviewer: Reviewer, phase: Phase, until: float, interval: float) -> None:
    """An action every ``interval`` seconds on average, each gap drawn from 0.5-1.5 x interval: with a
    fixed gap the reviewers keep their random starting phases for the whole run, and a run where
    several start together queues at the same moment every second (p95 from 100 ms to 1.7 s between
    runs)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    time.sleep(random.uniform(0, interval))
    while time.monotonic() < until:
        due = time.monotonic() + interval * random.uniform(0.5, 1.5)
        act(connection, reviewer, phase)
        time.sleep(max(0.0, due - time.monotonic()))
    connection.close()


def run_phase(port: int, reviewers: list[Reviewer], seconds: float, interval: float) -> Phase:
    phase = Phase()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=reviewer_loop, args=(port, reviewer, phase, until, interval))
               for reviewer in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return phase


def lost_actions(url: str, reviewers: list[Reviewer]) -> int:
    """Questions whose stored review item is not the last acknowledged action (state, verified value,
    revision)."""
    engine = make_engine(url)
    lost = 0
    with Session(engine) as session:
        for reviewer in reviewers:
            items = reviews.items(session, reviewer.assessment_id)
            verified = store.answer_rows(session, reviewer.assessment_id, "verified")
            for qid, (state, value) in reviewer.acknowledged.items():
                item = items.get(qid)
                kept = (item is not None and item.state == state and item.revision == reviewer.revisions[qid]
                        and (state != "adjusted" or (qid in verified and verified[qid].value == value)))
                lost += not kept
    engine.dispose()
    return lost


def spread(values: list[float]) -> str:
    """Median (p10-p90) in ms."""
    return (f"median {statistics.median(values) * 1000:.1f} ms "
            f"(p10-p90 {percentile(values, 0.1):.1f}-{percentile(values, 0.9):.1f})")


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "MISSED"


def report_pages(pages: dict[str, SectionPage], errors: list[str]) -> None:
    for section, page in pages.items():
        print(f"  {section} ({page.questions} questions, {page.kilobytes:.0f} KB): {spread(page.seconds)}; "
              f"server CPU {page.cpu * 1000:.0f} ms a page")
    largest = max(pages, key=lambda section: pages[section].questions)
    largest_ms = statistics.median(pages[largest].seconds) * 1000
    full_ms = sum(statistics.median(page.seconds) for page in pages.values()) * 1000
    print(f"  full questionnaire ({len(pages)} sections, {sum(p.questions for p in pages.values())} "
          f"questions): sum of the section medians {full_ms:.1f} ms; server CPU "
          f"{sum(p.cpu for p in pages.values()) * 1000:.0f} ms; errors {len(errors)}")
    for error in sorted(set(errors))[:5]:
        print(f"  e.g. {error}")
    print(f"target: largest section page ({largest}) median {largest_ms:.1f} ms <= {TARGET_PAGE_MS:g} ms "
          f"{verdict(largest_ms, TARGET_PAGE_MS)}")
    print(f"target: full questionnaire (every section page once, medians added) {full_ms:.1f} ms <= "
          f"{TARGET_PAGE_MS:g} ms {verdict(full_ms, TARGET_PAGE_MS)} (x{full_ms / TARGET_PAGE_MS:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=20, help="reads of every section page")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread when > 1)")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with private_schema(args.database_url) as url:
        seeded = seed(url, args.reviewers + 1)  # the last one's review is read, never acted on
        secret, storage = os.urandom(16).hex(), tempfile.mkdtemp(prefix="bench-review-")
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "DIAGNOSIS_STORAGE": storage,
                          "REDIS_URL": None, "RATELIMIT_ENABLED": False})
        logged_in = [log_in(app, email, assessment_id) for email, assessment_id in seeded]
        reader, reviewers = logged_in[-1], logged_in[:-1]
        server, port = start_server(url, secret, storage, args.workers, args.threads)
        try:
            wait_ready(port)
            run_phase(port, reviewers[:8], WARM_UP_SECONDS, 0.0)  # every worker busy, compiling templates
            pages = read_pages(port, server, reader, args.rounds)
            cpu_before = workers_cpu(server)
            steady = run_phase(port, reviewers, args.duration, args.interval)
            action_cpu = (workers_cpu(server) - cpu_before) / max(1, len(steady.latencies))
        finally:
            server.terminate()
            server.wait(timeout=30)
        lost = lost_actions(url, reviewers)
    print(f"gunicorn -w {args.workers} --threads {args.threads} on PostgreSQL, {os.cpu_count()} cores, load "
          f"average {os.getloadavg()[0]:.1f}; review pages read {args.rounds} times each by one reviewer:")
    report_pages(*pages)
    print(f"review actions: {args.reviewers} reviewers, each on its own assessment, acting every "
          f"{args.interval:g} s for {args.duration:g} s (accept / adjust in turn, htmx card + live score)")
    report("steady", steady, args.duration)
    print(f"  server CPU {action_cpu * 1000:.0f} ms an action (gunicorn workers; PostgreSQL not counted)")
    p95 = percentile(steady.latencies or [0.0], 0.95)
    print(f"acknowledged actions missing from the database: {lost}")
    print(f"target: actions p95 {p95:.1f} ms <= {TARGET_ACTION_P95_MS:g} ms "
          f"{verdict(p95, TARGET_ACTION_P95_MS)}, errors {len(steady.errors)} (0 wanted), "
          f"lost {lost} (0 wanted)")
    return 1 if pages[1] or steady.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
