"""The final list: merged entries, prerequisites brought in and ranked first, the main list capped.

Steps, each a rule of the catalogues (priority.yaml, the `met_by` / `absorbs` of the others):
1. one recommendation per action: an entry listing others in `absorbs` covers them as its steps;
   those present are dropped and named in its `params.absorbed`;
2. an unmet prerequisite becomes a recommendation of its own: the first of its `met_by` ids that
   is recommended already, else the first whose industry fits (brought in with the prerequisite's
   failing leaves as `because`), unless that one is done already or excluded. The dependent names
   it in `params.after`, the provider the dependents in `params.unlocks`;
3. priority x unmet_prerequisite_factor per unmet prerequisite (`priority_parts.prerequisites`),
   and never above the priority of a recommendation it waits for; one brought in for others is
   worth at most what it unlocks (the highest priority, as computed before this step, of those);
4. order: priority descending, then prerequisites before what depends on them, then id;
5. the main list holds at most `per_kind` of one kind and `main_total` in all; every other entry,
   and every entry waiting for a folded one, has `folded: true`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagnosis.core.context import Context
from diagnosis.core.recommend.priority import PrioritySettings
from diagnosis.core.recommend.triggered import Fitting, Prerequisite, pull

Recommendation = dict[str, Any]


def arrange(recommendations: list[Recommendation], ctx: Context, settings: PrioritySettings,
            fitting: Mapping[str, Fitting], prerequisites: Mapping[str, Prerequisite],
            absorbs: Mapping[str, tuple[str, ...]]) -> list[Recommendation]:
    """The ranked list; `fitting` holds the triggered catalogues' candidates that fit the company's
    industry, by recommendation id; `prerequisites` every prerequisite by text key."""
    present = _merged(recommendations, absorbs)
    formula = {rec_id: rec["priority"] for rec_id, rec in present.items()}
    after = _bring_in_prerequisites(present, ctx, settings, fitting, prerequisites)
    depth = _depths(list(present), after)
    _reduce(present, after, depth, settings, formula)
    ranked = sorted(present.values(), key=lambda rec: (-rec["priority"], depth[rec["id"]], rec["id"]))
    _fold(ranked, after, settings)
    return ranked


def _merged(recommendations: list[Recommendation], absorbs: Mapping[str, tuple[str, ...]]
            ) -> dict[str, Recommendation]:
    present = {rec["id"]: rec for rec in recommendations}
    for rec in recommendations:
        covered = [rec_id for rec_id in absorbs.get(rec["id"], ()) if rec_id in present]
        if covered and rec["id"] in present:
            rec["params"]["absorbed"] = sorted(covered)
            for rec_id in covered:
                del present[rec_id]
    return present


def _bring_in_prerequisites(present: dict[str, Recommendation], ctx: Context, settings: PrioritySettings,
                            fitting: Mapping[str, Fitting], prerequisites: Mapping[str, Prerequisite]
                            ) -> dict[str, list[str]]:
    """rec id -> the ids of the recommendations meeting its unmet prerequisites (added to `present`)."""
    after: dict[str, list[str]] = {}
    queue = list(present.values())
    while queue:
        rec = queue.pop(0)
        for key in rec["params"].get("unmet_prerequisites", ()):
            prerequisite = prerequisites.get(key)
            if prerequisite is None:
                continue
            provider = _provider(prerequisite, present, fitting)
            if provider is None or provider == rec["id"]:
                continue
            if provider not in present:
                candidate, fit = fitting[provider]
                brought = pull(candidate, fit, ctx, settings, prerequisite)
                if brought is None:
                    continue
                present[provider] = brought
                queue.append(brought)
            if provider not in after.setdefault(rec["id"], []):
                after[rec["id"]].append(provider)
                present[provider]["params"].setdefault("unlocks", []).append(rec["id"])
    for rec_id, providers in after.items():
        present[rec_id]["params"]["after"] = providers
    return after


def _provider(prerequisite: Prerequisite, present: Mapping[str, Recommendation],
              fitting: Mapping[str, Fitting]) -> str | None:
    recommended = next((rec_id for rec_id in prerequisite.met_by if rec_id in present), None)
    return recommended or next((rec_id for rec_id in prerequisite.met_by if rec_id in fitting), None)


def _depths(rec_ids: list[str], after: Mapping[str, list[str]]) -> dict[str, int]:
    """0 for a recommendation waiting for none, else one more than the deepest it waits for."""
    depth: dict[str, int] = {}

    def of(rec_id: str, seen: frozenset[str]) -> int:
        if rec_id not in depth:
            providers = [p for p in after.get(rec_id, ()) if p not in seen]
            depth[rec_id] = 1 + max((of(p, seen | {rec_id}) for p in providers), default=-1)
        return depth[rec_id]

    for rec_id in rec_ids:
        of(rec_id, frozenset())
    return depth


def _reduce(present: dict[str, Recommendation], after: Mapping[str, list[str]], depth: Mapping[str, int],
            settings: PrioritySettings, formula: Mapping[str, float]) -> None:
    """`formula`: the priorities of the recommendations triggered on their own, before this step."""
    for rec in sorted(present.values(), key=lambda rec: depth[rec["id"]]):
        unmet = len(rec["params"].get("unmet_prerequisites", ()))
        factor = settings.unmet_prerequisite_factor ** unmet
        rec["priority_parts"]["prerequisites"] = round(factor, 4)
        priority = rec["priority"] * factor
        if rec["id"] not in formula:  # brought in: worth at most what it unlocks
            priority = min(priority, max(formula.get(d, 0.0) for d in rec["params"]["unlocks"]))
        for provider in after.get(rec["id"], ()):
            priority = min(priority, present[provider]["priority"])
        rec["priority"] = round(priority, 4)


def _fold(ranked: list[Recommendation], after: Mapping[str, list[str]], settings: PrioritySettings) -> None:
    shown: dict[str, int] = {}
    folded: set[str] = set()
    total = 0
    for rec in ranked:
        waits = any(provider in folded for provider in after.get(rec["id"], ()))
        fold = waits or total >= settings.main_total or shown.get(rec["kind"], 0) >= settings.per_kind
        rec["folded"] = fold
        if fold:
            folded.add(rec["id"])
        else:
            total += 1
            shown[rec["kind"]] = shown.get(rec["kind"], 0) + 1
