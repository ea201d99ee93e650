"""Report batches: start one, render its items one by one, pack the ZIP once the last is in.

The batch and its items live in the database (diagnosis.store.batches); the PDFs and the ZIP in
the batch's directory, which the web process, the CLI and the queue workers share. A failed
render is recorded with its reason; it never stops the other renders. The ZIP is written once,
aside and then moved into place, so every download gets a whole archive.

A batch the queue refused is discarded whole. An official may cancel the items not rendered
yet (the ZIP then holds what was rendered) and retry the failed, cancelled and stuck ones: an
item that never reached the queue, or one still queued in a batch where nothing moved for
``STALLED`` (its task lost). A task delivered twice renders once: only a queued item renders,
and only a queued item takes an outcome.
"""

from __future__ import annotations

import os
import re
import secrets
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import ColumnElement, CursorResult, delete, func, or_, select, update
from sqlalchemy.orm import Session

from diagnosis.core.bundle import Bundle
from diagnosis.store.batches import ReportBatch, ReportBatchItem, items_in, progress
from diagnosis.store.db import begin_write
from reports.data import ReportUnavailable, as_utc
from reports.files import aside, write_atomically
from reports.report import make_report
from reports.selection import BatchFilter, BatchItem

ARCHIVE = "reports.zip"
ERRORS = "errors.txt"
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff-]+")
STALLED = timedelta(minutes=10)


def new_token() -> str:
    return secrets.token_hex(12)


def batch_directory(storage: str | Path, token: str) -> Path:
    """Where a batch started from the web keeps its files: DIAGNOSIS_STORAGE/batches/<token>."""
    return Path(storage) / "batches" / token


def start_batch(session: Session, items: Sequence[BatchItem], lang: str, directory: Path,
                chosen: BatchFilter, requested_by: int | None, token: str | None = None) -> ReportBatch:
    """A new batch with one queued item per report (flushed; the caller commits before queueing)."""
    directory.mkdir(parents=True, exist_ok=True)
    batch = ReportBatch(token=token or new_token(), requested_by_id=requested_by, lang=lang,
                        filter=chosen.record(), directory=str(directory.resolve()),
                        items=[ReportBatchItem(assessment_id=item.assessment_id, company_name=item.company)
                               for item in items])
    session.add(batch)
    session.flush()
    return batch


def output_name(company: str, number: str) -> str:
    """A file name safe on every system: report number plus a cleaned company name."""
    cleaned = _UNSAFE.sub("_", company).strip("_")[:40]
    return f"{number}-{cleaned}.pdf" if cleaned else f"{number}.pdf"


def render_item(session: Session, item_id: int, bundle: Bundle, storage: str | Path) -> None:
    """Render one item and record the outcome; the last item of a batch packs its ZIP.

    The render only reads; the outcome is written in a transaction of its own, started as a
    writer, and committed before the batch is checked for completeness.
    """
    item = session.get(ReportBatchItem, item_id)
    if item is None or item.state != "queued":
        return
    batch_id, directory = item.batch_id, Path(item.batch.directory)
    try:
        if item.assessment_id is None:
            raise ReportUnavailable("the assessment was deleted after the batch started")
        report = make_report(session, item.assessment_id, item.batch.lang, storage, bundle)
        filename = output_name(item.company_name, report.number)
        write_atomically(directory / filename, report.pdf)
        outcome = {"state": "rendered", "filename": filename}
    except Exception as error:  # a failed render is reported; the batch goes on
        outcome = {"state": "failed", "error": f"{type(error).__name__}: {error}"}
    session.rollback()
    begin_write(session)
    session.execute(update(ReportBatchItem)
                    .where(ReportBatchItem.id == item_id, ReportBatchItem.state == "queued")
                    .values(finished_at=datetime.now(UTC), **outcome))
    session.commit()
    pack_when_complete(session, batch_id)


def pack_when_complete(session: Session, batch_id: int) -> None:
    """Write the ZIP and mark the batch finished, once, when no item is still queued.

    The batch row is locked first, so of two workers finishing at once one packs, the other sees
    it finished.
    """
    begin_write(session)
    batch = session.scalars(select(ReportBatch).where(ReportBatch.id == batch_id).with_for_update()).one()
    if batch.status == "rendering" and progress(session, batch_id).finished:
        write_zip(session, batch)
        batch.status, batch.archive = "finished", ARCHIVE
    session.commit()


def mark_queued(session: Session, item_ids: Sequence[int]) -> None:
    """Record that these items' tasks are in the queue (commits)."""
    if item_ids:
        begin_write(session)
        session.execute(update(ReportBatchItem).where(ReportBatchItem.id.in_(item_ids))
                        .values(queued_at=datetime.now(UTC)))
    session.commit()


def discard(session: Session, batch_id: int) -> None:
    """Remove the rows of a batch the queue refused: nothing is left pending (commits).

    Its directory stays: it may be the CLI's --out, which the caller owns.
    """
    session.rollback()
    begin_write(session)
    session.execute(delete(ReportBatchItem).where(ReportBatchItem.batch_id == batch_id))
    session.execute(delete(ReportBatch).where(ReportBatch.id == batch_id))
    session.commit()


def cancel(session: Session, batch_id: int) -> int:
    """Cancel the items not rendered yet and pack what was (commits); how many were cancelled."""
    session.rollback()
    begin_write(session)
    cancelled = cast(CursorResult, session.execute(
        update(ReportBatchItem).where(ReportBatchItem.batch_id == batch_id, ReportBatchItem.state == "queued")
        .values(state="cancelled", finished_at=datetime.now(UTC)))).rowcount
    session.commit()
    pack_when_complete(session, batch_id)
    return cancelled


def retryable(session: Session, batch_id: int) -> list[int]:
    """Items to queue again: failed, cancelled, never queued, or queued in a stalled batch."""
    stuck: ColumnElement[bool] = ReportBatchItem.queued_at.is_(None)
    if stalled(session, batch_id):
        stuck = or_(stuck, ReportBatchItem.queued_at.is_not(None))
    return list(session.scalars(select(ReportBatchItem.id).where(
        ReportBatchItem.batch_id == batch_id,
        or_(ReportBatchItem.state.in_(("failed", "cancelled")), (ReportBatchItem.state == "queued") & stuck))
        .order_by(ReportBatchItem.id)))


def stalled(session: Session, batch_id: int) -> bool:
    """Nothing of the batch was queued or finished for ``STALLED``, and something is still queued."""
    queued, finished, waiting = session.execute(
        select(func.max(ReportBatchItem.queued_at), func.max(ReportBatchItem.finished_at),
               func.count().filter(ReportBatchItem.state == "queued"))
        .where(ReportBatchItem.batch_id == batch_id)).one()
    moments = [as_utc(moment) for moment in (queued, finished) if moment is not None]
    return bool(waiting) and bool(moments) and datetime.now(UTC) - max(moments) > STALLED


def requeue(session: Session, batch_id: int, item_ids: Sequence[int]) -> None:
    """Set these items back to queued (not yet in the queue) and the batch to rendering (commits)."""
    session.rollback()
    begin_write(session)
    session.execute(update(ReportBatchItem).where(ReportBatchItem.batch_id == batch_id,
                                                  ReportBatchItem.id.in_(item_ids))
                    .values(state="queued", error=None, filename=None, finished_at=None, queued_at=None))
    session.execute(update(ReportBatch).where(ReportBatch.id == batch_id)
                    .values(status="rendering", archive=None))
    session.commit()


def failures(session: Session, batch_id: int) -> list[ReportBatchItem]:
    return items_in(session, batch_id, "failed")


def error_list(failed: Sequence[ReportBatchItem]) -> str:
    return "".join(f"{item.company_name}: {item.error}\n" for item in failed)


def write_zip(session: Session, batch: ReportBatch) -> Path:
    """Every rendered PDF and, when some renders failed, errors.txt (also kept beside the PDFs)."""
    directory = Path(batch.directory)
    errors = error_list(failures(session, batch.id))
    if errors:
        write_atomically(directory / ERRORS, errors.encode("utf-8"))
    target = directory / ARCHIVE
    temporary = aside(target)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
            for item in items_in(session, batch.id, "rendered"):
                archive.write(directory / str(item.filename), item.filename)
            if errors:
                archive.writestr(ERRORS, errors)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
