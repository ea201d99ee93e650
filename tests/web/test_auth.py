"""Login, logout, rate limits and the messages that must not reveal whether an account exists."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD


def test_login_with_correct_password_reaches_the_role_home(client, make_user, post_form):
    user = make_user(role="official")
    response = post_form(client, "/login", {"email": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert user.name in home.get_data(as_text=True)


def test_wrong_password_and_unknown_account_get_the_same_message(client, make_user, post_form):
    user = make_user(role="official")
    wrong = post_form(client, "/login", {"email": user.email, "password": "not the password"})
    unknown = post_form(client, "/login", {"email": "nobody@example.cn", "password": "not the password"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "账号或密码不正确" in response.get_data(as_text=True)
    assert client.get("/company").status_code == 302
