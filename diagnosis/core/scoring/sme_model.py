"""The MIIT 2024 SME digital-level model as data (questionnaires/models/sme2024.yaml).

Scored items take points per selected option (multi), points for the chosen option (single) or
points from a band of a derived fact; the 16 scenarios and the constraint flags are listed;
the level rule is a table of (level, min points, scenarios at >= level, constraint scenarios).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagnosis.core.loader_common import FileChecks, open_data_file
from diagnosis.core.problems import Problem
from diagnosis.core.scoring.common import DECIMALS, FactRef, ModelHeader, QuestionRef, number, read_header

FILE_KEYS = frozenset({"schema", "model", "edition", "title", "notes", "max", "dimensions", "scenarios",
                       "levels"})
DIMENSION_KEYS = frozenset({"id", "label", "max", "items"})
ITEM_KEYS = frozenset({"id", "label", "max", "kind", "question", "fact", "points", "bands"})
LEVEL_KEYS = frozenset({"level", "min_points", "min_scenarios", "at_level", "min_constraint", "note"})
WHOLE_LEVEL_KEYS = ("level", "min_scenarios", "at_level", "min_constraint")
SCENARIO_KEYS = frozenset({"questions", "constraint", "note"})

Scorer = Callable[[dict[str, Any], dict[str, Any]], float]


@dataclass(frozen=True)
class Item:
    id: str
    label: dict[str, str]
    max: float
    score: Scorer


@dataclass(frozen=True)
class Dimension:
    id: str
    label: dict[str, str]
    max: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class LevelRule:
    level: int
    min_points: float
    min_scenarios: int
    at_level: int
    min_constraint: int
    note: dict[str, str] | None = None


@dataclass(frozen=True)
class SmeModel:
    header: ModelHeader
    max: float
    dimensions: tuple[Dimension, ...]
    scenario_ids: tuple[str, ...]
    constraint_ids: frozenset[str]
    levels: list[LevelRule]  # highest level first
    references: tuple[Any, ...]

    @property
    def edition(self) -> str:
        return self.header.edition


def _per_option(question: str, points: dict[str, float], cap: float) -> Scorer:
    def score(answers: dict[str, Any], facts: dict[str, Any]) -> float:
        selected = answers.get(question)
        if not selected:
            return 0
        return min(cap, round(sum(points.get(option, 0) for option in selected), DECIMALS))
    return score


def _option(question: str, points: dict[Any, float]) -> Scorer:
    def score(answers: dict[str, Any], facts: dict[str, Any]) -> float:
        return points.get(answers.get(question), 0)
    return score


def _band(fact: str, bands: list[tuple[float | None, float]]) -> Scorer:
    """Points of the first band whose upper edge (inclusive) reaches the value; the last band is open."""
    def score(answers: dict[str, Any], facts: dict[str, Any]) -> float:
        value = facts.get(fact)
        if value is None:
            return 0
        for upto, points in bands:
            if upto is None or value <= upto:
                return points
        return 0
    return score


class _Reader:
    def __init__(self, checks: FileChecks):
        self.checks = checks
        self.references: list[Any] = []

    def item(self, data: Any, path: str) -> Item | None:
        checks = self.checks
        if checks.mapping(data, path) is None:
            return None
        before = len(checks.problems)
        checks.keys(data, ITEM_KEYS, path)
        item_id = checks.ident(data, path)
        label = checks.text(data, "label", path)
        cap = number(checks, data, "max", path)
        kind = data.get("kind")
        builder = {"per_option": self._per_option, "option": self._option, "band": self._band}.get(kind)
        if builder is None:
            checks.fail(f"{path}.kind", f"unknown item kind {kind!r} (per_option, option, band)")
            return None
        scorer, best = builder(data, path, cap)
        if abs(best - cap) > 1e-9:
            checks.fail(f"{path}.max", f"max {cap} differs from the best achievable {best}")
        if len(checks.problems) > before:
            return None
        return Item(item_id or "", label or {}, cap, scorer)

    def _points(self, data: dict, path: str) -> dict[str, float]:
        points = self.checks.mapping(data.get("points"), f"{path}.points") or {}
        for option, value in points.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                self.checks.fail(f"{path}.points.{option}", "must be a number >= 0")
        return {str(option): value for option, value in points.items()}

    def _question(self, data: dict, path: str, qtype: str, options: list[str]) -> str:
        question = data.get("question")
        if not isinstance(question, str):
            self.checks.fail(f"{path}.question", "must name a question")
            return ""
        self.references.append(QuestionRef(self.checks.file, f"{path}.question", question, (qtype,),
                                           tuple(options)))
        return question

    def _per_option(self, data: dict, path: str, cap: float) -> tuple[Scorer, float]:
        points = self._points(data, path)
        question = self._question(data, path, "multi", list(points))
        return _per_option(question, points, cap), round(sum(points.values()), DECIMALS)

    def _option(self, data: dict, path: str, cap: float) -> tuple[Scorer, float]:
        points = self._points(data, path)
        question = self._question(data, path, "single", list(points))
        return _option(question, points), max(points.values(), default=0)

    def _band(self, data: dict, path: str, cap: float) -> tuple[Scorer, float]:
        fact = data.get("fact")
        if not isinstance(fact, str):
            self.checks.fail(f"{path}.fact", "must name a derived fact")
        else:
            self.references.append(FactRef(self.checks.file, f"{path}.fact", fact))
        bands: list[tuple[float | None, float]] = []
        raw_bands = self.checks.list(data.get("bands"), f"{path}.bands")
        for index, band in enumerate(raw_bands):
            where = f"{path}.bands[{index}]"
            if self.checks.mapping(band, where) is None:
                continue
            self.checks.keys(band, frozenset({"upto", "points"}), where)
            upto = self.checks.number(band, "upto", where)
            if (upto is None) != (index == len(raw_bands) - 1):
                self.checks.fail(where, "every band but the last needs `upto`; the last is open")
            if bands and upto is not None and bands[-1][0] is not None and upto <= bands[-1][0]:
                self.checks.fail(f"{where}.upto", "band edges must increase")
            bands.append((upto, number(self.checks, band, "points", where)))
        return _band(fact or "", bands), max((points for _, points in bands), default=0)


def load_sme_model(path: Path, root: Path) -> tuple[SmeModel | None, list[Problem]]:
    data, checks = open_data_file(path, root, FILE_KEYS)
    problems = checks.problems
    if data is None:
        return None, problems
    header = read_header(checks, data, "sme2024")
    reader = _Reader(checks)
    dimensions = _dimensions(checks, reader, data.get("dimensions"))
    total = number(checks, data, "max", "")
    if abs(sum(d.max for d in dimensions) - total) > 1e-9:
        checks.fail("max", f"max {total} differs from the sum of the dimensions")
    scenario_ids, constraint_ids = _scenarios(checks, reader, data.get("scenarios"))
    levels = _levels(checks, data.get("levels"))
    if problems:
        return None, problems
    return SmeModel(header, total, dimensions, scenario_ids, constraint_ids, levels,
                    tuple(reader.references)), problems


def _dimensions(checks: FileChecks, reader: _Reader, data: Any) -> tuple[Dimension, ...]:
    dimensions = []
    seen: set[str] = set()
    for index, raw in enumerate(checks.list(data, "dimensions")):
        path = f"dimensions[{index}]"
        if checks.mapping(raw, path) is None:
            continue
        checks.keys(raw, DIMENSION_KEYS, path)
        items = tuple(item for position, entry in enumerate(checks.list(raw.get("items"), f"{path}.items"))
                      if (item := reader.item(entry, f"{path}.items[{position}]")) is not None)
        for position, item in enumerate(items):
            if item.id in seen:
                checks.fail(f"{path}.items[{position}].id", f"duplicate item id {item.id!r}")
            seen.add(item.id)
        cap = number(checks, raw, "max", path)
        if abs(sum(item.max for item in items) - cap) > 1e-9:
            checks.fail(f"{path}.max", f"max {cap} differs from the sum of its items")
        dimension_id = checks.ident(raw, path) or ""
        if dimension_id in seen:
            checks.fail(f"{path}.id", f"duplicate dimension id {dimension_id!r}")
        seen.add(dimension_id)
        dimensions.append(Dimension(dimension_id, checks.text(raw, "label", path) or {}, cap, items))
    return tuple(dimensions)


def _scenarios(checks: FileChecks, reader: _Reader, data: Any) -> tuple[tuple[str, ...], frozenset[str]]:
    raw = checks.mapping(data, "scenarios") or {}
    checks.keys(raw, SCENARIO_KEYS, "scenarios")
    scenario_ids = [str(qid) for qid in checks.list(raw.get("questions"), "scenarios.questions")]
    if len(set(scenario_ids)) != len(scenario_ids):
        checks.fail("scenarios.questions", "a scenario is listed twice")
    for index, qid in enumerate(scenario_ids):
        reader.references.append(QuestionRef(checks.file, f"scenarios.questions[{index}]", qid,
                                             ("scenario_level",)))
    constraint = [str(qid) for qid in checks.list(raw.get("constraint"), "scenarios.constraint")]
    for index, qid in enumerate(constraint):
        if qid not in scenario_ids:
            checks.fail(f"scenarios.constraint[{index}]", f"{qid!r} is not one of the scenarios")
    checks.text(raw, "note", "scenarios", required=False)
    return tuple(scenario_ids), frozenset(constraint)


def _levels(checks: FileChecks, data: Any) -> list[LevelRule]:
    rules = []
    for index, raw in enumerate(checks.list(data, "levels")):
        path = f"levels[{index}]"
        if checks.mapping(raw, path) is None:
            continue
        checks.keys(raw, LEVEL_KEYS, path)
        whole = {key: _whole(checks, raw, key, path) for key in WHOLE_LEVEL_KEYS}
        rules.append(LevelRule(whole["level"], number(checks, raw, "min_points", path),
                               whole["min_scenarios"], whole["at_level"], whole["min_constraint"],
                               checks.text(raw, "note", path, required=False)))
    if len({rule.level for rule in rules}) != len(rules):
        checks.fail("levels", "a level is listed twice")
    return sorted(rules, key=lambda rule: rule.level, reverse=True)


def _whole(checks: FileChecks, raw: dict, key: str, path: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        checks.fail(f"{path}.{key}", "must be a whole number >= 0")
        return 0
    return value
