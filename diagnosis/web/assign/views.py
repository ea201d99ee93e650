"""Assigning companies to provider organisations (officials, admins), and diagnosticians with a
visit date (the organisation's lead)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from diagnosis.store.accounts import ProviderOrg
from diagnosis.store.assignments import current_assignment, plan_visit
from diagnosis.store.companies import Company
from diagnosis.store.db import get_session, session
from diagnosis.web.access import can_assign_provider, can_plan_visit, company_for_user_or_404, role_required
from diagnosis.web.assign import service
from diagnosis.web.assign.forms import AssignForm, BulkAssignForm, FilterForm, PlanVisitForm
from diagnosis.web.bundle import current_bundle
from diagnosis.web.company.forms import SIZE_LABELS
from diagnosis.web.company.industries import industry_choices, industry_label, industry_table
from diagnosis.web.i18n import current_language, is_local_path
from reports.selection import industry_codes

bp = Blueprint("assign", __name__, url_prefix="/assignments")

#: Told when a concurrent request assigned one of the companies first (uq_assignments_current).
CONFLICT = _l("刚才另一位用户同时修改了企业的服务商分配，本次分配没有保存。请刷新页面查看当前分配后再试。")
#: More than this many companies in one request is refused (each is a locked read and two writes).
MAX_BULK = 500


def fill_filter_choices(form: FilterForm) -> None:
    lang = current_language()
    labels = current_bundle().industries.tag_labels
    form.industry_tag.choices = [SelectChoice("", _("全部")), *(
        SelectChoice(tag, text.get(lang) or tag) for tag, text in sorted(labels.items()))]
    form.industry_code.choices = [SelectChoice("", _("全部")), *industry_choices(industry_table(), lang)[1:]]
    parks = service.scope_parks(current_user) or list(current_app.config["PARKS"])
    form.park.choices = [SelectChoice("", _("全部")), *(SelectChoice(park, park) for park in parks)]
    top = max(rule.level for rule in current_bundle().sme_model.levels)
    form.level.choices = [SelectChoice("", _("全部")), SelectChoice("none", _("尚未自评")), *(
        SelectChoice(str(level), _("%(n)s 级", n=level)) for level in range(top + 1))]


def chosen_filter(form: FilterForm) -> service.CandidateFilter:
    """The filter inside the user's scope (the park choices are the official's parks only)."""
    level, tag = form.level.data, form.industry_tag.data
    return service.CandidateFilter(
        parks=service.scope_parks(current_user),
        industry_codes=industry_codes(current_bundle(), tag) if tag else None,
        industry_code=form.industry_code.data or None,
        park=form.park.data or None,
        above_designated_size={"above": True, "below": False}.get(form.size.data),
        level=None if not level else -1 if level == "none" else int(level),
        unassigned=bool(form.unassigned.data),
    )


def org_choices(placeholder: str) -> list[SelectChoice]:
    return [SelectChoice(0, placeholder), *(SelectChoice(org.id, org.name)
                                            for org in service.provider_orgs(get_session()))]


def bulk_companies(form: BulkAssignForm, chosen: service.CandidateFilter) -> list[Company] | None:
    """The companies the request names, or None (with the form's message) when it may not go ahead:
    any of them outside the user's scope, the filter's match changed since the page was shown, too many."""
    if form.target.data == "filtered":
        ids = service.matching_ids(get_session(), chosen)
        if form.expected.data != str(len(ids)):
            form.form_errors.append(_("筛选结果已有变化：现在共有 %(n)s 家企业符合条件。"
                                      "请核对后再提交，本次没有分配任何企业。", n=len(ids)))
            return None
    else:
        ids = form.company_ids.data
    if len(ids) > MAX_BULK:
        form.form_errors.append(_("一次最多分配 %(n)s 家企业，请缩小筛选范围。", n=MAX_BULK))
        return None
    companies, refused = service.companies_to_assign(get_session(), current_user, ids)
    if refused:
        form.form_errors.append(_(
            "所选企业中有 %(n)s 家不在您负责的区域内或不存在，本次没有分配任何企业。", n=refused))
        return None
    return companies


def bulk_assign(form: BulkAssignForm, chosen: service.CandidateFilter) -> Response | int:
    """Assign the named companies, all or none: a redirect when done, else the page's status."""
    if not form.validate_on_submit():
        return 200
    companies = bulk_companies(form, chosen)
    if companies is None:
        return 400
    try:
        changed, unchanged = service.assign_all(get_session(), companies, form.provider_org_id.data,
                                                current_user.id)
    except service.AssignmentConflict:
        form.form_errors.append(str(CONFLICT))
        return 409
    org = session.get(ProviderOrg, form.provider_org_id.data)
    flash(_("已将 %(n)s 家企业分配给 %(org)s。", n=changed, org=org.name if org else ""), "success")
    if unchanged:
        flash(_("另有 %(n)s 家企业原本就由该服务商负责，没有变更。", n=unchanged), "info")
    return redirect(request.full_path)


@bp.route("/", methods=["GET", "POST"])
@role_required("official", "admin")
def index() -> str | Response | tuple[str, int]:
    """The companies the user may assign, filtered, with bulk assignment."""
    filters = FilterForm(formdata=request.args)
    fill_filter_choices(filters)
    form = BulkAssignForm()
    form.provider_org_id.choices = org_choices(_("请选择服务商"))
    if not filters.validate():
        return render_template("assign/index.html", filters=filters, form=form, page=None), 400
    chosen = chosen_filter(filters)
    status = 200
    if request.method == "POST":
        outcome = bulk_assign(form, chosen)
        if isinstance(outcome, Response):
            return outcome
        status = outcome
    page = service.candidate_page(get_session(), chosen, filters.page.data or 1)
    return render_template("assign/index.html", filters=filters, form=form, page=page,
                           industry=lambda code: industry_label(industry_table(), code, current_language()),
                           size_labels=SIZE_LABELS, page_url=page_url), status


def page_url(number: int) -> str:
    """The list's URL with the same filters, at page ``number``."""
    values: dict[str, Any] = {**request.args.to_dict(), "page": number}
    return url_for("assign.index", **values)


def assignable_or_404(company_id: int) -> Company:
    company = company_for_user_or_404(company_id)
    if not can_assign_provider(current_user, company):
        abort(404)
    return company


@bp.route("/company/<int:company_id>", methods=["GET", "POST"])
@role_required("official", "admin")
def company(company_id: int) -> str | Response | tuple[str, int]:
    """One company's provider organisation (assign, reassign, end), with its assignment history."""
    target = assignable_or_404(company_id)
    current = current_assignment(get_session(), target.id)
    form = AssignForm(provider_org_id=current.provider_org_id if current else 0)
    choices = org_choices(_("请选择服务商"))
    if current is not None:
        choices = [*choices[1:], SelectChoice(-1, _("结束当前分配（暂不由任何服务商负责）"))]
    form.provider_org_id.choices = choices
    status = 200
    if form.validate_on_submit():
        org_id = form.provider_org_id.data if form.provider_org_id.data > 0 else None
        try:
            changed, _unchanged = service.assign_all(get_session(), [target], org_id, current_user.id)
        except service.AssignmentConflict:
            form.form_errors.append(str(CONFLICT))
            status = 409
        else:
            flash(_("服务商分配已保存。") if changed else _("该企业本来就由这家服务商负责，没有变更。"),
                  "success" if changed else "info")
            return redirect(url_for("company.profile", company_id=target.id))
    return render_template("assign/company.html", company=target, form=form, current=current,
                           history=service.history(get_session(), target.id)), status


@bp.route("/company/<int:company_id>/visit", methods=["GET", "POST"])
@role_required("provider", "admin")
def plan(company_id: int) -> str | Response | tuple[str, int]:
    """The lead's choice of diagnostician and visit date for the company's current assignment."""
    target = company_for_user_or_404(company_id)
    current = current_assignment(get_session(), target.id, lock=request.method == "POST")
    if current is None:
        abort(404)
    if not can_plan_visit(current_user, current):
        abort(403)
    form = PlanVisitForm(diagnostician_id=current.diagnostician_id or 0, planned_visit=current.planned_visit,
                         next=request.args.get("next", ""))
    staff = service.diagnosticians(get_session(), current.provider_org_id)
    form.diagnostician_id.choices = [SelectChoice(0, _("待定")), *(SelectChoice(u.id, u.name) for u in staff)]
    back = form.next.data if form.next.data and is_local_path(form.next.data) else None
    back = back or url_for("company.profile", company_id=target.id)
    if form.validate_on_submit():
        plan_visit(get_session(), current, form.diagnostician_id.data or None, form.planned_visit.data)
        flash(_("已保存 %(company)s 的上门安排。", company=target.name), "success")
        return redirect(back)
    return render_template("assign/plan.html", company=target, form=form, current=current, back=back)
