"""Forms built at run time from the questionnaire definition: one field per question (``q_<id>``).

Like indico's ``make_survey_form``: the definition stays in diagnosis.core, the form class is made
here with ``type()``. The fields collect raw values; diagnosis.core.answers.parse_value decides what
is valid, so the form, the CLI and the API share one rule set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from diagnosis.web.i18n import current_language

FIELD_PREFIX = "q_"
REVISION_PREFIX = "rev_"
#: What `posted` gives for a question the post does not carry: keep its answer, never remove it.
NOT_POSTED: Any = object()
#: A revision token or a row number: ASCII digits only ("²" passes str.isdigit but not int()).
SMALL_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)

#: Messages for diagnosis.core.answers' AnswerValueError codes ("wrong_type" by the expected type).
WRONG_TYPE_MESSAGES = {
    "integer": _l("请填写整数。"),
    "number": _l("请填写数字。"),
    "boolean": _l("请选择“是”或“否”。"),
    "option": _l("请从选项中选择一项。"),
    "options": _l("请从选项中选择。"),
    "text": _l("请填写文字。"),
}
FALLBACK_ERROR = _l("该答案无效，请检查后重新填写。")
NUMBER_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def localized(text: Mapping[str, str] | None) -> str:
    """The current language's text of a {zh_CN, en} mapping (zh_CN when the language is missing)."""
    if not text:
        return ""
    return text.get(current_language()) or text.get("zh_CN", "")


def _option_choices(question) -> list[SelectChoice]:
    return [SelectChoice(option.id, localized(option.text)) for option in question.options]


def _level_choices(question) -> list[SelectChoice]:
    statements = {0: _l("未开展")} | {level: localized(text) for level, text in question.levels.items()}
    return [SelectChoice(str(level), str(statements.get(level, level))) for level in range(5)]


def field_for(question) -> Field:
    """The unbound WTForms field for a question (its label is the question text)."""
    label = localized(question.text)
    if question.type == "single":
        return RadioField(label, choices=_option_choices(question), validate_choice=False)
    if question.type == "multi":
        return MultiCheckboxField(label, choices=_option_choices(question), validate_choice=False)
    if question.type == "yes_no":
        return RadioField(
            label,
            choices=[SelectChoice("true", _l("是")), SelectChoice("false", _l("否"))],
            validate_choice=False,
        )
    if question.type == "scenario_level":
        return RadioField(label, choices=_level_choices(question), validate_choice=False)
    if question.type == "text":
        return TextAreaField(label)
    return StringField(label)


def make_answer_form(questions: Iterable) -> type[FlaskForm]:
    """A FlaskForm subclass with one ``q_<id>`` field per question (plus the CSRF token)."""
    fields = {FIELD_PREFIX + question.id: field_for(question) for question in questions}
    return type("AnswerForm", (FlaskForm,), fields)


def form_value(question, value: Any) -> Any:
    """A stored answer as the form shows it (strings, a list of strings for multi)."""
    if value is None:
        return None
    if question.type == "multi":
        return [str(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def bound_form(questions: list, answers: Mapping[str, Any], formdata=None) -> FlaskForm:
    """The form for ``questions``, filled from ``formdata`` when posted, else from stored answers."""
    form_class = make_answer_form(questions)
    if formdata is not None:
        return form_class(formdata=formdata)
    data = {FIELD_PREFIX + q.id: form_value(q, answers.get(q.id)) for q in questions}
    return form_class(formdata=None, data=data)


def posted(form: FlaskForm, question) -> Any:
    """The posted answer to ``question`` as JSON types, ready for parse_value; NOT_POSTED when the
    post does not carry the field (the page always sends one: multi-choice questions have a hidden
    empty input, so unticking every box still arrives and removes the answer)."""
    raw = form[FIELD_PREFIX + question.id].raw_data
    if not raw:
        return NOT_POSTED
    return typed_value(question, list(raw) if question.type == "multi" else raw[0])


def small_number(raw: str | None) -> int | None:
    """A revision token or row number as posted, or None when it is not one."""
    return int(raw) if raw is not None and SMALL_NUMBER.fullmatch(raw) else None


def posted_revision(formdata, question_id: str) -> int:
    """The answer revision the page was rendered with; 0 (no answer seen) when absent or garbled."""
    return small_number(formdata.get(REVISION_PREFIX + question_id)) or 0


def typed_value(question, raw: Any) -> Any:
    """A posted string (list for multi) as the JSON value parse_value checks; blank means no answer.

    A string that is not a number or not 是/否 is passed on unchanged, so parse_value reports it.
    """
    if question.type == "multi":
        return [item for item in (raw or []) if item] or None
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if not text:
        return raw  # spaces only: service.parse_posted refuses it rather than remove the answer
    if question.type == "yes_no":
        return {"true": True, "false": False}.get(text, text)
    if question.type in ("integer", "decimal", "percent", "scenario_level"):
        number = text.replace(",", "").replace("，", "").removesuffix("%").strip()
        if NUMBER_PATTERN.match(number):
            value = float(number)
            return int(value) if value.is_integer() and "." not in number else value
    return text


def error_message(question, code: str | None, detail: Mapping[str, Any] | None) -> str:
    """A sentence for an AnswerValueError, with the question's limits and options filled in."""
    detail = detail or {}
    if code == "wrong_type":
        return str(WRONG_TYPE_MESSAGES.get(detail.get("expected", ""), FALLBACK_ERROR))
    if code == "out_of_range":
        return range_message(detail.get("min"), detail.get("max"))
    if code == "unknown_option":
        return _("“%(option)s”不在选项之中。", option=detail.get("option", ""))
    if code == "only_spaces":
        return _("只填写了空格。请填写内容；要删除此答案，请清空输入框。")
    if code == "not_posted":
        return _("没有收到此题的答案，已保存的答案未改动。")
    if code == "duplicate_option":
        return _("同一选项选择了多次。")
    if code == "exclusive_mixed":
        texts = {option.id: localized(option.text) for option in question.options}
        names = _("、").join(texts.get(option, option) for option in detail.get("exclusive", []))
        return _("“%(option)s”不能与其他选项同时选择。", option=names)
    if code == "too_long":
        return _(
            "内容过长：最多 %(max)s 字，当前 %(length)s 字。",
            max=detail.get("max_length"),
            length=detail.get("length"),
        )
    return str(FALLBACK_ERROR)


def range_message(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return _("请填写 %(min)s 到 %(max)s 之间的数值。", min=plain_number(low), max=plain_number(high))
    if low is not None:
        return _("数值不能小于 %(min)s。", min=plain_number(low))
    return _("数值不能大于 %(max)s。", max=plain_number(high))


def plain_number(value: Any) -> str:
    """12.0 as "12", 12.5 as "12.5"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_value(question, value: Any) -> str:
    """An answer in words: option texts, 是/否, a number with its unit, a level."""
    if value is None:
        return _("（未填写）")
    if question.type in ("single", "multi"):
        texts = {option.id: localized(option.text) for option in question.options}
        ids = value if isinstance(value, list) else [value]
        return _("、").join(texts.get(str(item), str(item)) for item in ids)
    if question.type == "yes_no":
        return _("是") if value else _("否")
    if question.type == "scenario_level":
        return _("%(level)s 级", level=value)
    if question.type == "percent":
        return f"{plain_number(value)}%"
    if question.type in ("integer", "decimal"):
        return f"{plain_number(value)} {localized(question.unit)}".strip()
    return str(value)
