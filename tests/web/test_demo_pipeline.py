"""The demo seed's pipeline: projects made from the companies' recommendations in every status with
their monthly progress, recognitions the catalogue allows, this year's targets (two set by the
official), roster-only companies; and the official's dashboard counting them.

One seeded district (the default 40 companies, as `make run` makes it) for the whole check: a seed
takes seconds (the demo accounts' password hashes and the reviews)."""

from __future__ import annotations

from sqlalchemy import func, select

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.pipeline.figures import Filters, coverage, dashboard_targets, target_figures
from diagnosis.store import standing
from diagnosis.store.accounts import User, user_by_email, utcnow
from diagnosis.store.assessments import ResultSnapshot, SnapshotRecommendation
from diagnosis.store.companies import Company
from diagnosis.store.projects import STATUSES, Project, ProjectProgress, ProjectRecognition
from diagnosis.store.targets import TargetValue, year_targets
from tests.web.test_assess_demo import run_seed


def test_the_demo_district_has_a_live_pipeline_against_this_years_targets(app, client, login, db_session):
    result = run_seed(app)
    assert result.exit_code == 0, result.output
    pipeline = catalogue()
    today = utcnow().date()
    projects = list(db_session.scalars(select(Project).order_by(Project.id)))
    assert {project.status for project in projects} == set(STATUSES)
    for project in projects:
        recommended = db_session.scalars(
            select(SnapshotRecommendation.project_kind)
            .join(ResultSnapshot, ResultSnapshot.id == SnapshotRecommendation.snapshot_id)
            .where(ResultSnapshot.company_id == project.company_id, ResultSnapshot.is_latest,
                   SnapshotRecommendation.recommendation_id == project.recommendation_id)).all()
        assert recommended == [project.kind], project.name
        assert project.name and project.planned_investment > 0
        assert (project.quantity is not None) == (pipeline.project_kinds[project.kind].quantity is not None)
        assert project.start_on <= project.planned_finish_on
        assert {project.start_on.year, project.planned_finish_on.year} & {today.year - 1, today.year}
        reports = list(db_session.scalars(select(ProjectProgress)
                                          .where(ProjectProgress.project_id == project.id)
                                          .order_by(ProjectProgress.month)))
        assert reports and (reports[-1].status, reports[-1].investment_to_date) == (
            project.status, project.investment_to_date)
        invested = [report.investment_to_date for report in reports]
        assert invested == sorted(invested)
        assert all(report.month.day == 1 and report.month <= today for report in reports)
    recognitions = list(db_session.scalars(select(ProjectRecognition)))
    assert recognitions
    official = user_by_email(db_session, "official@demo.test")
    by_id = {project.id: project for project in projects}
    for recognition in recognitions:
        project = by_id[recognition.project_id]
        assert project.status == "completed" and recognition.company_id == project.company_id
        assert recognition.kind in {r.id for r in pipeline.recognitions_for(project.kind)}
        assert recognition.recorded_by_id == official.id and recognition.recognised_on <= today
    demo_company = user_by_email(db_session, "company@demo.test").company_id
    assert db_session.scalar(select(func.count()).select_from(Project)
                             .where(Project.company_id == demo_company)) >= 2

    targets = year_targets(db_session, today.year)
    set_by_official = [target for target in targets.values() if target.set]
    assert len(set_by_official) >= 2
    assert {row.set_by_id for row in db_session.scalars(select(TargetValue))} == {official.id}
    filters = Filters(year=today.year)
    figures = dashboard_targets(db_session, filters, {key: target.value for key, target in targets.items()})
    done = [figure for figure in figures if figure.stages["done"] > 0]
    assert done and any(sum(new for new, _total in figure.months.values()) > 0 for figure in done)
    met = [figure for figure in figures if figure.stages["done"] >= figure.goal > 0]
    assert len(met) >= 1 and len(met) < len(figures) / 2
    assert target_figures(db_session, filters, pipeline.targets["upgrade_projects"],
                          targets["upgrade_projects"].value).stages["done"] > 0

    assert standing.stale(db_session) == [], "every demo write keeps the companies' standing"
    shares = coverage(db_session, filters)
    assert shares["roster"] > shares["registered"] >= shares["self_assessed"] >= shares["verified"] > 0
    roster_only = list(db_session.scalars(select(Company).where(Company.registered_at.is_(None))))
    assert roster_only and all(company.imported_at is not None and company.employees is None
                               and company.revenue_band is None for company in roster_only)
    assert not db_session.scalar(select(func.count()).select_from(User).where(
        User.company_id.in_([company.id for company in roster_only])))
    assert all(company.registered_at == company.created_at
               for company in db_session.scalars(select(Company).where(Company.registered_at.is_not(None))))

    login(client, official)
    page = client.get("/pipeline/")
    assert page.status_code == 200
    assert pipeline.targets["upgrade_projects"].title["zh_CN"] in page.get_data(as_text=True)
