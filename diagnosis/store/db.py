"""Database wiring: the declarative Base, one engine per URL, and the scoped session the app uses.

Store functions receive or use `session` and flush at most; the web layer commits once per request
(see `init_app`), CLI commands commit at their end.
"""

from __future__ import annotations

from typing import Any, Final

from flask import request
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


#: A proxy for the current thread's Session: the web and the CLI call its methods directly and hand
#: `get_session()` to the functions that take a Session.
session: scoped_session[Session] = scoped_session(sessionmaker())


def get_session() -> Session:
    """The session of the current thread (request, CLI command or test)."""
    return session()


#: Execution option asking SQLite for BEGIN IMMEDIATE (see `begin_write`); other databases ignore it.
WRITE_INTENT: Final = "sqlite_begin_immediate"


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy own SQLite transactions, so SAVEPOINT and transactional DDL work, turn on
    foreign keys (the pysqlite driver's own transaction handling breaks both), and use WAL so readers
    never wait for a writer."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_INTENT)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(db: Session | scoped_session[Session] = session) -> None:
    """Start the transaction of ``db`` (the app's session by default) as a writer.

    A deferred SQLite transaction that reads and then writes fails at once with "database is locked"
    when another writer got there first (waiting could deadlock); BEGIN IMMEDIATE takes the write
    lock up front and waits its turn (busy_timeout) instead.
    """
    db.connection(execution_options={WRITE_INTENT: True})


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets the transaction fix above, PostgreSQL `_no_jit`."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    elif engine.dialect.name == "postgresql":
        _no_jit(engine)
    return engine


def _no_jit(engine: Engine) -> None:
    """PostgreSQL's JIT compiles the dashboard's grouped queries for about 250 ms each, longer than
    they run: this application's queries are all short."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


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

    @app.before_request
    def _writers_take_the_lock_first() -> None:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            begin_write()

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
