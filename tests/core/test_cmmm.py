"""CMMM (GB/T 39117 method) on hand-computed cases, including level scores of exactly 0.8."""

import pytest

from diagnosis.core.scoring.cmmm import load_cmmm_model, score_cmmm
from tests.core.builders import write


def answers_by_level(bundle, by_level: dict[int, str]) -> dict[str, str]:
    """The same satisfaction for every requirement of a level."""
    return {requirement.question: by_level[requirement.level] for sub in bundle.cmmm_model.subdomains
            for requirement in sub.requirements if requirement.level in by_level}


@pytest.mark.parametrize(("by_level", "scores", "overall", "level", "band"), [
    ({1: "full", 2: "full", 3: "full", 4: "full", 5: "full"}, [1, 1, 1, 1, 1], 5, 5, 5),
    ({1: "full", 2: "most", 3: "partial", 4: "none", 5: "none"}, [1, 0.8, 0.5, 0, 0], 2.3, 2, 2),
    ({1: "most", 2: "most", 3: "most", 4: "most", 5: "most"}, [0.8] * 5, 4.0, 5, 4),   # all exactly 0.8
    ({1: "most", 2: "partial", 3: "full"}, [0.8, 0.5, 1, 0, 0], 1.3, 1, 1),           # stop after level 2
    ({1: "partial", 2: "full"}, [0.5, 1, 0, 0, 0], 0.5, 0, 0),
    ({}, [0, 0, 0, 0, 0], 0, 0, 0),
])
def test_levels_overall_and_bands(bundle, by_level, scores, overall, level, band):
    result = score_cmmm(bundle.cmmm_model, answers_by_level(bundle, by_level), assessed=True)
    assert result["level_scores"] == {str(n): score for n, score in zip(range(1, 6), scores, strict=True)}
    assert (result["overall"], result["level"], result["band_level"]) == (overall, level, band)


def test_one_weak_subdomain_pulls_the_level_below_the_threshold(bundle):
    # strategy is the only sub-domain of its domain, one of the 2 domains of personnel, 1 of 4 elements:
    # S2 = 0.8 - (0.8 - 0.5) / 4 / 2 = 0.7625
    answers = answers_by_level(bundle, {1: "full", 2: "most", 3: "full"})
    answers["cmmm_strategy_l2"] = "partial"
    result = score_cmmm(bundle.cmmm_model, answers, assessed=True)
    assert result["level_scores"]["2"] == 0.7625
    assert (result["level"], result["overall"]) == (1, 1.7625)


def test_subdomains_without_a_level_requirement_are_left_out(bundle):
    answers = answers_by_level(bundle, {1: "full"})
    result = score_cmmm(bundle.cmmm_model, answers, assessed=True)
    integration = next(sub for sub in result["subdomains"] if sub["id"] == "integration")
    assert list(integration["scores"]) == ["2", "3", "4", "5"]
    assert result["level_scores"]["1"] == 1.0


def test_unanswered_requirements_count_as_not_met_and_are_listed(bundle):
    answers = answers_by_level(bundle, {1: "full", 2: "full"})
    del answers["cmmm_data_l2"]
    result = score_cmmm(bundle.cmmm_model, answers, assessed=True)
    data = next(sub for sub in result["subdomains"] if sub["id"] == "data")
    assert data["scores"]["2"] == 0.0
    assert "cmmm_data_l2" in result["unanswered"] and "cmmm_data_l1" not in result["unanswered"]
    assert result["unanswered"] == sorted(result["unanswered"])


def test_not_assessed(bundle):
    result = score_cmmm(bundle.cmmm_model, {"cmmm_data_l1": "full"}, assessed=False)
    assert result == {"assessed": False, "overall": None, "level": None, "band_level": None,
                      "level_scores": {}, "subdomains": [], "unanswered": []}


def test_weights_are_data(tmp_path):
    model_file = tmp_path / "questionnaires" / "models" / "cmmm.yaml"
    text = {"zh_CN": "甲", "en": "A"}
    write(model_file, {
        "schema": 1, "model": "cmmm", "edition": "test", "title": text, "section": "cmmm",
        "question_pattern": "q_{subdomain}_{level}",
        "satisfaction": {"full": 1.0, "partial": 0.5, "none": 0.0},
        "pass_threshold": 0.8, "bands": [{"level": 1, "min": 0.8}],
        "elements": [{"id": "heavy", "weight": 3, "label": text}, {"id": "light", "label": text}],
        "domains": [{"id": "dh", "element": "heavy", "label": text},
                    {"id": "dl", "element": "light", "label": text}],
        "subdomains": [{"id": "h", "domain": "dh", "levels": [1], "label": text},
                       {"id": "l", "domain": "dl", "levels": [1], "label": text}],
    })
    model, problems = load_cmmm_model(model_file, tmp_path / "questionnaires")
    assert problems == []
    result = score_cmmm(model, {"q_h_1": "full", "q_l_1": "none"}, assessed=True)
    assert result["level_scores"]["1"] == 0.75  # (3 x 1.0 + 1 x 0.0) / 4
    assert result["level"] == 0 and result["overall"] == 0.75


def two_subdomain_model(tmp_path, weight_x: float, weight_y: float, levels: list[int]):
    """One element and domain with two weighted sub-domains x and y (questions q_x_<n>, q_y_<n>)."""
    model_file = tmp_path / "questionnaires" / "models" / "cmmm.yaml"
    text = {"zh_CN": "甲", "en": "A"}
    write(model_file, {
        "schema": 1, "model": "cmmm", "edition": "test", "title": text, "section": "cmmm",
        "question_pattern": "q_{subdomain}_{level}",
        "satisfaction": {"full": 1.0, "most": 0.8, "partial": 0.5, "none": 0.0},
        "pass_threshold": 0.8, "bands": [{"level": 1, "min": 0.8}, {"level": 2, "min": 1.8}],
        "elements": [{"id": "e", "label": text}], "domains": [{"id": "d", "element": "e", "label": text}],
        "subdomains": [{"id": "x", "domain": "d", "weight": weight_x, "levels": levels, "label": text},
                       {"id": "y", "domain": "d", "weight": weight_y, "levels": levels, "label": text}],
    })
    model, problems = load_cmmm_model(model_file, tmp_path / "questionnaires")
    assert problems == []
    return model


def test_a_level_score_just_below_the_threshold_does_not_pass_once_rounded(tmp_path):
    model = two_subdomain_model(tmp_path, 79996, 20004, [1])
    result = score_cmmm(model, {"q_x_1": "full", "q_y_1": "none"}, assessed=True)
    assert result["level_scores"]["1"] == 0.8  # 0.79996 shown to 4 decimals
    assert (result["level"], result["band_level"]) == (0, 0)  # but compared exactly


def test_the_overall_is_the_exact_sum_rounded_once(tmp_path):
    model = two_subdomain_model(tmp_path, 50007, 49993, [1, 2])
    answers = {"q_x_1": "full", "q_y_1": "most", "q_x_2": "none", "q_y_2": "most"}
    result = score_cmmm(model, answers, assessed=True)
    assert result["level_scores"] == {"1": 0.9, "2": 0.3999, "3": 0, "4": 0, "5": 0}
    assert result["overall"] == 1.3  # 0.900014 + 0.399944 = 1.299958; rounding each first gave 1.2999
