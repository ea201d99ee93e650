"""The officials' pipeline in real Chromium. An official at desktop size (1280×900) opens the dashboard,
follows a number to its list (as many companies as the number said), sets a yearly target (a negative
value refused at the field first, nothing saved), and downloads the 调度表 a queue worker writes (read
back with python_calamine). A company on a phone (390×844) turns a robot recommendation of its result
into a project (立项) and reports progress with a PDF; the official records its acceptance from the
project page, and the dashboard's 已完成 moves by the project's robots and investment."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session

from diagnosis.pipeline.export import SUMMARY_SHEET
from diagnosis.store.accounts import User
from reports.queue import queue_for, start_consumer
from tests.conftest import TEST_PASSWORD_HASH
from tests.e2e.conftest import screenshot, signed_in_page
from tests.web.review_helpers import build_review_world

pytestmark = pytest.mark.e2e

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
ROBOTS, INVESTMENT = "推广应用工业机器人", "完成技改投资"
ROBOT_RECOMMENDATION = "robot.panel_loading"
#: The smallest file the content check takes for a PDF: the header and the end-of-file marker.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def build_world(engine: Any, park: str, others: int, outside: str) -> dict[str, Any]:
    """``others`` + 1 submitted companies in ``park`` (their results recommend robots and 5G), one more
    in ``outside``, and an official covering ``park``; committed for the live server."""
    with Session(engine) as session:
        worlds = [build_review_world(session, park=park) for _ in range(others + 1)]
        build_review_world(session, park=outside)
        official = User(email=f"official.{worlds[0].company.id}@example.cn", name="区经信局王科长",
                        role="official", regions=[park], password_hash=TEST_PASSWORD_HASH, active=True)
        session.add(official)
        session.commit()
        first = worlds[0]
        return {"official": official.email, "company_user": first.company_user.email,
                "company_id": first.company.id, "company": first.company.name,
                "assessment_id": first.assessment.id, "in_park": len(worlds)}


def target_row(page: Page, title: str) -> Any:
    return page.locator("section[aria-labelledby=targets-heading] tbody tr", has_text=title)


def target_number(page: Page, title: str, stage: str) -> Any:
    """The link of one stage (done, in_progress, planned, potential) in a target's row."""
    return target_row(page, title).locator(f'a.num[href*=":{stage}&"], a.num[href$=":{stage}"]')


def read_number(page: Page, title: str, stage: str) -> float:
    return float(target_number(page, title, stage).inner_text())


def goal_cell(page: Page, title: str) -> Any:
    return target_row(page, title).locator("td").first


def test_an_official_follows_a_number_sets_a_target_and_downloads_the_schedule(
        browser: Browser, url, live_app) -> None:
    world = build_world(live_app.extensions["db_engine"], "家居产业园", others=1, outside="化工园区")
    official = signed_in_page(browser, url, world["official"], DESKTOP)
    official.goto(url("/pipeline/"))
    expect(official.get_by_role("heading", name="智改数转调度", exact=True)).to_be_visible()
    expect(official.locator(".lead")).to_contain_text("家居产业园")
    potential = read_number(official, ROBOTS, "potential")
    assert potential == world["in_park"]  # the company of the other park is not the official's
    screenshot(official, "pipeline-01-dashboard")

    target_number(official, ROBOTS, "potential").click()
    expect(official.get_by_role("heading", name=f"{ROBOTS} · 潜在")).to_be_visible()
    expect(official.locator(".members-total")).to_have_text(f"共 {potential:g} 家企业")
    expect(official.locator("table tbody tr")).to_have_count(int(potential))
    expect(official.locator("table tbody")).to_contain_text(world["company"])
    screenshot(official, "pipeline-02-potential-list")

    official.get_by_role("link", name="返回调度看板").click()
    self_assessed_link = official.locator(".coverage a.num[href*='coverage:self_assessed']")
    self_assessed = int(self_assessed_link.inner_text())
    self_assessed_link.click()
    expect(official.locator(".members-total")).to_have_text(f"共 {self_assessed} 家企业")
    expect(official.locator("table tbody tr")).to_have_count(self_assessed)

    official.get_by_role("link", name="返回调度看板").click()
    official.get_by_role("link", name="设定年度目标").click()
    robots = official.locator("section#target-robots")
    before = robots.locator(".target-current").inner_text()
    robots.get_by_label("新的目标值").fill("-3")
    robots.get_by_role("button", name="保存目标").click()
    robots = official.locator("section#target-robots")
    expect(robots.locator("#robots-value-errors")).to_have_text("目标值不能为负数。")
    expect(robots.get_by_label("新的目标值")).to_have_attribute("aria-invalid", "true")
    expect(robots.locator(".target-current")).to_have_text(before)
    expect(robots).to_contain_text("尚无修改记录。")
    screenshot(official, "pipeline-03-negative-target-refused")

    robots.get_by_label("新的目标值").fill("16")
    robots.get_by_role("button", name="保存目标").click()
    expect(official.get_by_text(f"已保存 {date.today().year} 年的目标：{ROBOTS}。")).to_be_visible()
    expect(official.locator("section#target-robots .target-current strong")).to_have_text("16")
    official.get_by_role("link", name="返回调度看板").click()
    expect(goal_cell(official, ROBOTS)).to_have_text("16")
    screenshot(official, "pipeline-04-dashboard-new-target")

    consumer = start_consumer(queue_for(live_app, live_app.extensions["bundle"]))
    try:
        official.get_by_role("button", name="下载调度表").click()
        expect(official.get_by_role("heading", name="调度表生成进度")).to_be_visible()
        ready = official.get_by_role("link", name="下载调度表（Excel）")
        expect(ready).to_be_visible(timeout=60_000)
    finally:
        consumer.stop(graceful=True)
    expect(official.locator("#export-progress")).to_contain_text(f"已完成：共 {world['in_park']} 家企业。")
    screenshot(official, "pipeline-05-schedule-ready")
    with official.expect_download() as download:
        ready.click()
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(download.value.path().read_bytes()))
    summary = {row[0]: row for row in workbook.get_sheet_by_name(SUMMARY_SHEET).to_python() if row[0]}
    assert summary[ROBOTS][1:3] == ["台", 16]
    assert summary["已自评"][1] == self_assessed


def test_a_company_project_reported_and_recognised_moves_the_dashboard(browser: Browser, url, live_app,
                                                                     tmp_path) -> None:
    world = build_world(live_app.extensions["db_engine"], "史河街道", others=0, outside="三元镇")
    official = signed_in_page(browser, url, world["official"], DESKTOP)
    official.goto(url("/pipeline/"))
    done_before = {title: read_number(official, title, "done") for title in (ROBOTS, INVESTMENT)}
    started_before = read_number(official, ROBOTS, "in_progress")

    company = signed_in_page(browser, url, world["company_user"], PHONE)
    company.goto(url(f"/assessments/{world['assessment_id']}/result"))
    company.locator("#recommendations > summary").click()  # the full list is folded below the summary
    recommendation = company.locator(f"[id='rec-{ROBOT_RECOMMENDATION}']")
    title = recommendation.locator("strong").first.inner_text()
    recommendation.get_by_role("link", name="立项").click()
    expect(company.get_by_text(f"根据改进建议“{title}”立项。")).to_be_visible()
    expect(company.get_by_label("项目类型")).to_have_value("robot")
    expect(company.get_by_label("项目名称")).to_have_value(title)
    company.get_by_label("计划投资（万元）").fill("360")
    company.get_by_label("数量").fill("6")
    company.get_by_label("开始日期").fill(date.today().replace(day=1).isoformat())
    company.get_by_label("计划完成日期").fill((date.today() + timedelta(days=120)).isoformat())
    screenshot(company, "pipeline-06-company-new-project")
    company.get_by_role("button", name="立项").click()
    expect(company.get_by_text(f"项目“{title}”已立项。")).to_be_visible()
    expect(company.locator("#project-facts")).to_contain_text("6 台")
    project_url = company.url.split("#")[0]

    report(company, "实施中", "150", "码垛机器人已到货，正在调试。")
    expect(company.locator("#project-status")).to_have_text("实施中")
    evidence = tmp_path / "机器人验收单.pdf"
    evidence.write_bytes(PDF)
    report(company, "已完成", "342.5", "六台机器人全部投入使用。", evidence)
    expect(company.locator("#project-status")).to_have_text("已完成")
    expect(company.locator("#project-investment")).to_have_text("342.50 万元")
    expect(company.locator("#history tbody tr").first).to_contain_text("机器人验收单.pdf")
    screenshot(company, "pipeline-07-company-progress")

    official.reload()
    assert read_number(official, ROBOTS, "in_progress") == started_before + 6
    assert read_number(official, ROBOTS, "done") == done_before[ROBOTS]  # not done until accepted
    target_number(official, ROBOTS, "in_progress").click()
    expect(official.locator(".members-total")).to_contain_text(f"合计 {started_before + 6:g} 台")
    expect(official.locator("table tbody tr", has_text=title)).to_contain_text("已完成")
    # The list names the project but links only its company, whose profile lists no projects: the
    # official reaches the project from the company's project list.
    official.goto(url(f"/companies/{world['company_id']}/projects"))
    official.get_by_role("link", name=title).click()
    assert official.url.split("#")[0] == project_url
    recognise = official.locator("section#recognitions form")
    expect(company.locator("section#recognitions form")).to_have_count(0)
    recognise.get_by_label("验收 / 认定类别").select_option(label="机器人投入使用验收")
    recognise.get_by_label("验收 / 认定日期").fill(date.today().isoformat())
    recognise.get_by_label("文号").fill("叶经信〔2026〕18号")
    recognise.get_by_role("button", name="记录验收 / 认定").click()
    expect(official.get_by_text(f"已记录“机器人投入使用验收”（{date.today().isoformat()}）。")).to_be_visible()
    expect(official.locator("section#recognitions li")).to_contain_text("文号：叶经信〔2026〕18号")
    screenshot(official, "pipeline-08-recognised")

    official.goto(url("/pipeline/"))
    assert read_number(official, ROBOTS, "done") == done_before[ROBOTS] + 6
    assert read_number(official, INVESTMENT, "done") == done_before[INVESTMENT] + 342.5
    assert read_number(official, ROBOTS, "in_progress") == started_before
    screenshot(official, "pipeline-09-dashboard-moved")
    target_number(official, ROBOTS, "done").click()
    expect(official.locator(".members-total")).to_contain_text(f"合计 {done_before[ROBOTS] + 6:g} 台")
    expect(official.locator("table tbody")).to_contain_text("机器人投入使用验收")
    screenshot(official, "pipeline-10-done-list")


def report(page: Page, status: str, invested: str, note: str, document: Any = None) -> None:
    """One monthly progress report of this month from the project page."""
    form = page.locator("section#progress form")
    form.get_by_label("状态").select_option(label=status)
    form.get_by_label("累计完成投资（万元）").fill(invested)
    form.get_by_label("进展说明").fill(note)
    if document is not None:
        form.get_by_label("佐证材料（可选）").set_input_files(str(document))
    form.get_by_role("button", name="提交进展").click()
    expect(page.get_by_text(f"已记录 {date.today():%Y-%m} 的进展。")).to_be_visible()
