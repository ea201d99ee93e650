"""Sessions that end: logout, a password change and deactivation end every session of the user
(captured session cookies and remember-me cookies too); logins expire on the server; the CSRF token
of before the login is useless after it."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.conftest import TEST_PASSWORD
from tests.support import csrf_from

NEW_PASSWORD = "Quartz lantern meadow 42"


def form_login(client, post_form, user, remember=False):
    data = {"email": user.email, "password": TEST_PASSWORD, **({"remember": "y"} if remember else {})}
    response = post_form(client, "/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def signed_in_as(client, user) -> bool:
    """The header names the user on a light page (the official's home is the dashboard, too slow
    for the one-second cookie below on a loaded machine)."""
    return user.name in client.get("/account/password").get_data(as_text=True)


def with_cookie(app, name, value):
    """A new browser holding just this cookie value (as someone who copied it would)."""
    browser = app.test_client()
    browser.set_cookie(name, value)
    return browser


def cookie(client, name):
    found = client.get_cookie(name)
    assert found is not None, name
    return found.value


def test_a_session_cookie_captured_before_logout_is_refused_after_it(app, client, make_user, post_form,
                                                                     csrf_token):
    user = make_user(role="official")
    form_login(client, post_form, user)
    captured = cookie(client, "session")
    assert signed_in_as(with_cookie(app, "session", captured), user)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert not signed_in_as(with_cookie(app, "session", captured), user)


def test_logout_ends_the_users_sessions_in_other_browsers(app, client, make_user, post_form, csrf_token):
    user = make_user(role="official")
    other_browser = app.test_client()
    form_login(client, post_form, user)
    form_login(other_browser, post_form, user)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert not signed_in_as(other_browser, user)


def test_a_remember_me_cookie_stops_working_after_logout(app, client, make_user, post_form, csrf_token):
    user = make_user(role="official")
    form_login(client, post_form, user, remember=True)
    remembered = cookie(client, "remember_token")
    assert signed_in_as(with_cookie(app, "remember_token", remembered), user)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert not signed_in_as(with_cookie(app, "remember_token", remembered), user)


def test_a_remember_me_cookie_expires_on_the_server(app, client, make_user, post_form, monkeypatch):
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_DURATION", timedelta(seconds=1))
    user = make_user(role="official")
    form_login(client, post_form, user, remember=True)
    remembered, session = cookie(client, "remember_token"), cookie(client, "session")
    assert signed_in_as(with_cookie(app, "remember_token", remembered), user)
    time.sleep(2.1)
    assert not signed_in_as(with_cookie(app, "remember_token", remembered), user)
    assert not signed_in_as(with_cookie(app, "session", session), user)


def test_deactivation_ends_sessions_for_good(app, client, make_user, login, post_form):
    user = make_user(role="provider")
    browser = app.test_client()
    form_login(browser, post_form, user, remember=True)
    remembered = cookie(browser, "remember_token")
    login(client, make_user(role="admin"))
    post_form(client, f"/admin/users/{user.id}/deactivate", page="/admin/users")
    assert not signed_in_as(browser, user)
    post_form(client, f"/admin/users/{user.id}/activate", page="/admin/users")
    assert not signed_in_as(browser, user)
    assert not signed_in_as(with_cookie(app, "remember_token", remembered), user)


def change_password(client, post_form, current=TEST_PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return post_form(client, "/account/password", data, page="/account/password")


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, make_user, post_form,
                                                                      db_session):
    user = make_user(role="official")
    other_browser = app.test_client()
    form_login(client, post_form, user)
    form_login(other_browser, post_form, user)
    response = change_password(client, post_form)
    assert response.status_code == 302
    assert "其他设备上的登录已全部退出" in client.get("/", follow_redirects=True).get_data(as_text=True)
    assert signed_in_as(client, user) and not signed_in_as(other_browser, user)
    db_session.refresh(user)
    assert user.check_password(NEW_PASSWORD) and not user.check_password(TEST_PASSWORD)


def test_a_password_change_needs_the_current_password(client, make_user, login, post_form, db_session):
    user = make_user(role="company")
    login(client, user)
    page = change_password(client, post_form, current="not my password").get_data(as_text=True)
    assert "当前密码不正确" in page
    mismatch = change_password(client, post_form, confirm="Another lantern 99").get_data(as_text=True)
    assert "两次输入的密码不一致" in mismatch
    db_session.refresh(user)
    assert user.check_password(TEST_PASSWORD)


def test_the_password_page_is_for_logged_in_users(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_csrf_token_of_before_the_login_is_refused_after_it(client, make_user, post_form):
    user = make_user(role="official")
    before = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": before})
    assert signed_in_as(client, user)
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert signed_in_as(client, user)


def test_the_language_chosen_before_the_login_stays(client, make_user, post_form):
    user = make_user(role="official")
    post_form(client, "/language", {"locale": "en", "next": "/"})
    form_login(client, post_form, user)
    assert 'lang="en"' in client.get("/", follow_redirects=True).get_data(as_text=True)
