"""The district's company roster: check every row of a file, then import it in bulk.

`check_roster` reads the file (`roster_file.read_table`), finds the header, checks every cell of every
row and compares the credit codes with the database in one query per 10,000 codes; the `RosterPlan` it
returns says what an import would do (new companies, roster records to update, registered companies
left as they are) and every problem as (row, column, reason). `apply_plan` writes it: one multi-row
INSERT and one executemany UPDATE, flushed, not committed.

What the roster may change: a company that has registered (``registered_at`` set, or it has users) is
its own; the roster never changes it, and its row is reported as left unchanged. A roster record that
nobody has registered yet is updated from the file (name, industry, park, size, contact); its
``imported_at`` keeps the date it was first listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session

from diagnosis.core.industry import IndustryTable
from diagnosis.core.uscc import check_uscc
from diagnosis.pipeline.roster_cells import (
    CellError,
    contact_phone,
    credit_code_text,
    industry_code,
    size_flag,
    text,
)
from diagnosis.pipeline.roster_file import Limits, RosterFileError, read_table
from diagnosis.store.accounts import User
from diagnosis.store.companies import Company

__all__ = ["COLUMNS", "Limits", "RosterFileError", "RosterPlan", "RosterScope", "apply_plan", "check_roster"]


@dataclass(frozen=True)
class Column:
    key: str
    max_length: int


#: The roster's columns, in the template's order (Company column, longest text).
COLUMNS = (
    Column("name", 200),
    Column("credit_code", 18),
    Column("industry_code", 4),
    Column("park", 40),
    Column("above_designated_size", 0),
    Column("contact_name", 100),
    Column("contact_phone", 40),
)
#: The header names, Chinese as the district's files write them (the file's language, not the page's);
#: the English keys are accepted too.
HEADER_NAMES = {"企业名称": "name", "统一社会信用代码": "credit_code", "行业代码": "industry_code",
                "园区": "park", "规上": "above_designated_size", "联系人": "contact_name",
                "联系电话": "contact_phone"}
#: The header is looked for in the first rows (a title row above it is common in district sheets).
HEADER_SEARCH_ROWS = 10
#: Codes per query when looking for companies already in the database (SQLite allows 32,766 parameters).
LOOKUP_CHUNK = 10_000
#: Marks and notes a header cell may carry around the name: "*企业名称", "行业代码（GB/T 4754）".
HEADER_DECORATION = re.compile(r"[*＊\s]|[（(].*?[)）]")


@dataclass(frozen=True)
class RosterScope:
    """What the rows may name: the app's parks, the parks the importing user covers (None: all), and the
    industry table."""

    parks: Sequence[str]
    allowed_parks: Sequence[str] | None
    industries: IndustryTable


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def line(self, file_name: str) -> str:
        return f"{file_name}: 第{self.row}行 {self.column}: {self.message}"


@dataclass
class RosterPlan:
    """What importing the file would do. ``new`` and ``updated`` hold Company column values (with the
    row number under "row", and the company's id under "id" for an update)."""

    rows: int = 0
    new: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    #: Rows of companies that have registered: the roster leaves them as they are.
    registered: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems})


def check_roster(session: Session, data: bytes, scope: RosterScope,
                 limits: Limits | None = None) -> RosterPlan:
    """Check every row of the file against the rules and the database.

    :raise RosterFileError: when the file as a whole cannot be read (empty, not a spreadsheet, too
        large, no header or a header without a required column)
    """
    limits = limits or Limits()
    table = read_table(data, limits)
    if not table.rows:
        raise RosterFileError(_("文件是空的。"))
    header_row, columns = _header(table.rows)
    body = [(number, cells) for number, cells in table.rows if number > header_row]
    if not body:
        raise RosterFileError(_("表头下面没有企业数据。"))
    if len(body) > limits.max_rows:
        raise RosterFileError(_("文件超过 %(n)s 行，请分成几个文件导入。", n=limits.max_rows))
    plan = RosterPlan(rows=len(body))
    checked = [_row_values(number, cells, columns, scope, plan.problems) for number, cells in body]
    good = _without_duplicates(checked, plan.problems)
    _compare_with_database(session, good, scope, plan)
    return plan


def _normal_header(cell: Any) -> str:
    return HEADER_DECORATION.sub("", text(cell))


def _header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]]:
    """The header's row number and each column's index."""
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        keys = [_column_key(_normal_header(cell)) for cell in cells]
        if sum(key is not None for key in keys) < 2:
            continue
        columns: dict[str, int] = {}
        for index, key in enumerate(keys):
            if key is None:
                continue
            if key in columns:
                raise RosterFileError(_("第 %(row)s 行（表头）有两列“%(column)s”，请只保留一列。",
                                        row=number, column=header_of(key)))
            columns[key] = index
        missing = [header_of(column.key) for column in COLUMNS if column.key not in columns]
        if missing:
            raise RosterFileError(_("第 %(row)s 行（表头）缺少列：%(columns)s。",
                                    row=number, columns="、".join(missing)))
        return number, columns
    raise RosterFileError(_("找不到表头：第一行应为 %(columns)s。",
                            columns="、".join(header_of(column.key) for column in COLUMNS)))


def _column_key(name: str) -> str | None:
    if name in HEADER_NAMES:
        return HEADER_NAMES[name]
    lowered = name.lower()
    return lowered if lowered in HEADER_NAMES.values() else None


def header_of(key: str) -> str:
    """The column's name as the template and the messages write it (always Chinese, like the file)."""
    return next(name for name, column_key in HEADER_NAMES.items() if column_key == key)


def _row_values(number: int, cells: list[Any], columns: dict[str, int], scope: RosterScope,
                problems: list[RowProblem]) -> tuple[dict[str, Any], bool]:
    """The row's good cells as Company values, and whether every cell was good (each problem added)."""
    values: dict[str, Any] = {"row": number}
    good = True
    for column in COLUMNS:
        index = columns[column.key]
        cell = cells[index] if index < len(cells) else ""
        try:
            values[column.key] = _cell_value(column, cell, scope)
        except CellError as error:
            problems.append(RowProblem(number, header_of(column.key), str(error)))
            good = False
    return values, good


def _cell_value(column: Column, cell: Any, scope: RosterScope) -> Any:
    if column.key == "above_designated_size":
        return size_flag(cell)
    if column.key == "credit_code":
        return _credit_code(cell)
    value = industry_code(cell) if column.key == "industry_code" else (
        contact_phone(cell) if column.key == "contact_phone" else text(cell))
    if not value:
        raise CellError(_("必填，不能为空。"))
    if column.key == "industry_code" and scope.industries.get(value) is None:
        raise CellError(_("“%(code)s”不在平台的国民经济行业分类（GB/T 4754）小类表中。", code=value))
    if len(value) > column.max_length:
        raise CellError(_("不能超过 %(n)s 个字。", n=column.max_length))
    if column.key == "park":
        _check_park(value, scope)
    return value


def _credit_code(cell: Any) -> str:
    code = credit_code_text(cell)
    check = check_uscc(code)
    for problem in check.details:
        if problem.code == "length":
            raise CellError(_("应为 18 位，实为 %(n)s 位。", n=problem.given))
        if problem.code == "charset":
            raise CellError(_("第 %(position)s 位的“%(char)s”不是有效字符"
                              "（只能是数字和除 I、O、S、V、Z 以外的大写字母）。",
                              position=problem.position, char=problem.given))
        if problem.code == "check_char":
            raise CellError(_("校验位不正确：按前 17 位计算，第 18 位应为 %(expected)s，实为 %(given)s。",
                              expected=problem.expected, given=problem.given))
    return check.normalized


def _check_park(park: str, scope: RosterScope) -> None:
    if park not in scope.parks:
        raise CellError(_("“%(park)s”不是平台的园区或乡镇（街道），应为：%(parks)s。",
                          park=park, parks="、".join(scope.parks)))
    if scope.allowed_parks is not None and park not in scope.allowed_parks:
        raise CellError(_("“%(park)s”不在您负责的园区范围内，不能导入。", park=park))


def _without_duplicates(checked: list[tuple[dict[str, Any], bool]],
                        problems: list[RowProblem]) -> list[dict[str, Any]]:
    """The good rows whose credit code appears once in the file. A repeated (valid) code is reported on
    every row that has it, naming the others, whether or not the rest of those rows is good."""
    rows_of: dict[str, list[int]] = {}
    for values, _good in checked:
        if "credit_code" in values:
            rows_of.setdefault(values["credit_code"], []).append(values["row"])
    column = header_of("credit_code")
    for numbers in rows_of.values():
        for number in numbers if len(numbers) > 1 else ():
            others = "、".join(str(other) for other in numbers if other != number)
            problems.append(RowProblem(number, column, _("与第 %(rows)s 行重复。", rows=others)))
    return [values for values, good in checked if good and len(rows_of[values["credit_code"]]) == 1]


def _column_order(name: str) -> int:
    return [header_of(column.key) for column in COLUMNS].index(name)


EDITABLE = ("name", "industry_code", "park", "above_designated_size", "contact_name", "contact_phone")


def _compare_with_database(session: Session, good: list[dict[str, Any]], scope: RosterScope,
                           plan: RosterPlan) -> None:
    existing = _existing(session, [values["credit_code"] for values in good])
    for values in good:
        company = existing.get(values["credit_code"])
        if company is None:
            plan.new.append(values)
        elif company["registered"]:
            plan.registered.append(values["row"])
        elif scope.allowed_parks is not None and company["park"] not in scope.allowed_parks:
            plan.problems.append(RowProblem(values["row"], header_of("credit_code"),
                                            _("该企业已在名录中，属于您负责范围以外的园区，不能修改。")))
        elif any(company[key] != values[key] for key in EDITABLE):
            plan.updated.append({**values, "id": company["id"]})
        else:
            plan.unchanged.append(values["row"])
    plan.problems.sort(key=lambda problem: (problem.row, _column_order(problem.column)))


def _existing(session: Session, codes: list[str]) -> dict[str, dict[str, Any]]:
    """The companies with these credit codes, by code: their editable values, and whether they have
    registered (a user or ``registered_at``)."""
    has_user = exists().where(User.company_id == Company.id)
    registered = (Company.registered_at.is_not(None) | has_user).label("registered")
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        query = select(Company.id, Company.credit_code, registered,
                       *(getattr(Company, key) for key in EDITABLE))
        for row in session.execute(query.where(Company.credit_code.in_(codes[start:start + LOOKUP_CHUNK]))):
            found[row.credit_code] = dict(row._mapping)
    return found


def apply_plan(session: Session, plan: RosterPlan, now: datetime) -> None:
    """Insert the new companies and update the roster records (flushed, not committed). A record that
    registered since the check is left alone (the UPDATE requires ``registered_at`` to be NULL)."""
    if plan.new:
        session.execute(insert(Company), [_new_company(values, now) for values in plan.new])
    if plan.updated:
        statement = (update(Company)
                     .where(and_(Company.id == bindparam("company_id"), Company.registered_at.is_(None)))
                     .values({key: bindparam(f"new_{key}") for key in EDITABLE}))
        session.connection().execute(statement, [_update_params(values) for values in plan.updated])
    session.flush()


def _new_company(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {**{key: values[key] for key in ("credit_code", *EDITABLE)},
            "employees": None, "revenue_band": None,
            "created_at": now, "imported_at": now, "registered_at": None}


def _update_params(values: dict[str, Any]) -> dict[str, Any]:
    return {"company_id": values["id"], **{f"new_{key}": values[key] for key in EDITABLE}}


def summary(plan: RosterPlan) -> dict[str, int]:
    """The counts a report of the check or the import shows."""
    return {"rows": plan.rows, "new": len(plan.new), "updated": len(plan.updated),
            "unchanged": len(plan.unchanged), "registered": len(plan.registered), "bad": len(plan.bad_rows)}


def rows_text(rows: Iterable[int]) -> str:
    """'3、5、9' for a list of row numbers (the first 20, then '…')."""
    numbers = [str(number) for number in rows]
    return "、".join(numbers[:20]) + ("…" if len(numbers) > 20 else "")
