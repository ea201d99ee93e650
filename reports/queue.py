"""The report queue on Huey: SqliteHuey (HUEY_FILE) by default, PriorityRedisHuey when REDIS_URL is set.

A task carries only the id of a row: a batch item, or a single report (reports.renders). The
worker that runs it takes the database, the storage and the questionnaire bundle from the app
that made the queue (``flask --app app report worker``, or the CLI's own batch), and keeps one
database engine per process. The web only enqueues. Single reports go before batch items: a
person is waiting for them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask
from huey import PriorityRedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper
from huey.consumer import Consumer
from redis import ConnectionPool, RedisError
from sqlalchemy.orm import Session, sessionmaker

from diagnosis.core.bundle import Bundle
from diagnosis.pipeline.jobs import run_export
from diagnosis.store.db import make_engine
from reports.batch import render_item
from reports.renders import render_requested

#: Seconds to reach Redis and to wait for its answer: a dead Redis must not hold a request.
#: (The consumer's blocking pop waits 1 s, inside the read timeout.)
REDIS_CONNECT_TIMEOUT, REDIS_READ_TIMEOUT = 2, 5
SINGLE_REPORT_PRIORITY = 10


class QueueUnavailable(RuntimeError):
    """The queue's store (Redis, or the SQLite file) could not take a task.

    ``queued``: the ids handed to the queue before it failed.
    """

    def __init__(self, reason: str, queued: Sequence[int] = ()) -> None:
        super().__init__(reason)
        self.queued = list(queued)


#: What Huey's stores raise when they cannot be reached or written.
STORE_ERRORS = (RedisError, sqlite3.Error, OSError)


@dataclass(frozen=True)
class ReportQueue:
    huey: Huey
    render: TaskWrapper  # render_item on this queue, by batch item id
    render_report: TaskWrapper  # render_requested on this queue, by ReportRender id
    export: TaskWrapper  # run_export (diagnosis/pipeline/jobs.py) on this queue, by export job token

    def enqueue(self, item_ids: Iterable[int]) -> list[int]:
        """One render per batch item; the items must be committed (workers read them).

        :return: the ids handed to the queue.
        :raise QueueUnavailable: the queue failed (its ``queued`` says which ids got in first).
        """
        queued: list[int] = []
        for item_id in item_ids:
            try:
                self.render(item_id)
            except STORE_ERRORS as error:
                raise QueueUnavailable(f"{type(error).__name__}: {error}", queued) from error
            queued.append(item_id)
        return queued

    def enqueue_report(self, render_id: int) -> None:
        """Render the committed ReportRender ``render_id``; :raise QueueUnavailable:."""
        try:
            self.render_report(render_id)
        except STORE_ERRORS as error:
            raise QueueUnavailable(f"{type(error).__name__}: {error}") from error


def make_queue(config: Mapping[str, Any], bundle: Bundle) -> ReportQueue:
    """A queue whose workers render with ``config``'s database and storage and with ``bundle``."""
    name = config["HUEY_QUEUE"]
    if config.get("REDIS_URL"):
        pool = ConnectionPool.from_url(config["REDIS_URL"], socket_connect_timeout=REDIS_CONNECT_TIMEOUT,
                                       socket_timeout=REDIS_READ_TIMEOUT)
        huey: Huey = PriorityRedisHuey(name, connection_pool=pool, results=False)
    else:
        Path(config["HUEY_FILE"]).parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=config["HUEY_FILE"], results=False)
    database_url, storage = config["DATABASE_URL"], config["DIAGNOSIS_STORAGE"]

    @huey.task(name="render_batch_item", retries=0)
    def render(item_id: int) -> None:
        with _sessions(database_url, os.getpid())() as session:
            render_item(session, item_id, bundle, storage)

    @huey.task(name="render_report", retries=0, priority=SINGLE_REPORT_PRIORITY)
    def render_report(render_id: int) -> None:
        with _sessions(database_url, os.getpid())() as session:
            render_requested(session, render_id, bundle, storage)

    @huey.task(name="export_ledger", retries=0, priority=SINGLE_REPORT_PRIORITY)
    def export(token: str) -> None:
        with _sessions(database_url, os.getpid())() as session:
            run_export(session, storage, token, bundle.industries)

    return ReportQueue(huey, render, render_report, export)


def queue_for(app: Flask, bundle: Bundle) -> ReportQueue:
    """The app's one queue, made on first use (its SQLite file is created then, not at app start)."""
    if "report_queue" not in app.extensions:
        app.extensions["report_queue"] = make_queue(app.config, bundle)
    return app.extensions["report_queue"]


@lru_cache(maxsize=8)
def _sessions(database_url: str, pid: int) -> sessionmaker[Session]:
    """One engine per worker process (``pid`` keeps forked workers off their parent's pool)."""
    return sessionmaker(bind=make_engine(database_url))


class EmbeddedConsumer(Consumer):
    """A Huey consumer started from a thread of this process (the CLI's batch, tests).

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


def run_workers(queue: ReportQueue, workers: int) -> None:
    """Run worker processes on ``queue`` in the foreground until interrupted (SIGINT, SIGTERM)."""
    Consumer(queue.huey, workers=workers, worker_type="process", periodic=False, max_delay=1.0).run()
