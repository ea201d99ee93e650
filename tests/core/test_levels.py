"""The level catalogue: every level named and explained in both languages, thresholds from the models."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from diagnosis.core import levels
from diagnosis.core.bundle import load_bundle
from tests.web.assess_helpers import example_result

CMMM_NAMES = ["未达一级", "一级 规划级", "二级 规范级", "三级 集成级", "四级 优化级", "五级 引领级"]
SME_NAMES = ["未达一级", "一级", "二级", "三级", "四级"]


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.mark.parametrize(("scale", "names"), [("sme", SME_NAMES), ("cmmm", CMMM_NAMES)])
def test_every_level_has_its_name_and_distinct_words_in_both_languages(scale, names):
    entries = levels.catalogue().scales[scale].levels
    assert [entry.name["zh_CN"] for entry in entries] == names
    for key in ("name", "meaning", "for_us"):
        for lang in ("zh_CN", "en"):
            words = [getattr(entry, key)[lang] for entry in entries]
            assert all(words) and len(set(words)) == len(words), (scale, key, lang)


def test_the_sme_meanings_say_they_are_not_yet_checked_against_the_2024_text():
    scale = levels.catalogue().scales["sme"]
    assert scale.doubt and "2022" in scale.doubt["zh_CN"] and "2024" in scale.doubt["en"]
    assert levels.catalogue().scales["cmmm"].doubt is None


def test_the_thresholds_come_from_the_scoring_models(bundle):
    sme, cmmm = levels.standings(bundle, example_result(), "zh_CN")
    assert [step.start for step in sme.steps] == sorted(rule.min_points for rule in bundle.sme_model.levels)
    assert [step.start for step in cmmm.steps] == sorted(band.min_overall for band in bundle.cmmm_model.bands)
    assert sme.below.start is None and cmmm.maximum == 5.0 and sme.maximum == 100


def test_the_example_stands_at_its_levels_with_what_the_next_level_needs(bundle):
    result = example_result()
    sme, cmmm = levels.standings(bundle, result, "zh_CN")
    assert sme.level == result["sme"]["level"] and sme.current.current
    assert sme.next.level == sme.level + 1 and sme.gap == result["sme"]["next_level"]
    assert cmmm.current.name == CMMM_NAMES[result["cmmm"]["level"]]
    assert cmmm.gap == {"level": cmmm.level + 1, "pass_mark": 0.8,
                        "score": result["cmmm"]["level_scores"][str(cmmm.level + 1)]}
    assert cmmm.position == pytest.approx(result["cmmm"]["overall"] / 5)
    assert [step.current for step in cmmm.steps].count(True) == 1


def test_below_level_one_the_next_is_level_one_and_the_top_has_no_next(bundle):
    result = copy.deepcopy(example_result())
    result["sme"].update(level=0, points=12.0, next_level={"level": 1, "points_short": 8.0,
                                                          "scenarios_short": 0, "constraint_short": 0})
    result["cmmm"].update(level=5, overall=5.0)
    sme, cmmm = levels.standings(bundle, result, "en")
    assert sme.current.name == "Below level 1" and sme.next.name == "Level 1"
    assert sme.position == pytest.approx(0.12)
    assert cmmm.current.name == "Level 5 Leading" and cmmm.next is None and cmmm.gap is None


def test_a_cmmm_not_assessed_stands_nowhere(bundle):
    result = copy.deepcopy(example_result())
    result["cmmm"] = {"assessed": False, "overall": None, "level": None, "band_level": None,
                      "level_scores": {}, "subdomains": [], "unanswered": []}
    _, cmmm = levels.standings(bundle, result, "zh_CN")
    assert not cmmm.assessed and cmmm.current is None and cmmm.next is None and cmmm.gap is None
    assert cmmm.position == 0.0 and not any(step.current for step in cmmm.steps)


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(levels.PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "levels.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["scales"]["cmmm"]["levels"][2]["meaning"].pop("en"), "scales.cmmm.levels[2].meaning"),
    (lambda d: d["scales"]["sme"]["levels"].pop(4), "scales.sme.levels"),
    (lambda d: d["scales"].pop("cmmm"), "scales"),
    (lambda d: d.update(schema=2), "schema"),
])
def test_a_broken_catalogue_is_refused_with_file_path_and_reason(tmp_path, change, where):
    path = _broken(tmp_path, change)
    with pytest.raises(levels.LevelsError) as refused:
        levels.load(path)
    assert str(refused.value).startswith(f"{path}: {where}: ")
