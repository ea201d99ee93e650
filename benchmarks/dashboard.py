"""The officials' pipeline at scale: a district of 100,000 companies on PostgreSQL (issue 12, section 7).

The district is `flask --app app demo seed --companies N` in a database of the benchmark's own
(bench_dashboard on the local server): made once, when it is missing or was seeded differently, and
reused after (the database's comment says how and when it was made; the seeding is never timed with
the figures). Then:

1. the figures functions in this process, as the dashboard calls them (coverage, SME and CMMM
   levels, every target with its stages and months), each timed on its own;
2. gunicorn serving the official (logged in through the real form), CLIENTS concurrent clients each
   reading a page REQUESTS times: the dashboard with all its widgets (GET /pipeline/) and drill-down
   lists (GET /pipeline/list?cell=...), p50 and p95 per page;
3. the 调度表 of the whole district: `flask --app app pipeline export -o FILE.xlsx`, timed as a child;
4. a 10,000-row roster import: `flask --app app roster import FILE.xlsx` (the file benchmarks/roster.py
   writes; its companies are removed again afterwards, so the district stays as seeded).

Targets: dashboard p95 <= 300 ms, list p95 <= 200 ms, export <= 60 s, import <= 30 s. A part whose page
or command does not exist yet is skipped with a line saying so; no PostgreSQL server: all skipped.

    .venv/bin/python benchmarks/dashboard.py [--companies 100000] [--clients 4] [--requests 25]
        [--workers 4] [--server postgresql://postgres@127.0.0.1:5432] [--database bench_dashboard]
"""

from __future__ import annotations

import argparse
import http.client
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# benchmarks/*.py: a script's own directory comes first on sys.path (benchmarks/ is no package)
from review import workers_cpu  # noqa: E402
from roster import credit_code, write_roster  # noqa: E402
from sqlalchemy import create_engine, delete, select, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from web_load import Phase, percentile, start_server  # noqa: E402

from app import create_app  # noqa: E402
from diagnosis.demo import ACCOUNTS  # noqa: E402
from diagnosis.pipeline.figures import Filters, company_counts, dashboard_targets  # noqa: E402
from diagnosis.store.companies import Company  # noqa: E402
from diagnosis.store.db import make_engine  # noqa: E402
from diagnosis.store.targets import year_targets  # noqa: E402
from tests.support import csrf_from  # noqa: E402

TARGETS_MS = {"dashboard": 300.0, "list": 200.0}
TARGET_EXPORT_S = 60.0
TARGET_IMPORT_S = 30.0
ROSTER_ROWS = 10_000
#: The drill-down lists read: companies behind a coverage number, projects behind a target's done.
LISTS = ("coverage:self_assessed:", "target:upgrade_projects:done")
OFFICIAL = next(account for account in ACCOUNTS if account.role == "official")


def flask(url: str, *args: str) -> tuple[subprocess.CompletedProcess, float, float]:
    """A `flask --app app` command as a child process: (result, wall seconds, CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                            env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
                            check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result, time.perf_counter() - started, cpu


def has_command(url: str, *command: str) -> bool:
    return flask(url, *command, "--help")[0].returncode == 0


def district(server: str, database: str, companies: int) -> tuple[str, str]:
    """The seeded database's URL and how it was made (seeding it first when needed)."""
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    wanted = f"demo seed --companies {companies}"
    with admin.connect() as connection:
        made = connection.scalar(text("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                      "WHERE datname = :name"), {"name": database})
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": database})
        if exists and not (made or "").startswith(wanted + ","):
            connection.execute(text(f'DROP DATABASE "{database}"'))
            exists = None
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
            made = None
    url = f"{server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{database}"
    upgraded = flask(url, "db", "upgrade")[0]
    if upgraded.returncode:
        raise SystemExit(upgraded.stderr[-2000:])
    if made is None:
        print(f"seeding {database}: {wanted} (once; later runs reuse it) ...", flush=True)
        result, wall, cpu = flask(url, "demo", "seed", "--companies", str(companies))
        if result.returncode:
            raise SystemExit(f"seed failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        phases = next((line for line in result.stdout.splitlines() if line.startswith("各阶段用时")), "")
        made = (f"{wanted}, {wall:.0f} s wall, {cpu:.0f} s CPU (seed and its workers), load average "
                f"{os.getloadavg()[0]:.1f}, on {date.today()}; {phases}")
        with admin.connect() as connection:
            connection.execute(text(f"COMMENT ON DATABASE \"{database}\" IS '{made.replace(chr(39), '')}'"))
    admin.dispose()
    return url, made


def time_figures(url: str) -> None:
    """Each figures function the dashboard calls, in this process: the median of 5 after one warm-up."""
    engine = make_engine(url)
    filters = Filters(year=date.today().year)
    with Session(engine) as session:
        goals = {key: target.value for key, target in year_targets(session, filters.year).items()}
        counts = company_counts(session, filters).total()
        calls: dict[str, Callable[[], object]] = {
            "company_counts (coverage, levels, potentials)": lambda: company_counts(session, filters),
            "dashboard_targets (7 targets, potentials given)": lambda: dashboard_targets(
                session, filters, goals, counts)}
        print("figures functions (in process, median of 5):")
        for name, call in calls.items():
            call()
            seconds = []
            for _ in range(5):
                started = time.perf_counter()
                call()
                seconds.append(time.perf_counter() - started)
            print(f"  {name}: {sorted(seconds)[2] * 1000:.1f} ms")
    engine.dispose()


def log_in(url: str, secret: str, storage: str) -> str:
    """The official's session cookie, through the real login form (same secret and database as the
    server)."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "DIAGNOSIS_STORAGE": storage,
                      "REDIS_URL": None, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    reply = client.post("/login", data={"email": OFFICIAL.email, "password": OFFICIAL.password,
                                        "csrf_token": token})
    assert reply.status_code == 302, reply.status_code
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def read(port: int, cookie: str, path: str, count: int, phase: Phase | None) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": f"session={cookie}"})
            reply = connection.getresponse()
            reply.read()
            error = None if reply.status == 200 else f"{path}: HTTP {reply.status}"
        except (OSError, http.client.HTTPException) as failure:
            connection.close()
            error = f"{path}: {failure!r}"
        if phase is not None:
            phase.record(time.perf_counter() - started, error)
    connection.close()


def load(port: int, cookie: str, path: str, clients: int, requests: int) -> Phase:
    """``clients`` threads reading ``path`` ``requests`` times each (after two unmeasured reads each)."""
    phase = Phase()
    for measured in (None, phase):
        count = 2 if measured is None else requests
        threads = [threading.Thread(target=read, args=(port, cookie, path, count, measured))
                   for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return phase


def status(port: int, cookie: str, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers={"Cookie": f"session={cookie}"})
    reply = connection.getresponse()
    reply.read()
    connection.close()
    return reply.status


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "MISSED"


def pages(url: str, args: argparse.Namespace) -> int:
    """The pages through gunicorn; the number of failed requests."""
    secret, storage = os.urandom(16).hex(), tempfile.mkdtemp(prefix="bench-dashboard-")
    cookie = log_in(url, secret, storage)
    server, port = start_server(url, secret, storage, args.workers, 1)
    errors = 0
    try:
        wanted = {"/pipeline/": "dashboard", **{f"/pipeline/list?cell={cell}": "list" for cell in LISTS}}
        print(f"pages: gunicorn -w {args.workers}, {args.clients} concurrent clients logged in as the "
              f"official, {args.requests} reads each:")
        for path, kind in wanted.items():
            first = status(port, cookie, path)
            if first == 404:
                print(f"  {path}: skipped (the page answers 404: not built yet)")
                continue
            cpu = workers_cpu(server)
            phase = load(port, cookie, path, args.clients, args.requests)
            cpu = (workers_cpu(server) - cpu) / max(1, len(phase.latencies)) * 1000
            p50, p95 = percentile(phase.latencies, 0.5), percentile(phase.latencies, 0.95)
            errors += len(phase.errors)
            print(f"  {path}: p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p95 <= {TARGETS_MS[kind]:g} ms) "
                  f"{verdict(p95, TARGETS_MS[kind])}; gunicorn CPU {cpu:.0f} ms a page (the warm-up's "
                  f"included; PostgreSQL not counted); errors {len(phase.errors)}")
            for error in sorted(set(phase.errors))[:3]:
                print(f"    e.g. {error}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return errors


def export(url: str) -> int:
    if not has_command(url, "pipeline", "export"):
        print("export: skipped (`flask pipeline export` does not exist yet)")
        return 0
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "ledger.xlsx"
        result, wall, cpu = flask(url, "pipeline", "export", "-o", str(output))
        if result.returncode:
            print(f"export: FAILED\n{result.stdout[-1000:]}\n{result.stderr[-2000:]}")
            return 1
        size = output.stat().st_size
    print(f"export (`flask pipeline export`, whole district): {wall:.1f} s wall, {cpu:.1f} s CPU, "
          f"{size / 1e6:.1f} MB (target <= {TARGET_EXPORT_S:g} s) {verdict(wall, TARGET_EXPORT_S)}")
    return 0


def roster_import(url: str) -> int:
    """The import into the seeded district; its companies removed again (their codes are the file's)."""
    if not has_command(url, "roster", "import"):
        print("roster import: skipped (`flask roster import` does not exist yet)")
        return 0
    codes = [credit_code(n) for n in range(1, ROSTER_ROWS + 1)]
    engine = make_engine(url)
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "roster.xlsx"
            write_roster(path, ROSTER_ROWS)
            remove(engine, codes)
            result, wall, cpu = flask(url, "roster", "import", str(path))
        if result.returncode:
            print(f"roster import: FAILED\n{result.stdout[-1000:]}\n{result.stderr[-2000:]}")
            return 1
        with Session(engine) as session:
            imported = len(session.scalars(select(Company.id).where(Company.credit_code.in_(codes))).all())
        print(f"roster import ({ROSTER_ROWS} rows .xlsx into the seeded district, `flask roster import`): "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU, {imported} companies added "
              f"(target <= {TARGET_IMPORT_S:g} s) {verdict(wall, TARGET_IMPORT_S)}")
    finally:
        remove(engine, codes)
        engine.dispose()
    return 0


def remove(engine, codes: list[str]) -> None:
    with engine.begin() as connection:
        connection.execute(delete(Company).where(Company.credit_code.in_(codes)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=25, help="reads of each page per client")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES",
                                                           "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="bench_dashboard")
    args = parser.parse_args()
    try:
        create_engine(f"{args.server}/postgres").connect().close()
    except OperationalError as error:
        print(f"dashboard benchmark skipped: no PostgreSQL at {args.server} ({error.orig})")
        return 0
    url, made = district(args.server, args.database, args.companies)
    print(f"district: database {args.database}, made by `{made}`")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    time_figures(url)
    failures = pages(url, args)
    failures += export(url)
    failures += roster_import(url)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
