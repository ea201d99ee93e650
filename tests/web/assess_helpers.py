"""Helpers for the assessment tests: companies matching the example answer files, htmx posts."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.store import assessments as store
from diagnosis.store.db import get_session, session

ROOT = Path(__file__).resolve().parents[2]


def example(name: str = "furniture_2110") -> dict:
    """An answer file of examples/ (profile and complete answers)."""
    return json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))


def company_like(make_company, name: str = "furniture_2110", **fields):
    """A company whose profile is the example's."""
    profile = example(name)["profile"]
    values = {key: profile[key] for key in ("industry_code", "employees", "above_designated_size",
                                            "revenue_band") if key in profile}
    return make_company(**{**values, **fields})


def instrument():
    return load_bundle().active_instrument()


def new_assessment(db_session, company, user=None):
    active = instrument()
    return store.create_assessment(db_session, company.id, active.id, str(active.version),
                                   user.id if user else None)


@cache
def example_result(name: str = "furniture_2110") -> dict:
    """The engine's result for an example answer file (computed once per test session)."""
    data = example(name)
    return diagnose(load_bundle(), data["answers"], data["profile"])


def access_world(company) -> dict[str, int]:
    """For the access matrix: a submitted assessment (with a snapshot) and an open draft of
    ``company``, committed through the app's session so the requests see them."""
    submitted = new_assessment(get_session(), company)
    store.add_snapshot(get_session(), submitted, example_result())
    store.change_status(get_session(), submitted, "submitted", None)
    draft = new_assessment(get_session(), company)
    session.commit()
    return {"submitted_id": submitted.id, "draft_id": draft.id}


def fill(db_session, assessment, answers: dict[str, Any]) -> None:
    for qid, value in answers.items():
        store.write_answer(db_session, assessment, qid, value, None)


def as_form(value: Any) -> Any:
    """A stored value as a browser would post it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def hx_post(client, url: str, data: dict[str, Any], token: str):
    """A POST as htmx sends it (HX-Request header, the page's CSRF token)."""
    return client.post(url, data={**data, "csrf_token": token}, headers={"HX-Request": "true"})


def autosave(client, assessment, qid: str, raw: Any, token: str, rev: int | None = 0):
    """The autosave of one answer, as the page sends it (with the revision it was rendered with)."""
    data = {f"q_{qid}": raw}
    if rev is not None:
        data[f"rev_{qid}"] = str(rev)
    return hx_post(client, question_url(assessment, qid), data, token)


def question_url(assessment, qid: str) -> str:
    return f"/assessments/{assessment.id}/questions/{qid}"


def section_url(assessment, sid: str) -> str:
    return f"/assessments/{assessment.id}/sections/{sid}"
