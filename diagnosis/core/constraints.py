"""Cross-question constraints: answers that must agree with each other (docs/questionnaire-format.md).

A constraint compares two values - answers, facts, profile fields or a fixed value - e.g.
``equip_digital le equip_total`` or ``systems_integrated subset systems_in_use``. The loader parses
them (`parse_constraints`) and checks them against the instrument (`constraint_problems`: unknown
questions, types that cannot be compared); `broken_constraints` finds the ones a set of answers
breaks. A constraint is checked only when its `when` condition holds and both sides are known
(answered, shown, fact defined), so a half-filled questionnaire is never blamed for what it lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from diagnosis.core.conditions import PROFILE_FIELDS
from diagnosis.core.context import Context
from diagnosis.core.facts import compute_facts
from diagnosis.core.loader_common import FileChecks
from diagnosis.core.loader_graph import reference_problems
from diagnosis.core.questionnaire import NUMBER_TYPES, Constraint, Instrument, Operand, Question

CONSTRAINT_KEYS = frozenset({"id", "when", "left", "op", "right", "message"})
OPERAND_SOURCES = ("answer", "fact", "profile", "value")
NUMBER_COMPARISONS = {
    "le": lambda a, b: a <= b, "lt": lambda a, b: a < b, "ge": lambda a, b: a >= b, "gt": lambda a, b: a > b,
}
COMPARISONS = {
    **NUMBER_COMPARISONS,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}
OPS = frozenset(COMPARISONS) | {"subset"}
#: The kind of value each profile field holds (conditions.PROFILE_FIELDS).
PROFILE_KINDS = {"industry_code": "text", "industry_tags": "options", "above_designated_size": "boolean",
                 "employees": "number", "revenue_band": "text", "park": "text"}
QUESTION_KINDS = {"single": "option", "multi": "options", "yes_no": "boolean", "text": "text",
                  **{qtype: "number" for qtype in NUMBER_TYPES}}


@dataclass(frozen=True)
class ConstraintBreak:
    """A broken constraint: its id, the questions it reads (where to show it) and the values compared."""

    constraint: Constraint
    values: Mapping[str, Any]  # {question, fact or profile id: value} of both sides

    @property
    def id(self) -> str:
        return self.constraint.id

    @property
    def questions(self) -> tuple[str, ...]:
        return self.constraint.questions


# -------------------------------------------------------------------------------------- parsing

def parse_constraints(checks: FileChecks, data: Any, path: str = "constraints") -> list[Constraint]:
    """The `constraints:` list of one file; problems go to `checks` (file, path, reason)."""
    constraints = []
    for index, item in enumerate(checks.list(data, path)):
        constraint = _constraint(checks, item, f"{path}[{index}]")
        if constraint is not None:
            constraints.append(constraint)
    return constraints


def _constraint(checks: FileChecks, data: Any, path: str) -> Constraint | None:
    if checks.mapping(data, path) is None:
        return None
    before = len(checks.problems)
    checks.keys(data, CONSTRAINT_KEYS, path)
    constraint_id = checks.ident(data, path)
    message = checks.text(data, "message", path)
    when = checks.condition(data, "when", path, allow_scores=False)
    op = data.get("op")
    if op not in OPS:
        checks.fail(f"{path}.op", f"unknown operator {op!r} ({', '.join(sorted(OPS))})")
    left = _operand(checks, data.get("left"), f"{path}.left")
    right = _operand(checks, data.get("right"), f"{path}.right")
    if len(checks.problems) > before or left is None or right is None:
        return None
    return Constraint(constraint_id or "", left, str(op), right, message or {}, when, checks.file, path)


def _operand(checks: FileChecks, data: Any, path: str) -> Operand | None:
    if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) not in OPERAND_SOURCES:
        checks.fail(path, "must be one of {answer: id}, {fact: id}, {profile: field}, {value: v}")
        return None
    source, ref = next(iter(data.items()))
    if source == "value":
        return Operand("value", value=ref)
    if not isinstance(ref, str):
        checks.fail(f"{path}.{source}", "must be an id")
        return None
    return Operand(source, ref)


# ----------------------------------------------------------------------------- instrument check

def constraint_problems(constraint: Constraint, questions: Mapping[str, Question],
                        fact_ids: Iterable[str]) -> list[str]:
    """Why a constraint does not fit its instrument: unknown references, sides that cannot be compared."""
    facts = set(fact_ids)
    reasons = [reason for operand in (constraint.left, constraint.right)
               if (reason := _reference_problem(operand, questions, facts))]
    if constraint.when is not None:
        reasons += reference_problems(constraint.when, questions, facts)
    if reasons:
        return reasons
    if not constraint.questions:
        return ["a constraint must read at least one answer (it is shown at that question)"]
    return _comparison_problems(constraint, questions)


def _reference_problem(operand: Operand, questions: Mapping[str, Question], facts: set[str]) -> str | None:
    if operand.source == "answer" and operand.ref not in questions:
        return f"unknown question {operand.ref!r}"
    if operand.source == "fact" and operand.ref not in facts:
        return f"unknown fact {operand.ref!r}"
    if operand.source == "profile" and operand.ref not in PROFILE_FIELDS:
        return f"unknown profile field {operand.ref!r}"
    return None


def _kind(operand: Operand, questions: Mapping[str, Question]) -> str:
    if operand.source == "answer":
        return QUESTION_KINDS[questions[operand.ref].type]
    if operand.source == "fact":
        return "number"
    if operand.source == "profile":
        return PROFILE_KINDS[operand.ref]
    value = operand.value
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "options"
    return "text" if isinstance(value, str) else "unknown"


def _describe(operand: Operand, questions: Mapping[str, Question]) -> str:
    if operand.source == "answer":
        return f"{questions[operand.ref].type} question {operand.ref!r}"
    if operand.source == "value":
        return f"value {operand.value!r}"
    return f"{operand.source} {operand.ref!r}"


def _comparison_problems(constraint: Constraint, questions: Mapping[str, Question]) -> list[str]:
    left, right, op = constraint.left, constraint.right, constraint.op
    kinds = (_kind(left, questions), _kind(right, questions))
    wanted = "number" if op in NUMBER_COMPARISONS else "options" if op == "subset" else None
    same = kinds[0] == kinds[1] and "unknown" not in kinds
    if (wanted and kinds != (wanted, wanted)) or (wanted is None and not same):
        return [f"{_describe(left, questions)} and {_describe(right, questions)} cannot be compared "
                f"with {op!r}"]
    if op == "subset" and left.source == right.source == "answer":
        inner, outer = questions[left.ref], questions[right.ref]
        extra = sorted(inner.option_ids - inner.exclusive - outer.option_ids)
        if extra:
            return [f"option {extra[0]!r} of question {inner.id!r} is not an option of question {outer.id!r}"]
    return []


# ----------------------------------------------------------------------------------- evaluation

def broken_constraints(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any],
                       facts: Mapping[str, Any] | None = None,
                       constraints: Iterable[Constraint] | None = None) -> list[ConstraintBreak]:
    """The constraints `answers` break, in declaration order.

    :param answers: the clean answers of the questions shown (validate_answers' values): an answer
        to a hidden question is no answer.
    :param constraints: only these (default: all of the instrument's).
    """
    wanted = instrument.constraints if constraints is None else tuple(constraints)
    if not wanted:
        return []
    if facts is None:
        facts = compute_facts(instrument, answers, profile)
    ctx = Context(answers, facts, profile)
    breaks = []
    for constraint in wanted:
        if constraint.when is not None and not constraint.when.holds(ctx):
            continue
        left, right = _value(constraint.left, ctx), _value(constraint.right, ctx)
        if left is None or right is None or _holds(constraint, left, right, instrument):
            continue
        values = {o.ref: v for o, v in ((constraint.left, left), (constraint.right, right)) if o.ref}
        breaks.append(ConstraintBreak(constraint, values))
    return breaks


def _value(operand: Operand, ctx: Context) -> Any:
    return operand.value if operand.source == "value" else ctx.lookup(operand.source, operand.ref)


def _holds(constraint: Constraint, left: Any, right: Any, instrument: Instrument) -> bool:
    if constraint.op != "subset":
        return bool(COMPARISONS[constraint.op](left, right))
    return _chosen(constraint.left, left, instrument) <= _chosen(constraint.right, right, instrument)


def _chosen(operand: Operand, value: Any, instrument: Instrument) -> set[str]:
    """The options chosen, without exclusive ones such as "none" (which choose nothing)."""
    excluded = instrument.question(operand.ref).exclusive if operand.source == "answer" else frozenset()
    return set(value) - excluded
