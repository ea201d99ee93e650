"""Stored assessments for the report tests: answers written, scored by the engine, submitted
(and, when asked, reviewed and signed off with adjusted answers), through the assessment and
review stores' functions; and, for tests on ``committed_app``, a signed-in client, the app's
queue and a consumer that runs until a condition holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.web.bundle import current_bundle, diagnose_for
from reports.queue import ReportQueue, make_queue, queue_for, start_consumer
from tests.reports.conftest import example


def submitted_assessment(session, company, name: str = "furniture_2110", verifier=None,
                         adjust: dict[str, Any] | None = None, result: dict | None = None):
    """A submitted assessment of ``company`` with the example's answers and its snapshot.

    :param verifier: a provider user: the assessment is then reviewed (``adjust``: the questions
        adjusted, with a reason) and signed off by them (`sign_off`).
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
            adjust_answer(session, assessment, qid, value, verifier, "site_differs", "现场核对台账")
        sign_off(session, assessment, verifier)
    return assessment


def adjust_answer(session, assessment, question_id: str, value: Any, reviewer, reason_code: str,
                  reason_text: str) -> None:
    """What the review page stores for 已调整: the verified answer and the item with its reason."""
    store.write_answer(session, assessment, question_id, value, reviewer.id, source="verified",
                       reason=reason_text)
    reviews.set_item(session, assessment, question_id, "adjusted", reviewer.id, reason_code, reason_text)


def sign_off(session, assessment, diagnostician):
    """What sign-off stores: the verified snapshot scored from `reviews.verified_answers`, status
    verified, the review stamped with who signed off and when. Returns the snapshot."""
    answers = reviews.verified_answers(session, assessment.id)
    snapshot = store.add_snapshot(session, assessment, diagnose_for(assessment, answers, load_bundle()),
                                  kind="verified")
    store.change_status(session, assessment, "verified", diagnostician.id)
    review = reviews.ensure_review(session, assessment.id)
    review.signed_off_at, review.signed_off_by_id = assessment.verified_at, diagnostician.id
    session.flush()
    return snapshot


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
