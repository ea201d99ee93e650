"""Interface language: the user's stored choice, else the session's, else the platform default."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

bp = Blueprint("i18n", __name__)

#: Names shown in the language switch, each in its own language.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The interface language as configured ("zh_CN" or "en"). Prefer this to str(get_locale()), which
    Babel spells "zh_Hans_CN". Worked out once per request and kept on flask.g: a page asks for
    every question it shows."""
    if "interface_language" not in g:
        g.interface_language = select_locale()
    return g.interface_language


def is_local_path(target: str) -> bool:
    """A path on this site. Browsers read a backslash as a slash and drop tabs and newlines inside
    a URL, so "/" + backslash + "evil.example" or "/" + tab + "/evil.example" lead to another site:
    any control character or backslash is refused (CR/LF would also break the Location header)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str:
    """A same-site path to return to; anything else falls back to the home page."""
    return target if target and is_local_path(target) else url_for("auth.home")


@bp.post("/language")
def set_language() -> Response:
    """Switch language (a POST form in the header, CSRF-protected); stored per user when logged in."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
    return redirect(safe_next(request.form.get("next")))
