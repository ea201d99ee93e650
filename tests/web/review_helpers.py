"""Helpers for the review tests and benchmarks: a company assigned to a provider organisation, with a
submitted assessment (an example answer file and its self snapshot), the organisation's lead, the
assigned diagnostician and the company's user."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.store import assessments as store
from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.assignments import assign, plan_visit
from tests.conftest import TEST_PASSWORD_HASH
from tests.support import furniture_company
from tests.web.assess_helpers import example, example_result, fill, new_assessment

_sequence = itertools.count(9000)


@dataclass
class ReviewWorld:
    company: Any
    assessment: Any
    org: Any
    lead: Any
    diagnostician: Any
    company_user: Any


def build_review_world(session: Session, park: str = "家居产业园",
                       name: str = "furniture_2110") -> ReviewWorld:
    """Everything added and flushed through ``session`` (the caller commits when it must)."""
    seq = next(_sequence)
    org = ProviderOrg(name=f"核验服务商{seq}")
    session.add(org)
    session.flush()
    company = furniture_company(session, seq, f"核验企业{seq}", park=park)
    assignment = assign(session, company, org.id, None)
    assert assignment is not None

    def user(role: str, label: str, **fields: Any) -> User:
        person = User(email=f"{label}{seq}@example.cn", name=f"{label}{seq}", role=role,
                      password_hash=TEST_PASSWORD_HASH, active=True, **fields)
        session.add(person)
        return person

    lead = user("provider", "lead", provider_org_id=org.id, is_lead=True)
    diagnostician = user("provider", "diag", provider_org_id=org.id)
    company_user = user("company", "company", company_id=company.id)
    session.flush()
    plan_visit(session, assignment, diagnostician.id, None)
    assessment = new_assessment(session, company, company_user)
    fill(session, assessment, example(name)["answers"])
    store.add_snapshot(session, assessment, example_result(name), kind="self")
    store.change_status(session, assessment, "submitted", company_user.id)
    session.flush()
    return ReviewWorld(company, assessment, org, lead, diagnostician, company_user)


def submitted_for_review(db_session: Session, *_factories: Any) -> ReviewWorld:
    """`build_review_world` on the test's session (the factories are not needed)."""
    return build_review_world(db_session)


def act_url(assessment, qid: str) -> str:
    return f"/reviews/{assessment.id}/questions/{qid}"


def act(client, assessment, qid: str, token: str, action: str, rev: int | None = 0, htmx: bool = True,
        **fields: Any):
    data = {"action": action, "csrf_token": token, **fields}
    if rev is not None:
        data["rev"] = str(rev)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(act_url(assessment, qid), data=data, headers=headers)
