"""A provider's verified answer is held to the questionnaire's constraints like the company's:
refused at the field with the constraint's message, nothing written."""

from __future__ import annotations

import pytest

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from tests.support import csrf_from
from tests.web.review_helpers import act, build_review_world

ADJUST = {"reason_code": "site_differs", "reason_text": "现场清点"}


@pytest.fixture
def world(db_session):
    return build_review_world(db_session)


@pytest.fixture
def token(client, login, world):
    login(client, world.diagnostician)
    response = client.get(f"/reviews/{world.assessment.id}/sections/profile")
    assert response.status_code == 200
    return csrf_from(response.get_data(as_text=True))


def test_more_digitised_than_all_equipment_is_refused_with_the_message(client, world, token, db_session):
    total = store.company_answers(db_session, world.assessment.id)["equip_total"]
    response = act(client, world.assessment, "equip_digital", token, "adjust",
                   q_equip_digital=str(total + 1), **ADJUST)
    assert response.status_code == 422
    assert "数字化生产设备数量不能超过生产设备总数。" in response.get_data(as_text=True)
    assert store.answer_rows(db_session, world.assessment.id, "verified") == {}
    assert reviews.items(db_session, world.assessment.id) == {}


def test_lowering_the_total_below_the_digitised_is_refused_too(client, world, token, db_session):
    digital = store.company_answers(db_session, world.assessment.id)["equip_digital"]
    response = act(client, world.assessment, "equip_total", token, "adjust",
                   q_equip_total=str(digital - 1), **ADJUST)
    assert response.status_code == 422
    assert "不能超过生产设备总数" in response.get_data(as_text=True)


def test_an_adjustment_within_the_constraints_is_saved(client, world, token, db_session):
    total = store.company_answers(db_session, world.assessment.id)["equip_total"]
    response = act(client, world.assessment, "equip_digital", token, "adjust",
                   q_equip_digital=str(total), **ADJUST)
    assert response.status_code == 200
    assert store.answer_rows(db_session, world.assessment.id, "verified")["equip_digital"].value == total
