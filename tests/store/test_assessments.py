"""The assessment store: answers side by side per source, every change audited, snapshots, scoped reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diagnosis.store import assessments as store
from tests.support import audit_trail


@pytest.fixture
def assessment(db_session, make_company):
    company = make_company()
    return store.create_assessment(db_session, company.id, "district-diagnosis", "2026.1", None)


def test_a_new_assessment_pins_the_questionnaire_and_records_its_creation(db_session, assessment):
    assert (assessment.questionnaire_id, assessment.questionnaire_version) == ("district-diagnosis", "2026.1")
    assert assessment.status == "draft" and assessment.revision == 0
    [event] = audit_trail(db_session, assessment.id)
    assert event.question_id is None and event.old is None and event.new == {"status": "draft"}


def test_writing_an_answer_bumps_the_revision_and_audits_old_and_new(db_session, assessment, make_user):
    user = make_user(role="company")
    first = store.write_answer(db_session, assessment, "equip_total", 120, user.id)
    second = store.write_answer(db_session, assessment, "equip_total", 150, user.id)
    assert (first, second) == (1, 2)
    assert store.answer_rows(db_session, assessment.id)["equip_total"] == (150, 2)
    assert db_session.get(store.Answer, (assessment.id, "equip_total", "company")).updated_by_id == user.id
    changes = [(e.question_id, e.old, e.new, e.user_id) for e in audit_trail(db_session, assessment.id)
               if e.question_id]
    assert changes == [("equip_total", None, 120, user.id), ("equip_total", 120, 150, user.id)]


def test_removing_an_answer_deletes_the_row_but_keeps_the_old_value_in_the_trail(db_session, assessment):
    store.write_answer(db_session, assessment, "systems_in_use", ["erp", "mes"], None)
    store.write_answer(db_session, assessment, "systems_in_use", None, None)
    assert store.company_answers(db_session, assessment.id) == {}
    last = audit_trail(db_session, assessment.id)[-1]
    assert (last.old, last.new) == (["erp", "mes"], None)


def test_company_and_verified_answers_live_side_by_side(db_session, assessment):
    store.write_answer(db_session, assessment, "robots_in_use", 12, None)
    store.write_answer(db_session, assessment, "robots_in_use", 8, None, source="verified", reason="现场核验")
    assert store.company_answers(db_session, assessment.id) == {"robots_in_use": 12}
    verified = store.answer_rows(db_session, assessment.id, source="verified")
    assert verified["robots_in_use"].value == 8
    assert audit_trail(db_session, assessment.id)[-1].reason == "现场核验"


def test_submitting_stamps_the_time_and_audits_the_status(db_session, assessment):
    store.change_status(db_session, assessment, "submitted", None)
    assert assessment.status == "submitted" and assessment.submitted_at is not None
    last = audit_trail(db_session, assessment.id)[-1]
    assert (last.old, last.new) == ({"status": "draft"}, {"status": "submitted"})
    with pytest.raises(ValueError):
        store.change_status(db_session, assessment, "archived", None)


def test_latest_snapshot_is_the_newest_and_can_be_narrowed_by_kind(db_session, assessment):
    first = store.add_snapshot(db_session, assessment, {"sme": {"level": 2}})
    first.created_at -= timedelta(hours=1)
    store.add_snapshot(db_session, assessment, {"sme": {"level": 3}}, kind="verified")
    db_session.flush()
    assert store.latest_snapshot(db_session, assessment.id).result == {"sme": {"level": 3}}
    assert store.latest_snapshot(db_session, assessment.id, kind="self").result == {"sme": {"level": 2}}
    assert store.latest_snapshot(db_session, assessment.id + 1000) is None


def test_reads_are_scoped_to_the_company(db_session, assessment, make_company):
    other = make_company()
    assert store.get_for_company(db_session, assessment.company_id, assessment.id) is assessment
    assert store.get_for_company(db_session, other.id, assessment.id) is None
    assert store.assessments_of(db_session, other.id) == []
    assert store.open_draft(db_session, assessment.company_id) is assessment
