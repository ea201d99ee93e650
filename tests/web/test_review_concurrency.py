"""Two reviewers on one assessment at the same moment, through a real threaded server and a real
database: the lead and the diagnostician adjust the same question from the same revision (exactly one
wins, the other gets the conflict, the review's audit chain has no gap), and both sign off at once
(exactly one verified snapshot).

On PostgreSQL the assessment's row lock serialises them; on SQLite the write lock does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from tests.web.review_helpers import build_review_world
from tests.web.test_assess_concurrency import assert_unbroken, browser_cookie, race, serving

ROUNDS = 8


@pytest.fixture
def world(committed_app) -> dict:
    with Session(committed_app.extensions["db_engine"]) as session:
        built = build_review_world(session)
        session.commit()
        return {"assessment_id": built.assessment.id,
                "users": [built.lead.get_id(), built.diagnostician.get_id()]}


def review_chain(app, assessment_id: int, question_id: str) -> list[tuple[object, object]]:
    with Session(app.extensions["db_engine"]) as session:
        events = session.scalars(select(store.AuditEvent).where(
            store.AuditEvent.assessment_id == assessment_id, store.AuditEvent.question_id == question_id,
            store.AuditEvent.source == "review").order_by(store.AuditEvent.id))
        return [(event.old, event.new) for event in events]


def item_revision(app, assessment_id: int, question_id: str) -> tuple[object, int]:
    with Session(app.extensions["db_engine"]) as session:
        item = reviews.items(session, assessment_id)[question_id]
        verified = store.answer_rows(session, assessment_id, "verified")[question_id]
        return verified.value, item.revision


def test_two_reviewers_adjusting_one_question_exactly_one_wins(committed_app, world):
    tabs = [browser_cookie(committed_app, user) for user in world["users"]]
    url = f"/reviews/{world['assessment_id']}/questions/equip_networked"
    revision = 0
    with serving(committed_app) as base:
        for round_number in range(ROUNDS):
            values = [{"action": "adjust", "q_equip_networked": str(10 + 2 * round_number + tab),
                       "reason_code": "site_differs", "reason_text": f"第{round_number}轮，{tab}号",
                       "rev": str(revision)} for tab in range(2)]
            statuses = race(base, tabs, url, values)
            assert sorted(statuses) == [200, 409], (round_number, statuses)
            value, revision = item_revision(committed_app, world["assessment_id"], "equip_networked")
            assert value == int(values[statuses.index(200)]["q_equip_networked"])
    chain = review_chain(committed_app, world["assessment_id"], "equip_networked")
    assert len(chain) == ROUNDS
    assert_unbroken(chain)


def test_two_sign_offs_at_once_give_one_verified_snapshot(committed_app, world):
    with Session(committed_app.extensions["db_engine"]) as session:
        assessment = session.get(store.Assessment, world["assessment_id"])
        for question_id in store.company_answers(session, assessment.id):
            reviews.set_item(session, assessment, question_id, "accepted", None)
        session.commit()
    tabs = [browser_cookie(committed_app, user) for user in world["users"]]
    with serving(committed_app) as base:
        statuses = race(base, tabs, f"/reviews/{world['assessment_id']}/sign-off", [{}, {}])
    assert sorted(statuses) == [302, 409], statuses
    with Session(committed_app.extensions["db_engine"]) as session:
        count = session.scalar(select(func.count()).select_from(store.ResultSnapshot).where(
            store.ResultSnapshot.assessment_id == world["assessment_id"],
            store.ResultSnapshot.kind == "verified"))
        assert count == 1
        assert session.get(store.Assessment, world["assessment_id"]).status == "verified"
