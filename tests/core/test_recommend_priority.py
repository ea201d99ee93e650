"""Priority formula, phase rule, deterministic order, and the condition walks behind `because`."""

from __future__ import annotations

import pytest

from diagnosis.core.conditions import parse_condition
from diagnosis.core.recommend.priority import Weighting, recommendation
from diagnosis.core.recommend.ranking import arrange
from tests.core.recommend_fixtures import context, real_catalogues, triggered


def condition(data):
    parsed, problems = parse_condition(data, "test.yaml", "condition")
    assert not problems
    return parsed


def test_priority_is_the_product_of_its_parts_rounded():
    settings = real_catalogues().priority
    rec = recommendation("x.one", "green", 2 / 3, 0.5, Weighting(0.7, 0.9, "medium"), settings, {}, [])
    assert rec["priority"] == round(2 / 3 * 0.7 * 0.5 * 0.9, 4) == 0.21
    assert rec["priority_parts"] == {"gap": 0.6667, "impact": 0.7, "fit": 0.5, "incentive": 0.9}
    assert rec["phase"] == "6-18"


@pytest.mark.parametrize(("effort", "delayed", "phase"), [
    ("low", False, "0-6"), ("low", True, "6-18"), ("medium", True, "18-36"), ("high", True, "18-36")])
def test_phase_follows_effort_and_is_delayed_by_unmet_prerequisites(effort, delayed, phase):
    assert real_catalogues().priority.phase(effort, delayed) == phase


def test_each_phase_carries_its_title():
    catalogues = real_catalogues()
    assert catalogues.priority.phases == ("0-6", "6-18", "18-36")
    assert catalogues.texts["phase.0-6"] == {"zh_CN": "近期（0–6 个月）", "en": "Near term (0–6 months)"}
    assert all(f"phase.{phase}" in catalogues.texts for phase in catalogues.priority.phases)


def ordered(recs: list[dict]) -> list[dict]:
    return arrange(recs, context(), real_catalogues().priority, {}, {}, {})


def test_order_is_priority_descending_then_id():
    recs = [{"id": i, "kind": "green", "priority": p, "priority_parts": {}, "params": {}}
            for i, p in (("b", 0.5), ("a", 0.5), ("c", 0.9))]
    assert [rec["id"] for rec in ordered(recs)] == ["c", "a", "b"]


CHEMICAL_PLANT = {"chem_personnel_positioning": False, "chem_gds_linked": False, "chem_e_permit": False,
                  "chem_sis": "installed", "pain_points": ["safety", "energy"], "energy_metering": "manual",
                  "systems_in_use": ["erp"], "green_certs": ["iso9001"], "interests": ["green_factory"]}


def test_recommendations_are_deterministic_and_consistent_with_their_parts():
    ctx = context(CHEMICAL_PLANT, facts={"robot_density": 40.0}, tags=["chemicals"])
    first = ordered(list(triggered(ctx).values()))
    again = ordered(list(triggered(ctx).values()))
    assert first == again
    assert len(first) > 10
    assert [r["priority"] for r in first] == sorted((r["priority"] for r in first), reverse=True)
    for rec in first:
        parts = rec["priority_parts"]
        assert all(0 <= parts[name] <= 1 for name in ("gap", "impact", "fit", "incentive"))
        product = (parts["gap"] * parts["impact"] * parts["fit"] * parts["incentive"]
                   * parts["prerequisites"])
        if rec["params"].get("after"):  # never above what it waits for
            assert rec["priority"] <= product + 1e-4
        else:
            assert rec["priority"] == pytest.approx(product, abs=1e-4)
        assert rec["phase"] in ("0-6", "6-18", "18-36")


def test_because_lists_the_holding_branches_of_any_and_every_child_of_all():
    cond = condition({"all": [{"answer": "a", "op": "ge", "value": 2},
                              {"any": [{"answer": "b", "op": "eq", "value": True},
                                       {"answer": "c", "op": "eq", "value": True}]}]})
    held, because, _ = cond.explain(context({"a": 3, "b": False, "c": True}))
    assert held
    assert [(leaf["ref"], leaf["value"]) for leaf in because] == [("a", 3), ("c", True)]


def test_because_explains_a_failure_under_not():
    cond = condition({"not": {"all": [{"answer": "a", "op": "ge", "value": 2},
                                      {"answer": "b", "op": "eq", "value": True}]}})
    held, because, _ = cond.explain(context({"a": 3, "b": False}))
    assert held
    assert because == [{"source": "answer", "ref": "b", "op": "eq", "threshold": True, "value": False,
                        "held": False}]


A_IS_1 = {"answer": "a", "op": "eq", "value": 1}
B_IS_1 = {"answer": "b", "op": "eq", "value": 1}


def test_a_failing_trigger_is_not_held():
    cond = condition({"any": [{"answer": "a", "op": "ge", "value": 2}, B_IS_1]})
    held, _, share = cond.explain(context({"a": 1}))
    assert not held
    assert share == 0.0


@pytest.mark.parametrize(("data", "answers", "outcome"), [
    ({"all": [A_IS_1, B_IS_1]}, {"a": 1}, None),
    ({"all": [A_IS_1, B_IS_1]}, {"a": 2}, False),
    ({"any": [A_IS_1, B_IS_1]}, {"a": 1}, True),
    ({"any": [A_IS_1, B_IS_1]}, {"a": 2}, None),
    ({"not": A_IS_1}, {}, None),
    ({"not": A_IS_1}, {"a": 2}, True),
    ({"answer": "a", "op": "unanswered"}, {}, True),
])
def test_judge_is_three_valued(data, answers, outcome):
    out: list[dict] = []
    assert condition(data).judge(context(answers), out) is outcome
    assert len(out) == len(data.get("all", data.get("any", [data])))


def test_trigger_share_counts_answered_signals_with_their_polarity():
    cond = condition({"all": [{"answer": "s", "op": "answered"},
                              {"not": {"answer": "s", "op": "contains", "value": "ems"}},
                              {"any": [{"answer": "p", "op": "contains", "value": "energy"},
                                       {"answer": "t", "op": "eq", "value": "up"},
                                       {"answer": "u", "op": "eq", "value": 1}]}]})
    # answered signals: s (lacks ems: points to it), p (no energy: does not), t (up: points to it)
    assert cond.explain(context({"s": ["erp"], "p": ["cost"], "t": "up"})).share == pytest.approx(2 / 3)
    assert cond.explain(context({})).share == 1.0
