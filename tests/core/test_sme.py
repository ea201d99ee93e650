"""SME 2024 scoring on hand-computed cases, with the boundaries of bands and of the level rule."""

import pytest

from diagnosis.core.scoring.sme import score_sme

SCENARIOS = ["sme_sc_product_design", "sme_sc_process_design", "sme_sc_marketing", "sme_sc_after_sales",
             "sme_sc_planning", "sme_sc_production_control", "sme_sc_quality", "sme_sc_equipment",
             "sme_sc_safety", "sme_sc_energy", "sme_sc_procurement", "sme_sc_warehousing", "sme_sc_finance",
             "sme_sc_hr", "sme_sc_office", "sme_sc_decision"]
CONSTRAINT = ["sme_sc_product_design", "sme_sc_marketing", "sme_sc_production_control", "sme_sc_quality",
              "sme_sc_equipment", "sme_sc_safety", "sme_sc_energy", "sme_sc_procurement",
              "sme_sc_warehousing", "sme_sc_finance"]
OTHER = [qid for qid in SCENARIOS if qid not in CONSTRAINT]

FOUNDATION_FULL = {  # 8 + 10 + 10 + 5 + 5 = 38 from answers, 6 + 6 from the two rate facts: 50
    "sme_network": ["industrial_control", "enterprise_network", "g5_network", "full_coverage"],
    "sme_data_collection": ["product_design", "process_design", "marketing", "after_sales", "planning",
                            "production_control", "quality", "equipment", "safety", "energy", "procurement",
                            "warehousing", "finance", "hr"],
    "sme_it_coverage": "all",
    "sme_net_security": ["policy", "products", "risk_assessment", "boundary_ids"],
    "sme_data_security": ["policy", "products", "risk_assessment", "inventory_checks"],
}
RATES_FULL = {"equipment_digital_rate": 0.7, "equipment_network_rate": 0.61}


def item_points(result, item_id):
    return next(item["points"] for dim in result["dimensions"] for item in dim["items"]
                if item["id"] == item_id)


def scenarios(constraint_at: int, other_at: int, level: int) -> dict[str, int]:
    levels = {qid: level for qid in CONSTRAINT[:constraint_at]}
    levels.update({qid: level for qid in OTHER[:other_at]})
    return levels


@pytest.mark.parametrize(("rate", "points"), [
    (0.0, 0), (0.10, 0), (0.1001, 1.5), (0.20, 1.5), (0.2001, 3), (0.40, 3), (0.4001, 4.5),
    (0.60, 4.5), (0.6001, 6), (1.0, 6), (1.4, 6), (None, 0),
])
def test_equipment_rate_bands(bundle, rate, points):
    result = score_sme(bundle.sme_model, {}, {"equipment_network_rate": rate})
    assert item_points(result, "equipment_network") == points


@pytest.mark.parametrize(("ratio", "points"), [
    (0.0, 0), (0.10, 0), (0.11, 1.875), (0.20, 1.875), (0.21, 3.75), (0.40, 3.75), (0.41, 5.625),
    (0.60, 5.625), (0.61, 7.5),
])
def test_spend_ratio_bands(bundle, ratio, points):
    assert item_points(score_sme(bundle.sme_model, {}, {"digital_spend_ratio": ratio}), "spend") == points


@pytest.mark.parametrize(("answers", "item", "points"), [
    ({"sme_network": ["industrial_control", "g5_network"]}, "network", 4),
    ({"sme_network": ["none"]}, "network", 0),
    ({"sme_data_collection": ["quality", "hr"]}, "data_collection", 1.6),
    ({"sme_data_collection": FOUNDATION_FULL["sme_data_collection"]}, "data_collection", 10),
    ({"sme_it_coverage": "two_plus"}, "it_coverage", 5),
    ({"sme_net_security": ["policy", "boundary_ids"]}, "net_security", 2.5),
    ({"sme_data_security": ["inventory_checks"]}, "data_security", 1.25),
    ({"sme_planning": "retrofits"}, "planning", 4.5),
    ({"sme_planning": "exporting"}, "planning", 7.5),
    ({"sme_mechanisms": ["workflow", "incentives"]}, "mechanisms", 3.75),
    ({"sme_talent": ["staff", "training", "talent_ladder"]}, "talent", 4.5),
    ({"sme_energy_trend": "down"}, "energy", 7),
    ({"sme_energy_trend": "up"}, "energy", 0),
    ({"sme_quality_trend": "flat"}, "quality", 3.5),
    ({"sme_productivity_trend": "up"}, "productivity", 3),
    ({"sme_cost_trend": "flat"}, "cost", 1.5),
    ({}, "planning", 0),
])
def test_scored_items(bundle, answers, item, points):
    assert item_points(score_sme(bundle.sme_model, answers, {}), item) == points


def test_dimension_and_total_points(bundle):
    answers = {**FOUNDATION_FULL, "sme_talent": ["staff"], "sme_cost_trend": "down"}
    result = score_sme(bundle.sme_model, answers, RATES_FULL)
    assert [(d["id"], d["points"], d["max"]) for d in result["dimensions"]] == [
        ("foundation", 50, 50), ("management", 1.5, 30), ("outcomes", 3, 20)]
    assert (result["points"], result["max"]) == (54.5, 100)


NEAR_TWENTY = {"sme_it_coverage": "all", "sme_planning": "exporting"}  # 10 + 7.5
SIXTY = {**FOUNDATION_FULL, "sme_energy_trend": "down", "sme_cost_trend": "down"}  # 50 + 7 + 3


@pytest.mark.parametrize(("answers", "levels", "level"), [
    (SIXTY, scenarios(5, 3, 3), 3),                 # exactly 60 points, 8 scenarios at L3 (5 constraint)
    (SIXTY, scenarios(5, 2, 3), 2),                 # 60 points but only 7 at L3: level 2 (7 >= 6 at L2)
    (SIXTY, scenarios(4, 4, 3), 2),                 # 8 at L3 but only 4 constraint
    ({**SIXTY, "sme_cost_trend": "flat"}, scenarios(5, 3, 3), 2),   # 58.5 points
    (SIXTY, scenarios(3, 3, 2), 2),                 # 6 at L2, 3 constraint
    (SIXTY, scenarios(2, 4, 2), 1),                 # 6 at L2 but 2 constraint: level 1 (points only)
    ({**NEAR_TWENTY, "sme_mechanisms": ["workflow"]}, {}, 0),           # 17.5 + 1.875 = 19.375
    ({**NEAR_TWENTY, "sme_talent": ["staff", "training"]}, {}, 1),     # 17.5 + 3 = 20.5
])
def test_level_rule_boundaries(bundle, answers, levels, level):
    facts = RATES_FULL if "sme_network" in answers else {}
    assert score_sme(bundle.sme_model, {**answers, **levels}, facts)["level"] == level


def test_level_four_needs_ten_scenarios_at_four_with_six_constraint(bundle):
    answers = {**SIXTY, "sme_planning": "exporting", "sme_mechanisms": ["workflow", "it_rules", "data_rules",
                                                                         "incentives"],
               "sme_talent": ["staff", "dedicated_post", "training", "pay_scheme", "talent_ladder"]}
    assert score_sme(bundle.sme_model, {**answers, **scenarios(6, 4, 4)}, RATES_FULL)["level"] == 4
    assert score_sme(bundle.sme_model, {**answers, **scenarios(5, 5, 4)}, RATES_FULL)["level"] == 3


def test_level_rule_and_next_level_are_reported(bundle):
    result = score_sme(bundle.sme_model, {**SIXTY, **scenarios(5, 3, 3)}, RATES_FULL)
    assert result["level_rule"] == {"level": 3, "met": True, "points": 60, "min_points": 60,
                                    "scenarios_at_level": 8, "min_scenarios": 8,
                                    "constraint_at_level": 5, "min_constraint": 5}
    assert result["next_level"] == {"level": 4, "points_short": 20, "scenarios_short": 10,
                                    "constraint_short": 6}


def test_not_yet_level_one_reports_the_failed_level_one_rule(bundle):
    result = score_sme(bundle.sme_model, {"sme_planning": "plan"}, {})
    assert result["level"] == 0
    assert result["level_rule"]["level"] == 1 and result["level_rule"]["met"] is False
    assert result["next_level"]["points_short"] == 17


def test_scenarios_listed_in_model_order_with_constraint_flags(bundle):
    result = score_sme(bundle.sme_model, {"sme_sc_quality": 2}, {})
    assert [s["id"] for s in result["scenarios"]] == SCENARIOS
    quality = next(s for s in result["scenarios"] if s["id"] == "sme_sc_quality")
    office = next(s for s in result["scenarios"] if s["id"] == "sme_sc_office")
    assert quality == {"id": "sme_sc_quality", "level": 2, "constraint": True}
    assert office == {"id": "sme_sc_office", "level": 0, "constraint": False}
