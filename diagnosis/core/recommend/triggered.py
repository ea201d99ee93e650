"""Triggered entries: 5G scenarios and actions are recommended when fit and trigger hold.

Shared by scenarios_5g.py and actions.py: named prerequisites, gap rules and the recommendation
step. An entry whose `done_if` holds (an answer shows it is in place already) or whose
`eligible_if` fails is not recommended. Unmet prerequisites never block a recommendation; they
are listed (as text keys) in its params and push its phase later; ranking.py then ranks it below
the recommendation that meets them (`met_by`) and lowers its priority.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from diagnosis.core.conditions import Condition
from diagnosis.core.context import Context
from diagnosis.core.questionnaire import NUMBER_TYPES
from diagnosis.core.recommend.priority import PrioritySettings, Weighting, recommendation
from diagnosis.core.recommend.reader import CatalogueReader

PREREQUISITE_KEYS = frozenset({"text", "condition", "met_by", "note"})


@dataclass(frozen=True)
class Prerequisite:
    key: str  # the text key, e.g. "5g.prereq.plant_network"
    condition: Condition
    met_by: tuple[str, ...] = ()  # recommendation ids that meet it, the first fitting one is used
    where: str = ""  # its path in the file, for problems found once every catalogue is read


@dataclass(frozen=True)
class Below:
    """gap = 1 - value / threshold, clamped to [0, 1]."""

    source: str
    ref: str
    threshold: float

    def gap(self, ctx: Context) -> float | None:
        value = ctx.lookup(self.source, self.ref)
        if value is None:
            return None
        return min(1.0, max(0.0, 1 - value / self.threshold))


@dataclass(frozen=True)
class OptionScale:
    """gap = scale[the option answered]."""

    ref: str
    scale: dict[Any, float]

    def gap(self, ctx: Context) -> float | None:
        return self.scale.get(ctx.answers.get(self.ref))


@dataclass(frozen=True)
class Candidate:
    rec_id: str
    kind: str
    fit: dict[str, float] | None
    trigger: Condition
    prerequisites: tuple[Prerequisite, ...]
    gap_rule: Below | OptionScale | None  # None: the trigger share
    weighting: Weighting
    params: dict[str, Any]
    done_if: Condition | None = None  # holds: already in place, never recommended
    eligible_if: Condition | None = None  # fails: the company may not apply (recognitions)
    absorbs: tuple[str, ...] = ()  # recommendation ids this one covers as its steps
    where: str = ""  # its path in the file

    def applies(self, ctx: Context) -> bool:
        """Neither done already nor excluded by an eligibility rule."""
        if self.done_if is not None and self.done_if.holds(ctx):
            return False
        return self.eligible_if is None or self.eligible_if.holds(ctx)


class Fitting(NamedTuple):
    candidate: Candidate
    fit: float


@dataclass(frozen=True)
class CandidateGroup:
    """The candidates of one catalogue, with the ones fitting each set of industry tags remembered
    (tags come from the industry table, so there are few distinct sets)."""

    candidates: tuple[Candidate, ...]
    settings: PrioritySettings
    _fitting: dict[tuple[str, ...], tuple[Fitting, ...]] = field(default_factory=dict, compare=False,
                                                                 repr=False)

    def fitting(self, tags: Sequence[str]) -> tuple[Fitting, ...]:
        """Every candidate whose fit for `tags` is above 0, with that fit."""
        key = tuple(tags)
        found = self._fitting.get(key)
        if found is None:
            found = tuple(Fitting(candidate, fit) for candidate in self.candidates
                          if (fit := self.settings.fit(candidate.fit, key)) > 0)
            self._fitting[key] = found
        return found


def parse_prerequisites(reader: CatalogueReader, data: Any, namespace: str) -> dict[str, Prerequisite]:
    """The file's named prerequisites; their texts are keyed "<namespace>.prereq.<id>"."""
    result: dict[str, Prerequisite] = {}
    for name, entry in (reader.mapping(data, "prerequisites") or {}).items():
        path = f"prerequisites.{name}"
        if reader.mapping(entry, path) is None:
            continue
        reader.keys(entry, PREREQUISITE_KEYS, path)
        key = f"{namespace}.prereq.{name}"
        reader.add_text(key, entry, "text", path)
        condition = reader.checked_condition(entry, "condition", path)
        met_by = reader.id_list(entry, "met_by", path)
        if condition is not None:
            result[str(name)] = Prerequisite(key, condition, met_by, f"{path}.met_by")
    return result


def parse_entry_rules(reader: CatalogueReader, data: dict, path: str) -> dict[str, Any]:
    """done_if (required, null when no answer can show the entry done), eligible_if and absorbs."""
    if "done_if" in data:
        done_if = (None if data["done_if"] is None
                   else reader.checked_condition(data, "done_if", path))
    else:
        reader.fail(f"{path}.done_if", "missing: the condition that shows it is in place (null: none)")
        done_if = None
    eligible_if = reader.checked_condition(data, "eligible_if", path, required=False)
    return {"done_if": done_if, "eligible_if": eligible_if,
            "absorbs": reader.id_list(data, "absorbs", path), "where": path}


def pick_prerequisites(reader: CatalogueReader, data: dict, path: str,
                       known: Mapping[str, Prerequisite]) -> tuple[Prerequisite, ...]:
    names = reader.list(data.get("prerequisites", []), f"{path}.prerequisites")
    picked = []
    for index, name in enumerate(names):
        if name in known:
            picked.append(known[name])
        else:
            reader.fail(f"{path}.prerequisites[{index}]", f"unknown prerequisite {name!r}")
    return tuple(picked)


def parse_gap_rule(reader: CatalogueReader, data: dict, path: str) -> Below | OptionScale | None:
    """`gap: {below: {fact|answer: ref, threshold: t}}` or `gap: {options: {answer: ref, scale: {...}}}`."""
    if "gap" not in data:
        return None
    where = f"{path}.gap"
    rule = reader.mapping(data["gap"], where) or {}
    if set(rule) == {"below"}:
        return _below(reader, reader.mapping(rule["below"], f"{where}.below") or {}, f"{where}.below")
    if set(rule) == {"options"}:
        return _option_scale(reader, reader.mapping(rule["options"], f"{where}.options") or {},
                             f"{where}.options")
    reader.fail(where, "must be {below: ...} or {options: ...}")
    return None


def _below(reader: CatalogueReader, data: dict, path: str) -> Below | None:
    reader.keys(data, frozenset({"fact", "answer", "threshold"}), path)
    threshold = reader.number(data, "threshold", path)
    if threshold is None or threshold <= 0:
        reader.fail(f"{path}.threshold", "must be a positive number")
        return None
    if "fact" in data:
        if data["fact"] not in reader.refs.fact_ids:
            reader.fail(f"{path}.fact", f"unknown fact {data['fact']!r}")
            return None
        return Below("fact", data["fact"], threshold)
    question = reader.answer_question(data.get("answer"), f"{path}.answer", NUMBER_TYPES)
    return Below("answer", question.id, threshold) if question else None


def _option_scale(reader: CatalogueReader, data: dict, path: str) -> OptionScale | None:
    reader.keys(data, frozenset({"answer", "scale"}), path)
    question = reader.answer_question(data.get("answer"), f"{path}.answer", {"single"})
    scale = reader.mapping(data.get("scale"), f"{path}.scale") or {}
    if question is None:
        return None
    for option in scale:
        if option not in question.option_ids:
            reader.fail(f"{path}.scale.{option}", f"unknown option {option!r} of question {question.id!r}")
    return OptionScale(question.id, {str(o): reader.fraction(scale, o, f"{path}.scale") for o in scale})


def recommend_candidates(group: CandidateGroup, ctx: Context, tags: Sequence[str],
                         out: list[dict[str, Any]]) -> None:
    """Append a recommendation for every candidate whose industry fits and whose trigger holds."""
    settings = group.settings
    prerequisites_met: dict[str, bool] = {}  # prerequisites are shared between candidates: judge each once
    for candidate, fit in group.fitting(tags):
        trigger = candidate.trigger
        if not trigger.holds(ctx) or not candidate.applies(ctx):
            continue
        _, because, share = trigger.explain(ctx)
        unmet = []
        for prerequisite in candidate.prerequisites:
            met = prerequisites_met.get(prerequisite.key)
            if met is None:
                met = prerequisites_met[prerequisite.key] = prerequisite.condition.holds(ctx)
            if not met:
                unmet.append(prerequisite.key)
        measured = candidate.gap_rule.gap(ctx) if candidate.gap_rule is not None else None
        gap = share if measured is None else measured
        params = {**candidate.params, "unmet_prerequisites": unmet}
        out.append(recommendation(candidate.rec_id, candidate.kind, gap, fit, candidate.weighting, settings,
                                  params, because, delayed=bool(unmet)))


def pull(candidate: Candidate, fit: float, ctx: Context, settings: PrioritySettings,
         prerequisite: Prerequisite) -> dict[str, Any] | None:
    """The recommendation of `candidate` brought in because it meets `prerequisite` of a recommended
    entry (its own trigger did not hold); None when it is done already or excluded."""
    if not candidate.applies(ctx):
        return None
    unmet = [p.key for p in candidate.prerequisites if not p.condition.holds(ctx)]
    measured = candidate.gap_rule.gap(ctx) if candidate.gap_rule is not None else None
    because = [leaf for leaf in prerequisite.condition.entries(ctx) if not leaf["held"]]
    params = {**candidate.params, "unmet_prerequisites": unmet}
    return recommendation(candidate.rec_id, candidate.kind, 1.0 if measured is None else measured, fit,
                          candidate.weighting, settings, params, because, delayed=bool(unmet))
