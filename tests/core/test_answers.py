import pytest

from diagnosis.core.answers import (
    AnswerProblem,
    AnswerValueError,
    missing_required,
    parse_value,
    progress,
    validate_answers,
    visible_questions,
    visible_sections,
)
from diagnosis.core.facts import compute_facts
from diagnosis.core.loader import load_instrument
from tests.core.builders import MINI

FURNITURE = {"industry_tags": ["furniture"], "employees": 200}


@pytest.fixture(scope="module")
def mini():
    instrument, problems = load_instrument(MINI / "instruments" / "mini", MINI)
    assert problems == []
    return instrument


@pytest.mark.parametrize(
    ("qid", "raw", "value"),
    [
        ("equip_total", 12, 12),
        ("equip_total", 12.0, 12),
        ("spend", 3, 3),
        ("spend", 2.5, 2.5),
        ("share", 100, 100),
        ("quality", 0, 0),
        ("wifi", "full", "full"),
        ("systems", ["erp", "mes"], ["erp", "mes"]),
        ("systems", [], None),
        ("systems", ["none"], ["none"]),
        ("has_line", False, False),
        ("note", "  ok ", "ok"),
        ("note", "   ", None),
        ("robots", None, None),
    ],
)
def test_parse_value_accepts_valid_answers(mini, qid, raw, value):
    assert parse_value(mini.question(qid), raw) == value
    kept = validate_answers(mini, {qid: raw}, {}).values  # the quick path agrees with the parser
    assert kept == ({} if value is None else {qid: value})


@pytest.mark.parametrize(
    ("qid", "raw", "code"),
    [
        ("equip_total", "12", "wrong_type"),
        ("equip_total", 1.5, "wrong_type"),
        ("equip_total", True, "wrong_type"),
        ("equip_total", -1, "out_of_range"),
        ("equip_total", 100001, "out_of_range"),
        ("share", 100.5, "out_of_range"),
        ("spend", float("nan"), "wrong_type"),
        ("spend", float("inf"), "wrong_type"),
        ("quality", True, "wrong_type"),
        ("has_line", 1, "wrong_type"),
        ("quality", 5, "out_of_range"),
        ("wifi", "most", "unknown_option"),
        ("wifi", ["full"], "wrong_type"),
        ("systems", "erp", "wrong_type"),
        ("systems", ["erp", "sap"], "unknown_option"),
        ("systems", ["erp", "erp"], "duplicate_option"),
        ("systems", ["none", "erp"], "exclusive_mixed"),
        ("has_line", "yes", "wrong_type"),
        ("note", "x" * 11, "too_long"),
        ("note", 5, "wrong_type"),
    ],
)
def test_parse_value_refuses_bad_answers(mini, qid, raw, code):
    with pytest.raises(AnswerValueError) as raised:
        parse_value(mini.question(qid), raw)
    assert raised.value.code == code
    assert [(p.question, p.code) for p in validate_answers(mini, {qid: raw}, {}).problems] == [(qid, code)]


def test_every_problem_is_reported_with_its_detail(mini):
    check = validate_answers(mini, {"ghost": 1, "share": 120, "wifi": "most", "equip_total": 5}, {})
    assert check.problems == [
        AnswerProblem("ghost", "unknown_question"),
        AnswerProblem("share", "out_of_range", {"min": 0, "max": 100, "value": 120}),
        AnswerProblem("wifi", "unknown_option", {"option": "most"}),
    ]
    assert check.values == {"equip_total": 5}


def test_visibility_follows_answers_facts_and_profile(mini):
    answers = {"has_line": True, "equip_total": 10, "equip_networked": 5, "fur_split": "software"}
    assert {"line_count", "fur_split", "fur_auto_share"} <= visible_questions(mini, answers, FURNITURE)
    assert "fur_auto_share" not in visible_questions(mini, {**answers, "equip_networked": 4}, FURNITURE)
    assert "line_count" not in visible_questions(mini, {**answers, "has_line": False}, FURNITURE)
    assert [s.id for s in visible_sections(mini, answers, {"industry_tags": ["chemicals"]})] == ["base"]


def test_an_answer_hidden_by_a_hidden_question_is_ignored(mini):
    answers = {"fur_split": "software", "fur_auto_share": 50, "equip_total": 10, "equip_networked": 9}
    check = validate_answers(mini, answers, {"industry_tags": []})
    assert check.ignored == [("fur_auto_share", "hidden"), ("fur_split", "hidden")]
    assert check.values == {"equip_total": 10, "equip_networked": 9}


def test_progress_and_missing_required(mini):
    answers = {"equip_total": 10, "has_line": True, "systems": ["erp"]}
    result = progress(mini, answers, {"industry_tags": []})
    assert result.sections == {"base": (3, 12)}
    assert (result.answered, result.applicable) == (3, 12)
    assert missing_required(mini, answers, {}) == ["line_count"]
    assert missing_required(mini, {"has_line": False}, {}) == ["equip_total", "systems"]


@pytest.mark.parametrize(
    ("answers", "profile", "facts"),
    [
        (
            {"equip_total": 200, "equip_networked": 50, "robots": 8, "systems": ["erp", "mes"]},
            {"employees": 400},
            {"network_rate": 0.25, "robot_density": 200.0, "systems_count": 2, "equip_and_robots": 208},
        ),
        (
            {"equip_total": 0, "equip_networked": 0, "systems": ["none"]},
            {},
            {"network_rate": None, "robot_density": None, "systems_count": 0, "equip_and_robots": None},
        ),
        (
            {"equip_total": 3, "equip_networked": 1},
            {"employees": 0},
            {
                "network_rate": 0.333333,
                "robot_density": None,
                "systems_count": None,
                "equip_and_robots": None,
            },
        ),
    ],
)
def test_derived_facts(mini, answers, profile, facts):
    assert compute_facts(mini, answers, profile) == facts
