from diagnosis.core.scoring.cmmm import score_cmmm
from diagnosis.core.scoring.radar import score_radar
from diagnosis.core.scoring.sme import score_sme


def radar_value(bundle, answers, facts, assessed):
    sme = score_sme(bundle.sme_model, answers, facts)
    cmmm = score_cmmm(bundle.cmmm_model, answers, assessed)
    return {entry["id"]: entry["value"] for entry in score_radar(bundle.radar_model, sme, cmmm, facts)}


def test_security_mixes_sme_items_and_the_cmmm_subdomain(bundle):
    answers = {
        "sme_net_security": ["policy", "products", "risk_assessment", "boundary_ids"],  # 5 / 5
        "sme_data_security": ["policy", "products"],
    }  # 2.5 / 5
    assert radar_value(bundle, answers, {}, assessed=False)["security"] == 75.0  # CMMM part skipped
    cmmm = {f"cmmm_security_l{n}": "full" for n in range(1, 6)}
    # (1 x 1.0 + 1 x 0.5 + 2 x 1.0) / 4
    assert radar_value(bundle, {**answers, **cmmm}, {}, assessed=True)["security"] == 87.5


def test_facts_are_scaled_capped_and_skipped_when_undefined(bundle):
    answers = {"sme_quality_trend": "up", "sme_productivity_trend": "flat", "sme_cost_trend": "down"}
    # items 1, 0.5, 1 and robot density 250 / 500 = 0.5
    assert radar_value(bundle, answers, {"robot_density": 250.0}, assessed=False)["outcomes"] == 75.0
    assert radar_value(bundle, answers, {"robot_density": 2000.0}, assessed=False)["outcomes"] == 87.5
    assert radar_value(bundle, answers, {"robot_density": None}, assessed=False)["outcomes"] == round(
        250 / 3, 1
    )


def test_scenarios_count_level_over_four(bundle):
    answers = {"sme_sc_finance": 4, "sme_sc_hr": 2, "sme_sc_office": 1}
    assert radar_value(bundle, answers, {}, assessed=False)["management"] == 43.8  # (1 + .5 + .25 + 0) / 4
