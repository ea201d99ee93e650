"""What a condition can look at: answers, derived facts, the company profile and scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SOURCE_FIELDS = {"answer": "answers", "fact": "facts", "profile": "profile", "score": "scores"}

_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True)
class Context:
    answers: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
    profile: Mapping[str, Any] = field(default_factory=dict)
    scores: Mapping[str, Any] = field(default_factory=dict)

    def lookup(self, source: str, ref: str) -> Any:
        """The value of `ref` in `source` (answer|fact|profile|score); None when unknown."""
        name = SOURCE_FIELDS.get(source)
        if name is None:
            return None
        return getattr(self, name, _EMPTY).get(ref)
