"""The SME 2024 and CMMM chapters of the report document, from the stored result."""

from __future__ import annotations

from reports import charts
from reports.wording import Wording

SCENARIO_TOP_LEVEL = 4


def sme_section(w: Wording, sme: dict, level_rules) -> dict:
    """Points per dimension and item, the 16 scenario levels and what the next level needs.

    :param level_rules: the SME model's ``LevelRule`` list, for the next level's requirements.
    """
    dimensions = [
        {
            "id": dimension["id"],
            "label": w.label(dimension, key=f"sme.dimension.{dimension['id']}"),
            "points": w.number(dimension["points"]),
            "max": w.number(dimension["max"]),
            "items": [{"label": w.label(item, key=f"sme.item.{item['id']}"),
                       "points": w.number(item["points"]), "max": w.number(item["max"])}
                      for item in dimension.get("items", [])],
        }
        for dimension in sme.get("dimensions", [])
    ]
    scenarios = [
        {"id": scenario["id"], "label": w.label(scenario, key=f"question.{scenario['id']}"),
         "level": scenario["level"],
         "level_label": w.level(scenario["level"]) if scenario["level"] else w._("未开展"),
         "constraint": bool(scenario.get("constraint"))}
        for scenario in sme.get("scenarios", [])
    ]
    return {
        "points": w.number(sme["points"]),
        "max": w.number(sme["max"]),
        "level": sme.get("level"),
        "level_label": w.level(sme.get("level")),
        "dimensions": dimensions,
        "scenarios": scenarios,
        "next_level": _next_level(w, sme, level_rules),
    }


def _next_level(w: Wording, sme: dict, level_rules) -> dict | None:
    """The next level's three requirements: what is needed, what the company has, the shortfall."""
    target = sme.get("next_level")
    rule = next((r for r in level_rules if target and r.level == target["level"]), None)
    if rule is None:
        return None
    at_level = [s for s in sme.get("scenarios", []) if s["level"] >= rule.at_level]
    constraint = [s for s in at_level if s.get("constraint")]
    level_label = w.level(rule.level)
    rows = [
        (w._("评测总分"), rule.min_points, sme["points"]),
        (w._("达到%(level)s及以上的场景数", level=w.level(rule.at_level)), rule.min_scenarios, len(at_level)),
        (w._("其中约束性场景数"), rule.min_constraint, len(constraint)),
    ]
    return {
        "level": rule.level,
        "label": level_label,
        "rows": [{"label": label, "required": w.number(required), "current": w.number(current),
                  "short": w.number(required - current) if current < required else ""}
                 for label, required, current in rows],
    }


def cmmm_section(w: Wording, cmmm: dict, pass_threshold: float) -> dict:
    """Per sub-domain scores by level and the requirement still missing for the next level."""
    if not cmmm or not cmmm.get("assessed"):
        return {"assessed": False}
    levels = sorted({int(level) for sub in cmmm.get("subdomains", []) for level in sub.get("scores", {})})
    next_level = (cmmm.get("level") or 0) + 1
    return {
        "assessed": True,
        "overall": w.number(cmmm.get("overall"), 2),
        "level": cmmm.get("level"),
        "threshold": w.number(pass_threshold, 2),
        "level_scores": [{"label": w.level(int(level)), "score": w.number(score, 2)}
                         for level, score in sorted(cmmm.get("level_scores", {}).items(),
                                                    key=lambda item: int(item[0]))],
        "levels": [w.level(level) for level in levels],
        "subdomains": [_subdomain_row(w, sub, levels, next_level, pass_threshold)
                       for sub in cmmm.get("subdomains", [])],
        "unanswered": len(cmmm.get("unanswered", [])),
    }


def _subdomain_row(w: Wording, sub: dict, levels: list[int], next_level: int, threshold: float) -> dict:
    scores = sub.get("scores", {})
    row_scores = [w.number(scores[str(level)], 2) if str(level) in scores else None for level in levels]
    return {"label": w.label(sub, key=f"cmmm.subdomain.{sub['id']}"),
            "element": w.key(f"cmmm.element.{sub.get('element', '')}"),
            "scores": row_scores, "gap": _subdomain_gap(w, scores, next_level, threshold)}


def _subdomain_gap(w: Wording, scores: dict, next_level: int, threshold: float) -> str:
    """Which levels up to the next one are not yet met in this sub-domain."""
    missing = [int(level) for level, score in scores.items()
               if int(level) <= next_level and score is not None and score < threshold]
    if not missing:
        if str(next_level) not in scores:
            return w._("该级无本子域要求")
        return w._("已满足")
    first = min(missing)
    return w._("%(level)s要求满足度 %(score)s，需达到 %(threshold)s", level=w.level(first),
               score=w.number(scores[str(first)], 2), threshold=w.number(threshold, 2))


def sme_charts(w: Wording, sme: dict) -> dict:
    """The SME dimension bars and the scenario-level bars (constraint scenarios marked)."""
    bars = [(w.label(d, key=f"sme.dimension.{d['id']}"), d["points"], d["max"])
            for d in sme.get("dimensions", [])]
    levels = [charts.Bar(w.label(s, key=f"question.{s['id']}"), s["level"], bool(s.get("constraint")))
              for s in sme.get("scenarios", [])]
    level_words = [w._("未开展")] + [w.level(level) for level in range(1, SCENARIO_TOP_LEVEL + 1)]
    return {
        "sme_points": charts.points_chart("sme-points", w._("各维度得分"), bars,
                                          (w._("得分"), w._("未得分"))),
        "scenario_levels": charts.levels_chart("scenario-levels", w._("业务场景等级"), levels,
                                               SCENARIO_TOP_LEVEL, level_words,
                                               (w._("其他场景"), w._("约束性场景"))),
    }


def radar_chart(w: Wording, radar: list[dict], chart_id: str = "radar") -> str | None:
    """The radar of the PDF report and the result page."""
    if not radar:
        return None
    axes = [charts.Bar(w.label(axis, key=f"radar.{axis['id']}"), axis["value"] or 0) for axis in radar]
    return charts.radar_chart(chart_id, w._("数字化能力雷达图"), axes)
