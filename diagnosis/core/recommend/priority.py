"""Priority = gap x impact x fit x incentive, and the phase rule (catalogues/priority.yaml).

The factors are in [0, 1]; the priority and its parts are rounded to 4 decimals, so the order
(ranking.py: priority descending, prerequisites first, then id) is stable across platforms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from diagnosis.core.recommend.reader import CatalogueReader

FACTORS = ("gap", "impact", "fit", "incentive")
GAP_KINDS = ("5g_scenario", "cloud_step", "smart_factory", "sme_uplift", "cmmm_gap", "complete_cmmm",
             "action")
PRIORITY_KEYS = frozenset({"schema", "edition", "formula", "factors", "gap_methods", "fit_scale",
                           "untagged_fit", "incentives", "phases", "effort_phase", "prerequisite_delay",
                           "unmet_prerequisite_factor", "main_list"})
FIT_LEVELS = ("strong", "possible")
EFFORTS = ("low", "medium", "high")
PHASE_COUNT = 3
PHASE_KEYS = frozenset({"id", "title"})


@dataclass(frozen=True)
class PrioritySettings:
    fit_scale: dict[str, float]
    untagged_fit: float
    incentives: dict[str, float]
    phases: tuple[str, ...]
    effort_phase: dict[str, int]  # effort -> index into phases
    prerequisite_delay: int
    unmet_prerequisite_factor: float = 0.5  # priority x this, per unmet prerequisite
    per_kind: int = 3  # the main list: at most this many of one kind ...
    main_total: int = 10  # ... and this many in all; the rest are folded

    def fit(self, fit: dict[str, float] | None, tags: tuple[str, ...] | list[str]) -> float:
        """The best fit over the company's tags; None means every industry fits (strong)."""
        if fit is None:
            return 1.0
        if not tags:
            return self.untagged_fit
        return max((fit.get(tag, 0.0) for tag in tags), default=0.0)

    def phase(self, effort: str, delayed: bool) -> str:
        return (self._phases_delayed if delayed else self._phases_on_time)[effort]

    @cached_property
    def _phases_on_time(self) -> dict[str, str]:
        return self._phases_after(0)

    @cached_property
    def _phases_delayed(self) -> dict[str, str]:
        return self._phases_after(self.prerequisite_delay)

    def _phases_after(self, delay: int) -> dict[str, str]:
        """effort -> phase, `delay` phases later (capped at the last phase)."""
        last = len(self.phases) - 1
        return {effort: self.phases[min(index + delay, last)] for effort, index in self.effort_phase.items()}


@dataclass(frozen=True)
class Weighting:
    """The per-entry factors of the formula: impact, incentive (resolved) and effort."""

    impact: float
    incentive: float
    effort: str


def parse_priority(reader: CatalogueReader, data: dict) -> PrioritySettings:
    reader.keys(data, PRIORITY_KEYS, "")
    reader.add_text("priority.formula", data, "formula", "")
    factors = reader.mapping(data.get("factors"), "factors") or {}
    for factor in FACTORS:
        reader.add_text(f"priority.factor.{factor}", factors, factor, "factors")
    reader.keys(factors, frozenset(FACTORS), "factors")
    methods = reader.mapping(data.get("gap_methods"), "gap_methods") or {}
    for kind in GAP_KINDS:
        reader.add_text(f"priority.gap.{kind}", methods, kind, "gap_methods")
    reader.keys(methods, frozenset(GAP_KINDS), "gap_methods")
    scale = reader.mapping(data.get("fit_scale"), "fit_scale") or {}
    reader.keys(scale, frozenset(FIT_LEVELS), "fit_scale")
    phases = _phases(reader, data.get("phases"))
    delay = data.get("prerequisite_delay")
    if not isinstance(delay, int) or isinstance(delay, bool) or delay < 0:
        reader.fail("prerequisite_delay", "must be a whole number of phases, 0 or more")
        delay = 0
    main_list = reader.mapping(data.get("main_list"), "main_list") or {}
    reader.keys(main_list, frozenset({"per_kind", "total"}), "main_list")
    return PrioritySettings(
        unmet_prerequisite_factor=reader.fraction(data, "unmet_prerequisite_factor", ""),
        per_kind=reader.positive_int(main_list, "per_kind", "main_list"),
        main_total=reader.positive_int(main_list, "total", "main_list"),
        fit_scale={level: reader.fraction(scale, level, "fit_scale") for level in FIT_LEVELS},
        untagged_fit=reader.fraction(data, "untagged_fit", ""),
        incentives=_incentives(reader, data.get("incentives")),
        phases=phases,
        effort_phase=_effort_phase(reader, data.get("effort_phase"), phases),
        prerequisite_delay=delay)


def _phases(reader: CatalogueReader, data: Any) -> tuple[str, ...]:
    """The phase ids in order; each phase's title is registered as text `phase.<id>`."""
    phases = []
    for index, entry in enumerate(reader.list(data, "phases")):
        path = f"phases[{index}]"
        if reader.mapping(entry, path) is None:
            continue
        reader.keys(entry, PHASE_KEYS, path)
        phase = entry.get("id")
        if not isinstance(phase, str) or not phase:
            reader.fail(f"{path}.id", "must name the phase")
            continue
        phases.append(phase)
        reader.add_text(f"phase.{phase}", entry, "title", path)
    if len(phases) != PHASE_COUNT or len(set(phases)) != PHASE_COUNT:
        reader.fail("phases", f"must list {PHASE_COUNT} distinct phases")
    return tuple(phases)


def _incentives(reader: CatalogueReader, data: Any) -> dict[str, float]:
    incentives: dict[str, float] = {}
    for name, entry in (reader.mapping(data, "incentives") or {}).items():
        path = f"incentives.{name}"
        if reader.mapping(entry, path) is None:
            continue
        reader.keys(entry, frozenset({"value", "text"}), path)
        incentives[str(name)] = reader.fraction(entry, "value", path)
        reader.add_text(f"incentive.{name}", entry, "text", path)
    return incentives


def _effort_phase(reader: CatalogueReader, data: Any, phases: tuple[str, ...]) -> dict[str, int]:
    mapping = reader.mapping(data, "effort_phase") or {}
    reader.keys(mapping, frozenset(EFFORTS), "effort_phase")
    result = {}
    for effort in EFFORTS:
        phase = reader.choice(mapping, effort, "effort_phase", phases, "phase")
        result[effort] = phases.index(phase) if phase is not None else 0
    return result


def parse_weighting(reader: CatalogueReader, data: dict, path: str, settings: PrioritySettings) -> Weighting:
    """impact, incentive (an id from priority.yaml) and effort of one catalogue entry."""
    incentive = reader.choice(data, "incentive", path, settings.incentives, "incentive")
    effort = reader.choice(data, "effort", path, EFFORTS, "effort")
    return Weighting(impact=reader.fraction(data, "impact", path),
                     incentive=settings.incentives.get(incentive or "", 0.0),
                     effort=effort or "low")


def parse_fit(reader: CatalogueReader, data: dict, path: str, settings: PrioritySettings
              ) -> dict[str, float] | None:
    """`fit: all` (None: every industry, strong) or {tag: strong|possible}."""
    fit = data.get("fit")
    if fit == "all":
        return None
    mapping = reader.mapping(fit, f"{path}.fit") or {}
    tags = reader.refs.tags
    result = {}
    for tag in mapping:
        if tags is not None and tag not in tags:
            reader.fail(f"{path}.fit.{tag}", f"unknown industry tag {tag!r}")
        level = reader.choice(mapping, tag, f"{path}.fit", FIT_LEVELS, "fit level")
        result[str(tag)] = settings.fit_scale.get(level or "", 0.0)
    if not result:
        reader.fail(f"{path}.fit", "must be `all` or map at least one industry tag to strong or possible")
    return result


def recommendation(rec_id: str, kind: str, gap: float, fit: float, weighting: Weighting,
                   settings: PrioritySettings, params: dict[str, Any], because: list[dict[str, Any]],
                   delayed: bool = False) -> dict[str, Any]:
    """One entry of the result's `recommendations` list (fit, impact and incentive are catalogue values)."""
    impact, incentive = weighting.impact, weighting.incentive
    parts = {"gap": round(gap, 4), "impact": impact, "fit": fit, "incentive": incentive}
    return {"id": rec_id, "kind": kind, "priority": round(gap * impact * fit * incentive, 4),
            "priority_parts": parts, "phase": settings.phase(weighting.effort, delayed),
            "params": params, "because": because}
