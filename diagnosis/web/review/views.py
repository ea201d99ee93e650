"""The on-site review: section by section, each answer confirmed, adjusted, sent back for evidence
or marked not applicable, the live score beside it; then sign-off.

Every view: load (404 when missing or not visible to the user) → check access (403 for a provider
of the organisation who is neither the assigned diagnostician nor the lead) → act. Writes take the
assessment's row lock first, so two reviewers (or two tabs) are checked against each other.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.store.accounts import User
from diagnosis.store.assignments import current_assignment
from diagnosis.store.db import get_session
from diagnosis.web.access import can_review, can_view_company, role_required
from diagnosis.web.assess.forms import bound_form, localized, posted, small_number
from diagnosis.web.bundle import current_bundle
from diagnosis.web.evidence.views import upload_side
from diagnosis.web.reports.downloads import schedule_reports
from diagnosis.web.review import pages, service

bp = Blueprint("review", __name__, url_prefix="/reviews")


@bp.context_processor
def _helpers() -> dict:
    return {"tr": localized, "state_labels": pages.STATE_LABELS, "severity_labels": pages.SEVERITY_LABELS}


def reviewable_or_404(assessment_id: int, lock: bool = False):
    """The assessment if the user may review it: 404 when missing, a draft or not visible; 403 for
    a colleague who is neither its diagnostician nor the lead.

    :param lock: for a request that writes: the row lock is taken before anything is read.
    """
    query = select(store.Assessment).where(store.Assessment.id == assessment_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    assessment = get_session().scalar(query)
    if assessment is None or assessment.is_draft or not can_view_company(current_user, assessment.company):
        abort(404)
    if not can_review(current_user, current_assignment(get_session(), assessment.company_id)):
        abort(403)
    return assessment


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def locked_response(assessment) -> tuple[str | Response, int]:
    message = _("该诊断已签字确认，核验结果不能再修改。")
    if is_htmx():
        return render_template("review/_locked.html", message=message), 409
    flash(message, "warning")
    return redirect(url_for("review.sign_off_page", assessment_id=assessment.id)), 303


def self_result(assessment_id: int) -> dict | None:
    snapshot = store.latest_snapshot(get_session(), assessment_id, "self")
    return snapshot.result if snapshot is not None else None


def score(state) -> list[pages.Figure]:
    bundle = current_bundle()
    return pages.score_figures(self_result(state.assessment.id), service.live_result(state, bundle), bundle)


@bp.get("/<int:assessment_id>")
@role_required("provider")
def open(assessment_id: int):  # noqa: A001
    """The review of an assessment, at the first section with questions not yet reviewed."""
    assessment = reviewable_or_404(assessment_id)
    state = service.load(get_session(), assessment, current_bundle())
    if state.locked:
        return redirect(url_for("review.sign_off_page", assessment_id=assessment.id))
    section_id = pages.first_open_section(pages.sections(state))
    return redirect(url_for("review.section", assessment_id=assessment.id, section_id=section_id))


def section_or_404(state, section_id: str):
    marks = pages.sections(state, section_id)
    if not any(mark.id == section_id for mark in marks):
        abort(404)
    return state.instrument.section(section_id), marks


@bp.get("/<int:assessment_id>/sections/<section_id>")
@role_required("provider")
def section(assessment_id: int, section_id: str):
    assessment = reviewable_or_404(assessment_id)
    state = service.load(get_session(), assessment, current_bundle())
    return render_section(state, section_id)


def render_section(state, section_id: str, formdata=None, outcomes=None, status: int = 200):
    section_def, marks = section_or_404(state, section_id)
    previous, following = pages.neighbours(marks, section_id)
    return render_template(
        "review/section.html", state=state, assessment=state.assessment, section=section_def, marks=marks,
        cards=pages.cards(state, section_def.questions, formdata, outcomes), figures=score(state),
        previous=previous, following=following, reasons=pages.reason_choices(),
        findings=[finding for finding in reviews.findings(get_session(), state.assessment.id)
                  if finding.section_id == section_id],
        evidence=_evidence_by_question(state.assessment.id)), status


def _evidence_by_question(assessment_id: int, question_id: str | None = None) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for file in reviews.evidence_for(get_session(), assessment_id, question_id):
        grouped.setdefault(file.question_id, []).append(file)
    return grouped


def posted_action(question) -> service.Action:
    """The review action of the post; the verified value comes from the questionnaire's own field."""
    raw = None
    name = request.form.get("action", "")
    if name == "adjust":
        form = bound_form([question], {}, request.form)
        raw = posted(form, question)
    revision = request.form.get("rev")
    return service.Action(name=name, raw=raw, reason_code=request.form.get("reason_code", ""),
                          reason_text=request.form.get("reason_text", ""),
                          base_revision=small_number(revision) if revision is not None else None)


@bp.post("/<int:assessment_id>/questions/<question_id>")
@role_required("provider")
def act(assessment_id: int, question_id: str):
    """One review action (htmx: the card and, out of band, the score and the section marks)."""
    assessment = reviewable_or_404(assessment_id, lock=True)
    state = service.load(get_session(), assessment, current_bundle())
    if not state.instrument.has_question(question_id):
        abort(404)
    question = state.instrument.question(question_id)
    try:
        outcome, after = service.act(get_session(), state, question, posted_action(question), current_user.id)
    except service.ReviewLocked:
        return locked_response(assessment)
    formdata = request.form if outcome.status == "invalid" else None
    if not is_htmx():
        if not outcome.ok:
            flash(pages.refusal_message(question, outcome), "warning")
            return render_section(after, question.section, formdata, {question_id: outcome}, 422)
        return redirect(url_for("review.section", assessment_id=assessment.id, section_id=question.section)
                        + f"#rq-{question_id}")
    return render_card_update(after, question, formdata, outcome, state.visible != after.visible)


def render_card_update(state, question, formdata, outcome, whole_section: bool):
    """The card acted on (every card of the section when an answer showed or hid questions), the
    live score and the section marks; a refusal answers 409 or 422 with the message in the card."""
    section_def, marks = section_or_404(state, question.section)
    shown = section_def.questions if whole_section else [question]
    changed = pages.cards(state, shown, formdata, {question.id: outcome})
    status = {"conflict": 409, "invalid": 422, "hidden": 409, "waiting": 409}.get(outcome.status, 200)
    return render_template(
        "review/_update.html", state=state, assessment=state.assessment, cards=changed,
        whole_section=whole_section, marks=marks, figures=score(state), reasons=pages.reason_choices(),
        evidence=_evidence_by_question(state.assessment.id, None if whole_section else question.id)), status


def open_question_or_404(state, question_id: str):
    """A question the reviewer may act on now: 404 when it is not in the questionnaire or hidden
    under the verified answers, 409 while it waits for the company's evidence."""
    if not state.instrument.has_question(question_id) or question_id not in state.visible:
        abort(404)
    if state.in_open_round(question_id):
        abort(409)
    return state.instrument.question(question_id)


@bp.get("/<int:assessment_id>/questions/<question_id>/adjust")
@role_required("provider")
def adjust_form(assessment_id: int, question_id: str):
    """The adjust form of one card, fetched when the reviewer opens it (htmx: the form alone);
    without JavaScript a page of its own, which posts like the card and comes back to the section.
    ``rev`` is the revision of the card it was opened from."""
    assessment = reviewable_or_404(assessment_id)
    state = service.load(get_session(), assessment, current_bundle())
    if state.locked:
        return locked_response(assessment)
    question = open_question_or_404(state, question_id)
    revision = small_number(request.args.get("rev"))
    card = pages.adjust_card(state, question, state.revision(question_id) if revision is None else revision)
    return render_template("review/_adjust.html" if is_htmx() else "review/adjust.html",
                           assessment=assessment, card=card, reasons=pages.reason_choices())


@bp.get("/<int:assessment_id>/questions/<question_id>/evidence")
@role_required("provider")
def evidence_form(assessment_id: int, question_id: str):
    """A card's evidence with its upload form, fetched when the reviewer adds the first file (htmx:
    the fragment); without JavaScript the question's evidence page, coming back to the section."""
    assessment = reviewable_or_404(assessment_id)
    state = service.load(get_session(), assessment, current_bundle())
    if state.locked:
        return locked_response(assessment)
    question = open_question_or_404(state, question_id)
    back = url_for("review.section", assessment_id=assessment.id, section_id=question.section)
    return render_template(
        "evidence/_list.html" if is_htmx() else "evidence/question.html", assessment=assessment,
        question_id=question_id, question_text=localized(question.text), next_url=f"{back}#rq-{question_id}",
        files=reviews.evidence_for(get_session(), assessment.id, question_id),
        can_upload=upload_side(current_user, assessment, question_id) is not None)


@bp.post("/<int:assessment_id>/sections/<section_id>/accept-rest")
@role_required("provider")
def accept_rest(assessment_id: int, section_id: str):
    assessment = reviewable_or_404(assessment_id, lock=True)
    state = service.load(get_session(), assessment, current_bundle())
    section_def, _marks = section_or_404(state, section_id)
    try:
        count, _after = service.accept_rest(get_session(), state, section_def, current_user.id)
    except service.ReviewLocked:
        return locked_response(assessment)
    flash(_("已确认本部分其余 %(n)s 题。", n=count) if count
          else _("本部分没有待核验的已填写题目。"), "success")
    return redirect(url_for("review.section", assessment_id=assessment.id, section_id=section_id))


@bp.get("/<int:assessment_id>/questions/<question_id>/history")
@role_required("provider")
def history(assessment_id: int, question_id: str):
    """Every change to one question: both sources' answers and the review states, oldest first."""
    assessment = reviewable_or_404(assessment_id)
    state = service.load(get_session(), assessment, current_bundle())
    if not state.instrument.has_question(question_id):
        abort(404)
    events = reviews.question_history(get_session(), assessment.id, question_id)
    return render_template("review/history.html", assessment=assessment, state=state,
                           question=state.instrument.question(question_id), events=events,
                           users=_user_names({event.user_id for event in events}))


def _user_names(ids: set[int | None]) -> dict[int, str]:
    wanted = [user_id for user_id in ids if user_id is not None]
    if not wanted:
        return {}
    return {user.id: user.name for user in get_session().scalars(select(User).where(User.id.in_(wanted)))}


@bp.get("/<int:assessment_id>/sign-off")
@role_required("provider")
def sign_off_page(assessment_id: int):
    assessment = reviewable_or_404(assessment_id)
    state = service.load(get_session(), assessment, current_bundle())
    return render_sign_off(state)


def render_sign_off(state, status: int = 200):
    marks = pages.sections(state)
    waiting = [q for q in state.instrument.questions()
               if q.id in state.visible and state.state_of(q.id) == "needs_evidence"]
    return render_template(
        "review/sign_off.html", state=state, assessment=state.assessment, marks=marks,
        open_lines=pages.open_lines(state, service.open_items(state)), figures=score(state),
        waiting=waiting, rounds=reviews.rounds(get_session(), state.assessment.id),
        review=reviews.get_review(get_session(), state.assessment.id)), status


@bp.post("/<int:assessment_id>/send-back")
@role_required("provider")
def send_back(assessment_id: int):
    assessment = reviewable_or_404(assessment_id, lock=True)
    state = service.load(get_session(), assessment, current_bundle())
    note = request.form.get("note", "")[:service.REASON_MAX]
    try:
        round_ = service.send_back(get_session(), state, note, current_user.id)
    except service.ReviewLocked:
        return locked_response(assessment)
    except service.NothingToSendBack:
        flash(_("没有标记为“需补充材料”的题目，或上一轮补充尚未答复。"), "warning")
        return render_sign_off(state, 409)
    get_session().commit()
    flash(_("已将 %(n)s 题退回企业补充材料（第 %(round)s 轮）。", n=len(round_.question_ids),
            round=round_.number), "success")
    return redirect(url_for("review.sign_off_page", assessment_id=assessment.id))


@bp.post("/<int:assessment_id>/sign-off")
@role_required("provider")
def sign_off(assessment_id: int):
    assessment = reviewable_or_404(assessment_id, lock=True)
    bundle = current_bundle()
    state = service.load(get_session(), assessment, bundle)
    try:
        outcome = service.sign_off(get_session(), state, bundle, current_user.id)
    except service.ReviewLocked:
        return locked_response(assessment)
    if outcome.open:
        flash(_("还有 %(n)s 项未完成，不能签字确认。", n=len(outcome.open)), "warning")
        return render_sign_off(state, 422)
    get_session().commit()  # the verified snapshot is kept before its reports are queued
    schedule_reports(assessment.id)
    flash(_("已签字确认。核验报告正在生成，企业将收到确认请求。"), "success")
    return redirect(url_for("review.sign_off_page", assessment_id=assessment.id))
from diagnosis.web.review import findings as _findings  # noqa: E402,F401  (routes on this blueprint)
