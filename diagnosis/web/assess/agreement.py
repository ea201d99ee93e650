"""Answers that contradict each other, in words: the questionnaire's constraints on the filling-in pages.

A broken constraint is shown at every question it reads (the answer stays saved, marked), listed on
the submit page with links, and blocks the submit. The profile fields a constraint compares an
answer with are shown at that question, so the company sees what the record already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnosis.core.constraints import ConstraintBreak, broken_constraints
from diagnosis.web.assess.forms import display_value, localized
from diagnosis.web.assess.service import State
from diagnosis.web.company.forms import REVENUE_BAND_LABELS, SIZE_LABELS

PROFILE_LABELS = {
    "employees": _l("从业人数"),
    "revenue_band": _l("营业收入规模"),
    "above_designated_size": _l("企业规模"),
    "industry_code": _l("所属行业"),
    "park": _l("所在园区"),
}


@dataclass(frozen=True)
class BrokenView:
    """One broken constraint for the submit page: its message and the questions to go and fix."""

    id: str
    message: str
    questions: list[Any]  # question definitions, in the constraint's order


def state_breaks(state: State) -> list[ConstraintBreak]:
    """The constraints the answers of the shown questions break."""
    shown = {qid: value for qid, value in state.answers.items() if qid in state.visible}
    return broken_constraints(state.instrument, shown, state.profile)


def messages_by_question(state: State, breaks: list[ConstraintBreak]) -> dict[str, list[str]]:
    """{question id: the sentences of the constraints it breaks}, with the other answers' values."""
    found: dict[str, list[str]] = {}
    for item in breaks:
        for qid in item.questions:
            others = [state.instrument.question(other) for other in item.questions if other != qid]
            said = [_("%(question)s：%(value)s", question=localized(q.text),
                      value=display_value(q, state.answers.get(q.id))) for q in others]
            sentence = localized(item.constraint.message)
            if said:
                sentence += _("（%(values)s）", values=_("；").join(said))
            found.setdefault(qid, []).append(sentence)
    return found


def broken_views(state: State, breaks: list[ConstraintBreak]) -> list[BrokenView]:
    return [BrokenView(item.id, localized(item.constraint.message),
                       [state.instrument.question(qid) for qid in item.questions]) for item in breaks]


def remarked_questions(before: State, after: State, question_id: str) -> list[str]:
    """The other shown questions of the same section whose marks this answer changed: a constraint
    they share with ``question_id`` broke or holds again."""
    section = after.instrument.question(question_id).section
    related = {qid for constraint in after.instrument.constraints_of(question_id)
               for qid in constraint.questions if qid != question_id}
    was = messages_by_question(before, state_breaks(before))
    now = messages_by_question(after, state_breaks(after))
    return [q.id for q in after.instrument.section(section).questions
            if q.id in related and q.id in after.visible and was.get(q.id) != now.get(q.id)]


def profile_notes(state: State, question) -> list[str]:
    """"从业人数：160" for each profile field a constraint of ``question`` reads (under 企业档案)."""
    fields: dict[str, None] = {}
    for constraint in state.instrument.constraints_of(question.id):
        operands = [constraint.left, constraint.right]
        refs = [o.ref for o in operands if o.source == "profile"]
        if constraint.when is not None:
            refs += [leaf.ref for leaf in constraint.when.leaves() if leaf.source == "profile"]
        fields.update(dict.fromkeys(ref for ref in refs if ref in PROFILE_LABELS))
    return [_("%(field)s：%(value)s", field=PROFILE_LABELS[name],
              value=profile_value(name, state.profile.get(name))) for name in fields]


def profile_value(name: str, value: Any) -> str:
    if value is None:
        return _("（未填写）")
    if name == "revenue_band":
        return str(REVENUE_BAND_LABELS.get(value, value))
    if name == "above_designated_size":
        return str(SIZE_LABELS.get(value, value))
    return str(value)
