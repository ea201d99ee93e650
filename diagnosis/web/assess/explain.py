"""The "because" of a recommendation or ladder criterion in words: "设备联网率：31% < 40%"."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnosis.web.assess.forms import localized, plain_number
from diagnosis.web.assess.pages import display_value
from diagnosis.web.i18n import current_language

OPERATORS = {
    "eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥",
    "in": _l("属于"), "not_in": _l("不属于"), "contains": _l("包含"), "contains_any": _l("包含任一"),
    "contains_all": _l("全部包含"), "answered": _l("已填写"), "unanswered": _l("未填写"),
}
PROFILE_LABELS = {
    "industry_code": _l("行业代码"), "industry_tags": _l("行业类别"),
    "above_designated_size": _l("规模以上企业"), "employees": _l("从业人数"),
    "revenue_band": _l("营业收入区间"), "park": _l("所在园区"),
}
SCORE_LABELS = {
    "sme.points": _l("数字化水平得分"), "sme.level": _l("数字化水平等级"),
    "cmmm.level": _l("智能制造能力成熟度等级"), "cmmm.overall": _l("成熟度得分"),
}
LEVEL_SCORE = re.compile(r"^cmmm\.level_scores\.(\d)$")
SUBDOMAIN_SCORE = re.compile(r"^cmmm\.subdomains\.([a-z_]+)\.(\d)$")


class Explainer:
    """Reads the leaves of docs/result-format.md against the pinned instrument and the bundle's texts."""

    def __init__(self, instrument, bundle):
        self.instrument = instrument
        self.bundle = bundle
        self.facts = {fact.id: fact for fact in instrument.facts}

    def leaf(self, leaf: dict) -> str:
        source, ref, op = leaf.get("source"), leaf.get("ref", ""), leaf.get("op", "")
        subject = self.subject(source, ref)
        if op in ("answered", "unanswered"):
            sentence = f"{subject} {OPERATORS[op]}"
        else:
            value = self.value(source, ref, leaf.get("value"))
            threshold = self.value(source, ref, leaf.get("threshold"))
            sentence = f"{subject}：{value} {OPERATORS.get(op, op)} {threshold}"
        if leaf.get("held") is False:
            return _("尚未满足：%(condition)s", condition=sentence)
        return sentence

    def subject(self, source: str | None, ref: str) -> str:
        if source == "fact" and ref in self.facts:
            return localized(self.facts[ref].label)
        if source == "answer" and self.instrument.has_question(ref):
            return localized(self.instrument.question(ref).text)
        if source == "profile":
            return str(PROFILE_LABELS.get(ref, ref))
        return self.score_label(ref)

    def score_label(self, ref: str) -> str:
        if ref in SCORE_LABELS:
            return str(SCORE_LABELS[ref])
        level = LEVEL_SCORE.match(ref)
        if level:
            return _("成熟度 %(level)s 级得分", level=level.group(1))
        subdomain = SUBDOMAIN_SCORE.match(ref)
        if subdomain:
            name = self.text(f"cmmm.subdomain.{subdomain.group(1)}") or subdomain.group(1)
            return _("“%(name)s” %(level)s 级得分", name=name, level=subdomain.group(2))
        return ref

    def text(self, key: str) -> str | None:
        text = self.bundle.text(key)
        return text.get(current_language()) if text else None

    def value(self, source: str | None, ref: str, value: Any) -> str:
        if value is None:
            return _("未知")
        if isinstance(value, list) and source != "answer":
            return _("、").join(str(item) for item in value)
        if source == "answer" and self.instrument.has_question(ref):
            return display_value(self.instrument.question(ref), value)
        if source == "fact" and ref in self.facts and self.facts[ref].unit == "ratio":
            return f"{plain_number(round(value * 100, 1))}%"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, float):
            return plain_number(round(value, 2))
        return str(value)
