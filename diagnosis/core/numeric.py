"""Numbers in the engine: `Number` for annotations and `total` for sums.

Every int or float stays as the data gave it, so the mypyc-compiled engine and the pure-Python one
give the same result to the byte (tests compare them). Hence `Number` is `Any`, not `float`:
mypyc compiles `float` (and `int | float`, which mypy simplifies to `float`) to a C double, and a
compiled `round(4, 4)` would give 4.0 where Python gives 4. And `total` replaces `sum` over such
numbers: with `Any` items mypy picks sum's integer overload, and mypyc would then reject a float.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Number = Any


def add_up(values: Iterable[Number]) -> Number:
    """sum(values), left to right from 0, as the builtin."""
    result: Number = 0
    for value in values:
        result = result + value
    return result
