"""The header: each role's entries, and the API-token page reachable from every signed-in page."""

from __future__ import annotations

import pytest
from flask import url_for

from diagnosis.web.navigation import NAV_ITEMS


@pytest.mark.parametrize("role", ["company", "provider", "official", "admin"])
def test_every_role_sees_its_entries_and_the_token_page(client, login, make_user, make_company, role):
    company = make_company() if role == "company" else None
    login(client, make_user(role=role, company=company))
    page = client.get("/account/tokens").get_data(as_text=True)
    assert 'href="/account/tokens"' in page
    for item in NAV_ITEMS:
        assert (f'href="{_path(client, item.endpoint)}"' in page) == (role in item.roles), item.endpoint


def test_the_anonymous_header_has_no_token_link(client):
    assert 'href="/account/tokens"' not in client.get("/login").get_data(as_text=True)


def _path(client, endpoint: str) -> str:
    with client.application.test_request_context():
        return url_for(endpoint)
