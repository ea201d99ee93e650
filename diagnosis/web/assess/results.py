"""The result page and the what-if panel, read from the stored snapshot (never recomputed).

The page starts with the answer (levels and what they mean, the top actions, the roadmap by phase,
what to do next) and keeps the details below, folded: the recommendations grouped by kind, the
engine's main list open in each group and the entries it marked ``folded`` behind a <details>.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_translations
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from diagnosis.core.answers import AnswerValueError, parse_value
from diagnosis.core.engine import localize
from diagnosis.core.levels import Standing, standings
from diagnosis.store.assessments import ResultSnapshot, previous_snapshot
from diagnosis.store.assignments import Assignment, current_assignment
from diagnosis.store.db import get_session
from diagnosis.web.assess.forms import (
    FALLBACK_ERROR,
    error_message,
    field_for,
    form_value,
    localized,
    typed_value,
)
from diagnosis.web.bundle import instrument_for
from diagnosis.web.i18n import current_language
from reports.compare import Comparison, Previous, compare
from reports.explain import leaf_sentences
from reports.scores import radar_chart
from reports.wording import Wording

WHAT_IF_ROWS = 3
TOP_ACTIONS = 5  # the summary's "do these first"


@dataclass
class KindGroup:
    """The recommendations of one kind, in rank order: the main list's and the folded ones."""

    kind: str
    main: list[dict]
    folded: list[dict]


@dataclass
class ResultPage:
    result: dict  # the snapshot, localized
    words: Wording  # names the result's values as the PDF report does
    radar_svg: Any
    recommendations: list[dict] = field(default_factory=list)
    smart_factory: list[dict] = field(default_factory=list)
    questions: list[tuple[str, list]] = field(default_factory=list)  # what-if picker: (section, questions)
    levels: tuple[Standing, ...] = ()  # SME, CMMM
    visit: Assignment | None = None  # who comes on site, once the company is assigned
    comparison: Comparison | None = None  # against the previous assessment's result (re-assessments)

    @property
    def main(self) -> list[dict]:
        """The engine's main list (at most its cap; older snapshots without ``folded``: all)."""
        return [rec for rec in self.recommendations if not rec.get("folded")]

    @property
    def top(self) -> list[dict]:
        return self.main[:TOP_ACTIONS]

    @property
    def folded_count(self) -> int:
        return len(self.recommendations) - len(self.main)

    @property
    def groups(self) -> list[KindGroup]:
        """By kind, the kinds in the order of their best-ranked entry."""
        groups: dict[str, KindGroup] = {}
        for rec in self.recommendations:
            group = groups.setdefault(rec["kind"], KindGroup(rec["kind"], [], []))
            (group.folded if rec.get("folded") else group.main).append(rec)
        return list(groups.values())

    @property
    def roadmap(self) -> list[tuple[str, list[dict]]]:
        """The main list by phase, in the catalogue's phase order; phases without entries left out."""
        by_phase = [(phase, [rec for rec in self.main if rec.get("phase") == phase])
                    for phase in self.words.phases]
        return [(phase, recs) for phase, recs in by_phase if recs]


def result_page(assessment, snapshot: ResultSnapshot, bundle, visible: set[str]) -> ResultPage:
    """The snapshot in words; ``visible`` are the questions the what-if panel offers."""
    instrument = instrument_for(assessment, bundle)
    result = localize(snapshot.result, bundle, current_language())
    words = Wording(bundle, instrument, current_language(), get_translations())
    recommendations = [
        {**rec, "reasons": leaf_sentences(words, rec.get("because"))}
        for rec in result.get("recommendations", [])
    ]
    ladder = [
        {
            **step,
            "criteria": [
                {**criterion, "reasons": leaf_sentences(words, criterion.get("because"))}
                for criterion in step.get("criteria", [])
            ],
        }
        for step in result.get("smart_factory", [])
    ]
    picker = [
        (localized(section.title), [q for q in section.questions if q.id in visible])
        for section in instrument.sections
    ]
    radar = radar_chart(words, result.get("radar", []), "result-radar")
    previous = previous_snapshot(get_session(), snapshot)
    return ResultPage(result, words, radar, recommendations, ladder, [(s, qs) for s, qs in picker if qs],
                      standings(bundle, snapshot.result, current_language()),
                      current_assignment(get_session(), assessment.company_id),
                      compare(words, Previous.of(previous) if previous else None, result))


def what_if_form(page: ResultPage) -> dict:
    return {"rows": range(WHAT_IF_ROWS), "sections": page.questions}


def what_if_field(question, row: int, answers: dict):
    """The input for a what-if row, named ``wi_v_<row>``, showing the stored answer."""
    form_class = type("WhatIfForm", (FlaskForm,), {f"wi_v_{row}": field_for(question)})
    form = form_class(
        formdata=None,
        data={f"wi_v_{row}": form_value(question, answers.get(question.id))},
        meta={"csrf": False},
    )
    return form[f"wi_v_{row}"]


def posted_changes(state, formdata) -> tuple[dict[str, Any], list[str]]:
    """The what-if rows as {question id: value}, and a message per row that could not be read."""
    changes: dict[str, Any] = {}
    errors: list[str] = []
    for row in range(WHAT_IF_ROWS):
        qid = formdata.get(f"wi_q_{row}", "")
        if not qid:
            continue
        if not state.instrument.has_question(qid) or qid not in state.visible:
            errors.append(_("第 %(n)s 行：请选择问卷中的一道题。", n=row + 1))
            continue
        question = state.instrument.question(qid)
        raw = formdata.getlist(f"wi_v_{row}")
        try:
            value = parse_value(
                question,
                typed_value(question, raw if question.type == "multi" else (raw[0] if raw else None)),
            )
        except AnswerValueError as error:
            errors.append(_("%(label)s：%(value)s", label=localized(question.text),
                            value=error_message(question, error.code, error.detail)))
            continue
        changes[qid] = value
    return changes, errors


def refusal_messages(state, problems) -> list[str]:
    """simulate()'s refusal in words: each constraint a what-if value breaks, with its message."""
    constraints = {constraint.id: constraint for constraint in state.instrument.constraints}
    messages = []
    for problem in problems:
        constraint = constraints.get(problem.detail.get("constraint", ""))
        label = localized(state.instrument.question(problem.question).text)
        text = localized(constraint.message) if constraint else str(FALLBACK_ERROR)
        messages.append(_("%(label)s：%(value)s", label=label, value=text))
    return messages


def what_if_diff(assessment, snapshot: ResultSnapshot, outcome: dict, bundle) -> dict:
    """simulate()'s diff in words: the changed figures, and the recommendations gained and lost
    (titled from ``snapshot``, the submitted result, and the simulated one)."""
    diff = outcome["diff"]
    words = Wording(bundle, instrument_for(assessment, bundle), current_language(), get_translations())
    before = localize(snapshot.result, bundle, current_language())
    after = localize(outcome["result"], bundle, current_language())
    titles = {
        rec["id"]: rec.get("title") or rec["id"]
        for rec in before.get("recommendations", []) + after.get("recommendations", [])
    }
    return {
        "figures": _changed_figures(words, diff),
        "gained": [titles.get(rid, rid) for rid in diff.get("recommendations_gained", [])],
        "lost": [titles.get(rid, rid) for rid in diff.get("recommendations_lost", [])],
    }


def _changed_figures(words: Wording, diff: dict) -> list[dict]:
    """Levels and scores before and after, in words, with the direction of the change."""
    def score(value: float | None) -> str:
        return words.number(value, 2)

    figures = [
        (_("数字化水平等级"), diff["sme_level"], words.level),
        (_("数字化水平得分"), diff["sme_points"], score),
        (_("成熟度等级"), diff["cmmm_level"], words.level),
        (_("成熟度得分"), diff["cmmm_overall"], score),
    ]
    return [{"label": label, "before": shown(before), "after": shown(after), "trend": _trend(before, after)}
            for label, (before, after), shown in figures]


def _trend(before, after) -> str:
    if after is not None and (before is None or after > before):
        return "up"
    if before is not None and (after is None or after < before):
        return "down"
    return ""
