"""Loading and validating the recommendation catalogues under questionnaires/catalogues/.

priority.yaml is read first (incentives, fit scale and efforts are referenced by the others);
every file is checked even when an earlier one has problems, so all problems come at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagnosis.core.industry import load_industries
from diagnosis.core.loader_common import display_name, read_yaml
from diagnosis.core.problems import Problem
from diagnosis.core.questionnaire import Instrument
from diagnosis.core.recommend.actions import parse_actions
from diagnosis.core.recommend.cmmm_gaps import GapSettings, parse_gap_settings
from diagnosis.core.recommend.ladders import CloudStep, Rung, parse_cloud_ladder, parse_smart_factory
from diagnosis.core.recommend.priority import PrioritySettings, parse_priority
from diagnosis.core.recommend.reader import CatalogueReader, References
from diagnosis.core.recommend.scenarios_5g import parse_scenarios
from diagnosis.core.recommend.sme_uplift import UpliftSettings, parse_uplift
from diagnosis.core.recommend.triggered import CandidateGroup, Prerequisite, parse_prerequisites

CATALOGUE_FILES = ("priority", "5g_scenarios", "cloud_ladder", "smart_factory", "recommendations")
RECOMMENDATION_KEYS = frozenset({"schema", "edition", "prerequisites", "actions", "sme_uplift", "cmmm_gaps"})
CMMM_QUESTION = re.compile(r"^cmmm_([a-z0-9_]+)_l[1-5]$")
PREREQUISITE_FILES = {"5g": "5g_scenarios", "cloud": "cloud_ladder", "action": "recommendations"}


@dataclass(frozen=True)
class Catalogues:
    editions: Mapping[str, str]  # file stem -> edition, for the result's models.catalogues
    priority: PrioritySettings
    scenarios: CandidateGroup
    actions: CandidateGroup
    cloud_steps: tuple[CloudStep, ...]
    rungs: tuple[Rung, ...]
    sme_uplift: UpliftSettings
    cmmm_gaps: GapSettings
    texts: Mapping[str, Mapping[str, str]]  # text key -> {zh_CN, en}; see the package docstring
    prerequisites: Mapping[str, Prerequisite]  # by text key, every prerequisite an entry names
    absorbs: Mapping[str, tuple[str, ...]]  # rec id -> the rec ids it covers as steps


def load_catalogues(root: Path, instrument: Instrument) -> tuple[Catalogues | None, list[Problem]]:
    """Load the five catalogues of `root`/catalogues against `instrument`; None when any problem."""
    root = Path(root)
    problems: list[Problem] = []
    refs = _references(root, instrument)
    texts: dict[str, dict] = {}
    readers: dict[str, CatalogueReader] = {}
    data: dict[str, dict | None] = {}
    for name in CATALOGUE_FILES:
        path = root / "catalogues" / f"{name}.yaml"
        file = display_name(path, root)
        readers[name] = CatalogueReader(file, problems, refs, texts)
        data[name] = read_yaml(path, file, problems)
    if data["priority"] is None:
        return None, problems
    editions = {name: readers[name].edition(content) for name, content in data.items() if content is not None}
    priority = parse_priority(readers["priority"], data["priority"])
    parts = _parse_parts(readers, data, priority, _cmmm_subdomains(instrument))
    if problems:
        return None, problems
    links = _links(readers, parts)
    if problems:
        return None, problems
    return Catalogues(editions=editions, priority=priority, texts=texts, **parts, **links), problems


def _links(readers: dict[str, CatalogueReader], parts: dict[str, Any]) -> dict[str, Any]:
    """Prerequisites by key and the absorbs map; every `met_by` names a triggered entry, every
    `absorbs` a recommendation id the catalogues can produce."""
    candidates = parts["scenarios"].candidates + parts["actions"].candidates
    triggered = {candidate.rec_id for candidate in candidates}
    producible = triggered | {f"sf.{rung.id}" for rung in parts["rungs"]}
    producible |= {f"cloud.l{step.level}" for step in parts["cloud_steps"]}
    producible |= {key for key in readers["recommendations"].texts if key.startswith("cmmm.")}
    prerequisites: dict[str, Prerequisite] = {}
    for owner in (*candidates, *parts["cloud_steps"]):
        for prerequisite in owner.prerequisites:
            prerequisites[prerequisite.key] = prerequisite
    for key, prerequisite in prerequisites.items():
        reader = readers[PREREQUISITE_FILES[key.split(".", 1)[0]]]
        for rec_id in prerequisite.met_by:
            if rec_id not in triggered:
                reader.fail(prerequisite.where, f"{rec_id!r} is no 5G scenario or action")
    absorbs = {}
    for candidate in candidates:
        reader = readers["5g_scenarios" if candidate.kind == "5g_scenario" else "recommendations"]
        for rec_id in candidate.absorbs:
            if rec_id not in producible or rec_id == candidate.rec_id:
                reader.fail(f"{candidate.where}.absorbs", f"{rec_id!r} is no other recommendation")
        if candidate.absorbs:
            absorbs[candidate.rec_id] = candidate.absorbs
    return {"prerequisites": prerequisites, "absorbs": absorbs}


def _parse_parts(readers: dict[str, CatalogueReader], data: dict[str, dict | None],
                 priority: PrioritySettings, subdomains: frozenset[str]) -> dict[str, Any]:
    """Parse every readable file (an unreadable one has its problem already and is skipped)."""
    parts: dict[str, Any] = {}
    for name, key, parse in (("5g_scenarios", "scenarios", parse_scenarios),
                             ("cloud_ladder", "cloud_steps", parse_cloud_ladder),
                             ("smart_factory", "rungs", parse_smart_factory)):
        content = data[name]
        if content is not None:
            parts[key] = parse(readers[name], content, priority)
    advice, advice_data = readers["recommendations"], data["recommendations"]
    if advice_data is not None:
        advice.keys(advice_data, RECOMMENDATION_KEYS, "")
        prerequisites = parse_prerequisites(advice, advice_data.get("prerequisites"), "action")
        parts["actions"] = parse_actions(advice, advice_data.get("actions"), prerequisites, priority)
        parts["sme_uplift"] = parse_uplift(advice, advice_data.get("sme_uplift"), priority)
        parts["cmmm_gaps"] = parse_gap_settings(advice, advice_data.get("cmmm_gaps"), priority, subdomains)
    return parts


def _references(root: Path, instrument: Instrument) -> References:
    """The instrument's questions and facts; the industry tags (not judged when the table is unreadable:
    the bundle reports that file's own problems)."""
    table, _ = load_industries(root / "catalogues" / "industries.yaml", root)
    tags = frozenset(table.tag_labels) if table is not None else None
    return References(questions={q.id: q for q in instrument.questions()},
                      fact_ids=frozenset(instrument.fact_ids()), tags=tags)


def _cmmm_subdomains(instrument: Instrument) -> frozenset[str]:
    return frozenset(match.group(1) for question in instrument.questions()
                     if (match := CMMM_QUESTION.match(question.id)))
