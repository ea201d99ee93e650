"""Reasons in words: facts as percentages, option texts, CMMM score paths, conditions not yet met."""

from __future__ import annotations

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.web.assess.explain import Explainer


@pytest.fixture
def explain(app):
    bundle = load_bundle()
    with app.test_request_context("/"):
        yield Explainer(bundle.active_instrument(), bundle).leaf


def leaf(source, ref, op, threshold, value, held=True):
    return {"source": source, "ref": ref, "op": op, "threshold": threshold, "value": value, "held": held}


def test_a_ratio_fact_reads_as_percentages(explain):
    assert explain(leaf("fact", "equipment_network_rate", "lt", 0.4, 0.31)) == "生产设备联网率：31% < 40%"


def test_an_answer_reads_with_its_option_texts(explain):
    question = load_bundle().active_instrument().question("network_5g")
    texts = {option.id: option.text["zh_CN"] for option in question.options}
    sentence = explain(leaf("answer", "network_5g", "in", ["none", "planned"], "none"))
    assert sentence == f"{question.text['zh_CN']}：{texts['none']} 属于 {texts['none']}、{texts['planned']}"


def test_cmmm_score_paths_are_named(explain):
    subdomain = leaf("score", "cmmm.subdomains.customer_service.3", "lt", 0.8, 0.0)
    assert explain(subdomain) == "“客户服务” 3 级得分：0 < 0.8"
    assert explain(leaf("score", "cmmm.level_scores.3", "lt", 0.8, 0.57)) == "成熟度 3 级得分：0.57 < 0.8"


def test_a_condition_not_yet_met_says_so(explain):
    unmet = leaf("score", "cmmm.level", "ge", 3, 2, held=False)
    assert explain(unmet) == "尚未满足：智能制造能力成熟度等级：2 ≥ 3"


def test_unknown_values_are_said_to_be_unknown(explain):
    assert explain(leaf("fact", "robot_density", "lt", 50, None, held=False)).endswith("未知 < 50")
