"""`flask report render`, and the cohort query the peer comparison reads."""

from __future__ import annotations

from diagnosis.core.bundle import load_bundle
from diagnosis.store.peers import cohort_points, latest_results
from tests.reports.conftest import poppler
from tests.reports.stored import company_like_example, submitted_assessment


def test_cli_renders_a_report_file(app, db_session, make_company, tmp_path):
    assessment = submitted_assessment(db_session, company_like_example(make_company, name="命令行企业"))
    output = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(args=["report", "render", str(assessment.id), "-o", str(output),
                                                "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF-")
    text = poppler("pdftotext", str(output), "-")
    english_title = load_bundle().active_instrument().title["en"]
    assert "命令行企业" in text and english_title in text.replace("\n", " ")


def test_cli_names_the_problem_for_a_missing_assessment(app, db_session, tmp_path):
    result = app.test_cli_runner().invoke(args=["report", "render", "999999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "assessment 999999 does not exist" in result.output


def test_cohort_counts_each_company_once_with_its_latest_result(db_session, make_company):
    first = company_like_example(make_company)
    second = company_like_example(make_company, industry_code="2021")
    submitted_assessment(db_session, first)
    newer = submitted_assessment(db_session, first, name="minimal")
    submitted_assessment(db_session, second, name="panels_2021")
    points = cohort_points(db_session, ["2110"])
    assert [point.company_id for point in points] == [first.id]
    latest = latest_results(db_session, company_ids=[first.id])
    assert [row.assessment_id for row in latest] == [newer.id]
    assert latest_results(db_session, parks=["没有的园区"]) == []
