"""catalogues/recommendations.yaml `actions`: robots, energy / green steps, industry-specific actions."""

from __future__ import annotations

from typing import Any

from diagnosis.core.recommend.priority import PrioritySettings, parse_fit, parse_weighting
from diagnosis.core.recommend.reader import CatalogueReader
from diagnosis.core.recommend.triggered import (
    Candidate,
    CandidateGroup,
    Prerequisite,
    parse_entry_rules,
    parse_gap_rule,
    pick_prerequisites,
)

ACTION_KEYS = frozenset({"id", "kind", "title", "why", "how", "fit", "prerequisites", "trigger", "gap",
                         "impact", "incentive", "effort", "done_if", "eligible_if", "absorbs", "note"})
ACTION_KINDS = ("foundation", "robot", "green", "industry")


def parse_actions(reader: CatalogueReader, data: Any, prerequisites: dict[str, Prerequisite],
                  settings: PrioritySettings) -> CandidateGroup:
    """Every action; its recommendation id is "<kind>.<id>" (e.g. "industry.chem_e_permit")."""
    actions = (_action(reader, item, path, action_id, prerequisites, settings)
               for path, item, action_id in reader.entries(reader.list(data, "actions"), "actions", "action"))
    return CandidateGroup(tuple(action for action in actions if action is not None), settings)


def _action(reader: CatalogueReader, item: dict[str, Any], path: str, action_id: str,
            prerequisites: dict[str, Prerequisite], settings: PrioritySettings) -> Candidate | None:
    reader.keys(item, ACTION_KEYS, path)
    kind = reader.choice(item, "kind", path, ACTION_KINDS, "action kind")
    rec_id = f"{kind}.{action_id}"
    for field, suffix in (("title", ""), ("why", ".why"), ("how", ".how")):
        reader.add_text(rec_id + suffix, item, field, path)
    fit = parse_fit(reader, item, path, settings)
    trigger = reader.checked_condition(item, "trigger", path)
    picked = pick_prerequisites(reader, item, path, prerequisites)
    gap_rule = parse_gap_rule(reader, item, path)
    weighting = parse_weighting(reader, item, path, settings)
    rules = parse_entry_rules(reader, item, path)
    if kind is None or trigger is None:
        return None
    return Candidate(rec_id=rec_id, kind=kind, fit=fit, trigger=trigger, prerequisites=picked,
                     gap_rule=gap_rule, weighting=weighting, params={}, **rules)
