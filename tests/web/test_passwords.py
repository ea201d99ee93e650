"""New passwords: common ones and ones made of the user's own data are refused, with a field message,
at registration, admin account creation and password change; registration does not say whether an
e-mail has an account."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnosis.store.accounts import User
from diagnosis.store.companies import Company
from tests.conftest import TEST_PASSWORD
from tests.support import credit_code
from tests.web.test_company_registration import valid_form

COMMON = ["aaaaaaaaaa", "password12", "1234567890", "qwertyuiop", "woaini1314"]
COMMON_MESSAGE = "密码太常见或太容易猜到"
PERSONAL_MESSAGE = "密码不能包含您的邮箱用户名、姓名或企业名称"


def counts(db_session):
    return (db_session.scalar(select(func.count()).select_from(Company)),
            db_session.scalar(select(func.count()).select_from(User)))


def register(client, post_form, **changes):
    return post_form(client, "/register", valid_form(**changes), page="/register")


@pytest.mark.parametrize("password", COMMON)
def test_registration_refuses_a_common_password(client, post_form, db_session, password):
    page = register(client, post_form, password=password, confirm=password).get_data(as_text=True)
    assert COMMON_MESSAGE in page
    assert counts(db_session) == (0, 0)


@pytest.mark.parametrize(
    ("changes", "password"),
    [
        ({"email": "furniture.boss@example.cn"}, "Furniture.Boss 2026!"),
        ({"email": "li.qiang@example.cn"}, "qiang family lantern"),
        ({"contact_name": "Zhang Wei"}, "zhang wei is here 77"),
        ({"name": "Lantern家居有限公司"}, "my lantern家居有限公司 7"),
    ],
)
def test_registration_refuses_a_password_made_of_the_users_data(client, post_form, db_session, changes,
                                                                password):
    page = register(client, post_form, **changes, password=password, confirm=password).get_data(as_text=True)
    assert PERSONAL_MESSAGE in page
    assert counts(db_session) == (0, 0)


def test_registration_does_not_say_that_an_email_has_an_account(client, post_form, make_user, db_session):
    user = make_user(role="official")
    before = counts(db_session)
    page = register(client, post_form, email=user.email.upper()).get_data(as_text=True)
    assert "该邮箱已注册" not in page and "该企业或邮箱可能已有账号" in page
    assert counts(db_session) == before
    other = register(client, post_form, credit_code=credit_code(900777), email="fresh@example.cn")
    assert other.status_code == 302


def test_a_good_password_is_accepted_at_registration(client, post_form, db_session):
    assert register(client, post_form).status_code == 302


@pytest.fixture
def admin_client(client, make_user, login):
    login(client, make_user(role="admin"))
    return client


@pytest.mark.parametrize(
    ("password", "message"),
    [("password12", COMMON_MESSAGE), ("aaaaaaaaaa", COMMON_MESSAGE), ("chen.kezhang 2026", PERSONAL_MESSAGE),
     ("Sanyuan Chen 2026!", PERSONAL_MESSAGE)],
)
def test_admin_created_accounts_follow_the_rules(admin_client, post_form, db_session, password, message):
    before = counts(db_session)
    data = {"email": "chen.kezhang@gov.cn", "name": "Sanyuan Chen", "password": password}
    page = post_form(admin_client, "/admin/users/new/official", data).get_data(as_text=True)
    assert message in page
    assert counts(db_session) == before


def change(client, post_form, new):
    data = {"current_password": TEST_PASSWORD, "password": new, "confirm": new}
    return post_form(client, "/account/password", data, page="/account/password")


@pytest.mark.parametrize(
    ("password", "message"),
    [("password12", COMMON_MESSAGE), ("wangfang-2026-pass", PERSONAL_MESSAGE),
     ("HONGQI machinery 1", PERSONAL_MESSAGE), ("hongqi机械 winter", PERSONAL_MESSAGE)],
)
def test_a_password_change_follows_the_rules(client, login, make_user, make_company, post_form, db_session,
                                             password, message):
    company = make_company(name="hongqi机械")
    user = make_user(role="company", company=company, email="wangfang@example.cn", name="hongqi machinery")
    login(client, user)
    assert message in change(client, post_form, password).get_data(as_text=True)
    db_session.refresh(user)
    assert user.check_password(TEST_PASSWORD)
