"""Scoring the MIIT 2024 SME digital level: points per dimension, scenario levels, the level rule.

The level is the highest rule (highest level first) whose three conditions all hold: points >=
min_points, at least min_scenarios scenarios at level >= at_level, and of those at least
min_constraint constraint scenarios. 0 means "not yet level 1".
"""

from __future__ import annotations

from typing import Any, NamedTuple

from diagnosis.core.scoring.common import DECIMALS
from diagnosis.core.scoring.sme_model import Dimension, LevelRule, SmeModel


class Reached(NamedTuple):
    """How many scenarios reach a level, and how many of those are constraint scenarios."""

    scenarios: int
    constraint: int


Tally = dict[int, Reached]  # by a rule's at_level, worked out once per result


def scenario_levels(model: SmeModel, answers: dict[str, Any]) -> dict[str, int]:
    """Each scenario's level; unanswered counts as 0 (未开展)."""
    return {qid: answers.get(qid) or 0 for qid in model.scenario_ids}


def count_reaching(model: SmeModel, levels: dict[str, int], at_level: int) -> Reached:
    scenarios = constraint = 0
    for qid, level in levels.items():
        if level >= at_level:
            scenarios += 1
            constraint += qid in model.constraint_ids
    return Reached(scenarios, constraint)


def tally(model: SmeModel, levels: dict[str, int]) -> Tally:
    return {rule.at_level: count_reaching(model, levels, rule.at_level) for rule in model.levels}


def rule_holds(rule: LevelRule, points: float, counts: Tally) -> bool:
    count = counts[rule.at_level]
    return (points >= rule.min_points and count.scenarios >= rule.min_scenarios
            and count.constraint >= rule.min_constraint)


def level_for(model: SmeModel, points: float, counts: Tally) -> int:
    return next((rule.level for rule in model.levels if rule_holds(rule, points, counts)), 0)


def _rule_entry(rule: LevelRule, points: float, counts: Tally, met: bool) -> dict[str, Any]:
    count = counts[rule.at_level]
    return {"level": rule.level, "met": met, "points": points, "min_points": rule.min_points,
            "scenarios_at_level": count.scenarios, "min_scenarios": rule.min_scenarios,
            "constraint_at_level": count.constraint, "min_constraint": rule.min_constraint}


def _next_level(model: SmeModel, level: int, points: float, counts: Tally) -> dict | None:
    rule = next((rule for rule in reversed(model.levels) if rule.level > level), None)
    if rule is None:
        return None
    count = counts[rule.at_level]
    return {"level": rule.level, "points_short": round(max(0, rule.min_points - points), DECIMALS),
            "scenarios_short": max(0, rule.min_scenarios - count.scenarios),
            "constraint_short": max(0, rule.min_constraint - count.constraint)}


def _dimension(dimension: Dimension, answers: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    items = []
    total: float = 0  # int or float as the model gives them (a result shows 12, not 12.0)
    for item in dimension.items:
        points = item.score(answers, facts)
        total += points
        items.append({"id": item.id, "points": points, "max": item.max})
    return {"id": dimension.id, "points": round(total, DECIMALS), "max": dimension.max, "items": items}


def score_sme(model: SmeModel, answers: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """The `sme` block of the result."""
    dimensions = [_dimension(dimension, answers, facts) for dimension in model.dimensions]
    total = round(sum((dimension["points"] for dimension in dimensions), 0.0), DECIMALS)
    levels = scenario_levels(model, answers)
    counts = tally(model, levels)
    level = level_for(model, total, counts)
    deciding = next((rule for rule in model.levels if rule.level == level), model.levels[-1])
    constraint_ids = model.constraint_ids
    return {
        "points": total, "max": model.max, "dimensions": dimensions,
        "scenarios": [{"id": qid, "level": level_reached, "constraint": qid in constraint_ids}
                      for qid, level_reached in levels.items()],
        "level": level,
        "level_rule": _rule_entry(deciding, total, counts, met=level > 0),
        "next_level": _next_level(model, level, total, counts),
    }
