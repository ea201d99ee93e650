"""Company registration: the happy path, and every kind of bad input leaves the database unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from diagnosis.core.uscc import check_character
from diagnosis.store.accounts import User
from diagnosis.store.companies import Company
from tests.support import credit_code


def valid_form(**changes):
    data = {
        "name": "六安市某某家居有限公司",
        "credit_code": credit_code(900001),
        "industry_code": "2110",
        "park": "家居产业园",
        "above_designated_size": "True",
        "employees": "230",
        "revenue_band": "100m_400m",
        "contact_name": "李强",
        "contact_phone": "0564-6512345",
        "email": "Li.Qiang@Example.cn",
        "password": "a long enough password",
        "confirm": "a long enough password",
    }
    data.update(changes)
    return data


def counts(db_session):
    return (
        db_session.scalar(select(func.count()).select_from(Company)),
        db_session.scalar(select(func.count()).select_from(User)),
    )


@pytest.fixture
def register(client, post_form):
    def post(**changes):
        return post_form(client, "/register", valid_form(**changes), page="/register")

    return post


def test_the_form_lists_industries_grouped_by_district_tag(client):
    page = client.get("/register").get_data(as_text=True)
    assert '<optgroup label="定制家居">' in page and '<optgroup label="其他行业">' in page
    assert "2110 木质家具制造（定制家居）" in page
    assert 'data-search="2110 木质家具制造 wooden furniture 定制家居 furniture"' in page
    assert 'data-filter="industry"' in page
    for park in ("经济开发区", "家居产业园", "化工园区", "洪集镇"):
        assert f'value="{park}"' in page


def test_registration_creates_company_and_user_and_logs_in(client, register, db_session):
    response = register()
    assert response.status_code == 302
    company = db_session.scalar(select(Company).where(Company.credit_code == credit_code(900001)))
    assert company is not None and company.name == "六安市某某家居有限公司"
    assert (company.employees, company.revenue_band, company.above_designated_size) == (
        230,
        "100m_400m",
        True,
    )
    user = db_session.scalar(select(User).where(User.company_id == company.id))
    assert user.email == "li.qiang@example.cn" and user.role == "company" and user.name == "李强"
    assert user.locale == "zh_CN"
    assert user.password_hash.startswith("scrypt:") and user.check_password("a long enough password")
    assert response.headers["Location"] == "/assessments/"
    landing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "开始诊断" in landing and "注册成功" in landing


def test_lower_case_code_with_spaces_is_stored_normalised(register, db_session):
    code = credit_code(900002)
    assert register(credit_code=f" {code[:9]} {code[9:].lower()} ").status_code == 302
    assert db_session.scalar(select(Company.credit_code).where(Company.credit_code == code)) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91341522MA2N", "应为 18 位，您填写了 12 位"),
        ("91341522MA2NOQ0X1A", "第 13 位的“O”不是有效字符"),
        (
            credit_code(900003)[:17] + "0"
            if credit_code(900003)[17] != "0"
            else credit_code(900003)[:17] + "1",
            "校验位不正确",
        ),
        ("", "请填写统一社会信用代码"),
    ],
)
def test_invalid_credit_code_is_refused_with_a_precise_message(register, db_session, code, message):
    before = counts(db_session)
    response = register(credit_code=code)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert counts(db_session) == before


def test_check_character_message_names_expected_and_given(register):
    code = credit_code(900004)
    wrong = "1" if code[17] != "1" else "2"
    page = register(credit_code=code[:17] + wrong).get_data(as_text=True)
    assert f"第 18 位应为 {code[17]}，您填写的是 {wrong}" in page


def test_already_registered_code_is_refused(register, make_company, db_session):
    # A company without users nor registered_at would be a roster record, which registration takes over.
    existing = make_company(registered_at=datetime.now(UTC))
    before = counts(db_session)
    page = register(credit_code=existing.credit_code.lower()).get_data(as_text=True)
    assert "该统一社会信用代码已注册" in page
    assert counts(db_session) == before


def test_already_used_email_is_refused(register, make_user, db_session):
    user = make_user(role="official")
    before = counts(db_session)
    page = register(email=user.email.upper()).get_data(as_text=True)
    assert "该邮箱已注册" not in page and "该企业或邮箱可能已有账号" in page
    assert counts(db_session) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"employees": "0"}, "从业人数应在 1 到 1000000 之间"),
        ({"employees": "1000001"}, "从业人数应在 1 到 1000000 之间"),
        ({"employees": "很多"}, "请填写整数"),
        ({"employees": ""}, "请填写从业人数"),
        ({"industry_code": "9999"}, "不是有效的选择"),
        ({"park": "不存在的园区"}, "不是有效的选择"),
        ({"revenue_band": "huge"}, "不是有效的选择"),
        ({"above_designated_size": "True", "revenue_band": "lt_5m"}, "与所选区间不一致"),
        ({"contact_phone": "call me"}, "请填写有效的电话号码"),
        ({"email": "not-an-email"}, "邮箱格式不正确"),
        ({"password": "short", "confirm": "short"}, "密码至少 10 位"),
        ({"confirm": "something else entirely"}, "两次输入的密码不一致"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_saved(register, db_session, changes, message):
    before = counts(db_session)
    response = register(**changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page and 'class="field-errors"' in page
    assert counts(db_session) == before


def test_missing_csrf_token_is_rejected(client, db_session):
    before = counts(db_session)
    response = client.post("/register", data=valid_form())
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)
    assert counts(db_session) == before


def test_unusual_authority_code_registers_with_a_warning(register):
    body = "A1341522" + credit_code(900005)[8:17]
    response = register(credit_code=body + check_character(body))
    assert response.status_code == 302


def test_logged_in_users_are_sent_home(client, make_user, login):
    login(client, make_user(role="official"))
    assert client.get("/register").status_code == 302
