"""The recommendations chapter: 5G shortlist, cloud step, smart-factory ladder, robots, green, roadmap."""

from __future__ import annotations

from reports.explain import leaf_sentences
from reports.wording import Wording

TOP_ACTIONS = 5
_GROUPS = {"5g_scenario": "g5", "cloud_step": "cloud", "smart_factory": "factory", "robot": "robots",
           "green": "green"}


def action(w: Wording, recommendation: dict) -> dict:
    """One recommendation in words: title, description, why, prerequisites, phase, priority."""
    because = recommendation.get("because") or []
    prerequisites = recommendation.get("prerequisites")
    if prerequisites:
        prerequisite_words = [w.pick(item) if isinstance(item, dict) else str(item) for item in prerequisites]
    else:
        prerequisite_words = leaf_sentences(w, [leaf for leaf in because if leaf.get("held") is False])
    return {
        "id": recommendation["id"],
        "title": w.label(recommendation, "title", recommendation["id"]),
        "text": w.label(recommendation, "why", f"{recommendation['id']}.why"),
        "how": w.label(recommendation, "how", f"{recommendation['id']}.how"),
        "kind": w.kind(recommendation.get("kind", "")),
        "phase": w.phase(recommendation.get("phase", "")),
        "priority": w.priority(recommendation.get("priority")),
        "reasons": leaf_sentences(w, [leaf for leaf in because if leaf.get("held") is not False]),
        "prerequisites": prerequisite_words,
    }


def recommendations_section(w: Wording, result: dict) -> dict:
    """Recommendations grouped for the chapter, the cloud step and the smart-factory ladder."""
    groups: dict[str, list[dict]] = {"g5": [], "cloud": [], "factory": [], "robots": [], "green": [],
                                     "other": []}
    for recommendation in result.get("recommendations", []):
        groups[_GROUPS.get(recommendation.get("kind"), "other")].append(action(w, recommendation))
    return {
        "g5": groups["g5"],
        "cloud": _cloud(w, result.get("cloud") or {}, groups["cloud"]),
        "smart_factory": [_rung(w, rung) for rung in result.get("smart_factory", [])],
        "factory_actions": groups["factory"],
        "robots": groups["robots"],
        "green": groups["green"],
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
    """The phased plan: every recommendation under its phase, in priority order."""
    recommendations = result.get("recommendations", [])
    return [{"phase": phase, "label": w.phase(phase),
             "actions": [action(w, r) for r in recommendations if r.get("phase") == phase]}
            for phase in w.phases]


def top_actions(w: Wording, result: dict) -> list[dict]:
    return [action(w, r) for r in result.get("recommendations", [])[:TOP_ACTIONS]]
