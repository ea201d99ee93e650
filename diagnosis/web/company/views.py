"""Company registration (public) and the company profile (view, edit)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from diagnosis.core.uscc import check_uscc
from diagnosis.pipeline.journey import company_journey
from diagnosis.store.accounts import create_user, email_taken, utcnow
from diagnosis.store.companies import Company
from diagnosis.store.db import get_session, session
from diagnosis.web.access import can_edit_company, company_for_user_or_404, role_required
from diagnosis.web.assign.service import panel as assignment_panel
from diagnosis.web.auth.passwords import password_problem
from diagnosis.web.auth.sessions import start_session
from diagnosis.web.company.forms import (
    REVENUE_BAND_LABELS,
    SIZE_LABELS,
    CompanyProfileForm,
    RegistrationForm,
    uscc_warnings,
)
from diagnosis.web.company.industries import industry_choices, industry_label, industry_table
from diagnosis.web.extensions import limiter
from diagnosis.web.i18n import current_language

bp = Blueprint("company", __name__)


def fill_choices(form: CompanyProfileForm) -> None:
    form.industry_code.choices = industry_choices(industry_table(), current_language())
    parks = [SelectChoice(park, park) for park in current_app.config["PARKS"]]
    form.park.choices = [SelectChoice("", _("请选择")), *parks]


#: One message for an e-mail that has an account and for a race lost to another registration; it
#: does not name the e-mail.
TAKEN_MESSAGE = _l(
    "无法用这些信息注册：该企业或邮箱可能已有账号。已有账号请直接登录；如需帮助，请联系平台管理员。"
)


def _claimable(company: Company | None) -> bool:
    """A company record a registration may take: none yet, or a roster record nobody registered."""
    return company is None or (company.registered_at is None and not company.users)


def register_company(form: RegistrationForm) -> Company | None:
    """Add the company (or take over its roster record) and its first user; None (with the form errors
    set) when the code belongs to a registered company, a unique value is taken or the password breaks
    the rules. The e-mail is checked last, on an otherwise acceptable form, and answered without saying
    which value is taken (every POST counts against the registration limit, so probing for e-mails is
    slow). The roster record is locked while it is taken over, so two registrations cannot both take it."""
    db = get_session()
    existing = db.scalar(select(Company).where(Company.credit_code == form.credit_code.data)
                         .with_for_update().execution_options(populate_existing=True))
    if not _claimable(existing):
        form.credit_code.errors.append(_("该统一社会信用代码已注册。如需帮助，请联系平台管理员。"))
    problem = password_problem(form.password.data, form.email.data, (form.contact_name.data, form.name.data))
    if problem:
        form.password.errors.append(problem)
    if form.errors:
        return None
    if email_taken(db, form.email.data):
        form.form_errors.append(str(TAKEN_MESSAGE))
        return None
    try:
        with session.begin_nested():
            company = _registered_company(existing, form)
            create_user(db, email=form.email.data, name=form.contact_name.data, password=form.password.data,
                        role="company", company_id=company.id, locale=current_language())
            session.expire(company, ["users"])
    except IntegrityError:
        form.form_errors.append(str(TAKEN_MESSAGE))
        return None
    return company


def _registered_company(roster_record: Company | None, form: RegistrationForm) -> Company:
    """The new company, or the roster record filled in from the form (its id and imported_at kept)."""
    company = roster_record or Company(credit_code=form.credit_code.data)
    for column, value in form.company_values().items():
        setattr(company, column, value)
    company.registered_at = utcnow()
    session.add(company)
    session.flush()
    return company


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT_PER_ADDRESS"], methods=["POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = RegistrationForm()
    fill_choices(form)
    if form.validate_on_submit():
        company = register_company(form)
        if company is not None:
            start_session(company.users[0])
            flash(_("注册成功，欢迎使用智改数转诊断平台。"), "success")
            for warning in uscc_warnings(check_uscc(company.credit_code)):
                flash(warning, "warning")
            return redirect(url_for("assess.index"))
    return render_template("company/register.html", form=form)


@bp.get("/company")
@role_required("company")
def own() -> Response:
    if current_user.company_id is None:
        abort(404)
    return redirect(url_for("company.profile", company_id=current_user.company_id))


@bp.get("/company/<int:company_id>")
@login_required
def profile(company_id: int) -> str:
    company = company_for_user_or_404(company_id)
    return render_template(
        "company/profile.html",
        company=company,
        industry=industry_label(industry_table(), company.industry_code, current_language()),
        revenue_band=REVENUE_BAND_LABELS.get(company.revenue_band or ""),
        size=SIZE_LABELS[company.above_designated_size],
        can_edit=can_edit_company(current_user, company),
        assignment=assignment_panel(get_session(), current_user, company),
        journey=company_journey(get_session(), company),
    )


@bp.route("/company/<int:company_id>/edit", methods=["GET", "POST"])
@role_required("company", "admin")
def edit(company_id: int) -> str | Response:
    company = company_for_user_or_404(company_id)
    if not can_edit_company(current_user, company):
        abort(403)
    form = CompanyProfileForm(obj=company)
    fill_choices(form)
    if form.validate_on_submit():
        for column, value in form.company_values().items():
            setattr(company, column, value)
        session.flush()
        flash(_("企业信息已保存。"), "success")
        return redirect(url_for("company.profile", company_id=company.id))
    return render_template("company/edit.html", form=form, company=company)
