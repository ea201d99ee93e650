"""What a condition can look at: answers, derived facts, the company profile and scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SOURCES = ("answer", "fact", "profile", "score")  # the names a condition leaf reads from


@dataclass(slots=True)
class Context:
    """Never changed once made; `sources` is in a slot as every condition leaf reads it."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
    profile: Mapping[str, Any] = field(default_factory=dict)
    scores: Mapping[str, Any] = field(default_factory=dict)
    sources: dict[str, Mapping[str, Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """The values of each source, by its name in a condition (see SOURCES)."""
        self.sources = {"answer": self.answers, "fact": self.facts, "profile": self.profile,
                        "score": self.scores}

    def lookup(self, source: str, ref: str) -> Any:
        """The value of `ref` in `source` (answer|fact|profile|score); None when unknown."""
        values = self.sources.get(source)
        return None if values is None else values.get(ref)
