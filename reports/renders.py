"""Single reports rendered in the background, once per snapshot and language.

A request never renders: when the stored file (reports.report.stored_path) is missing, it claims
the render, which is one ``ReportRender`` row per (snapshot, language), and a queue worker renders
and keeps the file. Because the row is unique, a report asked for again while pending is not
queued again; a user has at most ``RENDERS_PER_USER`` renders pending at once (renders asked for
by submit or sign-off count for nobody). A pending render no worker finished within ``STALE``
(its task lost, its worker killed), and a failed one after the same wait, may be claimed again.

These functions commit their own transactions: the worker reading the row has its own connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from diagnosis.core.bundle import Bundle
from diagnosis.store.accounts import User, utcnow
from diagnosis.store.batches import ReportRender
from diagnosis.store.db import begin_write
from reports.data import as_utc
from reports.document import ReportKey
from reports.report import make_report

RENDERS_PER_USER = 3
STALE = timedelta(minutes=5)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """What asking for a render gave: ``state`` pending | failed | busy, and ``queue`` the id of a
    render this caller must now enqueue (None: it is queued already, failed recently, or refused)."""

    state: str
    queue: int | None = None


def claim(session: Session, key: ReportKey, lang: str, user_id: int | None) -> Claim:
    """Ask for the render of ``key`` in ``lang`` on behalf of ``user_id`` (None: the platform).

    The caller's transaction is committed first: the claim is a write transaction of its own.
    """
    session.commit()
    known = _recent(_render_of(session, key, lang))  # a poll of a pending render takes no write lock
    session.rollback()
    if known is not None:
        return known
    begin_write(session)
    if user_id is not None:  # one user's claims one at a time (PostgreSQL; SQLite has one writer)
        session.execute(select(User.id).where(User.id == user_id).with_for_update())
    render = _render_of(session, key, lang)
    if (known := _recent(render)) is not None:
        session.rollback()
        return known
    now = utcnow()
    if user_id is not None and pending_of(session, user_id) >= RENDERS_PER_USER:
        session.rollback()
        return Claim("busy")
    if render is None:
        render = ReportRender(assessment_id=key.assessment_id, snapshot_id=key.snapshot_id, lang=lang)
        session.add(render)
    render.state, render.error, render.finished_at = "queued", None, None
    render.requested_by_id, render.requested_at = user_id, now
    try:
        session.commit()
    except IntegrityError:  # another request inserted it first: it is pending
        session.rollback()
        return Claim("pending")
    return Claim("pending", render.id)


def _render_of(session: Session, key: ReportKey, lang: str) -> ReportRender | None:
    return session.scalar(select(ReportRender).where(ReportRender.snapshot_id == key.snapshot_id,
                                                     ReportRender.lang == lang))


def _recent(render: ReportRender | None) -> Claim | None:
    """The claim a render asked for within ``STALE`` and not rendered stands for; None: claim anew."""
    if render is None or render.state == "rendered" or utcnow() - as_utc(render.requested_at) >= STALE:
        return None
    return Claim("pending" if render.state == "queued" else "failed")


def pending_of(session: Session, user_id: int) -> int:
    """The user's renders queued within ``STALE``."""
    return session.scalar(select(func.count()).select_from(ReportRender).where(
        ReportRender.requested_by_id == user_id, ReportRender.state == "queued",
        ReportRender.requested_at > utcnow() - STALE)) or 0


def withdraw(session: Session, render_id: int) -> None:
    """Remove a claimed render whose task the queue refused: nothing is left pending."""
    session.rollback()
    begin_write(session)
    session.execute(delete(ReportRender).where(ReportRender.id == render_id, ReportRender.state == "queued"))
    session.commit()


def render_requested(session: Session, render_id: int, bundle: Bundle, storage: str | Path) -> None:
    """The worker's part: render and keep the report, then record the outcome."""
    render = session.get(ReportRender, render_id)
    if render is None or render.state != "queued":
        return
    try:
        make_report(session, render.assessment_id, render.lang, storage, bundle)
        outcome = {"state": "rendered", "error": None}
    except Exception as error:  # recorded for the waiting page; the worker goes on
        log.exception("report render %s failed", render_id)
        outcome = {"state": "failed", "error": f"{type(error).__name__}: {error}"}
    session.rollback()
    begin_write(session)
    session.execute(update(ReportRender).where(ReportRender.id == render_id, ReportRender.state == "queued")
                    .values(finished_at=utcnow(), **outcome))
    session.commit()
