"""The result page on a phone (390 px) and a tablet (1024 px) in real Chromium: the company lands on it
after logging in, the answer (its levels) is on the first screen, nothing scrolls sideways, the
details are folded and a top action's link opens its folded section."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ViewportSize, expect
from sqlalchemy.orm import Session

from tests.e2e.conftest import screenshot, signed_in_page
from tests.web.assess_helpers import example_result
from tests.web.review_helpers import build_review_world

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
TABLET: ViewportSize = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def world(live_app):
    with Session(live_app.extensions["db_engine"]) as session:
        built = build_review_world(session)
        session.commit()
        return {"assessment_id": built.assessment.id, "company_user": built.company_user.email}


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_the_result_reads_well_on_a_phone_and_a_tablet(browser: Browser, url, world, name, viewport):
    page = signed_in_page(browser, url, world["company_user"], viewport)
    expect(page).to_have_url(url(f"/assessments/{world['assessment_id']}/result"))
    sme = page.locator("#result-sme")
    expect(sme.locator(".result-figure__value")).to_have_text("三级")
    assert sme.bounding_box()["y"] < viewport["height"], "the SME level is on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    expect(page.locator("#recommendations .recommendation").first).to_be_hidden()
    expect(page.locator(".level-list").first).to_be_hidden()
    screenshot(page, f"result-{name}")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (9000 if name == "phone" else 6000), f"the page is {height} px long"

    first = example_result()["recommendations"][0]["id"]
    page.locator(f'[id="top-{first}"] a').first.click()
    expect(page.locator(f'[id="rec-{first}"]')).to_be_visible()
    page.locator("#result-cmmm .level-details summary").click()
    expect(page.locator("#result-cmmm .level-list__item.is-current")).to_contain_text("二级 规范级")
    screenshot(page, f"result-{name}-opened")
    page.close()
