"""Response headers: pages are never stored (Cache-Control: no-store), every response carries the
security headers, and so does a 500, even when the error page itself cannot be rendered — checked
under the production server (gunicorn) against the test database too."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from diagnosis.store import db as store_db
from diagnosis.store.accounts import User
from tests.conftest import TEST_PASSWORD, TEST_PASSWORD_HASH
from tests.support import csrf_from

ROOT = Path(__file__).resolve().parents[2]
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")
FAILING_ROUTE = "/_test/database-error"


def failing_app(**overrides: Any) -> Any:
    """The platform plus one route that fails in the database: a statement the database refuses,
    after which PostgreSQL refuses every other statement of the transaction until it is rolled
    back. The route does not touch the current user, so the error page is the first to load it.
    gunicorn builds it with `tests.web.test_headers:failing_app()` (settings from the environment)."""
    from app import create_app

    app = create_app(overrides or None)

    @app.get(FAILING_ROUTE)
    def database_error() -> str:
        store_db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    return app


def assert_security_headers(headers: Any) -> None:
    missing = [name for name in SECURITY_HEADERS if not headers.get(name)]
    assert not missing, f"missing {missing}"


def test_logged_in_pages_are_not_stored(client, make_user, login):
    user = make_user()
    login(client, user)
    for url in (f"/company/{user.company_id}", f"/company/{user.company_id}/edit", "/assessments/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("url", ["/login", "/register", "/", "/no-such-page"])
def test_public_pages_are_not_stored_either(client, url):
    """Each page carries the session's CSRF token (the language switch), the login and registration
    pages what was typed into them."""
    assert client.get(url).headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client, make_user, login):
    login(client, make_user())
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_an_error_page_has_the_security_headers(client):
    response = client.get("/company/2147483648")
    assert response.status_code in (302, 404)
    assert_security_headers(response.headers)


def test_when_the_error_page_itself_fails_a_fixed_page_is_sent_with_the_headers(tmp_path):
    """The database is unreachable: loading the signed-in user fails, and so does the error page
    (its navigation and language need that user). The fixed page is sent, with the headers."""
    app = failing_app(SECRET_KEY="k", DIAGNOSIS_STORAGE=str(tmp_path),
                      DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = User(id=1, session_generation=1).get_id()
    try:
        response = client.get("/")
    finally:
        store_db.session.remove()
    assert response.status_code == 500
    assert "服务器出错了" in response.get_data(as_text=True)
    assert_security_headers(response.headers)
    assert response.headers["Cache-Control"] == "no-store"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_official(url: str) -> tuple[str, str]:
    """An official committed to the database at `url`: (e-mail, name)."""
    engine = store_db.make_engine(url)
    with Session(engine) as session:
        session.add(User(email="official@example.cn", name="区局官员", password_hash=TEST_PASSWORD_HASH,
                         role="official", regions=["家居产业园"], active=True))
        session.commit()
    engine.dispose()
    return "official@example.cn", "区局官员"


class Browser:
    """urllib with cookies; an error status is returned like any other response."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, Any, str]:
        body = urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()


@pytest.fixture
def gunicorn(committed_url: str, tmp_path: Path) -> Any:
    """gunicorn (the production server) serving `failing_app` on the test's own database."""
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "DIAGNOSIS_ENV", "TEST_DATABASE_URL")}
    env.update(DATABASE_URL=committed_url, SECRET_KEY="gunicorn-test-key", DIAGNOSIS_STORAGE=str(tmp_path))
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "tests.web.test_headers:failing_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        wait_until_serving(browser, server, log_path)
        yield browser
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_serving(browser: Browser, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            browser.open("/login")
            return
        except OSError:
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
            time.sleep(0.2)


def test_after_a_database_error_gunicorn_sends_the_error_page_with_its_headers(committed_url, gunicorn):
    """Before: PostgreSQL refused the error page's query for the current user (the transaction was
    aborted), the error handler raised, and gunicorn answered a bare 500 without the headers."""
    email, name = add_official(committed_url)
    status, _headers, page = gunicorn.open("/login")
    status, _headers, page = gunicorn.open("/login", {"email": email, "password": TEST_PASSWORD,
                                                      "csrf_token": csrf_from(page)})
    assert status == 200 and 'action="/logout"' in page, "the login did not succeed"
    status, headers, page = gunicorn.open(FAILING_ROUTE)
    assert status == 500
    assert "服务器出错了" in page and name in page, "not the platform's error page for the user"
    assert_security_headers(headers)
    assert headers["Cache-Control"] == "no-store"
