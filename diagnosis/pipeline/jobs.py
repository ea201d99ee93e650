"""调度表 exports started from the web: a job record and its file under DIAGNOSIS_STORAGE/exports/<token>/,
and the queue task's work (registered on the report queue, reports/queue.py).

The record is a small JSON file (job.json) rather than a table: it holds who asked, the scope and
filters the export was made for, its state and its progress, and only the web (before queueing) and
the one worker running the task write it, each time whole (written aside, then moved into place).
A task delivered twice exports once: only a queued job runs.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.industry import IndustryTable
from diagnosis.pipeline.export import export_workbook
from diagnosis.pipeline.figures import Filters
from reports.files import aside, write_atomically

RECORD = "job.json"
_TOKEN = re.compile(r"^[0-9a-f]{24}$")
STATES = ("queued", "running", "finished", "failed")


@dataclass(frozen=True)
class ExportJob:
    token: str
    requested_by: int
    lang: str
    #: The Filters the export was made for (the official's parks included), as plain values.
    filters: dict[str, Any]
    #: What the official chose, as the dashboard's query string had it (for the job page).
    chosen: dict[str, str] = field(default_factory=dict)
    state: str = "queued"
    done: int = 0
    total: int = 0
    filename: str | None = None
    error: str | None = None
    created_at: str = ""

    @property
    def percent(self) -> int:
        if self.state == "finished":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    def as_filters(self) -> Filters:
        values = dict(self.filters)
        for key in ("parks", "industry_codes"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return Filters(**values)


def filters_record(filters: Filters) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(filters).items()}


def job_directory(storage: str | Path, token: str) -> Path:
    return Path(storage) / "exports" / token


def new_job(storage: str | Path, user_id: int, lang: str, filters: Filters,
            chosen: dict[str, str]) -> ExportJob:
    """A queued job, recorded (the caller queues its token next)."""
    job = ExportJob(secrets.token_hex(12), user_id, lang, filters_record(filters), chosen,
                    created_at=datetime.now(UTC).isoformat(timespec="seconds"))
    job_directory(storage, job.token).mkdir(parents=True, exist_ok=True)
    save(storage, job)
    return job


def save(storage: str | Path, job: ExportJob) -> None:
    write_atomically(job_directory(storage, job.token) / RECORD,
                     json.dumps(asdict(job), ensure_ascii=False).encode("utf-8"))


def load(storage: str | Path, token: str) -> ExportJob | None:
    """The job of ``token``; None for a malformed or unknown token."""
    if not _TOKEN.match(token):
        return None
    try:
        data = json.loads((job_directory(storage, token) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ExportJob(**data)


def file_of(storage: str | Path, job: ExportJob) -> Path | None:
    if job.state != "finished" or not job.filename:
        return None
    path = job_directory(storage, job.token) / job.filename
    return path if path.is_file() else None


def download_name(job: ExportJob) -> str:
    filters = job.filters
    return f"调度表-{filters['year']:04d}-{filters['month']:02d}.xlsx"


def run_export(session: Session, storage: str | Path, token: str, industries: IndustryTable) -> None:
    """The queue task: write the job's workbook, recording progress and the outcome."""
    queued = load(storage, token)
    if queued is None or queued.state != "queued":
        return
    job = replace(queued, state="running")
    save(storage, job)
    filename = "export.xlsx"
    target = job_directory(storage, token) / filename
    temporary = aside(target)

    def progress(done: int, total: int) -> None:
        save(storage, replace(job, done=done, total=total))

    try:
        exported = export_workbook(session, job.as_filters(), temporary, job.lang, industries, progress)
        os.replace(temporary, target)
        job = replace(job, state="finished", done=exported.companies, total=exported.companies,
                      filename=filename)
    except Exception as error:  # the job page shows why; the queue goes on
        job = replace(job, state="failed", error=f"{type(error).__name__}: {error}"[:500])
    finally:
        temporary.unlink(missing_ok=True)
        session.rollback()
    save(storage, job)
