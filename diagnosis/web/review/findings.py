"""Findings: the diagnostician's observations per section, with a severity, shown in the report.

Registered on the review blueprint (diagnosis/web/review/views.py imports this module).
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.store.db import get_session
from diagnosis.web.access import role_required
from diagnosis.web.bundle import current_bundle
from diagnosis.web.review import service
from diagnosis.web.review.views import bp, locked_response, render_section, reviewable_or_404, section_or_404

FINDING_MAX = 2000


@bp.post("/<int:assessment_id>/sections/<section_id>/findings")
@role_required("provider")
def add_finding(assessment_id: int, section_id: str):
    assessment = reviewable_or_404(assessment_id, lock=True)
    state = service.load(get_session(), assessment, current_bundle())
    section_or_404(state, section_id)
    if state.locked:
        return locked_response(assessment)
    severity, text = request.form.get("severity", ""), request.form.get("text", "").strip()
    problem = (_("请选择严重程度。") if severity not in reviews.SEVERITIES
               else _("请填写发现的问题。") if not text
               else _("不能超过 2000 字。") if len(text) > FINDING_MAX else None)
    if problem is not None:
        flash(problem, "warning")
        return render_section(state, section_id, status=422)
    finding = reviews.Finding(assessment_id=assessment.id, section_id=section_id, severity=severity,
                              text=text, author_id=current_user.id, created_at=utcnow())
    get_session().add(finding)
    get_session().flush()
    reviews.record(get_session(), assessment.id, current_user.id, None,
                   {"finding": finding.id, "section": section_id, "severity": severity, "text": text})
    reviews.ensure_review(get_session(), assessment.id)
    flash(_("已记录发现。"), "success")
    return redirect(url_for("review.section", assessment_id=assessment.id, section_id=section_id)
                    + "#findings")


@bp.post("/<int:assessment_id>/findings/<int:finding_id>/remove")
@role_required("provider")
def remove_finding(assessment_id: int, finding_id: int):
    assessment = reviewable_or_404(assessment_id, lock=True)
    finding = get_session().get(reviews.Finding, finding_id)
    if finding is None or finding.assessment_id != assessment.id or finding.removed_at is not None:
        abort(404)
    if assessment.status != "submitted":
        return locked_response(assessment)
    finding.removed_at = utcnow()
    reviews.record(get_session(), assessment.id, current_user.id,
                   {"finding": finding.id, "severity": finding.severity, "text": finding.text}, None)
    flash(_("已删除该发现。"), "success")
    return redirect(url_for("review.section", assessment_id=assessment.id, section_id=finding.section_id)
                    + "#findings")
