"""The recommendations chapter: 5G shortlist, cloud step, smart-factory ladder, robots, green, roadmap."""

from __future__ import annotations

from collections.abc import Mapping

from diagnosis.provider_recs import (
    CHANGE_MARKS,
    OWN_KIND,
    ProviderRecommendation,
    catalogue_items,
    provider_list,
)
from reports.explain import leaf_sentences
from reports.wording import Wording

TOP_ACTIONS = 5
_GROUPS = {"5g_scenario": "g5", "cloud_step": "cloud", "smart_factory": "factory", "robot": "robots",
           "green": "green", OWN_KIND: "own"}


def action(w: Wording, recommendation: dict) -> dict:
    """One recommendation in words: title, description, why, prerequisites, phase, priority; its reasons
    are all its leaves, held or not, in the page's sentences (a leaf that did not hold is a reason
    too: a negated trigger or an unmet criterion)."""
    prerequisites = recommendation.get("prerequisites") or []
    return {
        "id": recommendation["id"],
        "title": w.label(recommendation, "title", recommendation["id"]),
        "text": _text(w, recommendation, "why"),
        "how": _text(w, recommendation, "how"),
        "kind": w.kind(recommendation.get("kind", "")),
        "phase": w.phase(recommendation.get("phase", "")),
        "priority": w.priority(recommendation.get("priority")),
        "reasons": leaf_sentences(w, recommendation.get("because") or []),
        "prerequisites": [w.pick(item) if isinstance(item, dict) else str(item) for item in prerequisites],
        **_mark(w, recommendation),
    }


def _text(w: Wording, recommendation: dict, field: str) -> str:
    """A recommendation's why / how: on the node, else the bundle's ``<id>.<field>``, else none
    (one the provider wrote has no catalogue text)."""
    if recommendation.get(field):
        return str(recommendation[field])
    text = w.bundle.text(f"{recommendation['id']}.{field}")
    return w.pick(text) if text else ""


def _mark(w: Wording, recommendation: dict) -> dict:
    """What the provider changed about a recommendation of the verified report, in words
    (``written``: the title and text are the provider's own, shown as typed)."""
    mark, reason = recommendation.get("mark"), recommendation.get("mark_reason") or "—"
    if mark == "changed":
        note = w._("服务商调整：%(reason)s（原建议：%(phase)s，优先级 %(priority)s）", reason=reason,
                   phase=w.phase(recommendation.get("engine_phase") or ""),
                   priority=w.priority(recommendation.get("engine_priority")))
        return {"mark": w._("调整"), "mark_note": note, "written": False}
    if mark == "added":
        note = w._("服务商新增：%(reason)s", reason=reason)
        return {"mark": w._("新增"), "mark_note": note, "written": True}
    return {"mark": "", "mark_note": "", "written": False}


def with_provider_list(w: Wording, result: dict, edits: Mapping) -> tuple[dict, list[dict]]:
    """The result with the provider's list in place of the engine's, and the engine's
    recommendations the provider dismissed (title and reason).

    The standing recommendations keep the engine's node (its reasons) with the provider's priority
    and phase, in the provider's order; so the summary, the chapter and the roadmap all show the
    provider's list.
    """
    engine = {recommendation["id"]: recommendation for recommendation in result.get("recommendations", [])}
    rows = provider_list(engine.values(), edits, catalogue_items(w.bundle, w.lang))
    standing = [_provided(engine.get(row.key), row) for row in rows if not row.dismissed]
    dismissed = [{"title": row.title, "reason": row.reason or "—"}
                 for row in rows if row.dismissed and row.key in engine]
    return {**result, "recommendations": standing}, dismissed


def _provided(recommendation: dict | None, row: ProviderRecommendation) -> dict:
    node = dict(recommendation) if recommendation is not None else {
        "id": row.key, "kind": row.kind, "title": row.title, "why": row.detail or "", "because": []}
    node.update(priority=row.priority, phase=row.phase, mark=row.mark, mark_reason=row.reason,
                engine_priority=row.engine_priority, engine_phase=row.engine_phase)
    return node


def is_folded(recommendation: dict) -> bool:
    """Beyond the engine's main list (``folded``), unless the provider changed or added it: the
    report lists it compactly under 其他建议, and leaves it out of the top five and the roadmap."""
    return bool(recommendation.get("folded")) and recommendation.get("mark") not in CHANGE_MARKS


def main_list(result: dict) -> list[dict]:
    """The recommendations shown in full, in rank order (older snapshots without ``folded``: all)."""
    return [r for r in result.get("recommendations", []) if not is_folded(r)]


def recommendations_section(w: Wording, result: dict) -> dict:
    """Recommendations grouped for the chapter, the cloud step and the smart-factory ladder; the
    folded ones as one compact list (title, kind, phase, priority) in rank order."""
    groups: dict[str, list[dict]] = {"g5": [], "cloud": [], "factory": [], "robots": [], "green": [],
                                     "own": [], "other": []}
    for recommendation in main_list(result):
        groups[_GROUPS.get(recommendation.get("kind", ""), "other")].append(action(w, recommendation))
    return {
        "folded": [action(w, r) for r in result.get("recommendations", []) if is_folded(r)],
        "g5": groups["g5"],
        "cloud": _cloud(w, result.get("cloud") or {}, groups["cloud"]),
        "smart_factory": [_rung(w, rung) for rung in result.get("smart_factory", [])],
        "factory_actions": groups["factory"],
        "robots": groups["robots"],
        "green": groups["green"],
        "own": groups["own"],
        "other": groups["other"],
    }


def _cloud(w: Wording, cloud: dict, actions: list[dict]) -> dict:
    following = cloud.get("next_step")
    return {
        "current": w.cloud_step(cloud.get("current_step")),
        "next": w.cloud_step(following) if following is not None else w._("已处于最高阶段"),
        "actions": actions,
    }


def _rung(w: Wording, rung: dict) -> dict:
    return {
        "label": w.label(rung, "title") or w.first_key(rung["id"], f"sf.{rung['id']}"),
        "status": rung.get("status", "unknown"),
        "status_label": w.status(rung.get("status", "unknown")),
        "criteria": [_criterion(w, rung["id"], criterion) for criterion in rung.get("criteria", [])],
    }


def _criterion(w: Wording, rung_id: str, criterion: dict) -> dict:
    """A ladder criterion; the reasons are shown only where it is not (yet) met."""
    status = criterion.get("status", "unknown")
    label = w.label(criterion, "text") or w.first_key(f"{rung_id}.{criterion['id']}",
                                                      f"sf.{rung_id}.{criterion['id']}")
    reasons = [] if status == "met" else leaf_sentences(
        w, [leaf for leaf in criterion.get("because") or [] if leaf.get("held") is False])
    return {"label": label, "status": status, "status_label": w.status(status), "reasons": reasons}


def roadmap(w: Wording, result: dict) -> list[dict]:
    """The phased plan: the main list under its phases, in priority order (as the result page)."""
    recommendations = main_list(result)
    return [{"phase": phase, "label": w.phase(phase),
             "actions": [action(w, r) for r in recommendations if r.get("phase") == phase]}
            for phase in w.phases]


def top_actions(w: Wording, result: dict) -> list[dict]:
    return [action(w, r) for r in main_list(result)[:TOP_ACTIONS]]
