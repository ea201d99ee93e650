"""The report document: the plain data its templates show, built from a stored snapshot and its surroundings.

No database object reaches a template. ``ReportData`` carries exactly what a report shows
(loaded by :mod:`reports.data`); :func:`build_document` turns it into words and charts
for one language. Nothing here reads the clock: the dates come from the assessment, so the
same source always gives the same context, HTML and PDF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date
from markupsafe import Markup

from diagnosis.core.engine import localize
from diagnosis.core.levels import standings
from diagnosis.store.peers import PeerPoint
from reports import appendix, cohort, recommendations, scores, verification
from reports.compare import Previous, compare
from reports.narrative import narrative
from reports.render import check_language, translations
from reports.wording import Wording


@dataclass(frozen=True)
class Adjustment:
    """One answer the diagnostician changed on site: the review item's reason (its code from the
    review-reasons catalogue and the reviewer's words) and the names of the evidence files."""

    question_id: str
    company_value: Any
    verified_value: Any
    reason: str
    evidence: tuple[str, ...] = ()
    reason_code: str | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class FindingNote:
    """A diagnostician's observation about one questionnaire section."""

    section_id: str
    severity: str  # info | minor | major
    text: str


@dataclass(frozen=True)
class ProviderEdit:
    """The provider's latest decision about one recommendation (a stored ``RecommendationEdit``,
    as plain values: what ``diagnosis.provider_recs.provider_list`` reads)."""

    key: str
    action: str  # keep | dismiss | change | add
    priority: float | None
    phase: str | None
    title: str | None
    detail: str | None
    reason: str | None


@dataclass(frozen=True)
class ReportKey:
    """What names a report (not what it shows): assessment, snapshot, kind and issue date.

    The same key always gives the same bytes, so a report is rendered once per key and language.
    """

    assessment_id: int
    snapshot_id: int
    kind: str  # self | verified
    issued_at: datetime

    @property
    def number(self) -> str:
        """Stable and readable: year, assessment, kind and snapshot (no random part)."""
        kind = "V" if self.kind == "verified" else "S"
        return f"ZGSZ-{self.issued_at:%Y}-{self.assessment_id:06d}-{kind}{self.snapshot_id}"


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, as plain values."""

    assessment_id: int
    snapshot_id: int
    kind: str  # self | verified
    issued_at: datetime  # submitted_at (self) or verified_at (verified)
    company: Mapping[str, Any]  # id, name, credit_code, industry_code, park
    result: Mapping[str, Any]  # the stored snapshot (docs/result-format.md)
    answers: Mapping[str, Any]  # the answers the result was computed from
    provider: Mapping[str, Any] | None = None  # org, diagnostician, signed_off_at (verified reports)
    adjustments: tuple[Adjustment, ...] | None = None  # None: not a verified report
    findings: tuple[FindingNote, ...] = ()
    #: The provider's edits by recommendation key; None: the engine's list as it is (self reports).
    recommendation_edits: Mapping[str, ProviderEdit] | None = None
    self_result: Mapping[str, Any] | None = None  # the self-assessed snapshot (verified reports)
    cohort_label: Mapping[str, str] | None = None  # {zh_CN, en}: the industry the peers share
    peers: tuple[PeerPoint, ...] = field(default_factory=tuple)
    previous: Previous | None = None  # the company's previous result (a re-assessment), to compare with

    @property
    def key(self) -> ReportKey:
        return ReportKey(self.assessment_id, self.snapshot_id, self.kind, self.issued_at)


def build_document(source: ReportData, bundle, lang: str) -> dict:
    """The complete, language-specific context for ``templates/report/report.html``."""
    check_language(lang)
    result = localize(source.result, bundle, lang)
    instrument = bundle.instruments[result["questionnaire"]["id"]]
    w = Wording(bundle, instrument, lang, translations(lang))
    verified = source.kind == "verified"
    dismissed: list[dict] = []
    if verified and source.recommendation_edits is not None:
        result, dismissed = recommendations.with_provider_list(w, result, source.recommendation_edits)
    sme = scores.sme_section(w, result["sme"], bundle.sme_model.levels)
    cmmm = scores.cmmm_section(w, result.get("cmmm") or {}, bundle.cmmm_model.pass_threshold)
    peers, peers_chart = _peers(w, source, result["sme"])
    context = {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh_CN" else lang,
        "page_footer_css": page_footer_css(w),
        "meta": _meta(w, bundle, source, instrument),
        "company": _company(w, bundle, source.company),
        "provider": _provider(w, source.provider) if verified and source.provider else None,
        "summary": {
            "sme_level": sme["level_label"],
            "cmmm_level": w.level(cmmm.get("level")) if cmmm["assessed"] else w._("未评估"),
            "narrative": narrative(w, result),
            "top_actions": recommendations.top_actions(w, result),
            "recommendation_count": len(recommendations.main_list(result)),
        },
        "comparison": compare(w, source.previous, result, sme_digits=1),  # as sme_section shows points
        "sme": sme,
        "cmmm": cmmm,
        "peers": peers,
        "advice": {**recommendations.recommendations_section(w, result), "dismissed": dismissed,
                   "provider_list": verified and source.recommendation_edits is not None},
        "roadmap": recommendations.roadmap(w, result),
        "levels": {"standings": standings(bundle, source.result, lang), "number": w.number},
        "verification": _verification(w, source, result) if verified else None,
        "confirmation": appendix.confirmation(w, source),
        "appendix": appendix.answers_appendix(w, source, result),
        "charts": {"radar": scores.radar_chart(w, result.get("radar", [])), "peers": peers_chart,
                   **scores.sme_charts(w, result["sme"])},
    }
    context["toc"] = _toc(w, context)
    return context


def _provider(w: Wording, provider: Mapping[str, Any]) -> dict:
    signed = provider.get("signed_off_at")
    signed_on = format_date(signed.astimezone(UTC).date(), format="long", locale=w.lang) if signed else ""
    return {"org": provider.get("org", ""), "diagnostician": provider.get("diagnostician", ""),
            "signed_on": signed_on}


def _verification(w: Wording, source: ReportData, result: Mapping[str, Any]) -> dict:
    return {"comparison": verification.comparison(w, source.self_result, result),
            "adjustments": verification.adjustments(w, source.adjustments),
            "findings": verification.findings(w, source.findings)}


def _meta(w: Wording, bundle, source: ReportData, instrument) -> dict:
    issued = source.issued_at.astimezone(UTC)
    models = source.result.get("models", {})
    verified = source.kind == "verified"
    return {
        "number": source.key.number,
        "kind": source.kind,
        "title": w._("智改数转诊断报告"),
        "subtitle": w._("现场诊断报告") if verified else w._("企业自评诊断报告"),
        "issuer": w._("区科技经信局 · 智改数转诊断服务"),
        "generator": "diagnosis-reports",
        "created": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "issued_on": format_date(issued.date(), format="long", locale=w.lang),
        "questionnaire": f"{w.pick(instrument.title)} {instrument.version}",
        "editions": _editions(w, bundle, models),
        "disclaimer": w._("本报告依据企业提供并经现场核验的信息生成。") if verified
        else w._("本报告依据企业自行填报的信息自动生成，未经现场核验，仅供企业内部参考。"),
    }


def _editions(w: Wording, bundle, models: Mapping[str, Any]) -> list[str]:
    """The models and catalogues the result was computed with, by their titles in the
    questionnaire's model files and their versions: never the edition keys, nor the notes."""
    headers = (bundle.sme_model.header, bundle.cmmm_model.header, bundle.radar_model.header)
    rows = [_edition_line(w, w.pick(header.title), [models[header.key]])
            for header in headers if header.key in models]
    catalogues = models.get("catalogues") or {}
    if catalogues:
        rows.append(_edition_line(w, w._("建议目录"), list(catalogues.values())))
    return rows


def _edition_line(w: Wording, title: str, editions: list[Any]) -> str:
    versions = sorted({version for edition in editions if (version := _version(edition))})
    if not versions:
        return title
    return w._("%(title)s，版本 %(version)s", title=title, version=w._("、").join(versions))


def _version(edition: Any) -> str:
    """The version in an edition: its last year with what follows ("miit-sme-2024.56 (…)" ->
    "2024.56", "2026.2 (our synthesis)" -> "2026.2"); none when it names no year."""
    found = _VERSION.findall(str(edition).split(" (", 1)[0])
    return found[-1] if found else ""


_VERSION = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:\.\d+)*(?!\d)")


def _company(w: Wording, bundle, company: Mapping[str, Any]) -> dict:
    code = company.get("industry_code") or ""
    industry = bundle.industries.get(code) if code else None
    return {
        "name": company.get("name", ""),
        "credit_code": company.get("credit_code", ""),
        "industry": f"{code} {w.pick(industry.name)}".strip() if industry else code or "—",
        "park": company.get("park") or "",
    }


def _peers(w: Wording, source: ReportData, sme: dict) -> tuple[dict, str | None]:
    label = w.pick(source.cohort_label) or w._("同行业")
    return cohort.peers_section(w, label, source.company.get("id", 0), sme["points"], sme.get("level"),
                                source.peers)


def page_footer_css(w: Wording) -> Markup:
    """The footer as a CSS ``content`` value: translated words around the page counters."""
    text = w._("第 %(page)s 页 / 共 %(pages)s 页", page="\x00page\x00", pages="\x00pages\x00")
    parts = text.split("\x00")
    counters = {"page": "counter(page)", "pages": "counter(pages)"}
    return Markup(" ".join(counters[part] if index % 2 else _css_string(part)
                           for index, part in enumerate(parts)))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def _toc(w: Wording, context: dict) -> list[dict]:
    entries = [
        ("summary", w._("一、诊断结论摘要"), False),
        ("sme", w._("二、中小企业数字化水平评测"), False),
        ("sme-next", w._("晋级所需条件"), True),
        ("cmmm", w._("三、智能制造能力成熟度自评"), False),
        ("peers", w._("四、同行业对比"), False),
        ("advice", w._("五、改进建议"), False),
    ]
    if context["advice"]["folded"]:
        entries.append(("advice-folded", w._("其他建议"), True))
    entries += [("roadmap", w._("分阶段实施路线图"), True)]
    if context["verification"] is not None:
        entries += [("adjustments", w._("六、现场核验调整记录"), False),
                    ("findings", w._("七、现场诊断发现"), False)]
    entries += [("confirmation", context["confirmation"]["heading"], False),
                ("appendix", w._("附录：问卷答案"), False)]
    return [{"anchor": anchor, "label": label, "sub": sub} for anchor, label, sub in entries]
