"""The "because" leaves of a recommendation or criterion, as sentences a manager can read.

The one explainer of the platform: the result page and the PDF report both call
:func:`leaf_sentences` with a :class:`~reports.wording.Wording` for their language.

A sentence states what is true of the company, from the leaf's structured data, with one template
per kind of condition (reports/reason_families.py): the chosen options only ("您选择的突出问题包括：
交期难保证", "尚未使用 MES"), a yes / no answer as a practice in place or not, a number with its unit
and, where it falls short, what is required ("生产设备联网率 47.3%，要求不低于 60%"), a level
against the level needed. The subject is the question's short label, never its text as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from reports import reason_families as family
from reports.wording import Wording

#: Descriptive score refs of the recommend code (not condition paths): a figure at a level.
SCENARIOS_AT_LEVEL = re.compile(r"^sme\.scenarios_at_level\.(\d+)$")
CONSTRAINT_AT_LEVEL = re.compile(r"^sme\.constraint_at_level\.(\d+)$")
LEVEL_SCORE = re.compile(r"^cmmm\.level_scores\.(\d+)$")
SUBDOMAIN_SCORE = re.compile(r"^cmmm\.subdomains\.([a-z0-9_]+)\.(\d+)$")
#: The count of open self-check statements (diagnosis/core/recommend/cmmm_gaps.py).
CMMM_UNANSWERED = "cmmm.unanswered"

Leaf = Mapping[str, Any]


def leaf_sentences(w: Wording, leaves: Iterable[Leaf] | None, by: str | None = None) -> list[str]:
    """The sentences of a list of leaves, without the ones that say nothing to a manager (an
    ``answered`` test that held only guards another leaf). ``by`` names who sets a requirement
    ("省级数字化车间"), for the leaves of one criterion."""
    return [leaf_sentence(w, leaf, by) for leaf in leaves or [] if not _silent(leaf)]


def _silent(leaf: Leaf) -> bool:
    return leaf.get("op") == "answered" and leaf.get("held") is True and leaf.get("source") == "answer"


def leaf_sentence(w: Wording, leaf: Leaf, by: str | None = None) -> str:
    """One leaf in words; see the module docstring for the kinds."""
    source, ref, op = leaf.get("source", ""), leaf.get("ref", ""), leaf.get("op", "")
    if source == "score" and ref == CMMM_UNANSWERED:
        return w._("自评表尚有 %(count)s 条陈述未作答", count=w.number(leaf.get("value") or 0, 0))
    if source == "answer" and w.instrument.has_question(ref):
        return _answer_sentence(w, w.instrument.question(ref), leaf, by)
    if op in family.PRESENCE:
        return family.presence(w, subject(w, source, ref), leaf)
    if source == "profile":
        return _profile_sentence(w, ref, leaf, by)
    if source == "score" and ref.endswith(".level"):
        level = family.Levels(w.level, w.level)
        return family.level(w, score_label(w, ref), leaf, level, by)
    value, threshold = (shown_value(w, source, ref, leaf.get(key)) for key in ("value", "threshold"))
    if source == "score" and (LEVEL_SCORE.match(ref) or SUBDOMAIN_SCORE.match(ref)):
        return family.pass_mark(w, score_label(w, ref), value, threshold, leaf)
    return family.measure(w, subject(w, source, ref), value, threshold, leaf, by)


def _answer_sentence(w: Wording, question, leaf: Leaf, by: str | None) -> str:
    what = w.question_label(question.id)
    if leaf.get("op") in family.PRESENCE or leaf.get("value") is None:
        return family.presence(w, what, leaf)
    if question.type == "multi":
        return family.selection(w, question, what, leaf)
    if question.type == "yes_no":
        return family.practice(w, what, leaf.get("value") is True)
    if question.type == "scenario_level":
        return family.level(w, what, leaf, family.Levels(_scenario_level(w), w.level), by)
    if question.type in ("integer", "decimal", "percent"):
        value, threshold = (w.answer(question.id, leaf.get(key)) for key in ("value", "threshold"))
        return family.measure(w, what, value, threshold, leaf, by)
    return family.stated(w, what, w.answer(question.id, leaf.get("value")))


def _scenario_level(w: Wording):
    """A scenario's level by its name only (the level statement is the questionnaire's)."""
    return lambda value: w.level(value) if value else w._("未开展")


def _profile_sentence(w: Wording, ref: str, leaf: Leaf, by: str | None) -> str:
    value = leaf.get("value")
    if ref == "above_designated_size" and isinstance(value, bool):
        return w._("属于规模以上企业") if value else w._("不属于规模以上企业")
    if ref == "employees" and isinstance(value, int | float):
        value_text, threshold_text = (_people(w, leaf.get(key)) for key in ("value", "threshold"))
        return family.measure(w, subject(w, "profile", ref), value_text, threshold_text, leaf, by)
    return family.stated(w, subject(w, "profile", ref), shown_value(w, "profile", ref, value))


def _people(w: Wording, number: Any) -> str:
    if not isinstance(number, int | float):
        return w._("未知")
    return w._("%(number)s 人", number=w.number(number, 0))


def subject(w: Wording, source: str, ref: str) -> str:
    """What a leaf looks at: a question, a derived fact, a profile field or a score."""
    if source == "answer":
        return w.question_label(ref)
    if source == "score":
        return score_label(w, ref)
    if source == "profile":
        labels = {
            "industry_code": w._("行业代码"), "industry_tags": w._("行业类别"),
            "above_designated_size": w._("规模以上企业"), "employees": w._("从业人数"),
            "revenue_band": w._("营业收入区间"), "park": w._("所在园区"),
        }
        return labels.get(ref, ref)
    return family.TRAILING_NOTE.sub("", w.key(f"fact.{ref}"))  # the unit is shown with the number


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
    """A threshold or actual value of a fact, profile field or score, with its unit."""
    if value is None:
        return w._("未知")
    if source == "fact" and isinstance(value, int | float):
        return _fact_value(w, ref, value)
    if source == "score" and isinstance(value, int | float):
        return _score_value(w, ref, value)
    if source == "profile" and ref == "industry_tags":
        values = value if isinstance(value, list | tuple) else [value]
        return w._("、").join(w.key(f"tag.{tag}") for tag in values)
    return w.plain(value)


def _fact_value(w: Wording, ref: str, value: float) -> str:
    unit = next((fact.unit for fact in w.instrument.facts if fact.id == ref), "")
    if unit == "ratio":
        return w.percent(value)
    if unit == "per_10k":  # robot density, the one fact per 10,000 employees
        return w._("%(number)s 台/万人", number=w.number(value, 0))
    return w.number(value, 1)


def _score_value(w: Wording, ref: str, value: float) -> str:
    if ref == "sme.points":
        return w._("%(number)s 分", number=w.number(value, 1))
    if SCENARIOS_AT_LEVEL.match(ref) or CONSTRAINT_AT_LEVEL.match(ref):
        return w._("%(number)s 个", number=w.number(value, 0))
    return w.number(value, 2)
