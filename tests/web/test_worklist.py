"""The provider's work list: every derived state, scope by organisation, search and filters, the
links, the empty state; the store's derivation for a set of companies."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.store.assignments import current_assignment, plan_visit
from diagnosis.store.worklist import STATES, WorkScope, state_counts, work_rows
from tests.web.assess_helpers import example, example_result, new_assessment

ANSWERS = list(example()["answers"].items())[:6]


def submitted(db_session, company, answers=ANSWERS):
    """A submitted assessment of ``company`` with these company answers and a self snapshot."""
    assessment = new_assessment(db_session, company)
    for qid, value in answers:
        store.write_answer(db_session, assessment, qid, value, None)
    store.add_snapshot(db_session, assessment, example_result())
    store.change_status(db_session, assessment, "submitted", None)
    return assessment


def review(db_session, assessment, reviewed: int = 0, **columns):
    """Review items for the first ``reviewed`` answers, and the Review row's ``columns``."""
    for qid, _value in ANSWERS[:reviewed]:
        reviews.set_item(db_session, assessment, qid, "accepted", None)
    row = reviews.ensure_review(db_session, assessment.id)
    for name, value in columns.items():
        setattr(row, name, value)
    db_session.flush()
    return row


@pytest.fixture
def world(db_session, make_company, make_provider_org, make_user):
    """Organisation P with one company in every state (names say which), a lead and a diagnostician
    of P, and organisation Q with a company of its own."""
    org, other = make_provider_org("甲服务商"), make_provider_org("乙服务商")
    lead = make_user(role="provider", provider_org=org, is_lead=True, name="李组长")
    member = make_user(role="provider", provider_org=org, name="王诊断师")
    companies = {state: make_company(name=f"{state}企业", provider_org=org) for state in STATES}
    companies["other_org"] = make_company(name="乙方企业", provider_org=other, park="化工园区")
    new_assessment(db_session, companies["awaiting_self_assessment"])  # a draft does not count
    for state in STATES[1:]:
        submitted(db_session, companies[state])
    soon = date.today() + timedelta(days=3)
    plan_visit(db_session, current_assignment(db_session, companies["visit_planned"].id), member.id, soon)
    under_review = reviews.assessment_under_review
    review(db_session, under_review(db_session, companies["in_progress"].id), reviewed=2)
    review(db_session, under_review(db_session, companies["returned"].id), reviewed=1, returned_at=utcnow())
    for state, response in (("signed_off", None), ("confirmed", "confirmed"), ("disputed", "disputed")):
        assessment = under_review(db_session, companies[state].id)
        review(db_session, assessment, reviewed=len(ANSWERS), response=response, signed_off_at=utcnow())
        store.change_status(db_session, assessment, "verified", None)
    return {"org": org, "other": other, "lead": lead, "member": member, "companies": companies}


def test_every_state_is_derived_from_the_stored_data(db_session, world):
    rows = {row.company.name: row for row in work_rows(db_session, WorkScope(org_id=world["org"].id))}
    assert {name: row.state for name, row in rows.items()} == {f"{state}企业": state for state in STATES}
    progress = rows["in_progress企业"]
    assert (progress.reviewed, progress.total) == (2, len(ANSWERS))
    assert rows["awaiting_self_assessment企业"].assessment_id is None
    assert rows["visit_planned企业"].next_visit == date.today() + timedelta(days=3)
    assert list(rows)[0] == "visit_planned企业"  # the only planned visit first, the rest by name
    assert state_counts(db_session, WorkScope(org_id=world["org"].id)) == dict.fromkeys(STATES, 1)


def test_a_newer_submission_is_the_one_under_review(db_session, world):
    company = world["companies"]["confirmed"]
    newer = submitted(db_session, company)
    [row] = work_rows(db_session, WorkScope(company_ids=[company.id]))
    assert (row.assessment_id, row.state) == (newer.id, "self_assessed")


def test_a_set_of_companies_includes_unassigned_ones(db_session, world, make_company):
    loose = make_company(name="未分配企业")
    submitted(db_session, loose)
    ids = [loose.id, world["companies"]["other_org"].id]
    rows = {row.company.name: row for row in work_rows(db_session, WorkScope(company_ids=ids))}
    assert rows["未分配企业"].assignment is None and rows["未分配企业"].state == "self_assessed"
    assert rows["乙方企业"].assignment.provider_org.name == "乙服务商"


def test_the_lead_sees_every_state_with_the_review_links(client, login, world):
    login(client, world["lead"])
    page = client.get("/work/").get_data(as_text=True)
    for state in STATES:
        assert f"{state}企业" in page
    assert "乙方企业" not in page
    assert "等待企业自评" in page and "已核验 2 / 6 题" in page and "退回企业补充材料" in page
    assert "企业有异议" in page and "企业已确认" in page and "已签字确认" in page
    companies = world["companies"]
    assert f'/reviews/{reviews_id(companies["in_progress"])}' in page
    assert f'/company/{companies["awaiting_self_assessment"].id}"' in page
    assert page.count('name="diagnostician_id"') == len(STATES)  # the plan form on every row


def reviews_id(company):
    from diagnosis.store.db import get_session

    return reviews.assessment_under_review(get_session(), company.id).id


def test_a_diagnostician_starts_on_their_own_companies_and_sees_the_others_read_only(client, login, world):
    login(client, world["member"])
    mine = client.get("/work/").get_data(as_text=True)
    assert "visit_planned企业" in mine and "in_progress企业" not in mine
    assert f'/reviews/{reviews_id(world["companies"]["visit_planned"])}' in mine
    assert 'name="diagnostician_id"' not in mine  # only the lead plans
    everything = client.get("/work/?who=all").get_data(as_text=True)
    assert "in_progress企业" in everything and "/reviews/" in everything
    assert f'/reviews/{reviews_id(world["companies"]["in_progress"])}' not in everything


def test_search_and_filters(client, login, world):
    login(client, world["lead"])
    by_name = client.get("/work/?q=returned").get_data(as_text=True)
    assert "returned企业" in by_name and "in_progress企业" not in by_name
    code = world["companies"]["disputed"].credit_code
    by_code = client.get(f"/work/?q={code.lower()}").get_data(as_text=True)
    assert "disputed企业" in by_code and "confirmed企业" not in by_code
    by_state = client.get("/work/?state=signed_off").get_data(as_text=True)
    assert "signed_off企业" in by_state and "disputed企业" not in by_state
    assert "没有符合条件的企业" in client.get("/work/?park=化工园区").get_data(as_text=True)


def test_another_organisation_never_sees_the_companies(client, login, world, make_user):
    login(client, make_user(role="provider", provider_org=world["other"], is_lead=True))
    page = client.get("/work/?who=all").get_data(as_text=True)
    assert "乙方企业" in page and "in_progress企业" not in page
    searched = client.get("/work/?q=企业&who=all").get_data(as_text=True)
    assert "returned企业" not in searched and "乙方企业" in searched


def test_an_organisation_with_nothing_assigned_says_what_happens_next(client, login, make_user):
    login(client, make_user(role="provider", is_lead=True))
    page = client.get("/work/").get_data(as_text=True)
    assert "区里的主管部门分配企业后，企业会出现在这里" in page


def test_bad_filters_are_refused_at_the_field(client, login, world):
    login(client, world["lead"])
    response = client.get("/work/?state=bogus&page=x")
    assert response.status_code == 400
    assert "请填写整数" in response.get_data(as_text=True)


def test_the_provider_home_leads_to_the_work_list(client, login, world):
    login(client, world["member"])
    assert 'href="/work/"' in client.get("/").get_data(as_text=True)
