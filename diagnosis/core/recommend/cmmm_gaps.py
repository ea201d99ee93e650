"""CMMM next-level gaps (GB/T 39117 logic): at the first level scoring below the pass threshold,
the sub-domains scoring below it there, lowest score first (ties by id), up to `max_items`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diagnosis.core.recommend.priority import EFFORTS, PrioritySettings, Weighting, recommendation
from diagnosis.core.recommend.reader import CatalogueReader

SETTINGS_KEYS = frozenset({"why", "impact", "incentive", "effort", "max_items", "subdomains"})
SUBDOMAIN_KEYS = frozenset({"title", "how"})


@dataclass(frozen=True)
class GapSettings:
    weighting: Weighting
    max_items: int


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
    return GapSettings(Weighting(reader.fraction(data, "impact", path),
                                 settings.incentives.get(incentive or "", 0.0), effort or "medium"),
                       reader.positive_int(data, "max_items", path))


def first_level_below(level_scores: dict[str, float], threshold: float) -> int | None:
    for level in sorted(level_scores, key=int):
        if level_scores[level] < threshold:
            return int(level)
    return None


def find_gaps(cmmm: dict[str, Any], threshold: float, settings: GapSettings, priority: PrioritySettings,
              out: list[dict[str, Any]]) -> None:
    """Append one cmmm_gap recommendation per weakest sub-domain (none when not assessed or all passed)."""
    if not cmmm.get("assessed"):
        return
    level_scores = cmmm.get("level_scores") or {}
    level = first_level_below(level_scores, threshold)
    if level is None:
        return
    key = str(level)
    weak: list[tuple[float, dict[str, Any]]] = []
    subdomains: list[dict[str, Any]] = cmmm.get("subdomains", [])
    for subdomain in subdomains:
        scores: dict[str, float] = subdomain.get("scores", {})
        score = scores.get(key)
        if score is not None and score < threshold:
            weak.append((score, subdomain))
    weak.sort(key=lambda pair: (pair[0], pair[1]["id"]))
    level_leaf = {"source": "score", "ref": f"cmmm.level_scores.{key}", "op": "lt", "threshold": threshold,
                  "value": level_scores[key], "held": True}
    for score, subdomain in weak[:settings.max_items]:
        params = {"level": level, "subdomain": subdomain["id"], "element": subdomain.get("element"),
                  "score": score}
        subdomain_leaf = {"source": "score", "ref": f"cmmm.subdomains.{subdomain['id']}.{key}", "op": "lt",
                          "threshold": threshold, "value": score, "held": True}
        because = [dict(level_leaf), subdomain_leaf]
        out.append(recommendation(f"cmmm.{subdomain['id']}", "cmmm_gap", 1 - score, 1.0, settings.weighting,
                                  priority, params, because))
