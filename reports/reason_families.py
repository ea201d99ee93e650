"""One sentence template per kind of condition, for reports/explain.py.

Every function takes the words already chosen for the subject (a short label) and the leaf's
structured data (op, threshold, value, held) and says what is true of the company: a leaf that
did not hold is said the other way round ("尚未使用 MES"), and a number or level that falls short
says what is required. Option lists are the options concerned only, never all of a question's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from reports.wording import Wording

Leaf = Mapping[str, Any]
PRESENCE = frozenset({"answered", "unanswered"})
#: A bracketed note ending a label: "工业机器人密度（台/万人）", "ISO 50001 能源管理体系（GB/T 23331）".
TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
#: Multiple-choice questions whose options are things a company has (systems, titles, cloud
#: services): said as "已使用 MES" / "尚未使用 MES" rather than as a choice among options.
HOLDINGS = frozenset({"systems_in_use", "systems_integrated", "recognitions", "green_certs", "cloud_use"})


class Levels(NamedTuple):
    """How a level reads as a value and as a requirement (a scenario's 0 is 未开展, a score's 未达一级)."""

    value: Callable[[int], str]
    required: Callable[[int], str]


def relation(w: Wording, op: str) -> str:
    """A comparison in words, as it holds ("低于 40%")."""
    phrases = {"lt": w._("低于"), "le": w._("不高于"), "gt": w._("高于"), "ge": w._("不低于"),
               "eq": w._("为"), "ne": w._("不为")}
    return phrases.get(op, op)


def measure(w: Wording, what: str, value: str, threshold: str, leaf: Leaf, by: str | None) -> str:
    """A number with its unit: "生产设备联网率 25.7%，低于 40%", or when it falls short,
    "生产设备联网率 47.3%，要求不低于 60%" ("省级数字化车间要求不低于 60%" with ``by``)."""
    op = relation(w, leaf.get("op", ""))
    if leaf.get("held") is not False:
        return w._("%(what)s %(value)s，%(op)s %(threshold)s", what=what, value=value, op=op,
                   threshold=threshold)
    if by:
        return w._("%(what)s %(value)s，%(by)s要求%(op)s %(threshold)s", what=what, value=value, by=by, op=op,
                   threshold=threshold)
    return w._("%(what)s %(value)s，要求%(op)s %(threshold)s", what=what, value=value, op=op,
               threshold=threshold)


def pass_mark(w: Wording, what: str, value: str, threshold: str, leaf: Leaf) -> str:
    """A CMMM level or sub-domain score against the pass mark (GB/T 39116: a level is met at 0.8):
    "“能源管理”子域三级得分 0，低于达标线 0.8"."""
    below = leaf.get("held") is not False if leaf.get("op") in ("lt", "le") else leaf.get("held") is False
    values = {"what": what, "value": value, "threshold": threshold}
    if below:
        return w._("%(what)s %(value)s，低于达标线 %(threshold)s", **values)
    return w._("%(what)s %(value)s，已达到达标线 %(threshold)s", **values)


def level(w: Wording, what: str, leaf: Leaf, levels: Levels, by: str | None) -> str:
    """A level: "设备管理的数字化水平：二级"; short of a minimum, "…：二级，要求达到三级"."""
    value, threshold, op = leaf.get("value"), leaf.get("threshold"), leaf.get("op")
    if not isinstance(value, int):
        return stated(w, what, w._("未评估") if value is None else w.plain(value))
    current = levels.value(value)
    if leaf.get("held") is not False or op not in ("ge", "gt") or not isinstance(threshold, int):
        return stated(w, what, current)
    needed = levels.required(threshold + 1 if op == "gt" else threshold)
    if by:
        return w._("%(what)s：%(level)s，%(by)s要求达到%(needed)s", what=what, level=current, by=by,
                   needed=needed)
    return w._("%(what)s：%(level)s，要求达到%(needed)s", what=what, level=current, needed=needed)


def selection(w: Wording, question, what: str, leaf: Leaf) -> str:
    """A multiple choice: the options concerned, as chosen or not chosen."""
    chosen, items = _concerned(leaf)
    names = w._("、").join(TRAILING_NOTE.sub("", w.option(question, item)) for item in items)
    if question.id in HOLDINGS:
        return _holding(w, question.id, names, chosen)
    if chosen:
        return w._("您选择的%(what)s包括：%(items)s", what=what, items=names)
    return w._("您选择的%(what)s不包括：%(items)s", what=what, items=names)


def _concerned(leaf: Leaf) -> tuple[bool, list[Any]]:
    """Whether the options concerned are chosen, and which they are: a contains test that held
    names the options it found; one that failed, the ones missing."""
    op, held = leaf.get("op"), leaf.get("held") is not False
    wanted = leaf.get("threshold")
    wanted = list(wanted) if isinstance(wanted, list | tuple) else [wanted]
    value = leaf.get("value") or []
    if op == "contains_any" and held:
        return True, [item for item in wanted if item in value]
    if op == "contains_all" and not held:
        return False, [item for item in wanted if item not in value]
    return held, wanted


def _holding(w: Wording, qid: str, names: str, chosen: bool) -> str:
    if qid == "systems_in_use":
        return w._("已使用 %(items)s", items=names) if chosen else w._("尚未使用 %(items)s", items=names)
    if qid == "systems_integrated":
        return w._("已集成 %(items)s", items=names) if chosen else w._("尚未集成 %(items)s", items=names)
    if qid == "cloud_use":
        return w._("已开展%(items)s", items=names) if chosen else w._("尚未开展%(items)s", items=names)
    return w._("已获得：%(items)s", items=names) if chosen else w._("尚未获得：%(items)s", items=names)


def practice(w: Wording, what: str, in_place: bool) -> str:
    """A yes / no answer as a practice the company has or has not: "尚不具备开料排版优化软件"."""
    if in_place:
        return w._("已具备%(what)s", what=what)
    return w._("尚不具备%(what)s", what=what)


def presence(w: Wording, what: str, leaf: Leaf) -> str:
    """Whether a question is answered (a leaf whose value is unknown says so too)."""
    answered = leaf.get("value") is not None
    return w._("已填写：%(what)s", what=what) if answered else w._("尚未填写：%(what)s", what=what)


def stated(w: Wording, what: str, value: str) -> str:
    """A single choice or a plain value: "能源计量方式：人工抄表"."""
    return w._("%(what)s：%(value)s", what=what, value=value)
