"""What a condition can look at: answers, derived facts, the company profile and scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

SOURCES = ("answer", "fact", "profile", "score")  # the names a condition leaf reads from


@dataclass(frozen=True)
class Context:
    answers: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
    profile: Mapping[str, Any] = field(default_factory=dict)
    scores: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def sources(self) -> dict[str, Mapping[str, Any]]:
        """The values of each source, by its name in a condition (see SOURCES)."""
        return {"answer": self.answers, "fact": self.facts, "profile": self.profile, "score": self.scores}

    def lookup(self, source: str, ref: str) -> Any:
        """The value of `ref` in `source` (answer|fact|profile|score); None when unknown."""
        values = self.sources.get(source)
        return None if values is None else values.get(ref)
