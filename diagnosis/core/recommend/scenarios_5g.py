"""catalogues/5g_scenarios.yaml: the 20 "5G + industrial internet" scenarios as candidates."""

from __future__ import annotations

from typing import Any

from diagnosis.core.recommend.priority import PrioritySettings, parse_fit, parse_weighting
from diagnosis.core.recommend.reader import CatalogueReader
from diagnosis.core.recommend.triggered import (
    Candidate,
    CandidateGroup,
    parse_entry_rules,
    parse_prerequisites,
    pick_prerequisites,
)

FILE_KEYS = frozenset({"schema", "edition", "prerequisites", "scenarios"})
SCENARIO_KEYS = frozenset({"id", "batch", "confidence", "fit_source", "title", "why", "how", "fit",
                           "prerequisites", "trigger", "impact", "incentive", "effort", "done_if", "absorbs",
                           "note"})
BATCHES = (1, 2)
CONFIDENCES = ("confirmed", "memory", "unconfirmed")
FIT_SOURCES = ("matrix", "interpreted")
SCENARIO_COUNT = 20


def parse_scenarios(reader: CatalogueReader, data: dict, settings: PrioritySettings) -> CandidateGroup:
    reader.keys(data, FILE_KEYS, "")
    prerequisites = parse_prerequisites(reader, data.get("prerequisites"), "5g")
    items = reader.list(data.get("scenarios"), "scenarios")
    if len(items) != SCENARIO_COUNT:
        reader.fail("scenarios", f"lists {len(items)} scenarios; the two batches have {SCENARIO_COUNT}")
    scenarios = (_scenario(reader, item, path, scenario_id, prerequisites, settings)
                 for path, item, scenario_id in reader.entries(items, "scenarios", "scenario"))
    return CandidateGroup(tuple(scenario for scenario in scenarios if scenario is not None), settings)


def _scenario(reader: CatalogueReader, item: dict[str, Any], path: str, scenario_id: str,
              prerequisites: dict, settings: PrioritySettings) -> Candidate | None:
    reader.keys(item, SCENARIO_KEYS, path)
    rec_id = f"5g.{scenario_id}"
    for field, suffix in (("title", ""), ("why", ".why"), ("how", ".how")):
        reader.add_text(rec_id + suffix, item, field, path)
    batch = item.get("batch")
    if batch not in BATCHES:
        reader.fail(f"{path}.batch", "must be 1 (2021) or 2 (2022)")
    reader.choice(item, "confidence", path, CONFIDENCES, "confidence")
    if "fit_source" in item:
        reader.choice(item, "fit_source", path, FIT_SOURCES, "fit source")
    fit = parse_fit(reader, item, path, settings)
    trigger = reader.checked_condition(item, "trigger", path)
    picked = pick_prerequisites(reader, item, path, prerequisites)
    weighting = parse_weighting(reader, item, path, settings)
    rules = parse_entry_rules(reader, item, path)
    if trigger is None:
        return None
    return Candidate(rec_id=rec_id, kind="5g_scenario", fit=fit, trigger=trigger, prerequisites=picked,
                     gap_rule=None, weighting=weighting, params={"batch": batch}, **rules)
