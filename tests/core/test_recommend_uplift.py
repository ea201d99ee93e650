"""SME level uplift (smallest raise set, hand-computed and brute-forced) and CMMM next-level gaps."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis.core.bundle import load_bundle
from diagnosis.core.recommend.cmmm_gaps import find_gaps
from diagnosis.core.recommend.sme_uplift import minimal_raises, plan_uplift, standing
from diagnosis.core.scoring.cmmm import score_cmmm
from diagnosis.core.scoring.sme_model import LevelRule
from tests.core.recommend_fixtures import real_catalogues

LEVELS = [LevelRule(4, 80, 10, 4, 6), LevelRule(3, 60, 8, 3, 5), LevelRule(2, 40, 6, 2, 3),
          LevelRule(1, 20, 0, 1, 0)]
CONSTRAINT = {"product_design", "marketing", "production_control", "quality", "equipment", "safety", "energy",
              "procurement", "warehousing", "finance"}


def scenarios(**levels: int) -> list[dict]:
    return [{"id": name, "level": level, "constraint": name in CONSTRAINT} for name, level in levels.items()]


# six at level 3 or above (three constraint); the rest below
LEVEL_2_COMPANY = scenarios(product_design=3, marketing=4, production_control=3, process_design=3,
                            after_sales=3, planning=3, quality=2, safety=2, energy=1, finance=0, office=2,
                            hr=1, decision=0, equipment=0, procurement=0, warehousing=0)


def uplift(sme: dict) -> list[dict]:
    out: list[dict] = []
    catalogues = real_catalogues()
    plan_uplift(LEVELS, sme, catalogues.sme_uplift, catalogues.priority, out)
    return out


def test_uplift_raises_the_cheapest_constraint_scenarios_first():
    [rec] = uplift({"level": 2, "points": 65.0, "scenarios": LEVEL_2_COMPANY})
    assert rec["id"] == "sme.uplift" and rec["kind"] == "sme_uplift"
    assert rec["params"] == {
        "target_level": 3, "points_short": 0.0, "headroom": [],
        "raises": [{"scenario": "quality", "from": 2, "to": 3, "constraint": True},
                   {"scenario": "safety", "from": 2, "to": 3, "constraint": True}]}
    assert rec["priority_parts"]["gap"] == 0.5  # 1 - 2 / 4
    assert rec["phase"] == "0-6"  # two raises: low effort
    assert [(leaf["ref"], leaf["value"], leaf["held"]) for leaf in rec["because"]] == [
        ("sme.points", 65.0, True), ("sme.scenarios_at_level.3", 6, False),
        ("sme.constraint_at_level.3", 3, False)]


def test_uplift_prefers_a_constraint_scenario_on_equal_cost_when_only_the_count_is_short():
    company = scenarios(product_design=3, marketing=3, production_control=3, quality=3, safety=3, planning=3,
                        office=2, energy=2, hr=2, finance=1)
    rule = LevelRule(3, 60, 9, 3, 5)
    assert [(r["scenario"], r["from"]) for r in minimal_raises(standing(company, 3), rule)] == [
        ("energy", 2), ("hr", 2), ("office", 2)]


def test_uplift_reports_points_short_and_the_items_with_headroom():
    sme = {"level": 2, "points": 55.5, "scenarios": LEVEL_2_COMPANY,
           "dimensions": [{"id": "foundation", "items": [{"id": "network", "points": 6, "max": 8},
                                                         {"id": "security", "points": 2, "max": 8},
                                                         {"id": "it", "points": 8, "max": 8}]},
                          {"id": "results", "items": [{"id": "quality", "points": 0, "max": 6}]}]}
    [rec] = uplift(sme)
    assert rec["params"]["points_short"] == 4.5
    assert rec["params"]["headroom"] == [{"item": "quality", "dimension": "results", "headroom": 6},
                                         {"item": "security", "dimension": "foundation", "headroom": 6},
                                         {"item": "network", "dimension": "foundation", "headroom": 2}]


def test_uplift_to_level_one_needs_only_points():
    [rec] = uplift({"level": 0, "points": 12.0, "scenarios": scenarios(quality=0)})
    assert rec["params"]["target_level"] == 1
    assert rec["params"]["raises"] == []
    assert rec["params"]["points_short"] == 8.0
    assert rec["priority_parts"]["gap"] == 1.0


def test_no_uplift_at_the_top_level():
    assert uplift({"level": 4, "points": 92.0, "scenarios": LEVEL_2_COMPANY}) == []


def test_many_raises_mean_a_later_phase():
    [rec] = uplift({"level": 3, "points": 85.0, "scenarios": LEVEL_2_COMPANY})
    assert len(rec["params"]["raises"]) == 9  # 10 at level 4 needed, marketing is there
    assert rec["phase"] == "18-36"


def brute_force(company: list[dict], rule: LevelRule) -> tuple[int, int]:
    """(size, cost) of the smallest, then cheapest, raise set that satisfies the rule."""
    below = [s for s in company if s["level"] < rule.at_level]
    reached = [s for s in company if s["level"] >= rule.at_level]
    for size in range(len(below) + 1):
        costs = [sum(rule.at_level - s["level"] for s in chosen) for chosen in combinations(below, size)
                 if len(reached) + size >= rule.min_scenarios
                 and sum(s["constraint"] for s in [*reached, *chosen]) >= rule.min_constraint]
        if costs:
            return size, min(costs)
    raise AssertionError("unreachable rule in the generated case")


@settings(max_examples=150, deadline=None)
@given(levels=st.lists(st.integers(0, 4), min_size=10, max_size=10), at_level=st.integers(1, 4),
       min_scenarios=st.integers(0, 10), min_constraint=st.integers(0, 5))
def test_minimal_raises_matches_brute_force(levels, at_level, min_scenarios, min_constraint):
    company = [{"id": f"s{index}", "level": level, "constraint": index < 5}
               for index, level in enumerate(levels)]
    rule = LevelRule(3, 60, min_scenarios, at_level, min_constraint)
    raises = minimal_raises(standing(company, at_level), rule)
    assert (len(raises), sum(r["to"] - r["from"] for r in raises)) == brute_force(company, rule)


def gaps(cmmm: dict) -> list[dict]:
    out: list[dict] = []
    catalogues = real_catalogues()
    find_gaps({"unanswered": [], **cmmm}, load_bundle().cmmm_model, {}, catalogues.cmmm_gaps,
              catalogues.priority, out)
    return out


def subdomain(name: str, **scores: float) -> dict:
    return {"id": name, "element": "technology",
            "scores": {level[1:]: value for level, value in scores.items()}}


CMMM = {"assessed": True, "level": 1, "level_scores": {"1": 0.9, "2": 0.7, "3": 0.3, "4": 0.0, "5": 0.0},
        "subdomains": [subdomain("strategy", l1=1.0, l2=0.5), subdomain("data", l1=0.5, l2=0.5, l3=0.0),
                       subdomain("network", l1=1.0, l2=0.9), subdomain("energy", l1=1.0, l2=0.2),
                       subdomain("sales", l1=0.0), subdomain("skills", l1=1.0, l2=0.6)]}


def test_cmmm_gaps_take_the_first_level_below_threshold_weakest_first():
    recs = gaps(CMMM)
    assert [(r["id"], r["params"]["score"]) for r in recs] == [
        ("cmmm.energy", 0.2), ("cmmm.data", 0.5), ("cmmm.strategy", 0.5)]  # skills (0.6) is 4th: cut
    assert all(r["params"]["level"] == 2 for r in recs)
    assert recs[0]["priority_parts"]["gap"] == 0.8
    assert recs[0]["because"][0] == {"source": "score", "ref": "cmmm.level_scores.2", "op": "lt",
                                     "threshold": 0.8, "value": 0.7, "held": True}


def test_cmmm_gaps_at_level_one_when_level_one_fails():
    recs = gaps({**CMMM, "level": 0, "level_scores": {"1": 0.75, "2": 0.7}})
    assert [(r["id"], r["params"]["level"]) for r in recs] == [("cmmm.sales", 1), ("cmmm.data", 1)]


def test_no_cmmm_gaps_when_every_level_passes_or_not_assessed():
    assert gaps({**CMMM, "level": 5, "level_scores": {str(n): 0.8 for n in range(1, 6)}}) == []
    assert gaps({"assessed": False, "level_scores": {}, "subdomains": []}) == []


def test_unanswered_statements_are_no_gaps_but_one_prompt_to_answer_them():
    bundle = load_bundle()
    answered = {q: "full" for q in sorted(bundle.cmmm_model.questions) if q.endswith(("_l1", "_l2"))}
    answered["cmmm_strategy_l2"] = "none"  # answered: a real gap at level 2 (S2 = 1 - 1/8 - 1/12)
    del answered["cmmm_data_l2"]  # open: no gap, but answering it could reach level 2
    cmmm = score_cmmm(bundle.cmmm_model, answered, assessed=True)
    out: list[dict] = []
    catalogues = real_catalogues()
    find_gaps(cmmm, bundle.cmmm_model, answered, catalogues.cmmm_gaps, catalogues.priority, out)
    by_id = {rec["id"]: rec for rec in out}
    assert set(by_id) == {"cmmm.strategy", "cmmm.complete"}
    assert by_id["cmmm.complete"]["kind"] == "complete_cmmm"
    assert by_id["cmmm.complete"]["params"]["possible_level"] == 5


def test_a_blank_self_check_gives_only_the_prompt():
    bundle = load_bundle()
    cmmm = score_cmmm(bundle.cmmm_model, {}, assessed=True)
    out: list[dict] = []
    catalogues = real_catalogues()
    find_gaps(cmmm, bundle.cmmm_model, {}, catalogues.cmmm_gaps, catalogues.priority, out)
    assert [rec["id"] for rec in out] == ["cmmm.complete"]


def test_no_prompt_when_answering_the_rest_could_not_raise_the_level():
    bundle = load_bundle()
    answers = {q: "none" for q in bundle.cmmm_model.questions if q.endswith("_l1")}
    del answers["cmmm_data_l1"]  # one open statement cannot lift level 1 from 0 to 0.8
    cmmm = score_cmmm(bundle.cmmm_model, answers, assessed=True)
    out: list[dict] = []
    catalogues = real_catalogues()
    find_gaps(cmmm, bundle.cmmm_model, answers, catalogues.cmmm_gaps, catalogues.priority, out)
    assert "cmmm.complete" not in {rec["id"] for rec in out}
    assert {rec["id"] for rec in out} and all(rec["kind"] == "cmmm_gap" for rec in out)
