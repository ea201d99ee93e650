"""Realistic companies of the district's industries (tests/core/recommend_fixtures/companies/ and
examples/): which recommendations appear, which do not, which are in the top five."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose

REPO = Path(__file__).resolve().parents[2]
COMPANIES = Path(__file__).resolve().parent / "recommend_fixtures" / "companies"
G5_OR_GAP = ("5g_scenario", "cmmm_gap")


@cache
def result(name: str) -> dict:
    path = COMPANIES / f"{name}.json"
    if not path.exists():
        path = REPO / "examples" / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return diagnose(load_bundle(), data["answers"], data["profile"])


def ids(name: str) -> list[str]:
    return [rec["id"] for rec in result(name)["recommendations"]]


def top_five(name: str) -> list[str]:
    return [rec["id"] for rec in result(name)["recommendations"] if not rec["folded"]][:5]


# (company, in the top five, listed (main or folded), never listed)
CASES = [
    ("furniture_manual_small",
     ["industry.fur_split_software", "industry.fur_panel_labels", "industry.fur_dust_safety"],
     ["industry.fur_nesting", "foundation.mes"],
     ["sf.basic", "cmmm.complete", "cmmm.customer_service"]),
    ("furniture_nesting_done_low_yield",
     ["industry.fur_split_software"],
     ["industry.fur_panel_labels", "foundation.mes", "industry.fur_station_scanning"],
     ["industry.fur_nesting"]),
    ("furniture_provincial_workshop", ["sf.smart_factory_ah"], [], ["sf.digital_workshop_ah"]),
    ("furniture_blank_self_check", ["cmmm.complete"], [], ["cmmm.customer_service", "cmmm.strategy"]),
    ("furniture_2110", ["sf.basic", "sf.digital_workshop_ah"], [],
     ["industry.fur_split_software", "industry.fur_panel_labels", "industry.fur_nesting",
      "industry.fur_station_scanning", "5g.logistics_monitoring", "industry.fur_dust_safety"]),
    ("panels_no_spark_detection", ["industry.pan_spark_detection", "industry.pan_formaldehyde_trace"], [],
     []),
    ("panels_2021", ["green.energy_management"],
     ["industry.pan_spark_detection", "industry.pan_formaldehyde_trace"],
     ["5g.energy_efficiency", "green.ems", "green.energy_metering", "cmmm.energy"]),
    ("panels_accident", [], ["green.energy_management"],
     ["sf.basic", "sf.digital_workshop_ah", "sf.advanced", "green.factory"]),
    ("chemicals_2614", ["sf.advanced", "sf.smart_factory_ah"], [],
     ["industry.chem_sis_verification", "industry.chem_park_platform"]),
    ("cement_3011", ["sf.basic", "sf.digital_workshop_ah"], [],
     ["robot.inspection", "5g.unmanned_inspection"]),
    ("copper_3251", ["industry.gen_batch_trace", "robot.inspection"], [], []),
    ("glass_3041", ["industry.gen_batch_trace", "robot.glass_handling", "industry.gen_online_quality"], [],
     []),
    ("lighting_3872", ["industry.gen_batch_trace"], ["robot.assembly"], ["robot.inspection"]),
    ("minimal", ["sme.uplift", "green.energy_management"], ["foundation.plant_network"], ["cmmm.complete"]),
]


@pytest.mark.parametrize(("company", "top", "listed", "absent"), CASES, ids=[case[0] for case in CASES])
def test_company_recommendations(company, top, listed, absent):
    assert set(top) <= set(top_five(company)), top_five(company)
    assert set(top + listed) <= set(ids(company))
    assert not set(absent) & set(ids(company))


@pytest.mark.parametrize("company", [case[0] for case in CASES])
def test_main_list_is_capped_and_prerequisites_rank_first(company):
    recs = result(company)["recommendations"]
    main = [rec for rec in recs if not rec["folded"]]
    assert len(main) <= 10
    assert all(sum(rec["kind"] == kind for rec in main) <= 3 for kind in {rec["kind"] for rec in main})
    position = {rec["id"]: index for index, rec in enumerate(recs)}
    for rec in recs:
        for provider in rec["params"].get("after", ()):
            assert position[provider] < position[rec["id"]]
            assert recs[position[provider]]["priority"] >= rec["priority"]
    assert [rec["priority"] for rec in recs] == sorted((rec["priority"] for rec in recs), reverse=True)


def test_industry_basics_rank_above_speculative_5g():
    recs = ids("furniture_manual_small")
    for basic in ("industry.fur_split_software", "industry.fur_panel_labels"):
        assert all(recs.index(basic) < index for index, rec_id in enumerate(recs) if rec_id.startswith("5g."))
    top = [rec["kind"] for rec in result("panels_no_spark_detection")["recommendations"][:5]]
    assert "5g_scenario" not in top


def test_a_5g_scenario_without_its_prerequisites_ranks_below_them():
    recs = {rec["id"]: rec for rec in result("furniture_manual_small")["recommendations"]}
    flexible = recs["5g.flexible_production"]
    assert flexible["params"]["unmet_prerequisites"]
    assert "foundation.mes" in flexible["params"]["after"]
    assert flexible["priority_parts"]["prerequisites"] < 1
    assert "5g.flexible_production" in recs["foundation.mes"]["params"]["unlocks"]


def test_a_held_title_counts_as_met_and_is_not_recommended_again():
    rungs = {rung["id"]: rung for rung in result("furniture_provincial_workshop")["smart_factory"]}
    assert rungs["digital_workshop_ah"]["held"] and rungs["digital_workshop_ah"]["status"] == "met"


def test_an_accident_makes_the_company_ineligible_for_every_rung():
    rungs = result("panels_accident")["smart_factory"]
    assert rungs and not any(rung["eligible"] for rung in rungs)


def test_merged_energy_item_names_what_it_covers():
    recs = {rec["id"]: rec for rec in result("panels_2021")["recommendations"]}
    assert "5g.energy_efficiency" in recs["green.energy_management"]["params"]["absorbed"]
