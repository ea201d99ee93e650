"""Field checks shared by the catalogue parsers: texts, fractions, choices and conditions.

Every check records a Problem (file, path, reason) and returns a usable value or None, so one
pass over the catalogues reports every problem at once. Conditions are parsed as in the
questionnaire (diagnosis/core/conditions.py), and their answer / fact / profile references
checked against the instrument.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from diagnosis.core.conditions import Condition, Leaf, parse_condition
from diagnosis.core.industry import REVENUE_BANDS
from diagnosis.core.loader_common import FileChecks
from diagnosis.core.loader_graph import reference_problems
from diagnosis.core.problems import Problem
from diagnosis.core.questionnaire import Question

RESERVED_TEXT_SUFFIXES = frozenset({"why", "how", "edition"})


@dataclass(frozen=True)
class References:
    """What catalogue conditions may name: the instrument's questions and facts, the industry tags."""

    questions: Mapping[str, Question]
    fact_ids: frozenset[str]
    tags: frozenset[str] | None  # None when the industry table could not be read: tags not judged


class CatalogueReader(FileChecks):
    """The checks of one catalogue file; texts of every file land in one shared mapping."""

    def __init__(self, file: str, problems: list[Problem], refs: References, texts: dict[str, dict]):
        super().__init__(file, problems)
        self.refs = refs
        self.texts = texts

    def add_text(self, key: str, data: dict, field: str, path: str) -> None:
        """Register data[field] (a bilingual text) under `key` for localize()."""
        text = self.text(data, field, path)
        if text is None:
            return
        if key in self.texts:
            self.fail(f"{path}.{field}" if path else field, f"text key {key!r} is defined twice")
            return
        self.texts[key] = text

    def edition(self, data: dict) -> str:
        value = data.get("edition")
        if isinstance(value, str) and value:
            return value
        self.fail("edition", "must name the edition of the catalogue")
        return ""

    def fraction(self, data: dict, key: str, path: str) -> float:
        """A required number in [0, 1] (priority factors, gaps)."""
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
            return float(value)
        self.fail(f"{path}.{key}" if path else key, "must be a number from 0 to 1")
        return 0.0

    def positive_int(self, data: dict, key: str, path: str) -> int:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self.fail(f"{path}.{key}" if path else key, "must be a positive whole number")
        return 1

    def choice(self, data: dict, key: str, path: str, allowed: Collection[str], what: str) -> str | None:
        value = data.get(key)
        if isinstance(value, str) and value in allowed:
            return value
        where = f"{path}.{key}" if path else key
        self.fail(where, f"unknown {what} {value!r} (known: {', '.join(sorted(allowed))})")
        return None

    def fresh_id(self, seen: set[str], item_id: str | None, where: str, what: str) -> bool:
        """True for a new valid id (now claimed); a repeated id is reported and the entry skipped."""
        if item_id is None:
            return False
        if item_id in seen:
            self.fail(where, f"duplicate {what} id {item_id!r}")
            return False
        seen.add(item_id)
        return True

    def entries(self, items: list, list_path: str, what: str) -> Iterator[tuple[str, dict, str]]:
        """The list's mappings with a new valid id, as (path, item, id); the others are reported."""
        seen: set[str] = set()
        for index, item in enumerate(items):
            path = f"{list_path}[{index}]"
            if self.mapping(item, path) is None:
                continue
            item_id = self.ident(item, path)
            if item_id is not None and self.fresh_id(seen, item_id, f"{path}.id", what):
                yield path, item, item_id

    def checked_condition(self, data: dict, key: str, path: str, required: bool = True) -> Condition | None:
        """Parse data[key] as a condition and check every reference it makes."""
        where = f"{path}.{key}" if path else key
        if key not in data:
            if required:
                self.fail(where, "missing condition")
            return None
        condition, problems = parse_condition(data[key], self.file, where)
        self.problems.extend(problems)
        if condition is None:
            return None
        reasons = reference_problems(condition, self.refs.questions, self.refs.fact_ids)
        reasons.extend(filter(None, (self._profile_problem(leaf) for leaf in condition.leaves()
                                     if leaf.source == "profile")))
        for reason in reasons:
            self.fail(where, reason)
        return None if reasons else condition

    def id_list(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        """An optional list of ids (strings); checked against the catalogues once all are read."""
        values = self.list(data.get(key, []), f"{path}.{key}")
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value:
                self.fail(f"{path}.{key}[{index}]", "must be a recommendation id")
        return tuple(value for value in values if isinstance(value, str) and value)

    def answer_question(self, ref: Any, where: str, types: Collection[str]) -> Question | None:
        """The instrument's question `ref`, which must be of one of `types`."""
        question = self.refs.questions.get(ref) if isinstance(ref, str) else None
        if question is None:
            self.fail(where, f"unknown question {ref!r}")
        elif question.type not in types:
            self.fail(where, f"question {ref!r} is a {question.type} question "
                             f"(expected {', '.join(sorted(types))})")
            return None
        return question

    def _profile_problem(self, leaf: Leaf) -> str | None:
        values = leaf.operands
        if leaf.ref == "industry_tags" and self.refs.tags is not None:
            unknown = [value for value in values if value not in self.refs.tags]
            return f"unknown industry tag {unknown[0]!r}" if unknown else None
        if leaf.ref == "revenue_band":
            unknown = [value for value in values if value not in REVENUE_BANDS]
            return f"unknown revenue band {unknown[0]!r}" if unknown else None
        if leaf.ref == "above_designated_size" and any(not isinstance(v, bool) for v in values):
            return "above_designated_size is true or false"
        return None
