"""Provider quality: figures computed by hand on a small built world, region scoping, access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.assessments import Assessment, ResultSnapshot
from diagnosis.store.assignments import Assignment
from diagnosis.store.quality import provider_quality
from diagnosis.store.reviews import Evidence, Review, ReviewItem

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
PARK_A, PARK_B = "家居产业园", "经济开发区"


def days(n: float) -> datetime:
    return T0 + timedelta(days=n)


class World:
    """Builds companies with assignments, signed-off reviews, items, evidence and snapshots."""

    def __init__(self, db_session, make_company):
        self.db, self.make_company = db_session, make_company

    def company(self, park: str, assignments: list[tuple[ProviderOrg, float, float | None]]):
        """A company in ``park`` assigned to each (org, start day, end day or None) in turn."""
        company = self.make_company(park=park)
        for org, start, end in assignments:
            self.db.add(Assignment(company_id=company.id, provider_org_id=org.id, assigned_at=days(start),
                                   ended_at=None if end is None else days(end)))
            if end is None:
                company.provider_org_id = org.id
        self.db.flush()
        return company

    def review(self, company, signer=None, day: float | None = None, *, items: int = 0, adjusted: int = 0,
               evidence: int = 0, points: tuple[float, float] | None = None, response: str | None = None):
        """An assessment under review; signed off by ``signer`` on ``day`` when given."""
        assessment = Assessment(company_id=company.id, questionnaire_id="q", questionnaire_version="1",
                                status="verified" if day is not None else "submitted")
        self.db.add(assessment)
        self.db.flush()
        self.db.add(Review(assessment_id=assessment.id, started_at=T0,
                           signed_off_at=None if day is None else days(day),
                           signed_off_by_id=None if signer is None else signer.id, response=response))
        for n in range(items):
            self.db.add(ReviewItem(assessment_id=assessment.id, question_id=f"q{n}",
                                   state="adjusted" if n < adjusted else "accepted"))
        for n in range(evidence):
            self.evidence(assessment, f"{n:064d}")
        self.evidence(assessment, "f" * 64, removed_at=T0)  # a removed file never counts
        if points is not None:
            # An older self snapshot: only the newest of each kind counts.
            self.snapshot(assessment, "self", 99.0, days(-30))
            self.snapshot(assessment, "self", points[0], T0)
            self.snapshot(assessment, "verified", points[1], days(day or 0))
        self.db.flush()
        return assessment

    def evidence(self, assessment, sha256: str, **fields) -> None:
        self.db.add(Evidence(assessment_id=assessment.id, question_id="q0", sha256=sha256, size=1,
                             original_name="a.jpg", content_type="image/jpeg", source="verified", **fields))

    def snapshot(self, assessment, kind: str, points: float, at: datetime) -> None:
        self.db.add(ResultSnapshot(assessment_id=assessment.id, company_id=assessment.company_id, kind=kind,
                                   created_at=at,
                                   result={"sme": {"points": points, "max": 100}}))


@pytest.fixture
def world(db_session, make_company, make_provider_org, make_user):
    """Org 甲 (diagnosticians 一 and 二) and org 乙 (三); parks A and B.

    甲 一: A, 4 days, 10 items 2 adjusted, 3 files, 50 → 46, confirmed;
           A, 10 days from 甲's assignment (乙 had it first), 5 items 0 adjusted, 40 → 41, disputed.
    甲 二: A, 7 days, 4 items 1 adjusted, 1 file, 30 → 27; B, 2 days, 10 items 5 adjusted, 3 files,
           60 → 50, disputed. 甲 also has one review in progress (A) that never counts.
    乙 三: B, 3 days, 2 items 1 adjusted, 20 → 20. 乙 is assigned one more company in A, not reviewed.
    """
    org_a, org_b = make_provider_org("甲服务商"), make_provider_org("乙服务商")
    one = make_user(role="provider", provider_org=org_a, name="诊断师一")
    two = make_user(role="provider", provider_org=org_a, name="诊断师二")
    three = make_user(role="provider", provider_org=org_b, name="诊断师三")
    w = World(db_session, make_company)
    w.review(w.company(PARK_A, [(org_a, 0, None)]), one, 4, items=10, adjusted=2, evidence=3,
             points=(50.0, 46.0), response="confirmed")
    w.review(w.company(PARK_A, [(org_b, -5, 1), (org_a, 1, None)]), one, 11, items=5, points=(40.0, 41.0),
             response="disputed")
    w.review(w.company(PARK_A, [(org_a, 0, None)]), two, 7, items=4, adjusted=1, evidence=1,
             points=(30.0, 27.0))
    w.review(w.company(PARK_B, [(org_a, 0, None)]), two, 2, items=10, adjusted=5, evidence=3,
             points=(60.0, 50.0), response="disputed")
    w.review(w.company(PARK_A, [(org_a, 0, None)]), items=3, adjusted=3, evidence=2)
    w.review(w.company(PARK_B, [(org_b, 0, None)]), three, 3, items=2, adjusted=1, points=(20.0, 20.0))
    w.company(PARK_A, [(org_b, 0, None)])
    return {"org_a": org_a, "org_b": org_b, "one": one, "two": two, "three": three}


def by_name(orgs):
    return {org.name: org for org in orgs}


def test_figures_per_organisation_and_diagnostician(db_session, world):
    orgs = by_name(provider_quality(db_session))
    assert list(orgs) == ["乙服务商", "甲服务商"]  # by name
    a = orgs["甲服务商"]
    assert a.assigned == 5
    f = a.figures
    assert (f.signed_off, f.items, f.adjusted, f.evidence, f.disputed) == (4, 29, 8, 7, 2)
    assert f.median_days == pytest.approx(5.5)  # 4, 10, 7, 2
    assert f.adjusted_share == pytest.approx(8 / 29)
    assert f.mean_points_change == pytest.approx(-4.0)  # (−4 + 1 − 3 − 10) / 4
    assert f.evidence_per_adjusted == pytest.approx(7 / 8)
    assert f.disputed_share == pytest.approx(0.5)
    people = {d.name: d.figures for d in a.diagnosticians}
    assert set(people) == {"诊断师一", "诊断师二"}
    one, two = people["诊断师一"], people["诊断师二"]
    assert (one.signed_off, one.median_days, one.adjusted_share, one.mean_points_change,
            one.evidence_per_adjusted, one.disputed) == (2, pytest.approx(7.0), pytest.approx(2 / 15),
                                                         pytest.approx(-1.5), pytest.approx(1.5), 1)
    assert (two.signed_off, two.median_days, two.adjusted_share, two.mean_points_change,
            two.evidence_per_adjusted, two.disputed) == (2, pytest.approx(4.5), pytest.approx(6 / 14),
                                                         pytest.approx(-6.5), pytest.approx(4 / 6), 1)
    b = orgs["乙服务商"]
    assert b.assigned == 2  # its first assignment of the disputed company ended
    assert [d.name for d in b.diagnosticians] == ["诊断师三"]
    assert (b.figures.signed_off, b.figures.median_days, b.figures.adjusted_share,
            b.figures.mean_points_change, b.figures.evidence_per_adjusted, b.figures.disputed_share) == (
        1, pytest.approx(3.0), pytest.approx(0.5), pytest.approx(0.0), pytest.approx(0.0), pytest.approx(0.0))


def test_an_official_counts_only_the_companies_of_their_parks(db_session, world):
    orgs = by_name(provider_quality(db_session, [PARK_A]))
    a = orgs["甲服务商"].figures
    assert (a.signed_off, a.items, a.adjusted, a.evidence, a.disputed) == (3, 19, 3, 4, 1)
    assert a.median_days == pytest.approx(7.0)
    assert a.mean_points_change == pytest.approx(-2.0)
    two = {d.name: d.figures for d in orgs["甲服务商"].diagnosticians}["诊断师二"]
    assert (two.signed_off, two.items, two.adjusted, two.mean_points_change) == (1, 4, 1, pytest.approx(-3.0))
    b = orgs["乙服务商"]
    assert (b.assigned, b.figures.signed_off, b.diagnosticians) == (1, 0, [])


def test_nothing_to_show(db_session, make_provider_org):
    assert provider_quality(db_session) == []
    make_provider_org("无企业的服务商")
    assert provider_quality(db_session) == []


def test_the_page_shows_each_figure_with_its_unit(client, login, make_user, world):
    login(client, make_user(role="admin"))
    response = client.get("/quality/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("甲服务商", "诊断师一", "诊断师二", "4 份", "5.5 天", "27.6%", "8 / 29 项", "−4.0 分",
                 "0.9 个", "共 7 个文件", "2 份", "50.0%", "7.0 天", "−1.5 分", "−6.5 分",
                 "当前分配企业 5 家", "乙服务商", "诊断师三", "3.0 天", "0.0 分", "统计范围：全区企业。"):
        assert text in page, text


def test_the_page_of_an_official_of_park_a_never_counts_park_b(client, login, make_user, world):
    login(client, make_user(role="official", regions=[PARK_A]))
    page = client.get("/quality/").get_data(as_text=True)
    assert "统计范围：家居产业园的企业。" in page
    assert "3 份" in page and "7.0 天" in page and "−2.0 分" in page and "1.3 个" in page
    assert "4 份" not in page and "诊断师三" not in page and "尚未签字确认任何诊断。" in page
    login(client, make_user(role="official", regions=[PARK_B]))
    page = client.get("/quality/").get_data(as_text=True)
    assert "诊断师一" not in page and "诊断师二" in page and "−10.0 分" in page and "诊断师三" in page


def test_the_empty_state_says_what_comes(client, login, make_user):
    login(client, make_user(role="official"))
    page = client.get("/quality/").get_data(as_text=True)
    assert "还没有服务商数据。" in page and "签字确认核验结果后" in page


@pytest.mark.parametrize("role", ["company", "provider"])
def test_companies_and_providers_are_refused(client, login, make_user, role):
    login(client, make_user(role=role))
    assert client.get("/quality/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/quality/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
