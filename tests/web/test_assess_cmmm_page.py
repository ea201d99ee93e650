"""The CMMM self-check page: sub-domain headings, the answer scale explained once, and the levels
above the next one folded as optional until the levels below are reached (GB/T 39117)."""

from __future__ import annotations

import re

import pytest

from diagnosis.core.bundle import load_bundle
from tests.web.assess_helpers import company_like, fill, new_assessment, section_url

SCALE_HELP = "主要内容已做到，仅个别环节或少数范围尚未覆盖。"  # the explanation of 大部分满足


@pytest.fixture
def company_user(make_company, make_user, login, client):
    user = make_user(role="company", company=company_like(make_company, above_designated_size=True))
    login(client, user)
    return user


@pytest.fixture
def draft(db_session, company_user):
    return new_assessment(db_session, company_user.company, company_user)


def model():
    return load_bundle().cmmm_model


def page(client, draft) -> str:
    response = client.get(section_url(draft, model().section))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def open_part(html: str) -> str:
    """The page without its folded <details> blocks."""
    return re.sub(r'<details class="question-group__higher".*?</details>', "", html, flags=re.S)


def test_statements_grouped_under_subdomain_headings_with_the_scale_once(client, draft):
    html = page(client, draft)
    headings = re.findall(r'<h2 class="question-group__title">([^<]+)</h2>', html)
    assert headings == [sub.label["zh_CN"] for sub in model().subdomains]
    assert len(headings) == 20
    assert html.count(SCALE_HELP) == 1
    assert html.count('name="q_cmmm_') >= 98 * 4  # every statement is still on the page


def levels_met(db_session, draft, top: int, rating: str = "full") -> None:
    fill(db_session, draft, {req.question: rating for sub in model().subdomains
                             for req in sub.requirements if req.level <= top})


def test_a_blank_self_check_opens_levels_1_to_3_and_folds_4_and_5(client, draft):
    html = page(client, draft)
    opened = open_part(html)
    assert 'id="q-cmmm_strategy_l3"' in opened and 'id="q-cmmm_integration_l2"' in opened
    assert 'id="q-cmmm_strategy_l4"' not in opened and 'id="q-cmmm_strategy_l5"' not in opened
    assert html.count("更高等级（4–5 级，2 项，选答）") == 20
    assert 'id="q-cmmm_strategy_l4"' in html  # folded, not gone


def test_level_2_not_reached_keeps_level_4_folded(client, db_session, draft):
    levels_met(db_session, draft, 2, "partial")
    assert 'id="q-cmmm_strategy_l4"' not in open_part(page(client, draft))


def test_reaching_level_3_opens_level_4_but_not_5(client, db_session, draft):
    levels_met(db_session, draft, 3)
    opened = open_part(page(client, draft))
    assert 'id="q-cmmm_strategy_l4"' in opened and 'id="q-cmmm_strategy_l5"' not in opened


def test_reaching_level_4_opens_everything(client, db_session, draft):
    levels_met(db_session, draft, 4, "most")
    assert 'class="question-group__higher"' not in page(client, draft)


def test_a_folded_statement_with_an_answer_is_unfolded(client, db_session, draft):
    fill(db_session, draft, {"cmmm_strategy_l5": "partial"})
    html = page(client, draft)
    strategy = html[html.index(">组织战略</h2>"):html.index(">人员技能</h2>")]
    assert "<details class=\"question-group__higher\" open>" in strategy


def test_other_sections_keep_no_headings(client, draft):
    html = client.get(section_url(draft, "profile")).get_data(as_text=True)
    assert 'class="question-group__title"' not in html


def test_the_submit_page_links_the_open_unanswered_statements(client, db_session, draft):
    levels_met(db_session, draft, 1)
    html = client.get(f"/assessments/{draft.id}/submit").get_data(as_text=True)
    assert f'{section_url(draft, "cmmm")}#q-cmmm_strategy_l2"' in html
    assert f'{section_url(draft, "cmmm")}#q-cmmm_strategy_l3"' in html
    assert "#q-cmmm_strategy_l1\"" not in html  # answered
    assert "#q-cmmm_strategy_l4\"" not in html  # folded: optional
