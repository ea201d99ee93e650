"""Report downloads (company result page) and the official's report batches."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from diagnosis.store.assessments import Assessment
from diagnosis.store.db import get_session, session
from diagnosis.web.access import can_view_company, role_required
from diagnosis.web.bundle import current_bundle
from diagnosis.web.reports import batches
from diagnosis.web.reports.forms import BatchForm
from reports.data import ReportUnavailable
from reports.render import DEFAULT_LANGUAGE, LANGUAGES
from reports.report import make_report

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/assessments/<int:assessment_id>.pdf")
@login_required
def download(assessment_id: int) -> Response:
    """The PDF report of an assessment, for users allowed to see its company (else 404)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or not can_view_company(current_user, assessment.company):
        abort(404)
    lang = request.args.get("lang", DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        abort(404)
    try:
        report = make_report(get_session(), assessment_id, lang, current_app.config["DIAGNOSIS_STORAGE"],
                             current_bundle())
    except ReportUnavailable:
        abort(404)
    return send_file(BytesIO(report.pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=report.filename)


@bp.route("/batches", methods=["GET", "POST"])
@role_required("official", "admin")
def batch_new() -> str | Response:
    form = BatchForm()
    batches.fill_choices(form, current_user)
    if form.validate_on_submit():
        chosen = batches.chosen_filter(form, current_user)
        items = batches.selected_items(chosen)
        if not items:
            form.company_ids.errors.append(_("没有符合条件且已提交诊断的企业。"))
        else:
            batch_id = batches.start(items, chosen, form.lang.data, current_user)
            return redirect(url_for("reports.batch_show", batch_id=batch_id))
    return render_template("reports/batch_new.html", form=form)


@bp.get("/batches/<batch_id>")
@role_required("official", "admin")
def batch_show(batch_id: str) -> str:
    batch = batches.owned_or_404(batch_id, current_user)
    return render_template("reports/batch_show.html", batch_id=batch_id, **batches.status(batch))


@bp.get("/batches/<batch_id>/progress")
@role_required("official", "admin")
def batch_progress(batch_id: str) -> str:
    batch = batches.owned_or_404(batch_id, current_user)
    return render_template("reports/_batch_progress.html", batch_id=batch_id, **batches.status(batch))


@bp.get("/batches/<batch_id>/reports.zip")
@role_required("official", "admin")
def batch_download(batch_id: str) -> Response:
    batch = batches.owned_or_404(batch_id, current_user)
    if batch.archive is None:
        flash(_("批量生成尚未完成。"))
        return redirect(url_for("reports.batch_show", batch_id=batch_id))
    return send_file(Path(batch.directory) / batch.archive, mimetype="application/zip", as_attachment=True,
                     download_name=f"reports-{batch_id[:8]}.zip")
