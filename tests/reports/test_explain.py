"""Reasons in words, as the report and the result page both say them (reports/explain.py)."""

from __future__ import annotations

import pytest

from reports.document import build_document
from reports.explain import leaf_sentence
from reports.render import render_html, translations
from reports.wording import Wording

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


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("ref", sorted(DESCRIPTIVE_REFS))
def test_descriptive_score_refs_read_as_words(bundle, lang, ref):
    sentence = leaf_sentence(words(bundle, lang), leaf("score", ref, "ge", 8, 7))
    assert sentence.startswith(DESCRIPTIVE_REFS[ref][lang] + " ")
    assert ref not in sentence


def test_sentences_in_both_languages(bundle):
    uplift = leaf("score", "sme.scenarios_at_level.3", "ge", 8, 7, held=False)
    assert leaf_sentence(words(bundle, "zh_CN"), uplift) == "尚未满足：三级及以上场景数 不低于 8（当前：7）"
    assert leaf_sentence(words(bundle, "en"), uplift) == (
        "Not yet met: Scenarios at Level 3 or above is at least 8 (currently 7)")


def test_a_ratio_fact_reads_as_percentages(bundle):
    sentence = leaf_sentence(words(bundle, "zh_CN"), leaf("fact", "equipment_network_rate", "lt", 0.4, 0.31))
    assert sentence == "生产设备联网率 低于 40%（当前：31%）"


def test_an_answer_reads_with_its_option_texts(bundle):
    question = bundle.active_instrument().question("network_5g")
    texts = {option.id: option.text["zh_CN"] for option in question.options}
    asked = leaf("answer", "network_5g", "in", ["none", "planned"], "none")
    expected = f"{question.text['zh_CN']} 属于 {texts['none']}、{texts['planned']}（当前：{texts['none']}）"
    assert leaf_sentence(words(bundle, "zh_CN"), asked) == expected


def test_a_level_reads_as_a_level_and_unknown_values_as_unknown(bundle):
    w = words(bundle, "zh_CN")
    assert leaf_sentence(w, leaf("score", "cmmm.level", "ge", 3, 2, held=False)) == (
        "尚未满足：成熟度等级 不低于 三级（当前：二级）")
    assert leaf_sentence(w, leaf("fact", "robot_density", "lt", 50, None)).endswith("（当前：未知）")


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
