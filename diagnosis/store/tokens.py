"""API tokens, and the responses of creating POSTs kept under their idempotency keys.

A token is shown once: only its sha256 is stored (the value is 256 random bits, so a plain hash is
enough; no salt or slow hash is needed). A token carries nothing but its user: the role and scope
are the user's, read afresh on every request, so the API never sees more than the pages do.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from diagnosis.store.accounts import User, utcnow
from diagnosis.store.db import Base

#: Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "zgs_"


class ApiToken(Base):
    """A user's named API token, stored as its hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the value, shown in the list so the owner can tell tokens apart.
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and aware(self.expires_at) > now


class ApiIdempotencyKey(Base):
    """The response a creating POST gave for a user's Idempotency-Key, replayed on a retry."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    #: sha256 of method, path and body: the same key with another request is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


def aware(value: datetime) -> datetime:
    """SQLite keeps no offset; every time stored is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def hash_token(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def create_token(db: Session, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days; returns the row and the value (shown once)."""
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(value), hint=value[:10],
                     created_at=now, expires_at=now + timedelta(days=days))
    db.add(token)
    db.flush()
    return token, value


def tokens_of(db: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones included, marked by their dates)."""
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                           .order_by(ApiToken.id.desc())))


def revoke(db: Session, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when it is not theirs or already revoked."""
    result = db.execute(update(ApiToken)
                        .where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                               ApiToken.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    return bool(getattr(result, "rowcount", 0))


def authenticate(db: Session, value: str, now: datetime) -> ApiToken | None:
    """The usable token with this value whose user is active, or None (reads only)."""
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(value)))
    if token is None or not token.usable(now) or not token.user.active:
        return None
    return token


def needs_touch(token: ApiToken, now: datetime) -> bool:
    """Whether the token's last-used day is not today: it is written once a day at most, so that
    the API's reads stay reads."""
    return token.last_used_at is None or aware(token.last_used_at).date() != now.date()


def touch(db: Session, token_id: int, now: datetime) -> None:
    db.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def stored_response(db: Session, user: User, key: str) -> ApiIdempotencyKey | None:
    return db.scalar(select(ApiIdempotencyKey).where(ApiIdempotencyKey.user_id == user.id,
                                                     ApiIdempotencyKey.key == key))


def store_response(db: Session, user: User, key: str, request_hash: str, status: int, body: str) -> None:
    db.add(ApiIdempotencyKey(user_id=user.id, key=key, request_hash=request_hash, status=status, body=body))
    db.flush()
