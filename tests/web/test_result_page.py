"""The result page starts with the answer: levels and what they mean, the top actions, the roadmap and
the next steps; then the radar and the details, folded; a company lands on its diagnosis."""

from __future__ import annotations

import copy
from html.parser import HTMLParser

import pytest

from diagnosis.core import levels
from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import localize
from diagnosis.store import assessments as store
from diagnosis.store.assignments import assign
from tests.web.assess_helpers import company_like, example_result, new_assessment


class Nesting(HTMLParser):
    """For every element with an id: the classes of the <details> elements around it."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.inside: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in self.VOID:
            self.stack.append((tag, attributes.get("class") or ""))
        if attributes.get("id"):
            self.inside[attributes["id"]] = [cls for name, cls in self.stack[:-1] if name == "details"]

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def nesting(page: str) -> dict[str, list[str]]:
    parser = Nesting()
    parser.feed(page)
    return parser.inside


@pytest.fixture
def company_user(make_company, make_user, login, client):
    user = make_user(role="company", company=company_like(make_company))
    login(client, user)
    return user


def submit(db_session, company, result: dict | None = None):
    """A submitted assessment with ``result`` (the furniture example's by default) as its snapshot."""
    assessment = new_assessment(db_session, company)
    store.add_snapshot(db_session, assessment, result or example_result())
    store.change_status(db_session, assessment, "submitted", None)
    db_session.flush()
    return assessment


def test_the_summary_comes_before_the_radar_and_the_details(client, db_session, company_user):
    assessment = submit(db_session, company_user.company)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    order = ['id="result-sme"', 'id="result-cmmm"', 'id="top-title"', 'id="roadmap-title"', 'id="todo-title"',
             'id="radar-title"', 'id="recommendations"', 'id="dimensions"', 'id="ladder"']
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    inside = nesting(page)
    for detail in ("recommendations-title", "dimensions-title", "ladder-title"):
        assert inside[detail] == ["panel result-details"], detail
    assert inside["result-sme"] == [] and inside["top-title"] == [] and inside["radar-title"] == []


def test_the_levels_are_named_placed_on_their_scale_and_explained(client, db_session, company_user):
    result = example_result()
    assessment = submit(db_session, company_user.company)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    sme, cmmm = levels.standings(load_bundle(), result, "zh_CN")
    for standing in (sme, cmmm):
        card = page[page.index(f'id="result-{standing.scale}"'):page.index("</article>", page.index(
            f'id="result-{standing.scale}"'))]
        assert standing.current.name in card and standing.current.for_us in card
        assert f"达到{standing.next.name}还需：" in card
        assert "level-scale__band is-current" in card
        for step in standing.steps:  # the whole scale, in the folded explanation
            assert step.name in card and step.meaning in card and step.for_us in card
    assert "二级 规范级" in page and "三级 集成级" in page and "五级 引领级" in page
    assert "得分 72.52 / 100" in page and "得分 2.51 / 5" in page
    assert ("达到四级还需：</strong>总分再提高 7.48 分；再有 10 个经营场景达到四级及以上；"
            "其中约束性场景再增加 6 个") in page
    assert "达到三级 集成级还需：</strong>该级等级得分从 0.59 提高到 0.8" in page
    assert levels.catalogue().scales["sme"].doubt["zh_CN"] in page


def test_the_level_words_follow_the_interface_language(client, db_session, make_company, make_user, login):
    user = make_user(role="company", company=company_like(make_company), locale="en")
    login(client, user)
    assessment = submit(db_session, user.company)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    assert "Level 2 Standardised" in page and "Level 3 Integrated" in page
    assert levels.catalogue().scales["cmmm"].levels[2].for_us["en"] in page


def test_the_top_five_are_the_first_of_the_main_list_and_the_folded_sit_inside_details(
        client, db_session, company_user):
    result = example_result()
    assert any(rec["folded"] for rec in result["recommendations"]), "the example should fold some"
    assessment = submit(db_session, company_user.company)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    main = [rec for rec in result["recommendations"] if not rec["folded"]]
    top = page[page.index('id="top-title"'):page.index('id="roadmap-title"')]
    shown = [rec["id"] for rec in result["recommendations"] if f'id="top-{rec["id"]}"' in top]
    assert shown == [rec["id"] for rec in main[:5]]
    inside = nesting(page)
    for rec in result["recommendations"]:
        expected = ["panel result-details", "rec-folded"] if rec["folded"] else ["panel result-details"]
        assert inside[f"rec-{rec['id']}"] == expected, rec["id"]


def test_each_kind_keeps_its_folded_entries_at_its_end(client, db_session, company_user):
    result = example_result()
    assessment = submit(db_session, company_user.company)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    titles = {rec["id"]: rec["title"] for rec in localize(result, load_bundle(), "zh_CN")["recommendations"]}
    for kind in {rec["kind"] for rec in result["recommendations"] if rec["folded"]}:
        group = page[page.index(f'id="kind-{kind}"'):]
        group = group[:group.index("</section>")]
        folded = [rec for rec in result["recommendations"] if rec["kind"] == kind and rec["folded"]]
        assert f"另有 {len(folded)} 项" in group
        assert all(titles[rec["id"]] in group[group.index('class="rec-folded"'):] for rec in folded)


def test_the_roadmap_lists_the_main_list_by_phase(client, db_session, company_user):
    result = example_result()
    assessment = submit(db_session, company_user.company)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    roadmap = page[page.index('id="roadmap-title"'):page.index('id="todo-title"')]
    for rec in result["recommendations"]:
        assert (f'href="#rec-{rec["id"]}"' in roadmap) is (not rec["folded"]), rec["id"]


def test_next_steps_name_the_visit_once_assigned(client, db_session, company_user, make_provider_org):
    assessment = submit(db_session, company_user.company)
    url = f"/assessments/{assessment.id}/result"
    assert "请联系区科技经信局安排服务商" in client.get(url).get_data(as_text=True)
    org = make_provider_org("合肥智造咨询有限公司")
    assign(db_session, company_user.company, org.id, None)
    db_session.flush()
    page = client.get(url).get_data(as_text=True)
    todo = page[page.index('id="todo-title"'):page.index('id="radar-title"')]
    assert "上门诊断：合肥智造咨询有限公司，诊断师 待服务机构安排，计划日期 待定。" in todo
    assert f'href="/reports/assessments/{assessment.id}.pdf?lang=zh_CN"' in todo


def test_a_snapshot_without_cmmm_says_not_assessed_and_shows_no_scale_position(client, db_session,
                                                                              company_user):
    result = copy.deepcopy(example_result())
    result["cmmm"] = {"assessed": False, "overall": None, "level": None, "band_level": None,
                      "level_scores": {}, "subdomains": [], "unanswered": []}
    assessment = submit(db_session, company_user.company, result)
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    card = page[page.index('id="result-cmmm"'):]
    card = card[:card.index("</article>")]
    assert "未评估" in card and "level-scale__marker" not in card and "本企业所在等级" not in card
    assert "一级 规划级" in card  # the scale is still explained


@pytest.mark.parametrize("state", ["none", "draft", "submitted", "submitted_then_draft"])
def test_a_company_lands_on_its_diagnosis(client, db_session, company_user, state):
    company = company_user.company
    submitted = submit(db_session, company) if state.startswith("submitted") else None
    if state in ("draft", "submitted_then_draft"):
        new_assessment(db_session, company)
        db_session.flush()
    response = client.get("/")
    assert response.status_code == 302
    expected = f"/assessments/{submitted.id}/result" if state == "submitted" else "/assessments/"
    assert response.headers["Location"] == expected


def test_other_homes_are_unchanged(client, make_user, login):
    login(client, make_user(role="provider"))
    assert client.get("/").headers["Location"] == "/work/"
    login(client, make_user(role="official", regions=["经济开发区"]))
    assert client.get("/").headers["Location"] == "/pipeline/"
