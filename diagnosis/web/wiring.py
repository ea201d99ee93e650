"""Web wiring called by the app factory: extensions, blueprints, error pages, headers, template globals."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from diagnosis.web import BLUEPRINTS
from diagnosis.web.extensions import babel, csrf, limiter, login_manager
from diagnosis.web.i18n import LANGUAGE_NAMES, current_language, select_locale
from diagnosis.web.navigation import nav_for

#: Scripts and styles only from this site (vendored assets); inline styles stay allowed for SVG charts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

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


def render_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    message = ERROR_MESSAGES.get(code, error.description)
    if isinstance(error, CSRFError):
        message = _l("表单已过期或缺少安全令牌，请刷新页面后重试。")
    return render_template("error.html", code=code, message=message), code


def security_headers(response: Any) -> Any:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
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
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, render_error)
    app.after_request(security_headers)
    app.context_processor(template_globals)
