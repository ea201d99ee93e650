"""Numbers in the engine: `Number` for annotations, `add_up` for sums and `rounded` for round().

Every int or float stays as the data gave it, so the mypyc-compiled engine and the pure-Python one
give the same result to the byte (tests compare them). Hence `Number` is `Any`, not `float`:
mypyc compiles `float` (and `int | float`, which mypy simplifies to `float`) to a C double, and a
compiled `round(4, 4)` would give 4.0 where Python gives 4. And `add_up` replaces `sum` over such
numbers: with `Any` items mypy picks sum's integer overload, and mypyc would then reject a float.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

Number = Any

# 10**digits, exact in a double. Typed `tuple[float, ...]`: as a fixed 16-tuple mypyc would keep it
# unboxed and build a new tuple object to index it on every call.
_SCALES: tuple[float, ...] = (1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
                              1e14, 1e15)
_EXACT_BELOW: Final = 4503599627370496.0  # 2**52: integers (and differences of nearby floats) below are exact
_PRODUCT_ERROR: Final = 8.881784197001252e-16  # 2**-50 > the relative error of x * 10**digits


def add_up(values: Iterable[Number]) -> Number:
    """sum(values), left to right from 0, as the builtin."""
    result: Number = 0
    for value in values:
        result = result + value
    return result


def rounded(value: Number, digits: int) -> Number:
    """round(value, digits), bit for bit, but fast for a float.

    round() turns a float into a decimal string and back (a few thousand instructions; results
    round some seventy numbers each). Here: scale by 10**digits, take the nearer integer when the
    scaled value is clearly off the half-way point (by more than the product's rounding error),
    and divide back. The division of two exact doubles is correctly rounded, so it gives the same
    double as round()'s decimal string; a near tie, an int and anything unusual go to round().
    """
    if type(value) is int and digits >= 0:
        return value  # round(an int, digits >= 0) is the int itself
    if type(value) is not float or not 0 <= digits < len(_SCALES):
        return round(value, digits)
    x: float = value
    if x == 0.0:
        return value  # keeps the sign of -0.0
    scale = _SCALES[digits]
    scaled = x * scale if x > 0.0 else -x * scale
    if not scaled < _EXACT_BELOW:  # also catches nan and inf
        return round(value, digits)
    whole = float(int(scaled))  # floor: scaled is positive
    fraction = scaled - whole  # exact: scaled and whole are within a factor of two (or whole is 0)
    margin = scaled * _PRODUCT_ERROR
    if fraction > 0.5 + margin:
        whole += 1.0
    elif fraction >= 0.5 - margin:
        return round(value, digits)
    return whole / scale if x > 0.0 else -(whole / scale)
