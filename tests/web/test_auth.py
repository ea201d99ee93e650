"""Login, logout and the messages that must not reveal whether an account exists (limits:
test_login_limits.py; sessions ending: test_sessions.py)."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD


def test_login_with_correct_password_reaches_the_role_home(client, make_user, post_form):
    user = make_user(role="official")
    response = post_form(client, "/login", {"email": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert user.name in home.get_data(as_text=True)


def test_wrong_password_and_unknown_account_get_the_same_message(client, make_user, post_form):
    user = make_user(role="official")
    wrong = post_form(client, "/login", {"email": user.email, "password": "not the password"})
    unknown = post_form(client, "/login", {"email": "nobody@example.cn", "password": "not the password"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "账号或密码不正确" in response.get_data(as_text=True)
    assert client.get("/company").status_code == 302


def test_deactivated_account_is_told_so_only_with_the_right_password(client, make_user, post_form):
    user = make_user(role="official", active=False)
    wrong = post_form(client, "/login", {"email": user.email, "password": "not the password"})
    assert "账号或密码不正确" in wrong.get_data(as_text=True) and "停用" not in wrong.get_data(as_text=True)
    right = post_form(client, "/login", {"email": user.email, "password": TEST_PASSWORD})
    assert right.status_code == 200 and "该账号已停用" in right.get_data(as_text=True)
    assert client.get("/company/1").status_code == 302


def test_deactivation_ends_an_open_session(client, make_user, login, db_session):
    user = make_user(role="official")
    login(client, user)
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and user.name in home.get_data(as_text=True)
    user.active = False
    db_session.flush()
    assert user.name not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_missing_fields_are_explained(client, post_form):
    page = post_form(client, "/login", {"email": "", "password": ""}).get_data(as_text=True)
    assert "请输入邮箱" in page and "请输入密码" in page


def test_login_without_csrf_token_is_rejected(client, make_user):
    user = make_user(role="official")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/company/1").status_code == 302


def test_next_parameter_stays_on_this_site(client, make_user, post_form):
    user = make_user(role="official")
    data = {"email": user.email, "password": TEST_PASSWORD}
    response = post_form(client, "/login?next=//evil.example/x", data)
    assert response.headers["Location"] == "/"


def test_next_parameter_returns_to_the_page_asked_for(client, make_user, post_form):
    user = make_user(role="official")
    data = {"email": user.email, "password": TEST_PASSWORD}
    response = post_form(client, "/login?next=/admin/users", data)
    assert response.headers["Location"] == "/admin/users"


def test_logout_needs_a_post_with_csrf_token(client, make_user, login, csrf_token):
    user = make_user(role="official")
    login(client, user)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": csrf_token(client)}).status_code == 302
    assert user.name not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_session_cookie_is_http_only_and_same_site(client, make_user, post_form):
    user = make_user(role="official")
    response = post_form(client, "/login", {"email": user.email, "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_carry_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def _nav(page: str) -> str:
    return page[page.index('<nav class="site-nav"') : page.index("</nav>")]


def test_navigation_follows_the_role(client, make_user, login):
    assert "企业注册" in _nav(client.get("/").get_data(as_text=True))
    company_user = make_user(role="company")
    login(client, company_user)
    nav = _nav(client.get(f"/company/{company_user.company_id}").get_data(as_text=True))
    assert "企业信息" in nav and 'aria-current="page"' in nav and "用户" not in nav
    login(client, make_user(role="admin"))
    nav = _nav(client.get("/admin/users").get_data(as_text=True))
    assert "用户" in nav and "服务商" in nav and "企业信息" not in nav


def test_officials_find_report_batches_in_the_navigation(client, make_user, login):
    login(client, make_user(role="official"))
    nav = _nav(client.get("/reports/batches").get_data(as_text=True))
    assert 'href="/reports/batches"' in nav and "批量报告" in nav and 'aria-current="page"' in nav
