"""Database wiring: the declarative Base, one engine per URL, and the scoped session the app uses.

Store functions receive or use `session` and flush at most; the web layer commits once per request
(see `init_app`), CLI commands commit at their end.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

#: Stable constraint names, so later migrations can drop or alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


session: scoped_session[Session] = scoped_session(sessionmaker())


def get_session() -> Session:
    """The session of the current thread (request, CLI command or test)."""
    return session()


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy own SQLite transactions, so SAVEPOINT and transactional DDL work, and turn on
    foreign keys (the pysqlite driver's own transaction handling breaks both)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets the transaction fix above."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    return engine


def init_db(url: str) -> Engine:
    """Bind the scoped session to a new engine for `url` (app factory, CLI scripts)."""
    engine = make_engine(url)
    session.remove()
    session.configure(bind=engine)
    return engine


def init_app(app: Any) -> None:
    """Bind the session for this app and commit once at the request boundary.

    The response is committed when its status is below 400, otherwise rolled back; a failing commit
    turns into a 500 before anything is sent. The session is removed after every request.
    """
    app.extensions["db_engine"] = init_db(app.config["DATABASE_URL"])

    @app.after_request
    def _commit_or_rollback(response: Any) -> Any:
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
        return response

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        session.remove()
