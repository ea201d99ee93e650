"""A new company in real Chromium: register, start the diagnosis, fill part, reload and find every
answer kept, finish the required answers, submit, read the result, try a what-if, and download the
report once a worker has rendered it (the page waits for it and then offers the file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from diagnosis.core.bundle import load_bundle
from reports.queue import queue_for, start_consumer
from tests.support import credit_code

pytestmark = pytest.mark.e2e

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "furniture_2110.json")
                     .read_text(encoding="utf-8"))
ANSWERS: dict[str, Any] = EXAMPLE["answers"]
FIRST_ANSWERS = {"equip_total": "180", "equip_digital": "120", "network_wifi": "partial",
                 "network_industrial": True, "systems_in_use": ANSWERS["systems_in_use"]}


def register(page: Page, url) -> None:
    page.goto(url("/register"))
    page.get_by_label("统一社会信用代码").fill(credit_code(424242))
    page.get_by_label("企业名称").fill("叶集区某某家居有限公司")
    page.locator("select[name=industry_code]").select_option("2110")
    page.locator("select[name=park]").select_option("经济开发区")
    page.get_by_label("规模以上（年主营业务收入 2000 万元及以上）").check()
    page.locator("select[name=revenue_band]").select_option("100m_400m")
    page.get_by_label("从业人数").fill("320")
    page.get_by_label("联系人").fill("李强")
    page.get_by_label("联系电话").fill("0564-1234567")
    page.get_by_label("登录邮箱").fill("li.qiang@example.cn")
    page.locator("input[name=password]").fill("a long enough password")
    page.locator("input[name=confirm]").fill("a long enough password")
    page.get_by_role("button", name="注册并开始诊断").click()
    expect(page.get_by_text("注册成功")).to_be_visible()


def answer(page: Page, question, value: Any, wait: bool = True) -> None:
    """Answer one question as a person would; the change event autosaves it (htmx)."""
    name = f"q_{question.id}"
    if question.type == "multi":
        for option in value:
            page.locator(f'input[name="{name}"][value="{option}"]').check()
    elif question.type in ("single", "scenario_level", "yes_no"):
        shown = ("true" if value else "false") if question.type == "yes_no" else str(value)
        page.locator(f'input[name="{name}"][value="{shown}"]').check()
    else:
        field = page.locator(f'[name="{name}"]')
        field.fill(str(value))
        field.press("Tab")
    if wait:
        expect(page.locator(f"#q-{question.id}-status")).to_have_attribute("data-state", "saved")


def open_required(page: Page, section) -> list:
    """The section's required questions now shown and not yet answered."""
    return [q for q in section.questions if q.required
            and page.locator(f"#q-{q.id}:not([hidden])").count()
            and page.locator(f"#q-{q.id}.question--answered").count() == 0]


def finish_section(page: Page, section) -> None:
    """Answer every required question of the section (new ones may appear as answers come in)."""
    for _round in range(3):
        pending = open_required(page, section)
        if not pending:
            return
        for question in pending:
            answer(page, question, ANSWERS[question.id])
        page.reload()


def test_a_company_registers_and_completes_its_diagnosis(page: Page, url, shoot, live_app) -> None:
    instrument = load_bundle().active_instrument()
    register(page, url)
    shoot("01-registered")

    page.get_by_role("button", name="开始诊断").click()
    expect(page.get_by_role("heading", name="企业概况与现状")).to_be_visible()
    expect(page.locator("#q-systems_integrated")).to_be_hidden()
    for qid, value in FIRST_ANSWERS.items():
        answer(page, instrument.question(qid), value, wait=False)
    for qid in FIRST_ANSWERS:
        expect(page.locator(f"#q-{qid}-status")).to_have_attribute("data-state", "saved")
    expect(page.locator("#q-systems_integrated")).to_be_visible()
    expect(page.locator("#assess-progress")).to_contain_text("已回答 5 / ")
    shoot("02-section-autosaved")

    page.reload()
    expect(page.locator('[name="q_equip_total"]')).to_have_value("180")
    expect(page.locator('[name="q_equip_digital"]')).to_have_value("120")
    expect(page.locator('input[name="q_network_wifi"][value="partial"]')).to_be_checked()
    expect(page.locator('input[name="q_network_industrial"][value="true"]')).to_be_checked()
    for option in ANSWERS["systems_in_use"]:
        expect(page.locator(f'input[name="q_systems_in_use"][value="{option}"]')).to_be_checked()
    shoot("03-reloaded-answers-kept")

    page.locator('[name="q_equip_networked"]').fill("999999")
    page.locator('[name="q_equip_networked"]').press("Tab")
    expect(page.locator("#q-equip_networked-status")).to_contain_text("之间的数值")
    shoot("04-invalid-value")

    for section in instrument.sections:
        link = page.locator(f'#assess-sections a[href$="/sections/{section.id}"]')
        if link.count() == 0:
            continue
        link.click()
        page.wait_for_url(f"**/sections/{section.id}")
        finish_section(page, section)
    page.get_by_role("link", name="检查并提交").first.click()
    expect(page.get_by_text("所有必答题均已填写")).to_be_visible()
    shoot("05-ready-to-submit")

    page.get_by_role("button", name="提交诊断").click()
    expect(page.get_by_role("heading", name="诊断结果", exact=True)).to_be_visible()
    expect(page.locator("#result-sme .result-figure__value")).not_to_be_empty()
    expect(page.locator(".result-chart svg")).to_be_visible()
    expect(page.locator(".top-actions li").first).to_be_visible()  # the full list is folded below
    expect(page.locator("#result-sme .level-for-us")).to_be_visible()
    shoot("06-result")

    page.locator("#wi_q_0").select_option("sme_sc_quality")
    page.locator('input[name="wi_v_0"][value="4"]').check()
    page.get_by_role("button", name="查看模拟结果").click()
    expect(page.locator("#what-if-result")).to_contain_text("模拟后")
    shoot("07-what-if")

    page.get_by_role("link", name="下载 PDF 诊断报告").click()
    expect(page.get_by_text("报告正在生成，通常需要几秒钟")).to_be_visible()
    shoot("08-report-being-generated")
    consumer = start_consumer(queue_for(live_app, live_app.extensions["bundle"]))  # the worker
    try:
        with page.expect_download(timeout=60_000) as download:
            page.locator("#report-status").get_by_role("link", name="下载 PDF 诊断报告").click(timeout=60_000)
    finally:
        consumer.stop(graceful=True)
    path = download.value.path()
    assert download.value.suggested_filename.endswith("-zh_CN.pdf")
    assert Path(path).read_bytes().startswith(b"%PDF")
