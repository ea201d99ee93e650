"""The pipeline for machines: the dashboard's figures within the official's parks, the ledger in
pages, the targets read and set (with history, district-wide)."""

from __future__ import annotations

from datetime import date

from diagnosis.store.targets import target_history
from tests.api.conftest import call


def _robots(body):
    return next(item for item in body["items"] if item["id"] == "robots")


def test_figures_stay_inside_the_officials_parks(client, api_world):
    own = call(
        client, "GET", "/api/v1/pipeline/targets?year=2026", api_world["tokens"]["official"]
    ).get_json()
    other = call(
        client, "GET", "/api/v1/pipeline/targets?year=2026", api_world["tokens"]["official_other"]
    ).get_json()
    assert _robots(own)["stages"]["planned"] == 2  # the world's project: two robots, planned
    assert _robots(other)["stages"]["planned"] == 0
    outside = call(
        client,
        "GET",
        "/api/v1/pipeline/targets?year=2026&park=家居产业园",
        api_world["tokens"]["official_other"],
    ).get_json()
    assert _robots(outside)["stages"]["planned"] == 0
    assert len(_robots(own)["months"]) == 12


def test_coverage_and_ledger(client, api_world):
    token = api_world["tokens"]["official"]
    coverage = call(client, "GET", "/api/v1/pipeline/coverage", token).get_json()
    assert coverage["total"]["self_assessed"] == 1 and set(coverage["by_park"]) == {"家居产业园"}
    ledger = call(client, "GET", "/api/v1/pipeline/ledger?per_page=1", token).get_json()
    assert ledger["total"] == 1
    row = ledger["items"][0]
    assert (row["company_id"], row["project_id"], row["project_kind"]) == (
        api_world["ids"]["company_id"],
        api_world["ids"]["project_id"],
        "robot",
    )
    admin = call(client, "GET", "/api/v1/pipeline/ledger", api_world["tokens"]["admin"]).get_json()
    assert admin["total"] == 2  # company B has no project: one row with empty project columns


def test_an_official_sets_a_target_and_the_history_is_kept(client, api_world, db_session):
    token, year = api_world["tokens"]["official"], date.today().year
    before = {
        item["target_id"]: item
        for item in call(client, "GET", f"/api/v1/targets?year={year}", token).get_json()["items"]
    }
    assert before["robots"]["set"] is False
    response = call(client, "PUT", f"/api/v1/targets/{year}/robots", token, json={"value": 120.5})
    assert response.status_code == 200
    assert response.get_json() == {"year": year, "target_id": "robots", "value": 120.5, "set": True}
    assert [row.value for row in target_history(db_session, year, "robots")] == [120.5]
    for body in ({"value": -1}, {"value": "120"}, {"value": 1.001}, {"value": 1, "note": "x"}, {}):
        assert call(client, "PUT", f"/api/v1/targets/{year}/robots", token, json=body).status_code == 422, (
            body
        )
    assert (
        call(client, "PUT", f"/api/v1/targets/{year}/teleports", token, json={"value": 1}).status_code == 404
    )
    assert call(client, "PUT", "/api/v1/targets/1999/robots", token, json={"value": 1}).status_code == 404
