"""Shared fixtures: the app built once, the schema migrated once, every test in a rolled-back transaction.

- `app`: the Flask app (session scope) on TEST_DATABASE_URL (in a private schema) or a temporary SQLite file.
- `db_session`: a Session on the test's connection; factories add and flush through it. After a request
  changed a row, `db_session.refresh(obj)` (or `expire_all()`) before reading it.
- The app's scoped session (`diagnosis.store.db.session`) is bound to the same connection, with
  join_transaction_mode="create_savepoint": a request's commit releases a savepoint, the test's end
  rolls everything back.
- `committed_app`: a second app on a database of the test's own whose commits are real (queue workers
  read it through their own connections); the app's scoped session is bound to it during the test.
- `client`, `make_provider_org`, `make_company`, `make_user`, `login(client, user)`,
  `csrf_token(client, url)`, `post_form(client, url, data)`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from diagnosis.store import alembic_config
from diagnosis.store import db as store_db
from diagnosis.store.accounts import ProviderOrg, User, utcnow
from diagnosis.store.assignments import assign
from diagnosis.store.companies import Company
from tests.support import credit_code, csrf_from

ROOT = Path(__file__).resolve().parents[1]
TEST_PASSWORD = "correct horse battery"
#: A cheap hash of TEST_PASSWORD: scrypt per factory user would dominate the suite's run time.
TEST_PASSWORD_HASH = generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:1000")
_sequence = itertools.count(1)


def compile_catalogs() -> None:
    """Compile translations/*.po when the .mo is missing or older (what `make translations` does)."""
    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


@contextmanager
def private_postgres_schema(url: str, purpose: str = "") -> Iterator[str]:
    """A schema of this test run's own on the PostgreSQL test database (concurrent runs do not
    collide, and nothing outside it is touched); dropped at the end. Yields the URL that uses it."""
    schema = f"pytest_{os.getpid()}{purpose}"
    admin_engine = create_engine(url)
    with admin_engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin_engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin_engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """TEST_DATABASE_URL (PostgreSQL, in a private schema) or a temporary SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with private_postgres_schema(url) as schema_url:
        yield schema_url


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from app import create_app

    compile_catalogs()
    app = create_app(
        {
            "TESTING": True,
            "DIAGNOSIS_ENV": "development",
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "DIAGNOSIS_STORAGE": str(tmp_path_factory.mktemp("storage")),
        }
    )
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    yield app
    store_db.session.remove()
    engine.dispose()


def migrate(url: str) -> None:
    engine = store_db.make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    engine.dispose()


@pytest.fixture
def committed_url(tmp_path: Path) -> Iterator[str]:
    """A migrated database of this test's own: a SQLite file, or a private schema on TEST_DATABASE_URL."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        target = f"sqlite:///{tmp_path / 'committed.db'}"
        migrate(target)
        yield target
        return
    with private_postgres_schema(url, "_committed") as schema_url:
        migrate(schema_url)
        yield schema_url


@pytest.fixture
def committed_app(app: Any, committed_url: str, tmp_path: Path) -> Iterator[Any]:
    """An app on `committed_url` with its own storage and queue file; requests commit for real."""
    from app import create_app

    kept = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "RATELIMIT_STORAGE_URI")}
    other = create_app({**kept, "DATABASE_URL": committed_url, "REDIS_URL": None,
                        "DIAGNOSIS_STORAGE": str(tmp_path / "storage")})
    yield other
    store_db.session.remove()
    store_db.session.configure(bind=app.extensions["db_engine"])
    other.extensions["db_engine"].dispose()


@pytest.fixture
def db_connection(app: Any) -> Iterator[Any]:
    """The test's connection, inside a transaction rolled back at the end; the app's session uses it."""
    engine = app.extensions["db_engine"]
    connection = engine.connect()
    transaction = connection.begin()
    store_db.session.remove()
    store_db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    yield connection
    store_db.session.remove()
    store_db.session.configure(bind=engine, join_transaction_mode="conditional_savepoint")
    transaction.rollback()
    connection.close()


@pytest.fixture
def db_session(db_connection: Any) -> Iterator[Session]:
    session = Session(bind=db_connection, join_transaction_mode="create_savepoint")
    yield session
    store_db.session.remove()
    session.close()


@pytest.fixture
def client(app: Any, db_session: Session) -> Iterator[Any]:
    from diagnosis.web.extensions import limiter

    limiter.reset()
    yield app.test_client()
    limiter.reset()


@pytest.fixture
def make_provider_org(db_session: Session) -> Callable[..., ProviderOrg]:
    def make(name: str | None = None) -> ProviderOrg:
        org = ProviderOrg(name=name or f"服务商{next(_sequence)}")
        db_session.add(org)
        db_session.flush()
        return org

    return make


@pytest.fixture
def make_company(db_session: Session) -> Callable[..., Company]:
    def make(**fields: Any) -> Company:
        seq = next(_sequence)
        values: dict[str, Any] = {
            "name": f"测试企业{seq}",
            "credit_code": credit_code(seq),
            "industry_code": "2110",
            "park": "家居产业园",
            "above_designated_size": True,
            "employees": 120,
            "revenue_band": "20m_100m",
            "contact_name": "张经理",
            "contact_phone": "0564-1234567",
            # A company that registered itself (roster-only companies pass registered_at=None).
            "registered_at": utcnow(),
        }
        provider_org = fields.pop("provider_org", None)
        if provider_org is not None:
            values["provider_org_id"] = provider_org.id
        values.update(fields)
        company = Company(**values)
        db_session.add(company)
        db_session.flush()
        if company.provider_org_id is not None:
            assign(db_session, company, company.provider_org_id, None)
        return company

    return make


@pytest.fixture
def make_user(
    db_session: Session, make_company: Callable[..., Company], make_provider_org: Callable[..., ProviderOrg]
) -> Callable[..., User]:
    """make_user(role="company", company=None, provider_org=None, regions=(), **columns).

    A company user without a company gets a new one, a provider without an organisation a new one.
    Every factory user's password is TEST_PASSWORD."""

    def make(
        role: str = "company",
        company: Company | None = None,
        provider_org: ProviderOrg | None = None,
        regions: tuple[str, ...] | list[str] = (),
        **fields: Any,
    ) -> User:
        seq = next(_sequence)
        if role == "company" and company is None:
            company = make_company()
        if role == "provider" and provider_org is None:
            provider_org = make_provider_org()
        user = User(
            email=fields.pop("email", f"user{seq}@example.cn"),
            name=fields.pop("name", f"用户{seq}"),
            password_hash=TEST_PASSWORD_HASH,
            role=role,
            company_id=company.id if company is not None else None,
            provider_org_id=provider_org.id if provider_org is not None else None,
            regions=list(regions),
            active=fields.pop("active", True),
            **fields,
        )
        db_session.add(user)
        db_session.flush()
        return user

    return make


def _login(client: Any, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login() -> Callable[[Any, User], None]:
    """login(client, user): the client's next requests are made as `user` (no form round trip)."""
    return _login


@pytest.fixture
def csrf_token() -> Callable[..., str]:
    """csrf_token(client, url="/"): the token of the client's session, read from a rendered page."""

    def read(client: Any, url: str = "/") -> str:
        response = client.get(url, follow_redirects=True)
        return csrf_from(response.get_data(as_text=True))

    return read


@pytest.fixture
def post_form(csrf_token: Callable[..., str]) -> Callable[..., Any]:
    """post_form(client, url, data, page="/"): POST `data` with the CSRF token read from `page`."""

    def post(
        client: Any, url: str, data: dict[str, Any] | None = None, page: str | None = None, **kwargs: Any
    ):
        token = csrf_token(client, page or "/")
        return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    return post


DATABASE_FIXTURES = frozenset({"database_url", "committed_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that touch the database (a fixture they use needs one), so that the
    PostgreSQL re-run of `make test` takes exactly those (`-m database`)."""
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)
