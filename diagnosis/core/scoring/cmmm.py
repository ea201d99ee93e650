"""The CMMM self-check (GB/T 39116 model, GB/T 39117 scoring) as data: questionnaires/models/cmmm.yaml.

Each sub-domain has requirements at some of the levels 1-5 (one question per level, named by
`question_pattern`); an answer's satisfaction maps to a score (1 / 0.8 / 0.5 / 0) and an
unanswered requirement counts as not met. Level score S_n = weighted mean over elements of the
weighted mean over domains of the weighted mean over sub-domains that have a level-n requirement
(weights default 1). Rules applied (documented in the model file):
- level = the highest n with S_1..S_n all >= pass_threshold (0.8);
- overall = S_1 + S_2 + ... stopping after the first level below the threshold (its score included);
- band_level = the overall score's band (0.8 / 1.8 / 2.8 / 3.8 / 4.8), reported alongside.
Level scores are summed and compared exactly; only the reported `level_scores` and `overall` are
rounded (to DECIMALS). "Exactly" allows for binary floating point only (FLOAT_SLACK): 0.8 built from
shares such as 1/19 may come out as 0.7999999999999999 and still passes, 0.79996 does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from diagnosis.core.loader_common import FileChecks, open_data_file
from diagnosis.core.problems import Problem
from diagnosis.core.scoring.common import DECIMALS, ModelHeader, QuestionRef, number, read_header

LEVELS = (1, 2, 3, 4, 5)
LEVEL_KEYS = {level: str(level) for level in LEVELS}  # a level as a key of the result
FILE_KEYS = frozenset({"schema", "model", "edition", "title", "notes", "section", "question_pattern",
                       "satisfaction", "pass_threshold", "bands", "elements", "domains", "subdomains"})
NODE_KEYS = frozenset({"id", "label", "weight", "element", "domain", "levels"})
FLOAT_SLACK = 1e-9  # binary floating-point error in a sum of shares, far below any rounding shown


class Requirement(NamedTuple):
    """A sub-domain's requirement at one level: its question and its share of the level score S_n."""

    level: int
    question: str
    share: float = 0.0  # the three weighted means multiplied out (see _with_shares)


@dataclass(frozen=True)
class Subdomain:
    id: str
    element: str
    domain: str
    label: dict[str, str]
    requirements: tuple[Requirement, ...]  # by level, ascending

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(requirement.level for requirement in self.requirements)


class Band(NamedTuple):
    level: int
    min_overall: float


class Node(NamedTuple):
    """An element or a domain."""

    parent: str | None  # a domain's element
    label: dict[str, str]
    weight: float


@dataclass(frozen=True, eq=False)
class CmmmModel:
    header: ModelHeader
    section: str
    satisfaction: dict[str, float]
    pass_threshold: float
    bands: tuple[Band, ...]  # highest first
    labels: Mapping[str, dict[str, str]]  # "element.<id>" / "domain.<id>" -> text
    subdomains: tuple[Subdomain, ...]
    references: tuple[QuestionRef, ...]
    questions: frozenset[str]  # every requirement's question

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
    labels = {**{f"element.{k}": node.label for k, node in elements.items()},
              **{f"domain.{k}": node.label for k, node in domains.items()}}
    refs = tuple(QuestionRef(checks.file, f"subdomains[{index}].levels", requirement.question, ("single",),
                             tuple(satisfaction))
                 for index, (sub, _) in enumerate(subdomains) for requirement in sub.requirements)
    shared = _with_shares(elements, domains, subdomains)
    model = CmmmModel(header, section, satisfaction, threshold, bands, labels, shared, refs,
                      frozenset(ref.question for ref in refs))
    return model, problems


def _satisfaction(checks: FileChecks, data: Any) -> dict[str, float]:
    raw = checks.mapping(data, "satisfaction") or {}
    for option, score in raw.items():
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            checks.fail(f"satisfaction.{option}", "must be a score between 0 and 1")
    return {str(option): score for option, score in raw.items()}


def _bands(checks: FileChecks, data: Any) -> tuple[Band, ...]:
    bands = []
    for index, raw in enumerate(checks.list(data, "bands")):
        path = f"bands[{index}]"
        if checks.mapping(raw, path) is not None:
            checks.keys(raw, frozenset({"level", "min"}), path)
            if raw.get("level") not in LEVELS:
                checks.fail(f"{path}.level", "must be a level 1-5")
            bands.append(Band(raw.get("level"), number(checks, raw, "min", path)))
    minimums = [band.min_overall for band in bands]
    if minimums != sorted(minimums):
        checks.fail("bands", "band minimums must increase with the level")
    return tuple(sorted(bands, key=lambda band: band.min_overall, reverse=True))


def _weighted(checks: FileChecks, data: Any, name: str, parent_key: str | None,
              parents: set[str]) -> dict[str, Node]:
    """Elements or domains by id."""
    nodes: dict[str, Node] = {}
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
        nodes[node_id] = Node(parent, checks.text(raw, "label", path) or {}, weight)
    return nodes


def _subdomains(checks: FileChecks, data: Any, domains: dict[str, Node], pattern: str
                ) -> list[tuple[Subdomain, float]]:
    """Each sub-domain with its weight."""
    subdomains: list[tuple[Subdomain, float]] = []
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
        requirements = tuple(Requirement(level, pattern.format(subdomain=sub_id, level=level))
                             for level in sorted(levels))
        label = checks.text(raw, "label", path) or {}
        subdomain = Subdomain(sub_id, domains[domain].parent or "", domain, label, requirements)
        subdomains.append((subdomain, weight))
    return subdomains


def _with_shares(elements: dict[str, Node], domains: dict[str, Node],
                 subdomains: list[tuple[Subdomain, float]]) -> tuple[Subdomain, ...]:
    """The sub-domains with each requirement's share of S_n: the three weighted means multiplied out."""
    shares: dict[tuple[str, int], float] = {}
    for level in LEVELS:
        present = [(sub, weight) for sub, weight in subdomains if level in sub.levels]
        domain_total = {d: sum(w for s, w in present if s.domain == d) for d in domains}
        live_domains = [d for d, total in domain_total.items() if total > 0]
        element_domains = {e: sum(domains[d].weight for d in live_domains if domains[d].parent == e)
                           for e in elements}
        live_elements = [e for e, total in element_domains.items() if total > 0]
        element_total = sum(elements[e].weight for e in live_elements)
        for sub, weight in present:
            shares[sub.id, level] = (elements[sub.element].weight / element_total * domains[sub.domain].weight
                                     / element_domains[sub.element] * weight / domain_total[sub.domain])
    return tuple(replace(sub, requirements=tuple(requirement._replace(share=shares[sub.id, requirement.level])
                                                 for requirement in sub.requirements))
                 for sub, _ in subdomains)


def score_cmmm(model: CmmmModel, answers: dict[str, Any], assessed: bool) -> dict[str, Any]:
    """The `cmmm` block of the result; not assessed when its section is hidden."""
    if not assessed:
        return {"assessed": False, "overall": None, "level": None, "band_level": None,
                "level_scores": {}, "subdomains": [], "unanswered": []}
    satisfaction = model.satisfaction
    totals: dict[int, float] = dict.fromkeys(LEVELS, 0)  # 0, an int, for a level without requirements
    subdomains = []
    for sub in model.subdomains:
        scores = {}
        for level, question, share in sub.requirements:
            score = satisfaction.get(answers.get(question, ""), 0.0)
            scores[LEVEL_KEYS[level]] = score
            totals[level] += score * share
        subdomains.append({"id": sub.id, "element": sub.element, "domain": sub.domain, "scores": scores})
    level, overall = _level_and_overall(model.pass_threshold, totals)
    return {
        "assessed": True, "overall": round(overall, DECIMALS), "level": level,
        "band_level": next((band.level for band in model.bands if overall >= band.min_overall - FLOAT_SLACK),
                           0),
        "level_scores": {LEVEL_KEYS[n]: round(total, DECIMALS) for n, total in totals.items()},
        "subdomains": subdomains,
        "unanswered": sorted(model.questions.difference(answers)),
    }


def _level_and_overall(threshold: float, level_scores: dict[int, float]) -> tuple[int, float]:
    """The level and the overall score from the exact level scores (rounding is for display only:
    a level score of 0.79996 does not pass 0.8, and the overall is the exact sum)."""
    level, overall = 0, 0.0
    for n in LEVELS:
        overall += level_scores[n]
        if level_scores[n] < threshold - FLOAT_SLACK:
            break
        level = n
    return level, overall


def subdomain_value(subdomain_scores: dict[str, float]) -> float:
    """A sub-domain's standing in 0..1: the mean of its level scores (used by the radar)."""
    return sum(subdomain_scores.values()) / len(subdomain_scores) if subdomain_scores else 0.0
