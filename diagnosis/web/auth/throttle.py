"""The login throttle: a growing delay per key of recent failures, in the database every worker shares.

An attempt is recorded as a failure *before* the password is checked and committed at once, then the
failures of the other attempts are counted: of two attempts racing in two workers the later one to
count always sees the earlier one, so a burst gets no more password checks than a sequence would.
A correct password forgives the attempt; a refused attempt (told to wait) is not counted.

Keys (settings in diagnosis/config.py): an attempt with a known-device cookie for the account is
counted only by that device; any other by the (account, address) pair, by the account and by the
address. Nothing locks: past a key's free failures the next attempt waits a delay that doubles per
failure, up to a maximum.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from diagnosis.store.accounts import LoginFailure
from diagnosis.store.db import begin_write
from diagnosis.store.logins import failures_since, forget, forget_matching, prune, record_failure


@dataclass(frozen=True)
class Attempt:
    account: str
    address: str
    #: The known-device cookie's nonce for this account, if the client sent one.
    device: str | None


@dataclass(frozen=True)
class Ticket:
    """A recorded attempt and how long the client must still wait (0: go ahead, check the password)."""

    failure: LoginFailure
    wait_seconds: int


def delay_seconds(failures: int, free: int) -> int:
    """The wait after the last failure once there are `failures`: none within the free ones, then
    LOGIN_DELAY_FIRST_SECONDS doubling per failure, at most LOGIN_DELAY_MAX_SECONDS."""
    if failures < free:
        return 0
    config = current_app.config
    return int(min(config["LOGIN_DELAY_FIRST_SECONDS"] * 2 ** min(failures - free, 32),
                   config["LOGIN_DELAY_MAX_SECONDS"]))


def keys(attempt: Attempt) -> list[tuple[dict[str, Any], int]]:
    """The counts that govern this attempt, each with its number of free failures."""
    config = current_app.config
    if attempt.device is not None:
        return [({"device": attempt.device}, config["LOGIN_FREE_FAILURES_PER_DEVICE"])]
    return [
        ({"account": attempt.account, "address": attempt.address, "device": None},
         config["LOGIN_FREE_FAILURES_PER_PAIR"]),
        ({"account": attempt.account, "device": None}, config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]),
        ({"address": attempt.address, "device": None}, config["LOGIN_FREE_FAILURES_PER_ADDRESS"]),
    ]


def wait_seconds(db: Session, attempt: Attempt, failure: LoginFailure, now: datetime) -> int:
    since = now - current_app.config["LOGIN_FAILURE_WINDOW"]
    longest = 0.0
    for key, free in keys(attempt):
        count, last = failures_since(db, key, since, besides=failure.id)
        if last is not None:
            ready = last + timedelta(seconds=delay_seconds(count, free))
            longest = max(longest, (ready - now).total_seconds())
    return math.ceil(longest) if longest > 0 else 0


def begin(db: Session, attempt: Attempt) -> Ticket:
    """Record the attempt for every worker to see (commits), then say whether it may go ahead; an
    attempt told to wait is removed again (and that is committed too)."""
    now = datetime.now(UTC)
    prune(db, now - current_app.config["LOGIN_FAILURE_WINDOW"])
    failure = record_failure(db, asdict(attempt), now)
    db.commit()
    begin_write(db)
    wait = wait_seconds(db, attempt, failure, now)
    if wait:
        forget(db, failure)
        db.commit()
    return Ticket(failure, wait)


def forgive(db: Session, ticket: Ticket) -> None:
    """The password was right: this attempt was no failure."""
    forget(db, ticket.failure)


def succeeded(db: Session, attempt: Attempt) -> None:
    """A login: the failures of this pair (or device) before it no longer count."""
    forget_matching(db, keys(attempt)[0][0])
