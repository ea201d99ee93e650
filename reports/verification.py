"""The verified report's own chapters: self-assessed against verified, the adjusted answers with
their reasons and evidence, and the diagnostician's findings per section."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from diagnosis.review_reasons import reason_text
from reports.wording import Wording

#: Severity -> the status colour the report's stylesheet already has.
_SEVERITY_STYLE = {"major": "not_met", "minor": "unknown", "info": "info"}


def severity(w: Wording, code: str) -> str:
    names = {"info": w._("提示"), "minor": w._("一般"), "major": w._("严重")}
    return names.get(code, code)


def comparison(w: Wording, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> dict | None:
    """Self-assessed → verified: SME points per dimension and in total, the SME level, the CMMM
    level and score, each with the difference. None when there is no self-assessed result."""
    if before is None:
        return None
    sme_before, sme_after = before.get("sme") or {}, after.get("sme") or {}
    points_before = {dimension["id"]: dimension["points"] for dimension in sme_before.get("dimensions", [])}
    rows = [_figure(w, w.label(dimension, key=f"sme.dimension.{dimension['id']}"),
                    points_before.get(dimension["id"]), dimension["points"])
            for dimension in sme_after.get("dimensions", [])]
    rows.append(_figure(w, w._("评测总分"), sme_before.get("points"), sme_after.get("points"), total=True))
    rows.append(_level(w, w._("中小企业数字化水平等级"), sme_before.get("level"), sme_after.get("level")))
    cmmm_before, cmmm_after = before.get("cmmm") or {}, after.get("cmmm") or {}
    if cmmm_before.get("assessed") or cmmm_after.get("assessed"):
        rows.append(_level(w, w._("智能制造能力成熟度等级"), _cmmm_level(cmmm_before),
                           _cmmm_level(cmmm_after)))
        rows.append(_figure(w, w._("成熟度得分"), cmmm_before.get("overall"), cmmm_after.get("overall"),
                            digits=2))
    return {"rows": rows,
            "headline": w._("自评 %(before)s → 核定 %(after)s", before=w.number(sme_before.get("points")),
                            after=w.number(sme_after.get("points")))}


def _figure(w: Wording, label: str, before: float | None, after: float | None, *, digits: int = 1,
            total: bool = False) -> dict:
    difference = None if before is None or after is None else round(after - before, digits)
    return {"label": label, "before": w.number(before, digits), "after": w.number(after, digits),
            "difference": w.signed(difference, digits), "total": total}


def _level(w: Wording, label: str, before: int | None, after: int | None) -> dict:
    difference = None if before is None or after is None else after - before
    return {"label": label, "before": w.level(before), "after": w.level(after),
            "difference": w.signed(difference, 0), "total": False}


def _cmmm_level(cmmm: Mapping[str, Any]) -> int | None:
    return cmmm.get("level") if cmmm.get("assessed") else None


def adjustments(w: Wording, rows) -> list[dict]:
    """The adjusted answers in questionnaire order: both answers, the reason (the catalogue's label
    for its code, then the reviewer's words) and the evidence file names."""
    order = {qid: index for index, qid in enumerate(w.instrument.questions_by_id)}
    return [{"question": w.question_text(row.question_id),
             "company_answer": w.answer(row.question_id, row.company_value),
             "verified_answer": w._("不适用") if row.not_applicable
             else w.answer(row.question_id, row.verified_value),
             "reason": _reason(w, row),
             "evidence": list(row.evidence)}
            for row in sorted(rows or (), key=lambda row: (order.get(row.question_id, len(order)),
                                                           row.question_id))]


def _reason(w: Wording, row) -> str:
    label = reason_text(row.reason_code, w.lang)
    if label and row.reason:
        return w._("%(label)s：%(value)s", label=label, value=row.reason)
    return label or row.reason or "—"


def findings(w: Wording, notes) -> list[dict]:
    """The findings by section, in the questionnaire's order (a section it no longer has, last)."""
    by_section: dict[str, list[dict]] = defaultdict(list)
    for note in notes:
        by_section[note.section_id].append({"severity": _SEVERITY_STYLE.get(note.severity, note.severity),
                                            "severity_label": severity(w, note.severity), "text": note.text})
    known = [section.id for section in w.instrument.sections]
    order = [sid for sid in known if sid in by_section] + sorted(set(by_section) - set(known))
    return [{"title": _section_title(w, sid), "items": by_section[sid]} for sid in order]


def _section_title(w: Wording, section_id: str) -> str:
    try:
        return w.pick(w.instrument.section(section_id).title)
    except KeyError:
        return section_id
