"""Filling in on a phone (390×844, real Chromium): the first question is on the first screen, the
progress stays in view while scrolling, Enter in a number field saves that answer and keeps the focus,
and an answer that breaks a constraint is saved and marked at both questions.

Run with `.venv/bin/pytest -m e2e tests/web/test_assess_phone.py`; screenshots land in test-artifacts/e2e/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.conftest import (  # noqa: F401 - the live server and Chromium fixtures of the e2e tests
    ARTIFACTS,
    base_url,
    browser_type_launch_args,
    live_app,
    live_server,
    url,
)
from tests.e2e.test_company_flow import register

pytestmark = pytest.mark.e2e
PHONE: ViewportSize = {"width": 390, "height": 844}


def test_a_phone_shows_the_first_question_and_keeps_the_progress_in_view(page: Page, url) -> None:  # noqa: F811
    page.set_viewport_size(PHONE)
    register(page, url)
    page.get_by_role("button", name="开始诊断").click()
    expect(page.get_by_role("heading", name="企业概况与现状")).to_be_visible()
    first = page.locator('[name="q_equip_total"]').bounding_box()
    assert first is not None and first["y"] + first["height"] <= PHONE["height"], first
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-01-first-screen.png"))

    field = page.locator('[name="q_equip_total"]')
    field.fill("142")
    field.press("Enter")
    expect(page.locator("#q-equip_total-status")).to_have_attribute("data-state", "saved")
    expect(field).to_be_focused()
    assert "/sections/profile" in page.url

    digital = page.locator('[name="q_equip_digital"]')
    digital.fill("200")
    digital.press("Enter")
    expect(page.locator("#q-equip_digital-status")).to_have_attribute("data-state", "warning")
    expect(page.locator("#q-equip_digital-status")).to_contain_text("不能超过生产设备总数")
    expect(page.locator("#q-equip_total-status")).to_contain_text("不能超过生产设备总数")
    expect(digital).to_be_focused()
    page.reload()
    expect(page.locator('[name="q_equip_digital"]')).to_have_value("200")
    expect(page.locator("#q-equip_digital-status")).to_have_attribute("data-state", "warning")
    page.locator("#q-equip_digital").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "phone-03-contradiction-marked.png"))

    page.locator("#q-robots_in_use").scroll_into_view_if_needed()
    progress = page.locator("#assess-progress").bounding_box()
    assert progress is not None and 0 <= progress["y"] < PHONE["height"], progress
    page.screenshot(path=str(ARTIFACTS / "phone-02-scrolled-progress-in-view.png"))

    digital.fill("120")
    digital.press("Enter")
    expect(page.locator("#q-equip_digital-status")).to_have_attribute("data-state", "saved")
    expect(page.locator("#q-equip_total-status")).not_to_contain_text("不能超过")
