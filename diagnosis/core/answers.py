"""Answer files: typed validation of each answer, visibility, progress and missing required answers.

Problems are reported by question id with a code and a detail mapping (numbers and ids, no
sentences): unknown_question, wrong_type, out_of_range, unknown_option, duplicate_option,
exclusive_mixed, too_long. Answers to hidden questions are dropped and listed as ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from diagnosis.core.context import Context
from diagnosis.core.facts import compute_fact
from diagnosis.core.industry import profile_problems
from diagnosis.core.questionnaire import Instrument, Question, Section


class AnswerValueError(ValueError):
    def __init__(self, code: str, detail: Mapping[str, Any] | None = None):
        super().__init__(code)
        self.code = code
        self.detail = dict(detail or {})


@dataclass(frozen=True)
class AnswerProblem:
    question: str
    code: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerCheck:
    values: dict[str, Any]
    problems: list[AnswerProblem]
    ignored: list[tuple[str, str]]
    not_shown: set[str] = field(default_factory=set)  # questions hidden by the answers (or their section)


@dataclass(frozen=True)
class Progress:
    answered: int
    applicable: int
    sections: dict[str, tuple[int, int]]


def _in_range(question: Question, value: float) -> None:
    low, high = question.min, question.max
    if (low is not None and value < low) or (high is not None and value > high):
        raise AnswerValueError("out_of_range", {"min": low, "max": high, "value": value})


def _single(question: Question, raw: Any) -> str:
    if not isinstance(raw, str):
        raise AnswerValueError("wrong_type", {"expected": "option"})
    if raw not in question.option_ids:
        raise AnswerValueError("unknown_option", {"option": raw})
    return raw


def _multi(question: Question, raw: Any) -> list[str] | None:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise AnswerValueError("wrong_type", {"expected": "options"})
    chosen = set(raw)
    if not chosen <= question.option_ids:
        unknown = next(item for item in raw if item not in question.option_ids)
        raise AnswerValueError("unknown_option", {"option": unknown})
    if len(chosen) != len(raw):
        raise AnswerValueError("duplicate_option", {})
    if len(raw) > 1 and not chosen.isdisjoint(question.exclusive):
        raise AnswerValueError("exclusive_mixed", {"exclusive": sorted(chosen & question.exclusive)})
    return raw or None


def _yes_no(question: Question, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise AnswerValueError("wrong_type", {"expected": "boolean"})
    return raw


def _integer(question: Question, raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if type(raw) is not int:  # not a bool either
        raise AnswerValueError("wrong_type", {"expected": "integer"})
    _in_range(question, raw)
    return raw


def _decimal(question: Question, raw: Any) -> int | float:
    if not (type(raw) is int or (type(raw) is float and math.isfinite(raw))):
        raise AnswerValueError("wrong_type", {"expected": "number"})
    _in_range(question, raw)
    return raw


def _text(question: Question, raw: Any) -> str | None:
    if not isinstance(raw, str):
        raise AnswerValueError("wrong_type", {"expected": "text"})
    text = raw.strip()
    if len(text) > question.max_length:
        raise AnswerValueError("too_long", {"max_length": question.max_length, "length": len(text)})
    return text or None


PARSERS: dict[str, Callable[[Question, Any], Any]] = {
    "single": _single, "multi": _multi, "yes_no": _yes_no, "integer": _integer, "decimal": _decimal,
    "percent": _decimal, "scenario_level": _integer, "text": _text,
}


def parse_value(question: Question, raw: Any) -> Any:
    """The clean value of one JSON answer; None means "no answer" (null, [], blank text)."""
    if raw is None:
        return None
    return PARSERS[question.type](question, raw)


def _parse_answers(instrument: Instrument, answers: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """The clean value of every answer given (none for "no answer"), and the problems."""
    values: dict[str, Any] = {}
    problems: list[AnswerProblem] = []
    questions = instrument.questions_by_id
    for qid, raw in answers.items():
        question = questions.get(qid)
        if question is None:
            problems.append(AnswerProblem(qid, "unknown_question"))
            continue
        if raw is None:
            continue
        try:
            value = PARSERS[question.type](question, raw)
        except AnswerValueError as error:
            problems.append(AnswerProblem(qid, error.code, error.detail))
            continue
        if value is not None:
            values[qid] = value
    return values, problems


def validate_answers(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]
                     ) -> AnswerCheck:
    """Check every answer and the profile; keep the clean answers of visible questions."""
    values, problems = _parse_answers(instrument, answers)
    for name, code, detail in profile_problems(profile):
        problems.append(AnswerProblem(f"profile.{name}", code, detail))
    problems.sort(key=lambda problem: problem.question)
    not_shown = _visibility(instrument, values, profile)[1]
    hidden = sorted(not_shown.intersection(values))
    for qid in hidden:
        del values[qid]
    return AnswerCheck(values, problems, [(qid, "hidden") for qid in hidden], not_shown)


def _visibility(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]
                ) -> tuple[dict[str, bool], set[str]]:
    """Walk the precomputed plan: conditions only ever see answers of questions already shown.
    Returns whether each section is shown and the questions that are not (usually the fewer)."""
    shown: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    ctx = Context(shown, facts, dict(profile), {})
    sections: dict[str, bool] = {}
    not_shown: set[str] = set()
    for step in instrument.visibility_plan:
        if step.kind == "section":
            sections[step.id] = step.condition is None or step.condition.holds(ctx)
        elif step.kind == "question":
            if not sections.get(step.section, True):
                continue  # its whole section is hidden: counted below
            if step.condition is None or step.condition.holds(ctx):
                if step.id in answers:
                    shown[step.id] = answers[step.id]
            else:
                not_shown.add(step.id)
        elif step.fact is not None:
            facts[step.id] = compute_fact(step.fact, ctx)
    for section in instrument.sections:
        if not sections.setdefault(section.id, True):
            not_shown.update(instrument.section_question_ids(section.id))
    return sections, not_shown


def _visible(instrument: Instrument, not_shown: set[str]) -> set[str]:
    visible = set(instrument.question_ids)
    visible.difference_update(not_shown)
    return visible


def visible_questions(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]
                      ) -> set[str]:
    return _visible(instrument, _visibility(instrument, answers, profile)[1])


def visible_sections(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]
                     ) -> list[Section]:
    shown = _visibility(instrument, answers, profile)[0]
    return [section for section in instrument.sections if shown[section.id]]


def progress(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]) -> Progress:
    """Answered / applicable questions overall and per visible section."""
    shown, not_shown = _visibility(instrument, answers, profile)
    visible = _visible(instrument, not_shown)
    per_section = {}
    for section in instrument.sections:
        if shown[section.id]:
            applicable = [q.id for q in section.questions if q.id in visible]
            answered = sum(1 for qid in applicable if answers.get(qid) not in (None, [], ""))
            per_section[section.id] = (answered, len(applicable))
    counts = per_section.values()
    return Progress(sum(a for a, _ in counts), sum(n for _, n in counts), per_section)


def missing_required(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]
                     ) -> list[str]:
    visible = visible_questions(instrument, answers, profile)
    return [q.id for q in instrument.questions()
            if q.required and q.id in visible and answers.get(q.id) in (None, [], "")]
