"""Walking a condition to explain a recommendation.

`support` lists the leaves that made a condition come out as it did (the `because` of a
recommendation); `judge` evaluates with three values (met / not met / unknown when a needed value
is missing) for the smart-factory criteria; `signals` lists the leaves that point towards a
trigger, with their polarity, for the trigger-share gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from diagnosis.core.conditions import AllOf, AnyOf, Condition, Leaf, NotOf
from diagnosis.core.context import Context

GUARD_OPS = frozenset({"answered", "unanswered"})
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


def leaf_entry(leaf: Leaf, value: Any, held: bool) -> dict[str, Any]:
    """The `because` entry of docs/result-format.md."""
    threshold = leaf.value
    return {"source": leaf.source, "ref": leaf.ref, "op": leaf.op,
            "threshold": list(threshold) if isinstance(threshold, tuple) else threshold,
            "value": list(value) if isinstance(value, tuple) else value, "held": held}


def support(condition: Condition, ctx: Context, outcome: bool, out: list[dict[str, Any]]) -> None:
    """Append to `out` the leaves that give `condition` the given outcome in `ctx`.

    For a condition that holds: every child of an `all`, the holding children of an `any`. For one
    that fails: the failing children of an `all`, every child of an `any`. `not` flips the outcome.
    """
    if isinstance(condition, Leaf):
        if condition.holds(ctx) == outcome:
            out.append(leaf_entry(condition, ctx.lookup(condition.source, condition.ref), outcome))
    elif isinstance(condition, NotOf):
        support(condition.child, ctx, not outcome, out)
    else:
        explain_all = isinstance(condition, AllOf) == outcome
        for child in condition.children:
            if explain_all or child.holds(ctx) == outcome:
                support(child, ctx, outcome, out)


def every_leaf(condition: Condition, ctx: Context) -> list[dict[str, Any]]:
    """Every leaf with its actual value and whether it held."""
    return [leaf_entry(leaf, ctx.lookup(leaf.source, leaf.ref), leaf.holds(ctx))
            for leaf in condition.references()]


def judge(condition: Condition, ctx: Context, out: list[dict[str, Any]]) -> bool | None:
    """Kleene three-valued evaluation: None when the outcome depends on a missing value.

    Every leaf visited is appended to `out` (no short-circuit), so the result can show them all.
    """
    if isinstance(condition, Leaf):
        value = ctx.lookup(condition.source, condition.ref)
        held = condition.holds(ctx)
        out.append(leaf_entry(condition, value, held))
        return None if value is None and condition.op not in GUARD_OPS else held
    if isinstance(condition, NotOf):
        inner = judge(condition.child, ctx, out)
        return None if inner is None else not inner
    results = [judge(child, ctx, out) for child in condition.children]
    decisive = isinstance(condition, AnyOf)  # True decides an `any`, False decides an `all`
    if decisive in results:
        return decisive
    return None if None in results else not decisive


def status(outcome: bool | None) -> str:
    return UNKNOWN if outcome is None else MET if outcome else NOT_MET


def signals(condition: Condition, polarity: bool = True) -> list[tuple[Leaf, bool]]:
    """The trigger's leaves with the outcome that points towards it (guards left out)."""
    if isinstance(condition, Leaf):
        return [] if condition.op in GUARD_OPS else [(condition, polarity)]
    if isinstance(condition, NotOf):
        return signals(condition.child, not polarity)
    return [pair for child in condition.children for pair in signals(child, polarity)]


def signal_share(pairs: Iterable[tuple[Leaf, bool]], ctx: Context) -> float:
    """The share of answered signals that point towards the trigger (1.0 when none is answered)."""
    answered = pointing = 0
    for leaf, polarity in pairs:
        if ctx.lookup(leaf.source, leaf.ref) is None:
            continue
        answered += 1
        pointing += leaf.holds(ctx) == polarity
    return pointing / answered if answered else 1.0

