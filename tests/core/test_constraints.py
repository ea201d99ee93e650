"""Cross-question constraints: refused at load when they cannot work, found when answers break them,
reported by the engine and applied in the what-if."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagnosis.core.answers import validate_answers
from diagnosis.core.bundle import DEFAULT_ROOT
from diagnosis.core.constraints import broken_constraints
from diagnosis.core.engine import InvalidAnswers, check_answers, simulate
from diagnosis.core.loader import load_instrument
from tests.core.builders import copy_tree, edit, text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROFILE_FILE = "questionnaires/instruments/district-diagnosis/sections/profile.yaml"
INSTRUMENT_FILE = "questionnaires/instruments/district-diagnosis/instrument.yaml"


def example(name: str = "panels_2021") -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def breaks(bundle, answers: dict, profile: dict) -> list[str]:
    instrument = bundle.active_instrument()
    full = bundle.profile(profile)
    values = validate_answers(instrument, answers, full).values
    return [item.id for item in broken_constraints(instrument, values, full)]


@pytest.mark.parametrize("name", ["cement_3011", "chemicals_2614", "copper_3251", "furniture_2110", "minimal",
                                  "panels_2021"])
def test_the_example_answer_files_agree_with_themselves(bundle, name):
    data = example(name)
    report = check_answers(bundle, data["answers"], data["profile"])
    assert (report.problems, report.broken) == ([], [])


@pytest.mark.parametrize(("changes", "expected"), [
    ({"equip_digital": 200}, ["equip_digital_within_total"]),
    ({"equip_networked": 150}, ["equip_networked_within_total", "equip_networked_within_digital"]),
    ({"key_process_nc": 9}, ["key_process_nc_within_total"]),
    ({"robots_in_use": 39}, ["robots_within_digital"]),
    ({"systems_integrated": ["erp", "mes"]}, ["systems_integrated_in_use"]),
    ({"systems_integrated": ["none"]}, []),  # "none" chooses nothing
    ({"digital_spend_wan": 9000}, ["digital_spend_within_revenue"]),
    ({"revenue_wan": 1999}, ["revenue_from_band_20m_100m"]),
    ({"revenue_wan": 10000}, ["revenue_below_band_20m_100m"]),
    ({"revenue_wan": 2000}, []),
])
def test_impossible_answers_break_their_constraint(bundle, changes, expected):
    data = example()  # panels: 142 machines, 38 digitised, 12 networked, 5 key processes, erp + oa
    assert breaks(bundle, {**data["answers"], **changes}, data["profile"]) == expected


def test_a_constraint_is_not_checked_while_a_side_is_unanswered_or_hidden(bundle):
    data = example()
    answers = {k: v for k, v in data["answers"].items() if k != "equip_total"}
    assert breaks(bundle, {**answers, "equip_digital": 500}, data["profile"]) == []
    hidden = {**data["answers"], "systems_in_use": ["none"], "systems_integrated": ["erp"]}
    assert breaks(bundle, hidden, data["profile"]) == []  # systems_integrated is not shown then


def test_robots_need_employees_in_the_profile(bundle):
    data = example("furniture_2110")
    assert breaks(bundle, data["answers"], {**data["profile"], "employees": 0}) == ["robots_need_employees"]
    no_robots = {**data["answers"], "robots_in_use": 0}
    assert breaks(bundle, no_robots, {**data["profile"], "employees": 0}) == []


def test_check_answers_names_question_constraint_and_missing_required(bundle):
    data = example()
    answers = {**data["answers"], "equip_digital": 200}
    del answers["network_5g"]
    report = check_answers(bundle, answers, data["profile"])
    found = [(b.questions, b.id, dict(b.values)) for b in report.broken]
    assert found == [(("equip_digital", "equip_total"), "equip_digital_within_total",
                      {"equip_digital": 200, "equip_total": 142})]
    assert report.missing == ["network_5g"] and not report.sound


def test_the_what_if_refuses_a_value_that_breaks_a_constraint(bundle):
    data = example()
    with pytest.raises(InvalidAnswers) as refused:
        simulate(bundle, data["answers"], {"equip_networked": 500}, data["profile"])
    problems = [(p.question, p.code, p.detail["constraint"]) for p in refused.value.problems]
    assert problems == [("equip_networked", "constraint", "equip_networked_within_total"),
                        ("equip_networked", "constraint", "equip_networked_within_digital")]
    outcome = simulate(bundle, data["answers"], {"equip_networked": 30}, data["profile"])
    assert outcome["result"]["facts"]["equipment_network_rate"] == pytest.approx(30 / 142, abs=1e-6)


# ---------------------------------------------------------------------------------- load errors

def load_problems(tmp_path: Path, constraint: dict, file: str = PROFILE_FILE) -> list[str]:
    root = copy_tree(tmp_path, DEFAULT_ROOT)
    edit(root.parent / file, lambda data: data.setdefault("constraints", []).append(constraint))
    instrument, problems = load_instrument(root / "instruments" / "district-diagnosis", root)
    assert instrument is None
    return [str(problem) for problem in problems]


def constraint(**fields) -> dict:
    return {"id": "probe", "left": {"answer": "equip_digital"}, "op": "le",
            "right": {"answer": "equip_total"}, "message": text("不一致", "Inconsistent"), **fields}


@pytest.mark.parametrize(("fields", "reason"), [
    ({"left": {"answer": "equip_digitl"}}, "unknown question 'equip_digitl'"),
    ({"right": {"fact": "equipment_rate"}}, "unknown fact 'equipment_rate'"),
    ({"right": {"profile": "headcount"}}, "unknown profile field 'headcount'"),
    ({"right": {"answer": "systems_in_use"}},
     "integer question 'equip_digital' and multi question 'systems_in_use' cannot be compared with 'le'"),
    ({"left": {"answer": "network_wifi"}, "op": "eq"},
     "single question 'network_wifi' and integer question 'equip_total' cannot be compared with 'eq'"),
    ({"op": "subset"}, "cannot be compared with 'subset'"),
    ({"left": {"answer": "cloud_use"}, "op": "subset", "right": {"answer": "systems_in_use"}},
     "option 'business_apps' of question 'cloud_use' is not an option of question 'systems_in_use'"),
    ({"right": {"value": "many"}}, "value 'many' cannot be compared with 'le'"),
    ({"left": {"profile": "employees"}, "right": {"value": 0}},
     "a constraint must read at least one answer"),
    ({"when": {"answer": "robots_in_use", "op": "contains", "value": 1}},
     "operator 'contains' does not apply to integer question 'robots_in_use'"),
    ({"op": "at_most"}, "unknown operator 'at_most'"),
    ({"left": {"question": "equip_digital"}}, "must be one of {answer: id}"),
    ({"message": {"zh_CN": "不一致"}}, "message.en: missing translation"),
    ({"id": "equip_digital_within_total"}, "duplicate constraint id 'equip_digital_within_total'"),
    ({"limit": 3}, "constraints[16].limit: unknown key"),
])
def test_a_constraint_that_cannot_work_is_refused_with_file_path_and_reason(tmp_path, fields, reason):
    lines = load_problems(tmp_path, constraint(**fields))  # profile.yaml declares 16 before it
    assert len(lines) == 1 and lines[0].startswith(f"{PROFILE_FILE}: constraints[16]"), lines
    assert reason in lines[0], lines


def test_constraints_may_sit_in_the_instrument_file(tmp_path):
    lines = load_problems(tmp_path, constraint(left={"answer": "nowhere"}), INSTRUMENT_FILE)
    assert lines == [f"{INSTRUMENT_FILE}: constraints[0]: unknown question 'nowhere'"]
