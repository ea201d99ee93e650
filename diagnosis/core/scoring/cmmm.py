"""The CMMM self-check (GB/T 39116 model, GB/T 39117 scoring) as data: questionnaires/models/cmmm.yaml.

Each sub-domain has requirements at some of the levels 1-5 (one question per level, named by
`question_pattern`); an answer's satisfaction maps to a score (1 / 0.8 / 0.5 / 0) and an
unanswered requirement counts as not met. Level score S_n = weighted mean over elements of the
weighted mean over domains of the weighted mean over sub-domains that have a level-n requirement
(weights default 1). Rules applied (documented in the model file):
- level = the highest n with S_1..S_n all >= pass_threshold (0.8);
- overall = S_1 + S_2 + ... stopping after the first level below the threshold (its score included);
- band_level = the overall score's band (0.8 / 1.8 / 2.8 / 3.8 / 4.8), reported alongside.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagnosis.core.loader_common import FileChecks, open_data_file
from diagnosis.core.numeric import Number, add_up, rounded
from diagnosis.core.problems import Problem
from diagnosis.core.scoring.common import DECIMALS, ModelHeader, QuestionRef, number, read_header

LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)  # a tuple object (see numeric._SCALES)
FILE_KEYS = frozenset({"schema", "model", "edition", "title", "notes", "section", "question_pattern",
                       "satisfaction", "pass_threshold", "bands", "elements", "domains", "subdomains"})
NODE_KEYS = frozenset({"id", "label", "weight", "element", "domain", "levels"})


@dataclass(frozen=True)
class Subdomain:
    id: str
    element: str
    domain: str
    label: dict[str, str]
    levels: tuple[int, ...]
    questions: Mapping[int, str]


@dataclass(frozen=True, eq=False)
class CmmmModel:
    header: ModelHeader
    section: str
    satisfaction: dict[str, Number]
    pass_threshold: Number
    bands: tuple[tuple[int, Number], ...]  # (level, minimum overall score), highest first
    labels: Mapping[str, dict[str, str]]  # "element.<id>" / "domain.<id>" -> text
    subdomains: tuple[Subdomain, ...]
    weights: dict[int, tuple[tuple[str, Number], ...]]  # level -> (question, effective weight)
    references: tuple[QuestionRef, ...]
    # Worked out once, for score_cmmm: the questions in sub-domain then level order, and the
    # weights and result rows by position in that order (a list of scores, no dict per result).
    question_ids: tuple[str, ...] = field(init=False, repr=False)
    question_set: frozenset[str] = field(init=False, repr=False)
    # level -> ((position, effective weight), ...)
    weight_positions: dict[int, tuple[tuple[int, Number], ...]] = field(init=False, repr=False)
    # (id, element, domain, ((level key, position), ...)) per sub-domain
    result_rows: tuple[tuple[str, str, str, tuple[tuple[str, int], ...]], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        question_ids = tuple(qid for sub in self.subdomains for qid in sub.questions.values())
        position = {qid: index for index, qid in enumerate(question_ids)}
        object.__setattr__(self, "question_ids", question_ids)
        object.__setattr__(self, "question_set", frozenset(question_ids))
        object.__setattr__(self, "weight_positions", {
            level: tuple((position[qid], share) for qid, share in shares)
            for level, shares in self.weights.items()})
        object.__setattr__(self, "result_rows", tuple(
            (sub.id, sub.element, sub.domain,
             tuple((str(level), position[qid]) for level, qid in sub.questions.items()))
            for sub in self.subdomains))

    @property
    def edition(self) -> str:
        return self.header.edition


def load_cmmm_model(path: Path, root: Path) -> tuple[CmmmModel | None, list[Problem]]:
    data, checks = open_data_file(path, root, FILE_KEYS)
    problems = checks.problems
    if data is None:
        return None, problems
    header = read_header(checks, data, "cmmm")
    section = checks.ident(data, "", key="section") or ""
    pattern = data.get("question_pattern")
    if not isinstance(pattern, str) or "{subdomain}" not in pattern or "{level}" not in pattern:
        checks.fail("question_pattern", "must contain {subdomain} and {level}")
        pattern = ""
    satisfaction = _satisfaction(checks, data.get("satisfaction"))
    threshold = number(checks, data, "pass_threshold", "")
    bands = _bands(checks, data.get("bands"))
    elements = _weighted(checks, data.get("elements"), "elements", None, set())
    domains = _weighted(checks, data.get("domains"), "domains", "element", set(elements))
    subdomains = _subdomains(checks, data.get("subdomains"), domains, pattern)
    if problems:
        return None, problems
    labels = {**{f"element.{k}": v[1] for k, v in elements.items()},
              **{f"domain.{k}": v[1] for k, v in domains.items()}}
    refs = tuple(QuestionRef(checks.file, f"subdomains[{index}].levels", qid, ("single",),
                             tuple(satisfaction))
                 for index, (sub, _) in enumerate(subdomains) for qid in sub.questions.values())
    model = CmmmModel(header, section, satisfaction, threshold, bands, labels,
                      tuple(sub for sub, _ in subdomains),
                      _effective_weights(elements, domains, subdomains), refs)
    return model, problems


def _satisfaction(checks: FileChecks, data: Any) -> dict[str, Number]:
    raw = checks.mapping(data, "satisfaction") or {}
    for option, score in raw.items():
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            checks.fail(f"satisfaction.{option}", "must be a score between 0 and 1")
    return {str(option): score for option, score in raw.items()}


def _bands(checks: FileChecks, data: Any) -> tuple[tuple[int, Number], ...]:
    bands = []
    for index, raw in enumerate(checks.list(data, "bands")):
        path = f"bands[{index}]"
        if checks.mapping(raw, path) is not None:
            checks.keys(raw, frozenset({"level", "min"}), path)
            if raw.get("level") not in LEVELS:
                checks.fail(f"{path}.level", "must be a level 1-5")
            bands.append((raw.get("level"), number(checks, raw, "min", path)))
    if [minimum for _, minimum in bands] != sorted(minimum for _, minimum in bands):
        checks.fail("bands", "band minimums must increase with the level")
    return tuple(sorted(bands, key=lambda band: band[1], reverse=True))


def _weighted(checks: FileChecks, data: Any, name: str, parent_key: str | None,
              parents: set[str]) -> dict[str, tuple[str | None, dict, Number]]:
    """id -> (parent id, label, weight) for elements or domains."""
    nodes: dict[str, tuple[str | None, dict, Number]] = {}
    for index, raw in enumerate(checks.list(data, name)):
        path = f"{name}[{index}]"
        if checks.mapping(raw, path) is None:
            continue
        checks.keys(raw, NODE_KEYS, path)
        node_id = checks.ident(raw, path) or ""
        parent = raw.get(parent_key) if parent_key else None
        if parent_key and parent not in parents:
            checks.fail(f"{path}.{parent_key}", f"unknown {parent_key} {parent!r}")
        if node_id in nodes:
            checks.fail(f"{path}.id", f"duplicate id {node_id!r}")
        weight = number(checks, raw, "weight", path, default=1)
        if weight <= 0:
            checks.fail(f"{path}.weight", "must be positive")
        nodes[node_id] = (parent, checks.text(raw, "label", path) or {}, weight)
    return nodes


def _subdomains(checks: FileChecks, data: Any, domains: dict, pattern: str) -> list[tuple[Subdomain, Number]]:
    subdomains: list[tuple[Subdomain, Number]] = []
    seen: set[str] = set()
    for index, raw in enumerate(checks.list(data, "subdomains")):
        path = f"subdomains[{index}]"
        if checks.mapping(raw, path) is None:
            continue
        checks.keys(raw, NODE_KEYS, path)
        sub_id = checks.ident(raw, path) or ""
        domain = raw.get("domain")
        if domain not in domains:
            checks.fail(f"{path}.domain", f"unknown domain {domain!r}")
            continue
        if sub_id in seen:
            checks.fail(f"{path}.id", f"duplicate sub-domain id {sub_id!r}")
        seen.add(sub_id)
        levels = checks.list(raw.get("levels"), f"{path}.levels")
        if not levels or any(level not in LEVELS for level in levels) or len(set(levels)) != len(levels):
            checks.fail(f"{path}.levels", "must list distinct levels 1-5 (omit a level without requirement)")
        weight = number(checks, raw, "weight", path, default=1)
        questions = {level: sys.intern(pattern.format(subdomain=sub_id, level=level))
                     for level in sorted(levels)}
        label = checks.text(raw, "label", path) or {}
        subdomain = Subdomain(sub_id, domains[domain][0], domain, label, tuple(sorted(levels)), questions)
        subdomains.append((subdomain, weight))
    return subdomains


def _effective_weights(elements: dict, domains: dict, subdomains: list[tuple[Subdomain, Number]]
                       ) -> dict[int, tuple[tuple[str, Number], ...]]:
    """Per level, each question's share of S_n: the three weighted means multiplied out."""
    weights = {}
    for level in LEVELS:
        present = [(sub, weight) for sub, weight in subdomains if level in sub.levels]
        domain_total = {d: add_up(w for s, w in present if s.domain == d) for d in domains}
        live_domains = [d for d, total in domain_total.items() if total > 0]
        element_domains = {e: add_up(domains[d][2] for d in live_domains if domains[d][0] == e)
                           for e in elements}
        live_elements = [e for e, total in element_domains.items() if total > 0]
        element_total = add_up(elements[e][2] for e in live_elements)
        weights[level] = tuple(
            (sub.questions[level], elements[sub.element][2] / element_total
             * domains[sub.domain][2] / element_domains[sub.element] * weight / domain_total[sub.domain])
            for sub, weight in present)
    return weights


def score_cmmm(model: CmmmModel, answers: dict[str, Any], assessed: bool) -> dict[str, Any]:
    """The `cmmm` block of the result; not assessed when its section is hidden."""
    if not assessed:
        return {"assessed": False, "overall": None, "level": None, "band_level": None,
                "level_scores": {}, "subdomains": [], "unanswered": []}
    satisfaction = model.satisfaction
    scores = [satisfaction.get(answers.get(qid, ""), 0.0) for qid in model.question_ids]
    weights = model.weight_positions
    level_scores = {level: rounded(_weighted_sum(scores, weights[level]), DECIMALS) for level in LEVELS}
    level, overall = _level_and_overall(model.pass_threshold, level_scores)
    return {
        "assessed": True, "overall": overall, "level": level,
        "band_level": next((band for band, minimum in model.bands if overall >= minimum), 0),
        "level_scores": {str(n): score for n, score in level_scores.items()},
        "subdomains": [{"id": sub_id, "element": element, "domain": domain,
                        "scores": {level: scores[index] for level, index in questions}}
                       for sub_id, element, domain, questions in model.result_rows],
        "unanswered": sorted(model.question_set.difference(answers)),
    }


def _weighted_sum(scores: list[Number], weights: tuple[tuple[int, Number], ...]) -> Number:
    result: Number = 0
    for index, share in weights:
        result = result + scores[index] * share
    return result


def _level_and_overall(threshold: Number, level_scores: dict[int, Number]) -> tuple[int, Number]:
    level, overall = 0, 0.0
    for n in LEVELS:
        overall += level_scores[n]
        if level_scores[n] < threshold:
            break
        level = n
    return level, rounded(overall, DECIMALS)


def subdomain_value(subdomain_scores: dict[str, Number]) -> Number:
    """A sub-domain's standing in 0..1: the mean of its level scores (used by the radar)."""
    return add_up(subdomain_scores.values()) / len(subdomain_scores) if subdomain_scores else 0.0
