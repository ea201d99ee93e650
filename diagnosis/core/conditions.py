"""Conditions as data: `all` / `any` / `not` over leaf comparisons, evaluated without eval().

A leaf reads one value from a Context (answer, fact, profile or score) and applies a named
operator from OPERATORS. A leaf whose value is unknown (None) never holds, except `unanswered`.
`holds()` short-circuits for speed; `evaluate()` visits every leaf so a result can say why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from diagnosis.core.context import SOURCE_NUMBERS, Context
from diagnosis.core.problems import Problem

PROFILE_FIELDS = frozenset(
    {"industry_code", "industry_tags", "above_designated_size", "employees", "revenue_band", "park"}
)
SCORE_PATHS = frozenset({"sme.points", "sme.level", "cmmm.level", "cmmm.overall"})
COMBINATORS = ("all", "any", "not")
LEAF_KEYS = ("op", "value")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _is_collection(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))


def _same(actual: Any, expected: Any) -> bool:
    """Equality that keeps booleans apart from numbers (True is not 1 here)."""
    return isinstance(actual, bool) == isinstance(expected, bool) and actual == expected


def _member(item: Any, items: Any) -> bool:
    return any(_same(item, candidate) for candidate in items)


def _compare(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda actual, expected: _is_number(actual) and test(actual, expected)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _same,
    "ne": lambda actual, expected: not _same(actual, expected),
    "lt": _compare(lambda actual, expected: actual < expected),
    "le": _compare(lambda actual, expected: actual <= expected),
    "gt": _compare(lambda actual, expected: actual > expected),
    "ge": _compare(lambda actual, expected: actual >= expected),
    "in": lambda actual, expected: _is_scalar(actual) and _member(actual, expected),
    "not_in": lambda actual, expected: _is_scalar(actual) and not _member(actual, expected),
    "contains": lambda actual, expected: _is_collection(actual) and _member(expected, actual),
    "contains_any": lambda actual, expected: _is_collection(actual)
    and any(_member(item, actual) for item in expected),
    "contains_all": lambda actual, expected: _is_collection(actual)
    and all(_member(item, actual) for item in expected),
    "answered": lambda actual, expected: True,
    "unanswered": lambda actual, expected: False,
}


# how a Test checks, chosen once for its operator and value
GENERIC: Final = 0
SAME_TEXT: Final = 1
LESS: Final = 2
AT_MOST: Final = 3
MORE: Final = 4
AT_LEAST: Final = 5
TEXT_IN: Final = 6
HOLDS_TEXT: Final = 7
HOLDS_ANY_TEXT: Final = 8
_NUMBER_CHECKS = {"lt": LESS, "le": AT_MOST, "gt": MORE, "ge": AT_LEAST}


class Test:
    """OPERATORS[op](actual, value) for a known (not None) actual, specialised once for its
    constant value (string options, plain numbers): conditions run in every result. A class with
    a kind code, not a closure, so that a compiled engine calls it directly. A property test
    checks it against OPERATORS."""

    def __init__(self, op: str, value: Any):
        texts = isinstance(value, tuple) and all(type(item) is str for item in value)
        self.value = value
        self.options: frozenset[str] = frozenset(value) if texts else frozenset()
        self.generic = OPERATORS[op]
        self.kind = GENERIC
        if op in _NUMBER_CHECKS:
            self.kind = _NUMBER_CHECKS[op]
        elif type(value) is str and op in ("eq", "contains"):
            self.kind = SAME_TEXT if op == "eq" else HOLDS_TEXT
        elif texts and op in ("in", "contains_any"):
            self.kind = TEXT_IN if op == "in" else HOLDS_ANY_TEXT

    def check(self, actual: Any) -> bool:
        kind = self.kind
        if kind == SAME_TEXT:
            return bool(actual == self.value)
        if LESS <= kind <= AT_LEAST:
            return (type(actual) is int or type(actual) is float) and self._compare(kind, actual)
        if kind == TEXT_IN:
            return type(actual) is str and actual in self.options
        if kind == HOLDS_TEXT:
            return _is_collection(actual) and self.value in actual
        if kind == HOLDS_ANY_TEXT:
            return _is_collection(actual) and not self.options.isdisjoint(actual)
        return self.generic(actual, self.value)

    def _compare(self, kind: int, actual: Any) -> bool:
        if kind == LESS:
            return bool(actual < self.value)
        if kind == AT_MOST:
            return bool(actual <= self.value)
        if kind == MORE:
            return bool(actual > self.value)
        return bool(actual >= self.value)


# What each operator's `value` must be: scalar, number, list (of scalars) or absent (None).
VALUE_KINDS: dict[str, str | None] = {
    "eq": "scalar", "ne": "scalar", "lt": "number", "le": "number", "gt": "number", "ge": "number",
    "in": "list", "not_in": "list", "contains": "scalar", "contains_any": "list", "contains_all": "list",
    "answered": None, "unanswered": None,
}

_VALUE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "scalar": (_is_scalar, "must be a string, number or boolean"),
    "number": (_is_number, "must be a number"),
    "list": (lambda value: isinstance(value, list) and bool(value) and all(map(_is_scalar, value)),
             "must be a non-empty list of strings, numbers or booleans"),
}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | list) else value


@dataclass(frozen=True)
class LeafResult:
    source: str
    ref: str
    op: str
    threshold: Any
    value: Any
    held: bool

    def as_dict(self) -> dict[str, Any]:
        """The `because` entry of docs/result-format.md."""
        return {"source": self.source, "ref": self.ref, "op": self.op,
                "threshold": _plain(self.threshold), "value": _plain(self.value), "held": self.held}


@dataclass(frozen=True)
class Evaluation:
    held: bool
    leaves: tuple[LeafResult, ...]


class Condition:
    """A node of a condition tree: Leaf, AllOf, AnyOf or NotOf. A common base class, not a Union,
    so that a compiled engine calls holds() through a method table instead of by name. Abstract by
    convention: with abc.ABC the mypyc build fails at import (it cannot set the class __dict__)."""

    def holds(self, ctx: Context) -> bool:
        raise NotImplementedError

    def explain(self, ctx: Context, out: list[LeafResult]) -> bool:
        raise NotImplementedError

    def references(self) -> Iterator[Leaf]:
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Condition):
    """One comparison; its test is specialised once for its operator and value (the hot path)."""

    source: str
    ref: str
    op: str
    value: Any = None
    _source: int = field(init=False, repr=False, compare=False)
    _test: Test = field(init=False, repr=False, compare=False)
    _if_missing: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_source", SOURCE_NUMBERS[self.source])
        object.__setattr__(self, "_test", Test(self.op, self.value))
        object.__setattr__(self, "_if_missing", self.op == "unanswered")

    def holds(self, ctx: Context) -> bool:
        actual = ctx.values(self._source).get(self.ref)
        return self._if_missing if actual is None else self._test.check(actual)

    def explain(self, ctx: Context, out: list[LeafResult]) -> bool:
        actual = ctx.values(self._source).get(self.ref)
        held = self._if_missing if actual is None else self._test.check(actual)
        out.append(LeafResult(self.source, self.ref, self.op, self.value, actual, held))
        return held

    def references(self) -> Iterator[Leaf]:
        yield self


@dataclass(frozen=True)
class AllOf(Condition):
    children: tuple[Condition, ...]

    def holds(self, ctx: Context) -> bool:
        for child in self.children:
            if not child.holds(ctx):
                return False
        return True

    def explain(self, ctx: Context, out: list[LeafResult]) -> bool:
        return all([child.explain(ctx, out) for child in self.children])

    def references(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.references()


@dataclass(frozen=True)
class AnyOf(Condition):
    children: tuple[Condition, ...]

    def holds(self, ctx: Context) -> bool:
        for child in self.children:
            if child.holds(ctx):
                return True
        return False

    def explain(self, ctx: Context, out: list[LeafResult]) -> bool:
        return any([child.explain(ctx, out) for child in self.children])

    def references(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.references()


@dataclass(frozen=True)
class NotOf(Condition):
    child: Condition

    def holds(self, ctx: Context) -> bool:
        return not self.child.holds(ctx)

    def explain(self, ctx: Context, out: list[LeafResult]) -> bool:
        return not self.child.explain(ctx, out)

    def references(self) -> Iterator[Leaf]:
        return self.child.references()



def evaluate(condition: Condition, ctx: Context) -> Evaluation:
    """Whether the condition holds, with every leaf's actual value (no short-circuit)."""
    leaves: list[LeafResult] = []
    held = condition.explain(ctx, leaves)
    return Evaluation(held, tuple(leaves))


def parse_condition(data: Any, file: str, path: str, allow_scores: bool = True
                    ) -> tuple[Condition | None, list[Problem]]:
    """Parse and validate a condition; on any problem the condition is None and all problems are listed."""
    problems: list[Problem] = []
    condition = _Parser(file, allow_scores, problems).parse(data, path)
    return (None if problems else condition), problems


@dataclass
class _Parser:
    file: str
    allow_scores: bool
    problems: list[Problem]

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(self.file, path, reason))

    def parse(self, data: Any, path: str) -> Condition | None:
        if not isinstance(data, dict) or not data:
            self.fail(path, "a condition must be a non-empty mapping")
            return None
        combinators = [key for key in COMBINATORS if key in data]
        if combinators:
            return self.combination(data, combinators, path)
        return self.leaf(data, path)

    def combination(self, data: dict, combinators: list[str], path: str) -> Condition | None:
        if len(data) != 1:
            extra = sorted(str(key) for key in data if key != combinators[0])
            self.fail(path, f"'{combinators[0]}' cannot be combined with {', '.join(extra)}")
            return None
        key = combinators[0]
        if key == "not":
            child = self.parse(data["not"], f"{path}.not")
            return NotOf(child) if child is not None else None
        items = data[key]
        if not isinstance(items, list) or not items:
            self.fail(f"{path}.{key}", "must be a non-empty list of conditions")
            return None
        children = [self.parse(item, f"{path}.{key}[{index}]") for index, item in enumerate(items)]
        parsed = tuple(child for child in children if child is not None)
        if len(parsed) < len(children):
            return None
        return (AllOf if key == "all" else AnyOf)(parsed)

    def leaf(self, data: dict, path: str) -> Leaf | None:
        before = len(self.problems)
        sources = [key for key in SOURCE_NUMBERS if key in data]
        for key in sorted(str(key) for key in data if key not in SOURCE_NUMBERS and key not in LEAF_KEYS):
            self.fail(f"{path}.{key}", "unknown key in a condition")
        if len(sources) != 1:
            self.fail(path, "a leaf needs exactly one of answer, fact, profile, score")
            return None
        source = sources[0]
        ref = data[source]
        self.check_ref(source, ref, f"{path}.{source}")
        op = data.get("op")
        if op not in OPERATORS:
            self.fail(f"{path}.op", f"unknown operator {op!r}")
            return None
        self.check_value(op, data, path)
        if len(self.problems) > before:
            return None
        value = data.get("value")
        return Leaf(source, ref, op, tuple(value) if isinstance(value, list) else value)

    def check_ref(self, source: str, ref: Any, path: str) -> None:
        if not isinstance(ref, str) or not ref:
            self.fail(path, "must name a question, fact, profile field or score")
        elif source == "profile" and ref not in PROFILE_FIELDS:
            self.fail(path, f"unknown profile field {ref!r}")
        elif source == "score" and not self.allow_scores:
            self.fail(path, "score conditions are not allowed here (scores depend on visibility)")
        elif source == "score" and ref not in SCORE_PATHS:
            self.fail(path, f"unknown score {ref!r}")

    def check_value(self, op: str, data: dict, path: str) -> None:
        kind = VALUE_KINDS[op]
        if kind is None:
            if "value" in data:
                self.fail(f"{path}.value", f"operator {op!r} takes no value")
            return
        if "value" not in data:
            self.fail(path, f"operator {op!r} needs a value")
            return
        check, reason = _VALUE_CHECKS[kind]
        if not check(data["value"]):
            self.fail(f"{path}.value", reason)
