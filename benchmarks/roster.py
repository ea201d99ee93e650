"""Roster import at scale: a 10,000-row .xlsx file through `flask --app app roster import`.

Writes the file with XlsxWriter (every company valid, codes and phones as text), then for each run
migrates a fresh database — a temporary SQLite file, or a private schema on DATABASE_URL when it is
set (PostgreSQL) — and times the whole CLI command (start-up, reading, checking every row, the one
lookup of existing codes, the bulk insert, the commit) as a child process. Prints the median and the
range of the runs in wall-clock time, the child's CPU time beside it (on a shared, loaded machine the
wall clock mostly measures the others' load, which the load average printed shows), and the dry
run's time. Target: ≤ 30 s wall clock.

    python benchmarks/roster.py [--rows 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xlsxwriter  # type: ignore[import-untyped]
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diagnosis.core.uscc import check_character, org_code_check_character  # noqa: E402

TARGET_SECONDS = 30
PARKS = ("经济开发区", "家居产业园", "化工园区", "史河街道", "平岗街道")
INDUSTRIES = ("2110", "2021", "2614", "3011", "1941")
HEADER = ("企业名称", "统一社会信用代码", "行业代码", "园区", "规上", "联系人", "联系电话")


def credit_code(seq: int) -> str:
    org_body = f"{seq:08d}"
    body = "91341523" + org_body + org_code_check_character(org_body)
    return body + check_character(body)


def write_roster(path: Path, rows: int) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("企业名录")
    for col, name in enumerate(HEADER):
        sheet.write_string(0, col, name)
    for n in range(1, rows + 1):
        values = (f"规模测试企业{n:05d}", credit_code(n), INDUSTRIES[n % len(INDUSTRIES)],
                  PARKS[n % len(PARKS)], "是" if n % 3 else "否", f"联系人{n % 97}", f"0564-{3_000_000 + n}")
        for col, value in enumerate(values):
            sheet.write_string(n, col, value)
    workbook.close()


@contextmanager
def fresh_database(work: Path, run: int) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a schema of its own on DATABASE_URL."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        url = f"sqlite:///{work / f'roster{run}.db'}"
        migrate(url)
        yield url
        return
    schema = f"bench_roster_{os.getpid()}_{run}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def flask(url: str, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, check=False)


def migrate(url: str) -> None:
    result = flask(url, "db", "upgrade")
    if result.returncode:
        raise SystemExit(result.stderr)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(url: str, path: Path, *options: str) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one CLI run."""
    started, cpu = time.perf_counter(), children_cpu()
    result = flask(url, "roster", "import", str(path), *options)
    elapsed = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"import failed:\n{result.stdout}\n{result.stderr[-2000:]}")
    return elapsed, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        path = work / "roster.xlsx"
        write_roster(path, args.rows)
        size = path.stat().st_size
        times, dry = [], []
        for run in range(args.runs):
            with fresh_database(work, run) as url:
                dry.append(timed_import(url, path, "--dry-run"))
                times.append(timed_import(url, path))
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    walls = [wall for wall, _cpu in times]
    median = statistics.median(walls)
    print(f"roster import, {args.rows} rows (.xlsx, {size // 1024} KiB) on {database}, {args.runs} runs, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  import (CLI, whole command): median {median:.2f} s, range {min(walls):.2f}-{max(walls):.2f} s, "
          f"CPU {statistics.median(cpu for _wall, cpu in times):.2f} s "
          f"(target ≤ {TARGET_SECONDS} s) {'OK' if median <= TARGET_SECONDS else 'TOO SLOW'}")
    print(f"  dry run (check only):        median {statistics.median(wall for wall, _cpu in dry):.2f} s, "
          f"CPU {statistics.median(cpu for _wall, cpu in dry):.2f} s")


if __name__ == "__main__":
    main()
