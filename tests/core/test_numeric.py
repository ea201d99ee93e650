"""numeric.rounded must be round() bit for bit; add_up must be sum()."""

import math
import struct

from hypothesis import example, given
from hypothesis import strategies as st

from diagnosis.core.numeric import add_up, rounded


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b


@given(st.floats(), st.integers(min_value=0, max_value=8))
@example(2.5, 0)
@example(0.125, 2)
@example(1.005, 2)
@example(-0.00005, 4)
@example(-1e-20, 4)
@example(5e-324, 4)
@example(2.0 ** 60, 4)
def test_rounded_is_round(value, digits):
    assert same(rounded(value, digits), round(value, digits))


@given(st.integers(min_value=-10_000, max_value=10_000), st.integers(min_value=1, max_value=6),
       st.sampled_from([0.0, 1e-16, -1e-16]))
def test_rounded_is_round_next_to_half_way_points(numerator, digits, nudge):
    value = (numerator + 0.5) / 10 ** digits + nudge
    assert same(rounded(value, digits), round(value, digits))


@given(st.integers(), st.integers(min_value=0, max_value=8))
def test_rounded_keeps_an_int_an_int(value, digits):
    assert same(rounded(value, digits), round(value, digits))


@given(st.lists(st.one_of(st.integers(min_value=-1000, max_value=1000),
                          st.floats(allow_nan=False, allow_infinity=False, width=32))))
def test_add_up_is_sum(values):
    assert same(add_up(values), sum(values))
