"""Two people report progress on one project at the same moment, from the same revision, through a real
threaded server and a real database: exactly one report is kept, the other gets the conflict (409),
and the project carries the winner's values.

On PostgreSQL the project's row lock serialises them; on SQLite the write lock does.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis.store.projects import Project, ProjectProgress, add_project
from tests.web.review_helpers import build_review_world
from tests.web.test_assess_concurrency import browser_cookie, race, serving

ROUNDS = 6


@pytest.fixture
def world(committed_app) -> dict:
    with Session(committed_app.extensions["db_engine"]) as session:
        built = build_review_world(session)
        project = add_project(session, built.company.id, None, kind="cloud", name="并发项目",
                              provider_org_id=None, planned_investment=Decimal("50"), quantity=None,
                              start_on=date(2026, 1, 1), planned_finish_on=date(2026, 12, 31))
        session.commit()
        return {"project_id": project.id, "users": [built.company_user.get_id(), built.lead.get_id()]}


def stored(app, project_id: int) -> tuple[Project, list[ProjectProgress]]:
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        project = session.get(Project, project_id)
        assert project is not None
        reports = list(session.scalars(select(ProjectProgress).where(ProjectProgress.project_id == project_id)
                                       .order_by(ProjectProgress.id)))
        return project, reports


def test_two_reports_from_one_revision_exactly_one_wins(committed_app, world):
    tabs = [browser_cookie(committed_app, user) for user in world["users"]]
    url = f"/projects/{world['project_id']}/progress"
    month = date.today().strftime("%Y-%m")
    with serving(committed_app) as base:
        for round_number in range(ROUNDS):
            values = [{"month": month, "status": "in_progress", "note": f"第{round_number}轮，{tab}号",
                       "investment_to_date": str(10 * round_number + tab), "revision": str(round_number)}
                      for tab in range(2)]
            statuses = race(base, tabs, url, values)
            assert sorted(statuses) == [303, 409], (round_number, statuses)
            project, reports = stored(committed_app, world["project_id"])
            winner = values[statuses.index(303)]
            assert project.revision == round_number + 1
            assert project.investment_to_date == Decimal(winner["investment_to_date"])
            assert [report.note for report in reports][-1] == winner["note"]
    assert len(stored(committed_app, world["project_id"])[1]) == ROUNDS
