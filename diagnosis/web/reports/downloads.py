"""The PDF download: the stored report's bytes, or a render asked for and a page that waits for it.

No request renders (a render takes 1.5 s of CPU): a missing report is claimed (reports.renders)
and queued, and the page polls until a worker has kept the file. ``schedule_reports`` asks for
an assessment's reports in every language ahead of the first download (submit, sign-off).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app
from flask_login import current_user

from diagnosis.store.assessments import Assessment
from diagnosis.store.db import get_session
from diagnosis.web.access import can_view_company
from diagnosis.web.bundle import current_bundle
from reports.data import ReportUnavailable, report_key
from reports.document import ReportKey
from reports.queue import QueueUnavailable, queue_for
from reports.render import DEFAULT_LANGUAGE, LANGUAGES
from reports.renders import RENDERS_PER_USER, claim, withdraw
from reports.report import stored_path

log = logging.getLogger(__name__)
#: The waiting page's HTTP status by state (the polled fragment always answers 200: htmx swaps it).
STATUS_CODES = {"pending": 202, "failed": 200, "busy": 429, "unavailable": 503}
#: Seconds between polls by state; a failed render is not polled (the page offers to try again).
POLL_SECONDS = {"pending": 2, "busy": 5, "unavailable": 10}


@dataclass(frozen=True)
class Download:
    state: str  # ready | pending | failed | busy | unavailable
    path: Path | None = None  # the stored file, when ready


def language_or_404(assessment_id: int, lang: str | None) -> str:
    """The report language asked for, when the current user may see the assessment's company."""
    assessment = get_session().get(Assessment, assessment_id)
    if assessment is None or not can_view_company(current_user, assessment.company):
        abort(404)
    lang = lang or DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        abort(404)
    return lang


def prepare(assessment_id: int, lang: str) -> Download:
    """The stored report, or the state of its render (asked for now when it is not pending)."""
    try:
        key = report_key(get_session(), assessment_id)
    except ReportUnavailable:
        abort(404)
    path = stored_path(current_app.config["DIAGNOSIS_STORAGE"], key, lang)
    if path.exists():
        return Download("ready", path)
    return Download(ask(key, lang, current_user.id))


def page(assessment_id: int, lang: str, state: str) -> dict:
    """What the waiting page and its polled fragment show."""
    return {"assessment_id": assessment_id, "lang": lang, "state": state, "poll": POLL_SECONDS.get(state),
            "limit": RENDERS_PER_USER}


def ask(key: ReportKey, lang: str, user_id: int | None) -> str:
    """Claim the render and hand it to the queue; a refused task is withdrawn (nothing pending)."""
    session = get_session()
    claimed = claim(session, key, lang, user_id)
    if claimed.queue is None:
        return claimed.state
    try:
        queue_for(current_app, current_bundle()).enqueue_report(claimed.queue)
    except QueueUnavailable as error:
        log.warning("report queue unavailable, render %s withdrawn: %s", claimed.queue, error)
        withdraw(session, claimed.queue)
        return "unavailable"
    return claimed.state


def schedule_reports(assessment_id: int) -> bool:
    """Queue the render of the assessment's current report in every language not kept yet.

    Call it once the submit (or sign-off) is committed; it commits the request's transaction
    itself otherwise. Never raises for a queue that is down or an assessment without a report:
    the first download asks again.

    :return: False when nothing could be queued now (no report yet, or the queue is down).
    """
    try:
        key = report_key(get_session(), assessment_id)
    except ReportUnavailable:
        return False
    storage = current_app.config["DIAGNOSIS_STORAGE"]
    states = [ask(key, lang, None) for lang in LANGUAGES if not stored_path(storage, key, lang).exists()]
    return "unavailable" not in states
