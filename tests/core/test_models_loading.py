"""Model and bundle problems: each names file, path and reason, all reported at once."""

import shutil

import pytest

from diagnosis.core.bundle import DEFAULT_ROOT, check_bundle, load_bundle
from diagnosis.core.problems import Problem, QuestionnaireError
from tests.core.builders import edit

SME = "questionnaires/models/sme2024.yaml"
CMMM = "questionnaires/models/cmmm.yaml"
RADAR = "questionnaires/models/radar.yaml"
INDUSTRIES = "questionnaires/catalogues/industries.yaml"


@pytest.fixture
def tree(tmp_path):
    shutil.copytree(DEFAULT_ROOT, tmp_path / "questionnaires")
    return tmp_path


def item(data, item_id):
    return next(i for d in data["dimensions"] for i in d["items"] if i["id"] == item_id)


CASES = [
    (
        SME,
        lambda d: item(d, "network")["points"].update(industrial_control=3),
        "dimensions[0].items[0].max",
        "max 8 differs from the best achievable 9",
    ),
    (
        SME,
        lambda d: item(d, "network").update(kind="lookup"),
        "dimensions[0].items[0].kind",
        "unknown item kind 'lookup' (per_option, option, band)",
    ),
    (
        SME,
        lambda d: item(d, "equipment_digital")["bands"][2].update(upto=0.15),
        "dimensions[0].items[1].bands[2].upto",
        "band edges must increase",
    ),
    (
        SME,
        lambda d: item(d, "network").update(question="sme_netwerk"),
        "dimensions[0].items[0].question",
        "unknown question 'sme_netwerk' in district-diagnosis",
    ),
    (
        SME,
        lambda d: item(d, "it_coverage")["points"].update(most=10, all=0),
        "dimensions[0].items[4].question",
        "unknown option 'most' of question 'sme_it_coverage'",
    ),
    (
        SME,
        lambda d: item(d, "it_coverage").update(question="sme_network"),
        "dimensions[0].items[4].question",
        "question 'sme_network' is multi, expected single",
    ),
    (
        SME,
        lambda d: item(d, "spend").update(fact="spend_rate"),
        "dimensions[1].items[3].fact",
        "unknown fact 'spend_rate' in district-diagnosis",
    ),
    (
        SME,
        lambda d: d["scenarios"]["constraint"].append("sme_sc_weather"),
        "scenarios.constraint[10]",
        "'sme_sc_weather' is not one of the scenarios",
    ),
    (
        SME,
        lambda d: d["levels"][0].update(min_scenarios=9.5),
        "levels[0].min_scenarios",
        "must be a whole number >= 0",
    ),
    (SME, lambda d: d.update(edition=""), "edition", "must name the edition the model follows"),
    (
        CMMM,
        lambda d: d["subdomains"][0].update(domain="strategy_room"),
        "subdomains[0].domain",
        "unknown domain 'strategy_room'",
    ),
    (
        CMMM,
        lambda d: d["subdomains"][3].update(levels=[1, 2, 3, 4, 5]),
        "subdomains[3].levels",
        "unknown question 'cmmm_integration_l1' in district-diagnosis",
    ),
    (
        CMMM,
        lambda d: d["satisfaction"].update(some=0.3),
        "subdomains[0].levels",
        "unknown option 'some' of question 'cmmm_strategy_l1'",
    ),
    (CMMM, lambda d: d["bands"][1].update(min=0.5), "bands", "band minimums must increase with the level"),
    (
        CMMM,
        lambda d: d.update(section="maturity"),
        "section",
        "unknown section 'maturity' in district-diagnosis",
    ),
    (
        RADAR,
        lambda d: d["dimensions"][0]["parts"][0].update(sme_item="wifi"),
        "dimensions[0].parts[0].sme_item",
        "unknown sme_item 'wifi'",
    ),
    (
        RADAR,
        lambda d: d["dimensions"][0]["parts"].append({"fact": "oee"}),
        "dimensions[0].parts[6].fact",
        "unknown fact 'oee' in district-diagnosis",
    ),
    (
        RADAR,
        lambda d: d.update(dimensions=d["dimensions"][:5]),
        "dimensions",
        "a radar needs 6-10 dimensions",
    ),
    (
        INDUSTRIES,
        lambda d: d["industries"][0].update(code="177"),
        "industries[0].code",
        "must be a quoted 4-digit GB/T 4754 code",
    ),
    (
        INDUSTRIES,
        lambda d: d["industries"][0].update(tags=["textiles"]),
        "industries[0].tags[0]",
        "unknown tag 'textiles'",
    ),
]


@pytest.mark.parametrize(
    ("file", "change", "path", "reason"), CASES, ids=[f"{c[0][15:]}:{c[2]}" for c in CASES]
)
def test_model_problems_name_file_path_and_reason(tree, file, change, path, reason):
    edit(tree / file, change)
    assert Problem(file, path, reason) in check_bundle(tree / "questionnaires")


def test_problems_of_several_files_come_together_and_load_raises(tree):
    edit(tree / SME, lambda d: d.update(schema=3))
    edit(tree / RADAR, lambda d: d["dimensions"][0].pop("label"))
    edit(
        tree / "questionnaires/instruments/district-diagnosis/sections/profile.yaml",
        lambda d: d["questions"][0]["text"].pop("en"),
    )
    problems = check_bundle(tree / "questionnaires")
    assert {(p.file, p.path) for p in problems} >= {
        (SME, "schema"),
        (RADAR, "dimensions[0].label"),
        ("questionnaires/instruments/district-diagnosis/sections/profile.yaml", "questions[0].text.en"),
    }
    with pytest.raises(QuestionnaireError) as raised:
        load_bundle(tree / "questionnaires")
    assert raised.value.problems == problems


def test_the_project_tree_is_valid_and_cached():
    assert check_bundle() == []
    assert load_bundle() is load_bundle(DEFAULT_ROOT)
