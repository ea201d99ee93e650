"""立项: a company or its provider turns a recommendation into a project; every bad input is a message
at its field and saves nothing; who sees which projects. The other project tests import the world and
the helpers from here."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.store.assessments import latest_snapshot
from diagnosis.store.projects import Project, add_project
from tests.web.review_helpers import build_review_world


@dataclass
class World:
    company: Any
    assessment: Any
    org: Any
    users: dict[str, Any]
    assessment_result: dict[str, Any]


@pytest.fixture
def world(db_session, make_user, make_company) -> World:
    return build_world(db_session, make_user, make_company)


def build_world(db_session, make_user, make_company) -> World:
    """A company (家居产业园) assigned to a provider organisation, with a submitted assessment whose
    result recommends robots among others; its users, the provider's, officials in and out of its
    park, an admin, and another company's user."""
    built = build_review_world(db_session)
    other = make_company(park="化工园区")
    users = {
        "company": built.company_user,
        "lead": built.lead,
        "diagnostician": built.diagnostician,
        "provider_other": make_user(role="provider"),
        "company_other": make_user(role="company", company=other),
        "official": make_user(role="official", regions=["家居产业园"]),
        "official_district": make_user(role="official"),
        "official_other": make_user(role="official", regions=["化工园区"]),
        "admin": make_user(role="admin"),
    }
    snapshot = latest_snapshot(db_session, built.assessment.id)
    assert snapshot is not None
    return World(built.company, built.assessment, built.org, users, snapshot.result)


def project_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "cloud",
        "name": "ERP 上云",
        "provider_org_id": None,
        "planned_investment": Decimal("35.50"),
        "quantity": None,
        "start_on": date(2026, 1, 5),
        "planned_finish_on": date(2026, 9, 30),
    }
    fields.update(overrides)
    return fields


def make_project(db_session, company, user=None, **overrides: Any) -> Project:
    return add_project(
        db_session, company.id, user.id if user is not None else None, **project_fields(**overrides)
    )


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "robot",
        "name": "板材上下料机器人",
        "provider_org_id": "0",
        "planned_investment": "120.5",
        "quantity": "4",
        "start_on": "2026-02-01",
        "planned_finish_on": "2026-08-31",
    }
    data.update(overrides)
    return data


def multipart(client, csrf_token, url: str, fields: dict[str, str], uploads=(), page: str = "/"):
    """A form with files as a browser posts it (encoded in memory)."""
    data = MultiDict({"csrf_token": csrf_token(client, page), **fields})
    for content, name in uploads:
        data.add("files", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def field_errors(html: str, field_id: str) -> str:
    """The text of the error list beside one field ('' when there is none)."""
    found = re.search(rf'<ul class="field-errors" id="{field_id}-errors">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def recommendations(world) -> list[dict[str, Any]]:
    """The recommendations of the world's result, as the engine made them."""
    return world.assessment_result["recommendations"]


def project_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Project)) or 0


def new_url(company) -> str:
    return f"/companies/{company.id}/projects/new"


# --- from a recommendation ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["company", "lead", "diagnostician"])
def test_the_result_page_offers_a_project_for_each_recommendation(client, login, world, who):
    login(client, world.users[who])
    html = client.get(f"/assessments/{world.assessment.id}/result").get_data(as_text=True)
    recommended = recommendations(world)
    assert f"{new_url(world.company)}?recommendation={recommended[0]['id']}" in html
    projects = [rec for rec in recommended if catalogue().becomes_project(rec["kind"])]
    top = [rec for rec in recommended if not rec["folded"]][:5]  # the summary's top five offer it too
    assert html.count(f"{new_url(world.company)}?recommendation=") == len(projects) + len(
        [rec for rec in top if catalogue().becomes_project(rec["kind"])])


@pytest.mark.parametrize("who", ["official", "admin"])
def test_officials_see_the_result_without_project_buttons(client, login, world, who):
    login(client, world.users[who])
    html = client.get(f"/assessments/{world.assessment.id}/result").get_data(as_text=True)
    assert "?recommendation=" not in html


def test_a_recommendation_becomes_a_project_of_its_kind(client, login, csrf_token, db_session, world):
    robot = next(rec["id"] for rec in recommendations(world) if rec["kind"] == "robot")
    login(client, world.users["company"])
    page = client.get(f"{new_url(world.company)}?recommendation={robot}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<option selected value="robot">' in html
    name = re.search(r'id="name"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*id="name"', html
    )
    assert name and name.group(1)
    response = client.post(
        new_url(world.company),
        data={
            **form_data(name=name.group(1), provider_org_id=str(world.org.id)),
            "recommendation": robot,
            "csrf_token": csrf_token(client, new_url(world.company)),
        },
    )
    assert response.status_code == 303
    project = db_session.scalars(select(Project)).one()
    assert (project.kind, project.recommendation_id, project.quantity) == ("robot", robot, 4)
    assert project.planned_investment == Decimal("120.50")
    assert (project.status, project.investment_to_date, project.provider_org_id) == (
        "planned",
        0,
        world.org.id,
    )
    assert project.company_id == world.company.id and project.created_by_id == world.users["company"].id
    assert response.headers["Location"] == f"/projects/{project.id}"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert name.group(1) in shown and "计划中" in shown and world.org.name in shown


def test_the_kind_comes_from_the_catalogue(client, login, world):
    login(client, world.users["lead"])
    kinds = set()
    for rec in recommendations(world):
        kind = catalogue().kind_for_recommendation(rec["id"], rec["kind"])
        kinds.add(kind)
        html = client.get(f"{new_url(world.company)}?recommendation={rec['id']}").get_data(as_text=True)
        assert f'<option selected value="{kind}">' in html, rec
    assert {"robot", "cloud", "5g_scenario", "smart_factory", "tech_upgrade"} <= kinds


def test_a_recommendation_the_company_never_had_is_not_kept(client, login, csrf_token, db_session, world):
    login(client, world.users["company"])
    html = client.get(f"{new_url(world.company)}?recommendation=green.factory").get_data(as_text=True)
    assert 'value="green.factory"' not in html
    response = client.post(
        new_url(world.company),
        data={**form_data(), "recommendation": "green.factory", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 303
    assert db_session.scalars(select(Project)).one().recommendation_id is None


def test_the_company_list_starts_a_project_of_any_kind(client, login, csrf_token, db_session, world):
    login(client, world.users["diagnostician"])
    listing = client.get(f"/companies/{world.company.id}/projects").get_data(as_text=True)
    assert "尚无项目" in listing and new_url(world.company) in listing
    response = client.post(
        new_url(world.company),
        data={
            **form_data(kind="green_factory", name="绿色工厂创建", quantity=""),
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 303
    listing = client.get(f"/companies/{world.company.id}/projects").get_data(as_text=True)
    assert "绿色工厂创建" in listing and "绿色工厂" in listing and "120.50" in listing


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"planned_investment": "一百万"}, "planned_investment", "请填写数字"),
        ({"planned_investment": "NaN"}, "planned_investment", "请填写数字"),
        ({"planned_investment": "-5"}, "planned_investment", "不能为负数"),
        ({"planned_investment": "1.234"}, "planned_investment", "两位小数"),
        ({"planned_investment": "1e15"}, "planned_investment", "金额过大"),
        ({"planned_investment": ""}, "planned_investment", "请填写计划投资"),
        ({"planned_finish_on": "2026-01-31"}, "planned_finish_on", "不能早于开始日期（2026-02-01）"),
        ({"start_on": "2026-13-01"}, "start_on", "年-月-日"),
        ({"start_on": "0226-02-01", "planned_finish_on": "0226-03-01"}, "start_on", "2000 年至 2099 年"),
        ({"quantity": ""}, "quantity", "请填写数量（台）"),
        ({"quantity": "0"}, "quantity", "1 至 100000"),
        ({"quantity": "2.5"}, "quantity", "请填写整数"),
        ({"kind": "cloud"}, "quantity", "本类型请留空"),
        ({"kind": "spaceship"}, "kind", "请从列表中选择项目类型"),
        ({"name": "  "}, "name", "请填写项目名称"),
        ({"name": "名" * 201}, "name", "最多 200 个字"),
        ({"provider_org_id": "999999"}, "provider_org_id", "请从列表中选择服务商"),
        ({"provider_org_id": "abc"}, "provider_org_id", "请从列表中选择服务商"),
    ],
)
def test_bad_input_is_a_message_at_the_field_and_saves_nothing(
    client, login, csrf_token, db_session, world, fields, field, message
):
    login(client, world.users["company"])
    response = client.post(
        new_url(world.company), data={**form_data(**fields), "csrf_token": csrf_token(client)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_errors(html, field), html
    assert project_count(db_session) == 0
    if field != "planned_investment" or fields[field]:
        assert f'value="{form_data(**fields)["planned_investment"]}"' in html  # the user's typing is kept


# --- who sees and starts what ------------------------------------------------------------------


def test_the_company_nav_entry_leads_to_its_projects(client, login, world):
    login(client, world.users["company"])
    response = client.get("/projects/")
    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"/companies/{world.company.id}/projects",
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("company_other", 404),
        ("provider_other", 404),
        ("official_other", 404),
        ("official", 403),
        ("admin", 403),
    ],
)
def test_only_the_company_and_its_provider_start_projects(
    client, login, csrf_token, db_session, world, who, status
):
    login(client, world.users[who])
    assert client.get(new_url(world.company)).status_code == status
    response = client.post(new_url(world.company), data={**form_data(), "csrf_token": csrf_token(client)})
    assert response.status_code == status
    assert project_count(db_session) == 0


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("company", True),
        ("lead", True),
        ("diagnostician", True),
        ("official", True),
        ("official_district", True),
        ("admin", True),
        ("company_other", False),
        ("provider_other", False),
        ("official_other", False),
    ],
)
def test_a_project_is_seen_by_whoever_sees_its_company(client, login, db_session, world, who, sees):
    project = make_project(db_session, world.company, name="秘密项目")
    login(client, world.users[who])
    for url in (f"/projects/{project.id}", f"/companies/{world.company.id}/projects"):
        response = client.get(url)
        assert response.status_code == (200 if sees else 404)
        assert ("秘密项目" in response.get_data(as_text=True)) is sees


def test_the_profile_leads_to_the_projects_which_count_in_their_unit(client, login, db_session, world):
    project = make_project(db_session, world.company, kind="robot", name="焊接机器人", quantity=6)
    login(client, world.users["official"])
    profile = client.get(f"/company/{world.company.id}").get_data(as_text=True)
    assert f'href="/companies/{world.company.id}/projects"' in profile
    journey = re.search(r'<section class="panel" id="journey">.*?</section>', profile, re.S)
    assert journey is not None and '<ol class="journey">' in journey.group(0)
    assert "style=" not in journey.group(0)
    listing = client.get(f"/companies/{world.company.id}/projects").get_data(as_text=True)
    assert "· 6 台" in listing
    assert "<dd>6 台</dd>" in client.get(f"/projects/{project.id}").get_data(as_text=True)
