"""The company's journey, derived from stored records: a world built step by step with known dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from diagnosis.pipeline.journey import company_journey
from diagnosis.store import assessments as store
from diagnosis.store.projects import add_project, recognise, report_progress
from diagnosis.store.reviews import ensure_review
from tests.web.assess_helpers import example_result, new_assessment
from tests.web.review_helpers import build_review_world


def at(month: int, day: int, hour: int = 2) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def keys_and_dates(journey) -> list[tuple[str, str]]:
    return [(step.key, step.on.isoformat()) for step in journey.steps]


def test_a_roster_company_is_listed_and_waits_for_its_registration(make_company, db_session):
    listed = make_company(imported_at=at(1, 3), registered_at=None, employees=None, revenue_band=None)
    journey = company_journey(db_session, listed)
    assert keys_and_dates(journey) == [("listed", "2026-01-03")]
    assert journey.next == "registered" and journey.next_label == "企业注册"


def test_every_step_from_roster_to_reassessment_with_its_date(app, db_session):
    world = build_review_world(db_session)
    company, assessment = world.company, world.assessment
    company.imported_at, company.registered_at = at(1, 3), at(1, 10)
    self_snapshot = store.latest_snapshot(db_session, assessment.id, "self")
    assert self_snapshot is not None
    self_snapshot.created_at = at(2, 1)
    journey = company_journey(db_session, company)
    assert journey.next == "verified"  # registered, self-assessed, assigned (today, by the helper)

    verified = store.add_snapshot(db_session, assessment, example_result(), kind="verified")
    verified.created_at = at(3, 1, hour=20)  # 04:00 on 2 March in Shanghai
    review = ensure_review(db_session, assessment.id)
    review.response, review.responded_at = "disputed", at(3, 5)
    with app.app_context():
        project = add_project(db_session, company.id, None, kind="robots", name="焊接机器人",
                              planned_investment=Decimal("120"), quantity=4, start_on=date(2026, 3, 10),
                              planned_finish_on=date(2026, 9, 30))
        project.created_at = at(3, 10)
        report = report_progress(db_session, project, None, month=date(2026, 6, 1), status="completed",
                                 investment_to_date=Decimal("118"), note="")
        report.at = at(6, 28)
        recognise(db_session, project, None, kind="robots_in_service", recognised_on=date(2026, 7, 15),
                  reference="裕经信〔2026〕12号")
    later = new_assessment(db_session, company)
    store.add_snapshot(db_session, later, example_result(), kind="self").created_at = at(8, 20)
    db_session.flush()

    journey = company_journey(db_session, company)
    steps = keys_and_dates(journey)
    assert [key for key, _on in steps] == ["listed", "registered", "self_assessed", "assigned", "verified",
                                          "responded", "project", "completed", "recognised", "reassessed"]
    assert dict(steps) | {"assigned": "-"} == {
        "listed": "2026-01-03", "registered": "2026-01-10", "self_assessed": "2026-02-01", "assigned": "-",
        "verified": "2026-03-02", "responded": "2026-03-05", "project": "2026-03-10",
        "completed": "2026-06-28", "recognised": "2026-07-15", "reassessed": "2026-08-20"}
    assert journey.steps[5].label == "企业对诊断结果有异议"
    assert journey.next is None


def test_a_second_self_snapshot_of_the_verified_assessment_is_not_a_reassessment(db_session):
    world = build_review_world(db_session)
    verified = store.add_snapshot(db_session, world.assessment, example_result(), kind="verified")
    verified.created_at = at(3, 1)
    store.add_snapshot(db_session, world.assessment, example_result(), kind="self").created_at = at(4, 1)
    db_session.flush()
    assert "reassessed" not in [step.key for step in company_journey(db_session, world.company).steps]


def test_the_profile_shows_the_journey_to_everyone_who_may_see_the_company(client, login, db_session):
    world = build_review_world(db_session)
    world.company.registered_at = at(1, 10)
    db_session.flush()
    for user in (world.company_user, world.lead):
        login(client, user)
        page = client.get(f"/company/{world.company.id}").get_data(as_text=True)
        assert 'data-step="registered"' in page and "2026-01-10" in page
        assert 'class="journey__step journey__step--next muted" data-step="verified"' in page
