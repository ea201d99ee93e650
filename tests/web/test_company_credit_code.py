"""A credit code pasted as printed on a licence (groups of four with blanks, full-width blanks,
lower case) fits the field and registers as the normalised 18 characters."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from diagnosis.store.companies import Company
from tests.support import credit_code
from tests.web.test_company_registration import valid_form


@pytest.fixture
def register(client, post_form):
    def post(**changes):
        return post_form(client, "/register", valid_form(**changes), page="/register")

    return post


def spaced(code: str, blank: str = " ") -> str:
    return blank.join(code[at:at + 4] for at in range(0, len(code), 4))


def test_the_input_takes_a_code_with_a_blank_between_every_group(client):
    page = client.get("/register").get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="credit_code"[^>]*>', page).group(0)
    limit = int(re.search(r'maxlength="(\d+)"', tag).group(1))
    assert len(spaced(credit_code(900011))) <= limit
    assert len(" ".join(credit_code(900011))) <= limit  # even a blank after every character


@pytest.mark.parametrize("blank", [" ", "\u3000", "  "])
def test_a_pasted_code_with_blanks_and_lower_case_registers_normalised(register, db_session, blank):
    code = credit_code(900012)
    response = register(credit_code=spaced(code, blank).lower())
    assert response.status_code == 302
    assert db_session.scalar(select(Company.credit_code).where(Company.credit_code == code)) == code


def test_the_length_message_counts_the_code_without_its_blanks(register):
    code = credit_code(900013)
    page = register(credit_code=spaced(code[:17])).get_data(as_text=True)
    assert "统一社会信用代码应为 18 位，您填写了 17 位。" in page
