"""`flask roster import`: every bad row named by row and column, nothing imported while a row is bad,
--dry-run and --valid-rows, .xlsx (numbers as calamine returns them) and CSV (UTF-8, BOM, GBK), files
that are not rosters, and what the roster may change in the database."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from diagnosis.pipeline.roster import Limits, RosterFileError, RosterScope, check_roster
from diagnosis.pipeline.roster_cells import CellError, contact_phone, industry_code
from diagnosis.store.companies import Company
from diagnosis.web.bundle import current_bundle
from tests.pipeline.roster_files import HEADER, csv_bytes, good_row, xlsx_bytes
from tests.support import credit_code


@pytest.fixture
def run(app: Any, db_session: Any, tmp_path: Path):
    """run(data, *options, name="roster.csv") -> (exit code, output lines)."""

    def invoke(data: bytes, *options: str, name: str = "roster.csv") -> tuple[int, list[str]]:
        path = tmp_path / name
        path.write_bytes(data)
        result = app.test_cli_runner().invoke(args=["roster", "import", str(path), *options])
        lines = [line.replace(str(tmp_path) + "/", "") for line in result.output.splitlines()]
        return result.exit_code, lines

    return invoke


def companies(db_session: Any) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Company))


def by_code(db_session: Any, code: str) -> Company | None:
    db_session.expire_all()
    return db_session.scalar(select(Company).where(Company.credit_code == code))


def test_a_good_csv_file_imports_every_company_as_not_yet_registered(run, db_session):
    rows = [good_row(1), good_row(2, park="化工园区", size="否", industry_code="2614")]
    code, lines = run(csv_bytes(rows))
    assert code == 0, lines
    assert "roster.csv: 2 行：新增 2，更新 0，无变化 0，已注册（名录不修改）0，有问题 0" in lines
    company = by_code(db_session, credit_code(2, "91341500"))
    assert company is not None
    assert (company.name, company.industry_code, company.park, company.above_designated_size) == (
        "名录企业2", "2614", "化工园区", False)
    assert company.contact_phone == "0564-3311223"
    assert company.imported_at is not None and company.registered_at is None
    assert company.employees is None and company.revenue_band is None


BAD_ROWS = [
    (good_row(1, credit_code=credit_code(1, "91341500")[:-1] + "0"),
     "第2行 统一社会信用代码: 校验位不正确：按前 17 位计算，第 18 位应为 B，实为 0。"),
    (good_row(2, credit_code="91341500123"), "第3行 统一社会信用代码: 应为 18 位，实为 11 位。"),
    (good_row(3, credit_code="91341500000000O19B"),
     "第4行 统一社会信用代码: 第 15 位的“O”不是有效字符（只能是数字和除 I、O、S、V、Z 以外的大写字母）。"),
    (good_row(4, credit_code="9.13415E+17"),
     "第5行 统一社会信用代码: 代码被当成了数字（Excel 会把 18 位代码改成科学计数法，后几位已丢失）："
     "请把这一列设为“文本”格式后重新填写代码。"),
    (good_row(5, industry_code="9999"),
     "第6行 行业代码: “9999”不在平台的国民经济行业分类（GB/T 4754）小类表中。"),
    (good_row(6, park="月球"),
     "第7行 园区: “月球”不是平台的园区或乡镇（街道），应为：经济开发区、家居产业园、化工园区、史河街道、"
     "平岗街道、孙岗乡、三元镇、姚李镇、洪集镇。"),
    (good_row(7, size="可能"), "第8行 规上: “可能”无法识别，请填“是”（规模以上）或“否”。"),
    (good_row(8, name=""), "第9行 企业名称: 必填，不能为空。"),
    (good_row(9, contact_phone="电话"),
     "第10行 联系电话: “电话”不是有效的电话号码（手机或座机，可含区号和“-”）。"),
    (good_row(10, contact_name=""), "第11行 联系人: 必填，不能为空。"),
]


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_imported(run, db_session):
    before = companies(db_session)
    rows = [row for row, _message in BAD_ROWS] + [good_row(20)]
    code, lines = run(csv_bytes(rows))
    assert code == 1
    for _row, message in BAD_ROWS:
        assert f"roster.csv: {message}" in lines
    assert "roster.csv: 11 行：新增 1，更新 0，无变化 0，已注册（名录不修改）0，有问题 10" in lines
    assert "有问题的行未改正前不导入任何企业（或加 --valid-rows 只导入没有问题的行）。" in lines
    assert companies(db_session) == before


def test_a_duplicate_credit_code_is_reported_on_both_rows(run, db_session):
    rows = [good_row(1), good_row(2), good_row(1, name="重复的企业"), good_row(3)]
    code, lines = run(csv_bytes(rows))
    assert code == 1
    assert "roster.csv: 第2行 统一社会信用代码: 与第 4 行重复。" in lines
    assert "roster.csv: 第4行 统一社会信用代码: 与第 2 行重复。" in lines


def test_dry_run_reports_and_changes_nothing(run, db_session):
    before = companies(db_session)
    code, lines = run(csv_bytes([good_row(1), good_row(2)]), "--dry-run")
    assert code == 0
    assert "roster.csv: 2 行：新增 2，更新 0，无变化 0，已注册（名录不修改）0，有问题 0" in lines
    assert "仅检查，未导入任何企业。" in lines
    assert companies(db_session) == before


def test_valid_rows_imports_only_the_good_rows(run, db_session):
    rows = [good_row(1), good_row(2, park="月球"), good_row(3)]
    code, lines = run(csv_bytes(rows), "--valid-rows")
    assert code == 1  # a row was bad and is not imported
    assert "已导入：新增 2 家，更新 0 家。" in lines
    assert by_code(db_session, credit_code(1, "91341500")) is not None
    assert by_code(db_session, credit_code(2, "91341500")) is None
    assert by_code(db_session, credit_code(3, "91341500")) is not None


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_csv_in_the_encodings_excel_writes(run, db_session, encoding):
    code, lines = run(csv_bytes([good_row(1, name="六安市裕安区某某家居有限公司")], encoding=encoding))
    assert code == 0, lines
    company = by_code(db_session, credit_code(1, "91341500"))
    assert company is not None and company.name == "六安市裕安区某某家居有限公司"


def test_xlsx_numbers_are_normalised_or_refused_where_digits_were_lost(run, db_session):
    rows = [
        good_row(1, industry_code=2110, contact_phone=13800138000),  # 2110.0 and 13800138000.0
        good_row(2, credit_code=913415000000000291),  # an 18-digit code typed into a number cell
        good_row(3, contact_phone=5643311223),  # the landline's leading 0 is gone
    ]
    code, lines = run(xlsx_bytes(rows, title="裕安区工业企业名录（2026）"), name="名录.xlsx")
    assert code == 1
    # A title row above the header: the header is row 2, the data rows 3-5, as the spreadsheet shows.
    assert ("名录.xlsx: 第4行 统一社会信用代码: 代码被当成了数字（Excel 会把 18 位代码改成科学计数法，"
            "后几位已丢失）：请把这一列设为“文本”格式后重新填写代码。") in lines
    assert ("名录.xlsx: 第5行 联系电话: 电话号码被当成了数字（区号前的 0 可能已丢失）："
            "请把这一列设为“文本”格式后重新填写。") in lines
    assert "名录.xlsx: 3 行：新增 1，更新 0，无变化 0，已注册（名录不修改）0，有问题 2" in lines
    code, lines = run(xlsx_bytes(rows[:1]), "--valid-rows", name="good.xlsx")
    company = by_code(db_session, credit_code(1, "91341500"))
    assert code == 0 and company is not None
    assert (company.industry_code, company.contact_phone) == ("2110", "13800138000")


def test_cells_keep_leading_zeros_and_refuse_what_lost_them():
    assert industry_code(111.0) == "0111"
    assert industry_code("111") == "0111"
    assert industry_code("0111") == "0111"
    with pytest.raises(CellError):
        industry_code(2110.5)
    assert contact_phone("0564-3311223") == "0564-3311223"
    with pytest.raises(CellError):
        contact_phone(5643311223.0)


def test_an_unregistered_roster_record_is_updated_and_a_registered_company_is_not(
        run, db_session, make_company, make_user):
    listed = make_company(credit_code=credit_code(1, "91341500"), name="旧名称", registered_at=None)
    registered = make_company(credit_code=credit_code(2, "91341500"), name="自己维护的名称")
    make_user(role="company", company=registered)
    imported_at = listed.imported_at
    code, lines = run(csv_bytes([good_row(1, name="新名称"), good_row(2, name="名录里的名称"), good_row(3)]))
    assert code == 0, lines
    assert "roster.csv: 3 行：新增 1，更新 1，无变化 0，已注册（名录不修改）1，有问题 0" in lines
    assert by_code(db_session, listed.credit_code).name == "新名称"
    assert by_code(db_session, listed.credit_code).imported_at == imported_at
    assert by_code(db_session, registered.credit_code).name == "自己维护的名称"
    code, lines = run(csv_bytes([good_row(1, name="新名称")]))
    assert "roster.csv: 1 行：新增 0，更新 0，无变化 1，已注册（名录不修改）0，有问题 0" in lines


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.csv", "文件是空的。"),
    (b"\xef\xbb\xbf\r\n\r\n", "blank.csv", "文件是空的。"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "photo.xlsx",
     "文件不是电子表格：请上传 Excel 工作簿（.xlsx）或 CSV 文件。"),
    (csv_bytes([], header=HEADER), "header_only.csv", "表头下面没有企业数据。"),
    (csv_bytes([good_row(1)[:5]], header=HEADER[:5]), "short.csv",
     "第 1 行（表头）缺少列：联系人、联系电话。"),
    (csv_bytes([["a", "b"]], header=["甲", "乙"]), "other.csv",
     "找不到表头：第一行应为 企业名称、统一社会信用代码、行业代码、园区、规上、联系人、联系电话。"),
])
def test_a_file_that_is_not_a_roster_gets_one_message_and_changes_nothing(run, db_session, data, name,
                                                                            message):
    before = companies(db_session)
    code, lines = run(data, name=name)
    assert code == 1
    assert lines == [f"{name}: {message}"]
    assert companies(db_session) == before


def zip_with(entries: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return output.getvalue()


def scope() -> RosterScope:
    return RosterScope(("家居产业园", "化工园区"), None, current_bundle().industries)


@pytest.mark.parametrize(("data", "limits", "message"), [
    (zip_with({"word/document.xml": b"<w/>"}), Limits(),
     "文件不是 Excel 工作簿（.xlsx）：请用 Excel 或 WPS 另存为 .xlsx 或 .csv 后再导入。"),
    (zip_with({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": bytes(100_000)}),
     Limits(max_unpacked_bytes=50_000), "工作簿解压后过大，无法导入：请只保留企业名录一个工作表。"),
    (b"a," * 600_000, Limits(max_bytes=1024 * 1024), "文件超过 1 MB，请分成几个文件导入。"),
    (csv_bytes([good_row(n) for n in range(1, 6)]), Limits(max_rows=4),
     "文件超过 4 行，请分成几个文件导入。"),
    (b"PK\x03\x04 not really a zip", Limits(), "文件不是有效的 Excel 工作簿（.xlsx）。"),
])
def test_zip_bombs_huge_files_and_broken_workbooks_are_refused(app, db_session, data, limits, message):
    with app.test_request_context(), pytest.raises(RosterFileError) as refused:
        check_roster(db_session, data, scope(), limits)
    assert str(refused.value) == message


def test_an_officials_scope_makes_a_row_of_another_park_a_row_error(app, db_session):
    with app.test_request_context():
        own = RosterScope(("家居产业园", "化工园区"), ["家居产业园"], current_bundle().industries)
        plan = check_roster(db_session, csv_bytes([good_row(1), good_row(2, park="化工园区")]), own)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (3, "园区", "“化工园区”不在您负责的园区范围内，不能导入。")]
    assert [values["row"] for values in plan.new] == [2]
