"""Login, logout and the home page that sends each role to its start page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from diagnosis.store.accounts import User, normalize_email, user_by_email
from diagnosis.store.db import get_session
from diagnosis.web.auth.forms import LoginForm
from diagnosis.web.extensions import limiter
from diagnosis.web.i18n import safe_next

bp = Blueprint("auth", __name__)

#: A hash to check against when the account does not exist, so timing does not reveal it.
_NO_USER_HASH = generate_password_hash("no such account", method="scrypt")


def login_account_key() -> str:
    return "login-account:" + normalize_email(request.form.get("email", ""))


@bp.get("/")
def home() -> str | Response:
    if not current_user.is_authenticated:
        return render_template("auth/welcome.html")
    if current_user.role == "company" and current_user.company_id is not None:
        return redirect(url_for("company.profile", company_id=current_user.company_id))
    if current_user.role == "admin":
        return redirect(url_for("admin.index"))
    return render_template("auth/home.html")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password; the same work is done when there is none."""
    user = user_by_email(get_session(), email)
    if user is None:
        check_password_hash(_NO_USER_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=login_account_key
)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        form.form_errors.append(_("账号或密码不正确。"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.home"))
