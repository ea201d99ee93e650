"""Background jobs on Huey: SqliteHuey in instance/ by default, RedisHuey when REDIS_URL is set.

The one job is rendering one report of a batch. A task carries only plain values (batch
directory, assessment id, database URL, storage); each worker keeps one database engine per
process. With SQLite the web process or the CLI starts an embedded consumer for the batch;
with Redis, ``flask --app app report worker`` runs the workers (as many as wanted, anywhere
that shares DIAGNOSIS_STORAGE).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper
from huey.consumer import Consumer
from sqlalchemy.orm import Session, sessionmaker

from diagnosis.store.db import make_engine

DEFAULT_QUEUE = "diagnosis-reports"


@dataclass(frozen=True)
class ReportQueue:
    huey: Huey
    render: TaskWrapper  # render_batch_item, registered on this queue


def make_queue(config: Mapping[str, Any], instance_path: str | Path) -> ReportQueue:
    """The app's queue: Redis when REDIS_URL is set, else a SQLite file in instance/."""
    name = config.get("HUEY_QUEUE") or DEFAULT_QUEUE
    if config.get("REDIS_URL"):
        queue = RedisHuey(name, url=config["REDIS_URL"], results=False)
    else:
        filename = config.get("HUEY_FILE") or _default_queue_file(config, instance_path)
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteHuey(name, filename=filename, results=False)
    return ReportQueue(queue, queue.task(name="render_batch_item", retries=0)(render_batch_item))


def _default_queue_file(config: Mapping[str, Any], instance_path: str | Path) -> str:
    """Next to the files the workers write (DIAGNOSIS_STORAGE, itself in instance/ by default)."""
    storage = config.get("DIAGNOSIS_STORAGE")
    return str(Path(storage) / "huey.db" if storage else Path(instance_path) / "huey.db")


def queue_for(app) -> ReportQueue:
    """The app's queue, made once per app."""
    if "report_queue" not in app.extensions:
        app.extensions["report_queue"] = make_queue(app.config, app.instance_path)
    return app.extensions["report_queue"]


def enqueue_batch(queue: ReportQueue, directory: Path, database_url: str, storage: str | None) -> int:
    """Queue one render per manifest item; returns how many were queued."""
    from reports.batch import read_manifest

    _, items = read_manifest(directory)
    for item in items:
        queue.render(str(directory), item.assessment_id, database_url, storage)
    return len(items)


def render_batch_item(directory: str, assessment_id: int, database_url: str, storage: str | None) -> None:
    """Render one batch item; any failure is written to the batch, named with the company."""
    from reports.batch import read_manifest, record_failure, record_success
    from reports.service import make_report

    lang, items = read_manifest(Path(directory))
    item = next(entry for entry in items if entry.assessment_id == assessment_id)
    session = _sessions(database_url, os.getpid())()
    try:
        report = make_report(session, assessment_id, lang, storage)
        record_success(Path(directory), item, report.number, report.pdf)
        session.commit()
    except Exception as error:  # a failed render is reported; the batch goes on
        session.rollback()
        record_failure(Path(directory), item, f"{type(error).__name__}: {error}")
    finally:
        session.close()


@lru_cache(maxsize=8)
def _sessions(database_url: str, pid: int) -> sessionmaker[Session]:
    """One engine per worker process (``pid`` keeps forked workers off their parent's pool)."""
    return sessionmaker(bind=make_engine(database_url))


class EmbeddedConsumer(Consumer):
    """A Huey consumer started from a thread of this process (CLI, web, tests).

    Huey's consumer installs signal handlers, which only the main thread may do; here the
    owner stops the consumer itself.
    """

    def _set_signal_handlers(self) -> None:
        return None


def start_consumer(queue: ReportQueue, workers: int = 1, worker_type: str = "thread") -> EmbeddedConsumer:
    """Start workers on ``queue`` now; call ``.stop(graceful=True)`` when the batch is done."""
    consumer = EmbeddedConsumer(queue.huey, workers=workers, worker_type=worker_type, periodic=False,
                                initial_delay=0.05, max_delay=0.5, check_worker_health=False)
    consumer.start()
    return consumer
