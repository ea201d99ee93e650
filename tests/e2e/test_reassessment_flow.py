"""Next year in real Chromium: a company with a submitted diagnosis starts from its last answers,
sees each marked, changes one (its mark goes at once), confirms the rest of the section, and finds
the self-check grouped by sub-domain with levels 4-5 folded. Screenshots on a desktop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from tests.e2e.test_review_flow import log_in, shoot
from tests.web.review_helpers import build_review_world

pytestmark = pytest.mark.e2e

MARK = ".question__carried"


@pytest.fixture
def company_email(live_app) -> str:
    with Session(live_app.extensions["db_engine"]) as session:
        built = build_review_world(session)
        session.commit()
        return built.company_user.email


def start_from_last(page: Page, url) -> None:
    page.goto(url("/assessments/"))
    page.get_by_role("button", name="从上次答案开始").click()
    page.wait_for_url("**/sections/**")


def test_a_reassessment_starts_from_the_last_answers(browser: Browser, url, company_email):
    page = log_in(browser, url, company_email)
    page.set_viewport_size({"width": 1280, "height": 900})
    start_from_last(page, url)
    section = page.url.rsplit("/sections/", 1)[0] + "/sections/profile"
    page.goto(section)
    marked = page.locator(MARK).count()
    assert marked > 5
    expect(page.locator("[name=q_equip_total]")).to_have_value("186")
    shoot(page, "reassessment-profile")

    field = page.locator("[name=q_equip_total]")
    field.fill("190")
    field.press("Tab")
    expect(page.locator("#q-equip_total-status")).to_have_attribute("data-state", "saved")
    expect(page.locator(f"#q-equip_total-status {MARK}")).to_have_count(0)
    expect(page.locator(MARK)).to_have_count(marked - 1)

    page.get_by_role("button", name="确认本部分沿用的答案").click()
    expect(page.get_by_text("已确认本部分沿用的答案。")).to_be_visible()
    expect(page.locator(MARK)).to_have_count(0)

    page.goto(section.replace("/profile", "/cmmm"))
    expect(page.locator(".question-group__title")).to_have_count(20)
    expect(page.locator(".answer-scale")).to_have_count(1)
    shoot(page, "reassessment-cmmm-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "reassessment-cmmm-phone")
