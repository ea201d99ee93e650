"""The yearly targets page: defaults marked, a new value set with its history, bad values refused."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from diagnosis.store.targets import TargetValue, set_target, target_history, year_targets

YEAR = 2027
URL = f"/pipeline/targets?year={YEAR}"


def section(page: str, target_id: str) -> str:
    match = re.search(rf'<section class="panel target-row" id="target-{target_id}".*?</section>', page, re.S)
    assert match is not None
    return match.group(0)


def post_value(client, post_form, target_id: str, value: str):
    return post_form(client, URL, {"target_id": target_id, f"{target_id}-value": value}, page=URL)


@pytest.fixture
def official(client, login, make_user):
    user = make_user(role="official", regions=["家居产业园"], name="王科长")
    login(client, user)
    return user


def test_defaults_are_marked(client, official):
    page = client.get(URL).get_data(as_text=True)
    robots = section(page, "robots")
    assert "推广应用工业机器人" in robots and "<strong>10</strong>" in robots and "默认" in robots
    assert "<strong>110000</strong>" in section(page, "upgrade_investment")


def test_a_target_is_set_and_its_history_kept(client, db_session, official, post_form):
    response = post_value(client, post_form, "robots", "15")
    assert response.status_code == 302
    response = post_value(client, post_form, "robots", "12.5")
    assert response.status_code == 302
    db_session.expire_all()
    assert year_targets(db_session, YEAR)["robots"].value == 12.5
    history = [row.value for row in target_history(db_session, YEAR, "robots")]
    assert history == [Decimal("12.5"), Decimal("15")]
    assert year_targets(db_session, YEAR - 1)["robots"].value == 10
    robots = section(client.get(URL).get_data(as_text=True), "robots")
    assert "<strong>12.5</strong>" in robots and "默认" not in robots.split("</p>")[0]
    assert robots.count("王科长") == 2
    dashboard = client.get("/pipeline/", query_string={"year": YEAR}).get_data(as_text=True)
    assert re.search(r'<a href="/pipeline/targets\?year=2027">12.5</a>', dashboard)


@pytest.mark.parametrize("value, message", [
    ("-1", "目标值不能为负数。"), ("abc", "请填写数字，例如 20 或 1.5。"), ("", "请填写目标值。"),
    ("NaN", "请填写数字，例如 20 或 1.5。"), ("1.234", "目标值最多保留两位小数。"),
    ("1e20", "目标值过大。"),
])
def test_bad_values_are_refused_at_the_field(client, db_session, official, post_form, value, message):
    set_target(db_session, YEAR, "robots", Decimal(8), official.id)
    response = post_value(client, post_form, "robots", value)
    assert response.status_code == 400
    robots = section(response.get_data(as_text=True), "robots")
    # The message right under its input (no summary box elsewhere), the field naming the unit.
    under_input = (r'<input[^>]*id="robots-value"[^>]*>\s*<ul class="field-errors" id="robots-value-errors">'
                   rf'\s*<li>{re.escape(message)}</li>')
    assert re.search(under_input, robots)
    assert 'class="form-errors"' not in robots and "新的目标值（台）" in robots
    db_session.expire_all()
    assert db_session.query(TargetValue).filter_by(year=YEAR).count() == 1
    assert year_targets(db_session, YEAR)["robots"].value == 8


def test_unknown_target_or_year(client, official, post_form):
    assert post_form(client, URL, {"target_id": "nothing", "nothing-value": "3"}, page=URL).status_code == 400
    assert client.get("/pipeline/targets?year=abc").status_code == 404


def test_without_csrf_nothing_is_saved(client, db_session, official):
    response = client.post(URL, data={"target_id": "robots", "robots-value": "3"})
    assert response.status_code == 400
    assert db_session.query(TargetValue).count() == 0


def test_admin_sets_targets_too(client, db_session, login, make_user, post_form):
    login(client, make_user(role="admin"))
    assert post_value(client, post_form, "g5_scenarios", "0").status_code == 302
    db_session.expire_all()
    assert year_targets(db_session, YEAR)["g5_scenarios"].value == 0
