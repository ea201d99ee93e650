"""Filling in the diagnosis: start, a page per section with autosave, submit, the result and what-if.

Every view: load (404 when missing or not the user's) → check access → act. Writes are for the
company's own users; the result page is for everyone who may see the company.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from diagnosis.core.engine import InvalidAnswers
from diagnosis.store import assessments as store
from diagnosis.store.db import get_session, session
from diagnosis.web.access import can_view_company, role_required
from diagnosis.web.assess import agreement, carry, groups, pages, results, service
from diagnosis.web.assess.forms import bound_form, localized, posted, posted_revision, small_number
from diagnosis.web.bundle import PinnedVersionMissing, current_bundle
from diagnosis.web.i18n import current_language
from diagnosis.web.reports.downloads import schedule_reports

bp = Blueprint("assess", __name__, url_prefix="/assessments")


@bp.context_processor
def _helpers() -> dict:
    return {"tr": localized}


@bp.errorhandler(PinnedVersionMissing)
def _pinned_version_missing(error: PinnedVersionMissing):
    """An assessment answered under a questionnaire version this server no longer loads."""
    message = _("该诊断所用的问卷版本（%(version)s）已不再提供，请联系平台管理员。", version=str(error))
    return render_template("error.html", code=409, message=message), 409


def own_assessment_or_404(assessment_id: int, lock: bool = False):
    """The assessment if it belongs to the logged-in company user, else 404.

    :param lock: for a request that changes answers: the row lock is taken before anything is read.
    """
    assessment = store.get_for_company(get_session(), current_user.company_id or 0, assessment_id, lock=lock)
    if assessment is None:
        abort(404)
    return assessment


def visible_assessment_or_404(assessment_id: int):
    """The assessment if the user may see its company (company, assigned provider, official, admin)."""
    assessment = session.get(store.Assessment, assessment_id)
    if assessment is None or not can_view_company(current_user, assessment.company):
        abort(404)
    return assessment


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def locked_response(assessment) -> tuple[str | Response, int]:
    message = _("该诊断已提交，答案不能再修改。")
    if is_htmx():
        return render_template("assess/_locked.html", message=message), 409
    flash(message, "warning")
    return redirect(url_for("assess.result", assessment_id=assessment.id)), 303


@bp.get("/")
@role_required("company")
def index() -> str:
    assessments = store.assessments_of(get_session(), current_user.company_id or 0)
    draft = next((a for a in assessments if a.is_draft), None)
    origin = None
    if draft is None and current_user.company is not None:
        origin = carry.origin_for(get_session(), current_user.company, current_bundle())
    return render_template("assess/index.html", assessments=assessments, draft=draft, origin=origin)


@bp.post("/start")
@role_required("company")
def start() -> Response:
    if current_user.company_id is None:
        abort(404)
    try:
        assessment = service.start(get_session(), current_user.company, current_bundle(), current_user.id,
                                   from_last=request.form.get("start") == "last")
    except service.DraftExists as exists:
        flash(_("您已有一份未提交的诊断，请继续填写。"), "info")
        assessment = exists.draft
    return redirect(url_for("assess.resume", assessment_id=assessment.id))


@bp.get("/<int:assessment_id>")
@role_required("company")
def resume(assessment_id: int) -> Response:
    assessment = own_assessment_or_404(assessment_id)
    if not assessment.is_draft:
        return redirect(url_for("assess.result", assessment_id=assessment.id))
    state = service.load_state(get_session(), assessment, current_bundle())
    return redirect(
        url_for("assess.section", assessment_id=assessment.id, section_id=pages.first_open_section(state))
    )


def render_section(state, section_id: str, formdata=None, outcomes=None, status: int = 200):
    section = state.instrument.section(section_id)
    previous, following = pages.neighbours(state, section_id)
    views = pages.question_views(state, section.questions, formdata, outcomes)
    return render_template(
        "assess/section.html",
        state=state,
        section=section,
        overview=pages.overview(state, section_id),
        layout=groups.layout(state, section, views, current_bundle().cmmm_model),
        previous=previous,
        following=following,
        carried=pages.carried_count(state, section),
    ), status


@bp.get("/<int:assessment_id>/sections/<section_id>")
@role_required("company")
def section(assessment_id: int, section_id: str):
    assessment = own_assessment_or_404(assessment_id)
    state = service.load_state(get_session(), assessment, current_bundle())
    if not pages.has_section(state, section_id):
        abort(404)
    if not pages.section_is_visible(state, section_id):
        flash(_("该部分不适用于贵企业。"), "info")
        return redirect(url_for("assess.resume", assessment_id=assessment.id))
    return render_section(state, section_id)


@bp.post("/<int:assessment_id>/sections/<section_id>")
@role_required("company")
def save_section(assessment_id: int, section_id: str):
    """The whole section at once: the same form, posted without JavaScript."""
    assessment = own_assessment_or_404(assessment_id, lock=True)
    bundle = current_bundle()
    state = service.load_state(get_session(), assessment, bundle)
    if not pages.has_section(state, section_id):
        abort(404)
    if state.read_only:
        return locked_response(assessment)
    section_def = state.instrument.section(section_id)
    shown = [q for q in section_def.questions if q.id in state.visible]
    form = bound_form(shown, state.answers, request.form)
    if not form.validate():
        abort(400)
    outcomes, state = service.save_section(
        get_session(),
        state,
        section_def,
        {q.id: posted(form, q) for q in shown},
        {q.id: posted_revision(request.form, q.id) for q in shown},
        current_user.id,
    )
    if all(outcome.ok for outcome in outcomes.values()):
        if any(set(item.questions) & set(outcomes) for item in agreement.state_breaks(state)):
            flash(_("有答案互相矛盾，已在题目旁标出；提交前请修改。"), "warning")
        return redirect(after_section_save(state, section_id))
    flash(_("部分答案未保存，请查看标出的问题。"), "warning")
    return render_section(state, section_id, request.form, outcomes)


@bp.post("/<int:assessment_id>/sections/<section_id>/confirm")
@role_required("company")
def confirm_section(assessment_id: int, section_id: str) -> Response | tuple[str | Response, int]:
    """The carried-over answers of one section confirmed as they stand."""
    assessment = own_assessment_or_404(assessment_id, lock=True)
    state = service.load_state(get_session(), assessment, current_bundle())
    if not pages.has_section(state, section_id):
        abort(404)
    if state.read_only:
        return locked_response(assessment)
    service.confirm_section(get_session(), state, state.instrument.section(section_id), current_user.id)
    flash(_("已确认本部分沿用的答案。"), "success")
    return redirect(url_for("assess.section", assessment_id=assessment.id, section_id=section_id))


def after_section_save(state, section_id: str) -> str:
    flash(_("已保存。"), "success")
    assessment = state.assessment
    target = request.form.get("go")
    _previous, following = pages.neighbours(state, section_id)
    if target == "next" and following:
        return url_for("assess.section", assessment_id=assessment.id, section_id=following)
    if target == "submit":
        return url_for("assess.review", assessment_id=assessment.id)
    return url_for("assess.section", assessment_id=assessment.id, section_id=section_id)


def question_or_404(state, question_id: str):
    if not state.instrument.has_question(question_id):
        abort(404)
    return state.instrument.question(question_id)


@bp.get("/<int:assessment_id>/questions/<question_id>")
@role_required("company")
def question(assessment_id: int, question_id: str) -> str:
    """One question as stored now (used by "take theirs" after a conflict)."""
    assessment = own_assessment_or_404(assessment_id)
    state = service.load_state(get_session(), assessment, current_bundle())
    view = pages.question_views(state, [question_or_404(state, question_id)])[0]
    return render_template("assess/_question.html", q=view, assessment=assessment)


@bp.post("/<int:assessment_id>/questions/<question_id>")
@role_required("company")
def save_question(assessment_id: int, question_id: str):
    """Autosave of one answer (htmx): the status fragment plus out-of-band updates."""
    assessment = own_assessment_or_404(assessment_id, lock=True)
    before = service.load_state(get_session(), assessment, current_bundle())
    question_def = question_or_404(before, question_id)
    if before.read_only:
        return locked_response(assessment)
    form = bound_form([question_def], before.answers, request.form)
    if not form.validate():
        abort(400)
    outcome, after = service.save_answer(
        get_session(),
        before,
        question_def,
        posted(form, question_def),
        posted_revision(request.form, question_id),
        current_user.id,
    )
    if not is_htmx():
        return redirect(
            url_for("assess.section", assessment_id=assessment.id, section_id=question_def.section)
            + f"#q-{question_id}"
        )
    view = pages.question_views(after, [question_def], request.form, {question_id: outcome})[0]
    changed = [
        q
        for q in after.instrument.section(question_def.section).questions
        if (q.id in before.visible) != (q.id in after.visible)
    ]
    appeared = {q.id for q in changed}
    remarked = [after.instrument.question(qid)
                for qid in agreement.remarked_questions(before, after, question_id) if qid not in appeared]
    body = render_template(
        "assess/_autosave.html",
        q=view,
        assessment=assessment,
        overview=pages.overview(after, question_def.section),
        appeared=pages.question_views(after, changed),
        remarked=[replace(view, saved=view.answered) for view in pages.question_views(after, remarked)],
        state=after,
    )
    return body, {"conflict": 409, "invalid": 422, "hidden": 409}.get(outcome.status, 200)


@bp.get("/<int:assessment_id>/submit")
@role_required("company")
def review(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id)
    if not assessment.is_draft:
        return redirect(url_for("assess.result", assessment_id=assessment.id))
    state = service.load_state(get_session(), assessment, current_bundle())
    return render_review(state, pages.missing(state))


def render_review(state, missing: list[str], status: int = 200):
    overview = pages.overview(state)
    return render_template(
        "assess/submit.html",
        state=state,
        overview=overview,
        missing=pages.missing_by_section(state, missing),
        broken=agreement.broken_views(state, agreement.state_breaks(state)),
        unfinished=[mark for mark in overview.sections if mark.answered < mark.applicable],
        carried=pages.carried_by_section(state),
        statements=groups.open_unanswered(state, current_bundle().cmmm_model),
        cmmm_section=current_bundle().cmmm_model.section,
    ), status


@bp.post("/<int:assessment_id>/submit")
@role_required("company")
def submit(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id, lock=True)
    bundle = current_bundle()
    try:
        outcome = service.submit(get_session(), assessment, bundle, current_user.id)
    except service.AssessmentLocked:
        return locked_response(assessment)
    if outcome.missing or outcome.broken:
        if outcome.missing:
            flash(_("还有必答题未填写，请补充后再提交。"), "warning")
        if outcome.broken:
            flash(_("有答案互相矛盾，请修改后再提交。"), "warning")
        return render_review(service.load_state(get_session(), assessment, bundle), outcome.missing, 422)
    session.commit()  # the snapshot is kept before its reports are queued (the workers read it)
    schedule_reports(assessment.id)
    flash(_("诊断已提交。以下是诊断结果。"), "success")
    return redirect(url_for("assess.result", assessment_id=assessment.id))


@bp.get("/<int:assessment_id>/result")
@role_required("company", "provider", "official", "admin")
def result(assessment_id: int):
    assessment = visible_assessment_or_404(assessment_id)
    snapshot = store.latest_snapshot(get_session(), assessment.id)
    if snapshot is None:
        if current_user.role == "company" and assessment.is_draft:
            flash(_("诊断尚未提交，提交后即可查看结果。"), "info")
            return redirect(url_for("assess.resume", assessment_id=assessment.id))
        abort(404)
    bundle = current_bundle()
    can_try = current_user.role == "company"
    visible = service.load_state(get_session(), assessment, bundle).visible if can_try else set()
    page = results.result_page(assessment, snapshot, bundle, visible)
    return render_template(
        "assess/result.html",
        assessment=assessment,
        page=page,
        what_if=results.what_if_form(page),
        can_try=can_try,
        report_lang=current_language(),
    )


@bp.get("/<int:assessment_id>/what-if/value")
@role_required("company")
def what_if_value(assessment_id: int) -> str:
    """The input for the question picked in a what-if row."""
    assessment = own_assessment_or_404(assessment_id)
    state = service.load_state(get_session(), assessment, current_bundle())
    row = small_number(request.args.get("row", "0"))
    picked = request.args.get(f"wi_q_{row}", "")
    if row is None or row >= results.WHAT_IF_ROWS or not state.instrument.has_question(picked):
        return render_template("assess/_what_if_value.html", row=row, field=None, question=None)
    question_def = state.instrument.question(picked)
    return render_template(
        "assess/_what_if_value.html",
        row=row,
        question=question_def,
        field=results.what_if_field(question_def, row, state.answers),
    )


@bp.post("/<int:assessment_id>/what-if")
@role_required("company")
def what_if(assessment_id: int):
    """simulate() over the stored answers with the picked changes; nothing is written."""
    assessment = own_assessment_or_404(assessment_id)
    if assessment.is_draft:
        abort(409)
    snapshot = store.latest_snapshot(get_session(), assessment.id)
    if snapshot is None:
        abort(404)
    bundle = current_bundle()
    state = service.load_state(get_session(), assessment, bundle)
    changes, errors = results.posted_changes(state, request.form)
    outcome = None
    if changes and not errors:
        try:
            outcome = service.what_if(get_session(), assessment, bundle, changes)
        except InvalidAnswers as refused:
            errors = results.refusal_messages(state, refused.problems)
    diff = results.what_if_diff(assessment, snapshot, outcome, bundle) if outcome else None
    return render_template(
        "assess/_what_if_result.html", diff=diff, errors=errors, empty=not changes and not errors
    ), 422 if errors else 200
