"""The demo seed's on-site reviews: the provider's work list in every state, a verified report with
adjustments, evidence, findings and recommendation edits, the quality page, idempotence.

Two tests, each on one seeded district (a seed takes seconds: the demo accounts' password hashes
and some 700 review actions through the real services)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from diagnosis.demo_reviews import LEAD, MEMBER, OTHER
from diagnosis.store import reviews
from diagnosis.store.accounts import User, user_by_email
from diagnosis.store.assessments import Assessment
from diagnosis.store.worklist import STATES, WorkScope, work_rows
from diagnosis.web.worklist.labels import STATE_LABELS
from reports.data import load_report_data
from tests.web.test_assess_demo import run_seed

ROW = re.compile(r"<tr\b.*?</tr>", re.S)
COUNTED = (User, reviews.Review, reviews.ReviewItem, reviews.ReviewRound, reviews.Evidence)


def seed(app) -> None:
    result = run_seed(app)
    assert result.exit_code == 0, result.output


def counts(db_session) -> list[int]:
    return [db_session.scalar(select(func.count()).select_from(model)) for model in COUNTED]


def test_the_lead_lands_on_a_work_list_with_every_state(app, client, login, db_session):
    seed(app)
    lead, member, other = (user_by_email(db_session, email) for email in (LEAD, MEMBER, OTHER))
    assert lead.is_lead and member.provider_org_id == lead.provider_org_id and not member.is_lead
    assert other.provider_org_id != lead.provider_org_id
    rows = work_rows(db_session, WorkScope(org_id=lead.provider_org_id))
    assert {row.state for row in rows} == set(STATES)
    login(client, lead)
    table = ROW.findall(client.get("/work/").get_data(as_text=True))
    for row in rows:
        shown = [tr for tr in table if row.company.name in tr]
        assert shown and str(STATE_LABELS[row.state]) in shown[0], (row.company.name, row.state)
    signers = set(db_session.scalars(select(reviews.Review.signed_off_by_id)
                                     .where(reviews.Review.signed_off_at.is_not(None))))
    assert {lead.id, member.id, other.id} <= signers
    login(client, user_by_email(db_session, "official@demo.test"))
    quality = client.get("/quality/").get_data(as_text=True)
    assert quality.count("全机构") >= 2 and all(user.name in quality for user in (lead, member, other))
    before = counts(db_session)
    again = run_seed(app, "--once")
    assert again.exit_code == 0 and "跳过" in again.output and counts(db_session) == before


def test_the_demo_company_has_a_verified_report_with_adjustments_and_evidence(app, client, login, db_session):
    seed(app)
    company_user = user_by_email(db_session, "company@demo.test")
    assessment = db_session.scalar(select(Assessment).where(Assessment.company_id == company_user.company_id,
                                                            Assessment.status == "verified"))
    review = reviews.get_review(db_session, assessment.id)
    assert review.signed_off_at is not None and review.response is None  # the company may answer
    assert review.started_at < review.signed_off_at  # dated like weeks of work, not one instant
    data = load_report_data(db_session, assessment.id, app.extensions["bundle"])
    assert data.kind == "verified" and data.provider["org"] and data.provider["diagnostician"]
    assert len(data.adjustments) >= 2 and all(row.reason and row.reason_code for row in data.adjustments)
    names = [name for row in data.adjustments for name in row.evidence]
    assert any(name.endswith(".jpg") for name in names) and any(name.endswith(".pdf") for name in names)
    assert data.findings and data.self_result["sme"]["points"] > data.result["sme"]["points"]
    assert {edit.action for edit in data.recommendation_edits.values()} >= {"dismiss", "change", "add"}
    assert all(round_.answered_at is not None for round_ in reviews.rounds(db_session, assessment.id))
    files = reviews.evidence_for(db_session, assessment.id)
    assert {(item.content_type, item.source) for item in files} >= {
        ("image/jpeg", "verified"), ("application/pdf", "verified"), ("application/pdf", "company")}
    login(client, company_user)
    for item in files:
        with client.get(f"/evidence/{item.id}") as response:
            assert response.status_code == 200 and len(response.data) == item.size
    responses = dict(db_session.execute(select(reviews.Review.response, reviews.Review.response_comment)
                                        .where(reviews.Review.response.is_not(None))).all())
    assert set(responses) == {"confirmed", "disputed"} and responses["disputed"]
    open_rounds = db_session.scalars(select(reviews.ReviewRound)
                                     .where(reviews.ReviewRound.answered_at.is_(None))).all()
    assert len(open_rounds) == 1 and len(open_rounds[0].question_ids) == 2
