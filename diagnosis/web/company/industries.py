"""The industry list of the registration form: GB/T 4754 classes grouped by the district's tags."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import SelectChoice

from diagnosis.web.bundle import current_bundle


def industry_table() -> Any:
    """The IndustryTable of the questionnaire bundle the app serves."""
    return current_bundle().industries


def localized(text: dict[str, str], locale: str) -> str:
    return text.get(locale) or text.get("zh_CN") or next(iter(text.values()), "")


def _tag_names(table: Any, tags: tuple[str, ...], locale: str) -> list[str]:
    return [localized(table.tag_labels.get(tag, {"zh_CN": tag}), locale) for tag in tags]


def _with_tags(text: str, tags: list[str], locale: str) -> str:
    if not tags:
        return text
    if locale == "en":
        return f"{text} ({', '.join(tags)})"
    return f"{text}（{'、'.join(tags)}）"


def _group_key(table: Any, industry: Any) -> tuple[int, str]:
    """Tagged industries first, in the order of the tag table; the rest after them."""
    order = list(table.tag_labels)
    first = industry.tags[0] if industry.tags else None
    return (order.index(first) if first in order else len(order), industry.code)


def industry_choices(table: Any, locale: str) -> list[SelectChoice]:
    """Choices for a <select> with one <optgroup> per district tag; each option carries a
    `data-search` text (code, both names, tags) for the filter script."""
    choices = [SelectChoice("", _("请选择行业"))]
    other = _("其他行业")
    for industry in sorted(table.all(), key=lambda item: _group_key(table, item)):
        tags = _tag_names(table, industry.tags, locale)
        label = _with_tags(f"{industry.code} {localized(industry.name, locale)}", tags, locale)
        search = " ".join([industry.code, *industry.name.values(), *tags, *industry.tags]).lower()
        group = tags[0] if tags else other
        choices.append(SelectChoice(industry.code, label, {"data-search": search}, group))
    return choices


def industry_label(table: Any, code: str, locale: str) -> str:
    """'2110 木质家具制造（家居）', or the bare code when the table does not know it."""
    industry = table.get(code)
    if industry is None:
        return code
    tags = _tag_names(table, industry.tags, locale)
    return _with_tags(f"{industry.code} {localized(industry.name, locale)}", tags, locale)
