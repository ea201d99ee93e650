"""Downloads for officials: the monthly 调度表 (run in the background queue with a progress bar) and
the 月度通报 PDF."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from diagnosis.pipeline import jobs
from diagnosis.web.access import role_required
from diagnosis.web.exports import service
from diagnosis.web.exports.forms import BriefingForm, ExportForm
from reports.queue import QueueUnavailable

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.route("/", methods=["GET", "POST"])
@role_required("official", "admin")
def start() -> str | Response | tuple[str, int]:
    """The 调度表's choice (prefilled from the dashboard's query string); posting it queues the export."""
    form = ExportForm(formdata=request.form if request.method == "POST" else request.args)
    service.fill_choices(form, current_user)
    if request.method == "POST" and form.validate():
        try:
            token = service.start(service.chosen_filters(form, current_user), service.chosen_args(form),
                                  current_user)
        except QueueUnavailable:
            form.form_errors.append(_("导出队列暂不可用，调度表没有开始生成。请稍后再试。"))
            return render_template("exports/new.html", form=form), 503
        return redirect(url_for("exports.show", token=token))
    return render_template("exports/new.html", form=form)


@bp.get("/<token>")
@role_required("official", "admin")
def show(token: str) -> str:
    """The job's progress, with the way back to the dashboard it was asked from."""
    job = service.owned_or_404(token, current_user)
    chosen: dict[str, Any] = dict(job.chosen)
    return render_template("exports/show.html", job=job, chosen_words=service.chosen_words(job.chosen),
                           dashboard_url=url_for("pipeline.dashboard", **dashboard_args(job)),
                           again_url=url_for("exports.start", **chosen))


def dashboard_args(job: jobs.ExportJob) -> dict[str, Any]:
    """The dashboard's query string for the choice the job was made from (its month as a number)."""
    narrower = {name: value for name, value in job.chosen.items() if name in ("park", "tag", "provider")}
    return {"year": job.filters["year"], "month": job.filters["month"], **narrower}


@bp.get("/<token>/progress")
@role_required("official", "admin")
def progress(token: str) -> str:
    """The job page's fragment, polled by htmx until the file is ready or the export failed."""
    return render_template("exports/_progress.html", job=service.owned_or_404(token, current_user))


@bp.get("/<token>/file")
@role_required("official", "admin")
def download(token: str) -> Response:
    job = service.owned_or_404(token, current_user)
    path = jobs.file_of(service.storage(), job)
    if path is None:
        return redirect(url_for("exports.show", token=token))
    response = send_file(path, as_attachment=True, download_name=jobs.download_name(job),
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/briefing.pdf")
@role_required("official", "admin")
def briefing() -> Response | tuple[str, int]:
    """The 月度通报 of the dashboard's choice, rendered now (it is a few pages of aggregates)."""
    form = BriefingForm(formdata=request.args)
    service.fill_choices(form, current_user)
    if not form.validate():
        return render_template("exports/new.html", form=form), 400
    filters = service.chosen_filters(form, current_user)
    response = Response(service.briefing_pdf(filters), mimetype="application/pdf")
    name = f"月度通报-{filters.year:04d}-{filters.month or 0:02d}.pdf"
    response.headers["Content-Disposition"] = _attachment(name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment(name: str) -> str:
    """An attachment header with the UTF-8 name (RFC 5987) and an ASCII fallback."""
    fallback = name.encode("ascii", "ignore").decode() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
