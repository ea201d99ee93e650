"""Yearly targets: one row per change, so the history stays; the newest row of a (year, target) holds,
and a target nobody set for a year takes the catalogue's default (diagnosis/core/pipeline_catalogue.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.store.accounts import utcnow
from diagnosis.store.db import Base


class TargetValue(Base):
    __tablename__ = "target_values"
    __table_args__ = (CheckConstraint("value >= 0", name="value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    #: A target id of the pipeline catalogue.
    target_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@dataclass(frozen=True)
class YearTarget:
    target_id: str
    value: float
    #: False: the catalogue's default, nobody set it for this year.
    set: bool


def year_targets(session: Session, year: int) -> dict[str, YearTarget]:
    """Every catalogue target of ``year``, in the catalogue's order."""
    newest = (select(TargetValue.target_id, func.max(TargetValue.id).label("id"))
              .where(TargetValue.year == year).group_by(TargetValue.target_id).subquery())
    rows = session.execute(select(TargetValue.target_id, TargetValue.value)
                           .join(newest, TargetValue.id == newest.c.id)).all()
    values = {target_id: float(value) for target_id, value in rows}
    return {target_id: YearTarget(target_id, values.get(target_id, kind.default), target_id in values)
            for target_id, kind in catalogue().targets.items()}


def set_target(session: Session, year: int, target_id: str, value: Decimal,
               user_id: int | None) -> TargetValue:
    row = TargetValue(year=year, target_id=target_id, value=value, set_by_id=user_id, set_at=utcnow())
    session.add(row)
    session.flush()
    return row


def target_history(session: Session, year: int, target_id: str) -> list[TargetValue]:
    return list(session.scalars(select(TargetValue).where(TargetValue.year == year,
                                                          TargetValue.target_id == target_id)
                                .order_by(TargetValue.id.desc())))
