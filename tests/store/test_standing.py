"""A company's standing (diagnosis/store/standing.py) follows every write that changes it, and two
writers for one company at once on PostgreSQL leave both of their projects in it."""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from diagnosis.store import alembic_config, standing
from diagnosis.store.companies import Company
from diagnosis.store.db import make_engine
from diagnosis.store.projects import add_project, report_progress
from tests.pipeline.world import PARK_A, company, project, snapshot
from tests.support import furniture_company


def test_standing_follows_snapshots_and_projects(db_session):
    first, second, untouched = (company(db_session, PARK_A) for _ in range(3))
    snapshot(db_session, first, "furniture_2110",
             recommendations=[("r.cloud", "cloud_step"), ("r.5g", "5g_scenario")])
    assert first.self_sme_level is not None and first.verified_sme_level is None
    assert first.recommended_kinds == standing.kinds_text(["cloud", "5g_scenario"])
    assert first.started_kinds == ""

    snapshot(db_session, first, "furniture_2110", kind="verified", recommendations=[("r.robot", "robot")])
    assert first.verified_cmmm_level is not None and first.self_cmmm_level is not None
    assert first.recommended_kinds == ",robot,", "the latest snapshot of any kind recommends"

    robots = project(db_session, first, "robot")
    project(db_session, second, "cloud", "in_progress", invested="20")
    assert (first.started_kinds, second.started_kinds) == (",robot,", ",cloud,")
    project(db_session, first, "robot", "stopped")
    assert first.started_kinds == ",robot,", "the first robot project still runs"
    report_progress(db_session, robots, None, month=date(2026, 3, 1), status="stopped",
                    investment_to_date=Decimal(0), note="")
    assert first.started_kinds == ""
    assert untouched.self_sme_level is None and untouched.recommended_kinds == ""
    assert standing.stale(db_session) == []


def test_stale_names_a_company_a_write_skipped(db_session):
    target = company(db_session, PARK_A)
    snapshot(db_session, target, "furniture_2110")
    db_session.execute(text("UPDATE companies SET self_sme_level = NULL WHERE id = :id"), {"id": target.id})
    assert standing.stale(db_session) == [target.id]
    standing.refresh(db_session, [target.id])
    assert standing.stale(db_session) == []


@pytest.mark.postgres_only
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="row locks: PostgreSQL only "
                    "(SQLite's writers queue for the database's write lock, so they cannot race)")
def test_two_projects_at_once_both_in_the_standing(committed_app):
    engine = committed_app.extensions["db_engine"]
    with Session(engine) as setup:
        company_id = furniture_company(setup, 8300, "同时立项企业").id
        setup.commit()
    errors: list[BaseException] = []

    def start(kind: str) -> None:
        try:
            with Session(engine) as session:
                add_project(session, company_id, None, kind=kind, name=kind, planned_investment=Decimal(10),
                            start_on=date(2026, 1, 1), planned_finish_on=date(2026, 12, 31))
                session.commit()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=start, args=(kind,)) for kind in ("cloud", "robot")]
    with engine.connect() as holder:
        # Both writers insert their project, then wait for the company row their refresh locks.
        holder.execute(text("SELECT id FROM companies WHERE id = :id FOR NO KEY UPDATE"), {"id": company_id})
        holder_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar()
        for thread in threads:
            thread.start()
        with engine.connect() as watcher:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and watcher.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                    {"pid": holder_pid}).scalar() < 2:
                time.sleep(0.05)
        holder.rollback()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with Session(engine) as check:
        assert check.get(Company, company_id).started_kinds == ",cloud,robot,"
        assert standing.stale(check) == []


def test_the_migration_fills_in_existing_companies(committed_url):
    """Downgraded past the standing's migration and upgraded again, a district with snapshots and
    projects gets the standing `refresh` would give it."""
    engine = make_engine(committed_url)
    with Session(engine) as session:
        first, second = company(session, PARK_A), company(session, PARK_A)
        snapshot(session, first, "furniture_2110", recommendations=[("r.cloud", "cloud_step")])
        snapshot(session, first, "furniture_2110", kind="verified")
        project(session, second, "robot", "in_progress", quantity=3)
        session.commit()
        expected = {row.id: (row.self_sme_level, row.verified_cmmm_level, row.recommended_kinds,
                             row.started_kinds) for row in session.scalars(select(Company))}
    # A plain engine, with SQLite's foreign keys off: batch mode re-creates the table on the way down,
    # which with foreign keys on would delete its snapshots and projects.
    plain = create_engine(committed_url)
    with plain.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0008_api_tokens")
        command.upgrade(alembic_config(connection=connection), "head")
    plain.dispose()
    with Session(engine) as session:
        found = {row.id: (row.self_sme_level, row.verified_cmmm_level, row.recommended_kinds,
                          row.started_kinds) for row in session.scalars(select(Company))}
        assert found == expected and found[second.id][3] == ",robot,"
        assert standing.stale(session) == []
    engine.dispose()
