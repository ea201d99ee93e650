"""A provider's on-site review through the API: the review as it stands (the company's answer beside
the verified one, each question's state and revision) and one review action on one question, with
the service functions of the review pages (diagnosis/web/review/service.py): the same refusals, the
revision check (409), the row lock, the audit trail. Only the assigned diagnostician or the
organisation's lead reviews (403); a company outside the provider's organisation is 404.
"""

from __future__ import annotations

from typing import Any, Literal

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from diagnosis.store.db import session
from diagnosis.web.access import role_required
from diagnosis.web.bundle import current_bundle
from diagnosis.web.guards import DATABASE_ID_MAX
from diagnosis.web.review import pages, service
from diagnosis.web.review.views import reviewable_or_404

from .blueprint import bp
from .problems import API_REASONS, Refused, error_response
from .schemas import Body, whole

STATUS_CODES = {"conflict": 409, "hidden": 409, "waiting": 409, "invalid": 422}


class ReviewQuestion(BaseModel):
    question: str
    company: Any
    verified: Any = Field(description="The verified answer when the reviewer adjusted it, else null")
    state: str | None = Field(description="accepted, adjusted, needs_evidence, not_applicable; null: not yet")
    revision: int = Field(description="Send it back with an action on this question")
    in_open_round: bool


class ReviewOut(BaseModel):
    assessment_id: int
    status: str
    locked: bool
    questions: list[ReviewQuestion]


class ActionIn(Body):
    action: Literal[tuple(service.ACTIONS)]  # type: ignore[valid-type]
    value: Any = Field(None, description="The verified answer, for adjust (as in answer files)")
    reason_code: str = Field("", max_length=64, description="questionnaires/catalogues/review_reasons.yaml")
    reason_text: str = Field("", max_length=service.REASON_MAX)
    revision: whole(0, DATABASE_ID_MAX)  # type: ignore[valid-type]


def _review_out(state: service.ReviewState) -> ReviewOut:
    shown = [q for q in state.instrument.questions() if q.id in state.visible]
    return ReviewOut(
        assessment_id=state.assessment.id, status=state.assessment.status, locked=state.locked,
        questions=[ReviewQuestion(
            question=q.id, company=state.company.get(q.id),
            verified=row.value if (row := state.verified_rows.get(q.id)) is not None else None,
            state=state.state_of(q.id), revision=state.revision(q.id),
            in_open_round=state.in_open_round(q.id)) for q in shown])


@bp.get("/reviews/<int:assessment_id>")
@role_required("provider")
@bp.output(ReviewOut)
@bp.doc(summary="The review of a submitted assessment, question by question", responses=[401, 403, 404])
def review(assessment_id: int) -> ReviewOut:
    assessment = reviewable_or_404(assessment_id)
    return _review_out(service.load(session(), assessment, current_bundle()))


@bp.post("/reviews/<int:assessment_id>/questions/<question_id>")
@role_required("provider")
@bp.input(ActionIn, location="json")
@bp.output(ReviewOut)
@bp.doc(summary="One review action on one question", responses={
    401: "No usable token", 403: "Not this review's reviewer", 404: "Not found",
    409: "Signed off, changed since `revision`, hidden, or waiting for the company's evidence",
    422: "Validation error"})
def act(assessment_id: int, question_id: str, json_data: ActionIn) -> Any:
    assessment = reviewable_or_404(assessment_id, lock=True)
    state = service.load(session(), assessment, current_bundle())
    if not state.instrument.has_question(question_id):
        raise Refused(404, API_REASONS[404])
    question = state.instrument.question(question_id)
    action = service.Action(name=json_data.action, raw=json_data.value, reason_code=json_data.reason_code,
                            reason_text=json_data.reason_text, base_revision=json_data.revision)
    try:
        outcome, after = service.act(session(), state, question, action, current_user.id)
    except service.ReviewLocked as error:
        raise Refused(409, _("该诊断已签字确认，核验结果不能再修改。")) from error
    if not outcome.ok:
        field = f"json.{outcome.field}" if outcome.field else "json.revision"
        status = STATUS_CODES.get(outcome.status, 409)
        return error_response(status, [{"field": field, "reason": pages.refusal_message(question, outcome)}])
    return _review_out(after)
