"""One roster cell as the value its column holds.

Spreadsheets change what is typed: Excel turns an 18-digit credit code into a float with its last
digits gone (9.13415221234568e+17), drops the leading 0 of an area code, and calamine returns every
number as a float (268.0). A cell that lost information is an error naming the fix (format the column
as text); a cell that lost nothing recoverable is normalised (a mobile number 13800138000.0, an
industry code 111 for "0111").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

#: "9.13415E+17" as Excel writes a long number it has turned into a float, e.g. in a saved CSV.
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
#: 规上 as districts write it: 是/否, 规上/规下, and the English or numeric spellings.
SIZE_WORDS = {"是": True, "否": False, "规上": True, "规下": False, "规模以上": True, "规模以下": False,
              "yes": True, "no": False, "y": True, "n": False, "true": True, "false": False,
              "1": True, "0": False}


class CellError(ValueError):
    """The cell's value is not acceptable; the message says why, for the user."""


def is_number(cell: Any) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def text(cell: Any) -> str:
    """The cell as text: whole floats without ".0", dates as ISO dates, blanks stripped."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date | time | timedelta):
        return cell.isoformat() if not isinstance(cell, timedelta) else str(cell)
    return str(cell).strip()


def credit_code_text(cell: Any) -> str:
    """A credit code is text: a number in its cell has lost digits, whatever it shows."""
    if is_number(cell) or SCIENTIFIC.match(text(cell)):
        raise CellError(_("代码被当成了数字（Excel 会把 18 位代码改成科学计数法，后几位已丢失）："
                          "请把这一列设为“文本”格式后重新填写代码。"))
    code = text(cell)
    if not code:
        raise CellError(_("必填，不能为空。"))
    return code


def industry_code(cell: Any) -> str:
    """A four-digit GB/T 4754 code; a number (111.0) or a short digit string gets its leading zeros back."""
    if is_number(cell):
        if not float(cell).is_integer() or not 0 <= cell < 10_000:
            raise CellError(_("应为 4 位数字代码（如 2110）。"))
        return f"{int(cell):04d}"
    code = text(cell)
    if code.isascii() and code.isdigit() and len(code) < 4:
        return code.zfill(4)
    return code


def contact_phone(cell: Any) -> str:
    """A phone number as text; a number cell is accepted only as an 11-digit mobile number (nothing lost)."""
    if is_number(cell):
        digits = text(cell)
        if not (float(cell).is_integer() and len(digits) == 11 and digits.startswith("1")):
            raise CellError(_("电话号码被当成了数字（区号前的 0 可能已丢失）："
                              "请把这一列设为“文本”格式后重新填写。"))
        return digits
    phone = text(cell)
    if phone and not PHONE.match(phone):
        raise CellError(_("“%(phone)s”不是有效的电话号码（手机或座机，可含区号和“-”）。", phone=phone))
    return phone


def size_flag(cell: Any) -> bool:
    """规上 as a bool: 是 (规模以上) or 否."""
    if isinstance(cell, bool):
        return cell
    word = text(cell).lower()
    if not word:
        raise CellError(_("必填，请填“是”或“否”。"))
    if word not in SIZE_WORDS:
        raise CellError(_("“%(value)s”无法识别，请填“是”（规模以上）或“否”。", value=text(cell)))
    return SIZE_WORDS[word]
