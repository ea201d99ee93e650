"""The provider's review through the API: the question list with both answers, an action with the
revision check (409, nothing saved), a refusal in the review pages' words with its field."""

from __future__ import annotations

from diagnosis.review_reasons import reasons
from diagnosis.store import reviews
from diagnosis.store.assessments import Assessment, write_answer
from tests.api.conftest import call


def test_the_lead_accepts_and_adjusts_with_revisions(client, api_world, db_session):
    token, assessment_id = api_world["tokens"]["provider"], api_world["ids"]["submitted_id"]
    write_answer(db_session, db_session.get(Assessment, assessment_id), "equip_total", 120, None)
    listed = call(client, "GET", f"/api/v1/reviews/{assessment_id}", token).get_json()
    first = next(item for item in listed["questions"] if item["question"] == "equip_total")
    assert (first["state"], first["revision"], first["company"], first["verified"]) == (None, 0, 120, None)
    url = f"/api/v1/reviews/{assessment_id}/questions/equip_total"
    accepted = call(client, "POST", url, token, json={"action": "accept", "revision": 0})
    assert accepted.status_code == 200
    item = next(q for q in accepted.get_json()["questions"] if q["question"] == "equip_total")
    assert item["state"] == "accepted" and item["revision"] > 0
    stale = call(client, "POST", url, token, json={"action": "needs_evidence", "revision": 0})
    assert stale.status_code == 409 and stale.get_json()["errors"][0]["field"] == "json.revision"
    assert reviews.items(db_session, assessment_id)["equip_total"].state == "accepted"
    no_reason = call(
        client, "POST", url, token, json={"action": "adjust", "value": 150, "revision": item["revision"]}
    )
    assert no_reason.status_code == 422 and no_reason.get_json()["errors"][0]["field"] == "json.reason_code"
    adjusted = call(
        client,
        "POST",
        url,
        token,
        json={
            "action": "adjust",
            "value": 150,
            "revision": item["revision"],
            "reason_code": _a_reason(),
            "reason_text": "现场清点设备台账",
        },
    )
    assert adjusted.status_code == 200, adjusted.get_json()
    after = next(q for q in adjusted.get_json()["questions"] if q["question"] == "equip_total")
    assert (after["state"], after["verified"]) == ("adjusted", 150)


def _a_reason() -> str:
    return next(iter(reasons()))


def test_unknown_actions_and_questions(client, api_world):
    token, assessment_id = api_world["tokens"]["provider"], api_world["ids"]["submitted_id"]
    bad = call(
        client,
        "POST",
        f"/api/v1/reviews/{assessment_id}/questions/equip_total",
        token,
        json={"action": "approve", "revision": 0},
    )
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "json.action"
    missing = call(
        client,
        "POST",
        f"/api/v1/reviews/{assessment_id}/questions/no_such",
        token,
        json={"action": "accept", "revision": 0},
    )
    assert missing.status_code == 404
