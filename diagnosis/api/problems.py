"""The API's error shape, and the refusal views raise (no web imports: every API module uses it).

Every API error is::

    {"status": 422, "errors": [{"field": "json.name", "reason": "..."}]}

``field`` is the path of the input at fault (``json.a.b``, ``query.year``, ``path.company_id``,
``header.Authorization``), or null when the whole request is refused (404, 405, 500).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

#: Reasons for the errors the API raises itself or that come from routing; others keep their own.
API_REASONS = {
    401: _l("缺少有效的 API 令牌（Authorization: Bearer …），或令牌已撤销、已过期。"),
    403: _l("此令牌的用户无权执行此操作。"),
    404: _l("资源不存在，或您无权查看。"),
    405: _l("此地址不支持该请求方法。"),
    413: _l("请求体过大。"),
    429: _l("请求过于频繁，请稍后再试。"),
    500: _l("服务器出错了，请稍后再试。"),
}


def error_response(status: int, errors: list[dict[str, Any]], headers: Any = None) -> Response:
    """The one shape of an API error."""
    response = jsonify({"status": status, "errors": errors})
    response.status_code = status
    for name, value in headers or []:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def one_error(status: int, reason: Any, field: str | None = None, headers: Any = None) -> Response:
    return error_response(status, [{"field": field, "reason": str(reason)}], headers)


class Refused(HTTPException):
    """An API refusal with its status, reason and the field at fault (raise it from a view)."""

    def __init__(self, status: int, reason: Any, field: str | None = None) -> None:
        super().__init__(description=str(reason))
        self.code = status
        self.reason = reason
        self.field = field



#: The OpenAPI schema of every error response.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status", "errors"],
    "properties": {
        "status": {"type": "integer"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "reason"],
            "properties": {"field": {"type": ["string", "null"]}, "reason": {"type": "string"}}}},
    },
}
