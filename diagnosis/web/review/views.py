"""The on-site review: section by section, each answer confirmed, adjusted, sent back or marked not
applicable; sign-off."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from diagnosis.store.assessments import Assessment
from diagnosis.store.assignments import current_assignment
from diagnosis.store.db import session
from diagnosis.web.access import can_review, can_view_company, role_required

bp = Blueprint("review", __name__, url_prefix="/reviews")


@bp.get("/<int:assessment_id>")
@role_required("provider")
def open(assessment_id: int):  # noqa: A001
    """The review of an assessment: its first section."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or assessment.is_draft or not can_view_company(current_user, assessment.company):
        abort(404)
    if not can_review(current_user, current_assignment(session, assessment.company_id)):
        abort(403)
    return "review"
