"""JSON errors for everything under /api, and the HTML error pages everywhere else.

The app is an APIFlask with ``json_errors=False``: its HTML pages keep their error pages, and the
handlers installed here look at the path; API errors take the shape of diagnosis/api/problems.py. A
405 keeps its ``Allow`` header, a 401 says ``WWW-Authenticate: Bearer``; a 413 on an upload route
names its file field.
"""

from __future__ import annotations

import time
from typing import Any

from apiflask import APIFlask
from apiflask.exceptions import HTTPError
from flask import request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from diagnosis.store.db import session
from diagnosis.web.extensions import limiter
from diagnosis.web.guards import UPLOADS
from diagnosis.web.wiring import ERROR_MESSAGES, error_message, render_error

from .problems import API_REASONS, ERROR_SCHEMA, Refused, error_response, one_error

API_PREFIX = "/api/"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def retry_after() -> int:
    """Seconds until the token's rate-limit window ends (Flask-Limiter's current limit)."""
    limit = limiter.current_limit
    return max(1, int(limit.reset_at - time.time())) if limit is not None else 60


def _reason(error: HTTPException) -> Any:
    code = error.code or 500
    if isinstance(error, Refused):
        return error.reason
    if code in API_REASONS:
        return API_REASONS[code]
    return error_message(error) if code in ERROR_MESSAGES else error.description


def api_error(error: HTTPException) -> Response:
    """A werkzeug error (routing, abort(), body too large, a bad JSON body) as JSON."""
    if isinstance(error, InternalServerError):
        session.rollback()
    headers = list(error.get_headers())
    if error.code == 401:
        headers.append(("WWW-Authenticate", 'Bearer realm="api"'))
    if error.code == 429:
        headers.append(("Retry-After", str(retry_after())))
    return one_error(error.code or 500, _reason(error), _field(error), headers)


def _field(error: HTTPException) -> str | None:
    if isinstance(error, Refused):
        return error.field
    upload = UPLOADS.get(request.endpoint or "")
    return f"files.{upload.field}" if error.code == 413 and upload is not None else None


def validation_errors(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """APIFlask's ``{location: {"a.b": [messages]}}`` as one entry per field and message."""
    found: list[dict[str, Any]] = []
    for location, fields in (detail or {}).items():
        for path, messages in (fields or {}).items():
            field = location if path in ("", "_schema") else f"{location}.{path}"
            found.extend({"field": field, "reason": message} for message in messages)
    return found


def http_error(error: HTTPError) -> Response:
    """APIFlask's own errors (input validation, apiflask.abort) in the same shape."""
    errors = validation_errors(error.detail) if isinstance(error.detail, dict) else []
    if not errors:
        errors = [{"field": None, "reason": str(error.message)}]
    return error_response(error.status_code, errors, list(dict(error.headers or {}).items()))


def dispatch(error: HTTPException) -> Any:
    """JSON under /api, the HTML error page elsewhere (the page for the codes it knows)."""
    if is_api_request():
        return api_error(error)
    if (error.code or 500) in ERROR_MESSAGES:
        return render_error(error)
    return error


def init_errors(app: APIFlask) -> None:
    """Install the path-aware handlers over the HTML ones (call after the web wiring). APIFlask's
    error_processor also installs a handler for every HTTPException: it comes first, and is replaced."""
    app.error_processor(http_error)
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, dispatch)
    app.register_error_handler(HTTPException, dispatch)
    app.config["VALIDATION_ERROR_SCHEMA"] = ERROR_SCHEMA
    app.config["HTTP_ERROR_SCHEMA"] = ERROR_SCHEMA


