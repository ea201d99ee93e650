"""Unified social credit code checks (GB 32100-2015), with the public test vectors of domain.md §8.2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagnosis.core.uscc import (
    ALPHABET,
    UsccCheck,
    UsccProblem,
    check_character,
    check_uscc,
    org_code_check_character,
)


def finding(check: UsccCheck, code: str) -> UsccProblem:
    return next(d for d in check.details if d.code == code)


PUBLIC_CODES = ["914403001922038216", "91330100716105852F", "91110000100017643K", "91350100M000100Y43"]


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_public_codes_pass_both_checks(code):
    check = check_uscc(code)
    assert check.valid and check.errors == [] and check.warnings == []
    assert check.normalized == code


def test_the_weights_are_powers_of_three_mod_31():
    assert check_character("91440300192203821") == "6"


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_every_single_character_change_fails(code):
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert not check_uscc(changed).valid, changed


def test_lower_case_and_blanks_are_normalised():
    check = check_uscc(" 9133 0100 7161 0585 2f ")
    assert check.valid and check.normalized == "91330100716105852F"


def test_wrong_length_reports_the_length_only():
    check = check_uscc("9144030019220382")
    assert check.errors == ["length"]
    assert finding(check, "length").given == "16"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z", "-"])
def test_excluded_characters_are_reported_with_their_position(letter):
    check = check_uscc("91440300" + letter + "922038216")
    assert check.errors == ["charset"]
    problem = finding(check, "charset")
    assert problem.position == 9 and problem.given == letter


def test_wrong_check_character_says_what_was_expected():
    check = check_uscc("914403001922038217")
    assert check.errors == ["check_char"]
    problem = finding(check, "check_char")
    assert (problem.expected, problem.given, problem.position) == ("6", "7", 18)


def test_unusual_authority_is_a_warning_not_an_error():
    body = "A1440300192203821"
    check = check_uscc(body + check_character(body))
    assert check.valid and check.warnings == ["authority"]


def test_broken_embedded_organisation_code_is_a_warning():
    body = "91440300192203820"
    check = check_uscc(body + check_character(body))
    assert check.valid and check.warnings == ["org_code"]
    assert finding(check, "org_code").expected == "1"


def test_organisation_code_check_maps_ten_to_x_and_eleven_to_zero():
    assert org_code_check_character("00000006") == "X"  # 6*2 = 12, 11 - 12 % 11 = 10
    assert org_code_check_character("00000000") == "0"  # 11 - 0 = 11
    assert org_code_check_character("10001764") == "3"
    assert org_code_check_character("M000100Y") == "4"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_computed_check_character_always_validates(body):
    assert check_uscc(body + check_character(body)).valid
