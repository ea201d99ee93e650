"""Catalogue loading: the real catalogues are complete; broken ones report every problem at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from diagnosis.core.recommend import load_catalogues
from tests.core.recommend_fixtures import ROOT, real_catalogues, real_instrument


def test_real_catalogues_hold_the_twenty_scenarios_and_every_text():
    catalogues = real_catalogues()
    assert len(catalogues.scenarios.candidates) == 20
    rec_ids = [c.rec_id for c in (*catalogues.scenarios.candidates, *catalogues.actions.candidates)]
    rec_ids += [f"sf.{rung.id}" for rung in catalogues.rungs] + [f"cloud.l{n}" for n in range(5)]
    rec_ids += ["sme.uplift"]
    rec_ids += [f"cmmm.{sub}" for sub in ("strategy", "data", "energy", "product_service")]
    for rec_id in rec_ids:
        for key in (rec_id, f"{rec_id}.why", f"{rec_id}.how"):
            assert set(catalogues.texts[key]) == {"zh_CN", "en"}, key
    for rung in catalogues.rungs:
        assert all(f"sf.{rung.id}.{criterion.id}" in catalogues.texts for criterion in rung.criteria)
    assert set(catalogues.editions) == {"priority", "5g_scenarios", "cloud_ladder", "smart_factory",
                                        "recommendations"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "questionnaires"
    shutil.copytree(ROOT, root)
    return root


def edit(root: Path, name: str, change) -> None:
    path = root / "catalogues" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(root: Path) -> set[tuple[str, str, str]]:
    catalogues, problems = load_catalogues(root, real_instrument())
    assert catalogues is None
    return {(Path(p.file).name, p.path, p.reason) for p in problems}


def break_scenarios(data: dict) -> None:
    scenarios = data["scenarios"]
    scenarios[0]["trigger"]["any"][0]["answer"] = "fur_no_such_question"
    scenarios[1]["id"] = scenarios[0]["id"]
    scenarios[2]["prerequisites"] = ["plant_network", "no_such_prerequisite"]
    scenarios[3]["fit"]["atlantis"] = "strong"
    del scenarios[4]["why"]["en"]


def break_actions(data: dict) -> None:
    actions = data["actions"]
    del actions[0]["title"]["en"]
    actions[1]["incentive"] = "lottery"
    actions[2]["impact"] = 1.5
    split = next(a for a in actions if a["id"] == "fur_split_software")
    split["trigger"]["value"] = ["manual", "by_hand"]


def test_every_problem_is_reported_at_once_with_file_and_path(tree: Path):
    edit(tree, "5g_scenarios", break_scenarios)
    edit(tree, "cloud_ladder", lambda d: d["steps"][3]["condition"]["any"][0].update(op="has"))
    edit(tree, "smart_factory",
         lambda d: d["rungs"][0]["criteria"][0]["condition"].update(fact="no_such_fact"))
    edit(tree, "recommendations", break_actions)
    edit(tree, "priority", lambda d: d["incentives"]["general"].update(value=2))
    found = problems_of(tree)
    split_index = next(i for i, a in enumerate(yaml.safe_load((ROOT / "catalogues/recommendations.yaml")
                                                             .read_text(encoding="utf-8"))["actions"])
                       if a["id"] == "fur_split_software")
    expected = {
        ("5g_scenarios.yaml", "scenarios[0].trigger", "unknown question 'fur_no_such_question'"),
        ("5g_scenarios.yaml", "scenarios[1].id", "duplicate scenario id 'collaborative_design'"),
        ("5g_scenarios.yaml", "scenarios[2].prerequisites[1]", "unknown prerequisite 'no_such_prerequisite'"),
        ("5g_scenarios.yaml", "scenarios[4].why.en", "missing translation"),
        ("cloud_ladder.yaml", "steps[3].condition.any[0].op", "unknown operator 'has'"),
        ("smart_factory.yaml", "rungs[0].criteria[0].condition", "unknown fact 'no_such_fact'"),
        ("recommendations.yaml", "actions[0].title.en", "missing translation"),
        ("recommendations.yaml", "actions[2].impact", "must be a number from 0 to 1"),
        ("recommendations.yaml", f"actions[{split_index}].trigger",
         "unknown option 'by_hand' of question 'fur_split_method'"),
        ("priority.yaml", "incentives.general.value", "must be a number from 0 to 1"),
    }
    assert expected <= found
    assert any(path == "actions[1].incentive" and reason.startswith("unknown incentive 'lottery'")
               for _, path, reason in found)


def test_fit_tags_are_checked_against_the_industry_table(tree: Path):
    (tree / "catalogues" / "industries.yaml").write_text(yaml.safe_dump({
        "schema": 1, "edition": "test", "tags": {"furniture": {"zh_CN": "定制家居", "en": "Furniture"}},
        "industries": [{"code": "2110", "name": {"zh_CN": "木质家具制造", "en": "Wooden furniture"},
                        "tags": ["furniture"]}]}, allow_unicode=True), encoding="utf-8")
    found = problems_of(tree)
    assert ("5g_scenarios.yaml", "scenarios[0].fit.chemicals", "unknown industry tag 'chemicals'") in found


def test_a_broken_file_does_not_hide_the_problems_of_the_others(tree: Path):
    (tree / "catalogues" / "cloud_ladder.yaml").write_text("schema: 1\nsteps: [\n", encoding="utf-8")
    edit(tree, "smart_factory", lambda d: d["rungs"][1].update(track="moon"))
    found = problems_of(tree)
    assert any(file == "cloud_ladder.yaml" and reason.startswith("invalid YAML") for file, _, reason in found)
    assert any(file == "smart_factory.yaml" and path == "rungs[1].track" for file, path, _ in found)


def test_missing_catalogue_file_is_named(tree: Path):
    (tree / "catalogues" / "priority.yaml").unlink()
    found = problems_of(tree)
    assert [(file, reason.split(":")[0]) for file, _, reason in found] == [
        ("priority.yaml", "cannot read file")]


def test_unknown_keys_and_reserved_criterion_ids_are_refused(tree: Path):
    def change(data: dict) -> None:
        data["rungs"][0]["colour"] = "blue"
        data["rungs"][0]["criteria"][1]["id"] = "why"
    edit(tree, "smart_factory", change)
    found = problems_of(tree)
    assert ("smart_factory.yaml", "rungs[0].colour", "unknown key") in found
    assert ("smart_factory.yaml", "rungs[0].criteria[1].id",
            "'why' is reserved for the rung's own texts") in found


def test_links_between_entries_are_checked(tree):
    def change(data):
        data["prerequisites"]["mes_in_use"]["met_by"] = ["foundation.no_such_action"]
        energy = next(a for a in data["actions"] if a["id"] == "energy_management")
        energy["absorbs"] = ["5g.no_such_scenario"]
    edit(tree, "recommendations", change)
    found = problems_of(tree)
    assert ("recommendations.yaml", "prerequisites.mes_in_use.met_by",
            "'foundation.no_such_action' is no 5G scenario or action") in found
    assert any(path.endswith(".absorbs") and "5g.no_such_scenario" in reason
               for _, path, reason in found)


def test_every_triggered_entry_says_what_shows_it_done(tree):
    def change(data):
        next(action for action in data["actions"] if action["id"] == "mes").pop("done_if")
    edit(tree, "recommendations", change)
    assert ("recommendations.yaml", "actions[2].done_if",
            "missing: the condition that shows it is in place (null: none)") in problems_of(tree)
