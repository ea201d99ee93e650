"""Compiled catalogue conditions decide exactly as the engine's conditions do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis.core.conditions import OPERATORS, VALUE_KINDS, Leaf
from diagnosis.core.recommend.compiled import Probe
from tests.core.recommend_fixtures import context

WORDS = st.sampled_from(["erp", "mes", "none", "manual", "safety", "1", ""])
SCALARS = st.one_of(WORDS, st.booleans(), st.integers(-3, 3), st.floats(-3, 3, allow_nan=False))
ACTUALS = st.one_of(SCALARS, st.lists(st.one_of(WORDS, st.booleans(), st.integers(0, 2)), max_size=4),
                    st.tuples(WORDS, WORDS))


@st.composite
def leaves(draw) -> Leaf:
    op = draw(st.sampled_from(sorted(OPERATORS)))
    kind = VALUE_KINDS[op]
    if kind is None:
        value = None
    elif kind == "number":
        value = draw(st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False)))
    elif kind == "list":
        value = tuple(draw(st.lists(st.one_of(WORDS, SCALARS), min_size=1, max_size=3)))
    else:
        value = draw(SCALARS)
    return Leaf("answer", "q", op, value)


@settings(max_examples=3000, deadline=None)
@given(leaf=leaves(), actual=st.one_of(st.none(), ACTUALS))
def test_a_compiled_leaf_holds_exactly_when_the_engine_leaf_holds(leaf, actual):
    ctx = context({} if actual is None else {"q": actual})
    assert Probe(leaf).holds(ctx) is leaf.holds(ctx)
