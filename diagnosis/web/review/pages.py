"""What the review pages show, gathered as plain objects: question cards, the live score, sections.

Views call these builders and hand the result to a template; no template computes a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnosis.core.answers import visible_sections
from diagnosis.core.engine import localize
from diagnosis.review_reasons import reason_text, reasons
from diagnosis.web.assess.forms import bound_form, error_message, localized
from diagnosis.web.assess.pages import display_value
from diagnosis.web.i18n import current_language
from diagnosis.web.review.service import ItemOutcome, OpenItem, ReviewState

STATE_LABELS = {
    None: _l("待核验"),
    "accepted": _l("已确认"),
    "adjusted": _l("已调整"),
    "needs_evidence": _l("需补充材料"),
    "not_applicable": _l("不适用"),
}
SEVERITY_LABELS = {"info": _l("提示"), "minor": _l("一般"), "major": _l("严重")}
REFUSALS = {
    "unknown_action": _l("无法识别的操作，请刷新页面后重试。"),
    "conflict": _l("此题已被另一位诊断师或在另一台设备上修改，页面已更新为最新状态，请确认后再操作。"),
    "hidden": _l("按核定后的答案，此题已不适用，无需核验。"),
    "waiting": _l("此题已退回企业补充材料，企业答复前不能修改。"),
    "na_required": _l("必答题不能标记为“不适用”。"),
    "accept_blank": _l("企业未填写此必答题：请在“调整”中填写核定答案并说明理由。"),
    "reason_code": _l("请选择调整理由。"),
    "reason_text": _l("请填写调整说明：现场看到了什么、依据哪份材料。"),
    "reason_long": _l("说明不能超过 1000 字。"),
    "value_missing": _l("请填写核定答案。"),
}
OPEN_ITEM_LABELS = {
    "unreviewed": _l("必答题尚未核验"),
    "needs_evidence": _l("等待企业补充材料"),
    "round": _l("已退回企业补充材料，企业尚未答复"),
}


@dataclass
class Card:
    """One question on the review page."""

    question: Any
    state: str | None
    state_label: str
    company_value: str
    verified_value: str | None  # None: the company's answer stands
    #: the adjust form's field when the card shows the form (see `cards`), else None
    adjust_field: Any
    reason_code: str
    reason_label: str
    reason_text: str
    revision: int
    can_na: bool
    waiting: bool
    locked: bool
    message: str = ""
    message_field: str = ""
    saved: bool = False


def cards(state: ReviewState, questions, formdata=None, outcomes: dict[str, ItemOutcome] | None = None):
    """A card per visible question of ``questions``. Only a card whose adjustment was just refused
    carries the adjust form (with the posted values); the others fetch it when opened (`adjust_card`):
    building a form for every card was a third of a section page's time."""
    outcomes = outcomes or {}
    shown = [q for q in questions if q.id in state.visible]
    reopened = [q for q in shown if _adjust_refused(outcomes.get(q.id))]
    form = bound_form(reopened, _values(state), formdata) if reopened else None
    return [_card(state, question, form["q_" + question.id] if form and question in reopened else None,
                  outcomes.get(question.id)) for question in shown]


def adjust_card(state: ReviewState, question, revision: int) -> Card:
    """The card of a question with its adjust form, for the form fetched on its own.

    :param revision: the revision of the card the reviewer opened it from: the adjustment is checked
        against what the reviewer saw, not against what the server holds now.
    """
    card = _card(state, question, bound_form([question], _values(state))["q_" + question.id], None)
    card.revision = revision
    return card


#: the posted fields of an adjustment: a refusal about one of them shows the adjust form again
ADJUST_FIELDS = ("value", "reason_code", "reason_text")


def _adjust_refused(outcome: ItemOutcome | None) -> bool:
    return outcome is not None and not outcome.ok and outcome.field in ADJUST_FIELDS


def _values(state: ReviewState) -> dict[str, Any]:
    """What the adjust form starts from: the verified answer, else the company's."""
    return {**state.company, **{key: row.value for key, row in state.verified_rows.items()}}


def _card(state: ReviewState, question, field, outcome: ItemOutcome | None) -> Card:
    item = state.items.get(question.id)
    status = item.state if item is not None else None
    verified = state.verified_rows.get(question.id)
    card = Card(
        question=question, state=status, state_label=str(STATE_LABELS[status]),
        company_value=display_value(question, state.company.get(question.id)),
        verified_value=(_("不适用") if status == "not_applicable"
                        else display_value(question, verified.value) if verified is not None else None),
        adjust_field=field,
        reason_code=(item.reason_code or "") if item else "",
        reason_label=reason_text(item.reason_code, current_language()) if item else "",
        reason_text=(item.reason_text or "") if item else "",
        revision=state.revision(question.id), can_na=not question.required,
        waiting=state.in_open_round(question.id), locked=state.locked)
    if outcome is not None:
        card.saved = outcome.status == "saved"
        card.revision = outcome.revision or card.revision
        if not outcome.ok:
            card.message = refusal_message(question, outcome)
            card.message_field = outcome.field
    return card


def refusal_message(question, outcome: ItemOutcome) -> str:
    if outcome.code == "constraint":
        return _("核定答案与其他答案矛盾：%(message)s", message=localized(outcome.detail["message"]))
    if outcome.field == "value" and outcome.code not in REFUSALS:
        return error_message(question, outcome.code, outcome.detail)
    return str(REFUSALS.get(outcome.code, REFUSALS["unknown_action"]))


def reason_choices() -> list[tuple[str, str]]:
    lang = current_language()
    return [(code, labels.get(lang) or labels["zh_CN"]) for code, labels in reasons().items()]


@dataclass(frozen=True)
class SectionMark:
    id: str
    title: str
    reviewed: int
    total: int
    current: bool


def sections(state: ReviewState, current: str | None = None) -> list[SectionMark]:
    """The visible sections (under the verified answers) with reviewed / visible question counts."""
    marks = []
    for section in visible_sections(state.instrument, state.answers, state.profile):
        shown = [q.id for q in section.questions if q.id in state.visible]
        marks.append(SectionMark(section.id, localized(section.title),
                                 sum(1 for qid in shown if qid in state.items), len(shown),
                                 section.id == current))
    return marks


def neighbours(marks: list[SectionMark], section_id: str) -> tuple[str | None, str | None]:
    ids = [mark.id for mark in marks]
    if section_id not in ids:
        return None, None
    at = ids.index(section_id)
    return (ids[at - 1] if at else None), (ids[at + 1] if at + 1 < len(ids) else None)


def first_open_section(marks: list[SectionMark]) -> str:
    return next((mark.id for mark in marks if mark.reviewed < mark.total), marks[0].id)


@dataclass(frozen=True)
class Figure:
    label: str
    self_value: Any
    verified_value: Any
    unit: str = ""

    @property
    def changed(self) -> bool:
        return self.self_value != self.verified_value


def score_figures(self_result: dict | None, verified_result: dict, bundle) -> list[Figure]:
    """自评 → 核定: SME points, SME level, CMMM level, then SME points per dimension."""
    lang = current_language()
    verified = localize(verified_result, bundle, lang)
    before = localize(self_result, bundle, lang) if self_result else verified
    figures = [
        Figure(_("中小企业数字化水平得分"), _points(before["sme"]["points"]),
               _points(verified["sme"]["points"]), _("分")),
        Figure(_("数字化水平等级"), _level(before["sme"]["level"]), _level(verified["sme"]["level"])),
        Figure(_("智能制造能力成熟度"), _level(before["cmmm"].get("level")),
               _level(verified["cmmm"].get("level"))),
    ]
    self_dimensions = {d["id"]: d for d in before["sme"]["dimensions"]}
    for dimension in verified["sme"]["dimensions"]:
        own = self_dimensions.get(dimension["id"], dimension)
        figures.append(Figure(dimension.get("label") or dimension["id"], _points(own["points"]),
                              _points(dimension["points"]), _("分")))
    return figures


def _points(points: float) -> str:
    """Points as the report prints them: one decimal."""
    return f"{points:.1f}"


def _level(level: int | None) -> str:
    if level is None:
        return _("未评估")
    return _("%(level)s 级", level=level)


@dataclass(frozen=True)
class OpenLine:
    label: str
    question: str
    section_id: str
    question_id: str


def open_lines(state: ReviewState, found: list[OpenItem]) -> list[OpenLine]:
    """The open items in words, each with the section and question it links to."""
    return [OpenLine(str(OPEN_ITEM_LABELS[item.kind]),
                     localized(state.instrument.question(item.question_id).text) if item.question_id else "",
                     item.section_id, item.question_id)
            for item in found]
