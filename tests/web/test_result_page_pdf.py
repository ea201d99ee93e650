"""The report's summary explains the levels in the words of the result page (the same catalogue, the
same macros of templates/assess/_result_scale.html), in both languages."""

from __future__ import annotations

import html
import re

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.core.levels import standings
from diagnosis.store import assessments as store
from reports.data import load_report_data
from reports.document import build_document
from reports.render import environment, translations
from reports.wording import Wording
from tests.web.assess_helpers import company_like, example_result, new_assessment


def summary_html(db_session, assessment_id: int, lang: str) -> str:
    """templates/report/_summary.html rendered as the report renders it.

    The levels come from the document when it carries them (``levels``: the standings and the
    report's number format); until reports/document.py adds them, the same data is added here."""
    bundle = load_bundle()
    context = build_document(load_report_data(db_session, assessment_id, bundle), bundle, lang)
    snapshot = store.latest_snapshot(db_session, assessment_id)
    assert snapshot is not None
    result = snapshot.result
    words = Wording(bundle, bundle.instruments[result["questionnaire"]["id"]], lang, translations(lang))
    context.setdefault("levels", {"standings": standings(bundle, result, lang), "number": words.number})
    return environment(lang).get_template("report/_summary.html").render(context)


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def sentences(markup: str, css_class: str) -> list[str]:
    return [text_of(part).strip() for part in re.findall(rf'<p class="{css_class}">(.*?)</p>', markup, re.S)]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_report_summary_says_what_the_page_says_about_the_levels(client, db_session, make_company,
                                                                     make_user, login, lang):
    user = make_user(role="company", company=company_like(make_company), locale=lang)
    login(client, user)
    assessment = new_assessment(db_session, user.company)
    store.add_snapshot(db_session, assessment, example_result())
    store.change_status(db_session, assessment, "submitted", None)
    db_session.flush()
    page = client.get(f"/assessments/{assessment.id}/result").get_data(as_text=True)
    report = summary_html(db_session, assessment.id, lang)
    for css_class in ("level-meaning", "level-for-us", "level-next"):
        said = sentences(page, css_class)
        assert len(said) == 2, css_class  # SME and CMMM
        assert sentences(report, css_class) == said, css_class
    sme, cmmm = standings(load_bundle(), example_result(), lang)
    for step in (*sme.steps, *cmmm.steps):
        assert step.name in report and step.meaning in html.unescape(report)
