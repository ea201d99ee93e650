"""The result page's reasons come from the report's explainer, and its words for a result's values
from the report's Wording, in the page's language."""

from __future__ import annotations

import re

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.store import assessments as store
from reports.recommendations import action, recommendations_section
from reports.render import translations
from reports.wording import Wording
from tests.web.assess_helpers import company_like, example, fill, new_assessment

#: The descriptive score refs of the recommend code, as the result page should name them.
WORDS = {
    "zh_CN": {"sme.scenarios_at_level.": "四级及以上场景数",
              "sme.constraint_at_level.": "四级及以上约束性场景数",
              "cmmm.level_scores.": "成熟度三级得分", "cmmm.subdomains.": "“能源管理”子域三级得分"},
    "en": {"sme.scenarios_at_level.": "Scenarios at Level 4 or above",
           "sme.constraint_at_level.": "Mandatory scenarios at Level 4 or above",
           "cmmm.level_scores.": "Level 3 maturity score",
           "cmmm.subdomains.": "Level 3 score of the “Energy management” sub-domain"},
}


@pytest.fixture
def submitted(client, db_session, make_company, make_user, login, csrf_token):
    user = make_user(role="company", company=company_like(make_company))
    login(client, user)
    assessment = new_assessment(db_session, user.company, user)
    fill(db_session, assessment, example()["answers"])
    response = client.post(f"/assessments/{assessment.id}/submit",
                           data={"csrf_token": csrf_token(client, "/assessments/")})
    assert response.status_code == 302
    return user, assessment


def reasons(page: str) -> str:
    return " ".join(re.findall(r'<ul class="because">(.*?)</ul>', page, re.S))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_descriptive_score_refs_read_as_words(client, db_session, submitted, lang):
    user, assessment = submitted
    user.locale = lang
    db_session.flush()
    result = store.latest_snapshot(db_session, assessment.id).result
    cited = {leaf["ref"] for rec in result["recommendations"] for leaf in rec["because"]
             if leaf["ref"].startswith(tuple(WORDS[lang]))}
    assert all(any(ref.startswith(kind) for ref in cited) for kind in WORDS[lang]), "each kind is cited"
    shown = reasons(client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True))
    assert all(words in shown for words in WORDS[lang].values())
    assert not [ref for ref in cited if ref in shown]


def test_reasons_follow_the_page_language(client, db_session, submitted):
    user, assessment = submitted
    user.locale = "en"
    db_session.flush()
    shown = reasons(client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True))
    assert "Digital level points: 72.5 points; the requirement is at least 80 points" in shown
    assert "尚未满足" not in shown and "当前" not in shown


def test_radar_values_are_worded_for_the_language(client, db_session, submitted):
    user, assessment = submitted
    user.locale = "en"
    db_session.flush()
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    values = page[page.index('<ul class="radar-values">'):]
    values = values[:values.index("</ul>")]
    assert ": " in values and "：" not in values


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_page_names_values_as_the_report_does(client, db_session, submitted, lang):
    user, assessment = submitted
    user.locale = lang
    db_session.flush()
    result = store.latest_snapshot(db_session, assessment.id).result
    bundle = load_bundle()
    words = Wording(bundle, bundle.instruments[result["questionnaire"]["id"]], lang, translations(lang))
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    for recommendation in result["recommendations"]:
        said = action(words, recommendation)
        meta = rf'id="rec-{re.escape(said["id"])}">.*?<div class="recommendation__meta">(.*?)</div>'
        shown = re.search(meta, page, re.S)
        assert shown and shown.group(1) == " · ".join(
            [said["kind"], said["phase"], words._("优先级 %(p)s", p=said["priority"])])
    rungs = recommendations_section(words, result)["smart_factory"]
    report_statuses = {criterion["status_label"] for rung in rungs for criterion in rung["criteria"]}
    assert set(re.findall(r'<li><span class="ladder-status--\w+">(.*?)</span>', page)) == report_statuses
    assert words.status("met") in report_statuses
