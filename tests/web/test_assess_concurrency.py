"""Two tabs saving the same question at the same moment, through a real threaded server and a real
database: exactly one save wins, the other gets the conflict, and the audit chain has no gap.

On PostgreSQL this is what the row lock on the assessment is for; on SQLite the write lock serialises
the two requests.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from diagnosis.core.bundle import load_bundle
from diagnosis.store import assessments as store
from diagnosis.store.accounts import User
from tests.conftest import TEST_PASSWORD_HASH
from tests.support import csrf_from, furniture_company

ROUNDS = 12


@pytest.fixture
def draft(committed_app) -> dict:
    """A company user with an open draft, committed."""
    with Session(committed_app.extensions["db_engine"]) as session:
        company = furniture_company(session, 8100, "并发测试企业")
        user = User(email="tabs@example.cn", name="张经理", role="company", company_id=company.id,
                    password_hash=TEST_PASSWORD_HASH, active=True)
        session.add(user)
        instrument = load_bundle().active_instrument()
        assessment = store.create_assessment(session, company.id, instrument.id, str(instrument.version),
                                             None)
        session.commit()
        return {"assessment_id": assessment.id, "user_id": user.get_id()}


@contextmanager
def serving(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()


def browser_cookie(app, user_id: str) -> tuple[str, str]:
    """A signed-in session cookie and the CSRF token of its form pages."""
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["_user_id"] = user_id
        browser["_fresh"] = True
    token = csrf_from(client.get("/assessments/").get_data(as_text=True))
    return client.get_cookie("session").value, token


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the status it is (the winner of a section save is sent on)."""

    def redirect_request(self, *_args, **_kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def post(url: str, cookie: str, data: dict[str, str]) -> int:
    """The status of a POST as the browser sends it (redirects not followed)."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST",
                                     headers={"Cookie": f"session={cookie}", "HX-Request": "true"})
    try:
        with OPENER.open(request, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def race(base: str, tabs: list[tuple[str, str]], path: str, values: list[dict[str, str]]) -> list[int]:
    """Post ``values[i]`` from tab i, all released at the same moment; the statuses in tab order."""
    start = threading.Barrier(len(tabs))
    statuses = [0] * len(tabs)

    def run(index: int) -> None:
        cookie, token = tabs[index]
        start.wait()
        statuses[index] = post(base + path, cookie, {**values[index], "csrf_token": token})

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def audit_chain(app, assessment_id: int, question_id: str) -> list[tuple[object, object]]:
    with Session(app.extensions["db_engine"]) as session:
        events = session.scalars(select(store.AuditEvent).where(
            store.AuditEvent.assessment_id == assessment_id, store.AuditEvent.question_id == question_id)
            .order_by(store.AuditEvent.id))
        return [(event.old, event.new) for event in events]


def stored_answer(app, assessment_id: int, question_id: str) -> tuple[object, int]:
    with Session(app.extensions["db_engine"]) as session:
        row = store.answer_rows(session, assessment_id)[question_id]
        return row.value, row.revision


def assert_unbroken(chain: list[tuple[object, object]]) -> None:
    """Every change starts from the value the previous one left."""
    previous = None
    for old, new in chain:
        assert old == previous, chain
        previous = new


#: (form, the path under the assessment, the winner's status, the loser's): the autosave of one answer,
#: and the whole-section form, whose winner is sent on (302) while the loser sees its section again
#: with the conflict marked (200).
SECTION = load_bundle().active_instrument().question("equip_total").section
SAVES = [
    ("autosave", "questions/equip_total", 200, 409),
    ("section form", f"sections/{SECTION}", 302, 200),
]


@pytest.mark.parametrize(("form", "path", "won", "lost"), SAVES, ids=[save[0] for save in SAVES])
def test_concurrent_saves_of_one_question_exactly_one_wins(committed_app, draft, form, path, won, lost):
    tabs = [browser_cookie(committed_app, draft["user_id"]) for _ in range(2)]
    url = f"/assessments/{draft['assessment_id']}/{path}"
    revision = 0
    with serving(committed_app) as base:
        for round_number in range(ROUNDS):
            values = [{"q_equip_total": str(100 + 2 * round_number + tab), "rev_equip_total": str(revision)}
                      for tab in range(2)]
            statuses = race(base, tabs, url, values)
            assert sorted(statuses) == sorted([won, lost]), (round_number, statuses)
            value, revision = stored_answer(committed_app, draft["assessment_id"], "equip_total")
            assert value == int(values[statuses.index(won)]["q_equip_total"])
    chain = audit_chain(committed_app, draft["assessment_id"], "equip_total")
    assert len(chain) == ROUNDS
    assert_unbroken(chain)
