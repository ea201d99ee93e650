"""The PDF says what the result page says: the same label and number for each priority, and the
same main list (the recommendations beyond the cap folded on the page, listed compactly in the PDF)."""

from __future__ import annotations

import re

from diagnosis.core.bundle import load_bundle
from reports.data import load_report_data
from reports.document import build_document
from reports.render import render_pdf
from tests.reports.conftest import pdf_layout
from tests.reports.stored import company_like_example, submitted_assessment

PRIORITY = re.compile(r"优先级\s*(\d+)")


def test_priorities_read_as_on_the_result_page(client, db_session, make_company, make_user, login, tmp_path):
    company = company_like_example(make_company)
    assessment = submitted_assessment(db_session, company)
    login(client, make_user(role="company", company=company))
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    bundle = load_bundle()
    context = build_document(load_report_data(db_session, assessment.id, bundle), bundle, "zh_CN")
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(context))
    _, rows = pdf_layout(path)

    on_page = PRIORITY.findall(re.sub(r"<[^>]+>", " ", page))
    in_pdf = PRIORITY.findall(rows)
    advice = context["advice"]
    cards = [*advice["g5"], *advice["cloud"]["actions"], *advice["factory_actions"], *advice["robots"],
             *advice["green"], *advice["other"], *advice["own"]]
    main = [action["priority"] for action in cards]
    assert len(main) >= 5 and in_pdf, "the fixture shows priorities"
    assert "优先度" not in rows and "优先度" not in page
    assert sorted(in_pdf) == sorted(main)  # one "优先级 N" per card, N as the page writes it
    assert set(in_pdf) <= set(on_page)
    folded = [action["priority"] for action in advice["folded"]]
    assert folded and set(folded) <= set(on_page)  # the page has them, folded away
