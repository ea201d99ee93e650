"""Assignment: officials (their parks only) and admins assign provider organisations, one company or
many; the lead plans the diagnostician and the visit; the company sees who is coming; a race between
two officials ends with one current assignment."""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from diagnosis.store import assessments as store
from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.assignments import Assignment, current_assignment
from diagnosis.store.companies import Company
from tests.conftest import TEST_PASSWORD_HASH
from tests.support import csrf_from, furniture_company
from tests.web.assess_helpers import example_result, new_assessment


def history(db_session, company) -> list[tuple[int, bool]]:
    """(organisation, current?) of every assignment of the company, oldest first."""
    db_session.expire_all()
    rows = db_session.scalars(select(Assignment).where(Assignment.company_id == company.id)
                              .order_by(Assignment.id))
    return [(row.provider_org_id, row.ended_at is None) for row in rows]


@pytest.fixture
def world(make_company, make_provider_org, make_user):
    """An official of 家居产业园 with two companies there, a company in 化工园区, two organisations."""
    orgs = [make_provider_org("甲服务商"), make_provider_org("乙服务商")]
    home = [make_company(name=name, park="家居产业园") for name in ("家居一号", "家居二号")]
    away = make_company(name="化工一号", park="化工园区")
    official = make_user(role="official", regions=["家居产业园"], name="赵科长")
    return {"orgs": orgs, "home": home, "away": away, "official": official}


def assign_one(client, post_form, company, org_id):
    return post_form(client, f"/assignments/company/{company.id}", {"provider_org_id": str(org_id)})


def test_an_official_assigns_from_the_company_page(client, login, post_form, db_session, world):
    login(client, world["official"])
    company, org = world["home"][0], world["orgs"][0]
    page = client.get(f"/company/{company.id}").get_data(as_text=True)
    assert 'action="/assignments/company/' in page and "甲服务商" in page and "尚未分配服务商" in page
    response = assign_one(client, post_form, company, org.id)
    assert response.headers["Location"] == f"/company/{company.id}"
    assignment = current_assignment(db_session, company.id)
    assert (assignment.provider_org_id, assignment.assigned_by_id) == (org.id, world["official"].id)
    db_session.refresh(company)
    assert company.provider_org_id == org.id
    page = client.get(f"/company/{company.id}").get_data(as_text=True)
    assert "分配记录" in page and "赵科长" in page and "待服务机构安排" in page


def test_reassigning_keeps_the_history_and_the_same_org_changes_nothing(client, login, post_form,
                                                                        db_session, world):
    login(client, world["official"])
    company, (first, second) = world["home"][0], world["orgs"]
    assign_one(client, post_form, company, first.id)
    same = assign_one(client, post_form, company, first.id)
    assert history(db_session, company) == [(first.id, True)]
    assert "没有变更" in client.get(same.headers["Location"]).get_data(as_text=True)
    assign_one(client, post_form, company, second.id)
    assert history(db_session, company) == [(first.id, False), (second.id, True)]
    page = client.get(f"/assignments/company/{company.id}").get_data(as_text=True)
    assert page.index("乙服务商") < page.rindex("甲服务商")  # newest first
    assign_one(client, post_form, company, -1)  # ended: no current assignment
    assert history(db_session, company) == [(first.id, False), (second.id, False)]
    db_session.refresh(company)
    assert company.provider_org_id is None


def test_an_official_cannot_assign_outside_their_parks(client, login, post_form, db_session, world):
    login(client, world["official"])
    away = world["away"]
    assert client.get(f"/company/{away.id}").status_code == 404
    assert assign_one(client, post_form, away, world["orgs"][0].id).status_code == 404
    assert history(db_session, away) == []


def test_a_forged_organisation_is_refused_at_the_field(client, login, post_form, db_session, world):
    login(client, world["official"])
    company = world["home"][0]
    for value in ("0", "999999", "abc"):
        response = assign_one(client, post_form, company, value)
        assert response.status_code == 200 and "请从列表中选择服务商" in response.get_data(as_text=True)
    assert history(db_session, company) == []


def test_an_admin_assigns_anywhere(client, login, post_form, db_session, world, make_user):
    login(client, make_user(role="admin"))
    assign_one(client, post_form, world["away"], world["orgs"][1].id)
    assert history(db_session, world["away"]) == [(world["orgs"][1].id, True)]


def bulk(client, post_form, ids, org_id, query="", **fields):
    data = {"target": "selected", "company_ids": [str(i) for i in ids], "provider_org_id": str(org_id),
            **fields}
    return post_form(client, f"/assignments/{query}", data, page="/assignments/")


def test_bulk_assignment_of_the_ticked_companies(client, login, post_form, db_session, world):
    login(client, world["official"])
    org = world["orgs"][0]
    response = bulk(client, post_form, [c.id for c in world["home"]], org.id)
    assert response.status_code == 302
    assert all(history(db_session, c) == [(org.id, True)] for c in world["home"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已将 2 家企业分配给 甲服务商" in page


def test_bulk_with_a_company_outside_the_parks_assigns_none(client, login, post_form, db_session, world):
    login(client, world["official"])
    for ids in ([world["home"][0].id, world["away"].id], [world["home"][1].id, 999999]):
        response = bulk(client, post_form, ids, world["orgs"][0].id)
        assert response.status_code == 400
        assert "有 1 家不在您负责的区域内或不存在，本次没有分配任何企业" in response.get_data(as_text=True)
    assert all(history(db_session, c) == [] for c in [*world["home"], world["away"]])


def test_bulk_needs_a_ticked_company_and_an_organisation(client, login, post_form, world):
    login(client, world["official"])
    none_ticked = bulk(client, post_form, [], world["orgs"][0].id).get_data(as_text=True)
    assert "请至少勾选一家企业" in none_ticked
    no_org = bulk(client, post_form, [world["home"][0].id], 0).get_data(as_text=True)
    assert "请从列表中选择服务商" in no_org
    forged = bulk(client, post_form, ["x"], world["orgs"][0].id).get_data(as_text=True)
    assert "所选企业无效" in forged


def test_bulk_all_filtered_takes_the_match_as_shown(client, login, post_form, db_session, world,
                                                    make_company):
    login(client, world["official"])
    small = make_company(name="家居小微", park="家居产业园", above_designated_size=False)
    org = world["orgs"][1]
    query = "?size=below"
    page = client.get(f"/assignments/{query}").get_data(as_text=True)
    assert "共 1 家企业符合条件" in page and "家居小微" in page and "家居一号" not in page
    stale = bulk(client, post_form, [], org.id, query, target="filtered", expected="2")
    assert "现在共有 1 家企业符合条件" in stale.get_data(as_text=True)
    assert history(db_session, small) == []
    done = bulk(client, post_form, [], org.id, query, target="filtered", expected="1")
    assert done.status_code == 302 and history(db_session, small) == [(org.id, True)]
    assert all(history(db_session, c) == [] for c in world["home"])


def self_snapshot(db_session, company, level):
    assessment = new_assessment(db_session, company)
    result = example_result()
    store.add_snapshot(db_session, assessment, {**result, "sme": {**result["sme"], "level": level}})
    store.change_status(db_session, assessment, "submitted", None)


def listed(client, query: str) -> set[str]:
    page = client.get(f"/assignments/?{query}").get_data(as_text=True)
    return {name for name in ("家居一号", "家居二号", "化工一号", "家居化工", "家居已分") if name in page}


def test_the_list_filters(client, login, db_session, world, make_company, make_user):
    login(client, make_user(role="admin"))
    make_company(name="家居化工", park="家居产业园", industry_code="2614")
    make_company(name="家居已分", park="家居产业园", provider_org=world["orgs"][0])
    self_snapshot(db_session, world["home"][0], 2)
    self_snapshot(db_session, world["home"][1], 3)
    assert listed(client, "park=化工园区") == {"化工一号"}
    assert listed(client, "level=2") == {"家居一号"}
    assert listed(client, "level=none") == {"化工一号", "家居化工", "家居已分"}
    assert listed(client, "industry_code=2614") == {"家居化工"}
    assert listed(client, "unassigned=y&park=家居产业园") == {"家居一号", "家居二号", "家居化工"}
    assert listed(client, "industry_tag=chemicals") == {"家居化工"}
    furniture = {"家居一号", "家居二号", "化工一号", "家居已分"}
    assert listed(client, "industry_tag=furniture&size=above") == furniture
    assert client.get("/assignments/?level=9").status_code == 400


def test_an_official_lists_only_their_parks(client, login, world):
    login(client, world["official"])
    page = client.get("/assignments/").get_data(as_text=True)
    assert "家居一号" in page and "化工一号" not in page
    assert client.get("/assignments/?park=化工园区").status_code == 400


@pytest.fixture
def assigned(db_session, world, make_user):
    """家居一号 assigned to 甲 with its lead and a diagnostician; a diagnostician of 乙."""
    from diagnosis.store.assignments import assign

    company, (org, other) = world["home"][0], world["orgs"]
    assign(db_session, company, org.id, world["official"].id)
    return {"company": company, "lead": make_user(role="provider", provider_org=org, is_lead=True),
            "member": make_user(role="provider", provider_org=org, name="王诊断师"),
            "stranger": make_user(role="provider", provider_org=other),
            "gone": make_user(role="provider", provider_org=org, active=False)}


def plan(client, post_form, company, user_id, day, next_url="/work/"):
    return post_form(client, f"/assignments/company/{company.id}/visit",
                     {"diagnostician_id": str(user_id), "planned_visit": day, "next": next_url},
                     page=f"/assignments/company/{company.id}/visit")


def test_the_lead_plans_with_a_diagnostician_of_their_own(client, login, post_form, db_session, assigned):
    login(client, assigned["lead"])
    company, day = assigned["company"], (date.today() + timedelta(days=7))
    response = plan(client, post_form, company, assigned["member"].id, day.isoformat())
    assert response.headers["Location"] == "/work/"
    db_session.expire_all()
    current = current_assignment(db_session, company.id)
    assert (current.diagnostician_id, current.planned_visit) == (assigned["member"].id, day)
    for forged in (assigned["stranger"].id, assigned["gone"].id, "abc"):
        refused = plan(client, post_form, company, forged, day.isoformat())
        assert "只能选择本机构在职的诊断师" in refused.get_data(as_text=True)
    too_early = plan(client, post_form, company, 0, (date.today() - timedelta(days=400)).isoformat())
    assert "不能早于" in too_early.get_data(as_text=True)
    bad_format = plan(client, post_form, company, 0, "18/03/2025")
    assert "请按“年-月-日”填写日期" in bad_format.get_data(as_text=True)
    db_session.expire_all()
    current = current_assignment(db_session, company.id)
    assert (current.diagnostician_id, current.planned_visit) == (assigned["member"].id, day)


def test_a_diagnostician_who_is_not_the_lead_cannot_plan(client, login, post_form, db_session, assigned):
    login(client, assigned["member"])
    company = assigned["company"]
    assert client.get(f"/assignments/company/{company.id}/visit").status_code == 403
    login(client, assigned["stranger"])
    assert client.get(f"/assignments/company/{company.id}/visit").status_code == 404
    assert current_assignment(db_session, company.id).diagnostician_id is None


def test_the_company_sees_who_is_coming(client, login, post_form, make_user, assigned, world):
    company = assigned["company"]
    login(client, assigned["lead"])
    day = date.today() + timedelta(days=5)
    plan(client, post_form, company, assigned["member"].id, day.isoformat())
    login(client, make_user(role="company", company=company))
    page = client.get(f"/company/{company.id}").get_data(as_text=True)
    assert "甲服务商" in page and "王诊断师" in page and day.isoformat() in page
    assert "分配记录" not in page and "assign-provider-org" not in page
    login(client, make_user(role="company", company=world["home"][1]))
    assert "上门诊断" not in client.get(f"/company/{world['home'][1].id}").get_data(as_text=True)


# The race: two officials at the same moment, through a real threaded server on the committed database.

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


def post(url: str, cookie: str, data: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST",
                                     headers={"Cookie": f"session={cookie}"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def signed_in(app, user: User, company_id: int) -> tuple[str, str]:
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["_user_id"] = user.get_id()
        browser["_fresh"] = True
    token = csrf_from(client.get(f"/assignments/company/{company_id}").get_data(as_text=True))
    return client.get_cookie("session").value, token


def waiting_on(connection, holder: int) -> int:
    """How many backends wait, directly or in a queue, behind the backend ``holder``."""
    rows = connection.execute(text("SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity")).all()
    connection.rollback()  # the activity view is a snapshot per transaction
    blocked, grew = {holder}, True
    while grew:
        grew = False
        for pid, blockers in rows:
            if pid not in blocked and blocked.intersection(blockers or []):
                blocked.add(pid)
                grew = True
    return len(blocked) - 1


LOCKS = {"first assignment": "SELECT id FROM companies WHERE id = :id FOR UPDATE",
         "reassignment": "SELECT id FROM assignments WHERE company_id = :id AND ended_at IS NULL FOR UPDATE"}


@pytest.mark.postgres_only
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="row locks: PostgreSQL only "
                    "(SQLite's writers queue for the database's write lock, so they cannot race)")
@pytest.mark.parametrize("case", list(LOCKS))
def test_two_officials_at_once_leave_one_current_assignment(committed_app, case):
    engine = committed_app.extensions["db_engine"]
    with Session(engine) as setup:
        company = furniture_company(setup, 8200, "竞争企业")
        orgs = [ProviderOrg(name=name) for name in ("丙服务商", "丁服务商", "戊服务商")]
        officials = [User(email=f"race{n}@example.cn", name=f"科长{n}", role="official",
                          regions=["家居产业园"], password_hash=TEST_PASSWORD_HASH, active=True)
                     for n in range(2)]
        setup.add_all([*orgs, *officials])
        setup.flush()
        if case == "reassignment":
            from diagnosis.store.assignments import assign

            assign(setup, company, orgs[2].id, None)
        setup.commit()
        company_id, org_ids = company.id, [org.id for org in orgs[:2]]
        tabs = [signed_in(committed_app, official, company_id) for official in officials]
    server = make_server("127.0.0.1", 0, committed_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.port}/assignments/company/{company_id}"
    outcomes: list[tuple[int, str]] = [(0, "")] * 2

    def run(index: int) -> None:
        cookie, token = tabs[index]
        outcomes[index] = post(url, cookie, {"provider_org_id": str(org_ids[index]), "csrf_token": token})

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    try:
        with engine.connect() as holder:
            holder.execute(text(LOCKS[case]), {"id": company_id})
            holder_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar()
            for thread in threads:
                thread.start()
            with engine.connect() as watcher:
                deadline = time.monotonic() + 30
                while waiting_on(watcher, holder_pid) < 2 and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert waiting_on(watcher, holder_pid) == 2
            holder.rollback()
        for thread in threads:
            thread.join()
    finally:
        server.shutdown()
    statuses = sorted(status for status, _body in outcomes)
    assert statuses == [302, 409], outcomes
    loser = next(body for status, body in outcomes if status == 409)
    assert "本次分配没有保存" in loser
    with Session(engine) as check:
        current = check.scalars(select(Assignment).where(Assignment.company_id == company_id,
                                                         Assignment.ended_at.is_(None))).all()
        winner = org_ids[[status for status, _body in outcomes].index(302)]
        assert [row.provider_org_id for row in current] == [winner]
        assert check.get(Company, company_id).provider_org_id == winner
        assert len(check.scalars(select(Assignment).where(Assignment.company_id == company_id)).all()) == (
            1 if case == "first assignment" else 2)
