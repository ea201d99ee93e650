"""diagnose / simulate / localize on the real questionnaires."""

import json
from pathlib import Path

import pytest

from diagnosis.core.answers import AnswerProblem
from diagnosis.core.engine import InvalidAnswers, diagnose, localize, simulate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RESULT_KEYS = ["engine", "questionnaire", "models", "profile", "ignored_answers", "facts", "sme", "cmmm",
               "radar", "smart_factory", "cloud", "recommendations"]


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def furniture():
    return example("furniture_2110")


def test_result_has_the_documented_shape(bundle, furniture):
    result = diagnose(bundle, furniture["answers"], furniture["profile"])
    assert list(result) == RESULT_KEYS
    assert result["questionnaire"] == {"id": "district-diagnosis", "version": "2026.1"}
    assert set(result["models"]) == {"sme2024", "cmmm", "radar", "catalogues"}
    assert result["profile"]["industry_tags"] == ["furniture"]
    assert result["facts"]["equipment_network_rate"] == round(88 / 186, 6)
    assert result["cmmm"]["assessed"] is True
    assert 6 <= len(result["radar"]) <= 10
    json.dumps(result)  # plain data only


def test_same_input_same_output(bundle, furniture):
    first = diagnose(bundle, furniture["answers"], furniture["profile"])
    again = diagnose(bundle, dict(reversed(list(furniture["answers"].items()))), dict(furniture["profile"]))
    assert json.dumps(first, sort_keys=False) == json.dumps(again, sort_keys=False)


def test_hidden_answers_are_ignored_and_listed(bundle, furniture):
    answers = {**furniture["answers"], "chem_sis": "installed"}
    result = diagnose(bundle, answers, furniture["profile"])
    assert {"question": "chem_sis", "reason": "hidden"} in result["ignored_answers"]


def test_cmmm_not_assessed_for_small_companies_without_self_check(bundle):
    data = example("minimal")
    answers = {qid: value for qid, value in data["answers"].items() if not qid.startswith("cmmm_")}
    answers["cmmm_self_check"] = False
    result = diagnose(bundle, answers, data["profile"])
    assert result["cmmm"]["assessed"] is False and result["cmmm"]["level"] is None


def test_invalid_answers_are_all_reported_by_question(bundle):
    data = example("invalid")
    with pytest.raises(InvalidAnswers) as raised:
        diagnose(bundle, data["answers"], data["profile"])
    problems = {problem.question: problem.code for problem in raised.value.problems}
    assert problems == {"equip_totl": "unknown_question", "equip_digital": "wrong_type",
                        "equip_networked": "out_of_range", "robots_in_use": "wrong_type",
                        "systems_in_use": "unknown_option", "cloud_use": "exclusive_mixed",
                        "network_wifi": "unknown_option", "compliance_clean_3y": "wrong_type",
                        "sme_sc_quality": "out_of_range", "fur_board_utilisation": "out_of_range"}


def test_bad_profile_is_refused(bundle, furniture):
    with pytest.raises(InvalidAnswers) as raised:
        diagnose(bundle, furniture["answers"], {**furniture["profile"], "employees": "many", "size": 1})
    assert raised.value.problems == [AnswerProblem("profile.employees", "wrong_type"),
                                     AnswerProblem("profile.size", "unknown_field")]


def test_simulate_reports_the_difference(bundle, furniture):
    answers = {**furniture["answers"], "sme_sc_quality": 2}
    outcome = simulate(bundle, answers, {"sme_sc_quality": 4, "sme_cost_trend": None}, furniture["profile"])
    before = diagnose(bundle, answers, furniture["profile"])
    diff = outcome["diff"]
    assert diff["sme_points"] == [before["sme"]["points"], outcome["result"]["sme"]["points"]]
    assert diff["sme_points"][1] == diff["sme_points"][0] - next(
        item["points"] for d in before["sme"]["dimensions"] for item in d["items"] if item["id"] == "cost")
    quality = next(s for s in outcome["result"]["sme"]["scenarios"] if s["id"] == "sme_sc_quality")
    assert quality["level"] == 4
    before_ids = {r["id"] for r in before["recommendations"]}
    after_ids = {r["id"] for r in outcome["result"]["recommendations"]}
    assert diff["recommendations_gained"] == sorted(after_ids - before_ids)
    assert diff["recommendations_lost"] == sorted(before_ids - after_ids)
    assert answers["sme_cost_trend"] == furniture["answers"]["sme_cost_trend"]  # input untouched


def test_localize_adds_labels_in_either_language(bundle, furniture):
    result = diagnose(bundle, furniture["answers"], furniture["profile"])
    zh = localize(result, bundle, "zh_CN")
    en = localize(result, bundle, "en")
    assert zh["sme"]["dimensions"][0]["label"] == "数字化基础"
    assert en["sme"]["dimensions"][0]["label"] == "Digital foundation"
    assert en["texts"]["fact.equipment_network_rate"] == "Production equipment networking rate"
    assert en["texts"]["tag.furniture"] == "Custom furniture"
    assert all(entry["label"] for entry in en["radar"])
    assert all(entry["title"] for entry in en["recommendations"])
    assert all(criterion["text"] for rung in en["smart_factory"] for criterion in rung["criteria"])
    assert "texts" not in result and "label" not in result["radar"][0]
