"""Accounts: users of the four roles, the provider organisations providers belong to, and the
recent failed logins the login throttle counts (diagnosis/store/logins.py reads and writes them)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from diagnosis.store.db import Base

if TYPE_CHECKING:
    from diagnosis.store.companies import Company

ROLES = ("company", "provider", "official", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


class ProviderOrg(Base):
    """A digital-transformation service provider (服务商) whose diagnosticians work on site."""

    __tablename__ = "provider_orgs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="provider_org")


class User(Base):
    """A person who logs in. Exactly one role; the foreign key that matters depends on it."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('company', 'provider', 'official', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; the login name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    #: Set for company users: the only company they may see.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    #: Set for provider users.
    provider_org_id: Mapped[int | None] = mapped_column(ForeignKey("provider_orgs.id"), index=True)
    #: Parks an official covers (names from the PARKS setting); empty means the whole district.
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A provider organisation's lead: assigns diagnosticians and visit dates, may sign off any of
    #: the organisation's reviews.
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Part of every session's id (see `session_id`): raising it ends all the user's sessions and
    #: remember-me cookies (logout, password change, deactivation).
    session_generation: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Preferred interface language (zh_CN or en); None means the platform default.
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    company: Mapped[Company | None] = relationship(back_populates="users")
    provider_org: Mapped[ProviderOrg | None] = relationship(back_populates="users")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The four members Flask-Login expects, written out so the store needs no web framework.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The id of a session starting now (Flask-Login's "alternative token"): user id, session
        generation and login time, checked by the user loader (diagnosis/web/access.py)."""
        return session_id(self.id, self.session_generation, int(time.time()))

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this user stops working (at the next commit)."""
        self.session_generation += 1


def session_id(user_id: int, generation: int, issued: int) -> str:
    return f"{user_id}:{generation}:{issued}"


def parse_session_id(value: str) -> tuple[int, int, int] | None:
    """(user id, generation, login time) of a session id, or None when it is not one."""
    parts = value.split(":")
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() and len(part) <= 12 for part in parts):
        return None
    user_id, generation, issued = (int(part) for part in parts)
    return user_id, generation, issued


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalize_email(email)))


def email_taken(db: Session, email: str) -> bool:
    return user_by_email(db, email) is not None


def create_user(db: Session, *, email: str, name: str, password: str, role: str, **fields: object) -> User:
    """Add a user (flushes, so the id is known). `fields` are further column values."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = User(email=normalize_email(email), name=name, role=role, **fields)
    user.set_password(password)
    db.add(user)
    db.flush()
    return user


class LoginFailure(Base):
    """One failed (or still running) login attempt, kept for LOGIN_FAILURE_WINDOW.

    In the database so that every worker counts the same failures, without Redis. `device` is the
    known-device cookie's nonce when the attempt came with one for this account (such attempts are
    counted apart, so an attack from elsewhere never slows a known device down)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_account_at", "account", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The normalised e-mail typed in (accounts that do not exist are counted too).
    account: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
