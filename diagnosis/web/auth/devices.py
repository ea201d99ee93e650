"""Known-device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies").

A successful login sets a signed cookie naming the account (by a keyed hash, so the cookie does not
show the e-mail) with a fresh random nonce. Later attempts on that account from that browser are
counted by the nonce alone, so an attacker elsewhere cannot slow the owner down. One cookie holds the
last few accounts used in the browser; it expires on the server after LOGIN_DEVICE_COOKIE_DURATION.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

#: Accounts one browser is remembered for (a shared office computer).
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _tag(account: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"known-device:" + account.encode(), hashlib.sha256).hexdigest()[:32]


def _entries() -> dict[str, str]:
    """Account tag → nonce, from the request's cookie; nothing when it is absent, forged or too old."""
    config = current_app.config
    value = request.cookies.get(config["LOGIN_DEVICE_COOKIE_NAME"])
    if not value:
        return {}
    try:
        max_age = int(config["LOGIN_DEVICE_COOKIE_DURATION"].total_seconds())
        entries = _serializer().loads(value, max_age=max_age)
    except BadData:
        return {}
    if not isinstance(entries, dict):
        return {}
    return {str(tag): str(nonce) for tag, nonce in entries.items()}


def known_device(account: str) -> str | None:
    """The nonce of this browser's known-device entry for `account`, if it has one."""
    return _entries().get(_tag(account))


def remember_device(response: Response, account: str) -> None:
    """Set the cookie with a new nonce for `account` (most recent last, oldest dropped)."""
    config = current_app.config
    entries = {tag: nonce for tag, nonce in _entries().items() if tag != _tag(account)}
    entries[_tag(account)] = secrets.token_urlsafe(16)
    kept = dict(list(entries.items())[-MAX_ACCOUNTS:])
    response.set_cookie(
        config["LOGIN_DEVICE_COOKIE_NAME"],
        _serializer().dumps(kept),
        max_age=config["LOGIN_DEVICE_COOKIE_DURATION"],
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
