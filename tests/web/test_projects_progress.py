"""Monthly progress: the report becomes the project's status and investment and joins its history; a
report made from a page another report has since changed is refused (409) and overwrites nothing;
evidence documents are judged by their content and downloaded only by those who see the company."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from diagnosis.store.projects import ProjectDocument, ProjectProgress
from tests.web.test_evidence_files import PDF
from tests.web.test_projects import build_world, field_errors, make_project, multipart

THIS_MONTH = date.today().strftime("%Y-%m")


def unique_pdf() -> bytes:
    return PDF.replace(b"%%EOF", f"% {uuid.uuid4()}\n%%EOF".encode())


def report(
    month: str = THIS_MONTH,
    status: str = "in_progress",
    invested: str = "40",
    note: str = "设备到货",
    revision: int = 0,
) -> dict[str, str]:
    return {
        "month": month,
        "status": status,
        "investment_to_date": invested,
        "note": note,
        "revision": str(revision),
    }


def reports(db_session, project) -> list[ProjectProgress]:
    return list(
        db_session.scalars(
            select(ProjectProgress)
            .where(ProjectProgress.project_id == project.id)
            .order_by(ProjectProgress.id)
        )
    )


@pytest.fixture
def world(db_session, make_user, make_company):
    return build_world(db_session, make_user, make_company)


@pytest.fixture
def project(db_session, world):
    return make_project(
        db_session, world.company, world.users["company"], kind="robot", quantity=3, name="机器人上下料"
    )


def post_report(client, csrf_token, project, fields, uploads=()):
    return multipart(
        client,
        csrf_token,
        f"/projects/{project.id}/progress",
        fields,
        uploads,
        page=f"/projects/{project.id}",
    )


def test_a_report_becomes_the_projects_status_and_joins_its_history(
    client, login, csrf_token, db_session, world, project
):
    login(client, world.users["company"])
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'value="{THIS_MONTH}"' in page and 'type="month"' in page
    first = post_report(client, csrf_token, project, report(month="2026-01", invested="40", note="一月"))
    assert first.status_code == 303
    login(client, world.users["lead"])
    second = post_report(
        client,
        csrf_token,
        project,
        report(status="completed", invested="118.25", note="二月验收准备", revision=1),
    )
    assert second.status_code == 303
    db_session.expire_all()
    assert (project.status, project.investment_to_date, project.revision) == (
        "completed",
        Decimal("118.25"),
        2,
    )
    history = reports(db_session, project)
    assert [(r.month, r.status, r.user_id) for r in history] == [
        (date(2026, 1, 1), "in_progress", world.users["company"].id),
        (date.today().replace(day=1), "completed", world.users["lead"].id),
    ]
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert html.index("二月验收准备") < html.index("一月")  # newest first
    assert "已完成" in html and "118.25" in html
    # On a phone the history scrolls sideways inside its wrapper instead of widening the page.
    assert re.search(r'<div class="table-wrap">\s*<table class="table table--wide" id="history-table">', html)


def test_a_stale_report_is_refused_and_keeps_both(client, login, csrf_token, db_session, world, project):
    login(client, world.users["company"])
    assert post_report(client, csrf_token, project, report(invested="40", note="公司填报")).status_code == 303
    login(client, world.users["diagnostician"])
    stale = post_report(
        client, csrf_token, project, report(status="stopped", invested="55.5", note="服务商填报")
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "其他人已更新" in html and "实施中" in html and "40.00" in html  # the current values
    assert 'value="55.5"' in html and "服务商填报" in html  # and the user's, still in the form
    assert 'name="revision" type="hidden" value="1"' in html
    db_session.expire_all()
    assert (project.status, project.investment_to_date) == ("in_progress", Decimal("40.00"))
    assert [r.note for r in reports(db_session, project)] == ["公司填报"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"investment_to_date": "四十"}, "investment_to_date", "请填写数字"),
        ({"investment_to_date": "-1"}, "investment_to_date", "不能为负数"),
        ({"investment_to_date": ""}, "investment_to_date", "请填写累计完成投资"),
        ({"month": "2099-12"}, "month", "不能晚于本月"),
        ({"month": "2026年3月"}, "month", "年-月"),
        ({"status": "done"}, "status", "请从列表中选择状态"),
        ({"note": "字" * 2001}, "note", "最多 2000 个字"),
    ],
)
def test_bad_reports_are_a_message_at_the_field(
    client, login, csrf_token, db_session, world, project, fields, field, message
):
    login(client, world.users["company"])
    response = post_report(client, csrf_token, project, {**report(), **fields})
    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field)
    db_session.expire_all()
    assert (project.status, project.revision, reports(db_session, project)) == ("planned", 0, [])


def test_evidence_is_stored_and_downloaded_as_an_attachment(
    app, client, login, csrf_token, db_session, world, project
):
    login(client, world.users["company"])
    content = unique_pdf()
    response = post_report(client, csrf_token, project, report(), [(content, "到货验收单.pdf")])
    assert response.status_code == 303
    document = db_session.scalars(select(ProjectDocument)).one()
    assert document.progress_id == reports(db_session, project)[0].id
    assert (document.original_name, document.content_type, document.size) == (
        "到货验收单.pdf",
        "application/pdf",
        len(content),
    )
    stored = Path(app.config["DIAGNOSIS_STORAGE"]) / "evidence" / document.sha256[:2] / document.sha256
    assert stored.read_bytes() == content
    assert f"/project-documents/{document.id}" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    download = client.get(f"/project-documents/{document.id}")
    body = download.data
    download.close()
    assert download.status_code == 200 and body == content
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"this is only text, not a PDF\n", "报告.pdf", "按文件内容判断"),
        (PDF, "报告.exe", "扩展名"),
        (b"", "空.pdf", "文件是空的"),
    ],
)
def test_a_refused_file_saves_no_report(
    client, login, csrf_token, db_session, world, project, content, name, message
):
    login(client, world.users["company"])
    response = post_report(
        client, csrf_token, project, report(), [(unique_pdf(), "好的.pdf"), (content, name)]
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_errors(html, "files") and name in field_errors(html, "files")
    db_session.expire_all()
    assert reports(db_session, project) == [] and project.revision == 0
    assert db_session.scalar(select(func.count()).select_from(ProjectDocument)) == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("company", 200),
        ("diagnostician", 200),
        ("official", 200),
        ("official_district", 200),
        ("admin", 200),
        ("company_other", 404),
        ("provider_other", 404),
        ("official_other", 404),
    ],
)
def test_documents_go_only_to_those_who_see_the_company(
    client, login, csrf_token, db_session, world, project, who, status
):
    login(client, world.users["company"])
    post_report(client, csrf_token, project, report(), [(unique_pdf(), "照片说明.pdf")])
    document = db_session.scalars(select(ProjectDocument)).one()
    login(client, world.users[who])
    response = client.get(f"/project-documents/{document.id}")
    response.close()
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("official", 403),
        ("admin", 403),
        ("company_other", 404),
        ("provider_other", 404),
        ("official_other", 404),
    ],
)
def test_only_the_company_and_its_provider_report(
    client, login, csrf_token, db_session, world, project, who, status
):
    login(client, world.users[who])
    assert post_report(client, csrf_token, project, report()).status_code == status
    assert reports(db_session, project) == []
