"""Projects (立项): a company or its provider turns a recommendation into a project and reports its
monthly progress; an official records its acceptance or recognition.

Every view: load (404 when the company is not the user's to see) → check the role (403) → act. A
progress report carries the project's revision: a report made from a page another report has since
changed is refused (409) with the current values beside the user's, and nothing is overwritten.
The project's row is locked while a report or a recognition is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from diagnosis.core.pipeline_catalogue import catalogue
from diagnosis.store import projects as store
from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.companies import Company
from diagnosis.store.db import get_session
from diagnosis.web.access import company_for_user_or_404, role_required
from diagnosis.web.evidence.views import MB, send_stored
from diagnosis.web.projects import service
from diagnosis.web.projects.forms import STATUS_LABELS, ProgressForm, ProjectForm, RecognitionForm

bp = Blueprint("projects", __name__)


@bp.app_context_processor
def project_words() -> dict[str, Any]:
    """For every page: the result page's 立项 button asks ``can_run_project``."""
    return {"can_run_project": lambda company: service.can_run_project(current_user, company),
            "becomes_project": catalogue().becomes_project,
            "project_status_label": lambda status: STATUS_LABELS.get(status, status),
            "project_kind_title": service.kind_title, "recognition_title": service.recognition_title,
            "project_quantity": service.quantity_text}


@bp.get("/projects/")
@role_required("company")
def own() -> Response:
    if current_user.company_id is None:
        abort(403)
    return redirect(url_for(".company_projects", company_id=current_user.company_id))


@bp.get("/companies/<int:company_id>/projects")
@login_required
def company_projects(company_id: int) -> str:
    company = company_for_user_or_404(company_id)
    return render_template("projects/list.html", company=company,
                           projects=store.projects_of(get_session(), company.id),
                           can_start=service.can_run_project(current_user, company))


# --- 立项 -----------------------------------------------------------------------------------------


def fill_project_choices(form: ProjectForm) -> None:
    form.kind.choices = [SelectChoice("", _("请选择")), *(
        SelectChoice(kind.id, service.kind_title(kind.id)) for kind in catalogue().project_kinds.values())]
    form.provider_org_id.choices = [SelectChoice(0, _("尚未确定")), *(
        SelectChoice(org.id, org.name) for org in service.provider_orgs())]
    units = [f"{service.kind_title(kind.id)}：{service.kind_unit(kind.id)}"
             for kind in catalogue().project_kinds.values() if kind.quantity]
    form.quantity.description = _("只有以下类型的项目填写数量，其他类型请留空（%(kinds)s）。",
                                  kinds="；".join(units))


@bp.route("/companies/<int:company_id>/projects/new", methods=["GET", "POST"])
@login_required
def new(company_id: int):
    company = company_for_user_or_404(company_id)
    if not service.can_run_project(current_user, company):
        abort(403)
    form = ProjectForm()
    fill_project_choices(form)
    if request.method == "GET":
        prefill(form, company, request.args.get("recommendation", ""))
    elif form.validate_on_submit():
        project = add(form, company)
        flash(_("项目“%(name)s”已立项。每月请在此页填报进展。", name=project.name), "success")
        return redirect(url_for(".show", project_id=project.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("projects/new.html", company=company, form=form,
                           recommended=service.recommendation(company.id, form.recommendation.data or "")
                           if form.recommendation.data else None), status


def prefill(form: ProjectForm, company: Company, recommendation_id: str) -> None:
    """From a recommendation of the company's results: its kind, its title as the name."""
    today = date.today()
    form.start_on.data = today
    found = service.recommendation(company.id, recommendation_id) if recommendation_id else None
    if found is None:
        return
    form.kind.data = catalogue().kind_for_recommendation(found.id, found.kind)
    form.name.data = found.title
    form.recommendation.data = found.id


def add(form: ProjectForm, company: Company) -> store.Project:
    recommended = service.recommendation(company.id, form.recommendation.data or "")
    return store.add_project(
        get_session(), company.id, current_user.id, kind=form.kind.data, name=form.name.data,
        recommendation_id=recommended.id if recommended is not None else None,
        provider_org_id=form.provider_org_id.data or None, planned_investment=form.planned_investment.data,
        quantity=form.quantity.data, start_on=form.start_on.data,
        planned_finish_on=form.planned_finish_on.data)


# --- the project page: progress and recognitions --------------------------------------------------


def progress_form(project: store.Project) -> ProgressForm:
    return ProgressForm(formdata=None, data={
        "status": project.status, "investment_to_date": project.investment_to_date,
        "month": date.today().replace(day=1), "revision": str(project.revision)})


def recognition_form(project: store.Project, posted: bool = False) -> RecognitionForm:
    """The form with the recognitions of the project's kind; ``posted``: read from the request."""
    form = RecognitionForm() if posted else RecognitionForm(formdata=None)
    form.kind.choices = [SelectChoice("", _("请选择")), *(
        SelectChoice(recognition.id, service.recognition_title(recognition.id))
        for recognition in catalogue().recognitions_for(project.kind))]
    return form


def render_project(project: store.Project, status: int = 200, *, progress: ProgressForm | None = None,
                   recognition: RecognitionForm | None = None, conflict: bool = False):
    company = get_session().get(Company, project.company_id)
    assert company is not None  # the foreign key
    can_report = service.can_run_project(current_user, company)
    can_recognise = service.can_recognise(current_user, company)
    return render_template(
        "projects/show.html", project=project, company=company, page=service.project_page(project),
        provider=project.provider_org_id and get_session().get(ProviderOrg, project.provider_org_id),
        progress_form=(progress or progress_form(project)) if can_report else None,
        recognition_form=(recognition or recognition_form(project)) if can_recognise else None,
        conflict=conflict), status


@bp.get("/projects/<int:project_id>")
@login_required
def show(project_id: int):
    return render_project(service.project_or_404(project_id))


@bp.post("/projects/<int:project_id>/progress")
@login_required
def progress(project_id: int):
    project = service.project_or_404(project_id, lock=True)
    company = get_session().get(Company, project.company_id)
    if company is None or not service.can_run_project(current_user, company):
        abort(403)
    form = ProgressForm()
    if not form.validate_on_submit():
        return render_project(project, 422, progress=form)
    if form.revision.data != str(project.revision):
        form.revision.data = str(project.revision)
        return render_project(project, 409, progress=form, conflict=True)
    checked, refusals = service.checked_uploads(service.chosen_files(form.files.data))
    if refusals:
        form.files.errors = [*refusals, _("本次进展没有保存，请重新选择文件后提交。")]
        return render_project(project, 422, progress=form)
    invested = form.investment_to_date.data
    assert invested is not None  # InputRequired
    report = store.report_progress(get_session(), project, current_user.id, month=form.month.data,
                                   status=form.status.data, investment_to_date=invested,
                                   note=form.note.data or "")
    service.attach(project, checked, progress_id=report.id)
    flash(_("已记录 %(month)s 的进展。", month=report.month.strftime("%Y-%m")), "success")
    return redirect(url_for(".show", project_id=project.id, _anchor="history"), 303)


@bp.post("/projects/<int:project_id>/recognitions")
@login_required
def recognise(project_id: int):
    project = service.project_or_404(project_id, lock=True)
    company = get_session().get(Company, project.company_id)
    if company is None or not service.can_recognise(current_user, company):
        abort(403)
    form = recognition_form(project, posted=True)
    if not form.validate_on_submit():
        return render_project(project, 422, recognition=form)
    checked, refusals = service.checked_uploads(service.chosen_files(form.files.data))
    if refusals:
        form.files.errors = [*refusals, _("本次验收 / 认定没有保存，请重新选择文件后提交。")]
        return render_project(project, 422, recognition=form)
    recognition = store.recognise(get_session(), project, current_user.id, kind=form.kind.data,
                                  recognised_on=form.recognised_on.data, reference=form.reference.data or "")
    service.attach(project, checked, recognition_id=recognition.id)
    flash(_("已记录“%(kind)s”（%(date)s）。", kind=service.recognition_title(recognition.kind),
            date=recognition.recognised_on.isoformat()), "success")
    return redirect(url_for(".show", project_id=project.id, _anchor="recognitions"), 303)


@bp.get("/project-documents/<int:document_id>")
@login_required
def document(document_id: int) -> Response:
    """The stored file as an attachment, for anyone who may see the project's company."""
    item = get_session().get(store.ProjectDocument, document_id)
    if item is None:
        abort(404)
    service.project_or_404(item.project_id)
    return send_stored(item, "project document")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """A body over the upload limit, refused before any view read it: nothing is saved."""
    limit = current_app.config["EVIDENCE_MAX_REQUEST_BYTES"] // MB
    message = _("本次上传的文件合计超过 %(limit)s MB，没有保存任何内容，请分几次上传。", limit=limit)
    return render_template("error.html", code=413, message=message), 413
