"""The company profile: who sees it, who edits it, the credit code stays, and the engine's profile."""

from __future__ import annotations

import re

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.web.bundle import profile_for


def profile_form(company, **changes):
    data = {
        "name": company.name,
        "industry_code": company.industry_code,
        "park": company.park,
        "above_designated_size": str(company.above_designated_size),
        "employees": str(company.employees),
        "revenue_band": company.revenue_band,
        "contact_name": company.contact_name,
        "contact_phone": company.contact_phone,
    }
    data.update(changes)
    return data


@pytest.fixture
def company_user(make_company, make_user):
    company = make_company(industry_code="2110", park="家居产业园")
    return make_user(role="company", company=company), company


def test_own_profile_shows_the_details_in_words(client, login, company_user):
    user, company = company_user
    login(client, user)
    page = client.get(f"/company/{company.id}").get_data(as_text=True)
    assert company.credit_code in page and "2110 木质家具制造（定制家居）" in page
    assert "2000 万至 1 亿元" in page and "规模以上" in page and "编辑企业信息" in page


def test_company_shortcut_goes_to_the_own_company(client, login, company_user):
    user, company = company_user
    login(client, user)
    assert client.get("/company").headers["Location"] == f"/company/{company.id}"


def test_edit_saves_the_changes(client, login, company_user, post_form, db_session):
    user, company = company_user
    login(client, user)
    data = profile_form(
        company, name="新名称家居有限公司", employees="310", industry_code="2023", park="三元镇"
    )
    response = post_form(client, f"/company/{company.id}/edit", data)
    assert response.headers["Location"] == f"/company/{company.id}"
    db_session.refresh(company)
    assert (company.name, company.employees, company.industry_code, company.park) == (
        "新名称家居有限公司",
        310,
        "2023",
        "三元镇",
    )


def test_credit_code_cannot_be_changed_by_posting_it(client, login, company_user, post_form, db_session):
    user, company = company_user
    login(client, user)
    original = company.credit_code
    data = profile_form(company, credit_code="914403001922038216")
    assert post_form(client, f"/company/{company.id}/edit", data).status_code == 302
    db_session.refresh(company)
    assert company.credit_code == original


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"employees": "-5"}, "从业人数应在 1 到 1000000 之间"),
        ({"name": "  "}, "请填写企业名称"),
        ({"revenue_band": "lt_5m"}, "与所选区间不一致"),
        ({"industry_code": "0000"}, "不是有效的选择"),
    ],
)
def test_bad_edit_keeps_the_saved_profile(
    client, login, company_user, post_form, db_session, changes, message
):
    user, company = company_user
    login(client, user)
    before = profile_form(company)
    response = post_form(client, f"/company/{company.id}/edit", profile_form(company, **changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db_session.refresh(company)
    assert profile_form(company) == before


def test_another_company_cannot_edit(client, login, company_user, make_user, post_form, db_session):
    _user, company = company_user
    login(client, make_user(role="company"))
    response = post_form(client, f"/company/{company.id}/edit", profile_form(company, name="被篡改"))
    assert response.status_code == 404
    db_session.refresh(company)
    assert company.name != "被篡改"


def test_edit_form_is_filled_with_the_saved_values(client, login, company_user):
    user, company = company_user
    login(client, user)
    page = client.get(f"/company/{company.id}/edit").get_data(as_text=True)
    assert f'value="{company.name}"' in page
    assert re.search(r'<option[^>]* selected value="2110">', page)
    assert re.search(r'<input checked id="above_designated_size-0"[^>]* value="True">', page)


def test_profile_is_the_stored_fields_and_the_bundle_adds_the_tags(company_user):
    _user, company = company_user
    stored = {
        "industry_code": "2110",
        "employees": 120,
        "above_designated_size": True,
        "revenue_band": "20m_100m",
        "park": "家居产业园",
    }
    assert company.profile == stored
    assert profile_for(company, load_bundle()) == {**stored, "industry_tags": ["furniture"]}


def test_profile_of_an_untagged_industry_has_no_tags(make_company):
    company = make_company(industry_code="2011")
    assert profile_for(company, load_bundle())["industry_tags"] == []


def test_english_interface_shows_english_industry_names(client, login, company_user, post_form):
    user, company = company_user
    login(client, user)
    post_form(client, "/language", {"locale": "en"})
    page = client.get(f"/company/{company.id}").get_data(as_text=True)
    assert "2110 Wooden furniture (Custom furniture)" in page and "Edit company details" in page
