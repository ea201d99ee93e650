"""Login, logout, password change and the home page that sends each role to its start page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from diagnosis.store.accounts import User, normalize_email, user_by_email
from diagnosis.store.assessments import assessments_of, latest_snapshot
from diagnosis.store.db import get_session
from diagnosis.web.auth import throttle
from diagnosis.web.auth.devices import known_device, remember_device
from diagnosis.web.auth.forms import ChangePasswordForm, LoginForm
from diagnosis.web.auth.passwords import password_problem
from diagnosis.web.auth.sessions import client_address, end_every_session, restart_session, start_session
from diagnosis.web.i18n import safe_next

bp = Blueprint("auth", __name__)

#: A hash to check against when the account does not exist, so timing does not reveal it.
_NO_USER_HASH = generate_password_hash("no such account", method="scrypt")


@bp.get("/")
def home() -> str | Response:
    if not current_user.is_authenticated:
        return render_template("auth/welcome.html")
    if current_user.role == "company" and current_user.company_id is not None:
        return redirect(company_landing(current_user.company_id))
    if current_user.role == "provider" and current_user.provider_org_id is not None:
        return redirect(url_for("worklist.index"))
    if current_user.role == "admin":
        return redirect(url_for("admin.index"))
    if current_user.role == "official":
        return redirect(url_for("pipeline.dashboard"))
    return render_template("auth/home.html")


def company_landing(company_id: int) -> str:
    """A company lands on its diagnosis: the result of its newest assessment once submitted, else the
    diagnosis page (start or continue); a re-assessment in progress is continued there too."""
    newest = next(iter(assessments_of(get_session(), company_id)), None)
    if newest is not None and not newest.is_draft and latest_snapshot(get_session(), newest.id) is not None:
        return url_for("assess.result", assessment_id=newest.id)
    return url_for("assess.index")


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password (active or not); the same work is done when there is none."""
    user = user_by_email(get_session(), email)
    if user is None:
        check_password_hash(_NO_USER_HASH, password)
        return None
    return user if user.check_password(password) else None


def throttled(form: LoginForm, wait: int) -> tuple[str, int, dict[str, str]]:
    form.form_errors.append(_("登录尝试过多，请 %(seconds)s 秒后再试。", seconds=wait))
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}


def attempt_login(form: LoginForm) -> Response | tuple[str, int, dict[str, str]] | None:
    """Throttle, check the password, log in; None when the form is to be shown again with its error."""
    account = normalize_email(form.email.data)
    attempt = throttle.Attempt(account, client_address(), known_device(account))
    ticket = throttle.begin(get_session(), attempt)
    if ticket.wait_seconds:
        return throttled(form, ticket.wait_seconds)
    user = authenticate(account, form.password.data)
    if user is None:
        form.form_errors.append(_("账号或密码不正确。"))
        return None
    throttle.forgive(get_session(), ticket)
    if not user.active:
        form.form_errors.append(_("该账号已停用，无法登录。如有疑问，请联系平台管理员。"))
        return None
    throttle.succeeded(get_session(), attempt)
    start_session(user, remember=bool(form.remember.data))
    response = redirect(safe_next(request.args.get("next")))
    remember_device(response, account)
    return response


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = attempt_login(form)
        if outcome is not None:
            return outcome
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Ends every session of the user: the captured cookie of another browser stops working too."""
    end_every_session(current_user._get_current_object())
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.home"))


def company_name(user: User) -> str | None:
    return user.company.name if user.company is not None else None


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    user: User = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("当前密码不正确。"))
        elif problem := password_problem(form.password.data, user.email, (user.name, company_name(user))):
            form.password.errors.append(problem)
        else:
            user.set_password(form.password.data)
            restart_session(user)
            flash(_("密码已修改。其他设备上的登录已全部退出。"), "success")
            return redirect(url_for("auth.home"))
    return render_template("auth/change_password.html", form=form)
