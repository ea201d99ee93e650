"""Submitting queues the report in both languages, so the company's first download is the stored
file: on `committed_app` with the real queue and a consumer in a thread of the test."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from diagnosis.core.bundle import load_bundle
from diagnosis.store import assessments as store
from diagnosis.store.accounts import User
from tests.conftest import TEST_PASSWORD_HASH
from tests.reports.conftest import example
from tests.reports.stored import consume_until, queue_of, signed_in
from tests.support import csrf_from, furniture_company


def stored_reports(app) -> list[Path]:
    return sorted((Path(app.config["DIAGNOSIS_STORAGE"]) / "reports").glob("*/*.pdf"))


def test_submit_queues_both_reports_and_the_download_serves_the_stored_file(committed_app):
    with Session(committed_app.extensions["db_engine"]) as session:
        company = furniture_company(session, 8300, "提交即出报告企业")
        user = User(email="submit@example.cn", name="张经理", role="company", company_id=company.id,
                    password_hash=TEST_PASSWORD_HASH, active=True)
        session.add(user)
        instrument = load_bundle().active_instrument()
        draft = store.create_assessment(session, company.id, instrument.id, str(instrument.version), None)
        for qid, value in example()["answers"].items():
            store.write_answer(session, draft, qid, value, None)
        session.commit()
        assessment_id, user_id = draft.id, user.get_id()
    client = signed_in(committed_app, user_id)
    review = client.get(f"/assessments/{assessment_id}/submit").get_data(as_text=True)
    submitted = client.post(f"/assessments/{assessment_id}/submit", data={"csrf_token": csrf_from(review)})
    assert submitted.status_code == 302
    assert queue_of(committed_app).huey.pending_count() == 2 and not stored_reports(committed_app)

    consume_until(committed_app, lambda: len(stored_reports(committed_app)) == 2)
    for lang in ("zh_CN", "en"):
        with client.get(f"/reports/assessments/{assessment_id}.pdf?lang={lang}") as download:
            assert download.status_code == 200 and download.mimetype == "application/pdf"
            assert download.data.startswith(b"%PDF")
            assert download.headers["Content-Disposition"].endswith(f"-{lang}.pdf")
