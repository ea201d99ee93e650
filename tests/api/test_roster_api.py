"""The roster import through the API: a dry run reports every bad cell and imports nothing; an import
of a file with bad rows imports nothing (422, the counts beside the errors) unless the valid rows
are chosen; what was imported is read back from the database. A file that is not a roster is one 422
at files.file; a body over the upload limit 413; the official's parks as on the page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnosis.store.companies import Company
from tests.api.conftest import Multipart, call
from tests.pipeline.roster_files import csv_bytes, good_row, xlsx_bytes
from tests.support import credit_code

URL = "/api/v1/roster"


def send(client, token: str, data: bytes, name: str = "名录.csv", headers: dict | None = None, **values: str):
    body = Multipart(values, {"file": [(data, name)]})
    return call(client, "POST", URL, token, headers=headers or {}, **body.request())


def count(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Company))


def by_code(db_session, code: str) -> Company | None:
    db_session.expire_all()
    return db_session.scalar(select(Company).where(Company.credit_code == code))


def mixed() -> bytes:
    """Rows 2 and 5 good; row 3 an unknown industry; row 4 a park outside 家居产业园 (the official's)."""
    rows = [good_row(1), good_row(2, industry_code="9999"), good_row(3, park="化工园区"), good_row(4)]
    return csv_bytes(rows)


def code(seq: int) -> str:
    return credit_code(seq, "91341500")


EXPECTED_ERRORS = [
    {"field": "files.file.row.3.industry_code", "row": 3, "column": "行业代码",
     "reason": "“9999”不在平台的国民经济行业分类（GB/T 4754）小类表中。"},
    {"field": "files.file.row.4.park", "row": 4, "column": "园区",
     "reason": "“化工园区”不在您负责的园区范围内，不能导入。"},
]


def test_a_dry_run_reports_every_bad_row_and_imports_nothing(client, api_world, db_session):
    before = count(db_session)
    response = send(client, api_world["tokens"]["official"], mixed(), dry_run="true")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["dry_run"], body["imported"], body["would_import"], body["refused_rows"]) == (True, 0, 2, 2)
    assert body["counts"] == {"rows": 4, "new": 2, "updated": 0, "unchanged": 0, "registered": 0, "bad": 2}
    assert body["errors"] == EXPECTED_ERRORS
    assert count(db_session) == before


def test_bad_rows_refuse_the_whole_import(client, api_world, db_session):
    before = count(db_session)
    response = send(client, api_world["tokens"]["official"], mixed())
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == 422 and body["errors"] == EXPECTED_ERRORS
    assert body["counts"]["bad"] == 2 and body["counts"]["new"] == 2
    assert count(db_session) == before
    assert by_code(db_session, code(1)) is None


def test_valid_rows_imports_the_good_rows_only(client, api_world, db_session):
    before = count(db_session)
    response = send(client, api_world["tokens"]["official"], mixed(), valid_rows="true")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["dry_run"], body["imported"], body["refused_rows"]) == (False, 2, 2)
    assert [error["field"] for error in body["errors"]] == [error["field"] for error in EXPECTED_ERRORS]
    assert count(db_session) == before + 2
    first = by_code(db_session, code(1))
    assert first is not None
    assert (first.name, first.industry_code, first.park, first.above_designated_size, first.contact_name,
            first.contact_phone) == ("名录企业1", "2110", "家居产业园", True, "王经理", "0564-3311223")
    assert first.imported_at is not None and first.registered_at is None
    assert by_code(db_session, code(4)) is not None
    assert by_code(db_session, code(2)) is None and by_code(db_session, code(3)) is None


def test_a_clean_workbook_is_imported_and_a_second_time_changes_nothing(client, api_world, db_session):
    token = api_world["tokens"]["admin"]
    data = xlsx_bytes([good_row(11), good_row(12, park="化工园区", size="否")], title="2026 年企业名录")
    response = send(client, token, data, name="名录.xlsx")
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["imported"], response.get_json()["errors"]) == (2, [])
    second = by_code(db_session, code(12))
    assert second is not None and (second.park, second.above_designated_size) == ("化工园区", False)
    again = send(client, token, data, name="名录.xlsx").get_json()
    assert (again["imported"], again["counts"]["unchanged"]) == (0, 2)


def test_a_roster_record_is_updated_and_a_registered_company_left_alone(client, api_world, db_session):
    listed = api_world["company"]  # registered: the roster never changes it
    data = csv_bytes([good_row(21), good_row(22, credit_code=listed.credit_code, name="改名企业")])
    send(client, api_world["tokens"]["official"], data)
    response = send(client, api_world["tokens"]["official"], csv_bytes([good_row(21, name="新名称")]))
    assert response.get_json()["counts"]["updated"] == 1
    assert by_code(db_session, code(21)).name == "新名称"
    assert by_code(db_session, listed.credit_code).name == listed.name


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b"", "名录.csv", "文件是空的。"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "名录.csv",
     "文件不是电子表格：请上传 Excel 工作簿（.xlsx）或 CSV 文件。"),
    (b"PK\x03\x04 not really a zip", "名录.xlsx", "文件不是有效的 Excel 工作簿（.xlsx）。"),
    ("名称,地址\r\n甲,乙\r\n".encode(), "名录.csv", None),
    (b"a" * (10 * 1024 * 1024 + 1), "名录.csv", "文件超过 10 MB，请分成几个文件导入。"),
])
def test_a_file_that_is_not_a_roster_is_one_error_at_the_file(client, api_world, db_session, data, name,
                                                               reason):
    before = count(db_session)
    response = send(client, api_world["tokens"]["official"], data, name=name)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "files.file"
    assert reason is None or error["reason"] == reason
    assert count(db_session) == before


def test_a_body_over_the_upload_limit_is_413_at_the_file(app, client, api_world, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = send(client, api_world["tokens"]["official"], csv_bytes([good_row(n) for n in range(1, 200)]))
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["field"] == "files.file"


def test_the_form_is_checked(client, api_world):
    token = api_world["tokens"]["official"]
    no_file = call(client, "POST", URL, token, **Multipart({"dry_run": "true"}).request())
    assert no_file.status_code == 422
    assert [error["field"] for error in no_file.get_json()["errors"]] == ["files.file"]
    for values, field in (({"dry_run": "perhaps"}, "files.dry_run"), ({"mode": "x"}, "files.mode")):
        response = send(client, token, csv_bytes([good_row(1)]), **values)
        assert response.status_code == 422, values
        assert [error["field"] for error in response.get_json()["errors"]] == [field]
    as_json = call(client, "POST", URL, token, json={"file": "a,b"})
    assert as_json.status_code == 422


def test_a_file_in_another_field_is_refused(client, api_world):
    body = Multipart({}, {"file": [(csv_bytes([good_row(1)]), "名录.csv")], "dry_run": [(b"true", "x.txt")]})
    response = call(client, "POST", URL, api_world["tokens"]["official"], **body.request())
    assert response.status_code == 400 and response.is_json


def test_only_officials_and_admins_import(client, api_world, db_session):
    before = count(db_session)
    for role in ("company_own", "provider", "provider_other"):
        response = send(client, api_world["tokens"][role], csv_bytes([good_row(31)]))
        assert response.status_code == 403, role
    assert count(db_session) == before


def test_an_idempotency_key_replays_the_import(client, api_world, db_session):
    token, data = api_world["tokens"]["official"], csv_bytes([good_row(41), good_row(42)])
    first = send(client, token, data, headers={"Idempotency-Key": "roster-1"})
    assert first.status_code == 201 and first.get_json()["imported"] == 2
    replay = send(client, token, data, name="名录.csv", headers={"Idempotency-Key": "roster-1"})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == first.get_json()
    other = send(client, token, csv_bytes([good_row(43)]), headers={"Idempotency-Key": "roster-1"})
    assert other.status_code == 422
    assert other.get_json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert by_code(db_session, code(43)) is None
