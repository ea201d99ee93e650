"""Every route in the app's URL map, as every role, with hostile input: no request reaches a 500.

The routes are read from `app.url_map` when the test runs, so a route added tomorrow is walked too.
For each role the walk

1. GETs every route with real ids of a small world (a company, its users, a draft and a submitted
   assessment) and gathers the field and query names its pages use (forms, htmx attributes, links);
2. sends every route hostile path segments: ids too large for the database (2^31, 2^63, 2^64),
   digits that are not ASCII (`²`, `１２`), NUL, CR/LF, over-long and path-like segments;
3. sends every route every gathered name at once with one hostile value: NUL, CR/LF, control
   characters, `²`, huge and over-long numbers, over-long text, blanks, a repeated field (a list
   where one value is expected) and a file where text is expected. POSTs carry the session's CSRF
   token, so they reach the view; POSTs go as a form, as a JSON body, and as htmx sends them where
   the pages use htmx;
4. fills every form of those pages as a user would (its own values, else a plausible value for the
   input's type) and sends it, then sends it again with one field at a time hostile.

Rate limits are reset before each request, and the user is signed in again, so every request reaches
its view. A failure names the request (role, method, URL, the hostile value) and the exception.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from diagnosis.store.batches import ReportBatch
from tests.web.assess_helpers import access_world, instrument
from tests.web.hostile_walk import ROLES, Walk


@pytest.fixture
def world(make_user, make_company, make_provider_org, db_session, tmp_path
          ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A company with a provider and an official, a user of each role, a draft and a submitted
    assessment, a report batch of the official's; and the real values of the URL arguments."""
    provider_org = make_provider_org()
    company = make_company(park="家居产业园", provider_org=provider_org)
    users = {
        "anonymous": None,
        "company": make_user(role="company", company=company),
        "provider": make_user(role="provider", provider_org=provider_org),
        "official": make_user(role="official", regions=["家居产业园"]),
        "admin": make_user(role="admin"),
    }
    #: The user the admin's probes activate and deactivate (never one of the walkers).
    target = make_user(role="provider", provider_org=provider_org)
    batch = ReportBatch(token="0123456789abcdef01234567", requested_by_id=users["official"].id, lang="zh_CN",
                        filter={}, directory=str(tmp_path / "batch"))
    db_session.add(batch)
    db_session.flush()
    assessments = access_world(company)
    active = instrument()
    valid = {
        "company_id": [str(company.id)],
        "user_id": [str(target.id)],
        "assessment_id": [str(assessments["draft_id"]), str(assessments["submitted_id"])],
        "section_id": [active.sections[0].id],
        "question_id": ["equip_total"],
        "role": ["provider", "official"],
        "batch_id": [batch.token],
        "filename": ["css/app.css"],
    }
    return users, valid


@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_request_reaches_a_500(app, client, world, login, role):
    users, valid = world
    failures = Walk(app, client, users[role], valid, login).run()
    for failure in failures:
        print(failure)
    assert not failures, f"{len(failures)} request(s) reached a 500:\n" + "\n".join(failures)


# The rules the walk holds every route to, one by one.


@pytest.mark.parametrize("url", ["/company/2147483648", "/company/9223372036854775808",
                                 "/company/18446744073709551616", "/company/%C2%B2", "/company/%EF%BC%91"])
def test_an_id_the_database_cannot_hold_is_not_found(client, make_user, login, url):
    login(client, make_user(role="admin"))
    assert client.get(url).status_code == 404


def test_the_largest_id_the_database_holds_is_looked_up(client, make_user, login):
    login(client, make_user(role="admin"))
    assert client.get("/company/2147483647").status_code == 404
    assert client.get(f"/company/{make_user().company_id}").status_code == 200


@pytest.mark.parametrize("target", ["/\r\nX", "/\\evil.example", "/\t/evil.example", "//evil.example",
                                    "https://evil.example/", "/\x00"])
def test_a_language_switch_never_redirects_off_site_or_breaks_the_header(client, csrf_token, target):
    data = {"locale": "en", "next": target, "csrf_token": csrf_token(client)}
    response = client.post("/language", data=data)
    assert response.status_code in (302, 400)
    assert response.headers.get("Location", "/") == "/"


def test_a_language_switch_returns_to_a_local_page(client, csrf_token):
    response = client.post("/language", data={"locale": "en", "next": "/register?x=1",
                                              "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/register?x=1"


def test_a_login_with_a_newline_in_next_lands_on_the_home_page(client, make_user, csrf_token):
    from tests.conftest import TEST_PASSWORD

    user = make_user(role="official", regions=["家居产业园"])
    data = {"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(client, "/login")}
    response = client.post("/login?next=/%0d%0aX", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize(("url", "data"), [
    ("/login", {"email": "a\x00@example.cn", "password": "x" * 12}),
    ("/login?next=/\x00", {"email": "a@example.cn", "password": "x" * 12}),
    ("/register", {"name\x00": "x"}),
])
def test_a_nul_character_anywhere_in_a_request_is_refused_with_a_message(client, csrf_token, url, data):
    response = client.post(url, data={**data, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 400
    assert "空字符 NUL" in response.get_data(as_text=True)


def test_a_nul_character_in_a_url_or_a_json_body_is_refused(client, make_user, login, csrf_token):
    login(client, make_user(role="official", regions=["家居产业园"]))
    token = csrf_token(client)
    for response in (client.get("/reports/batches/%00"), client.get("/?q=%00"),
                     client.post("/language", json={"next": "\x00"}, headers={"X-CSRFToken": token})):
        assert response.status_code == 400
        assert "空字符 NUL" in response.get_data(as_text=True)


def test_a_deeply_nested_json_body_is_no_500(client, csrf_token):
    token = csrf_token(client)
    response = client.post("/language", data="[" * 100_000 + "]" * 100_000,
                           headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert response.status_code < 500


def test_a_file_where_text_is_expected_is_refused(client, make_user, login, csrf_token):
    user = make_user()
    login(client, user)
    token = csrf_token(client, f"/company/{user.company_id}")
    data = {"name": (io.BytesIO(b"x"), "name.txt"), "csrf_token": token}
    response = client.post(f"/company/{user.company_id}/edit", data=data)
    assert response.status_code == 400
