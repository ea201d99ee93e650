"""The questionnaire model: an instrument with sections, questions, options and derived facts.

Instances are built and validated by the loader; everything here is read-only at run time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from diagnosis.core.conditions import Condition

Text = Mapping[str, str]  # {"zh_CN": ..., "en": ...}

CHOICE_TYPES = frozenset({"single", "multi"})
NUMBER_TYPES = frozenset({"integer", "decimal", "percent", "scenario_level"})
QUESTION_TYPES = CHOICE_TYPES | NUMBER_TYPES | {"yes_no", "text"}
SCENARIO_LEVELS = (1, 2, 3, 4)
DEFAULT_MAX_LENGTH = 500


@dataclass(frozen=True)
class Option:
    id: str
    text: Text
    help: Text | None = None


@dataclass(frozen=True, eq=False)
class Question:
    id: str
    type: str
    text: Text
    section: str = ""
    short: Text | None = None  # a subject label for reasons ("板材利用率"), where the text is a long sentence
    help: Text | None = None
    evidence: Text | None = None
    required: bool = False
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    exclusive: frozenset[str] = frozenset()
    unit: Text | None = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    levels: Mapping[int, Text] = field(default_factory=dict)
    max_length: int = DEFAULT_MAX_LENGTH
    option_ids: frozenset[str] = frozenset()  # the ids of `options`, given by the loader


@dataclass(frozen=True, eq=False)
class Section:
    id: str
    title: Text
    intro: Text | None
    show_if: Condition | None
    questions: tuple[Question, ...]
    file: str = ""


@dataclass(frozen=True)
class FactInput:
    """One input of a derived fact: an answer, a profile field or an earlier fact."""

    source: str
    ref: str


@dataclass(frozen=True, eq=False)
class Fact:
    id: str
    label: Text
    kind: str  # ratio | count_selected | sum
    unit: str
    inputs: tuple[FactInput, ...]  # ratio: (numerator, denominator); count_selected: (of,); sum: the terms
    scale: float = 1
    excluded: frozenset[str] = frozenset()  # count_selected: exclusive options such as "none" count 0


@dataclass(frozen=True)
class Operand:
    """One side of a constraint: an answer, a fact, a profile field, or a fixed value."""

    source: str  # answer | fact | profile | value
    ref: str = ""
    value: Any = None


@dataclass(frozen=True, eq=False)
class Constraint:
    """Two values that must agree, e.g. digitised equipment <= all equipment (diagnosis.core.constraints).

    `op` is a number comparison (le lt ge gt), eq / ne, or `subset` (left's chosen options are all
    chosen on the right). It is checked only when `when` holds and both sides are known."""

    id: str
    left: Operand
    op: str
    right: Operand
    message: Text
    when: Condition | None = None
    file: str = ""
    path: str = ""  # where it is declared, for load problems

    @property
    def questions(self) -> tuple[str, ...]:
        """The questions it reads, left side first: where a broken constraint is shown."""
        refs = [o.ref for o in (self.left, self.right) if o.source == "answer"]
        if self.when is not None:
            refs += [leaf.ref for leaf in self.when.leaves() if leaf.source == "answer"]
        return tuple(dict.fromkeys(refs))


@dataclass(frozen=True)
class PlanStep:
    """One step of the precomputed visibility order: a section, a question or a fact."""

    kind: str  # section | question | fact
    id: str
    condition: Condition | None = None
    section: str = ""
    fact: Fact | None = None


@dataclass(eq=False)
class Instrument:
    id: str
    version: str
    title: Text
    sections: tuple[Section, ...]
    facts: tuple[Fact, ...]
    option_sets: Mapping[str, tuple[Option, ...]]
    visibility_plan: tuple[PlanStep, ...] = ()
    constraints: tuple[Constraint, ...] = ()

    @cached_property
    def questions_by_id(self) -> Mapping[str, Question]:
        """Every question by id, in display order."""
        return {q.id: q for section in self.sections for q in section.questions}

    @cached_property
    def _sections(self) -> dict[str, Section]:
        return {section.id: section for section in self.sections}

    @cached_property
    def _section_question_ids(self) -> dict[str, frozenset[str]]:
        return {section.id: frozenset(q.id for q in section.questions) for section in self.sections}

    @cached_property
    def question_ids(self) -> frozenset[str]:
        return frozenset(self.questions_by_id)

    def section_question_ids(self, sid: str) -> frozenset[str]:
        return self._section_question_ids[sid]

    def question(self, qid: str) -> Question:
        return self.questions_by_id[qid]

    def has_question(self, qid: str) -> bool:
        return qid in self.questions_by_id

    def section(self, sid: str) -> Section:
        return self._sections[sid]

    def questions(self) -> Iterator[Question]:
        """Every question in display order."""
        return iter(self.questions_by_id.values())

    def fact_ids(self) -> tuple[str, ...]:
        return tuple(fact.id for fact in self.facts)

    @cached_property
    def _constraints_by_question(self) -> dict[str, tuple[Constraint, ...]]:
        by_question: dict[str, list[Constraint]] = {}
        for constraint in self.constraints:
            for qid in constraint.questions:
                by_question.setdefault(qid, []).append(constraint)
        return {qid: tuple(found) for qid, found in by_question.items()}

    def constraints_of(self, qid: str) -> tuple[Constraint, ...]:
        """The constraints that read question `qid`."""
        return self._constraints_by_question.get(qid, ())

    def info(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version}
