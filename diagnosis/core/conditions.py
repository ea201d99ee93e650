"""Conditions as data: `all` / `any` / `not` over leaf comparisons, evaluated without eval().

One node type serves questionnaire visibility (show_if) and catalogue triggers alike. A leaf reads
one value from a Context (answer, fact, profile or score) and applies a named operator
(diagnosis/core/operators.py); a leaf whose value is unknown (None) never holds, except
`unanswered`. A node answers:

- holds(ctx): whether it holds (short-circuits: most conditions in a result are only asked this);
- explain(ctx): whether it holds, the leaves that made it hold (`because`) and the trigger share;
- judge(ctx, out): met / not met / unknown (None: a needed value is missing), every leaf listed;
- entries(ctx): every leaf with its value; leaves(): every leaf, for reference checks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from diagnosis.core.context import SOURCES, Context
from diagnosis.core.operators import OPERATORS, PRESENCE_OPS, VALUE_CHECKS, VALUE_KINDS, test_for
from diagnosis.core.problems import Problem

PROFILE_FIELDS = frozenset(
    {"industry_code", "industry_tags", "above_designated_size", "employees", "revenue_band", "park"}
)
SCORE_PATHS = frozenset({"sme.points", "sme.level", "cmmm.level", "cmmm.overall"})
COMBINATORS = ("all", "any", "not")
LEAF_KEYS = ("op", "value")

Entry = dict[str, Any]  # a `because` entry of docs/result-format.md


# ---------------------------------------------------------------------------------------- nodes

class Explanation(NamedTuple):
    held: bool
    because: list[Entry]  # the leaves that made it hold; empty when it does not
    share: float  # of the answered signals (leaves other than answered / unanswered), those
    #               pointing towards a hold; 1.0 when none is answered


class Condition(ABC):
    """A node of a condition tree: Leaf, AllOf, AnyOf or NotOf."""

    __slots__ = ()

    @abstractmethod
    def holds(self, ctx: Context) -> bool: ...

    @abstractmethod
    def explain_into(self, ctx: Context, polarity: bool, signals: list[bool],
                     yes: list[Leaf], no: list[Leaf]) -> bool:
        """Whether it holds. A leaf goes to `yes` when it explains a hold, to `no` when it explains
        a failure; an answered signal adds to `signals` whether it points towards `polarity`."""

    @abstractmethod
    def judge(self, ctx: Context, out: list[Entry]) -> bool | None:
        """True / False, or None when a missing value leaves it open; every leaf goes to `out`."""

    @abstractmethod
    def leaves(self) -> Iterator[Leaf]: ...

    def explain(self, ctx: Context) -> Explanation:
        signals: list[bool] = []
        yes: list[Leaf] = []
        held = self.explain_into(ctx, True, signals, yes, [])
        because = [leaf.entry(ctx) for leaf in yes] if held else []
        return Explanation(held, because, signals.count(True) / len(signals) if signals else 1.0)

    def entries(self, ctx: Context) -> list[Entry]:
        """Every leaf with its value, in order."""
        return [leaf.entry(ctx) for leaf in self.leaves()]


@dataclass(slots=True, unsafe_hash=True)
class Leaf(Condition):
    """One comparison, a value like the frozen nodes (never changed after parsing). Its test is
    chosen once, in slots: leaves run in every result, mostly only to say whether they hold, and
    each method reads its value itself (a line or two) for the same reason."""

    source: str  # one of SOURCES
    ref: str
    op: str
    value: Any = None  # a list value is a tuple
    is_signal: bool = field(init=False, compare=False, repr=False)
    _test: Callable[[Any, Any], bool] = field(init=False, compare=False, repr=False)
    _operand: Any = field(init=False, compare=False, repr=False)
    _if_unknown: bool = field(init=False, compare=False, repr=False)
    _template: Entry = field(init=False, compare=False, repr=False)  # the fixed part of every entry
    _listed: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.is_signal = self.op not in PRESENCE_OPS  # tests what a value is, not whether it is known
        self._test, self._operand = test_for(self.op, self.value)
        self._if_unknown = self.op == "unanswered"
        self._template = {"source": self.source, "ref": self.ref, "op": self.op, "threshold": self.value}
        self._listed = isinstance(self.value, tuple)

    @property
    def operands(self) -> tuple:
        """The values it compares with: none, one, or a list's."""
        if VALUE_KINDS[self.op] is None:
            return ()
        return self.value if isinstance(self.value, tuple) else (self.value,)

    def holds(self, ctx: Context) -> bool:
        actual = ctx.sources[self.source].get(self.ref)
        return self._if_unknown if actual is None else self._test(actual, self._operand)

    def entry(self, ctx: Context) -> Entry:
        """Its `because` entry."""
        actual = ctx.sources[self.source].get(self.ref)
        return self._entry(actual, self._if_unknown if actual is None else self._test(actual, self._operand))

    def _entry(self, actual: Any, held: bool) -> Entry:
        """An entry with lists of its own (entries are the caller's to keep)."""
        entry = self._template.copy()
        if self._listed:
            entry["threshold"] = list(self.value)
        entry["value"] = list(actual) if isinstance(actual, tuple) else actual
        entry["held"] = held
        return entry

    def explain(self, ctx: Context) -> Explanation:
        """As Condition.explain, in one step (many triggers are one leaf)."""
        actual = ctx.sources[self.source].get(self.ref)
        if actual is None:
            return Explanation(self._if_unknown, [self._entry(None, True)] if self._if_unknown else [], 1.0)
        held = self._test(actual, self._operand)
        share = 1.0 if held or not self.is_signal else 0.0
        return Explanation(held, [self._entry(actual, True)] if held else [], share)

    def explain_into(self, ctx: Context, polarity: bool, signals: list[bool],
                     yes: list[Leaf], no: list[Leaf]) -> bool:
        actual = ctx.sources[self.source].get(self.ref)
        if actual is None:
            held = self._if_unknown
        else:
            held = self._test(actual, self._operand)
            if self.is_signal:
                signals.append(held == polarity)
        (yes if held else no).append(self)
        return held

    def judge(self, ctx: Context, out: list[Entry]) -> bool | None:
        actual = ctx.sources[self.source].get(self.ref)
        if actual is None:
            out.append(self._entry(None, self._if_unknown))
            return None if self.is_signal else self._if_unknown
        held = self._test(actual, self._operand)
        out.append(self._entry(actual, held))
        return held

    def leaves(self) -> Iterator[Leaf]:
        yield self


@dataclass(frozen=True)
class AllOf(Condition):
    children: tuple[Condition, ...]

    def holds(self, ctx: Context) -> bool:
        for child in self.children:
            if not child.holds(ctx):
                return False
        return True

    def explain_into(self, ctx: Context, polarity: bool, signals: list[bool],
                     yes: list[Leaf], no: list[Leaf]) -> bool:
        """Held: every child explains it. Failed: the failing children do."""
        held = True
        for child in self.children:
            mark = len(no)
            if child.explain_into(ctx, polarity, signals, yes, no):
                del no[mark:]
            else:
                held = False
        return held

    def judge(self, ctx: Context, out: list[Entry]) -> bool | None:
        """Not met if a child is not; else unknown if a child is; else met (every child judged)."""
        outcomes = [child.judge(ctx, out) for child in self.children]
        return False if False in outcomes else None if None in outcomes else True

    def leaves(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.leaves()


@dataclass(frozen=True)
class AnyOf(Condition):
    children: tuple[Condition, ...]

    def holds(self, ctx: Context) -> bool:
        for child in self.children:
            if child.holds(ctx):
                return True
        return False

    def explain_into(self, ctx: Context, polarity: bool, signals: list[bool],
                     yes: list[Leaf], no: list[Leaf]) -> bool:
        """Held: the holding children explain it. Failed: every child does."""
        held = False
        for child in self.children:
            mark = len(yes)
            if child.explain_into(ctx, polarity, signals, yes, no):
                held = True
            else:
                del yes[mark:]
        return held

    def judge(self, ctx: Context, out: list[Entry]) -> bool | None:
        """Met if a child is; else unknown if a child is; else not met (every child judged)."""
        outcomes = [child.judge(ctx, out) for child in self.children]
        return True if True in outcomes else None if None in outcomes else False

    def leaves(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.leaves()


@dataclass(frozen=True)
class NotOf(Condition):
    child: Condition

    def holds(self, ctx: Context) -> bool:
        return not self.child.holds(ctx)

    def explain_into(self, ctx: Context, polarity: bool, signals: list[bool],
                     yes: list[Leaf], no: list[Leaf]) -> bool:
        return not self.child.explain_into(ctx, not polarity, signals, no, yes)

    def judge(self, ctx: Context, out: list[Entry]) -> bool | None:
        inner = self.child.judge(ctx, out)
        return None if inner is None else not inner

    def leaves(self) -> Iterator[Leaf]:
        return self.child.leaves()


# ---------------------------------------------------------------------------------------- parsing

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
        sources = [key for key in SOURCES if key in data]
        for key in sorted(str(key) for key in data if key not in SOURCES and key not in LEAF_KEYS):
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
        check, reason = VALUE_CHECKS[kind]
        if not check(data["value"]):
            self.fail(f"{path}.value", reason)
