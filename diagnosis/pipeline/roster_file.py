"""Reading a roster file: the rows of an .xlsx/.xls workbook (python-calamine) or a CSV file, told apart
by their content, never by the file name.

Everything that makes a file unusable as a whole (empty, too large, not a spreadsheet, a zip bomb, too
many rows) raises `RosterFileError` with one sentence for the user; the cells come back as the
library gives them (calamine: str, float, bool, date...; CSV: str), for `roster.py` to check by column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Characters a text file may hold below U+0020 (anything else marks a binary file decoded by luck).
TEXT_CONTROLS = frozenset("\t\r\n")


@dataclass(frozen=True)
class Limits:
    """What one roster file may be: its size, what its zip may unpack to, and its data rows."""

    max_bytes: int = 10 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_rows: int = 50_000


class RosterFileError(Exception):
    """The file cannot be read as a roster; the message says why, for the user."""


@dataclass(frozen=True)
class Table:
    """The rows of the file's first visible worksheet (or of the CSV file): (row number as a
    spreadsheet shows it, cells)."""

    kind: str
    rows: list[tuple[int, list[Any]]]


def read_table(data: bytes, limits: Limits) -> Table:
    """The file's rows, blank rows left out, at most ``limits.max_rows`` of them plus a header's worth.

    :raise RosterFileError: when the file is empty, too large or not a spreadsheet
    """
    if not data.strip():
        raise RosterFileError(_("文件是空的。"))
    if len(data) > limits.max_bytes:
        raise RosterFileError(_("文件超过 %(mb)s MB，请分成几个文件导入。",
                                mb=limits.max_bytes // (1024 * 1024)))
    if data.startswith(ZIP_MAGIC):
        _check_workbook_zip(data, limits)
        return Table("xlsx", _capped(_workbook_rows(data), limits))
    if data.startswith(OLE_MAGIC):
        return Table("xls", _capped(_workbook_rows(data), limits))
    return Table("csv", _capped(_csv_rows(_decode(data)), limits))


def _check_workbook_zip(data: bytes, limits: Limits) -> None:
    """A zip that is an Excel workbook and does not unpack to more than the limit (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise RosterFileError(_("文件不是有效的 Excel 工作簿（.xlsx）。")) from error
    if not any(entry.filename == "xl/workbook.xml" for entry in entries):
        raise RosterFileError(_("文件不是 Excel 工作簿（.xlsx）："
                                "请用 Excel 或 WPS 另存为 .xlsx 或 .csv 后再导入。"))
    if sum(entry.file_size for entry in entries) > limits.max_unpacked_bytes:
        raise RosterFileError(_("工作簿解压后过大，无法导入：请只保留企业名录一个工作表。"))


def _workbook_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = CalamineWorkbook.from_object(io.BytesIO(data))
        sheets = [meta.name for meta in workbook.sheets_metadata
                  if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible]
        if not sheets:
            raise RosterFileError(_("工作簿中没有可见的工作表。"))
        # calamine's rows start at the sheet's first row, so the index is the row number less one.
        for index, cells in enumerate(workbook.get_sheet_by_name(sheets[0]).iter_rows()):
            yield index + 1, cells
    except CalamineError as error:
        raise RosterFileError(_("无法读取这个 Excel 文件（%(reason)s）。",
                                reason=str(error)[:200])) from error


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode 文本"), else GB18030 (Excel in
    China saves CSV as GBK); text with other control characters is not a CSV file."""
    if data.startswith(UTF16_BOMS):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(char < " " and char not in TEXT_CONTROLS or char == "\x7f" for char in text):
            return text
    raise RosterFileError(_("文件不是电子表格：请上传 Excel 工作簿（.xlsx）或 CSV 文件。"))


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise RosterFileError(_("CSV 文件第 %(row)s 行无法解析（%(reason)s）。", row=reader.line_num,
                                reason=str(error))) from error


def _capped(rows: Iterator[tuple[int, list[Any]]], limits: Limits) -> list[tuple[int, list[Any]]]:
    """The non-blank rows; more than the limit (plus a header and a title row) is refused."""
    kept = []
    for number, cells in rows:
        if any(_filled(cell) for cell in cells):
            kept.append((number, cells))
            if len(kept) > limits.max_rows + 2:
                raise RosterFileError(_("文件超过 %(n)s 行，请分成几个文件导入。", n=limits.max_rows))
    return kept


def _filled(cell: Any) -> bool:
    return not (cell is None or (isinstance(cell, str) and not cell.strip()))
