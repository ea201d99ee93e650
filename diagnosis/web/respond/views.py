"""The company's side of the review: answering a round sent back for evidence, confirming or
disputing the verified report.

Company users of the assessment's own company only (other roles 403, another company's assessment
404). Writes take the assessment's row lock first (as the questionnaire's autosave and the review
do), so the company and the provider are checked against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnosis.store import reviews
from diagnosis.store.accounts import User
from diagnosis.store.db import get_session
from diagnosis.web.access import role_required
from diagnosis.web.assess import pages
from diagnosis.web.assess.forms import bound_form, localized, posted, posted_revision
from diagnosis.web.assess.views import _pinned_version_missing, is_htmx, own_assessment_or_404
from diagnosis.web.bundle import PinnedVersionMissing, current_bundle
from diagnosis.web.respond import service
from diagnosis.web.respond.forms import DisputeForm

bp = Blueprint("respond", __name__, url_prefix="/responses")
bp.register_error_handler(PinnedVersionMissing, _pinned_version_missing)


@bp.context_processor
def _helpers() -> dict:
    return {"tr": localized}


@dataclass(frozen=True)
class RoundBanner:
    """"The provider asks you for N items" on the company's own assessment pages."""

    assessment_id: int
    number: int
    count: int


@dataclass(frozen=True)
class ResponsePanel:
    """The company's answer to the verified report: its state, and the dispute form while it may answer."""

    review: reviews.Review
    responder: str
    dispute: DisputeForm | None = None


def is_own(assessment) -> bool:
    return (current_user.is_authenticated and current_user.role == "company"
            and current_user.company_id == assessment.company_id)


def round_banner(assessment) -> RoundBanner | None:
    """The open round of the user's own submitted assessment, for the banner; else None."""
    if assessment.status != "submitted" or not is_own(assessment):
        return None
    round_ = reviews.open_round(get_session(), assessment.id)
    if round_ is None:
        return None
    return RoundBanner(assessment.id, round_.number, len(round_.question_ids))


def response_panel(assessment, posted: DisputeForm | None = None) -> ResponsePanel | None:
    """The verified report's confirmation or dispute, shown to everyone who sees the result page;
    the forms only to the company's own users before they answered (``posted``: a refused dispute,
    with its errors). None before sign-off."""
    review = service.signed_off_review(get_session(), assessment)
    if review is None:
        return None
    if review.response is None and is_own(assessment):
        return ResponsePanel(review, "", posted or DisputeForm(formdata=None))
    responder = get_session().get(User, review.responded_by_id) if review.responded_by_id else None
    return ResponsePanel(review, responder.name if responder else "")


@bp.app_context_processor
def _banners() -> dict:
    """For the includes in templates/assess/index.html and result.html."""
    return {"round_banner": round_banner, "response_panel": response_panel}


def refused(message: str) -> tuple[str, int]:
    """409 with the message: a status line for htmx, else the error page."""
    if is_htmx():
        return render_template("assess/_locked.html", message=message), 409
    return render_template("error.html", code=409, message=message), 409


def round_closed() -> tuple[str, int]:
    return refused(_("当前没有需要补充的材料，答案不能修改。"))


@bp.get("/<int:assessment_id>/round")
@role_required("company")
def round_page(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id)
    return render_round(service.load(get_session(), assessment, current_bundle()))


def render_round(state, posted_view: Any = None, status: int = 200):
    """The open round's questions, each with the provider's reason and its evidence; ``posted_view``
    (a refused save, shown with what was posted) replaces its question's view."""
    session, assessment = get_session(), state.assessment
    items = reviews.items(session, assessment.id)
    questions = []
    for question in service.round_questions(state):
        if posted_view is not None and posted_view.question.id == question.id:
            view = posted_view
        else:
            view = pages.question_views(state, [question])[0]
        item = items.get(question.id)
        questions.append({"q": view, "reason": item.reason_text if item else None,
                          "files": reviews.evidence_for(session, assessment.id, question.id)})
    answered = [done for done in reviews.rounds(session, assessment.id) if done.answered_at]
    return render_template("respond/round.html", state=state, assessment=assessment, round=state.round,
                           questions=questions, answered=answered), status


@bp.post("/<int:assessment_id>/round/questions/<question_id>")
@role_required("company")
def save_answer(assessment_id: int, question_id: str):
    """One answer of the round (htmx: its status line; without JavaScript: back to the page)."""
    assessment = own_assessment_or_404(assessment_id, lock=True)
    state = service.load(get_session(), assessment, current_bundle())
    if not state.instrument.has_question(question_id):
        abort(404)
    question = state.instrument.question(question_id)
    form = bound_form([question], state.answers, request.form)
    if not form.validate():
        abort(400)
    try:
        outcome, after = service.save_round_answer(
            get_session(), state, question, posted(form, question),
            posted_revision(request.form, question_id), current_user.id)
    except service.RoundClosed:
        return round_closed()
    except service.NotInRound:
        return refused(_("此题不在服务商要求补充的范围内，答案不能修改。"))
    view = pages.question_views(after, [question], None if outcome.ok else request.form,
                                {question_id: outcome})[0]
    status = {"conflict": 409, "invalid": 422, "hidden": 409}.get(outcome.status, 200)
    if is_htmx():
        return render_template("respond/_status.html", q=view, assessment=assessment), status
    if outcome.ok:
        flash(_("已保存。"), "success")
        return redirect(url_for("respond.round_page", assessment_id=assessment.id) + f"#q-{question_id}")
    return render_round(after, view, status)


@bp.post("/<int:assessment_id>/round/answer")
@role_required("company")
def close_round(assessment_id: int):
    """"Send back to the provider": the round is answered, its questions are reviewed again."""
    assessment = own_assessment_or_404(assessment_id, lock=True)
    try:
        round_ = service.close_round(get_session(), assessment, current_user.id)
    except service.RoundClosed:
        return round_closed()
    flash(_("第 %(n)s 轮补充材料已发回服务商，服务商将重新核验这些题目。", n=round_.number), "success")
    return redirect(url_for("assess.result", assessment_id=assessment.id))


@bp.post("/<int:assessment_id>/confirm")
@role_required("company")
def confirm(assessment_id: int):
    return answer_report(assessment_id, "confirmed")


@bp.post("/<int:assessment_id>/dispute")
@role_required("company")
def dispute(assessment_id: int):
    return answer_report(assessment_id, "disputed")


def answer_report(assessment_id: int, response: str):
    """Confirm or dispute, once, after sign-off; a refused dispute comment is shown at its field (422)."""
    assessment = own_assessment_or_404(assessment_id, lock=True)
    comment = ""
    try:
        service.check_can_respond(get_session(), assessment)
        if response == "disputed":
            form = DisputeForm()
            if not form.validate():
                return render_template("respond/response.html", assessment=assessment,
                                       panel=response_panel(assessment, form)), 422
            comment = form.comment.data
        service.respond(get_session(), assessment, response, comment, current_user.id)
    except service.NotSignedOff:
        return refused(_("核验报告尚未签发，暂不能确认或提出异议。"))
    except service.AlreadyResponded:
        return refused(_("您已对核验报告作出答复，不能再次提交。"))
    flash(_("已确认核验报告。") if response == "confirmed"
          else _("异议已提交，服务商和主管部门将看到您的说明。"), "success")
    return redirect(url_for("assess.result", assessment_id=assessment.id) + "#report-response")
