"""Turning ids, answers and numbers into the words of one language.

``Wording`` wraps the bundle's bilingual texts, the instrument's questions and the Babel
catalog, so the section builders never deal with languages themselves. It is the one place
that names a result's values (levels, recommendation kinds, criterion statuses, phases,
priorities, cloud steps): the PDF report and the result page both say them through it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from babel.numbers import format_decimal

#: A trailing bracketed hint on how to answer: "（可多选，建议不超过三项）", "(select all that apply)".
_ANSWERING_HINT = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


class Wording:
    """Words for one language: bundle texts, question and answer texts, numbers, levels."""

    def __init__(self, bundle, instrument, lang: str, catalog):
        self.bundle = bundle
        self.instrument = instrument
        self.lang = lang
        self.gettext = catalog.gettext

    def _(self, message: str, **values: Any) -> str:
        """gettext with ``%(name)s`` placeholders (the same call shape as Flask-Babel)."""
        text = self.gettext(message)
        return text % values if values else text

    def pick(self, text: Mapping[str, str] | None) -> str:
        """The report language's entry of a ``{zh_CN, en}`` text (zh_CN when it is missing)."""
        if not text:
            return ""
        return text.get(self.lang) or text.get("zh_CN") or ""

    def key(self, key: str) -> str:
        """The bundle's text for an id the result uses; the id itself when the bundle has none."""
        text = self.bundle.text(key)
        return self.pick(text) if text else key

    def label(self, node: Mapping[str, Any], field: str = "label", key: str | None = None) -> str:
        """A text ``localize`` put on a result node, else the bundle's text for ``key``."""
        value = node.get(field)
        if value:
            return str(value)
        return self.key(key) if key else ""

    def first_key(self, *keys: str) -> str:
        """The text of the first key the bundle knows (ids are sometimes already prefixed)."""
        for key in keys:
            text = self.bundle.text(key)
            if text:
                return self.pick(text)
        return keys[0]

    def number(self, value: float | int | None, digits: int = 1) -> str:
        if value is None:
            return "—"
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.lang)

    def signed(self, difference: float | None, digits: int = 1) -> str:
        """A change in words: "+2.5", "-1", 持平 (no change), — (unknown)."""
        if difference is None:
            return "—"
        if difference == 0:
            return self._("持平")
        return ("+" if difference > 0 else "") + self.number(difference, digits)

    def percent(self, ratio: float | None) -> str:
        return "—" if ratio is None else f"{self.number(ratio * 100)}%"

    def level(self, level: int | None) -> str:
        """A level number in words (一级 … 五级 / Level 1 …); 0 is 未达一级, None 未评估."""
        names = {1: self._("一级"), 2: self._("二级"), 3: self._("三级"), 4: self._("四级"),
                 5: self._("五级")}
        if level is None:
            return self._("未评估")
        return names.get(level, self._("未达一级"))

    def kind(self, kind: str) -> str:
        """A recommendation's kind (docs/result-format.md) in words."""
        names = {
            "5g_scenario": self._("5G+工业互联网场景"), "cloud_step": self._("企业上云"),
            "smart_factory": self._("智能工厂梯度培育"), "sme_uplift": self._("数字化水平提升"),
            "cmmm_gap": self._("成熟度短板"), "robot": self._("工业机器人"), "green": self._("绿色低碳"),
            "industry": self._("行业专项"), "own": self._("服务商建议"),
            "foundation": self._("基础能力建设"), "complete_cmmm": self._("完成成熟度自评"),
        }
        return names.get(kind, kind)

    def status(self, status: str) -> str:
        """A smart-factory rung's or criterion's status in words."""
        names = {"met": self._("已满足"), "not_met": self._("未满足"), "unknown": self._("待确认")}
        return names.get(status, status)

    @property
    def phases(self) -> tuple[str, ...]:
        """The catalogue's phase ids, in order."""
        return self.bundle.catalogues.priority.phases

    def phase(self, phase: str) -> str:
        """A phase's title from the catalogue (text ``phase.<id>``)."""
        return self.key(f"phase.{phase}")

    def priority(self, priority: float | None) -> str:
        """A priority (0–1 in the result) as points out of 100."""
        return self.number(round(100 * (priority or 0)), 0)

    def cloud_step(self, step: int | None) -> str:
        """A cloud step (L0 … L4) by its catalogue title."""
        if step is None:
            return self._("未知")
        text = self.bundle.text(f"cloud.l{step}")
        return self.pick(text) if text else self._("L%(step)s", step=step)

    def yes_no(self, value: bool) -> str:
        return self._("是") if value else self._("否")

    def question_text(self, qid: str) -> str:
        if self.instrument.has_question(qid):
            return self.pick(self.instrument.question(qid).text)
        return qid

    def question_label(self, qid: str) -> str:
        """A question as the subject of a reason: its ``short`` label, else its text without the
        answering hint in brackets ("（可多选）") or the question mark."""
        if not self.instrument.has_question(qid):
            return qid
        question = self.instrument.question(qid)
        if question.short:
            return self.pick(question.short)
        return _ANSWERING_HINT.sub("", self.pick(question.text)).rstrip("？?")

    def answer(self, qid: str, value: Any) -> str:
        """An answer value in words: option texts, units, level statements, or the free text."""
        if value is None:
            return self._("未作答")
        if not self.instrument.has_question(qid):
            return self.plain(value)
        question = self.instrument.question(qid)
        return _ANSWER_FORMATS.get(question.type, Wording._free_text)(self, question, value)

    def plain(self, value: Any) -> str:
        if isinstance(value, bool):
            return self.yes_no(value)
        if isinstance(value, int | float):
            return self.number(value, 2)
        if isinstance(value, list | tuple):
            return self._("、").join(self.plain(item) for item in value)
        return str(value)

    def option(self, question, option_id: Any) -> str:
        for option in question.options:
            if option.id == option_id:
                return self.pick(option.text)
        return str(option_id)

    def _choice(self, question, value: Any) -> str:
        values = value if isinstance(value, list | tuple) else [value]
        return self._("、").join(self.option(question, item) for item in values)

    def _yes_no(self, question, value: Any) -> str:
        return self.yes_no(bool(value))

    def _quantity(self, question, value: Any) -> str:
        unit = self.pick(question.unit)
        shown = self.number(value, 2) if isinstance(value, int | float) else str(value)
        return f"{shown} {unit}".strip()

    def _percent(self, question, value: Any) -> str:
        return f"{self.number(value, 1)}%" if isinstance(value, int | float) else str(value)

    def _scenario_level(self, question, value: Any) -> str:
        if not isinstance(value, int) or value == 0:
            return self._("未开展")
        statement = self.pick(question.levels.get(value))
        if not statement:
            return self.level(value)
        return self._("%(label)s：%(value)s", label=self.level(value), value=statement)

    def _free_text(self, question, value: Any) -> str:
        return str(value)


_ANSWER_FORMATS = {
    "single": Wording._choice,
    "multi": Wording._choice,
    "yes_no": Wording._yes_no,
    "integer": Wording._quantity,
    "decimal": Wording._quantity,
    "percent": Wording._percent,
    "scenario_level": Wording._scenario_level,
    "text": Wording._free_text,
}
