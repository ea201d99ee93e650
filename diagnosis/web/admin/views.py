"""Admin pages: provider organisations, provider and official accounts, deactivation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from diagnosis.store.accounts import ProviderOrg, User, create_user, email_taken
from diagnosis.store.db import get_session, session
from diagnosis.web.access import role_required
from diagnosis.web.admin.forms import (
    ConfirmForm,
    OfficialUserForm,
    ProviderOrgForm,
    ProviderUserForm,
    StaffUserForm,
)
from diagnosis.web.auth.passwords import password_problem

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_LABELS = {
    "company": _l("企业用户"),
    "provider": _l("服务商诊断师"),
    "official": _l("主管部门"),
    "admin": _l("管理员"),
}
STAFF_FORMS = {"provider": ProviderUserForm, "official": OfficialUserForm}


@bp.before_request
@role_required("admin")
def require_admin() -> None:
    """Every admin page is for admins only."""


@bp.get("/")
def index() -> Response:
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users() -> str:
    rows = session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("admin/users.html", users=rows, role_labels=ROLE_LABELS)


def staff_form(role: str) -> StaffUserForm:
    form = STAFF_FORMS[role]()
    if role == "provider":
        orgs = session.scalars(select(ProviderOrg).order_by(ProviderOrg.name)).all()
        form.provider_org_id.choices = [SelectChoice(0, _("请选择"))] + [
            SelectChoice(o.id, o.name) for o in orgs
        ]
    else:
        form.regions.choices = [SelectChoice(park, park) for park in current_app.config["PARKS"]]
    return form


def role_fields(form: StaffUserForm, role: str) -> dict[str, object]:
    if role == "provider":
        return {"provider_org_id": form.provider_org_id.data}
    return {"regions": list(form.regions.data or [])}


@bp.route("/users/new/<role>", methods=["GET", "POST"])
def new_user(role: str) -> str | Response:
    if role not in STAFF_FORMS:
        abort(404)
    form = staff_form(role)
    if form.validate_on_submit():
        problem = password_problem(form.password.data, form.email.data, (form.name.data,))
        if problem:
            form.password.errors.append(problem)
        elif email_taken(get_session(), form.email.data):
            form.email.errors.append(_("该邮箱已有账号。"))
        else:
            create_user(
                get_session(),
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                role=role,
                **role_fields(form, role),
            )
            flash(_("账号 %(email)s 已创建。", email=form.email.data), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form, role=role, role_labels=ROLE_LABELS)


def other_user_or_404(user_id: int) -> User | None:
    """The user to (de)activate; None (with a message) when it is the admin themselves."""
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash(_("不能停用自己的账号。"), "error")
        return None
    return user


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int) -> str | Response:
    """Asks first (GET shows what will happen), deactivates on the confirming POST; every session of
    the user ends with it."""
    user = other_user_or_404(user_id)
    if user is None:
        return redirect(url_for("admin.users"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("admin/deactivate.html", form=form, user=user, role_labels=ROLE_LABELS)
    user.active = False
    user.end_sessions()
    flash(_("账号 %(email)s 已停用，该用户将无法登录。", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/activate")
def activate(user_id: int) -> Response:
    user = other_user_or_404(user_id)
    if user is not None:
        user.active = True
        flash(_("账号 %(email)s 已启用。", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/provider-orgs", methods=["GET", "POST"])
def provider_orgs() -> str | Response:
    form = ProviderOrgForm()
    if form.validate_on_submit():
        if session.scalar(select(ProviderOrg).where(ProviderOrg.name == form.name.data)) is not None:
            form.name.errors.append(_("已有同名服务商。"))
        else:
            session.add(ProviderOrg(name=form.name.data))
            session.flush()
            flash(_("服务商 %(name)s 已添加。", name=form.name.data), "success")
            return redirect(url_for("admin.provider_orgs"))
    orgs = session.scalars(select(ProviderOrg).order_by(ProviderOrg.name)).all()
    return render_template("admin/provider_orgs.html", form=form, orgs=orgs)
