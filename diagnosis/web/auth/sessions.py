"""Starting and ending logins: fresh session data at login, every session of a user ended at once."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_login import login_user, logout_user

from diagnosis.store.accounts import User

#: Session data that survives a login: the interface language chosen before it.
KEPT_AT_LOGIN = ("locale",)


def start_session(user: User, remember: bool = False) -> None:
    """Log `user` in with new session data: the CSRF token (and anything else) from before the login
    is dropped, so a token seen by someone else before the login is useless after it."""
    kept = {key: session[key] for key in KEPT_AT_LOGIN if key in session}
    session.clear()
    session.update(kept)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    login_user(user, remember=remember)


def has_remember_cookie() -> bool:
    return bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")))


def end_every_session(user: User) -> None:
    """Log out here, and end the user's sessions and remember-me cookies everywhere else."""
    user.end_sessions()
    logout_user()


def restart_session(user: User) -> None:
    """After a password change: other sessions end, this one goes on under the new generation."""
    remember = has_remember_cookie()
    user.end_sessions()
    start_session(user, remember=remember)


def client_address() -> str:
    """The client's address as the throttle keys it (after ProxyFix, when PROXY_FIX_X_FOR is set)."""
    return (request.remote_addr or "")[:64]
