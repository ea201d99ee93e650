"""Reasons in plain words, as the report and the result page both say them (reports/explain.py).

One table per language: a realistic leaf of each kind of condition (the engine's `because`
entries, docs/result-format.md) and the sentence a general manager reads. Then every leaf the
example companies' results carry, in both languages, checked for rule output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from reports.document import build_document
from reports.explain import leaf_sentence, leaf_sentences
from reports.render import render_html, translations
from reports.wording import Wording

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = sorted((ROOT / "tests" / "core" / "golden").glob("*.json"))
FURNITURE_PAINS = ["delivery", "labour", "cost"]
SYSTEMS = ["erp", "mes", "aps", "wms", "crm", "oa", "bi"]

#: The descriptive score refs the recommend code cites, with their words in each language.
DESCRIPTIVE_REFS = {
    "sme.scenarios_at_level.3": {"zh_CN": "三级及以上场景数", "en": "Scenarios at Level 3 or above"},
    "sme.constraint_at_level.3": {"zh_CN": "三级及以上约束性场景数",
                                  "en": "Mandatory scenarios at Level 3 or above"},
    "cmmm.level_scores.3": {"zh_CN": "成熟度三级得分", "en": "Level 3 maturity score"},
    "cmmm.subdomains.data.3": {"zh_CN": "“数据”子域三级得分", "en": "Level 3 score of the “Data” sub-domain"},
}


def words(bundle, lang: str) -> Wording:
    return Wording(bundle, bundle.active_instrument(), lang, translations(lang))


def leaf(source, ref, op, threshold, value, held=True):
    return {"source": source, "ref": ref, "op": op, "threshold": threshold, "value": value, "held": held}


#: (kind of condition, leaf, zh_CN sentence, en sentence)
CASES = [
    ("choice contains", leaf("answer", "pain_points", "contains", "delivery", FURNITURE_PAINS),
     "您选择的突出问题包括：交期难保证",
     "Most pressing problems (your answer): Delivery dates hard to keep"),
    ("choice contains, not chosen",
     leaf("answer", "pain_points", "contains", "quality", FURNITURE_PAINS, False),
     "您选择的突出问题不包括：质量不稳定、返工多",
     "Most pressing problems (your answer) do not include: Unstable quality and frequent rework"),
    ("system in use", leaf("answer", "systems_in_use", "contains", "mes", SYSTEMS),
     "已使用 MES 制造执行系统", "In use: MES"),
    ("system not in use", leaf("answer", "systems_in_use", "contains", "plm", SYSTEMS, False),
     "尚未使用 PLM/PDM 产品生命周期/产品数据管理", "Not in use yet: PLM/PDM"),
    ("systems integrated, some missing",
     leaf("answer", "systems_integrated", "contains_all", ["erp", "mes"], ["erp", "wms"], False),
     "尚未集成 MES 制造执行系统", "Not integrated yet: MES"),
    ("titles, any of held: only the one held",
     leaf("answer", "recognitions", "contains_any",
          ["digital_workshop_municipal", "digital_workshop_provincial"],
          ["digital_workshop_provincial", "sf_basic"]),
     "已获得：省级数字化车间", "Held: Provincial digital workshop"),
    ("certificates, all of: the missing ones without their notes",
     leaf("answer", "green_certs", "contains_all", ["iso14001", "iso50001"], ["iso9001", "iso14001"], False),
     "尚未获得：ISO 50001 能源管理体系", "Not held yet: ISO 50001 energy management"),
    ("cloud services", leaf("answer", "cloud_use", "contains", "equipment", ["infrastructure"], False),
     "尚未开展设备上云", "Not on the cloud yet: Equipment to cloud"),
    ("single choice", leaf("answer", "energy_metering", "in", ["none", "manual"], "manual"),
     "能源计量方式：车间或主要设备装有分表，人工抄表记录",
     "Energy metering: Sub-meters on workshops or main equipment; read by hand"),
    ("yes / no, not in place", leaf("answer", "fur_nesting_software", "eq", False, False),
     "尚不具备开料排版优化软件", "Not in place: Nesting software for cutting"),
    ("yes / no, in place", leaf("answer", "im_organisation", "eq", True, True),
     "已具备智能制造专职部门和人员", "In place: Department and staff for smart manufacturing"),
    ("percentage fact, short of a requirement",
     leaf("fact", "equipment_network_rate", "ge", 0.6, 0.35, False),
     "生产设备联网率 35%，要求不低于 60%",
     "Production equipment networking rate: 35%; the requirement is at least 60%"),
    ("percentage fact, trigger", leaf("fact", "equipment_network_rate", "lt", 0.4, 0.257143),
     "生产设备联网率 25.7%，低于 40%", "Production equipment networking rate: 25.7%, which is below 40%"),
    ("fact per 10,000 employees", leaf("fact", "robot_density", "lt", 470, 157.894737),
     "工业机器人密度 158 台/万人，低于 470 台/万人",
     "Robot density: 158 per 10,000 employees, which is below 470 per 10,000 employees"),
    ("amount with the question's unit", leaf("answer", "revenue_wan", "ge", 2000, 1200, False),
     "上年度营业收入 1,200 万元，要求不低于 2,000 万元",
     "Revenue last year: 1,200 10k yuan; the requirement is at least 2,000 10k yuan"),
    ("percentage answer", leaf("answer", "fur_board_utilisation", "lt", 85, 78),
     "板材利用率 78%，低于 85%", "Board utilisation: 78%, which is below 85%"),
    ("count with a unit", leaf("answer", "robots_in_use", "ge", 5, 2, False),
     "在用工业机器人 2 台，要求不低于 5 台",
     "Industrial robots in use: 2 robots; the requirement is at least 5 robots"),
    ("scenario level, trigger", leaf("answer", "sme_sc_equipment", "le", 2, 2),
     "设备管理的数字化水平：二级", "Digital level of equipment management: Level 2"),
    ("scenario level, short of a level", leaf("answer", "sme_sc_product_design", "ge", 3, 0, False),
     "产品设计的数字化水平：未开展，要求达到三级",
     "Digital level of product design: Not in place; Level 3 required"),
    ("level compare", leaf("score", "cmmm.level", "ge", 3, 2, False),
     "成熟度等级：二级，要求达到三级", "Maturity level: Level 2; Level 3 required"),
    ("level compare, above", leaf("score", "cmmm.level", "gt", 1, 1, False),
     "成熟度等级：一级，要求达到二级", "Maturity level: Level 1; Level 2 required"),
    ("score with points", leaf("score", "sme.points", "ge", 80, 72.525, False),
     "数字化水平得分 72.5 分，要求不低于 80 分",
     "Digital level points: 72.5 points; the requirement is at least 80 points"),
    ("score count", leaf("score", "sme.scenarios_at_level.3", "ge", 8, 4, False),
     "三级及以上场景数 4 个，要求不低于 8 个",
     "Scenarios at Level 3 or above: 4; the requirement is at least 8"),
    ("maturity score", leaf("score", "cmmm.subdomains.energy.3", "lt", 0.8, 0.0),
     "“能源管理”子域三级得分 0，低于达标线 0.8",
     "Level 3 score of the “Energy management” sub-domain: 0, below the pass mark of 0.8"),
    ("maturity score, met", leaf("score", "cmmm.level_scores.2", "lt", 0.8, 0.85, False),
     "成熟度二级得分 0.85，已达到达标线 0.8",
     "Level 2 maturity score: 0.85, at or above the pass mark of 0.8"),
    ("profile", leaf("profile", "above_designated_size", "eq", True, False, False),
     "不属于规模以上企业", "Not an above-designated-size company"),
    ("unanswered", leaf("answer", "recognitions", "contains", "sf_advanced", None, False),
     "尚未填写：智能制造与数字化称号", "Not answered yet: Smart-manufacturing and digital titles"),
    ("open self-check statements", leaf("score", "cmmm.unanswered", "answered", None, 12, False),
     "自评表尚有 12 条陈述未作答", "12 self-check statements are not answered yet"),
]
IDS = [case[0] for case in CASES]


@pytest.mark.parametrize(("kind", "entry", "zh", "en"), CASES, ids=IDS)
def test_each_kind_of_condition_reads_as_a_sentence_in_chinese(bundle, kind, entry, zh, en):
    assert leaf_sentence(words(bundle, "zh_CN"), entry) == zh


@pytest.mark.parametrize(("kind", "entry", "zh", "en"), CASES, ids=IDS)
def test_each_kind_of_condition_reads_as_a_sentence_in_english(bundle, kind, entry, zh, en):
    assert leaf_sentence(words(bundle, "en"), entry) == en


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh_CN", ["生产设备联网率 35%，省级数字化车间要求不低于 60%",
               "成熟度等级：二级，省级数字化车间要求达到三级"]),
    ("en", ["Production equipment networking rate: 35%; "
            "the Provincial digital workshop requirement is at least 60%",
            "Maturity level: Level 2; Provincial digital workshop requires Level 3"]),
])
def test_a_requirement_names_who_sets_it(bundle, lang, expected):
    w = words(bundle, lang)
    rung = w.option(bundle.active_instrument().question("recognitions"), "digital_workshop_provincial")
    leaves = [leaf("fact", "equipment_network_rate", "ge", 0.6, 0.35, False),
              leaf("score", "cmmm.level", "ge", 3, 2, False)]
    assert leaf_sentences(w, leaves, by=rung) == expected


def test_an_answered_guard_says_nothing(bundle):
    w = words(bundle, "zh_CN")
    guarded = [leaf("answer", "systems_in_use", "answered", None, SYSTEMS),
               leaf("answer", "systems_in_use", "contains", "mes", SYSTEMS, False)]
    assert leaf_sentences(w, guarded) == ["尚未使用 MES 制造执行系统"]


def golden_leaves() -> list[dict]:
    """Every `because` entry of the example companies' results, once."""
    found: dict[str, dict] = {}

    def walk(node):
        if isinstance(node, dict):
            for entry in node.get("because") or []:
                found.setdefault(json.dumps(entry, sort_keys=True), entry)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in GOLDEN:
        walk(json.loads(path.read_text(encoding="utf-8")))
    return list(found.values())


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_reason_of_the_examples_reads_as_rule_output(bundle, lang):
    w = words(bundle, lang)
    instrument = bundle.active_instrument()
    texts = [w.pick(question.text) for question in instrument.questions()  # the sentences among them
             if question.short or question.type == "yes_no" or w.pick(question.text).endswith(("?", "？"))]
    option_ids = {option.id for question in instrument.questions() for option in question.options
                  if "_" in option.id}  # ids that are no word of a sentence: digital_workshop_provincial
    sentences = [leaf_sentence(w, entry) for entry in golden_leaves()]
    assert len(sentences) > 100
    for sentence in sentences:
        assert not [text for text in texts if len(text) > 12 and text in sentence], sentence
        assert not [word for word in ("（当前", "currently", "尚未满足") if word in sentence], sentence
        assert not [word for word in sentence.replace("：", " ").split() if word in option_ids], sentence
        assert "sme." not in sentence and "cmmm." not in sentence and "None" not in sentence, sentence


def catalogue_questions() -> set[str]:
    """The questions the catalogues' conditions read."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if "answer" in node and "op" in node:
                found.add(node["answer"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (ROOT / "questionnaires" / "catalogues").glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_every_question_a_reason_can_name_has_a_short_subject(bundle):
    instrument = bundle.active_instrument()
    cited = catalogue_questions()
    assert len(cited) > 50
    long = [qid for qid in sorted(cited) if instrument.question(qid).short is None
            and instrument.question(qid).type != "scenario_level"]
    assert long == []
    scenario = instrument.question("sme_sc_equipment")
    label = words(bundle, "zh_CN").question_label(scenario.id)
    assert label == scenario.text["zh_CN"] == "设备管理的数字化水平"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("ref", sorted(DESCRIPTIVE_REFS))
def test_descriptive_score_refs_read_as_words(bundle, lang, ref):
    sentence = leaf_sentence(words(bundle, lang), leaf("score", ref, "ge", 8, 7))
    assert sentence.startswith(DESCRIPTIVE_REFS[ref][lang])
    assert ref not in sentence


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_report_names_every_descriptive_ref_the_example_draws(make_source, bundle, lang):
    source = make_source("self")
    cited = {entry["ref"] for rec in source.result["recommendations"] for entry in rec["because"]}
    kinds = ("sme.scenarios_at_level.", "sme.constraint_at_level.", "cmmm.level_scores.", "cmmm.subdomains.")
    assert all(any(ref.startswith(kind) for ref in cited) for kind in kinds), "each kind is cited"
    html = render_html(build_document(source, bundle, lang))
    assert not [ref for ref in cited if ref.startswith(kinds) and ref in html]
    scenarios = DESCRIPTIVE_REFS["sme.scenarios_at_level.3"][lang].replace("3", "4").replace("三", "四")
    assert scenarios in html


@pytest.mark.parametrize(("lang", "named"), [
    ("zh_CN", ["未达一级", "成熟度短板", "已满足", "近期（0–6 个月）", "72", "L0 未上云"]),
    ("en", ["Below level 1", "Maturity gap", "Met", "Near term (0–6 months)", "72", "L0 Not on the cloud"]),
])
def test_a_results_values_have_one_name(bundle, lang, named):
    w = words(bundle, lang)
    assert w.phases == ("0-6", "6-18", "18-36")
    assert [w.level(0), w.kind("cmmm_gap"), w.status("met"), w.phase("0-6"), w.priority(0.7213),
            w.cloud_step(0)] == named
