"""The PDF download from the company's result page: who may get it, and what they get."""

from __future__ import annotations

from pathlib import Path

from tests.reports.conftest import poppler
from tests.reports.stored import company_like_example, submitted_assessment


def test_own_company_downloads_its_report(client, db_session, make_company, make_user, login, tmp_path):
    company = company_like_example(make_company, name="皖西家居")
    assessment = submitted_assessment(db_session, company)
    login(client, make_user(role="company", company=company))
    response = client.get(f"/reports/assessments/{assessment.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=ZGSZ-")
    path = tmp_path / "download.pdf"
    path.write_bytes(response.data)
    assert "皖西家居" in poppler("pdftotext", str(path), "-")


def test_other_company_gets_404_and_anonymous_goes_to_login(client, db_session, make_company, make_user,
                                                            login):
    assessment = submitted_assessment(db_session, company_like_example(make_company))
    anonymous = client.get(f"/reports/assessments/{assessment.id}.pdf")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    login(client, make_user(role="company"))
    assert client.get(f"/reports/assessments/{assessment.id}.pdf").status_code == 404


def test_unknown_language_and_draft_are_404(client, db_session, make_company, make_user, login):
    company = company_like_example(make_company)
    assessment = submitted_assessment(db_session, company)
    login(client, make_user(role="company", company=company))
    assert client.get(f"/reports/assessments/{assessment.id}.pdf?lang=fr").status_code == 404
    assert client.get(f"/reports/assessments/{assessment.id + 1000}.pdf").status_code == 404


def test_verified_report_is_issued_once_and_never_changes(app, client, db_session, make_company, make_user,
                                                           make_provider_org, login):
    org = make_provider_org(name="合肥数智诊断服务有限公司")
    company = company_like_example(make_company, provider_org=org)
    diagnostician = make_user(role="provider", provider_org=org, name="王诊断")
    assessment = submitted_assessment(db_session, company, verifier=diagnostician,
                                      adjust={"equip_networked": 60})
    login(client, make_user(role="company", company=company))
    first = client.get(f"/reports/assessments/{assessment.id}.pdf")
    assert first.status_code == 200
    stored = list((Path(app.config["DIAGNOSIS_STORAGE"]) / "reports" / str(assessment.id)).glob("*.pdf"))
    assert [path.name for path in stored] == [first.headers["Content-Disposition"].split("filename=")[1]]
    stored[0].write_bytes(first.data + b"%issued")
    second = client.get(f"/reports/assessments/{assessment.id}.pdf")
    assert second.data == first.data + b"%issued"
    path = stored[0].with_name("check.pdf")
    path.write_bytes(first.data)
    text = poppler("pdftotext", str(path), "-")
    assert "合肥数智诊断服务有限公司" in text and "王诊断" in text and "现场核对台账" in text
