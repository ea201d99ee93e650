"""The "because" leaves of a recommendation or criterion, as sentences a manager can read.

The one explainer of the platform: the result page and the PDF report both call
:func:`leaf_sentence` with a :class:`~reports.wording.Wording` for their language.
"""

from __future__ import annotations

import re
from typing import Any

from reports.wording import Wording

#: Descriptive score refs of the recommend code (not condition paths): a figure at a level.
SCENARIOS_AT_LEVEL = re.compile(r"^sme\.scenarios_at_level\.(\d+)$")
CONSTRAINT_AT_LEVEL = re.compile(r"^sme\.constraint_at_level\.(\d+)$")
LEVEL_SCORE = re.compile(r"^cmmm\.level_scores\.(\d+)$")
SUBDOMAIN_SCORE = re.compile(r"^cmmm\.subdomains\.([a-z0-9_]+)\.(\d+)$")


def operator_phrase(w: Wording, op: str) -> str:
    phrases = {
        "eq": w._("为"), "ne": w._("不为"), "lt": w._("低于"), "le": w._("不高于"),
        "gt": w._("高于"), "ge": w._("不低于"), "in": w._("属于"), "not_in": w._("不属于"),
        "contains": w._("包含"), "contains_any": w._("包含任一"), "contains_all": w._("全部包含"),
        "answered": w._("已填写"), "unanswered": w._("未填写"),
    }
    return phrases.get(op, op)


def subject(w: Wording, source: str, ref: str) -> str:
    """What a leaf looks at: a question, a derived fact, a profile field or a score."""
    if source == "answer":
        return w.question_text(ref)
    if source == "score":
        return score_label(w, ref)
    if source == "profile":
        labels = {
            "industry_code": w._("行业代码"), "industry_tags": w._("行业类别"),
            "above_designated_size": w._("规模以上企业"), "employees": w._("从业人数"),
            "revenue_band": w._("营业收入区间"), "park": w._("所在园区"),
        }
        return labels.get(ref, ref)
    return w.key(f"fact.{ref}")


def score_label(w: Wording, ref: str) -> str:
    """A score path in words: the fixed scores, and the per-level figures the recommend code cites."""
    labels = {
        "sme.points": w._("数字化水平得分"), "sme.level": w._("数字化水平等级"),
        "cmmm.level": w._("成熟度等级"), "cmmm.overall": w._("成熟度得分"),
    }
    if ref in labels:
        return labels[ref]
    if match := SCENARIOS_AT_LEVEL.match(ref):
        return w._("%(level)s及以上场景数", level=w.level(int(match.group(1))))
    if match := CONSTRAINT_AT_LEVEL.match(ref):
        return w._("%(level)s及以上约束性场景数", level=w.level(int(match.group(1))))
    if match := LEVEL_SCORE.match(ref):
        return w._("成熟度%(level)s得分", level=w.level(int(match.group(1))))
    if match := SUBDOMAIN_SCORE.match(ref):
        name = w.key(f"cmmm.subdomain.{match.group(1)}")
        return w._("“%(name)s”子域%(level)s得分", name=name, level=w.level(int(match.group(2))))
    return ref


def shown_value(w: Wording, source: str, ref: str, value: Any) -> str:
    """A threshold or actual value in the words of its source (option texts, percentages)."""
    if value is None:
        return w._("未知")
    if source == "answer":
        return w.answer(ref, value)
    if source == "fact" and _is_ratio_fact(w, ref) and isinstance(value, int | float):
        return w.percent(value)
    if source == "score" and ref.endswith(".level") and isinstance(value, int):
        return w.level(value)
    if source == "profile" and ref == "industry_tags":
        values = value if isinstance(value, list | tuple) else [value]
        return w._("、").join(w.key(f"tag.{tag}") for tag in values)
    return w.plain(value)


def _is_ratio_fact(w: Wording, ref: str) -> bool:
    return any(fact.id == ref and fact.unit == "ratio" for fact in w.instrument.facts)


def leaf_sentence(w: Wording, leaf: dict) -> str:
    """One leaf: "设备联网率 低于 40%（当前：31%）", with a mark for leaves that did not hold."""
    source, ref, op = leaf.get("source", ""), leaf.get("ref", ""), leaf.get("op", "")
    what = subject(w, source, ref)
    if op in ("answered", "unanswered"):
        sentence = f"{what} {operator_phrase(w, op)}"
    else:
        threshold = shown_value(w, source, ref, leaf.get("threshold"))
        actual = shown_value(w, source, ref, leaf.get("value"))
        sentence = w._("%(what)s %(op)s %(threshold)s（当前：%(actual)s）", what=what,
                       op=operator_phrase(w, op), threshold=threshold, actual=actual)
    if leaf.get("held") is False:
        sentence = w._("尚未满足：%(sentence)s", sentence=sentence)
    return sentence


def leaf_sentences(w: Wording, leaves: list[dict] | None) -> list[str]:
    return [leaf_sentence(w, leaf) for leaf in leaves or []]
