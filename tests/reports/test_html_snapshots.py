"""The report HTML of the two fixture assessments, compared exactly with stored snapshots.

Regenerate after an intended change: UPDATE_REPORT_SNAPSHOTS=1 .venv/bin/pytest tests/reports
(then read the diff before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.document import build_document
from reports.render import render_html

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_REPORT_SNAPSHOTS") == "1"


@pytest.mark.parametrize(("kind", "lang"), [("self", "zh_CN"), ("verified", "zh_CN"), ("verified", "en")])
def test_report_html_matches_snapshot(make_source, bundle, kind, lang):
    html = render_html(build_document(make_source(kind), bundle, lang))
    path = SNAPSHOTS / f"report-{kind}-{lang}.html"
    if UPDATE:
        path.write_text(html, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_REPORT_SNAPSHOTS=1 once"
    assert html == path.read_text(encoding="utf-8")


def test_self_assessed_report_is_marked_and_has_no_adjustments(make_source, bundle):
    html = render_html(build_document(make_source("self"), bundle, "zh_CN"))
    assert "企业自评，未经现场核验" in html
    assert 'id="adjustments"' not in html
    assert "诊断服务机构" not in html


def test_verified_report_names_provider_and_lists_adjustments(make_source, bundle):
    html = render_html(build_document(make_source("verified"), bundle, "zh_CN"))
    assert "合肥数智诊断服务有限公司" in html and "王诊断" in html
    assert 'id="adjustments"' in html
    assert "现场抽查联网设备台账，部分设备未接入" in html
    assert "企业自评，未经现场核验" not in html


def test_small_cohort_is_not_compared(make_source, bundle):
    source = make_source("self", peers=())
    context = build_document(source, bundle, "zh_CN")
    assert context["peers"]["shown"] is False and context["charts"]["peers"] is None
    assert "暂不提供同行业对比" in render_html(context)


def test_every_counted_answer_is_in_the_appendix(make_source, bundle):
    source = make_source("self")
    context = build_document(source, bundle, "zh_CN")
    shown = sum(len(section["rows"]) for section in context["appendix"]["sections"])
    ignored = {entry["question"] for entry in source.result["ignored_answers"]}
    assert shown == len(set(source.answers) - ignored)
