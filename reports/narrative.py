"""The executive summary's short narrative, written from the results by fixed sentence rules.

Each rule reads the result and returns a sentence or nothing; the paragraphs are the
sentences that apply, in a fixed order, so the same result always reads the same.
"""

from __future__ import annotations

from reports.recommendations import is_folded
from reports.wording import Wording


def narrative(w: Wording, result: dict) -> list[str]:
    """Two to four short paragraphs: the levels, strengths and gaps, the way up, the plan."""
    paragraphs = [
        _sentences(w, _levels(w, result), _cmmm(w, result.get("cmmm") or {})),
        _sentences(w, _strongest_weakest(w, result), _facts(w, result.get("facts") or {})),
        _next_step(w, result.get("sme") or {}),
        _plan(w, result.get("recommendations") or []),
    ]
    return [paragraph for paragraph in paragraphs if paragraph]


def _sentences(w: Wording, *sentences: str) -> str:
    """Sentences of one paragraph: Chinese ones follow each other after "。" without a space."""
    gap = "" if w.lang.startswith("zh") else " "
    return gap.join(sentence for sentence in sentences if sentence)


def _levels(w: Wording, result: dict) -> str:
    sme = result.get("sme") or {}
    return w._("企业数字化水平评测得分 %(points)s 分（满分 %(max)s 分），达到中小企业数字化水平%(level)s。",
               points=w.number(sme.get("points")), max=w.number(sme.get("max")),
               level=w.level(sme.get("level")))


def _cmmm(w: Wording, cmmm: dict) -> str:
    if not cmmm.get("assessed"):
        return w._("本次未开展智能制造能力成熟度自评。")
    if not cmmm.get("level"):
        return w._("智能制造能力成熟度得分 %(score)s，尚未达到一级（规划级）的要求。",
                   score=w.number(cmmm.get("overall"), 2))
    return w._("智能制造能力成熟度得分 %(score)s，处于%(level)s。",
               score=w.number(cmmm.get("overall"), 2), level=w.level(cmmm.get("level")))


def _strongest_weakest(w: Wording, result: dict) -> str:
    dimensions = [d for d in (result.get("sme") or {}).get("dimensions", []) if d.get("max")]
    if len(dimensions) < 2:
        return ""
    ranked = sorted(dimensions, key=lambda d: (d["points"] / d["max"], d["id"]))
    weakest, strongest = ranked[0], ranked[-1]
    return w._("相对优势在“%(strong)s”（得分率 %(strong_rate)s），短板在“%(weak)s”（得分率 %(weak_rate)s）。",
               strong=w.label(strongest, key=f"sme.dimension.{strongest['id']}"),
               strong_rate=w.percent(strongest["points"] / strongest["max"]),
               weak=w.label(weakest, key=f"sme.dimension.{weakest['id']}"),
               weak_rate=w.percent(weakest["points"] / weakest["max"]))


def _facts(w: Wording, facts: dict) -> str:
    network = facts.get("equipment_network_rate")
    robots = facts.get("robot_density")
    if network is None and robots is None:
        return ""
    if robots is None:
        return w._("生产设备联网率为 %(network)s。", network=w.percent(network))
    if network is None:
        return w._("每万名员工拥有工业机器人 %(robots)s 台。", robots=w.number(robots))
    return w._("生产设备联网率为 %(network)s，每万名员工拥有工业机器人 %(robots)s 台。",
               network=w.percent(network), robots=w.number(robots))


def _next_step(w: Wording, sme: dict) -> str:
    target = sme.get("next_level")
    if not target:
        return w._("企业已达到中小企业数字化水平的最高等级，建议对标智能工厂梯度培育要求持续提升。")
    shortfalls = []
    if target.get("points_short"):
        shortfalls.append(w._("总分提高 %(n)s 分", n=w.number(target["points_short"])))
    if target.get("scenarios_short"):
        shortfalls.append(w._("再有 %(n)s 个业务场景达级", n=target["scenarios_short"]))
    if target.get("constraint_short"):
        shortfalls.append(w._("其中约束性场景再增加 %(n)s 个", n=target["constraint_short"]))
    if not shortfalls:
        return ""
    return w._("晋级%(level)s还需：%(needs)s。", level=w.level(target["level"]),
               needs=w._("，").join(shortfalls))


def _plan(w: Wording, recommendations: list[dict]) -> str:
    """The main list's size and near-term share, and how many further ones the chapter lists."""
    if not recommendations:
        return w._("本次诊断未形成需要优先实施的改进建议。")
    main = [r for r in recommendations if not is_folded(r)]
    near = sum(1 for r in main if r.get("phase") == w.phases[0])
    plan = w._("本报告共提出 %(total)s 项改进建议，其中 %(near)s 项建议在 6 个月内启动，"
               "下文按优先级列出前五项行动。", total=len(main), near=near)
    folded = len(recommendations) - len(main)
    if not folded:
        return plan
    return _sentences(w, plan, w._("另有 %(n)s 项其他建议，简列于第五章“其他建议”。", n=folded))
