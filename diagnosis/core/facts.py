"""Derived facts: ratios, counts of selected options and sums, computed from answers and profile.

A fact is undefined (None) when an input is missing or a denominator is 0. Values are rounded
to 6 decimals so equal inputs give equal, readable numbers (0.2, not 0.20000000000000001).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from diagnosis.core.context import Context
from diagnosis.core.questionnaire import Fact, Instrument

DECIMALS = 6


def _ratio(fact: Fact, values: list[Any]) -> float | None:
    numerator, denominator = values
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator * fact.scale, DECIMALS)


def _count_selected(fact: Fact, values: list[Any]) -> int | None:
    (selected,) = values
    if selected is None:
        return None
    return sum(1 for option in selected if option not in fact.excluded)


def _sum(fact: Fact, values: list[Any]) -> float | None:
    if any(value is None for value in values):
        return None
    return round(sum(values) * fact.scale, DECIMALS)


FACT_KINDS: dict[str, Callable[[Fact, list[Any]], Any]] = {
    "ratio": _ratio,
    "count_selected": _count_selected,
    "sum": _sum,
}


def compute_fact(fact: Fact, ctx: Context) -> Any:
    """The fact's value from its inputs (answers, profile fields or earlier facts) in `ctx`."""
    return FACT_KINDS[fact.kind](fact, [ctx.lookup(item.source, item.ref) for item in fact.inputs])


def compute_facts(instrument: Instrument, answers: Mapping[str, Any], profile: Mapping[str, Any]
                  ) -> dict[str, Any]:
    """Every fact of the instrument, in declaration order (later facts may use earlier ones)."""
    facts: dict[str, Any] = {}
    ctx = Context(answers, facts, profile)
    for fact in instrument.facts:
        facts[fact.id] = compute_fact(fact, ctx)
    return facts
