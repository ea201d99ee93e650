"""Helpers for the review tests: a company assigned to a provider organisation, with a submitted
assessment (the example furniture answers and their self snapshot), its lead and its diagnostician."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diagnosis.store import assessments as store
from diagnosis.store.assignments import current_assignment, plan_visit
from tests.web.assess_helpers import company_like, example, example_result, fill, new_assessment


@dataclass
class ReviewWorld:
    company: Any
    assessment: Any
    org: Any
    lead: Any
    diagnostician: Any
    company_user: Any


def submitted_for_review(db_session, make_company, make_user, make_provider_org, park: str = "家居产业园",
                         name: str = "furniture_2110") -> ReviewWorld:
    org = make_provider_org()
    company = company_like(make_company, name, provider_org=org, park=park)
    lead = make_user("provider", provider_org=org, is_lead=True, name="李组长")
    diagnostician = make_user("provider", provider_org=org, name="王诊断")
    plan_visit(db_session, current_assignment(db_session, company.id), diagnostician.id, None)
    company_user = make_user("company", company=company)
    assessment = new_assessment(db_session, company, company_user)
    fill(db_session, assessment, example(name)["answers"])
    store.add_snapshot(db_session, assessment, example_result(name), kind="self")
    store.change_status(db_session, assessment, "submitted", company_user.id)
    db_session.flush()
    return ReviewWorld(company, assessment, org, lead, diagnostician, company_user)


def act_url(assessment, qid: str) -> str:
    return f"/reviews/{assessment.id}/questions/{qid}"


def act(client, assessment, qid: str, token: str, action: str, rev: int | None = 0, htmx: bool = True,
        **fields: Any):
    data = {"action": action, "csrf_token": token, **fields}
    if rev is not None:
        data["rev"] = str(rev)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(act_url(assessment, qid), data=data, headers=headers)
