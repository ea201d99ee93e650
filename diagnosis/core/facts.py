"""Derived facts: ratios, counts of selected options and sums, computed from answers and profile.

A fact is undefined (None) when an input is missing or a denominator is 0. Values are rounded
to 6 decimals so equal inputs give equal, readable numbers (0.2, not 0.20000000000000001).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from diagnosis.core.context import Context
from diagnosis.core.numeric import Number, add_up, rounded
from diagnosis.core.questionnaire import Fact, Instrument

DECIMALS = 6


def _ratio(fact: Fact, values: list[Any]) -> Number | None:
    numerator, denominator = values
    if numerator is None or not denominator:
        return None
    return rounded(numerator / denominator * fact.scale, DECIMALS)


def _count_selected(fact: Fact, values: list[Any]) -> int | None:
    (selected,) = values
    if selected is None:
        return None
    return sum(1 for option in selected if option not in fact.excluded)


def _sum(fact: Fact, values: list[Any]) -> Number | None:
    if any(value is None for value in values):
        return None
    return rounded(add_up(values) * fact.scale, DECIMALS)


FACT_KINDS: dict[str, Callable[[Fact, list[Any]], Any]] = {
    "ratio": _ratio,
    "count_selected": _count_selected,
    "sum": _sum,
}


def compute_fact(fact: Fact, ctx: Context) -> Any:
    return FACT_KINDS[fact.kind](fact, [ctx.lookup(item.source, item.ref) for item in fact.inputs])


def compute_facts(instrument: Instrument, answers: dict[str, Any], profile: dict[str, Any]
                  ) -> dict[str, Any]:
    """Every fact of the instrument, in declaration order (later facts may use earlier ones).
    Reads its inputs as compute_fact does, without a Context per input (this runs in every result)."""
    facts: dict[str, Any] = {}
    sources: dict[str, dict[str, Any]] = {"answer": answers, "fact": facts, "profile": profile}
    for fact in instrument.facts:
        values = [sources[item.source].get(item.ref) for item in fact.inputs]
        facts[fact.id] = FACT_KINDS[fact.kind](fact, values)
    return facts
