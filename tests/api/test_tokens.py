"""Tokens: made on the account page (CSRF, shown once, stored as a hash), listed, revoked; a revoked,
expired or deactivated user's token is refused with 401 JSON; a session cookie never authenticates
the API."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from diagnosis.store.tokens import ApiToken, create_token
from tests.api.conftest import call

TOKEN = re.compile(r'<code class="token-value">(zgs_[A-Za-z0-9_-]+)</code>')


def _create(client, post_form, name="省平台月报", days="90"):
    return post_form(client, "/account/tokens", {"name": name, "days": days}, page="/account/tokens")


def test_a_user_creates_a_token_shown_once_and_stored_hashed(client, login, post_form, make_user, db_session):
    user = make_user(role="official")
    login(client, user)
    response = _create(client, post_form)
    assert response.status_code == 200
    value = TOKEN.search(response.get_data(as_text=True)).group(1)
    row = db_session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert row.token_hash == hashlib.sha256(value.encode()).hexdigest()
    assert value not in {row.name, row.hint, row.token_hash}
    expires = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC)
    assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "省平台月报" in listing and value not in listing and row.hint in listing
    assert call(client, "GET", "/api/v1/targets", value).status_code == 200


def test_the_form_needs_csrf_and_a_name(client, login, post_form, make_user, db_session):
    user = make_user(role="company")
    login(client, user)
    assert client.post("/account/tokens", data={"name": "x", "days": "30"}).status_code == 400
    assert _create(client, post_form, name="  ").status_code == 422
    assert _create(client, post_form, days="7").status_code == 422
    assert db_session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []


def test_revoked_tokens_are_refused_and_only_the_owner_revokes(
    client, login, post_form, make_user, db_session
):
    owner, stranger = make_user(role="company"), make_user(role="company")
    token, value = create_token(db_session, owner, "脚本", 30)
    assert call(client, "GET", "/api/v1/companies", value).status_code == 200
    login(client, stranger)
    assert post_form(client, f"/account/tokens/{token.id}/revoke", page="/account/tokens").status_code == 404
    assert call(client, "GET", "/api/v1/companies", value).status_code == 200
    login(client, owner)
    assert post_form(client, f"/account/tokens/{token.id}/revoke", page="/account/tokens").status_code == 303
    response = call(client, "GET", "/api/v1/companies", value)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["errors"][0]["field"] == "header.Authorization"


def test_expired_tokens_and_deactivated_users_are_refused(client, make_user, db_session):
    user = make_user(role="company")
    expired, old = create_token(db_session, user, "旧", 30)
    expired.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    _, fresh = create_token(db_session, user, "新", 30)
    db_session.flush()
    assert call(client, "GET", "/api/v1/companies", old).status_code == 401
    assert call(client, "GET", "/api/v1/companies", fresh).status_code == 200
    user.active = False
    db_session.flush()
    assert call(client, "GET", "/api/v1/companies", fresh).status_code == 401


def test_missing_or_malformed_authorization_is_401(client, make_user, db_session):
    _, value = create_token(db_session, make_user(role="admin"), "x", 30)
    for headers in (
        {},
        {"Authorization": value},
        {"Authorization": "Basic " + value},
        {"Authorization": "Bearer " + value + "x"},
        {"Authorization": "Bearer "},
    ):
        response = client.get("/api/v1/companies", headers=headers)
        assert response.status_code == 401, headers
        assert response.is_json


def test_a_logged_in_session_does_not_open_the_api(client, login, make_user):
    login(client, make_user(role="admin"))
    assert client.get("/api/v1/companies").status_code == 401


def test_the_day_of_last_use_is_recorded(client, make_user, db_session):
    token, value = create_token(db_session, make_user(role="company"), "x", 30)
    assert token.last_used_at is None
    assert call(client, "GET", "/api/v1/companies", value).status_code == 200
    db_session.refresh(token)
    assert token.last_used_at is not None
