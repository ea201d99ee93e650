"""Web wiring called by the app factory: extensions, blueprints, error pages, headers, template globals."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from diagnosis.store.db import session
from diagnosis.web import BLUEPRINTS
from diagnosis.web.extensions import babel, csrf, limiter, login_manager
from diagnosis.web.guards import UnstorableInput, init_guards
from diagnosis.web.i18n import LANGUAGE_NAMES, current_language, select_locale
from diagnosis.web.navigation import nav_for

#: Scripts and styles only from this site (vendored assets); inline styles stay allowed for SVG charts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
#: Sent in production only (development serves plain HTTP on loopback); no includeSubDomains: other
#: sites of the district's domain are not ours to move to HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"

ERROR_MESSAGES = {
    400: _l("请求无效。"),
    403: _l("您没有权限访问此页面。"),
    404: _l("页面不存在，或您无权查看。"),
    405: _l("不支持此操作。"),
    413: _l("上传的文件过大。"),
    429: _l("尝试次数过多，请稍后再试。"),
    500: _l("服务器出错了，请稍后再试。"),
}


def init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


#: The page sent when the error page itself cannot be rendered (the database is down, say). Fixed
#: text in both languages: the interface language comes from the user, who comes from the database.
FALLBACK_ERROR_PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>500</title></head><body>'
    "<h1>服务器出错了，请稍后再试。</h1><p lang=\"en\">Server error, please try again later.</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def error_message(error: HTTPException) -> Any:
    if isinstance(error, CSRFError):
        return _l("表单已过期或缺少安全令牌，请刷新页面后重试。")
    if isinstance(error, UnstorableInput):
        return error.description
    return ERROR_MESSAGES.get(error.code or 500, error.description)


def render_error(error: HTTPException) -> tuple[str, int]:
    """The error page, which must not fail itself. The request's transaction is rolled back first
    (an error response is rolled back anyway): after a failed statement PostgreSQL refuses every
    other one, and the page reads the current user for its navigation and language. If the page
    still cannot be rendered, the fixed one is sent; after_request adds the headers to either."""
    code = error.code or 500
    try:
        session.rollback()
        return render_template("error.html", code=code, message=error_message(error)), code
    except Exception:  # noqa: BLE001 - whatever broke the page, the client gets an answer
        current_app.logger.exception("The error page for %s failed; sending the fixed page", code)
        return FALLBACK_ERROR_PAGE, code


def security_headers(response: Any) -> Any:
    """Headers for every response. Pages are never stored by browsers or proxies: each carries the
    session's CSRF token and most show one company's data; only the public static files are cached."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["DIAGNOSIS_ENV"] == "production":
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def template_globals() -> dict[str, Any]:
    return {
        "language_names": LANGUAGE_NAMES,
        "current_locale": current_language(),
        "current_path": request.full_path.rstrip("?"),
        "nav_items": nav_for(current_user, request.endpoint),
    }


def init_web(app: Flask) -> None:
    proxies = app.config["PROXY_FIX_X_FOR"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    init_guards(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, render_error)
    app.after_request(security_headers)
    app.context_processor(template_globals)
