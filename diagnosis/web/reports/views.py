"""Report downloads (company result page) and the official's report batches."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from diagnosis.web.access import role_required
from diagnosis.web.reports import batches, downloads
from diagnosis.web.reports.forms import BatchForm
from reports.queue import QueueUnavailable

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/assessments/<int:assessment_id>.pdf")
@login_required
def download(assessment_id: int) -> Response | tuple[str, int, dict[str, str]]:
    """The stored PDF report of an assessment, for users allowed to see its company (else 404);
    before it exists, a page that waits for its render."""
    lang = downloads.language_or_404(assessment_id, request.args.get("lang"))
    wanted = downloads.prepare(assessment_id, lang)
    if wanted.path is not None:
        return send_file(wanted.path, mimetype="application/pdf", as_attachment=True,
                         download_name=wanted.path.name)
    page = render_template("reports/report_wait.html", **downloads.page(assessment_id, lang, wanted.state))
    retry_after = downloads.POLL_SECONDS.get(wanted.state, 60)
    return page, downloads.STATUS_CODES[wanted.state], {"Retry-After": str(retry_after)}


@bp.get("/assessments/<int:assessment_id>/report-status")
@login_required
def download_status(assessment_id: int) -> str:
    """The waiting page's fragment, polled by htmx: asks again, and offers the file once kept."""
    lang = downloads.language_or_404(assessment_id, request.args.get("lang"))
    wanted = downloads.prepare(assessment_id, lang)
    return render_template("reports/_report_status.html", **downloads.page(assessment_id, lang, wanted.state))


@bp.route("/batches", methods=["GET", "POST"])
@role_required("official", "admin")
def batch_new() -> str | Response | tuple[str, int]:
    form = BatchForm()
    batches.fill_choices(form, current_user)
    if form.validate_on_submit():
        chosen = batches.chosen_filter(form, current_user)
        items = batches.selected_items(chosen)
        if not items:
            form.company_ids.errors.append(_("没有符合条件且已提交诊断的企业。"))
        else:
            try:
                batch_id = batches.start(items, chosen, form.lang.data, current_user)
            except QueueUnavailable:
                form.form_errors.append(_("报告队列暂不可用，批量生成没有开始。请稍后再试。"))
                return render_template("reports/batch_new.html", form=form), 503
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


@bp.post("/batches/<batch_id>/cancel")
@role_required("official", "admin")
def batch_cancel(batch_id: str) -> Response:
    """Cancel the batch's reports not rendered yet (CSRF checked for every POST by CSRFProtect)."""
    cancelled = batches.cancel(batches.owned_or_404(batch_id, current_user))
    flash(_("已取消 %(n)s 份尚未生成的报告。", n=cancelled) if cancelled else _("没有可取消的报告。"))
    return redirect(url_for("reports.batch_show", batch_id=batch_id))


@bp.post("/batches/<batch_id>/retry")
@role_required("official", "admin")
def batch_retry(batch_id: str) -> Response:
    """Queue the batch's failed, cancelled and stuck reports again."""
    batch = batches.owned_or_404(batch_id, current_user)
    try:
        queued = batches.retry(batch)
    except QueueUnavailable:
        flash(_("报告队列暂不可用，未能重新加入队列的报告可稍后再试。"), "warning")
    else:
        flash(_("已重新加入队列 %(n)s 份报告。", n=queued) if queued else _("没有需要重试的报告。"))
    return redirect(url_for("reports.batch_show", batch_id=batch_id))


@bp.get("/batches/<batch_id>/reports.zip")
@role_required("official", "admin")
def batch_download(batch_id: str) -> Response:
    batch = batches.owned_or_404(batch_id, current_user)
    if batch.archive is None:
        flash(_("批量生成尚未完成。"))
        return redirect(url_for("reports.batch_show", batch_id=batch_id))
    return send_file(Path(batch.directory) / batch.archive, mimetype="application/zip", as_attachment=True,
                     download_name=f"reports-{batch_id[:8]}.zip")
