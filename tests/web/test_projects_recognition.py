"""The official's acceptance or recognition (验收 / 认定): recorded by an official for a company in their
parks (or an admin), with an optional document; outside their parks 404, other roles 403. A recorded
recognition is what makes a project count as done on the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from diagnosis.pipeline.figures import Cell, Filters, figure
from diagnosis.store.projects import ProjectDocument, ProjectRecognition
from tests.web.test_projects import build_world, field_errors, make_project, multipart
from tests.web.test_projects_progress import unique_pdf

TODAY = date.today()


@pytest.fixture
def world(db_session, make_user, make_company):
    return build_world(db_session, make_user, make_company)


@pytest.fixture
def project(db_session, world):
    return make_project(
        db_session, world.company, world.users["company"], kind="robot", quantity=6, name="焊接机器人"
    )


def recognise(client, csrf_token, project, uploads=(), **fields: str):
    data = {
        "kind": "robots_in_service",
        "recognised_on": TODAY.isoformat(),
        "reference": "叶经信〔2026〕12 号",
        **fields,
    }
    return multipart(
        client,
        csrf_token,
        f"/projects/{project.id}/recognitions",
        data,
        uploads,
        page=f"/projects/{project.id}",
    )


def recognitions(db_session) -> list[ProjectRecognition]:
    return list(db_session.scalars(select(ProjectRecognition)))


def robots_done(db_session) -> float:
    return figure(db_session, Filters(year=TODAY.year), Cell("target", "robots", "done"))


@pytest.mark.parametrize("who", ["official", "official_district", "admin"])
def test_a_recognition_makes_the_project_count_as_done(
    client, login, csrf_token, db_session, world, project, who
):
    assert robots_done(db_session) == 0
    login(client, world.users[who])
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "记录验收 / 认定" in page and "机器人投入使用验收" in page
    assert "上云三星级" not in page  # only the recognitions of the project's kind are offered
    response = recognise(client, csrf_token, project, [(unique_pdf(), "验收意见.pdf")])
    assert response.status_code == 303
    recognition = recognitions(db_session)[0]
    assert (
        recognition.kind,
        recognition.recognised_on,
        recognition.company_id,
        recognition.recorded_by_id,
    ) == ("robots_in_service", TODAY, world.company.id, world.users[who].id)
    assert db_session.scalars(select(ProjectDocument)).one().recognition_id == recognition.id
    assert robots_done(db_session) == 6  # the project's count of robots
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "叶经信〔2026〕12 号" in html and "验收意见.pdf" in html


def test_the_document_is_optional(client, login, csrf_token, db_session, world, project):
    login(client, world.users["official"])
    assert recognise(client, csrf_token, project, reference="").status_code == 303
    assert db_session.scalar(select(func.count()).select_from(ProjectDocument)) == 0
    assert "未附文件" in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_out_of_the_officials_parks_is_not_found(client, login, csrf_token, db_session, world, project):
    login(client, world.users["official_other"])
    assert client.get(f"/projects/{project.id}").status_code == 404
    assert recognise(client, csrf_token, project).status_code == 404
    assert recognitions(db_session) == [] and robots_done(db_session) == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("company", 403),
        ("lead", 403),
        ("diagnostician", 403),
        ("company_other", 404),
        ("provider_other", 404),
    ],
)
def test_companies_and_providers_cannot_record_one(
    client, login, csrf_token, db_session, world, project, who, status
):
    login(client, world.users[who])
    assert "记录验收 / 认定" not in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert recognise(client, csrf_token, project).status_code == status
    assert recognitions(db_session) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "cloud_star_3"}, "kind", "请从列表中选择"),
        ({"kind": ""}, "kind", "请选择验收 / 认定类别"),
        ({"recognised_on": "2099-01-01"}, "recognised_on", "不能晚于今天"),
        ({"recognised_on": "昨天"}, "recognised_on", "年-月-日"),
        ({"reference": "号" * 201}, "reference", "最多 200 个字"),
    ],
)
def test_bad_recognitions_are_a_message_at_the_field(
    client, login, csrf_token, db_session, world, project, fields, field, message
):
    login(client, world.users["official"])
    response = recognise(client, csrf_token, project, **fields)
    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field)
    assert recognitions(db_session) == []


def test_a_document_that_is_not_what_it_says_saves_nothing(
    client, login, csrf_token, db_session, world, project
):
    login(client, world.users["official"])
    response = recognise(client, csrf_token, project, [(b"<html>not a pdf</html>", "认定文件.pdf")])
    assert response.status_code == 422
    assert "按文件内容判断" in field_errors(response.get_data(as_text=True), "files")
    assert recognitions(db_session) == [] and robots_done(db_session) == 0
