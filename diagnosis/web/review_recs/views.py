"""The provider's edits of the engine's recommendations: keep, dismiss, change priority or phase, add.

Every view: load (404 when missing, a draft, or a company the user may not see) → check access
(the assigned diagnostician or the lead edits while the assessment is submitted; once signed off
anyone who may see the company reads) → act. Posts answer the provider's list as an htmx fragment,
or redirect back to the page without JavaScript; a refused form comes back with its message at the
field (422) and nothing saved; after sign-off every post answers 409.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnosis.store.assessments import Assessment
from diagnosis.store.assignments import current_assignment
from diagnosis.store.db import get_session, session
from diagnosis.web.access import can_review, can_view_company, role_required
from diagnosis.web.bundle import PinnedVersionMissing, current_bundle
from diagnosis.web.i18n import current_language
from diagnosis.web.review_recs import pages, service
from diagnosis.web.review_recs.forms import row_prefix

bp = Blueprint("review_recs", __name__, url_prefix="/reviews")


@bp.context_processor
def _helpers() -> dict:
    return {"rec_anchor": lambda key: "rec-" + row_prefix("row", key),
            "rec_action_labels": pages.ACTION_LABELS}


@bp.errorhandler(PinnedVersionMissing)
def _pinned_version_missing(error: PinnedVersionMissing):
    message = _("该诊断所用的问卷版本（%(version)s）已不再提供，请联系平台管理员。", version=str(error))
    return render_template("error.html", code=409, message=message), 409


def assessment_or_404(assessment_id: int, *, lock: bool = False) -> Assessment:
    """A submitted or verified assessment of a company the user may see, else 404.

    :param lock: for a post: the row lock first, so a sign-off cannot slip in between the status
        check and the edit."""
    assessment = session.get(Assessment, assessment_id, with_for_update=True if lock else None,
                             populate_existing=lock)
    if assessment is None or assessment.is_draft or not can_view_company(current_user, assessment.company):
        abort(404)
    return assessment


def may_edit(assessment: Assessment) -> bool:
    return can_review(current_user, current_assignment(get_session(), assessment.company_id))


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render(state: service.RecsState, status: int = 200, fragment: bool = False, **kwargs):
    page = pages.page(state, current_bundle(), **kwargs)
    template = "review_recs/_provider.html" if fragment else "review_recs/index.html"
    return render_template(template, page=page, assessment=state.assessment,
                           reviewer=may_edit(state.assessment)), status


@bp.get("/<int:assessment_id>/recommendations")
@role_required("provider", "company", "official", "admin")
def index(assessment_id: int):
    """The engine's list beside the provider's; read-only once signed off."""
    assessment = assessment_or_404(assessment_id)
    if assessment.status != "verified" and not may_edit(assessment):
        abort(403)
    return render(service.load(get_session(), assessment, current_bundle(), current_language()))


def editable_state_or_refusal(assessment_id: int):
    """(state, None) when the user may edit now, else (state or None, the response to send)."""
    assessment = assessment_or_404(assessment_id, lock=True)
    if not may_edit(assessment):
        abort(403)
    state = service.load(get_session(), assessment, current_bundle(), current_language())
    if not state.editable:
        return state, render(state, 409, fragment=is_htmx(), message=str(pages.LOCKED))
    return state, None


def done(state: service.RecsState, edit, message: str):
    """After a saved edit: the list with it (htmx) or back to the page at the row."""
    if is_htmx():
        return render(service.with_edit(state, edit), fragment=True, saved=edit.key, message=message)
    flash(message, "success")
    return redirect(url_for("review_recs.index", assessment_id=state.assessment.id)
                    + "#rec-" + row_prefix("row", edit.key), 303)


def refused(state: service.RecsState, failed: pages.Failed):
    return render(state, 422, fragment=is_htmx(), failed=failed)


def row_action(assessment_id: int, key: str, action: str):
    state, refusal = editable_state_or_refusal(assessment_id)
    if refusal is not None:
        return refusal
    row = state.row(key)
    if row is None:
        abort(404)
    if action not in pages.offered(row)[0]:
        message = _("此操作不适用于该建议的当前状态，页面已更新，请确认后再操作。")
        return render(state, 409, fragment=is_htmx(), message=message)
    words = pages.wording(state, current_bundle())
    form = pages.row_form(action, row, pages.phase_choices(state, words), request.form)
    if not form.validate():
        return refused(state, pages.Failed(key, action, form))
    priority = phase = None
    if action == "change":
        priority, phase = form.priority.data / 100, form.phase.data
        if (round(100 * row.priority), row.phase) == (form.priority.data, phase):
            form.priority.errors.append(_("优先级和实施阶段都没有改变：请至少改一项。"))
            return refused(state, pages.Failed(key, action, form))
    reason = form.reason.data if action != "keep" else None
    edit = service.edit_row(get_session(), state, current_user.id, row, action, reason, priority, phase)
    return done(state, edit, _("已保存：%(title)s（%(action)s）", title=row.title,
                              action=pages.ACTION_LABELS[action]))


@bp.post("/<int:assessment_id>/recommendations/<key>/keep")
@role_required("provider")
def keep(assessment_id: int, key: str):
    return row_action(assessment_id, key, "keep")


@bp.post("/<int:assessment_id>/recommendations/<key>/dismiss")
@role_required("provider")
def dismiss(assessment_id: int, key: str):
    return row_action(assessment_id, key, "dismiss")


@bp.post("/<int:assessment_id>/recommendations/<key>/change")
@role_required("provider")
def change(assessment_id: int, key: str):
    return row_action(assessment_id, key, "change")


@bp.post("/<int:assessment_id>/recommendations/add")
@role_required("provider")
def add(assessment_id: int):
    """Add a catalogue item not yet in the list."""
    state, refusal = editable_state_or_refusal(assessment_id)
    if refusal is not None:
        return refusal
    form, _own = pages.add_forms(state, pages.wording(state, current_bundle()), request.form)
    if not form.validate():
        return refused(state, pages.Failed("add", "add", form))
    item = state.catalogue[form.item.data]
    edit = service.add(get_session(), state, current_user.id, key=item.key, title=item.title,
                       detail=item.detail, priority=form.priority.data / 100, phase=form.phase.data,
                       reason=form.reason.data)
    return done(state, edit, _("已新增：%(title)s", title=item.title))


@bp.post("/<int:assessment_id>/recommendations/add-own")
@role_required("provider")
def add_own(assessment_id: int):
    """Add a recommendation of the provider's own."""
    state, refusal = editable_state_or_refusal(assessment_id)
    if refusal is not None:
        return refusal
    _catalogue, form = pages.add_forms(state, pages.wording(state, current_bundle()), request.form)
    if not form.validate():
        return refused(state, pages.Failed("own", "add", form))
    edit = service.add(get_session(), state, current_user.id, key=None, title=form.title.data,
                       detail=form.detail.data, priority=form.priority.data / 100, phase=form.phase.data,
                       reason=form.reason.data)
    return done(state, edit, _("已新增：%(title)s", title=form.title.data))
