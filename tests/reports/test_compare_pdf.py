"""The PDF summary of a re-assessment shows the result page's before → after figures, loaded from the
store as the report queue loads them; a first assessment's report has no comparison."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from diagnosis.core.bundle import load_bundle
from reports.data import load_report_data
from reports.document import build_document
from reports.render import render_pdf
from tests.reports.conftest import poppler
from tests.reports.stored import company_like_example
from tests.web.compare_helpers import AFTER, BEFORE, VERIFIED_BEFORE, submitted


def pdf_text(db_session, assessment, tmp_path, lang: str = "zh_CN") -> str:
    bundle = load_bundle()
    path = tmp_path / f"report-{assessment.id}-{lang}.pdf"
    source = load_report_data(db_session, assessment.id, bundle)
    path.write_bytes(render_pdf(build_document(source, bundle, lang)))
    return re.sub(r"\s+", " ", poppler("pdftotext", "-layout", str(path), "-"))


def test_the_summary_reads_before_and_after(db_session, make_company, tmp_path):
    company = company_like_example(make_company)
    submitted(db_session, company, BEFORE, datetime(2025, 11, 3, 8, tzinfo=UTC), verified=VERIFIED_BEFORE)
    current = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    text = pdf_text(db_session, current, tmp_path)
    assert "与上次诊断对比" in text and "上次（2025-11-04，服务商核验） → 本次" in text
    for row in ("数字化水平等级 二级 → 三级 +1", "成熟度等级 一级 → 二级 +1",
                "数字化水平得分 58.2 → 72.5 +14.3", "数字化基础 34 → 39.5 +5.5",
                "数字化管理 9.2 → 14.5 +5.3", "数字化成效 15 → 18.5 +3.5",
                "成熟度得分 1.7 → 2.51 +0.81"):
        assert row in text, row
    english = pdf_text(db_session, current, tmp_path, "en")
    assert "58.2 → 72.5" in english and "+14.3" in english


def test_a_first_assessments_report_has_no_comparison(db_session, make_company, tmp_path):
    company = company_like_example(make_company)
    first = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    text = pdf_text(db_session, first, tmp_path)
    assert "与上次诊断对比" not in text and "→ 本次" not in text
