"""End-to-end fixtures: the app served by a live server thread on a free port over a migrated temporary
SQLite database, driven by Debian's Chromium through pytest-playwright.

Run alone with `.venv/bin/pytest -m e2e tests/e2e`; screenshots land in test-artifacts/e2e/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from werkzeug.serving import make_server

from diagnosis.store import alembic_config
from diagnosis.store import db as store_db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium binary (Playwright cannot download its own here) with quiet flags."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The platform on its own migrated SQLite file and storage (its report queue included).

    The app factory binds the shared scoped session to the new database, in SQLAlchemy's default
    transaction mode (other fixtures may have left a test-only mode); the previous settings are
    restored afterwards so the rest of the suite keeps its own database.
    """
    from app import create_app

    settings = store_db.session.session_factory.kw
    previous = {key: settings.get(key) for key in ("bind", "join_transaction_mode")}
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    command.upgrade(alembic_config(database_url=database_url), "head")
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "e2e-secret-key",
                      "DIAGNOSIS_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://",
                      "DIAGNOSIS_STORAGE": str(tmp_path_factory.mktemp("e2e-storage"))})
    store_db.session.configure(join_transaction_mode="conditional_savepoint")
    yield app
    store_db.session.remove()
    app.extensions["db_engine"].dispose()
    store_db.session.configure(**{key: value for key, value in previous.items() if value is not None})


@pytest.fixture(scope="module")
def live_server(live_app: Any) -> Iterator[str]:
    """``live_app`` at http://127.0.0.1:<free port>, served by a thread of the test."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: pytest-base-url's own fixture warns under pytest 9, and the live server lives
    only for its module. Pages use absolute addresses (``url``)."""
    return None


@pytest.fixture
def url(live_server: str) -> Any:
    """url(path): the live server's address of ``path`` (the server lives only for its module, so
    the rest of the suite gets the shared session back)."""
    return lambda path: live_server + path


@pytest.fixture
def shoot(page) -> Any:
    """shoot(name): a full-page screenshot of the current page as test-artifacts/e2e/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def signed_in_page(browser: Any, url: Any, email: str, viewport: Any) -> Any:
    """A new page of ``browser`` at ``viewport`` (width, height) with ``email`` logged in with the tests'
    password, for a test that drives several people at once (the ``page`` fixture is one person). The
    browser asks for Chinese (Accept-Language, navigator.language), as the district's users' do."""
    from tests.conftest import TEST_PASSWORD

    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(url("/login"))
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    return page


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot of ``page`` as test-artifacts/e2e/<name>.png (``shoot`` takes the
    ``page`` fixture's page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
