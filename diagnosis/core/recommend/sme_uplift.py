"""SME 2024 level uplift: the smallest set of scenario raises that reaches the next level.

The next level's rule asks for `min_scenarios` scenarios at `at_level` or above, `min_constraint`
of them constraint scenarios, and `min_points` points. With c constraint raises and s raises in
all still needed, the smallest set has max(c, s) raises: the c cheapest constraint scenarios below
the level, then the cheapest of the rest (constraint scenarios first on equal cost). The cost of a
raise is the number of levels it climbs; ties go by scenario id. Points are not moved by scenario
levels, so a points shortfall is reported with the scored items that still have headroom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from diagnosis.core.recommend.priority import EFFORTS, PrioritySettings, Weighting, recommendation
from diagnosis.core.recommend.reader import CatalogueReader
from diagnosis.core.scoring.sme_model import LevelRule

SETTINGS_KEYS = frozenset({"title", "why", "how", "impact", "incentive", "effort_by_raises",
                           "effort_otherwise", "headroom_items"})
REC_ID = "sme.uplift"


class EffortStep(NamedTuple):
    up_to: int  # raises
    effort: str


@dataclass(frozen=True)
class UpliftSettings:
    impact: float
    incentive: float
    effort_by_raises: tuple[EffortStep, ...]  # ascending
    effort_otherwise: str
    headroom_items: int

    def weighting(self, raises: int) -> Weighting:
        effort = next((step.effort for step in self.effort_by_raises if raises <= step.up_to),
                      self.effort_otherwise)
        return self._weightings[effort]

    @cached_property
    def _weightings(self) -> dict[str, Weighting]:
        """One Weighting per effort (only the effort varies between results)."""
        return {effort: Weighting(self.impact, self.incentive, effort) for effort in EFFORTS}


def parse_uplift(reader: CatalogueReader, data: Any, settings: PrioritySettings) -> UpliftSettings:
    path = "sme_uplift"
    data = reader.mapping(data, path) or {}
    reader.keys(data, SETTINGS_KEYS, path)
    for key_name, suffix in (("title", ""), ("why", ".why"), ("how", ".how")):
        reader.add_text(REC_ID + suffix, data, key_name, path)
    steps = []
    for index, step in enumerate(reader.list(data.get("effort_by_raises"), f"{path}.effort_by_raises")):
        where = f"{path}.effort_by_raises[{index}]"
        if reader.mapping(step, where) is None:
            continue
        reader.keys(step, frozenset({"up_to", "effort"}), where)
        steps.append(EffortStep(reader.positive_int(step, "up_to", where),
                                reader.choice(step, "effort", where, EFFORTS, "effort") or "low"))
    if [step.up_to for step in steps] != sorted({step.up_to for step in steps}):
        reader.fail(f"{path}.effort_by_raises", "up_to must increase from one entry to the next")
    incentive = reader.choice(data, "incentive", path, settings.incentives, "incentive")
    return UpliftSettings(
        impact=reader.fraction(data, "impact", path),
        incentive=settings.incentives.get(incentive or "", 0.0),
        effort_by_raises=tuple(steps),
        effort_otherwise=reader.choice(data, "effort_otherwise", path, EFFORTS, "effort") or "high",
        headroom_items=reader.positive_int(data, "headroom_items", path))


def next_rule(levels: Sequence[LevelRule], current: int) -> LevelRule | None:
    """The rule of the lowest level above `current` (levels are listed highest first)."""
    above = [rule for rule in levels if rule.level > current]
    return min(above, key=lambda rule: rule.level) if above else None


class Raise(NamedTuple):
    """A scenario below the rule's level; raises sort cheapest first, constraint scenarios first."""

    cost: int  # levels to climb
    ordinary: bool  # not a constraint scenario
    scenario: str
    level: int


class Standing(NamedTuple):
    """Where the scenarios stand against one rule: counts at its level and the raise candidates."""

    reached: int
    reached_constraint: int
    below: list[Raise]  # cheapest first


def standing(scenarios: Sequence[dict[str, Any]], at_level: int) -> Standing:
    reached = reached_constraint = 0
    below = []
    for scenario in scenarios:
        level: int = scenario["level"] or 0
        constraint: bool = scenario["constraint"]
        if level >= at_level:
            reached += 1
            reached_constraint += constraint
        else:
            below.append(Raise(at_level - level, not constraint, scenario["id"], level))
    below.sort()
    return Standing(reached, reached_constraint, below)


def minimal_raises(where: Standing, rule: LevelRule) -> list[dict[str, Any]]:
    """The fewest, then cheapest, raises that satisfy the rule's scenario counts."""
    constraint_short = max(0, rule.min_constraint - where.reached_constraint)
    total_short = max(0, rule.min_scenarios - where.reached, constraint_short)
    constraint_raises = [candidate for candidate in where.below if not candidate.ordinary][:constraint_short]
    taken = {candidate.scenario for candidate in constraint_raises}
    rest = [candidate for candidate in where.below if candidate.scenario not in taken]
    chosen = sorted(constraint_raises + rest[:total_short - len(constraint_raises)])
    return [{"scenario": candidate.scenario, "from": candidate.level, "to": rule.at_level,
             "constraint": not candidate.ordinary} for candidate in chosen]


def headroom(sme: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """The scored items furthest below their maximum, largest headroom first, then id."""
    gaps = []
    dimensions: list[dict[str, Any]] = sme.get("dimensions", [])
    for dimension in dimensions:
        items: list[dict[str, Any]] = dimension.get("items", [])
        for item in items:
            if item["points"] < item["max"]:
                gaps.append((item["points"] - item["max"], item["id"], dimension["id"]))
    gaps.sort()
    return [{"item": item, "dimension": dimension, "headroom": round(-shortfall, 2)}
            for shortfall, item, dimension in gaps[:limit]]


def plan_uplift(levels: Sequence[LevelRule], sme: dict[str, Any], settings: UpliftSettings,
                priority: PrioritySettings, out: list[dict[str, Any]]) -> None:
    """Append the sme_uplift recommendation, unless the company is at the top level already."""
    current = sme.get("level") or 0
    rule = next_rule(levels, current)
    if rule is None:
        return
    where = standing(sme.get("scenarios", ()), rule.at_level)
    raises = minimal_raises(where, rule)
    points = sme.get("points") or 0
    points_short = round(max(0.0, rule.min_points - points), 2)
    params = {"target_level": rule.level, "raises": raises, "points_short": points_short,
              "headroom": headroom(sme, settings.headroom_items) if points_short > 0 else []}
    top = max(r.level for r in levels)
    out.append(recommendation(REC_ID, "sme_uplift", 1 - current / top, 1.0, settings.weighting(len(raises)),
                              priority, params, _because(rule, where, points)))


def _because(rule: LevelRule, where: Standing, points: float) -> list[dict[str, Any]]:
    """The next level's three tests with the company's values (refs name the scorecard figures)."""
    tests = (("sme.points", rule.min_points, points),
             (f"sme.scenarios_at_level.{rule.at_level}", rule.min_scenarios, where.reached),
             (f"sme.constraint_at_level.{rule.at_level}", rule.min_constraint, where.reached_constraint))
    return [{"source": "score", "ref": ref, "op": "ge", "threshold": threshold, "value": value,
             "held": value >= threshold} for ref, threshold, value in tests]
