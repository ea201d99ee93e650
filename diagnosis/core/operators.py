"""The operators of condition leaves: one small function per operator id, in OPERATORS.

Each takes the known (not None) value a leaf reads and the leaf's `value`; the parser checks that
`value` is of the kind VALUE_KINDS names. test_for() picks a quicker equivalent for a text value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRESENCE_OPS = frozenset({"answered", "unanswered"})  # test whether a value is known, not what it is


# Type tuples, not unions: an `int | float` in isinstance() builds a union object on every call.
_NUMBERS = (int, float)  # as types of a value: plain numbers (bool, a subclass of int, is not one)
_SCALARS = (str, int, float, bool)
_COLLECTIONS = (list, tuple, set, frozenset)


def _is_number(value: Any) -> bool:
    return type(value) in _NUMBERS


def _is_scalar(value: Any) -> bool:
    return isinstance(value, _SCALARS)


def _is_collection(value: Any) -> bool:
    return isinstance(value, _COLLECTIONS)


def _same(actual: Any, expected: Any) -> bool:
    """Equality that keeps booleans apart from numbers (True is not 1 here)."""
    return isinstance(actual, bool) == isinstance(expected, bool) and actual == expected


def _member(item: Any, items: Any) -> bool:
    return any(_same(item, candidate) for candidate in items)


def equal(actual: Any, expected: Any) -> bool:
    return _same(actual, expected)


def not_equal(actual: Any, expected: Any) -> bool:
    return not _same(actual, expected)


def less(actual: Any, expected: Any) -> bool:
    return type(actual) in _NUMBERS and actual < expected


def at_most(actual: Any, expected: Any) -> bool:
    return type(actual) in _NUMBERS and actual <= expected


def more(actual: Any, expected: Any) -> bool:
    return type(actual) in _NUMBERS and actual > expected


def at_least(actual: Any, expected: Any) -> bool:
    return type(actual) in _NUMBERS and actual >= expected


def one_of(actual: Any, expected: Any) -> bool:
    return _is_scalar(actual) and _member(actual, expected)


def none_of(actual: Any, expected: Any) -> bool:
    return _is_scalar(actual) and not _member(actual, expected)


def contains(actual: Any, expected: Any) -> bool:
    return _is_collection(actual) and _member(expected, actual)


def contains_any(actual: Any, expected: Any) -> bool:
    return _is_collection(actual) and any(_member(item, actual) for item in expected)


def contains_all(actual: Any, expected: Any) -> bool:
    return _is_collection(actual) and all(_member(item, actual) for item in expected)


def answered(actual: Any, expected: Any) -> bool:
    return True  # asked of a known value only (a leaf decides an unknown one itself)


def unanswered(actual: Any, expected: Any) -> bool:
    return False  # asked of a known value only


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": equal, "ne": not_equal, "lt": less, "le": at_most, "gt": more, "ge": at_least,
    "in": one_of, "not_in": none_of, "contains": contains, "contains_any": contains_any,
    "contains_all": contains_all, "answered": answered, "unanswered": unanswered,
}


# Quicker equivalents for a text value (an option id, a tag: most values are), given the text or,
# for a list of texts, their frozenset. A text equals only a text, so no boolean check is needed.
def _same_text(actual: Any, text: str) -> bool:
    return bool(actual == text)


def _holds_text(actual: Any, text: str) -> bool:
    return _is_collection(actual) and text in actual


def _text_in(actual: Any, texts: frozenset[str]) -> bool:
    return type(actual) is str and actual in texts


def _holds_any_text(actual: Any, texts: frozenset[str]) -> bool:
    return _is_collection(actual) and not texts.isdisjoint(actual)


_ON_TEXT = {"eq": _same_text, "contains": _holds_text}
_ON_TEXTS = {"in": _text_in, "contains_any": _holds_any_text}


def test_for(op: str, value: Any) -> tuple[Callable[[Any, Any], bool], Any]:
    """The test a leaf applies to a known value, and the value it is given."""
    if type(value) is str and op in _ON_TEXT:
        return _ON_TEXT[op], value
    if isinstance(value, tuple) and op in _ON_TEXTS and all(type(item) is str for item in value):
        return _ON_TEXTS[op], frozenset(value)
    return OPERATORS[op], value


# What each operator's `value` must be: scalar, number, list (of scalars) or absent (None).
VALUE_KINDS: dict[str, str | None] = {
    "eq": "scalar", "ne": "scalar", "lt": "number", "le": "number", "gt": "number", "ge": "number",
    "in": "list", "not_in": "list", "contains": "scalar", "contains_any": "list", "contains_all": "list",
    "answered": None, "unanswered": None,
}

VALUE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "scalar": (_is_scalar, "must be a string, number or boolean"),
    "number": (_is_number, "must be a number"),
    "list": (lambda value: isinstance(value, list) and bool(value) and all(map(_is_scalar, value)),
             "must be a non-empty list of strings, numbers or booleans"),
}
