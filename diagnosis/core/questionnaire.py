"""The questionnaire model: an instrument with sections, questions, options and derived facts.

Instances are built and validated by the loader; everything here is read-only at run time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from diagnosis.core.conditions import Condition
from diagnosis.core.numeric import Number

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
    help: Text | None = None
    evidence: Text | None = None
    required: bool = False
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    exclusive: frozenset[str] = frozenset()
    unit: Text | None = None
    min: Number | None = None
    max: Number | None = None
    step: Number | None = None
    levels: Mapping[int, Text] = field(default_factory=dict)
    max_length: int = DEFAULT_MAX_LENGTH
    option_ids: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # worked out here, not in a cached_property: a mypyc-compiled class has no __dict__ to cache in
        object.__setattr__(self, "option_ids", frozenset(option.id for option in self.options))


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
    scale: Number = 1
    excluded: frozenset[str] = frozenset()  # count_selected: exclusive options such as "none" count 0


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
    _questions: dict[str, Question] = field(default_factory=dict, repr=False)
    _sections: dict[str, Section] = field(default_factory=dict, repr=False)
    _question_ids: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    question_ids: frozenset[str] = field(default_factory=frozenset, repr=False)

    def __post_init__(self) -> None:
        self._sections = {section.id: section for section in self.sections}
        self._questions = {q.id: q for section in self.sections for q in section.questions}
        self._question_ids = {section.id: frozenset(q.id for q in section.questions)
                              for section in self.sections}
        self.question_ids = frozenset(self._questions)

    def section_question_ids(self, sid: str) -> frozenset[str]:
        return self._question_ids[sid]

    def question(self, qid: str) -> Question:
        return self._questions[qid]

    def has_question(self, qid: str) -> bool:
        return qid in self._questions

    def section(self, sid: str) -> Section:
        return self._sections[sid]

    def questions(self) -> Iterator[Question]:
        """Every question in display order."""
        return iter(self._questions.values())

    def fact_ids(self) -> tuple[str, ...]:
        return tuple(fact.id for fact in self.facts)

    def info(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version}
