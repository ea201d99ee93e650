"""The on-site review in real Chromium at tablet size (820×1180 portrait): the diagnostician opens an
assigned company from the work list, accepts one answer, adjusts another with a reason and a photo
(the adjust form and the upload fetched when opened), keeps an edit made while the network is down
and saves it once it is back (a form that cannot be fetched offline says so), sends one question back
for evidence; the company answers it; the diagnostician signs off; the verified PDF holds the
adjustment (pdftotext); the company confirms."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy.orm import Session

from diagnosis.store import reviews
from reports.queue import queue_for, start_consumer
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import ARTIFACTS
from tests.web.review_helpers import build_review_world

pytestmark = pytest.mark.e2e

TABLET: ViewportSize = {"width": 820, "height": 1180}
SECTIONS = ("profile", "sme2024", "cmmm", "furniture")


@pytest.fixture
def world(live_app):
    with Session(live_app.extensions["db_engine"]) as session:
        built = build_review_world(session)
        session.commit()
        return {"assessment_id": built.assessment.id, "company": built.company.name,
                "diagnostician": built.diagnostician.email, "company_user": built.company_user.email}


def log_in(browser: Browser, url, email: str) -> Page:
    page = browser.new_page(viewport=TABLET)
    page.goto(url("/login"))
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    return page


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "车间联网.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (90, 120, 150)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot of ``page`` (the conftest's ``shoot`` takes its own page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def card(page: Page, qid: str):
    return page.locator(f"#rq-{qid}")


def test_a_diagnostician_verifies_on_a_tablet_and_the_company_confirms(browser: Browser, url, live_app,
                                                                      world, tmp_path) -> None:
    provider = log_in(browser, url, world["diagnostician"])
    provider.goto(url("/work/"))
    expect(provider.get_by_text(world["company"])).to_be_visible()
    provider.locator("tr", has_text=world["company"]).get_by_role("link", name="开始核验").click()
    expect(provider.get_by_role("heading", name="企业概况与现状")).to_be_visible()
    expect(provider.locator("#review-score")).to_contain_text("自评")

    card(provider, "equip_total").get_by_role("button", name="已确认").click()
    expect(card(provider, "equip_total")).to_have_class("rq rq--accepted")

    adjusted = card(provider, "equip_networked")
    adjusted.get_by_role("link", name="调整核定答案").click()
    adjusted.locator("input[name=q_equip_networked]").fill("10")
    adjusted.locator("select[name=reason_code]").select_option("site_differs")
    adjusted.locator("textarea[name=reason_text]").fill("车间现场只有 10 台设备接入网络")
    adjusted.get_by_role("button", name="保存调整").click()
    expect(card(provider, "equip_networked")).to_have_class("rq rq--adjusted")
    expect(provider.locator("#review-score")).to_contain_text("核定 68.0")
    card(provider, "equip_networked").get_by_role("link", name="添加佐证材料").click()
    files = card(provider, "equip_networked").locator("input[type=file][multiple]")
    files.set_input_files(str(photo(tmp_path)))
    # The photo is redrawn by Pillow on the server: under CI's load that can take longer than 5 s.
    expect(card(provider, "equip_networked").locator(".evidence__files")).to_contain_text(
        "车间联网.jpg", timeout=20_000)
    shoot(provider, "review-01-adjusted-with-photo")

    provider.context.set_offline(True)
    card(provider, "key_process_total").get_by_role("button", name="已确认").click()
    expect(provider.locator("#review-unsaved")).to_contain_text("1 项修改尚未保存")
    card(provider, "equip_total").get_by_role("link", name="调整核定答案").click()
    expect(card(provider, "equip_total").locator(".rq__fetch-failed")).to_contain_text("当前没有网络")
    shoot(provider, "review-02-offline-edit-kept")
    provider.context.set_offline(False)
    provider.evaluate("window.dispatchEvent(new Event('online'))")
    expect(provider.locator("#review-unsaved")).to_be_hidden()
    expect(card(provider, "key_process_total")).to_have_class("rq rq--accepted")

    asked = card(provider, "equip_digital")
    asked.locator("input[name=reason_text]").fill("请上传设备台账")
    asked.get_by_role("button", name="需补充材料").click()
    expect(card(provider, "equip_digital")).to_have_class("rq rq--needs_evidence")
    provider.get_by_role("link", name="汇总与签字").click()
    provider.get_by_role("button", name="退回企业补充材料").click()
    expect(provider.get_by_text("已将 1 题退回企业补充材料")).to_be_visible()

    company = log_in(browser, url, world["company_user"])
    company.goto(url(f"/assessments/{world['assessment_id']}/result"))
    company.get_by_role("link", name="查看并补充").click()
    expect(company.get_by_text("请上传设备台账")).to_be_visible()
    expect(company.locator("[name=q_equip_total]")).to_have_count(0)
    company.locator("[name=q_equip_digital]").fill("120")
    company.locator("[name=q_equip_digital]").press("Tab")
    expect(company.locator("#q-equip_digital-status")).to_have_attribute("data-state", "saved")
    company.get_by_role("button", name="发回服务商").click()
    shoot(company, "review-03-company-answered")

    provider.goto(url(f"/reviews/{world['assessment_id']}/sections/profile"))
    expect(card(provider, "equip_digital")).to_contain_text("120")
    card(provider, "equip_digital").get_by_role("button", name="已确认").click()
    expect(card(provider, "equip_digital")).to_have_class("rq rq--accepted")
    for section in SECTIONS:
        provider.goto(url(f"/reviews/{world['assessment_id']}/sections/{section}"))
        provider.get_by_role("button", name="确认本部分其余未核验的题目").click()
    provider.goto(url(f"/reviews/{world['assessment_id']}/sign-off"))
    expect(provider.get_by_text("可以签字确认")).to_be_visible()
    provider.get_by_role("button", name="签字确认").click()
    expect(provider.get_by_text("已签字确认")).to_be_visible()
    shoot(provider, "review-04-signed-off")

    consumer = start_consumer(queue_for(live_app, live_app.extensions["bundle"]))
    try:
        company.goto(url(f"/assessments/{world['assessment_id']}/result"))
        company.get_by_role("link", name="下载 PDF 诊断报告").click()
        with company.expect_download(timeout=60_000) as download:
            waiting = company.locator("#report-status")
            waiting.get_by_role("link", name="下载 PDF 诊断报告").click(timeout=60_000)
    finally:
        consumer.stop(graceful=True)
    text = subprocess.run(["pdftotext", "-layout", download.value.path(), "-"], check=True,
                          capture_output=True, text=True).stdout
    compact = "".join(text.split())  # table cells wrap inside the reason
    assert "车间现场只有10台设备接入网络" in compact and "车间联网.jpg" in compact
    assert "88台/套" in compact and "10台/套" in compact

    company.goto(url(f"/assessments/{world['assessment_id']}/result"))
    company.get_by_role("button", name="确认核验报告").click()
    expect(company.get_by_text("已确认核验报告")).to_be_visible()
    with Session(live_app.extensions["db_engine"]) as session:
        review = reviews.get_review(session, world["assessment_id"])
        assert review is not None and review.response == "confirmed"
