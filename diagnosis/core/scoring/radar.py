"""Radar dimensions (0-100), each a documented weighted mix of SME items, scenario levels, CMMM
sub-domains and derived facts (questionnaires/models/radar.yaml).

Part values in 0..1: an SME item is points / max; a scenario is level / 4; a CMMM sub-domain is
the mean of its level scores (unavailable when the CMMM section was not assessed); a fact is
value / full_at, capped at 1 (unavailable when undefined). A dimension is 100 x the weighted mean
of its available parts, or null when none is available.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagnosis.core.loader_common import FileChecks, open_data_file
from diagnosis.core.problems import Problem
from diagnosis.core.scoring.cmmm import CmmmModel, subdomain_value
from diagnosis.core.scoring.common import FactRef, ModelHeader, number, read_header
from diagnosis.core.scoring.sme_model import SmeModel

FILE_KEYS = frozenset({"schema", "model", "edition", "title", "notes", "dimensions"})
DIMENSION_KEYS = frozenset({"id", "label", "description", "parts"})
PART_SOURCES = ("sme_item", "scenario", "cmmm_subdomain", "fact")
PART_KEYS = frozenset({*PART_SOURCES, "weight", "full_at"})
MIN_DIMENSIONS, MAX_DIMENSIONS = 6, 10
TOP_SCENARIO_LEVEL = 4


@dataclass(frozen=True)
class Part:
    source: str
    ref: str
    weight: float
    full_at: float = 1


@dataclass(frozen=True)
class RadarDimension:
    id: str
    label: dict[str, str]
    description: dict[str, str]
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class RadarModel:
    header: ModelHeader
    dimensions: tuple[RadarDimension, ...]
    file: str

    @property
    def edition(self) -> str:
        return self.header.edition


def load_radar_model(path: Path, root: Path) -> tuple[RadarModel | None, list[Problem]]:
    data, checks = open_data_file(path, root, FILE_KEYS)
    problems = checks.problems
    if data is None:
        return None, problems
    header = read_header(checks, data, "radar")
    raw_dimensions = checks.list(data.get("dimensions"), "dimensions")
    if not MIN_DIMENSIONS <= len(raw_dimensions) <= MAX_DIMENSIONS:
        checks.fail("dimensions", f"a radar needs {MIN_DIMENSIONS}-{MAX_DIMENSIONS} dimensions")
    dimensions = [_dimension(checks, raw, f"dimensions[{index}]") for index, raw in enumerate(raw_dimensions)]
    ids = [dimension.id for dimension in dimensions if dimension]
    if len(set(ids)) != len(ids):
        checks.fail("dimensions", "a dimension id is used twice")
    if problems:
        return None, problems
    return RadarModel(header, tuple(d for d in dimensions if d), checks.file), problems


def _dimension(checks: FileChecks, data: Any, path: str) -> RadarDimension | None:
    if checks.mapping(data, path) is None:
        return None
    checks.keys(data, DIMENSION_KEYS, path)
    parts = [_part(checks, raw, f"{path}.parts[{index}]")
             for index, raw in enumerate(checks.list(data.get("parts"), f"{path}.parts"))]
    if not parts:
        checks.fail(f"{path}.parts", "a dimension needs at least one part")
    return RadarDimension(checks.ident(data, path) or "", checks.text(data, "label", path) or {},
                          checks.text(data, "description", path) or {}, tuple(p for p in parts if p))


def _part(checks: FileChecks, data: Any, path: str) -> Part | None:
    if checks.mapping(data, path) is None:
        return None
    checks.keys(data, PART_KEYS, path)
    sources = [source for source in PART_SOURCES if source in data]
    if len(sources) != 1 or not isinstance(data[sources[0]], str):
        checks.fail(path, f"a part names exactly one of {', '.join(PART_SOURCES)}")
        return None
    weight = number(checks, data, "weight", path, default=1)
    full_at = number(checks, data, "full_at", path, default=1)
    if weight <= 0 or full_at <= 0:
        checks.fail(path, "weight and full_at must be positive")
    return Part(sources[0], data[sources[0]], weight, full_at)


def radar_problems(model: RadarModel, sme: SmeModel, cmmm: CmmmModel, fact_ids: set[str]) -> list[Problem]:
    """Parts that name no SME item, scenario, CMMM sub-domain or fact of the other models."""
    known = {
        "sme_item": {item.id for dimension in sme.dimensions for item in dimension.items},
        "scenario": set(sme.scenario_ids),
        "cmmm_subdomain": {sub.id for sub in cmmm.subdomains},
        "fact": fact_ids,
    }
    return [Problem(model.file, f"dimensions[{d}].parts[{p}].{part.source}",
                    f"unknown {part.source} {part.ref!r}")
            for d, dimension in enumerate(model.dimensions) for p, part in enumerate(dimension.parts)
            if part.ref not in known[part.source]]


def fact_refs(model: RadarModel) -> list[FactRef]:
    return [FactRef(model.file, f"dimensions[{d}].parts[{p}].fact", part.ref)
            for d, dimension in enumerate(model.dimensions) for p, part in enumerate(dimension.parts)
            if part.source == "fact"]


def score_radar(model: RadarModel, sme: dict[str, Any], cmmm: dict[str, Any],
                facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The `radar` list of the result, in model order."""
    values = {"sme_item": _sme_item_values(sme), "scenario": _scenario_values(sme),
              "cmmm_subdomain": _subdomain_values(cmmm), "fact": facts}
    return [{"id": dimension.id, "value": _dimension_value(dimension, values)}
            for dimension in model.dimensions]


def _dimension_value(dimension: RadarDimension, values: dict[str, dict[str, Any]]) -> float | None:
    """100 x the weighted mean of the parts that have a value; None when none has."""
    total = weights = 0.0
    for part in dimension.parts:
        value = values[part.source].get(part.ref)
        if value is not None:
            total += part.weight * (min(1.0, value / part.full_at) if part.source == "fact" else value)
            weights += part.weight
    return round(100 * total / weights, 1) if weights else None


def _sme_item_values(sme: dict[str, Any]) -> dict[str, float]:
    return {item["id"]: item["points"] / item["max"]
            for dimension in sme["dimensions"] for item in dimension["items"]}


def _scenario_values(sme: dict[str, Any]) -> dict[str, float]:
    return {entry["id"]: entry["level"] / TOP_SCENARIO_LEVEL for entry in sme["scenarios"]}


def _subdomain_values(cmmm: dict[str, Any]) -> dict[str, float]:
    return {entry["id"]: subdomain_value(entry["scores"]) for entry in cmmm["subdomains"]}
