"""Stored assessments for the report tests: answers written, scored by the engine, submitted
(and, when asked, verified with adjusted answers), through the assessment store's functions;
and, for tests on ``committed_app``, a signed-in client, the app's queue and a consumer that
runs until a condition holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.store import assessments as store
from diagnosis.web.bundle import current_bundle
from reports.queue import ReportQueue, make_queue, queue_for, start_consumer
from tests.reports.conftest import example


def submitted_assessment(session, company, name: str = "furniture_2110", verifier=None,
                         adjust: dict[str, Any] | None = None, result: dict | None = None):
    """A submitted assessment of ``company`` with the example's answers and its snapshot.

    :param verifier: a provider user: the assessment is then verified, with ``adjust`` as
        verified answers (reason recorded) and a verified snapshot.
    :param result: a snapshot to store instead of the engine's (to make a render fail).
    """
    bundle = load_bundle()
    instrument = bundle.active_instrument()
    assessment = store.create_assessment(session, company.id, instrument.id, str(instrument.version), None)
    answers = example(name)["answers"]
    for qid, value in answers.items():
        store.write_answer(session, assessment, qid, value, None)
    profile = bundle.profile(company.profile)
    if result is None:
        result = diagnose(bundle, answers, profile)
    store.add_snapshot(session, assessment, result)
    store.change_status(session, assessment, "submitted", None)
    if verifier is not None:
        for qid, value in (adjust or {}).items():
            store.write_answer(session, assessment, qid, value, verifier.id, source="verified",
                               reason="现场核对台账")
        verified_answers = {**answers, **(adjust or {})}
        store.add_snapshot(session, assessment, diagnose(bundle, verified_answers, profile), kind="verified")
        store.change_status(session, assessment, "verified", verifier.id)
    return assessment


def company_like_example(make_company, example_name: str = "furniture_2110", **fields):
    profile = example(example_name)["profile"]
    values = {key: profile[key] for key in ("industry_code", "employees", "above_designated_size",
                                            "revenue_band") if key in profile}
    return make_company(**{**values, **fields})


def signed_in(app, user_id: str):
    """A test client of ``app`` signed in as the user whose ``get_id()`` is ``user_id``."""
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["_user_id"] = user_id
        browser["_fresh"] = True
    return client


def queue_of(app) -> ReportQueue:
    with app.app_context():
        return queue_for(app, current_bundle())


#: A Redis URL on a closed port: the queue's store is down (the outside faked, our code real).
DEAD_REDIS = "redis://127.0.0.1:1/0"


def use_dead_queue(app, monkeypatch) -> None:
    """From now on ``app`` enqueues onto a real Redis queue whose server is unreachable."""
    monkeypatch.setitem(app.extensions, "report_queue",
                        make_queue({**app.config, "REDIS_URL": DEAD_REDIS}, app.extensions["bundle"]))


def consume_until(app, done: Callable[[], bool], seconds: float = 90, workers: int = 1) -> None:
    """Run a consumer of the app's queue in this process until ``done()`` holds (or fail)."""
    consumer = start_consumer(queue_of(app), workers=workers)
    try:
        deadline = time.monotonic() + seconds
        while not done():
            assert time.monotonic() < deadline, "the queue did not finish in time"
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
