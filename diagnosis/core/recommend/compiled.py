"""Catalogue conditions compiled at load time for advise(), which runs inside every diagnose().

A compiled node answers in one pass what a recommendation needs: whether it holds, the leaves
that made it come out so (`because`), the trigger-share tally, and a three-valued judgement
(met / not met / unknown when a needed value is missing) for the smart-factory criteria.
"""

from __future__ import annotations

from typing import Any

from diagnosis.core.conditions import AllOf, AnyOf, Condition, Leaf, NotOf, Test
from diagnosis.core.context import SOURCE_NUMBERS, Context
from diagnosis.core.numeric import Number

GUARD_OPS = frozenset({"answered", "unanswered"})
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
Entries = list[dict[str, Any]]
Seen = list[tuple["Probe", Any, bool]]  # (leaf, actual value, held): an entry before it is built


def status(outcome: bool | None) -> str:
    """The name of a judgement's three values."""
    return UNKNOWN if outcome is None else MET if outcome else NOT_MET


class Node:
    """A compiled condition node: Probe, Every, Some or Negation. A common base class, not a
    Union, so that a compiled engine calls their methods through a method table (abstract by
    convention, as conditions.Condition)."""

    __slots__ = ()

    def holds(self, ctx: Context) -> bool:
        raise NotImplementedError

    def explain(self, ctx: Context, polarity: bool, signals: list[bool], yes: Seen, no: Seen) -> bool:
        raise NotImplementedError

    def judge(self, ctx: Context, out: Entries) -> bool | None:
        raise NotImplementedError

    def entries(self, ctx: Context) -> Entries:
        raise NotImplementedError


class Probe(Node):
    """A compiled leaf."""

    __slots__ = ("source", "ref", "op", "value", "number", "test", "if_missing", "signal", "listed",
                 "template")

    def __init__(self, leaf: Leaf):
        self.source, self.ref, self.op, self.value = leaf.source, leaf.ref, leaf.op, leaf.value
        self.number = SOURCE_NUMBERS[leaf.source]
        self.test = Test(leaf.op, leaf.value)
        self.if_missing = leaf.op == "unanswered"  # what a leaf on an unknown value gives
        self.signal = leaf.op not in GUARD_OPS  # guards do not count towards the trigger share
        self.listed = isinstance(leaf.value, tuple)
        # the fixed part of every entry, in the key order of the result format (entry() copies it)
        self.template = {"source": leaf.source, "ref": leaf.ref, "op": leaf.op, "threshold": leaf.value}

    def read(self, ctx: Context) -> tuple[Any, bool]:
        actual = ctx.values(self.number).get(self.ref)
        return actual, self.if_missing if actual is None else self.test.check(actual)

    def entry(self, actual: Any, held: bool) -> dict[str, Any]:
        """The `because` entry of docs/result-format.md: a copy of the template, with a list of its
        own for a listed threshold (entries are the caller's to keep)."""
        entry = self.template.copy()
        if self.listed:
            entry["threshold"] = list(self.value)
        entry["value"] = list(actual) if isinstance(actual, tuple) else actual
        entry["held"] = held
        return entry

    def holds(self, ctx: Context) -> bool:
        actual = ctx.values(self.number).get(self.ref)
        return self.if_missing if actual is None else self.test.check(actual)

    def explain(self, ctx: Context, polarity: bool, signals: list[bool], yes: Seen, no: Seen) -> bool:
        """Whether it holds; the leaf goes to `yes` (explains a hold) or `no` (explains a failure).
        An answered signal adds to `signals` whether it points towards the outcome `polarity`.
        (read() is written out here and in judge(): these run for every leaf of every result.)"""
        actual = ctx.values(self.number).get(self.ref)
        if actual is None:
            held = self.if_missing
        else:
            held = self.test.check(actual)
            if self.signal:
                signals.append(held == polarity)
        (yes if held else no).append((self, actual, held))
        return held

    def judge(self, ctx: Context, out: Entries) -> bool | None:
        actual = ctx.values(self.number).get(self.ref)
        if actual is None:
            out.append(self.entry(None, self.if_missing))
            return None if self.signal else self.if_missing
        held = self.test.check(actual)
        out.append(self.entry(actual, held))
        return held

    def entries(self, ctx: Context) -> Entries:
        return [self.entry(*self.read(ctx))]


class Every(Node):
    needs_all = True  # held when all children hold (Some: when any does)
    __slots__ = ("children", "flat", "leaves")

    def __init__(self, children: tuple[Node, ...]):
        self.children = children
        # leaves only, as most triggers
        self.leaves = tuple(child for child in children if isinstance(child, Probe))
        self.flat = len(self.leaves) == len(children)

    def holds(self, ctx: Context) -> bool:
        for child in self.children:
            if not child.holds(ctx):
                return False
        return True

    def explain(self, ctx: Context, polarity: bool, signals: list[bool], yes: Seen, no: Seen) -> bool:
        """Held: every child explains it. Failed: the failing children do. A leaf child's entry
        lands in the right list by itself; a composite child explains into lists of its own first."""
        held = True
        for child in self.children:
            if isinstance(child, Probe):
                held = child.explain(ctx, polarity, signals, yes, no) and held
                continue
            child_yes: Seen = []
            child_no: Seen = []
            child_held = child.explain(ctx, polarity, signals, child_yes, child_no)
            yes += child_yes
            if not child_held:
                held = False
                no += child_no
        return held

    def judge(self, ctx: Context, out: Entries) -> bool | None:
        """Not met if a child is not; else unknown if a child is; else met (every child judged)."""
        failed = unknown = False
        for child in self.children:
            outcome = child.judge(ctx, out)
            if outcome is None:
                unknown = True
            elif not outcome:
                failed = True
        return False if failed else None if unknown else True

    def entries(self, ctx: Context) -> Entries:
        return [entry for child in self.children for entry in child.entries(ctx)]


class Some(Every):
    needs_all = False
    __slots__ = ()

    def holds(self, ctx: Context) -> bool:
        for child in self.children:
            if child.holds(ctx):
                return True
        return False

    def explain(self, ctx: Context, polarity: bool, signals: list[bool], yes: Seen, no: Seen) -> bool:
        """Held: the holding children explain it. Failed: every child does."""
        held = False
        for child in self.children:
            if isinstance(child, Probe):
                held = child.explain(ctx, polarity, signals, yes, no) or held
                continue
            child_yes: Seen = []
            child_no: Seen = []
            if child.explain(ctx, polarity, signals, child_yes, child_no):
                held = True
                yes += child_yes
            no += child_no
        return held

    def judge(self, ctx: Context, out: Entries) -> bool | None:
        """Met if a child is; else unknown if a child is; else not met (every child judged)."""
        held = unknown = False
        for child in self.children:
            outcome = child.judge(ctx, out)
            if outcome is None:
                unknown = True
            elif outcome:
                held = True
        return True if held else None if unknown else False


class Negation(Node):
    __slots__ = ("child",)

    def __init__(self, child: Node):
        self.child = child

    def holds(self, ctx: Context) -> bool:
        return not self.child.holds(ctx)

    def explain(self, ctx: Context, polarity: bool, signals: list[bool], yes: Seen, no: Seen) -> bool:
        return not self.child.explain(ctx, not polarity, signals, no, yes)

    def judge(self, ctx: Context, out: Entries) -> bool | None:
        inner = self.child.judge(ctx, out)
        return None if inner is None else not inner

    def entries(self, ctx: Context) -> Entries:
        return self.child.entries(ctx)



def compile_condition(condition: Condition) -> Node:
    if isinstance(condition, Leaf):
        return Probe(condition)
    if isinstance(condition, NotOf):
        return Negation(compile_condition(condition.child))
    if isinstance(condition, AllOf):
        return Every(tuple(compile_condition(child) for child in condition.children))
    if isinstance(condition, AnyOf):
        return Some(tuple(compile_condition(child) for child in condition.children))
    raise TypeError(f"not a condition: {condition!r}")


def explain_trigger(node: Node, ctx: Context) -> tuple[bool, Entries, Number]:
    """(held, the leaves that made it hold, the share of answered signals pointing towards it)."""
    if isinstance(node, Probe):  # a trigger of one leaf: its own entry, and a share of 1 or 0
        actual, held = node.read(ctx)
        share = 1.0 if held or actual is None or not node.signal else 0.0
        return held, [node.entry(actual, held)] if held else [], share
    if isinstance(node, Every) and node.flat:
        return _explain_leaves(node, ctx)
    signals: list[bool] = []
    yes: Seen = []
    held = node.explain(ctx, True, signals, yes, [])
    because = [probe.entry(actual, outcome) for probe, actual, outcome in yes] if held else []
    return held, because, signals.count(True) / len(signals) if signals else 1.0


def _explain_leaves(node: Every, ctx: Context) -> tuple[bool, Entries, Number]:
    """explain_trigger for an all / any of leaves only, in one pass: a held all is explained by all
    its leaves, a held any by its holding ones, and either way those are the leaves that hold."""
    because = []
    signals = []
    for leaf in node.leaves:
        actual, held = leaf.read(ctx)
        if held:
            because.append(leaf.entry(actual, held))
        if actual is not None and leaf.signal:
            signals.append(held)
    held = len(because) == len(node.leaves) if node.needs_all else bool(because)
    return held, because if held else [], signals.count(True) / len(signals) if signals else 1.0

