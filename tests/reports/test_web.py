"""The PDF download from the company's result page: who may get it (what they get: test_downloads.py)."""

from __future__ import annotations

from diagnosis.store import assessments as store
from tests.reports.stored import company_like_example, submitted_assessment


def test_other_company_gets_404_and_anonymous_goes_to_login(client, db_session, make_company, make_user,
                                                            login):
    assessment = submitted_assessment(db_session, company_like_example(make_company))
    anonymous = client.get(f"/reports/assessments/{assessment.id}.pdf")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    login(client, make_user(role="company"))
    assert client.get(f"/reports/assessments/{assessment.id}.pdf").status_code == 404
    assert client.get(f"/reports/assessments/{assessment.id}/report-status").status_code == 404


def test_unknown_language_and_draft_are_404(client, db_session, make_company, make_user, login):
    company = company_like_example(make_company)
    assessment = submitted_assessment(db_session, company)
    login(client, make_user(role="company", company=company))
    assert client.get(f"/reports/assessments/{assessment.id}.pdf?lang=fr").status_code == 404
    assert client.get(f"/reports/assessments/{assessment.id + 1000}.pdf").status_code == 404
    draft = store.create_assessment(db_session, company.id, assessment.questionnaire_id,
                                    assessment.questionnaire_version, None)
    assert client.get(f"/reports/assessments/{draft.id}.pdf").status_code == 404
    assert client.get(f"/reports/assessments/{draft.id}/report-status").status_code == 404
