"""The monthly 调度表 (XLSX): a summary sheet of the month's figures (diagnosis/pipeline/monthly.py, the
dashboard's numbers) and the company ledger (diagnosis/pipeline/ledger.py), written with XlsxWriter.

The workbook is written in constant_memory mode: each row goes to disk once the next one starts, so
100,000 companies take no more memory than a few rows. Text that looks like a number (统一社会信用代码,
phone numbers, industry codes) is written as a string cell, never as a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from diagnosis.core.industry import IndustryTable
from diagnosis.core.pipeline_catalogue import catalogue, text
from diagnosis.pipeline.figures import COVERAGE, Filters
from diagnosis.pipeline.ledger import LedgerRow, company_count, ledger_rows
from diagnosis.pipeline.monthly import MonthlyFigures, monthly_figures
from reports.render import translations

SUMMARY_SHEET, LEDGER_SHEET = "汇总", "企业台账"
#: How often (in companies written) the progress callback hears of it.
PROGRESS_EVERY = 2000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Exported:
    companies: int
    rows: int
    figures: MonthlyFigures


class _Words:
    """The sheets' words in one language (the export runs outside a request: its own catalog)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.gettext = translations(lang).gettext

    def _(self, message: str, **values: Any) -> str:
        """gettext with ``%(name)s`` placeholders (the same call shape as Flask-Babel)."""
        words = self.gettext(message)
        return words % values if values else words

    def summary_header(self) -> list[str]:
        _ = self._
        return [_("指标"), _("单位"), _("年度目标"), _("本月新增"), _("累计"), _("完成率"),
                _("在建"), _("计划"), _("潜在")]

    def coverage_labels(self) -> dict[str, str]:
        _ = self._
        return {"roster": _("名录企业"), "registered": _("已注册"), "self_assessed": _("已自评"),
                "verified": _("已核验")}

    def ledger_header(self) -> list[tuple[str, int]]:
        """(column title, width) of the ledger's columns."""
        _ = self._
        return [(_("园区"), 12), (_("企业名称"), 30), (_("统一社会信用代码"), 21), (_("行业代码"), 9),
                (_("行业名称"), 20), (_("规上/规下"), 9), (_("联系人"), 10), (_("联系电话"), 15),
                (_("自评日期"), 11), (_("自评等级（数字化水平）"), 11), (_("自评等级（成熟度）"), 11),
                (_("核验日期"), 11), (_("核验等级（数字化水平）"), 11), (_("核验等级（成熟度）"), 11),
                (_("诊断服务商"), 22), (_("项目类型"), 18), (_("项目名称"), 28), (_("实施服务商"), 22),
                (_("状态"), 8), (_("计划投资(万元)"), 12), (_("已完成投资(万元)"), 12), (_("数量"), 7),
                (_("验收/认定"), 36)]

    def status(self, status: str) -> str:
        _ = self._
        return {"planned": _("计划"), "in_progress": _("在建"), "completed": _("已完工"),
                "stopped": _("已停止")}.get(status, status)

    def size(self, above: bool) -> str:
        return self._("规上") if above else self._("规下")


def export_workbook(session: Session, filters: Filters, path: Path, lang: str, industries: IndustryTable,
                    progress: Progress | None = None) -> Exported:
    """Write the 调度表 of ``filters.month`` to ``path``; ``progress(companies done, companies)``."""
    words = _Words(lang)
    figures = monthly_figures(session, filters, lang)
    total = company_count(session, filters)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
    try:
        formats = _formats(workbook)
        _write_summary(workbook.add_worksheet(SUMMARY_SHEET), formats, words, figures)
        companies, rows = _write_ledger(workbook.add_worksheet(LEDGER_SHEET), formats, words, industries,
                                        ledger_rows(session, filters), total, progress)
    finally:
        workbook.close()
    return Exported(companies, rows, figures)


def _formats(workbook: Any) -> dict[str, Any]:
    return {"header": workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1,
                                           "text_wrap": True, "valign": "top"}),
            "title": workbook.add_format({"bold": True, "font_size": 13}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "number": workbook.add_format({"num_format": "#,##0.##"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "text": workbook.add_format({"num_format": "@"})}


def _write_summary(sheet: Any, formats: dict[str, Any], words: _Words, figures: MonthlyFigures) -> None:
    _ = words._
    filters = figures.filters
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 8, 11)
    sheet.write_string(0, 0, _("%(year)s年%(month)s月智改数转调度表", year=filters.year, month=figures.month),
                       formats["title"])
    sheet.write_string(1, 0, scope_text(words, filters))
    for column, title in enumerate(words.summary_header()):
        sheet.write_string(3, column, title, formats["header"])
    row = 4
    for target in figures.targets:
        sheet.write_string(row, 0, target.title)
        sheet.write_string(row, 1, target.unit)
        for column, value in ((2, target.goal), (3, target.new), (4, target.cumulative)):
            sheet.write_number(row, column, value, formats["number"])
        if target.rate is not None:
            sheet.write_number(row, 5, target.rate, formats["percent"])
        for column, value in ((6, target.in_progress), (7, target.planned), (8, target.potential)):
            sheet.write_number(row, column, value, formats["number"])
        row += 1
    row += 1
    sheet.write_string(row, 0, _("诊断覆盖"), formats["header"])
    sheet.write_string(row, 1, _("企业数"), formats["header"])
    labels = words.coverage_labels()
    for key in COVERAGE:
        row += 1
        sheet.write_string(row, 0, labels[key])
        sheet.write_number(row, 1, figures.coverage[key])
    sheet.write_string(row + 2, 0, _("诊断覆盖为导出时的当前数据；本月新增与累计截至 %(day)s。",
                                     day=figures.month_last.isoformat()))


def scope_text(words: _Words, filters: Filters) -> str:
    """Which companies the figures cover, in words."""
    _ = words._
    parks = [filters.park] if filters.park else list(filters.parks or ())
    scope = _("范围：%(parks)s", parks="、".join(parks)) if parks else _("范围：全区")
    extra = []
    if filters.industry_codes is not None:
        extra.append(_("所选行业"))
    if filters.provider_org_id is not None:
        extra.append(_("所选服务商"))
    return scope + ("（" + "，".join(extra) + "）" if extra else "")


def _write_ledger(sheet: Any, formats: dict[str, Any], words: _Words, industries: IndustryTable,
                  rows: Any, total: int, progress: Progress | None) -> tuple[int, int]:
    header = words.ledger_header()
    for column, (_title, width) in enumerate(header):
        cell_format = formats["text"] if column in (2, 3, 7) else None
        sheet.set_column(column, column, width, cell_format)
    for column, (title, _width) in enumerate(header):
        sheet.write_string(0, column, title, formats["header"])
    sheet.freeze_panes(1, 2)
    names = _Names(words, industries)
    companies = written = 0
    last_company: int | None = None
    for item in rows:
        written += 1
        if item.company_id != last_company:
            last_company, companies = item.company_id, companies + 1
            if progress is not None and companies % PROGRESS_EVERY == 0:
                progress(companies, total)
        _write_ledger_row(sheet, written, item, formats, names)
    sheet.autofilter(0, 0, max(written, 1), len(header) - 1)
    if progress is not None:
        progress(companies, total)
    return companies, written


class _Names:
    """Labels of codes, looked up once each."""

    def __init__(self, words: _Words, industries: IndustryTable) -> None:
        self.words, self.industries = words, industries
        self.cache: dict[tuple[str, str], str] = {}
        self.kinds, self.recognitions = catalogue().project_kinds, catalogue().recognitions

    def industry(self, code: str) -> str:
        key = ("industry", code)
        if key not in self.cache:
            industry = self.industries.get(code)
            self.cache[key] = text(industry.name, self.words.lang) if industry else ""
        return self.cache[key]

    def kind(self, kind: str) -> str:
        return text(self.kinds[kind].title, self.words.lang) if kind in self.kinds else kind

    def recognition(self, kind: str) -> str:
        return text(self.recognitions[kind].title, self.words.lang) if kind in self.recognitions else kind


def _write_ledger_row(sheet: Any, row: int, item: LedgerRow, formats: dict[str, Any], names: _Names) -> None:
    strings = ((0, item.park), (1, item.name), (2, item.credit_code), (3, item.industry_code),
               (4, names.industry(item.industry_code)), (5, names.words.size(item.above_designated_size)),
               (6, item.contact_name), (7, item.contact_phone), (14, item.provider or ""))
    for column, value in strings:
        if value:
            sheet.write_string(row, column, value)
    for column, day in ((8, item.self_on), (11, item.verified_on)):
        if day is not None:
            sheet.write_datetime(row, column, day, formats["date"])
    for column, level in ((9, item.self_sme), (10, item.self_cmmm), (12, item.verified_sme),
                          (13, item.verified_cmmm)):
        if level is not None:
            sheet.write_number(row, column, level)
    if item.project_id is None:
        return
    sheet.write_string(row, 15, names.kind(str(item.project_kind)))
    sheet.write_string(row, 16, str(item.project_name))
    if item.project_provider:
        sheet.write_string(row, 17, item.project_provider)
    sheet.write_string(row, 18, names.words.status(str(item.status)))
    for column, money in ((19, item.planned_investment), (20, item.investment_to_date)):
        if money is not None:
            sheet.write_number(row, column, float(money), formats["money"])
    if item.quantity is not None:
        sheet.write_number(row, 21, item.quantity)
    if item.recognitions:
        sheet.write_string(row, 22, "；".join(f"{names.recognition(found.kind)} {found.on.isoformat()}"
                                             for found in item.recognitions))
