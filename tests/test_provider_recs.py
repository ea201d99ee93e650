"""provider_list: the engine's recommendations with the provider's latest edits, table-driven, on
edits read back from the database (SQLite, and PostgreSQL in the re-run) and on plain objects."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.provider_recs import (
    CatalogueItem,
    addable,
    catalogue_items,
    changed,
    kind_of,
    next_own_key,
    provider_list,
    stale,
)
from diagnosis.store.assessments import Assessment
from diagnosis.store.reviews import RecommendationEdit, recommendation_edits
from tests.conftest import ROOT

ENGINE = [
    {"id": "5g.machine_vision_qc", "kind": "5g_scenario", "priority": 0.72, "phase": "0-6",
     "title": "机器视觉质检", "why": "质检靠人工"},
    {"id": "cloud.l2", "kind": "cloud_step", "priority": 0.5, "phase": "6-18", "title": "L2 核心业务上云"},
    {"id": "robot.welding", "kind": "robot", "priority": 0.5, "phase": "18-36"},
]


@dataclass(frozen=True)
class Edit:
    key: str
    action: str
    priority: float | None = None
    phase: str | None = None
    title: str | None = None
    detail: str | None = None
    reason: str | None = None


def keyed(*edits: Edit) -> dict[str, Edit]:
    return {edit.key: edit for edit in edits}


# (case, edits in the order written, expected [(key, mark, priority, phase)] in list order, stale keys)
CASES = [
    ("untouched", [],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "engine", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36")], []),
    ("kept", [Edit("cloud.l2", "keep", reason="同意")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "kept", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36")], []),
    ("dismissed goes last", [Edit("5g.machine_vision_qc", "dismiss", reason="已有")],
     [("cloud.l2", "engine", 0.5, "6-18"), ("robot.welding", "engine", 0.5, "18-36"),
      ("5g.machine_vision_qc", "dismissed", 0.72, "0-6")], []),
    ("changed priority reorders", [Edit("robot.welding", "change", 0.9, "18-36", reason="急需")],
     [("robot.welding", "changed", 0.9, "18-36"), ("5g.machine_vision_qc", "engine", 0.72, "0-6"),
      ("cloud.l2", "engine", 0.5, "6-18")], []),
    ("changed phase", [Edit("cloud.l2", "change", 0.5, "0-6", reason="预算已批")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "changed", 0.5, "0-6"),
      ("robot.welding", "engine", 0.5, "18-36")], []),
    ("a change back to the engine's values is kept", [Edit("cloud.l2", "change", 0.5, "6-18", reason="x")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "kept", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36")], []),
    ("latest edit wins", [Edit("cloud.l2", "dismiss", reason="a"), Edit("cloud.l2", "keep", reason="b")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "kept", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36")], []),
    ("own addition", [Edit("own:1", "add", 0.6, "0-6", "员工培训", "每月一次", "现场所见")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("own:1", "added", 0.6, "0-6"),
      ("cloud.l2", "engine", 0.5, "6-18"), ("robot.welding", "engine", 0.5, "18-36")], []),
    ("catalogue addition", [Edit("green.energy_monitoring", "add", 0.1, "18-36", "能耗监测", None, "r")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "engine", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36"), ("green.energy_monitoring", "added", 0.1, "18-36")], []),
    ("an addition withdrawn stays, dismissed",
     [Edit("own:1", "add", 0.6, "0-6", "员工培训", None, "a"),
      Edit("own:1", "dismiss", 0.6, "0-6", "员工培训", None, "重复")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "engine", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36"), ("own:1", "dismissed", 0.6, "0-6")], []),
    ("an addition the engine now lists is the provider's change",
     [Edit("cloud.l2", "add", 0.8, "6-18", "L2 核心业务上云", None, "r")],
     [("cloud.l2", "changed", 0.8, "6-18"), ("5g.machine_vision_qc", "engine", 0.72, "0-6"),
      ("robot.welding", "engine", 0.5, "18-36")], []),
    ("edits of recommendations the engine dropped are stale",
     [Edit("sf.basic", "dismiss", reason="a"), Edit("cmmm.data", "change", 0.9, "0-6", reason="b"),
      Edit("5g.gone", "keep", reason="c")],
     [("5g.machine_vision_qc", "engine", 0.72, "0-6"), ("cloud.l2", "engine", 0.5, "6-18"),
      ("robot.welding", "engine", 0.5, "18-36")], ["5g.gone", "cmmm.data", "sf.basic"]),
]


def rows_of(result):
    return [(row.key, row.mark, row.priority, row.phase) for row in result]


@pytest.mark.parametrize(("edits", "expected", "stale_keys"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_merge_of_plain_edits(edits, expected, stale_keys):
    latest = keyed(*edits)
    assert rows_of(provider_list(ENGINE, latest)) == expected
    assert [edit.key for edit in stale(ENGINE, latest)] == stale_keys


@pytest.mark.parametrize(("edits", "expected", "stale_keys"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_merge_of_edits_from_the_database(db_session, make_company, edits, expected, stale_keys):
    company = make_company()
    assessment = Assessment(company_id=company.id, questionnaire_id="district-diagnosis",
                            questionnaire_version="2026.1", status="submitted")
    db_session.add(assessment)
    db_session.flush()
    for edit in edits:
        db_session.add(RecommendationEdit(assessment_id=assessment.id, **edit.__dict__))
        db_session.flush()
    latest = recommendation_edits(db_session, assessment.id)
    assert rows_of(provider_list(ENGINE, latest)) == expected
    assert [edit.key for edit in stale(ENGINE, latest)] == stale_keys


def test_rows_carry_titles_reasons_and_the_engine_values():
    latest = keyed(Edit("robot.welding", "change", 0.9, "0-6", reason="急需"),
                   Edit("own:1", "add", 0.3, "6-18", "员工培训", "每月一次", "现场所见"))
    rows = {row.key: row for row in provider_list(ENGINE, latest)}
    vision = rows["5g.machine_vision_qc"]
    assert (vision.title, vision.detail) == ("机器视觉质检", "质检靠人工")
    assert rows["robot.welding"].title == "robot.welding"  # not localized: the id
    assert (rows["robot.welding"].engine_priority, rows["robot.welding"].engine_phase) == (0.5, "18-36")
    assert rows["robot.welding"].reason == "急需"
    own = rows["own:1"]
    assert (own.kind, own.title, own.detail, own.engine_priority, own.engine_phase) == (
        "own", "员工培训", "每月一次", None, None)
    assert [row.key for row in changed(rows.values())] == ["robot.welding", "own:1"]


def test_catalogue_titles_an_addition_in_the_page_language():
    catalogue = {"green.x": CatalogueItem("green.x", "green", "Energy monitoring", "Why")}
    latest = keyed(Edit("green.x", "add", 0.2, "0-6", "能耗监测", None, "r"))
    row = provider_list(ENGINE, latest, catalogue)[-1]
    assert (row.kind, row.title, row.detail) == ("green", "Energy monitoring", "Why")


def test_catalogue_items_and_what_may_be_added():
    bundle = load_bundle(ROOT / "questionnaires")
    items = catalogue_items(bundle, "zh_CN")
    assert items["cloud.l2"].title == "L2 核心业务上云"
    assert items["sf.basic"].kind == "smart_factory"
    assert items["sme.uplift"].kind == "sme_uplift"
    assert "cloud.l0" not in items and "cmmm.subdomain.strategy" not in items
    assert all(item.kind == kind_of(key) for key, item in items.items())
    engine = [{"id": "cloud.l2", "kind": "cloud_step", "priority": 0.5, "phase": "6-18"}]
    rows = provider_list(engine, keyed(Edit("sf.basic", "add", 0.1, "0-6", "x", None, "r")))
    keys = {item.key for item in addable(items, rows)}
    assert "cloud.l2" not in keys and "sf.basic" not in keys and "sf.advanced" in keys


def test_next_own_key():
    assert next_own_key([]) == "own:1"
    assert next_own_key(["cloud.l2", "own:2", "own:10", "own:x"]) == "own:11"
