"""The verified report of an assessment reviewed and signed off through the store's functions,
rendered to a real PDF and read back with pdftotext: provider, diagnostician, sign-off date, every
adjustment with its reason and evidence, the findings, the provider's recommendations, self →
verified; in both languages. Hostile review text stays text and fetches nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from markupsafe import escape

from diagnosis.core.bundle import load_bundle
from diagnosis.review_reasons import reason_text
from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.store.assignments import assign, current_assignment
from diagnosis.web.bundle import diagnose_for
from reports.data import load_report_data
from reports.document import build_document
from reports.render import render_html, render_pdf, translations
from reports.report import make_report
from tests.reports.conftest import example, pdf_layout
from tests.reports.stored import adjust_answer, company_like_example, sign_off
from tests.reports.test_security import listener, payloads  # noqa: F401 - the fixture

ORG = "合肥数智诊断服务有限公司"
DIAGNOSTICIAN = "王诊断"
#: The company's claims the diagnostician adjusts: question -> (company, verified, reason code, words)
ADJUSTED = {
    "equip_networked": (120, 88, "site_differs", "现场抽查联网设备台账，部分设备未接入"),
    "sme_sc_quality": (4, 3, "evidence_differs", "在线检测仅覆盖封边工序"),
    "digital_spend_wan": (None, 380, "answered_on_site", "财务账簿核对近三年投入"),
}
NOT_APPLICABLE = ("network_5g", "园区暂无 5G 覆盖")
EVIDENCE = {"equip_networked": ["设备台账.xlsx"], "sme_sc_quality": ["质检记录-2026-03.pdf", "检测工位.jpg"]}
#: Both answers of three adjustments as the report words them.
ANSWERS = {"zh_CN": ("120台/套", "88台/套", "未作答", "380万元/年", "已规划或正在与运营商洽谈", "不适用"),
           "en": ("120units", "88units", "380 10k yuan per year".replace(" ", ""))}
FINDINGS = [("cmmm", "major", "设备点检仍靠纸质记录，数据未进入 MES"),
            ("profile", "info", "企业已设专人负责数字化"),
            ("sme2024", "minor", "数据安全制度未落实到车间")]


def build_verified(session, company, diagnostician, hostile: str = "", hostile_name: str = ""):
    """Submitted with the company's claims, reviewed (adjusted, not applicable, accepted, evidence,
    findings, recommendation edits) and signed off; ``hostile`` is added to every text a user types,
    ``hostile_name`` to the names (evidence files, an added recommendation's title: 200 characters)."""
    bundle = load_bundle()
    instrument = bundle.active_instrument()
    assessment = store.create_assessment(session, company.id, instrument.id, str(instrument.version), None)
    answers = {**example()["answers"], **{qid: claim[0] for qid, claim in ADJUSTED.items()}}
    for qid, value in answers.items():
        if value is not None:
            store.write_answer(session, assessment, qid, value, None)
    claimed = store.company_answers(session, assessment.id)
    store.add_snapshot(session, assessment, diagnose_for(assessment, claimed, bundle))
    store.change_status(session, assessment, "submitted", None)
    for qid, (_, value, code, words) in ADJUSTED.items():
        adjust_answer(session, assessment, qid, value, diagnostician, code, words + hostile)
    reviews.set_item(session, assessment, NOT_APPLICABLE[0], "not_applicable", diagnostician.id, None,
                     NOT_APPLICABLE[1])
    reviews.set_item(session, assessment, "equip_total", "accepted", diagnostician.id)
    for qid, names in EVIDENCE.items():
        for name in names:
            session.add(reviews.Evidence(assessment_id=assessment.id, question_id=qid, sha256="0" * 64,
                                         original_name=hostile_name + name,
                                         content_type="application/pdf", size=1, source="verified",
                                         uploaded_by_id=diagnostician.id))
    for section, severity, text in FINDINGS:
        session.add(reviews.Finding(assessment_id=assessment.id, section_id=section, severity=severity,
                                    text=text + hostile, author_id=diagnostician.id))
    removed = reviews.Finding(assessment_id=assessment.id, section_id="profile", severity="major",
                              text="已撤回的发现", removed_at=utcnow())
    session.add(removed)
    verified = reviews.verified_answers(session, assessment.id)
    engine = diagnose_for(assessment, verified, bundle)["recommendations"]
    changed = next(rec for rec in engine if rec["phase"] != "0-6")
    dismissed = engine[-1]
    for edit in ({"key": changed["id"], "action": "change", "priority": 0.95, "phase": "0-6",
                  "reason": "企业已列入今年预算" + hostile},
                 {"key": dismissed["id"], "action": "dismiss", "reason": "条件暂不具备" + hostile},
                 {"key": "own:1", "action": "add", "priority": 0.5, "phase": "0-6",
                  "title": "建立设备点检电子台账" + hostile_name, "detail": "以扫码点检替代纸质记录",
                  "reason": "现场所见"}):
        session.add(reviews.RecommendationEdit(assessment_id=assessment.id, author_id=diagnostician.id,
                                               **edit))
    session.flush()
    sign_off(session, assessment, diagnostician)
    return assessment, changed, dismissed


@pytest.fixture
def world(db_session, make_company, make_provider_org, make_user):
    org = make_provider_org(ORG)
    company = company_like_example(make_company, provider_org=org, name="皖西定制家居有限公司")
    diagnostician = make_user("provider", provider_org=org, name=DIAGNOSTICIAN)
    return company, diagnostician


def pick(text, lang: str) -> str:
    return text.get(lang) or text["zh_CN"]


def squashed(text: str) -> str:
    """Without white space, like `pdf_layout`."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_verified_pdf_holds_what_the_review_found(db_session, world, tmp_path, lang):
    company, diagnostician = world
    assessment, changed, dismissed = build_verified(db_session, company, diagnostician)
    bundle = load_bundle()
    say = translations(lang).gettext
    path = tmp_path / "report.pdf"
    path.write_bytes(make_report(db_session, assessment.id, lang, None, bundle).pdf)
    text, rows_text = pdf_layout(path)
    source = load_report_data(db_session, assessment.id, bundle)
    context = build_document(source, bundle, lang)

    assert ORG in text and DIAGNOSTICIAN in text
    assert squashed(format_date(source.provider["signed_off_at"].date(), format="long", locale=lang)) in text
    rows = {row["question"]: row for row in context["verification"]["adjustments"]}
    assert len(rows) == len(ADJUSTED) + 1
    for row in rows.values():
        for cell in ("question", "company_answer", "verified_answer", "reason"):
            assert squashed(row[cell]) in text, (cell, row[cell])
    instrument = bundle.active_instrument()
    for qid, (_, _, code, words) in ADJUSTED.items():
        row = rows[pick(instrument.question(qid).text, lang)]
        assert reason_text(code, lang) in row["reason"] and words in row["reason"]
    assert squashed(say("不适用")) in text and squashed(say("未作答")) in text
    for answer in ANSWERS[lang]:
        assert answer in text, answer
    for name in (name for names in EVIDENCE.values() for name in names):
        assert squashed(name) in text, name
    for _, severity, finding in FINDINGS:
        label = {"info": "提示", "minor": "一般", "major": "严重"}[severity]
        assert squashed(say(label)) in text and squashed(finding) in text
    assert "已撤回的发现" not in text
    assert "［" + squashed(say("调整")) + "］" in text and "［" + squashed(say("新增")) + "］" in text
    assert "建立设备点检电子台账" in text
    assert "企业已列入今年预算" in text and "条件暂不具备" in text and "现场所见" in text
    assert squashed(pick(bundle.text(changed["id"]), lang)) in text
    assert squashed(pick(bundle.text(dismissed["id"]), lang)) in text
    comparison = context["verification"]["comparison"]
    assert squashed(comparison["headline"]) in text
    for row in comparison["rows"]:  # short cells: the row reads across
        assert squashed(row["label"] + row["before"] + row["after"] + row["difference"]) in rows_text, row


def test_adjustments_follow_the_review_and_the_score_follows_the_verified_answers(db_session, world):
    company, diagnostician = world
    assessment, changed, dismissed = build_verified(db_session, company, diagnostician)
    bundle = load_bundle()
    source = load_report_data(db_session, assessment.id, bundle)
    by_question = {row.question_id: row for row in source.adjustments}
    assert set(by_question) == {*ADJUSTED, NOT_APPLICABLE[0]}  # accepted ones are not listed
    on_site = by_question["digital_spend_wan"]
    assert (on_site.company_value, on_site.verified_value) == (None, 380)
    assert on_site.reason_code == "answered_on_site"
    assert by_question["network_5g"].not_applicable and by_question["network_5g"].verified_value is None
    assert by_question["sme_sc_quality"].evidence == tuple(EVIDENCE["sme_sc_quality"])
    assert source.answers == reviews.verified_answers(db_session, assessment.id)
    assert "network_5g" not in source.answers and source.answers["digital_spend_wan"] == 380
    assert source.self_result["sme"]["points"] != source.result["sme"]["points"]
    context = build_document(source, bundle, "zh_CN")
    assert context["summary"]["top_actions"][0]["id"] == changed["id"]  # the provider's priority
    phases = {phase["phase"]: [action["id"] for action in phase["actions"]] for phase in context["roadmap"]}
    assert changed["id"] in phases["0-6"] and "own:1" in phases["0-6"]
    assert dismissed["id"] not in {key for keys in phases.values() for key in keys}
    assert context["advice"]["dismissed"] == [{"title": pick(bundle.text(dismissed["id"]), "zh_CN"),
                                               "reason": "条件暂不具备"}]


def test_the_report_names_the_organisation_that_verified_even_after_a_reassignment(
        db_session, world, make_provider_org):
    company, diagnostician = world
    assessment, _, _ = build_verified(db_session, company, diagnostician)
    current_assignment(db_session, company.id).assigned_at = utcnow() - timedelta(days=30)
    reviews.get_review(db_session, assessment.id).signed_off_at = utcnow() - timedelta(days=1)
    assign(db_session, company, make_provider_org("另一家服务商").id, None)
    provider = load_report_data(db_session, assessment.id, load_bundle()).provider
    assert (provider["org"], provider["diagnostician"]) == (ORG, DIAGNOSTICIAN)


def test_review_text_is_escaped_and_fetches_nothing(db_session, world, listener, tmp_path):  # noqa: F811
    base, seen = listener
    hostile = payloads(base) + "<script>alert(1)</script>"
    hostile_name = f'<img src="{base}/name"><script>alert(1)</script>'
    company, diagnostician = world
    assessment, _, _ = build_verified(db_session, company, diagnostician, hostile, hostile_name)
    bundle = load_bundle()
    context = build_document(load_report_data(db_session, assessment.id, bundle), bundle, "zh_CN")
    html = render_html(context)
    assert "<script>" not in html and f'<img src="{base}' not in html
    # three reasons, three findings, two recommendation reasons; three file names and a title
    assert html.count(str(escape(hostile))) >= 8 and html.count(str(escape(hostile_name))) >= 4
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render_pdf(context))
    text, _ = pdf_layout(path)
    assert seen == []
    assert squashed(hostile_name + "设备台账.xlsx") in text and "<script>alert(1)</script>" in text
