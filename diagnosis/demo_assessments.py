"""The demo district's self-assessments, made and written in bulk (`flask demo seed`).

Making them is the seed's work: some 160 answers, their validation and, once submitted, the engine's
result, about 10 ms a company. A large district makes them in worker processes (one per core), a
batch at a time while the main process writes the batch before; a batch draws from its own random
generator, seeded from the district's, so the same random seed gives the same district however the
batches are spread.

Writing: the assessments of a batch with one INSERT; their answers and audit events (one event per
answer, as `write_answer` records them, and one for the submission) with COPY on PostgreSQL, as text
the workers already encoded (the main process only puts in the assessment ids), an executemany INSERT
elsewhere; the snapshots with `add_first_snapshots`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from diagnosis.core.answers import missing_required, validate_answers
from diagnosis.core.engine import diagnose
from diagnosis.demo_answers import AnswerMaker
from diagnosis.store.accounts import utcnow
from diagnosis.store.assessments import Answer, Assessment, AuditEvent, add_first_snapshots

BATCH = 500
#: From this many assessments on they are made in worker processes.
PARALLEL_FROM = 3000
SEEDED = "demo seed"
#: Stands for the assessment id in the encoded COPY lines until the id is known.
MARK = "\x00"
ANSWER_COLUMNS = ("assessment_id", "question_id", "source", "value", "revision", "updated_at")
EVENT_COLUMNS = ("assessment_id", "at", "question_id", "source", "old", "new", "reason")
SUBMITTED = (json.dumps({"status": "draft"}), json.dumps({"status": "submitted"}))


@dataclass(frozen=True)
class Work:
    company_id: int
    #: The company's stored profile fields (Company.profile).
    profile: dict[str, Any]
    submitted: bool


@dataclass
class Made:
    """An assessment made, not yet written; with its answers and events as COPY text when asked."""

    company_id: int
    answers: dict[str, Any]
    started: datetime
    finished: datetime | None
    result: dict[str, Any] | None
    answer_lines: str = ""
    event_lines: str = ""


def make_assessments(bundle, seed: int, work: list[Work], encode: bool) -> list[Made]:
    rng = random.Random(seed)
    instrument = bundle.active_instrument()
    maker = AnswerMaker(instrument, rng)
    made = []
    for item in work:
        profile = bundle.profile(item.profile)
        maturity = maker.maturity(item.profile["employees"] or 0)
        answers = validate_answers(instrument, maker.answers(profile, maturity), profile).values
        if item.submitted:
            answers.update(maker.fill(missing_required(instrument, answers, profile)))
        else:
            answers = maker.partial(answers, rng.uniform(0.1, 0.7))
        started = utcnow() - timedelta(days=rng.uniform(5, 120))
        finished = started + timedelta(days=rng.uniform(0.1, 4)) if item.submitted else None
        result = diagnose(bundle, answers, profile, instrument_id=instrument.id) if item.submitted else None
        one = Made(item.company_id, answers, started, finished, result)
        if encode:
            _encode(one)
        made.append(one)
    return made


def _encode(made: Made) -> None:
    """The COPY text lines (PostgreSQL's text format) of the answers and events, MARK for the id."""
    started = made.started.isoformat()
    answers, events = [], []
    for revision, (qid, value) in enumerate(sorted(made.answers.items()), start=1):
        text = _copy_text(json.dumps(value))
        answers.append(f"{MARK}\t{qid}\tcompany\t{text}\t{revision}\t{started}\n")
        events.append(f"{MARK}\t{started}\t{qid}\tcompany\t\\N\t{text}\t{SEEDED}\n")
    if made.finished is not None:
        old, new = (_copy_text(status) for status in SUBMITTED)
        events.append(f"{MARK}\t{made.finished.isoformat()}\t\\N\tcompany\t{old}\t{new}\t{SEEDED}\n")
    made.answer_lines, made.event_lines = "".join(answers), "".join(events)


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_worker_bundle: Any = None


def _start_worker(bundle) -> None:
    global _worker_bundle
    _worker_bundle = bundle


def _make_in_worker(seed: int, work: list[Work], encode: bool) -> list[Made]:
    return make_assessments(_worker_bundle, seed, work, encode)


def made_batches(bundle, batches: list[tuple[int, list[Work]]], encode: bool) -> Iterator[list[Made]]:
    """The batches made, in order: here for a small district, else by a worker per core with at most
    two batches per worker ahead of the writer."""
    if sum(len(work) for _seed, work in batches) < PARALLEL_FROM:
        for seed, work in batches:
            yield make_assessments(bundle, seed, work, encode)
        return
    workers = os.cpu_count() or 2
    # fork: the workers inherit the loaded bundle and never touch the parent's database connection
    # (spawn would re-run `python -m flask`'s main module in each of them)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(bundle,)) as pool:
        waiting: deque = deque()
        queued = iter(batches)
        for seed, work in _take(queued, 2 * workers):
            waiting.append(pool.apply_async(_make_in_worker, (seed, work, encode)))
        while waiting:
            done = waiting.popleft().get()
            for seed, work in _take(queued, 1):
                waiting.append(pool.apply_async(_make_in_worker, (seed, work, encode)))
            yield done


def _take(items: Iterator, count: int) -> list:
    return [item for _index, item in zip(range(count), items, strict=False)]


def write_assessments(session: Session, instrument, made: list[Made]) -> None:
    if not made:
        return
    rows = [{"company_id": item.company_id, "questionnaire_id": instrument.id,
             "questionnaire_version": str(instrument.version), "revision": len(item.answers),
             "status": "submitted" if item.result else "draft", "created_at": item.started,
             "submitted_at": item.finished} for item in made]
    ids = session.scalars(insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True),
                          rows).all()
    if session.connection().dialect.name == "postgresql":
        pairs = list(zip(ids, made, strict=True))
        _copy(session, "answers", ANSWER_COLUMNS,
              (item.answer_lines.replace(MARK, str(assessment_id)) for assessment_id, item in pairs))
        _copy(session, "audit_events", EVENT_COLUMNS,
              (item.event_lines.replace(MARK, str(assessment_id)) for assessment_id, item in pairs))
    else:
        _insert(session, ids, made)
    add_first_snapshots(session, [{"assessment_id": assessment_id, "company_id": item.company_id,
                                   "kind": "self", "result": item.result, "created_at": item.finished}
                                  for assessment_id, item in zip(ids, made, strict=True)
                                  if item.result is not None])


def _copy(session: Session, table: str, columns: tuple[str, ...], blocks: Iterable[str]) -> None:
    driver: Any = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for block in blocks:
            copy.write(block)


def _insert(session: Session, ids: Sequence[int], made: list[Made]) -> None:
    answers, events = [], []
    for assessment_id, item in zip(ids, made, strict=True):
        for revision, (qid, value) in enumerate(sorted(item.answers.items()), start=1):
            answers.append({"assessment_id": assessment_id, "question_id": qid, "source": "company",
                            "value": value, "revision": revision, "updated_at": item.started})
            events.append({"assessment_id": assessment_id, "at": item.started, "question_id": qid,
                           "source": "company", "old": None, "new": value, "reason": SEEDED})
        if item.finished is not None:
            events.append({"assessment_id": assessment_id, "at": item.finished, "question_id": None,
                           "source": "company", "old": {"status": "draft"}, "new": {"status": "submitted"},
                           "reason": SEEDED})
    session.execute(insert(Answer), answers)
    session.execute(insert(AuditEvent), events)
