"""What a condition can look at: answers, derived facts, the company profile and scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SOURCES = ("answer", "fact", "profile", "score")  # a source's number is its index here
SOURCE_NUMBERS = {name: number for number, name in enumerate(SOURCES)}


@dataclass(frozen=True)
class Context:
    """Plain dicts, read by number (`values`): conditions run in every result, and a compiled
    engine reads a dict field of a native class far faster than it looks up an attribute by name."""

    answers: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, Any] = field(default_factory=dict)

    def values(self, source: int) -> dict[str, Any]:
        """The values of source number `source` (see SOURCES)."""
        if source == 0:
            return self.answers
        if source == 1:
            return self.facts
        if source == 2:
            return self.profile
        return self.scores

    def lookup(self, source: str, ref: str) -> Any:
        """The value of `ref` in `source` (answer|fact|profile|score); None when unknown."""
        number = SOURCE_NUMBERS.get(source)
        return None if number is None else self.values(number).get(ref)
