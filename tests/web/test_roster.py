"""The roster upload page: check, import, import the valid rows (the file kept server-side by its hash),
an official's parks, the template download, and a roster company taken over by its registration."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from diagnosis.store.accounts import User
from diagnosis.store.companies import Company
from tests.pipeline.roster_files import HEADER, csv_bytes, good_row, xlsx_bytes
from tests.support import credit_code
from tests.web.test_company_registration import valid_form


def by_code(db_session: Any, code: str) -> Company | None:
    db_session.expire_all()
    return db_session.scalar(select(Company).where(Company.credit_code == code))


def count(db_session: Any) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Company))


@pytest.fixture
def official(client, login, make_user):
    user = make_user(role="official", regions=["家居产业园"])
    login(client, user)
    return user


def upload(client, csrf_token, data: bytes, button: str = "check", name: str = "名录.csv"):
    token = csrf_token(client, "/roster/")
    return client.post("/roster/", data={"csrf_token": token, button: "1", "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page) or re.search(
        rf'type="hidden" name="{name}" value="([^"]*)"', page) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden {name}"
    return match.group(1)


def test_check_lists_every_bad_row_and_imports_the_valid_rows_on_request(
        app, client, official, csrf_token, db_session):
    data = csv_bytes([good_row(1), good_row(2, industry_code="9999"), good_row(3, park="化工园区"),
                      good_row(4)])
    before = count(db_session)
    response = upload(client, csrf_token, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("<td>3</td><td>行业代码</td>"
            "<td>“9999”不在平台的国民经济行业分类（GB/T 4754）小类表中。</td>") in page
    assert "<td>4</td><td>园区</td><td>“化工园区”不在您负责的园区范围内，不能导入。</td>" in page
    assert count(db_session) == before
    file_id = hidden(page, "file_id")
    assert file_id == hashlib.sha256(data).hexdigest()
    stored = Path(app.config["DIAGNOSIS_STORAGE"]) / "roster" / file_id
    assert stored.read_bytes() == data

    token = csrf_token(client, "/roster/")
    response = client.post("/roster/", data={"csrf_token": token, "file_id": file_id, "submit": "1"})
    assert response.status_code == 200
    assert "文件中有问题的行，未导入任何企业。" in response.get_data(as_text=True)
    assert count(db_session) == before

    response = client.post("/roster/", data={"csrf_token": token, "file_id": file_id, "valid_rows": "1"})
    assert response.status_code == 302
    assert count(db_session) == before + 2
    assert by_code(db_session, credit_code(4, "91341500")) is not None
    assert by_code(db_session, credit_code(3, "91341500")) is None
    assert not stored.exists()
    message = "已导入：新增 2 家，更新 0 家；2 行有问题，未导入。"
    assert message in client.get("/roster/").get_data(as_text=True)


def test_a_good_xlsx_file_is_imported_at_once(client, official, csrf_token, db_session):
    response = upload(client, csrf_token, xlsx_bytes([good_row(1), good_row(2)]), "submit", "名录.xlsx")
    assert response.status_code == 302
    company = by_code(db_session, credit_code(2, "91341500"))
    assert company is not None and company.registered_at is None and company.imported_at is not None


@pytest.mark.parametrize(("data", "message"), [
    (b"", "文件是空的。"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
     "文件不是电子表格：请上传 Excel 工作簿（.xlsx）或 CSV 文件。"),
    (csv_bytes([good_row(1)[:3]], header=HEADER[:3]),
     "第 1 行（表头）缺少列：园区、规上、联系人、联系电话。"),
])
def test_a_file_that_is_not_a_roster_is_one_message_at_the_field(client, official, csrf_token, db_session,
                                                                  data, message):
    before = count(db_session)
    response = upload(client, csrf_token, data, "submit", "名录.xlsx")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(db_session) == before


def test_no_file_and_a_forgotten_file_are_told_apart(client, official, csrf_token):
    token = csrf_token(client, "/roster/")
    page = client.post("/roster/", data={"csrf_token": token, "check": "1"}).get_data(as_text=True)
    assert "请选择要导入的文件。" in page
    page = client.post("/roster/", data={"csrf_token": token, "submit": "1", "file_id": "a" * 64}).get_data(
        as_text=True)
    assert "检查过的文件已不在服务器上，请重新上传。" in page


def test_the_upload_needs_a_csrf_token(client, official, db_session):
    before = count(db_session)
    data = {"submit": "1", "file": (io.BytesIO(csv_bytes([good_row(1)])), "a.csv")}
    response = client.post("/roster/", data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 400)
    assert count(db_session) == before


def test_the_template_opens_with_calamine_and_has_the_header_and_drop_downs(client, official):
    response = client.get("/roster/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = CalamineWorkbook.from_object(io.BytesIO(response.data))
    rows = workbook.get_sheet_by_name("企业名录").to_python()
    assert tuple(rows[0]) == HEADER
    assert rows[1][2] == "2110" and rows[1][3] == "家居产业园"
    sheet = zipfile.ZipFile(io.BytesIO(response.data)).read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count('<dataValidation type="list"') == 3
    assert "&apos;选项&apos;!$C$1:$C$1" in sheet or "'选项'!$C$1:$C$1" in sheet  # the official's one park


def test_the_template_example_row_passes_the_check_but_its_name_asks_to_delete_it(
        client, official, csrf_token):
    template = client.get("/roster/template.xlsx").data
    page = upload(client, csrf_token, template, "check", "模板.xlsx").get_data(as_text=True)
    assert "有问题的行</dt><dd>0</dd>" in page


def test_a_roster_company_is_taken_over_by_its_registration(client, post_form, make_company, db_session):
    listed = make_company(credit_code=credit_code(900001), name="名录里的名称", employees=None,
                          revenue_band=None, registered_at=None, imported_at=datetime(2026, 1, 5, tzinfo=UTC))
    listed_id = listed.id
    response = post_form(client, "/register", valid_form(), page="/register")
    assert response.status_code == 302
    company = by_code(db_session, credit_code(900001))
    assert company is not None and company.id == listed_id
    assert company.name == "六安市某某家居有限公司" and company.employees == 230
    assert company.revenue_band == "100m_400m" and company.registered_at is not None
    assert company.imported_at is not None and company.imported_at.date() == date(2026, 1, 5)
    user = db_session.scalar(select(User).where(User.company_id == listed_id))
    assert user is not None and user.email == "li.qiang@example.cn"


def test_a_company_with_users_is_still_refused(client, post_form, make_company, make_user, db_session):
    taken = make_company(credit_code=credit_code(900001), registered_at=None)
    make_user(role="company", company=taken)
    response = post_form(client, "/register", valid_form(email="other@example.cn"), page="/register")
    assert response.status_code == 200
    assert "该统一社会信用代码已注册。" in response.get_data(as_text=True)


def test_a_new_registration_is_registered_now(client, post_form, db_session):
    post_form(client, "/register", valid_form(), page="/register")
    company = by_code(db_session, credit_code(900001))
    assert company is not None and company.registered_at is not None and company.imported_at is None


def test_a_roster_company_profile_shows_what_is_missing_and_its_journey(client, login, make_user,
                                                                        make_company):
    listed = make_company(employees=None, revenue_band=None, registered_at=None)
    login(client, make_user(role="official", regions=["家居产业园"]))
    page = client.get(f"/company/{listed.id}").get_data(as_text=True)
    assert page.count("未填写") == 2
    assert 'id="journey"' in page and "下一步：企业注册" in page
