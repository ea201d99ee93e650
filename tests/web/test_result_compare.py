"""Re-assessment: the result page shows this result against the company's previous one, before →
after, read from the stored snapshots; never for a first assessment, never from another company."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from diagnosis.store import assessments as store
from tests.web.assess_helpers import company_like, new_assessment
from tests.web.compare_helpers import AFTER, BEFORE, HEADING, VERIFIED_BEFORE, scored, submitted


def text_of(client, assessment) -> str:
    response = client.get(f"/assessments/{assessment.id}/result")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def as_company(make_user, login, client, company):
    login(client, make_user(role="company", company=company))


def test_a_re_assessment_shows_levels_and_points_before_and_after(client, db_session, make_company,
                                                                  make_user, login):
    company = company_like(make_company)
    submitted(db_session, company, BEFORE, datetime(2025, 11, 3, 8, tzinfo=UTC))
    current = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    as_company(make_user, login, client, company)
    page = text_of(client, current)
    assert HEADING in page and "上次（2025-11-03，企业自评） → 本次" in page
    for row in ("数字化水平等级 二级 → 三级 +1", "成熟度等级 一级 → 二级 +1",
                "数字化水平得分 60 → 72.5 +12.5", "数字化基础 35 → 39.5 +4.5",
                "数字化管理 10 → 14.5 +4.5", "数字化成效 15 → 18.5 +3.5",
                "成熟度得分 1.6 → 2.51 +0.91"):
        assert row in page, row
    assert "版本不同" not in page


def test_the_previous_verified_result_is_preferred_over_its_self_assessment(client, db_session, make_company,
                                                                            make_user, login):
    company = company_like(make_company)
    submitted(db_session, company, BEFORE, datetime(2025, 11, 3, 8, tzinfo=UTC), verified=VERIFIED_BEFORE)
    current = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    as_company(make_user, login, client, company)
    page = text_of(client, current)
    assert "上次（2025-11-04，服务商核验）" in page
    assert "数字化水平得分 58.25 → 72.5 +14.25" in page and "60 → 72.5" not in page


def test_a_first_assessment_shows_no_comparison(client, db_session, make_company, make_user, login):
    company = company_like(make_company)
    first = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    as_company(make_user, login, client, company)
    page = text_of(client, first)
    assert HEADING not in page and "上次" not in page
    later = submitted(db_session, company, BEFORE, datetime(2026, 4, 1, 8, tzinfo=UTC))
    assert HEADING not in text_of(client, first)  # a later assessment is not "the previous one"
    assert "一级 → 二级" not in text_of(client, later) and "三级 → 二级" in text_of(client, later)


def test_another_companys_assessment_is_never_compared(client, db_session, make_company, make_user, login):
    company, other = company_like(make_company), company_like(make_company)
    submitted(db_session, other, BEFORE, datetime(2025, 6, 1, 8, tzinfo=UTC))
    first = submitted(db_session, company, VERIFIED_BEFORE, datetime(2025, 11, 3, 8, tzinfo=UTC))
    low = scored(10.0, (5.0, 3.0, 2.0), 0, 1, 0.9)
    submitted(db_session, other, low, datetime(2026, 1, 5, 8, tzinfo=UTC))
    current = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    as_company(make_user, login, client, company)
    assert HEADING not in text_of(client, first)
    page = text_of(client, current)
    assert "上次（2025-11-03，企业自评）" in page and "58.25 → 72.5" in page
    assert "2026-01-05" not in page and "10 → 72.5" not in page


def test_an_earlier_draft_and_a_verification_made_later_do_not_count(client, db_session, make_company,
                                                                     make_user, login):
    """The comparison a result shows stays as it was made (its report is kept): a verified snapshot of
    the previous assessment signed after this result was made is not used; a draft has no result."""
    company = company_like(make_company)
    previous = submitted(db_session, company, BEFORE, datetime(2025, 11, 3, 8, tzinfo=UTC))
    draft = new_assessment(db_session, company)
    draft.created_at = datetime(2026, 1, 1, 8, tzinfo=UTC)
    current = submitted(db_session, company, AFTER, datetime(2026, 3, 1, 8, tzinfo=UTC))
    late = store.add_snapshot(db_session, previous, VERIFIED_BEFORE, kind="verified")
    late.created_at = datetime(2026, 3, 20, 8, tzinfo=UTC)
    db_session.flush()
    as_company(make_user, login, client, company)
    page = text_of(client, current)
    assert "上次（2025-11-03，企业自评）" in page and "60 → 72.5" in page and "58.25" not in page
