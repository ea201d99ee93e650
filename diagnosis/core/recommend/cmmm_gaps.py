"""CMMM next-level gaps (GB/T 39117 logic): at the first level not reached, the sub-domains whose
answered requirement there scores below the pass threshold, lowest score first (ties by id), up to
`max_items`. An unanswered requirement is never a gap: when answering the open statements could
raise the level (each taken as fully met), one `complete_cmmm` recommendation asks for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from diagnosis.core.recommend.priority import (
    EFFORTS,
    PrioritySettings,
    Weighting,
    parse_weighting,
    recommendation,
)
from diagnosis.core.recommend.reader import CatalogueReader
from diagnosis.core.scoring.cmmm import CmmmModel, score_cmmm

SETTINGS_KEYS = frozenset({"why", "impact", "incentive", "effort", "max_items", "subdomains", "complete"})
SUBDOMAIN_KEYS = frozenset({"title", "how"})
COMPLETE_KEYS = frozenset({"title", "why", "how", "impact", "incentive", "effort"})
COMPLETE_ID = "cmmm.complete"


@dataclass(frozen=True)
class GapSettings:
    weighting: Weighting
    max_items: int
    complete: Weighting  # the prompt to answer the open statements


def parse_gap_settings(reader: CatalogueReader, data: Any, settings: PrioritySettings,
                       subdomain_ids: frozenset[str]) -> GapSettings:
    """`subdomain_ids` are the sub-domains the instrument asks about (cmmm_<id>_l<n> questions)."""
    path = "cmmm_gaps"
    data = reader.mapping(data, path) or {}
    reader.keys(data, SETTINGS_KEYS, path)
    reader.text(data, "why", path)
    texts = reader.mapping(data.get("subdomains"), f"{path}.subdomains") or {}
    for subdomain, entry in texts.items():
        where = f"{path}.subdomains.{subdomain}"
        if subdomain not in subdomain_ids:
            reader.fail(where, f"unknown CMMM sub-domain {subdomain!r} (no cmmm_{subdomain}_l<n> question)")
            continue
        if reader.mapping(entry, where) is None:
            continue
        reader.keys(entry, SUBDOMAIN_KEYS, where)
        reader.add_text(f"cmmm.{subdomain}", entry, "title", where)
        reader.add_text(f"cmmm.{subdomain}.why", data, "why", path)
        reader.add_text(f"cmmm.{subdomain}.how", entry, "how", where)
    for missing in sorted(subdomain_ids - set(texts)):
        reader.fail(f"{path}.subdomains", f"sub-domain {missing!r} has no texts")
    incentive = reader.choice(data, "incentive", path, settings.incentives, "incentive")
    effort = reader.choice(data, "effort", path, EFFORTS, "effort")
    complete = reader.mapping(data.get("complete"), f"{path}.complete") or {}
    reader.keys(complete, COMPLETE_KEYS, f"{path}.complete")
    for field, suffix in (("title", ""), ("why", ".why"), ("how", ".how")):
        reader.add_text(COMPLETE_ID + suffix, complete, field, f"{path}.complete")
    return GapSettings(Weighting(reader.fraction(data, "impact", path),
                                 settings.incentives.get(incentive or "", 0.0), effort or "medium"),
                       reader.positive_int(data, "max_items", path),
                       parse_weighting(reader, complete, f"{path}.complete", settings))


def find_gaps(cmmm: dict[str, Any], model: CmmmModel, answers: Mapping[str, Any], settings: GapSettings,
              priority: PrioritySettings, out: list[dict[str, Any]]) -> None:
    """Append the cmmm_gap recommendations of the answered weak sub-domains and, when open
    statements could raise the level, the complete_cmmm prompt (nothing when not assessed)."""
    if not cmmm.get("assessed"):
        return
    level = cmmm["level"] + 1
    if level > max(int(key) for key in cmmm["level_scores"]):
        return
    _prompt(cmmm, model, answers, settings, priority, out)
    key = str(level)
    open_questions = set(cmmm.get("unanswered", ()))
    asked = {(sub.id, req.level): req.question for sub in model.subdomains for req in sub.requirements}
    weak: list[tuple[float, dict[str, Any]]] = []
    subdomains: list[dict[str, Any]] = cmmm.get("subdomains", [])
    for subdomain in subdomains:
        score = subdomain.get("scores", {}).get(key)
        answered = asked.get((subdomain["id"], level)) not in open_questions
        if score is not None and answered and score < model.pass_threshold:
            weak.append((score, subdomain))
    weak.sort(key=lambda pair: (pair[0], pair[1]["id"]))
    threshold = model.pass_threshold
    level_leaf = {"source": "score", "ref": f"cmmm.level_scores.{key}", "op": "lt", "threshold": threshold,
                  "value": cmmm["level_scores"][key], "held": True}
    for score, subdomain in weak[:settings.max_items]:
        params = {"level": level, "subdomain": subdomain["id"], "element": subdomain.get("element"),
                  "score": score}
        subdomain_leaf = {"source": "score", "ref": f"cmmm.subdomains.{subdomain['id']}.{key}", "op": "lt",
                          "threshold": threshold, "value": score, "held": True}
        because = [dict(level_leaf), subdomain_leaf]
        out.append(recommendation(f"cmmm.{subdomain['id']}", "cmmm_gap", 1 - score, 1.0, settings.weighting,
                                  priority, params, because))


def _prompt(cmmm: dict[str, Any], model: CmmmModel, answers: Mapping[str, Any], settings: GapSettings,
            priority: PrioritySettings, out: list[dict[str, Any]]) -> None:
    """complete_cmmm: the open statements, when answering them all as fully met would raise the level."""
    unanswered: list[str] = cmmm.get("unanswered", [])
    if not unanswered:
        return
    best = max(model.satisfaction, key=lambda option: model.satisfaction[option])
    possible = score_cmmm(model, {**answers, **dict.fromkeys(unanswered, best)}, assessed=True)["level"]
    if possible <= cmmm["level"]:
        return
    params = {"unanswered": len(unanswered), "of": len(model.questions), "level": cmmm["level"],
              "possible_level": possible}
    because = [{"source": "score", "ref": "cmmm.unanswered", "op": "answered", "threshold": None,
                "value": len(unanswered), "held": False}]
    # gap 1: answering is cheap and may raise the level, whatever the number of open statements
    out.append(recommendation(COMPLETE_ID, "complete_cmmm", 1.0, 1.0, settings.complete, priority, params,
                              because))
