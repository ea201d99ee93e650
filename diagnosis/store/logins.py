"""Recent failed logins (the LoginFailure rows): recorded, counted per key, forgotten, pruned.

The login throttle (diagnosis/web/auth/throttle.py) decides what the counts mean.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.orm import Session

from diagnosis.store.accounts import LoginFailure

#: Columns a count is keyed by; a value of None means "attempts without a known-device cookie".
KEY_COLUMNS = {
    "account": LoginFailure.account,
    "address": LoginFailure.address,
    "device": LoginFailure.device,
}


def record_failure(db: Session, key: dict[str, Any], at: datetime) -> LoginFailure:
    """Add a failure with the values of `key` (account, address, device)."""
    failure = LoginFailure(**key, at=at)
    db.add(failure)
    db.flush()
    return failure


def _matches(key: dict[str, Any]) -> ColumnElement[bool]:
    return and_(*(KEY_COLUMNS[name].is_(None) if value is None else KEY_COLUMNS[name] == value
                  for name, value in key.items()))


def failures_since(
    db: Session, key: dict[str, Any], since: datetime, besides: int
) -> tuple[int, datetime | None]:
    """How many failures match `key` since `since` (leaving out the row `besides`), and the time of
    the last of them."""
    count, last = db.execute(
        select(func.count(), func.max(LoginFailure.at)).where(
            _matches(key), LoginFailure.at >= since, LoginFailure.id != besides
        )
    ).one()
    if last is not None and last.tzinfo is None:  # SQLite keeps no offset; every time stored is UTC
        last = last.replace(tzinfo=UTC)
    return count, last


def forget(db: Session, failure: LoginFailure) -> None:
    db.execute(delete(LoginFailure).where(LoginFailure.id == failure.id))


def forget_matching(db: Session, key: dict[str, Any]) -> None:
    db.execute(delete(LoginFailure).where(_matches(key)))


def prune(db: Session, before: datetime) -> None:
    db.execute(delete(LoginFailure).where(LoginFailure.at < before))
