"""The real catalogues recommend what domain.md §9 asks for, with the reasons that triggered it."""

from __future__ import annotations

import pytest

from diagnosis.core.recommend.ladders import assess_smart_factory, climb_cloud
from tests.core.recommend_fixtures import context, real_catalogues, triggered

POSITIONING_MISSING = {"source": "answer", "ref": "chem_personnel_positioning", "op": "eq",
                       "threshold": False, "value": False, "held": True}


def chemicals(**answers):
    base = {"chem_gds_linked": True, "pain_points": ["cost"], "network_industrial": True}
    return context({**base, **answers}, tags=["chemicals"], industry_code="2614")


def test_chemicals_without_personnel_positioning_gets_inspection_and_site_monitoring():
    recs = triggered(chemicals(chem_personnel_positioning=False))
    for rec_id in ("5g.unmanned_inspection", "5g.site_monitoring", "industry.chem_personnel_positioning"):
        assert recs[rec_id]["because"] == [POSITIONING_MISSING]
    inspection = recs["5g.unmanned_inspection"]
    assert inspection["kind"] == "5g_scenario"
    assert inspection["params"] == {"batch": 1, "unmet_prerequisites": []}
    # answered signals: positioning (points to it), GDS linked (does not), pain points (no safety)
    assert inspection["priority_parts"]["gap"] == pytest.approx(1 / 3, abs=1e-4)


def test_chemicals_with_positioning_and_linked_gds_gets_neither_scenario():
    recs = triggered(chemicals(chem_personnel_positioning=True))
    assert "5g.unmanned_inspection" not in recs
    assert "5g.site_monitoring" not in recs
    assert "industry.chem_personnel_positioning" not in recs


def test_unmet_prerequisite_is_listed_and_delays_the_phase():
    without_network = chemicals(chem_personnel_positioning=False, network_industrial=False)
    rec = triggered(without_network)["5g.unmanned_inspection"]
    assert rec["params"]["unmet_prerequisites"] == ["5g.prereq.plant_network"]
    assert rec["phase"] == "18-36"  # medium effort (6-18) moved one phase later
    assert triggered(chemicals(chem_personnel_positioning=False))["5g.unmanned_inspection"]["phase"] == "6-18"


@pytest.mark.parametrize(("method", "gap"), [("manual", 1.0), ("software_partial", 0.5)])
def test_furniture_with_manual_splitting_gets_the_split_software_action(method, gap):
    ctx = context({"fur_split_method": method}, tags=["furniture"], industry_code="2110")
    rec = triggered(ctx)["industry.fur_split_software"]
    assert rec["because"] == [{"source": "answer", "ref": "fur_split_method", "op": "in",
                               "threshold": ["manual", "software_partial"], "value": method, "held": True}]
    assert rec["priority_parts"]["gap"] == gap


def test_furniture_with_automatic_splitting_gets_no_split_action():
    ctx = context({"fur_split_method": "software_auto"}, tags=["furniture"])
    assert "industry.fur_split_software" not in triggered(ctx)


def test_furniture_manual_splitting_and_no_labels_point_to_flexible_production():
    ctx = context({"fur_split_method": "manual", "fur_panel_labels": "none", "systems_in_use": ["erp"]},
                  facts={"equipment_network_rate": 0.5}, tags=["furniture"])
    rec = triggered(ctx)["5g.flexible_production"]
    assert [(leaf["ref"], leaf["value"]) for leaf in rec["because"]] == [
        ("fur_split_method", "manual"), ("fur_panel_labels", "none")]
    assert rec["params"]["unmet_prerequisites"] == ["5g.prereq.mes_in_use"]


@pytest.mark.parametrize(("tags", "fit"), [
    (["cement"], 1.0), (["panels"], 0.5), ([], 0.5), (["furniture"], None), (["down"], None),
    (["down", "copper"], 1.0)])
def test_scenario_fit_follows_the_matrix_and_excludes_weak_industries(tags, fit):
    recs = triggered(context({"pain_points": ["safety"]}, tags=tags))
    if fit is None:
        assert "5g.unmanned_inspection" not in recs
    else:
        assert recs["5g.unmanned_inspection"]["priority_parts"]["fit"] == fit


def test_robot_action_gap_is_the_distance_below_the_density_threshold():
    ctx = context({"pain_points": ["labour"]}, facts={"robot_density": 117.5}, tags=["cement"])
    rec = triggered(ctx)["robot.palletising"]
    assert rec["priority_parts"]["gap"] == pytest.approx(1 - 117.5 / 470, abs=1e-4)
    assert {leaf["ref"] for leaf in rec["because"]} == {"robot_density", "pain_points"}


def test_energy_management_trigger_explains_the_missing_system_through_not():
    ctx = context({"systems_in_use": ["erp"], "pain_points": ["energy"], "energy_metering": "online_full"})
    rec = triggered(ctx)["green.energy_management"]
    assert {"source": "answer", "ref": "systems_in_use", "op": "contains", "threshold": "ems",
            "value": ["erp"], "held": False} in rec["because"]
    assert rec["params"]["unmet_prerequisites"] == []


def cloud(answers, facts=None):
    out: list[dict] = []
    catalogues = real_catalogues()
    result = climb_cloud(catalogues.cloud_steps, context(answers, facts=facts), catalogues.priority, out)
    return result, out


@pytest.mark.parametrize(("answers", "current"), [
    ({"cloud_use": ["none"]}, 0),
    ({}, 0),
    ({"cloud_use": ["infrastructure"]}, 1),
    ({"cloud_use": ["equipment"]}, 1),  # the ladder is cumulative: no core apps yet
    ({"cloud_use": ["business_apps"], "systems_in_use": ["erp"]}, 2),
    ({"cloud_use": ["none"], "recognitions": ["cloud_star_4"]}, 3),
    ({"cloud_use": ["business_apps", "equipment"], "systems_in_use": ["mes"]}, 3),
])
def test_cloud_next_step_is_one_above_the_current(answers, current):
    result, out = cloud(answers)
    assert result == {"current_step": current, "next_step": current + 1}
    assert [rec["id"] for rec in out] == [f"cloud.l{current + 1}"]
    assert out[0]["params"]["current_step"] == current
    assert out[0]["priority_parts"]["gap"] == round(1 - current / 4, 4)


def test_cloud_top_step_has_no_next_step_and_no_recommendation():
    result, out = cloud({"cloud_use": ["business_apps", "equipment", "data_models"],
                         "systems_in_use": ["erp"]})
    assert result == {"current_step": 4, "next_step": None}
    assert out == []


def test_cloud_equipment_step_reports_unnetworked_equipment():
    _, out = cloud({"cloud_use": ["business_apps"], "systems_in_use": ["erp"]},
                   facts={"equipment_network_rate": 0.1})
    assert out[0]["params"]["unmet_prerequisites"] == ["cloud.prereq.equipment_networked"]
    assert out[0]["because"] == [
        {"source": "answer", "ref": "cloud_use", "op": "contains", "threshold": "equipment",
         "value": ["business_apps"], "held": False},
        {"source": "answer", "ref": "recognitions", "op": "contains_any",
         "threshold": ["cloud_star_4", "cloud_star_5"], "value": None, "held": False}]


def smart_factory(answers, facts=None, scores=None, **profile):
    out: list[dict] = []
    catalogues = real_catalogues()
    ctx = context(answers, facts=facts, scores=scores, **profile)
    entries = assess_smart_factory(catalogues.rungs, ctx, catalogues.priority, out)
    return {entry["id"]: entry for entry in entries}, {rec["id"]: rec for rec in out}


BASIC_READY = {"compliance_clean_3y": True, "im_organisation": False, "sme_sc_production_control": 2}


def test_smart_factory_criteria_are_met_not_met_or_unknown():
    entries, recs = smart_factory(BASIC_READY, facts={"equipment_network_rate": 0.5},
                                  above_designated_size=True)
    basic = entries["basic"]
    assert {c["id"]: c["status"] for c in basic["criteria"]} == {
        "above_designated_size": "met", "compliance_clean": "met", "im_organisation": "not_met",
        "cmmm_level_2": "unknown", "production_operations": "met"}
    assert basic["status"] == "not_met"
    assert recs["sf.basic"]["params"] == {"rung": "basic", "track": "miit", "unmet": ["im_organisation"],
                                          "unknown": ["cmmm_level_2"]}
    assert recs["sf.basic"]["priority_parts"]["gap"] == 0.6667  # closeness (5 - 2 + 1) / (5 + 1)
    cmmm = next(c for c in basic["criteria"] if c["id"] == "cmmm_level_2")
    assert cmmm["because"] == [{"source": "score", "ref": "cmmm.level", "op": "ge", "threshold": 2,
                                "value": None, "held": False}]


def test_a_met_rung_not_yet_declared_is_recommended_to_apply_for():
    answers = {**BASIC_READY, "im_organisation": True}
    entries, recs = smart_factory(answers, facts={"equipment_network_rate": 0.5}, scores={"cmmm.level": 2},
                                  above_designated_size=True)
    assert entries["basic"]["status"] == "met" and not entries["basic"]["held"]
    assert recs["sf.basic"]["params"]["unmet"] == [] and recs["sf.basic"]["priority_parts"]["gap"] == 1.0
    assert "sf.advanced" not in recs  # one recommendation per track


def test_a_held_rung_passes_the_recommendation_to_the_next_rung():
    answers = {**BASIC_READY, "im_organisation": True, "recognitions": ["sf_basic"]}
    entries, recs = smart_factory(answers, facts={"equipment_network_rate": 0.5}, scores={"cmmm.level": 2},
                                  above_designated_size=True)
    assert entries["basic"]["status"] == "met" and entries["basic"]["held"]
    assert "sf.basic" not in recs
    assert "sf.advanced" in recs
    assert "sf.excellent" not in recs  # one recommendation per track


def test_below_size_company_sees_the_miit_rungs_but_is_not_pointed_to_them():
    entries, recs = smart_factory(BASIC_READY, above_designated_size=False)
    assert entries["basic"]["status"] == "not_met"
    assert "sf.basic" not in recs
    assert "sf.digital_workshop_ah" in recs


def test_any_criterion_is_met_by_one_branch_even_when_another_is_unknown():
    entries, _ = smart_factory({"systems_in_use": ["plm"]})
    design = next(c for c in entries["smart_factory_ah"]["criteria"] if c["id"] == "digital_design")
    assert design["status"] == "met"
    assert [leaf["held"] for leaf in design["because"]] == [True, False]


def test_a_rung_with_only_unknown_gaps_is_unknown():
    entries, _ = smart_factory({"compliance_clean_3y": True, "im_organisation": True,
                                "sme_sc_production_control": 3}, facts={"equipment_network_rate": 0.9},
                               above_designated_size=True)
    assert entries["basic"]["status"] == "unknown"
