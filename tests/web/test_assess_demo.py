"""`flask demo seed`: a plausible district, valid credit codes, submitted diagnoses, demo accounts."""

from __future__ import annotations

from sqlalchemy import func, select

from diagnosis.core.answers import missing_required
from diagnosis.core.bundle import load_bundle
from diagnosis.core.uscc import check_uscc
from diagnosis.demo import ACCOUNTS
from diagnosis.store import assessments as store
from diagnosis.store.accounts import User
from diagnosis.store.companies import Company


def run_seed(app, *args: str):
    return app.test_cli_runner().invoke(args=["demo", "seed", *args])


def test_seed_makes_a_district_with_diagnoses_and_one_account_per_role(app, db_session):
    result = run_seed(app, "--companies", "12")
    assert result.exit_code == 0, result.output
    companies = list(db_session.scalars(select(Company).order_by(Company.id)))
    assert len(companies) == 12
    assert all(check_uscc(company.credit_code).valid for company in companies)
    assert all(company.name.endswith("有限公司") for company in companies)
    bundle = load_bundle()
    assert {company.industry_code for company in companies} <= {i.code for i in bundle.industries.all()}
    assessments = [a for c in companies for a in store.assessments_of(db_session, c.id)]
    submitted = [a for a in assessments if not a.is_draft]
    assert len(submitted) == 4
    instrument = bundle.active_instrument()
    for assessment in submitted:
        answers = store.company_answers(db_session, assessment.id)
        assert missing_required(instrument, answers, bundle.profile(assessment.company.profile)) == []
        snapshot = store.latest_snapshot(db_session, assessment.id)
        assert snapshot.result["sme"]["level"] is not None
    drafts = [a for a in assessments if a.is_draft]
    assert len(drafts) == 4
    users = {user.email: user for user in db_session.scalars(select(User))}
    for account in ACCOUNTS:
        user = users[account.email]
        assert user.role == account.role and user.check_password(account.password)
        assert account.email in result.output and account.password in result.output
    assert users["company@demo.test"].company_id == companies[0].id


def test_once_does_nothing_when_demo_data_exists(app, db_session):
    run_seed(app, "--companies", "3")
    again = run_seed(app, "--companies", "3", "--once")
    assert again.exit_code == 0 and "跳过" in again.output
    assert db_session.scalar(select(func.count()).select_from(Company)) == 3
