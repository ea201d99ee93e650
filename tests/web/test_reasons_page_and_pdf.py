"""The result page and the PDF report say a recommendation's reasons in the same words: both are
rendered from the stored snapshot through reports.explain, for a company that filled in and
submitted the furniture example."""

from __future__ import annotations

import html
import re

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.store import assessments as store
from reports.data import load_report_data
from reports.document import build_document
from reports.explain import leaf_sentences
from reports.render import render_html, translations
from reports.wording import Wording
from tests.web.assess_helpers import company_like, example, fill, new_assessment

#: Sentences the furniture example's result must carry (a trigger, a requirement it falls short of).
EXPECTED = {
    "zh_CN": ["您选择的突出问题包括：招工难、用工成本高", "生产设备联网率 47.3%，要求不低于 60%"],
    "en": ["Most pressing problems (your answer): Hard to hire and costly labour",
           "Production equipment networking rate: 47.3%; the requirement is at least 60%"],
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


def page_reasons(page: str) -> set[str]:
    lists = re.findall(r'<ul class="because">(.*?)</ul>', page, re.S)
    items = [item for block in lists for item in re.findall(r"<li>(.*?)</li>", block, re.S)]
    return {html.unescape(item).strip() for item in items}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_page_and_pdf_show_the_same_sentences(client, db_session, submitted, lang):
    user, assessment = submitted
    user.locale = lang
    db_session.flush()
    db_session.expire_all()  # the submit ran in the app's own request
    bundle = load_bundle()
    page = page_reasons(client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True))
    report = html.unescape(render_html(build_document(load_report_data(db_session, assessment.id, bundle),
                                                      bundle, lang)))
    result = store.latest_snapshot(db_session, assessment.id).result
    words = Wording(bundle, bundle.instruments[result["questionnaire"]["id"]], lang, translations(lang))
    said = {sentence for rec in result["recommendations"] if not rec.get("folded")
            for sentence in leaf_sentences(words, rec.get("because"))}
    assert said and said <= page
    assert [sentence for sentence in said if sentence not in report] == []
    assert all(sentence in page and sentence in report for sentence in EXPECTED[lang])
