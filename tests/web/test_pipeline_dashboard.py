"""The officials' dashboard: numbers reconcile with their lists, hand-counted cells, scoping, filters."""

from __future__ import annotations

import re

import pytest

from tests.pipeline.world import PARK_A, PARK_B, YEAR, build_district, company
from tests.web.pipeline_helpers import list_total, number_links, numbers_by_cell, query


@pytest.fixture
def district(db_session):
    return build_district(db_session)


def dashboard(client, **args):
    response = client.get("/pipeline/", query_string={"year": YEAR, **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role, regions, args", [
    ("official", [PARK_A], {}), ("admin", [], {}), ("official", [], {"park": PARK_B, "tag": "furniture"}),
])
def test_numbers_reconcile(client, login, make_user, district, role, regions, args):
    """Every number on the dashboard opens a list whose total is that number."""
    login(client, make_user(role=role, regions=regions))
    links = number_links(dashboard(client, **args))
    cells = {query(url)["cell"] for url, _ in links}
    assert len(links) > 200 and {"target:robots:done", "coverage:verified:", "sme:self:3",
                                 f"month:robots:{YEAR}-03", f"cumulative:robots:{YEAR}-05"} <= cells
    for url, shown in links:
        assert query(url)["year"] == str(YEAR)
        response = client.get(url)
        assert response.status_code == 200, url
        assert list_total(response.get_data(as_text=True)) == shown, url


def test_hand_counted_cells(client, login, make_user, district):
    login(client, make_user(role="official", regions=[PARK_A]))
    shown = numbers_by_cell(dashboard(client))
    assert shown["target:robots:done"] == "10"
    assert shown["target:robots:in_progress"] == "3"
    assert shown["target:robots:planned"] == "2"
    assert shown["target:g5_scenarios:potential"] == "2"
    assert shown["target:cloud_companies:done"] == "1"
    assert shown["target:upgrade_investment:done"] == "521"
    assert shown[f"month:robots:{YEAR}-05"] == "4"
    assert shown[f"cumulative:robots:{YEAR}-05"] == "10"
    assert shown["coverage:roster:"] == "5"
    assert shown["coverage:verified:"] == "1"


def test_the_list_names_the_companies_and_projects(client, login, make_user, district):
    login(client, make_user(role="official", regions=[PARK_A]))
    page = client.get("/pipeline/list", query_string={"cell": "coverage:verified:", "year": YEAR}).get_data(
        as_text=True)
    verified = district.a[0]
    assert verified.name in page and verified.credit_code in page
    assert all(other.name not in page for other in district.a[1:])
    page = client.get("/pipeline/list", query_string={"cell": "target:robots:done", "year": YEAR}).get_data(
        as_text=True)
    assert "机器人投入使用验收" in page and f"{YEAR}-03-10" in page
    assert district.a[0].name in page and district.a[1].name in page
    assert district.b[0].name not in page


def test_an_official_sees_only_their_parks(client, login, make_user, district):
    login(client, make_user(role="official", regions=[PARK_B]))
    shown = numbers_by_cell(dashboard(client))
    assert shown["target:robots:done"] == "5"
    assert shown[f"month:robots:{YEAR}-03"] == "5"
    assert shown["coverage:roster:"] == "2"
    page = client.get("/pipeline/list", query_string={"cell": "coverage:roster:", "year": YEAR}).get_data(
        as_text=True)
    assert district.b[0].name in page
    assert all(company.name not in page for company in district.a)
    outside = numbers_by_cell(dashboard(client, park=PARK_A), park=PARK_A)
    assert set(outside.values()) == {"0"}
    page = client.get("/pipeline/list", query_string={"cell": "coverage:roster:", "year": YEAR,
                                                      "park": PARK_A}).get_data(as_text=True)
    assert list_total(page) == "0" and all(company.name not in page for company in district.a)


def test_the_list_pages_fifty_in_id_order(client, db_session, login, make_user):
    made = [company(db_session, PARK_B) for _ in range(51)]
    login(client, make_user(role="official", regions=[PARK_B]))
    url = {"cell": "coverage:roster:", "year": YEAR}
    first = client.get("/pipeline/list", query_string=url).get_data(as_text=True)
    second = client.get("/pipeline/list", query_string={**url, "page": 2}).get_data(as_text=True)
    assert list_total(first) == list_total(second) == "51"
    assert made[49].name in first and made[50].name not in first
    assert made[50].name in second and made[0].name not in second
    assert "第 2 / 2 页" in second


@pytest.mark.parametrize("args, status", [
    ({"cell": "target:nothing:done"}, 404), ({"cell": "nonsense"}, 404), ({}, 404),
    ({"cell": "target:robots:done", "year": "abc"}, 400), ({"cell": "target:robots:done", "tag": "x"}, 400),
])
def test_bad_list_requests(client, login, make_user, args, status):
    login(client, make_user(role="official"))
    assert client.get("/pipeline/list", query_string=args).status_code == status


def test_bad_filters_say_so_at_the_field(client, login, make_user):
    login(client, make_user(role="official"))
    response = client.get("/pipeline/", query_string={"year": "1800"})
    assert response.status_code == 400
    assert "年度须在 2000 至 2100 之间。" in response.get_data(as_text=True)


def test_export_placeholder_and_english(client, login, make_user, district):
    user = make_user(role="official", regions=[PARK_A])
    login(client, user)
    page = dashboard(client)
    assert "智改数转调度" in page and 'id="chart-funnel-robots"' in page and 'id="chart-levels-sme"' in page
    user.locale = "en"
    response = client.get("/pipeline/", query_string={"year": YEAR})
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["company", "provider"])
def test_other_roles_are_refused(client, login, make_user, role):
    login(client, make_user(role=role))
    for url in ("/pipeline/", "/pipeline/list?cell=coverage:roster:", "/pipeline/targets"):
        assert client.get(url).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get("/pipeline/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def funnel_svg(page: str, target_id: str) -> str:
    match = re.search(rf'<svg[^>]*id="chart-funnel-{target_id}".*?</svg>', page, re.S)
    assert match is not None
    return match.group(0)


def test_funnels_write_each_bar_with_its_unit_and_the_potential_apart(client, login, make_user, district):
    """The robots' goal and stages in 台; the potential (companies) below a dashed rule, in 家."""
    login(client, make_user(role="official", regions=[PARK_A]))
    page = dashboard(client)
    shown = numbers_by_cell(page)
    stages, potential = funnel_svg(page, "robots").split("stroke-dasharray")
    for stage in ("done", "in_progress", "planned"):
        assert f">{shown[f'target:robots:{stage}']} 台</text>" in stages
    assert "潜在" not in stages and "家" not in stages
    assert f">{shown['target:robots:potential']} 家</text>" in potential and "台" not in potential
    assert f">{shown['target:upgrade_investment:done']} 万元</text>" in funnel_svg(page, "upgrade_investment")


def test_a_list_of_projects_writes_counts_with_their_unit(client, login, make_user, district):
    login(client, make_user(role="official", regions=[PARK_A]))
    args = {"cell": "target:robots:planned", "year": YEAR}
    page = client.get("/pipeline/list", query_string=args).get_data(as_text=True)
    assert "（2 台）" in page and "（2）" not in page
    assert re.search(r'<div class="table-wrap">\s*<table class="table table--wide">', page)
