"""Admin pages: provider organisations, provider and official accounts, (de)activation; the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnosis.store.accounts import ProviderOrg, User


@pytest.fixture
def admin_client(client, make_user, login):
    login(client, make_user(role="admin"))
    return client


def user_count(db_session):
    return db_session.scalar(select(func.count()).select_from(User))


def test_create_provider_org_then_list_it(admin_client, post_form, db_session):
    response = post_form(admin_client, "/admin/provider-orgs", {"name": " 合肥数智服务有限公司 "})
    assert response.status_code == 302
    assert db_session.scalar(select(ProviderOrg).where(ProviderOrg.name == "合肥数智服务有限公司"))
    page = admin_client.get("/admin/provider-orgs").get_data(as_text=True)
    assert "合肥数智服务有限公司" in page and "已添加" in page


def test_duplicate_provider_org_is_refused(admin_client, post_form, make_provider_org, db_session):
    org = make_provider_org()
    page = post_form(admin_client, "/admin/provider-orgs", {"name": org.name}).get_data(as_text=True)
    assert "已有同名服务商" in page
    assert db_session.scalar(select(func.count()).select_from(ProviderOrg)) == 1


def test_create_provider_user_in_an_org(admin_client, post_form, make_provider_org, db_session):
    org = make_provider_org()
    data = {
        "email": "Wang@Provider.cn",
        "name": "王工",
        "password": "provider password",
        "provider_org_id": org.id,
    }
    assert post_form(admin_client, "/admin/users/new/provider", data).status_code == 302
    user = db_session.scalar(select(User).where(User.email == "wang@provider.cn"))
    assert (user.role, user.provider_org_id, user.name) == ("provider", org.id, "王工")
    assert user.check_password("provider password")


def test_provider_user_needs_an_org(admin_client, post_form, db_session):
    before = user_count(db_session)
    data = {"email": "a@provider.cn", "name": "王工", "password": "provider password", "provider_org_id": "0"}
    page = post_form(admin_client, "/admin/users/new/provider", data).get_data(as_text=True)
    assert "请选择所属服务商" in page
    assert user_count(db_session) == before


def test_create_official_with_regions(admin_client, post_form, db_session):
    data = {
        "email": "chen@gov.cn",
        "name": "陈科长",
        "password": "official password",
        "regions": ["家居产业园", "三元镇"],
    }
    assert post_form(admin_client, "/admin/users/new/official", data).status_code == 302
    user = db_session.scalar(select(User).where(User.email == "chen@gov.cn"))
    assert user.role == "official" and user.regions == ["家居产业园", "三元镇"]


def test_official_without_regions_covers_the_district(admin_client, post_form, db_session):
    data = {"email": "zhou@gov.cn", "name": "周主任", "password": "official password"}
    assert post_form(admin_client, "/admin/users/new/official", data).status_code == 302
    assert db_session.scalar(select(User.regions).where(User.email == "zhou@gov.cn")) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"regions": ["月球基地"]}, "月球基地"),
        ({"email": "not an email"}, "邮箱格式不正确"),
        ({"password": "short"}, "密码至少 10 位"),
        ({"name": ""}, "请填写姓名"),
    ],
)
def test_bad_official_input_is_refused(admin_client, post_form, db_session, changes, message):
    before = user_count(db_session)
    data = {"email": "x@gov.cn", "name": "某人", "password": "official password", **changes}
    page = post_form(admin_client, "/admin/users/new/official", data).get_data(as_text=True)
    assert message in page
    assert user_count(db_session) == before


def test_existing_email_is_refused(admin_client, post_form, make_user, db_session):
    existing = make_user(role="company")
    before = user_count(db_session)
    data = {"email": existing.email.upper(), "name": "某人", "password": "official password"}
    page = post_form(admin_client, "/admin/users/new/official", data).get_data(as_text=True)
    assert "该邮箱已有账号" in page
    assert user_count(db_session) == before


def test_deactivate_and_reactivate(admin_client, post_form, make_user, db_session):
    user = make_user(role="provider")
    post_form(admin_client, f"/admin/users/{user.id}/deactivate")
    db_session.refresh(user)
    assert user.active is False
    assert "已停用" in admin_client.get("/admin/users").get_data(as_text=True)
    post_form(admin_client, f"/admin/users/{user.id}/activate")
    db_session.refresh(user)
    assert user.active is True


def test_deactivation_asks_first(admin_client, post_form, make_user, db_session):
    user = make_user(role="provider")
    listing = admin_client.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{user.id}/deactivate"' in listing
    page = admin_client.get(f"/admin/users/{user.id}/deactivate").get_data(as_text=True)
    assert user.email in page and "确定停用" in page and 'name="csrf_token"' in page
    db_session.refresh(user)
    assert user.active is True
    assert admin_client.post(f"/admin/users/{user.id}/deactivate").status_code == 400
    db_session.refresh(user)
    assert user.active is True
    assert post_form(admin_client, f"/admin/users/{user.id}/deactivate").status_code == 302
    db_session.refresh(user)
    assert user.active is False


def test_an_email_longer_than_254_characters_is_a_field_error(admin_client, post_form, db_session):
    before = user_count(db_session)
    data = {"email": "a" * 250 + "@gov.cn", "name": "某人", "password": "official password"}
    response = post_form(admin_client, "/admin/users/new/official", data)
    assert response.status_code == 200 and "邮箱最长 254 个字符" in response.get_data(as_text=True)
    assert user_count(db_session) == before


def test_admin_cannot_deactivate_themselves(client, make_user, login, post_form, db_session):
    admin = make_user(role="admin")
    login(client, admin)
    response = post_form(client, f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "不能停用自己的账号" in response.get_data(as_text=True)
    asked = client.get(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "不能停用自己的账号" in asked.get_data(as_text=True)
    db_session.refresh(admin)
    assert admin.active is True


def test_deactivating_an_unknown_user_is_404(admin_client, post_form):
    assert post_form(admin_client, "/admin/users/999999/deactivate").status_code == 404
    assert admin_client.get("/admin/users/999999/deactivate").status_code == 404


def test_create_admin_command(app, db_session):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", "Root@Example.cn", "--password", "a strong admin password"]
    )
    assert result.exit_code == 0, result.output
    user = db_session.scalar(select(User).where(User.email == "root@example.cn"))
    assert user.role == "admin" and user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("root@example.cn", "short", "at least 10 characters"),
        ("no-at-sign", "a strong admin password", "e-mail"),
        ("root@example.cn", "password12", "密码太常见"),
        ("root@example.cn", "root-of-example-2026", "不能包含您的邮箱用户名"),
    ],
)
def test_create_admin_command_refuses_bad_input(app, db_session, email, password, message):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", email, "--password", password]
    )
    assert result.exit_code != 0 and message in result.output
    assert user_count(db_session) == 0


def test_create_admin_command_refuses_a_taken_email(app, make_user, db_session):
    existing = make_user(role="official")
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", existing.email, "--password", "a strong admin password"]
    )
    assert result.exit_code != 0 and "already has an account" in result.output
