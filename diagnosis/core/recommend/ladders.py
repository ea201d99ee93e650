"""The 上云 ladder (catalogues/cloud_ladder.yaml) and the smart-factory ladders (smart_factory.yaml).

Cloud: the company stands on the highest step whose condition holds with every step below it;
the next step is recommended. Smart factory: every criterion of every rung is judged met /
not_met / unknown; the first rung of each track that is not met, or met but whose title the
company does not hold (it can apply), is recommended with its gaps,
ranked by closeness (the share of its criteria met), so the nearest rung comes first. A rung whose
title the company holds (`held_if`) counts as met; a company failing a rung's `eligible_if` (a
serious accident, a credit blemish) is recommended no rung of that track.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diagnosis.core.conditions import Condition
from diagnosis.core.context import Context
from diagnosis.core.recommend.priority import (
    PrioritySettings,
    Weighting,
    parse_weighting,
    recommendation,
)
from diagnosis.core.recommend.reader import RESERVED_TEXT_SUFFIXES, CatalogueReader
from diagnosis.core.recommend.triggered import Prerequisite, parse_prerequisites, pick_prerequisites

CLOUD_FILE_KEYS = frozenset({"schema", "edition", "prerequisites", "steps"})
STEP_KEYS = frozenset({"level", "title", "why", "how", "condition", "prerequisites", "impact", "incentive",
                       "effort", "note"})
SF_FILE_KEYS = frozenset({"schema", "edition", "rungs"})
RUNG_KEYS = frozenset({"id", "track", "confidence", "edition", "title", "why", "how", "impact", "incentive",
                       "effort", "recommend_if", "held_if", "eligible_if", "criteria", "note"})
CRITERION_KEYS = frozenset({"id", "confidence", "text", "condition", "note"})
TRACKS = ("miit", "anhui")
CONFIDENCES = ("confirmed", "memory", "unconfirmed", "interpreted")
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


def status(outcome: bool | None) -> str:
    """The status of a judged criterion: met, not met, or unknown (a value it needs is missing)."""
    return UNKNOWN if outcome is None else MET if outcome else NOT_MET


@dataclass(frozen=True)
class CloudStep:
    """A step above L0 (L0, where every company starts, has texts only)."""

    level: int
    condition: Condition
    prerequisites: tuple[Prerequisite, ...]
    weighting: Weighting


@dataclass(frozen=True)
class Criterion:
    id: str
    condition: Condition


@dataclass(frozen=True)
class Rung:
    id: str  # the smart_factory entry id; "sf.<id>" is its recommendation id and text key
    track: str
    criteria: tuple[Criterion, ...]
    recommend_if: Condition | None
    weighting: Weighting
    held_if: Condition | None = None  # the company holds the title: the rung counts as met
    eligible_if: Condition | None = None  # fails: no rung of the track is recommended


# ---------------------------------------------------------------------------------------- cloud

def parse_cloud_ladder(reader: CatalogueReader, data: dict, settings: PrioritySettings
                       ) -> tuple[CloudStep, ...]:
    reader.keys(data, CLOUD_FILE_KEYS, "")
    prerequisites = parse_prerequisites(reader, data.get("prerequisites"), "cloud")
    steps = []
    listed = 0
    for index, item in enumerate(reader.list(data.get("steps"), "steps")):
        path = f"steps[{index}]"
        if reader.mapping(item, path) is None:
            continue
        reader.keys(item, STEP_KEYS, path)
        if item.get("level") != index:
            reader.fail(f"{path}.level", f"must be {index}: steps are listed from L0 upwards")
        key = f"cloud.l{index}"
        for key_name, suffix in (("title", ""), ("why", ".why"), ("how", ".how")):
            reader.add_text(key + suffix, item, key_name, path)
        listed += 1
        if index == 0:
            reader.keys(item, frozenset({"level", "title", "why", "how"}), path)
            continue
        condition = reader.checked_condition(item, "condition", path)
        step_prerequisites = pick_prerequisites(reader, item, path, prerequisites)
        weighting = parse_weighting(reader, item, path, settings)
        if condition is not None:
            steps.append(CloudStep(index, condition, step_prerequisites, weighting))
    if listed < 2:
        reader.fail("steps", "needs L0 and at least one step above it")
    return tuple(steps)


def climb_cloud(steps: tuple[CloudStep, ...], ctx: Context, settings: PrioritySettings,
                out: list[dict[str, Any]]) -> dict[str, Any]:
    """The result's `cloud` entry (`steps` are L1 upwards); appends the next step's recommendation
    to `out`."""
    current = 0
    for step in steps:
        if not step.condition.holds(ctx):
            break
        current = step.level
    top = steps[-1].level
    if current == top:
        return {"current_step": current, "next_step": None}
    following = steps[current]
    unmet = [p.key for p in following.prerequisites if not p.condition.holds(ctx)]
    params = {"current_step": current, "next_step": following.level, "unmet_prerequisites": unmet}
    out.append(recommendation(f"cloud.l{following.level}", "cloud_step", 1 - current / top, 1.0,
                              following.weighting, settings, params, following.condition.entries(ctx),
                              delayed=bool(unmet)))
    return {"current_step": current, "next_step": following.level}


# ---------------------------------------------------------------------------------------- smart factory

def parse_smart_factory(reader: CatalogueReader, data: dict, settings: PrioritySettings) -> tuple[Rung, ...]:
    reader.keys(data, SF_FILE_KEYS, "")
    rungs = (_rung(reader, item, path, settings)
             for path, item, _ in reader.entries(reader.list(data.get("rungs"), "rungs"), "rungs", "rung"))
    return tuple(rung for rung in rungs if rung is not None)


def _rung(reader: CatalogueReader, item: dict, path: str, settings: PrioritySettings) -> Rung | None:
    reader.keys(item, RUNG_KEYS, path)
    for key_name, suffix in (("title", ""), ("why", ".why"), ("how", ".how"), ("edition", ".edition")):
        reader.add_text(f"sf.{item['id']}{suffix}", item, key_name, path)
    track = reader.choice(item, "track", path, TRACKS, "track")
    reader.choice(item, "confidence", path, CONFIDENCES, "confidence")
    recommend_if = reader.checked_condition(item, "recommend_if", path, required=False)
    held_if = reader.checked_condition(item, "held_if", path, required=False)
    eligible_if = reader.checked_condition(item, "eligible_if", path, required=False)
    weighting = parse_weighting(reader, item, path, settings)
    criteria = _criteria(reader, item.get("criteria"), f"{path}.criteria", f"sf.{item['id']}")
    if track is None or criteria is None:
        return None
    return Rung(item["id"], track, criteria, recommend_if, weighting, held_if, eligible_if)


def _criteria(reader: CatalogueReader, data: Any, path: str, rung_key: str) -> tuple[Criterion, ...] | None:
    items = reader.list(data, path)
    if not items:
        reader.fail(path, "a rung needs at least one criterion")
    seen: set[str] = set()
    criteria = []
    complete = True
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if reader.mapping(item, where) is None:
            complete = False
            continue
        reader.keys(item, CRITERION_KEYS, where)
        criterion_id = reader.ident(item, where)
        if criterion_id in RESERVED_TEXT_SUFFIXES:
            reader.fail(f"{where}.id", f"{criterion_id!r} is reserved for the rung's own texts")
            criterion_id = None
        if criterion_id is None or not reader.fresh_id(seen, criterion_id, f"{where}.id", "criterion"):
            complete = False
            continue
        reader.add_text(f"{rung_key}.{criterion_id}", item, "text", where)
        reader.choice(item, "confidence", where, CONFIDENCES, "confidence")
        condition = reader.checked_condition(item, "condition", where)
        if condition is None:
            complete = False
            continue
        criteria.append(Criterion(criterion_id, condition))
    return tuple(criteria) if complete and criteria else None


def assess_smart_factory(rungs: tuple[Rung, ...], ctx: Context, settings: PrioritySettings,
                         out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The result's `smart_factory` list; appends one recommendation per track (its first rung not met)."""
    entries = []
    tracks_done: set[str] = set()
    for rung in rungs:
        entry = _assess_rung(rung, ctx)
        entries.append(entry)
        # met by its criteria but the title not held: the company can apply now
        waiting = entry["status"] == MET and not entry["held"] and rung.held_if is not None
        if (entry["status"] == MET and not waiting) or rung.track in tracks_done:
            continue
        tracks_done.add(rung.track)
        if entry["eligible"] and (rung.recommend_if is None or rung.recommend_if.holds(ctx)):
            out.append(_rung_recommendation(rung, entry, settings))
    return entries


def _assess_rung(rung: Rung, ctx: Context) -> dict[str, Any]:
    criteria = []
    failed = unknown = False
    for criterion in rung.criteria:
        because: list[dict[str, Any]] = []
        outcome = criterion.condition.judge(ctx, because)
        if outcome is None:
            unknown = True
        elif not outcome:
            failed = True
        criteria.append({"id": criterion.id, "status": status(outcome), "because": because})
    held = rung.held_if is not None and rung.held_if.holds(ctx)
    overall = MET if held else NOT_MET if failed else UNKNOWN if unknown else MET
    eligible = rung.eligible_if is None or rung.eligible_if.holds(ctx)
    return {"id": rung.id, "status": overall, "held": held, "eligible": eligible, "criteria": criteria}


def _rung_recommendation(rung: Rung, entry: dict[str, Any], settings: PrioritySettings) -> dict[str, Any]:
    unmet = []
    unknown = []
    because = []
    for criterion in entry["criteria"]:
        if criterion["status"] == NOT_MET:
            unmet.append(criterion["id"])
            because += [leaf for leaf in criterion["because"] if not leaf["held"]]
        elif criterion["status"] == UNKNOWN:
            unknown.append(criterion["id"])
    total = len(entry["criteria"])
    closeness = (total - len(unmet) - len(unknown) + 1) / (total + 1)  # the nearest rung ranks first
    params = {"rung": rung.id, "track": rung.track, "unmet": unmet, "unknown": unknown}
    return recommendation(f"sf.{rung.id}", "smart_factory", closeness, 1.0, rung.weighting, settings, params,
                          because)
