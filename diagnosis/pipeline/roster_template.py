"""The roster template (.xlsx, written with XlsxWriter): the header, one example row, drop-down lists for
行业代码, 园区 and 规上, and the code and phone columns formatted as text so Excel keeps them as typed."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter  # type: ignore[import-untyped]

from diagnosis.core.industry import IndustryTable
from diagnosis.core.uscc import check_character, org_code_check_character
from diagnosis.pipeline.roster import COLUMNS, header_of

#: Rows the drop-down lists and text formats cover (the import takes at most 50,000).
TEMPLATE_ROWS = 50_000
WIDTHS = {"name": 36, "credit_code": 24, "industry_code": 12, "park": 16, "above_designated_size": 8,
          "contact_name": 12, "contact_phone": 18}
TEXT_COLUMNS = ("credit_code", "industry_code", "contact_phone")
_EXAMPLE_BODY = "91341522" + "12345678" + org_code_check_character("12345678")
EXAMPLE = {"name": "示例家居有限公司（请删除本行）",
           "credit_code": _EXAMPLE_BODY + check_character(_EXAMPLE_BODY),
           "industry_code": "2110", "above_designated_size": "是", "contact_name": "张经理",
           "contact_phone": "0564-1234567"}


def roster_template(parks: Sequence[str], industries: IndustryTable) -> bytes:
    """The template as .xlsx bytes; the example row is valid except that its name asks to delete it."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet("企业名录")
    lists = _lists_sheet(workbook, parks, industries)
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    as_text = workbook.add_format({"num_format": "@"})
    example = {**EXAMPLE, "park": parks[0] if parks else ""}
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, WIDTHS[column.key], as_text if column.key in TEXT_COLUMNS else None)
        sheet.write_string(0, index, header_of(column.key), header)
        sheet.write_string(1, index, example[column.key], as_text)
    sheet.freeze_panes(1, 0)
    _drop_downs(sheet, lists, len(parks), len(industries.all()))
    workbook.close()
    return output.getvalue()


def _lists_sheet(workbook: xlsxwriter.Workbook, parks: Sequence[str], industries: IndustryTable):
    """A hidden sheet with the choices (a list longer than 255 characters must live in cells)."""
    lists = workbook.add_worksheet("选项")
    for row, industry in enumerate(industries.all()):
        lists.write_string(row, 0, industry.code)
        lists.write_string(row, 1, industry.name.get("zh_CN", ""))
    for row, park in enumerate(parks):
        lists.write_string(row, 2, park)
    lists.write_string(0, 3, "是")
    lists.write_string(1, 3, "否")
    lists.hide()
    return lists


def _drop_downs(sheet, lists, parks: int, industries: int) -> None:
    column = {column.key: index for index, column in enumerate(COLUMNS)}
    sources = {"industry_code": f"='选项'!$A$1:$A${max(industries, 1)}",
               "park": f"='选项'!$C$1:$C${max(parks, 1)}",
               "above_designated_size": "='选项'!$D$1:$D$2"}
    messages = {"industry_code": "请从列表中选择国民经济行业分类（GB/T 4754）小类代码。",
                "park": "请从列表中选择园区或乡镇（街道）。",
                "above_designated_size": "规模以上企业填“是”，否则填“否”。"}
    for key, source in sources.items():
        sheet.data_validation(1, column[key], TEMPLATE_ROWS, column[key], {
            "validate": "list", "source": source, "error_title": header_of(key),
            "error_message": messages[key],
        })
