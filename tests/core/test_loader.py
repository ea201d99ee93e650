from pathlib import Path

import pytest

from diagnosis.core.answers import validate_answers
from diagnosis.core.loader import load_instrument
from diagnosis.core.problems import Problem
from tests.core.builders import MINI, copy_tree, edit, text

INSTRUMENT = "questionnaires/instruments/mini/instrument.yaml"
BASE = "questionnaires/instruments/mini/sections/base.yaml"
FURNITURE = "questionnaires/instruments/mini/sections/furniture.yaml"


def load(root: Path):
    return load_instrument(root / "instruments" / "mini", root)


def problems_after(tmp_path: Path, file: str, change) -> list[Problem]:
    root = copy_tree(tmp_path)
    edit(root.parent / file, change)
    instrument, problems = load(root)
    assert instrument is None
    return problems


def question(data: dict, qid: str) -> dict:
    return next(q for q in data["questions"] if q["id"] == qid)


def test_the_fixture_loads_in_display_order():
    instrument, problems = load_instrument(MINI / "instruments" / "mini", MINI)
    assert problems == []
    assert (instrument.id, instrument.version) == ("mini", "1")
    ids = [q.id for q in instrument.questions()]
    assert ids[:3] == ["equip_total", "equip_networked", "robots"] and ids[-1] == "fur_auto_share"
    assert instrument.question("strategy_l1").option_ids == {"full", "most", "partial", "none"}
    assert instrument.question("quality").levels[4] == text("预测模型", "Predictive")
    assert instrument.question("share").max == 100
    assert [f.id for f in instrument.facts] == ["network_rate", "robot_density", "systems_count",
                                                "equip_and_robots"]
    assert instrument.facts[2].excluded == {"none"}


def test_visibility_plan_puts_dependencies_first():
    instrument, _ = load_instrument(MINI / "instruments" / "mini", MINI)
    order = [(step.kind, step.id) for step in instrument.visibility_plan]
    assert order.index(("question", "has_line")) < order.index(("question", "line_count"))
    assert order.index(("fact", "network_rate")) < order.index(("question", "fur_auto_share"))
    assert order.index(("section", "furniture")) < order.index(("question", "fur_split"))
    assert ("question", "robots") not in order


def line_show_if(condition):
    return lambda data: question(data, "line_count").update(show_if=condition)


CASES = [
    (INSTRUMENT, lambda d: d.update(schema=2), "schema", "unsupported schema version 2 (expected 1)"),
    (INSTRUMENT, lambda d: d["title"].pop("en"), "title.en", "missing translation"),
    (INSTRUMENT, lambda d: d["facts"][0].update(numerator={"answer": "ghost"}), "facts[0]",
     "unknown question 'ghost'"),
    (INSTRUMENT, lambda d: d["facts"][0].update(kind="median"), "facts[0].kind",
     "unknown fact kind 'median' (ratio, count_selected, sum)"),
    (INSTRUMENT, lambda d: d["facts"][1].update(id="network_rate"), "facts[1].id",
     "duplicate fact id 'network_rate'"),
    (INSTRUMENT, lambda d: d["facts"][2].update(of={"answer": "equip_total"}), "facts[2]",
     "a count_selected fact cannot use integer question 'equip_total'"),
    (INSTRUMENT, lambda d: d["option_sets"]["satisfaction"].append({"id": "full", "text": text("满")}),
     "option_sets.satisfaction[4].id", "duplicate option id 'full'"),
    (BASE, lambda d: question(d, "wifi").update(type="slider"), "questions[6].type",
     "unknown question type 'slider'"),
    (BASE, lambda d: question(d, "robots").update(id="equip_total"), "questions[2].id",
     "duplicate question id 'equip_total'"),
    (BASE, lambda d: question(d, "robots").update(min=10, max=5), "questions[2].min",
     "min 10 is greater than max 5"),
    (BASE, lambda d: question(d, "robots").update(colour="red"), "questions[2].colour", "unknown key"),
    (BASE, lambda d: question(d, "robots")["text"].pop("zh_CN"), "questions[2].text.zh_CN",
     "missing translation"),
    (BASE, lambda d: question(d, "quality")["levels"].pop(4), "questions[8].levels",
     "needs exactly the levels 1, 2, 3 and 4"),
    (BASE, lambda d: question(d, "note").update(max_length=0), "questions[10].max_length",
     "must be a positive whole number"),
    (BASE, lambda d: question(d, "systems").update(exclusive=["nothing"]), "questions[3].exclusive[0]",
     "unknown option 'nothing'"),
    (BASE, lambda d: question(d, "strategy_l1").update(options={"set": "agreement"}),
     "questions[11].options.set", "unknown option set 'agreement'"),
    (BASE, line_show_if({"answer": "has_line", "op": "like", "value": 1}),
     "questions[5].show_if.op", "unknown operator 'like'"),
    (BASE, line_show_if({"answer": "ghost", "op": "answered"}),
     "questions[5].show_if", "unknown question 'ghost'"),
    (BASE, line_show_if({"fact": "ghost", "op": "ge", "value": 1}),
     "questions[5].show_if", "unknown fact 'ghost'"),
    (BASE, line_show_if({"answer": "wifi", "op": "eq", "value": "most"}),
     "questions[5].show_if", "unknown option 'most' of question 'wifi'"),
    (BASE, line_show_if({"answer": "wifi", "op": "ge", "value": 1}),
     "questions[5].show_if", "operator 'ge' does not apply to single question 'wifi'"),
    (BASE, line_show_if({"answer": "has_line", "op": "eq", "value": 1}),
     "questions[5].show_if", "question 'has_line' is answered true or false, not 1"),
    (BASE, line_show_if({"score": "sme.level", "op": "ge", "value": 1}),
     "questions[5].show_if.score", "score conditions are not allowed here (scores depend on visibility)"),
    (BASE, line_show_if({"answer": "line_count", "op": "answered"}),
     "questions[5].show_if", "show_if cycle: question line_count -> question line_count"),
    (FURNITURE, lambda d: d.update(show_if={"answer": "fur_split", "op": "eq", "value": "manual"}), "show_if",
     "show_if cycle: section furniture -> question fur_split -> section furniture"),
]


@pytest.mark.parametrize(("file", "change", "path", "reason"), CASES,
                         ids=[f"{case[2]}:{case[3][:30]}" for case in CASES])
def test_each_kind_of_error_names_file_path_and_reason(tmp_path, file, change, path, reason):
    assert Problem(file, path, reason) in problems_after(tmp_path, file, change)


def test_cycle_through_a_fact_is_found(tmp_path):
    def change(data):
        question(data, "equip_networked")["show_if"] = {"fact": "network_rate", "op": "ge", "value": 0.1}
    problems = problems_after(tmp_path, BASE, change)
    assert [p.reason for p in problems] == [
        "show_if cycle: question equip_networked -> fact network_rate -> question equip_networked"]


def test_all_errors_across_files_are_reported_at_once(tmp_path):
    root = copy_tree(tmp_path)
    edit(root.parent / INSTRUMENT, lambda d: d["title"].pop("zh_CN"))
    edit(root.parent / BASE, lambda d: question(d, "wifi").update(type="slider"))
    edit(root.parent / FURNITURE, lambda d: question(d, "fur_split")["text"].pop("en"))
    _, problems = load(root)
    assert {(p.file, p.path) for p in problems} == {
        (INSTRUMENT, "title.zh_CN"), (BASE, "questions[6].type"), (FURNITURE, "questions[0].text.en")}


def test_missing_section_file_and_bad_yaml_are_reported(tmp_path):
    root = copy_tree(tmp_path)
    (root / "instruments/mini/sections/furniture.yaml").unlink()
    (root / "instruments/mini/sections/base.yaml").write_text("schema: 1\nid: [unclosed\n", encoding="utf-8")
    _, problems = load(root)
    assert [(p.file, p.path, p.reason.split(":")[0]) for p in problems] == [
        (BASE, "line 3", "invalid YAML"), (FURNITURE, "", "cannot read file")]


def test_hidden_section_answers_are_ignored_and_listed():
    instrument, _ = load_instrument(MINI / "instruments" / "mini", MINI)
    check = validate_answers(instrument, {"fur_split": "manual", "equip_total": 3}, {"industry_tags": []})
    assert check.values == {"equip_total": 3}
    assert check.ignored == [("fur_split", "hidden")]
