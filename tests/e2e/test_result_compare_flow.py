"""A re-assessment's result in real Chromium: the company sees its levels and points against last
year's verified result, before → after, under the levels; the table fits a phone's width.
Screenshots on a desktop and a phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.store import assessments as store
from tests.e2e.test_review_flow import log_in, shoot
from tests.web.assess_helpers import example, new_assessment
from tests.web.review_helpers import build_review_world

pytestmark = pytest.mark.e2e

LAST_YEAR = datetime(2025, 11, 3, 8, tzinfo=UTC)


#: last year's weaker answers: fewer networked machines and integrated systems, thinner rules
WEAKER = {"equip_networked": 40, "sme_it_coverage": "two_plus", "sme_net_security": ["policy"],
          "sme_mechanisms": ["workflow"], "sme_quality_trend": "flat", "systems_integrated": ["erp", "mes"]}


def weaker(qid: str, value):
    """Every SME scenario a level lower, CMMM level 2 statements only partly met."""
    if qid.startswith("sme_sc_") and isinstance(value, int):
        return max(value - 1, 0)
    if qid.startswith("cmmm_") and qid.endswith("_l2") and value in ("full", "most"):
        return "partial"
    return WEAKER.get(qid, value)


def last_years_result() -> dict:
    """The example's result from last year's weaker answers."""
    data = example()
    answers = {qid: weaker(qid, value) for qid, value in data["answers"].items()}
    bundle = load_bundle()
    return diagnose(bundle, answers, bundle.profile(data["profile"]))


@pytest.fixture
def reassessed(live_app) -> dict:
    """A company whose last year's assessment was verified and whose new one is submitted."""
    with Session(live_app.extensions["db_engine"]) as session:
        world = build_review_world(session)
        world.assessment.created_at = LAST_YEAR
        for snapshot in session.scalars(store.select(store.ResultSnapshot).where(
                store.ResultSnapshot.assessment_id == world.assessment.id)):
            snapshot.created_at = LAST_YEAR
        verified = store.add_snapshot(session, world.assessment, last_years_result(), kind="verified")
        verified.created_at = LAST_YEAR + timedelta(days=20)
        store.change_status(session, world.assessment, "verified", world.diagnostician.id)
        current = new_assessment(session, world.company, world.company_user)
        store.add_snapshot(session, current, diagnose(load_bundle(), example()["answers"],
                                                      load_bundle().profile(example()["profile"])))
        store.change_status(session, current, "submitted", world.company_user.id)
        session.commit()
        return {"email": world.company_user.email, "result": f"/assessments/{current.id}/result"}


def test_the_result_shows_last_years_figures_before_this_years(browser: Browser, url, reassessed):
    page = log_in(browser, url, reassessed["email"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url(reassessed["result"]))
    table = page.locator("#result-compare")
    expect(table).to_contain_text("上次（2025-11-23，服务商核验） → 本次")
    expect(table.locator("tbody tr")).to_have_count(7)  # 2 levels, SME total, 3 dimensions, CMMM score
    expect(table.locator("tbody tr").first).to_contain_text("二级 → 三级")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("一级 → 二级")
    shoot(page, "result-compare-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    right = page.evaluate("document.querySelector('.result-compare__table').getBoundingClientRect().right")
    assert right <= 390, "the comparison is wider than the phone"
    table.scroll_into_view_if_needed()
    shoot(page, "result-compare-phone")
