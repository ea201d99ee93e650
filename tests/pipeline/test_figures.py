"""The figures of diagnosis/pipeline/figures.py against a hand-counted district (tests/pipeline/world.py),
and every number equal to the aggregate over its own list."""

from __future__ import annotations

import pytest

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.pipeline import figures
from diagnosis.pipeline.figures import Cell, Filters
from tests.pipeline.world import PARK_A, PARK_B, YEAR, build_district


@pytest.fixture
def district(db_session):
    return build_district(db_session)


def board(session, filters: Filters) -> dict[str, figures.TargetFigures]:
    goals = {target_id: target.default for target_id, target in catalogue().targets.items()}
    return {figure.target.id: figure for figure in figures.dashboard_targets(session, filters, goals)}


def test_hand_counted_targets_of_park_a(db_session, district):
    found = board(db_session, Filters(YEAR, parks=(PARK_A,)))
    assert found["robots"].stages == {"done": 10, "in_progress": 3, "planned": 2, "potential": 0}
    assert found["robots"].months[3] == (6, 6)
    assert found["robots"].months[5] == (4, 10)
    assert found["robots"].months[12] == (0, 10)
    assert found["cloud_companies"].stages["done"] == 1
    assert found["cloud_companies"].months[4] == (1, 1)
    assert found["cloud_companies"].months[6] == (0, 1)
    assert found["cloud_companies"].stages["potential"] == 2
    assert found["smart_factories"].stages == {"done": 1, "in_progress": 1, "planned": 0, "potential": 0}
    assert found["g5_scenarios"].stages["potential"] == 2
    assert found["upgrade_projects"].stages == {"done": 6, "in_progress": 1, "planned": 1, "potential": 0}
    assert found["upgrade_investment"].stages["done"] == 521
    assert found["robots"].rate(found["robots"].stages["done"]) == 1.0


def test_whole_district_and_park_b(db_session, district):
    everywhere = board(db_session, Filters(YEAR))
    assert everywhere["robots"].stages["done"] == 15
    assert everywhere["robots"].months[3] == (11, 11)
    assert everywhere["g5_scenarios"].stages["potential"] == 3
    assert everywhere["upgrade_investment"].stages["done"] == 551
    park_b = board(db_session, Filters(YEAR, parks=(PARK_B,)))
    assert park_b["robots"].stages == {"done": 5, "in_progress": 0, "planned": 0, "potential": 0}
    assert park_b["smart_factories"].stages["potential"] == 1
    nothing = board(db_session, Filters(YEAR, parks=(PARK_B,), park=PARK_A))
    assert all(value == 0 for figure in nothing.values() for value in figure.stages.values())


def test_coverage_levels_and_breakdowns(db_session, district):
    filters = Filters(YEAR)
    assert figures.coverage(db_session, Filters(YEAR, parks=(PARK_A,))) == {
        "roster": 5, "registered": 4, "self_assessed": 3, "verified": 1}
    by_park = figures.coverage_by(db_session, filters, "park")
    assert by_park[PARK_B] == {"roster": 2, "registered": 2, "self_assessed": 1, "verified": 0}
    by_provider = figures.coverage_by(db_session, filters, "provider_org_id")
    assert by_provider[district.org.id]["roster"] == 5
    for narrowed in (filters, Filters(YEAR, parks=(PARK_A,)), Filters(YEAR, park=PARK_B)):
        parks = figures.coverage_by(db_session, narrowed, "park").values()
        assert {key: sum(park[key] for park in parks) for key in figures.COVERAGE} == \
            figures.coverage(db_session, narrowed)
    sme = figures.levels(db_session, Filters(YEAR, parks=(PARK_A,)), "sme")
    assert sme["self"]["3"] == 3 and sme["verified"]["2"] == 1
    assert sum(sme["verified"].values()) == 1


@pytest.mark.parametrize("filters", [Filters(YEAR), Filters(YEAR, parks=(PARK_A,)),
                                     Filters(YEAR, park=PARK_B), Filters(YEAR - 1)])
def test_every_grouped_number_is_its_lists_aggregate(db_session, district, filters):
    """What the dashboard shows (grouped queries) equals `figure` over `members` for every cell."""
    for target_id, found in board(db_session, filters).items():
        for stage, value in found.stages.items():
            assert figures.figure(db_session, filters, Cell("target", target_id, stage)) == value, stage
        for month, (new, cumulative) in found.months.items():
            stage = f"{filters.year:04d}-{month:02d}"
            assert figures.figure(db_session, filters, Cell("month", target_id, stage)) == new
            assert figures.figure(db_session, filters, Cell("cumulative", target_id, stage)) == cumulative
    for key, value in figures.coverage(db_session, filters).items():
        assert figures.figure(db_session, filters, Cell("coverage", key)) == value
    for model in ("sme", "cmmm"):
        for kind, counts in figures.levels(db_session, filters, model).items():
            for level, value in counts.items():
                assert figures.figure(db_session, filters, Cell(model, kind, level)) == value


def test_cells_parse_only_what_the_dashboard_shows():
    assert Cell.parse("target:robots:done") == Cell("target", "robots", "done")
    assert Cell.parse("month:robots:2026-03") == Cell("month", "robots", "2026-03")
    for bad in ("", "target:robots", "target:nothing:done", "month:robots:2026-13", "sme:self:9",
                "coverage:roster:x", "a:b:c:d"):
        assert Cell.parse(bad) is None, bad
