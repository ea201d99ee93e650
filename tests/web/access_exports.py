"""The access matrix's part for the 调度表 and 通报 downloads: see tests/web/test_access_matrix.py."""

from __future__ import annotations

from typing import Any

#: The URL placeholders `ids` fills in (for the test that every route is in the matrix).
ID_NAMES: tuple[str, ...] = ()

ROUTES: list[tuple[str, str, dict[str, int]]] = []


def ids(company: Any, other_company: Any, users: dict[str, Any]) -> dict[str, int]:
    return {}
