"""Report renders in the background: batches of reports, and single reports asked for one by one.

One row per batch and one per report in it. Queue workers update their item row in a
transaction of their own, so progress is counts of item states, read by the web page and the CLI.
A single report (one snapshot in one language: a download, a submit, a sign-off) is one
``ReportRender`` row, so it is queued once however often it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from diagnosis.store.accounts import utcnow
from diagnosis.store.db import Base


class ReportBatch(Base):
    __tablename__ = "report_batches"
    __table_args__ = (CheckConstraint("status IN ('rendering', 'finished')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the batch's name in URLs: unguessable, so a batch id says nothing about other batches
    token: Mapped[str] = mapped_column(String(24), unique=True)
    #: the official (or admin) who started it; None for a batch from the command line
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                        index=True)
    lang: Mapped[str] = mapped_column(String(8))
    #: the selection as asked for (BatchFilter's fields), kept for the record
    filter: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: where the workers write the PDFs and, once every item is done, the ZIP
    directory: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default="rendering")
    #: file name of the finished ZIP inside ``directory``
    archive: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list[ReportBatchItem]] = relationship(back_populates="batch", order_by="ReportBatchItem.id")


class ReportBatchItem(Base):
    __tablename__ = "report_batch_items"
    __table_args__ = (CheckConstraint("state IN ('queued', 'rendered', 'failed', 'cancelled')",
                                      name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("report_batches.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    company_name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    #: why the render failed, for the official and the ZIP's errors.txt
    error: Mapped[str | None] = mapped_column(Text)
    #: the rendered PDF's file name inside the batch directory
    filename: Mapped[str | None] = mapped_column(String(200))
    #: when its task was handed to the queue; None while queued: it never reached the queue
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    batch: Mapped[ReportBatch] = relationship(back_populates="items")


class ReportRender(Base):
    """One report to render and keep: a snapshot in one language (queued -> rendered | failed)."""

    __tablename__ = "report_renders"
    __table_args__ = (UniqueConstraint("snapshot_id", "lang"),
                      CheckConstraint("state IN ('queued', 'rendered', 'failed')", name="state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("result_snapshots.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    #: the user whose download asked for it (their renders in flight are limited); None: submit, sign-off
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                        index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Progress:
    total: int
    rendered: int
    failed: int
    cancelled: int = 0

    @property
    def done(self) -> int:
        return self.rendered + self.failed + self.cancelled

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


def batch_by_token(session: Session, token: str) -> ReportBatch | None:
    return session.scalar(select(ReportBatch).where(ReportBatch.token == token))


def progress(session: Session, batch_id: int) -> Progress:
    counts = dict(session.execute(select(ReportBatchItem.state, func.count())
                                  .where(ReportBatchItem.batch_id == batch_id)
                                  .group_by(ReportBatchItem.state)).all())
    return Progress(total=sum(counts.values()), rendered=counts.get("rendered", 0),
                    failed=counts.get("failed", 0), cancelled=counts.get("cancelled", 0))


def items_in(session: Session, batch_id: int, state: str) -> list[ReportBatchItem]:
    """The batch's items in ``state``, in the order they were selected."""
    return list(session.scalars(select(ReportBatchItem).where(ReportBatchItem.batch_id == batch_id,
                                                              ReportBatchItem.state == state)
                                .order_by(ReportBatchItem.id)))
