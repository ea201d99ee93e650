"""Roster files for the tests: rows as CSV (any encoding) or as a real .xlsx written with XlsxWriter."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from tests.support import credit_code

HEADER = ("企业名称", "统一社会信用代码", "行业代码", "园区", "规上", "联系人", "联系电话")


def good_row(seq: int, park: str = "家居产业园", **changes: Any) -> list[Any]:
    values = {"name": f"名录企业{seq}", "credit_code": credit_code(seq, "91341500"), "industry_code": "2110",
              "park": park, "size": "是", "contact_name": "王经理", "contact_phone": "0564-3311223"}
    values.update(changes)
    return list(values.values())


def csv_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER,
              encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(header), *(",".join(str(cell) for cell in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER,
               title: str | None = None) -> bytes:
    """A workbook whose cells keep their Python types: numbers are written as numbers, as Excel does
    with a code typed into a column that is not formatted as text."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet("名录")
    offset = 0
    if title:
        sheet.write_string(0, 0, title)
        offset = 1
    for col, name in enumerate(header):
        sheet.write_string(offset, col, name)
    for row_index, row in enumerate(rows, start=offset + 1):
        for col, cell in enumerate(row):
            if isinstance(cell, bool) or not isinstance(cell, int | float):
                sheet.write_string(row_index, col, str(cell))
            else:
                sheet.write_number(row_index, col, cell)
    workbook.close()
    return output.getvalue()
