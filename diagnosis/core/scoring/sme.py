"""Scoring the MIIT 2024 SME digital level: points per dimension, scenario levels, the level rule.

The level is the highest rule (highest level first) whose three conditions all hold: points >=
min_points, at least min_scenarios scenarios at level >= at_level, and of those at least
min_constraint constraint scenarios. 0 means "not yet level 1".
"""

from __future__ import annotations

from typing import Any

from diagnosis.core.numeric import Number, rounded
from diagnosis.core.scoring.common import DECIMALS
from diagnosis.core.scoring.sme_model import Dimension, LevelRule, SmeModel


def scenario_levels(model: SmeModel, answers: dict[str, Any]) -> dict[str, int]:
    """Each scenario's level; unanswered counts as 0 (未开展)."""
    return {qid: answers.get(qid) or 0 for qid in model.scenario_ids}


def counts_at(model: SmeModel, levels: dict[str, int], at_level: int) -> tuple[int, int]:
    """(scenarios at level >= at_level, of which constraint scenarios)."""
    reached = constraint = 0
    for qid, level in levels.items():
        if level >= at_level:
            reached += 1
            constraint += qid in model.constraint_ids
    return reached, constraint


Tally = dict[int, tuple[int, int]]  # a rule's at_level -> counts_at(...), worked out once per result


def tally(model: SmeModel, levels: dict[str, int]) -> dict[int, tuple[int, int]]:
    return {rule.at_level: counts_at(model, levels, rule.at_level) for rule in model.levels}


def rule_holds(rule: LevelRule, points: Number, counts: Tally) -> bool:
    scenarios, constraint = counts[rule.at_level]
    return points >= rule.min_points and scenarios >= rule.min_scenarios and constraint >= rule.min_constraint


def level_for(model: SmeModel, points: Number, counts: Tally) -> int:
    return next((rule.level for rule in model.levels if rule_holds(rule, points, counts)), 0)


def _rule_entry(rule: LevelRule, points: Number, counts: Tally, met: bool) -> dict[str, Any]:
    scenarios, constraint = counts[rule.at_level]
    return {"level": rule.level, "met": met, "points": points, "min_points": rule.min_points,
            "scenarios_at_level": scenarios, "min_scenarios": rule.min_scenarios,
            "constraint_at_level": constraint, "min_constraint": rule.min_constraint}


def _next_level(model: SmeModel, level: int, points: Number, counts: Tally) -> dict | None:
    rule = next((rule for rule in reversed(model.levels) if rule.level > level), None)
    if rule is None:
        return None
    scenarios, constraint = counts[rule.at_level]
    return {"level": rule.level, "points_short": rounded(max(0, rule.min_points - points), DECIMALS),
            "scenarios_short": max(0, rule.min_scenarios - scenarios),
            "constraint_short": max(0, rule.min_constraint - constraint)}


def _dimension(dimension: Dimension, answers: dict[str, Any], facts: dict[str, Any]
               ) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    total: Any = 0  # int or float as the model gives them (a result shows 12, not 12.0)
    for item in dimension.items:
        scored = item.score(answers, facts)
        total += scored
        items.append({"id": item.id, "points": scored, "max": item.max})
    return {"id": dimension.id, "points": rounded(total, DECIMALS), "max": dimension.max, "items": items}


def score_sme(model: SmeModel, answers: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """The `sme` block of the result."""
    dimensions = [_dimension(dimension, answers, facts) for dimension in model.dimensions]
    total = 0.0
    for dimension in dimensions:
        total += dimension["points"]
    total = rounded(total, DECIMALS)
    levels = scenario_levels(model, answers)
    counts = tally(model, levels)
    level = level_for(model, total, counts)
    deciding = next((rule for rule in model.levels if rule.level == level), model.levels[-1])
    constraint_ids = model.constraint_ids
    return {
        "points": total, "max": model.max, "dimensions": dimensions,
        "scenarios": [{"id": qid, "level": reached, "constraint": qid in constraint_ids}
                      for qid, reached in levels.items()],
        "level": level,
        "level_rule": _rule_entry(deciding, total, counts, met=level > 0),
        "next_level": _next_level(model, level, total, counts),
    }
