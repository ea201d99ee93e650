"""The 调度表 (`flask pipeline export`) and the 月度通报 read back: every summary figure equals the
dashboard's (diagnosis/pipeline/figures.py) for the same month, the ledger keeps codes and phones as
text and shows each project, the PDF shows the same numbers; the ledger streams from a few queries."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import event

from diagnosis.core.bundle import load_bundle
from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.pipeline import figures
from diagnosis.pipeline.export import LEDGER_SHEET, SUMMARY_SHEET, export_workbook
from diagnosis.pipeline.figures import Filters
from diagnosis.pipeline.ledger import ledger_rows
from diagnosis.store.projects import add_project, recognise, report_progress
from diagnosis.store.targets import set_target, year_targets
from reports.briefing import make_briefing, rate_text
from reports.charts import plain_number
from tests.pipeline.world import PARK_A, PARK_B, YEAR, build_district, company
from tests.support import furniture_company
from tests.web.review_helpers import build_review_world

HOSTILE = '<b>恶意</b> & "公司" <img src=http://example.invalid/x.png>'
DIGIT_CODE = "913415221234567890"
MOBILE = "13800001111"


@pytest.fixture
def district(db_session):
    world = build_district(db_session)
    review = build_review_world(db_session, park=PARK_B)
    hostile = furniture_company(db_session, 8500, HOSTILE, park=PARK_A, credit_code=DIGIT_CODE,
                                contact_phone=MOBILE)
    robots = add_project(db_session, hostile.id, None, kind="robot", name=HOSTILE,
                         planned_investment=Decimal("80"), quantity=2, start_on=date(YEAR, 1, 1),
                         planned_finish_on=date(YEAR, 12, 31))
    report_progress(db_session, robots, None, month=date(YEAR, 3, 1), status="completed",
                    investment_to_date=Decimal("75.5"), note="")
    recognise(db_session, robots, None, kind="robots_in_service", recognised_on=date(YEAR, 3, 28),
              reference="")
    set_target(db_session, YEAR, "robots", Decimal("12"), None)
    db_session.flush()
    return {"world": world, "review": review, "hostile": hostile, "robots": robots}


def run_export(app, tmp_path: Path, *args: str):
    output = tmp_path / "调度表.xlsx"
    result = app.test_cli_runner().invoke(args=["pipeline", "export", *args, "-o", str(output)])
    return result, output


def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def summary_rows(rows: list[list]) -> dict[str, list]:
    return {row[0]: row for row in rows if row and isinstance(row[0], str) and row[0]}


def test_cli_summary_equals_the_dashboard_figures_for_the_month(app, db_session, district, tmp_path):
    result, output = run_export(app, tmp_path, "--month", f"{YEAR}-03")
    assert result.exit_code == 0, result.output
    rows = summary_rows(sheet(output, SUMMARY_SHEET))
    filters = Filters(YEAR, month=3)
    goals = year_targets(db_session, YEAR)
    assert goals["robots"].value == 12
    for target_id, target in catalogue().targets.items():
        expected = figures.target_figures(db_session, filters, target, goals[target_id].value)
        new, cumulative = expected.months[3]
        row = rows[target.title["zh_CN"]]
        assert row[1] == target.unit["zh_CN"]
        assert row[2:5] == [goals[target_id].value, new, cumulative], target_id
        assert row[5] == (pytest.approx(cumulative / expected.goal) if expected.goal else "")
        assert row[6:9] == [expected.stages["in_progress"], expected.stages["planned"],
                            expected.stages["potential"]], target_id
    assert rows["推广应用工业机器人"][3:5] == [13, 13]  # r1 6 + r5 5 + the hostile company's 2, all in March
    coverage = figures.coverage(db_session, filters)
    for key, label in (("roster", "名录企业"), ("registered", "已注册"), ("self_assessed", "已自评"),
                       ("verified", "已核验")):
        assert rows[label][1] == coverage[key]


def test_cli_ledger_keeps_codes_as_text_and_shows_each_project(app, db_session, district, tmp_path):
    result, output = run_export(app, tmp_path, "--year", str(YEAR), "--month", f"{YEAR}-03")
    assert result.exit_code == 0, result.output
    header, *rows = sheet(output, LEDGER_SHEET)
    assert header[:3] == ["园区", "企业名称", "统一社会信用代码"]
    column = {title: index for index, title in enumerate(header)}
    hostile = [row for row in rows if row[column["企业名称"]] == HOSTILE]
    assert len(hostile) == 1
    row = hostile[0]
    assert row[column["统一社会信用代码"]] == DIGIT_CODE and isinstance(row[column["统一社会信用代码"]], str)
    assert row[column["联系电话"]] == MOBILE
    assert row[column["行业代码"]] == "2110" and row[column["行业名称"]]
    assert row[column["规上/规下"]] == "规上"
    assert row[column["项目类型"]] == "工业机器人应用" and row[column["项目名称"]] == HOSTILE
    assert row[column["状态"]] == "已完工"
    assert row[column["计划投资(万元)"]] == 80 and row[column["已完成投资(万元)"]] == 75.5
    assert row[column["数量"]] == 2
    assert row[column["验收/认定"]] == f"机器人投入使用验收 {YEAR}-03-28"
    world = district["world"]
    a1 = [row for row in rows if row[column["企业名称"]] == world.a[0].name]
    assert len(a1) == 3  # r1, c3, s1
    assert a1[0][column["自评等级（数字化水平）"]] != "" and a1[0][column["核验等级（数字化水平）"]] != ""
    assert "市级数字化车间 2026-03-15" in {row[column["验收/认定"]] for row in a1}
    reviewed = [row for row in rows if row[column["企业名称"]] == district["review"].company.name]
    assert reviewed[0][column["诊断服务商"]] == district["review"].org.name
    assert isinstance(reviewed[0][column["自评日期"]], date)
    roster = [row for row in rows if row[column["企业名称"]] == world.a[4].name]
    assert roster[0][column["项目类型"]] == "" and roster[0][column["自评日期"]] == ""
    companies = figures.coverage(db_session, Filters(YEAR))["roster"]
    assert len({row[column["统一社会信用代码"]] for row in rows}) == companies
    assert f"{companies} companies" in result.output


def test_bad_month_is_a_usage_error_naming_the_option(app, tmp_path):
    for args in (("--month", "2026-13"), ("--month", "March"), ("--year", "2025", "--month", "2026-03")):
        result, output = run_export(app, tmp_path, *args)
        assert result.exit_code == 2, result.output
        assert "'--month'" in result.output
        assert not output.exists()


def test_a_scoped_export_holds_only_the_parks_companies(app, db_session, district, tmp_path):
    output = tmp_path / "a.xlsx"
    filters = Filters(YEAR, parks=(PARK_A,), month=3)
    exported = export_workbook(db_session, filters, output, "zh_CN", load_bundle().industries)
    header, *rows = sheet(output, LEDGER_SHEET)
    assert {row[0] for row in rows} == {PARK_A}
    assert exported.companies == figures.coverage(db_session, filters)["roster"]
    assert summary_rows(sheet(output, SUMMARY_SHEET))["推广应用工业机器人"][4] == 8  # r1 6 + hostile 2


def test_ledger_streams_from_one_query_whatever_the_number_of_companies(db_session, district):
    for _ in range(30):
        company(db_session, PARK_A)
    db_session.flush()
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    connection = db_session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        rows = list(ledger_rows(db_session, Filters(YEAR)))
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert len(rows) > 40
    assert len(statements) == 1


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_briefing_shows_the_same_numbers_for_the_month(app, db_session, district, tmp_path):
    filters = Filters(YEAR, month=3)
    text = pdf_text(make_briefing(db_session, filters, "zh_CN"), tmp_path)
    assert f"{YEAR}年3月" in text and "智改数转工作月度通报" in text
    goals = year_targets(db_session, YEAR)
    for target_id, target in catalogue().targets.items():
        expected = figures.target_figures(db_session, filters, target, goals[target_id].value)
        new, cumulative = expected.months[3]
        stages = [plain_number(expected.stages[stage]) for stage in ("in_progress", "planned", "potential")]
        numbers = [plain_number(goals[target_id].value), plain_number(new), plain_number(cumulative),
                   rate_text(expected.rate(cumulative)), *stages]
        pattern = re.escape(target.unit["zh_CN"]) + r"\s+" + r"\s+".join(map(re.escape, numbers))
        assert re.search(pattern, text), (target_id, numbers)
    assert re.search(r"推广应用工业机器人\s+台\s+12\s+13\s+13\s+108\.3%", text)
    coverage = figures.coverage(db_session, filters)
    assert re.search(rf"已核验\s+{coverage['verified']}\s", text)
    assert HOSTILE in text.replace("\n", " ") or "<b>恶意</b>" in text


def test_briefing_in_english(db_session, district, tmp_path):
    text = pdf_text(make_briefing(db_session, Filters(YEAR, month=3), "en"), tmp_path)
    assert "robots" in text
