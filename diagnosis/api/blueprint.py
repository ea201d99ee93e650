"""The /api/v1 blueprint and what every request to it passes first: the body limit, a JSON body that
parses, the bearer token (401 without a usable one) and the rate limit per token.

The routes that take files (diagnosis/web/guards.py ``UPLOADS``: the roster, review evidence) take a
multipart body instead of JSON, with that upload's body limit, as their pages do.

The token's user becomes Flask-Login's current user for the request, so the API decides access with
the very functions the pages use (diagnosis/web/access.py and the features' ``can_*``). A session
cookie is never read here: the API is exempt from CSRF, so a cookie must not authenticate it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from apiflask import APIBlueprint
from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import BadRequest

from diagnosis.store import tokens
from diagnosis.store.db import begin_write, session
from diagnosis.web.extensions import csrf, limiter
from diagnosis.web.guards import UPLOADS

from .problems import Refused

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", tag="API")
csrf.exempt(bp)

#: Endpoints anyone may open: the docs page (the OpenAPI document is served by APIFlask's own view).
PUBLIC_ENDPOINTS = {"api.docs"}
BODY_METHODS = ("POST", "PUT", "PATCH")


def bearer_value() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def rate_key() -> str:
    """The rate limit's bucket: the token (its hash; no database read), else the address."""
    value = bearer_value()
    if value is None:
        return f"api-address:{get_remote_address()}"
    return "api-token:" + hashlib.sha256(value.encode()).hexdigest()


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)


@bp.url_value_preprocessor
def body_limit(endpoint: str | None, _values: Any) -> None:
    """The API's own body limit, set before anything reads the body (413 beyond it); an upload
    route keeps the limit the app's preprocessor set for it (it runs first)."""
    if endpoint not in UPLOADS:
        request.max_content_length = current_app.config["API_MAX_BODY_BYTES"]


@bp.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    value = bearer_value()
    now = datetime.now(UTC)
    token = tokens.authenticate(session(), value, now) if value else None
    if token is None:
        raise Refused(401, _l("缺少有效的 API 令牌（Authorization: Bearer …），或令牌已撤销、已过期。"),
                      "header.Authorization")
    if tokens.needs_touch(token, now):
        touch(token.id, now)
    g._login_user = token.user
    g.api_token_id = token.id


def touch(token_id: int, now: datetime) -> None:
    """Record the day the token was used. A GET's transaction has only read the token so far: it is
    ended and a writer's begun (SQLite refuses a reader that turns writer while another writes)."""
    session.commit()
    begin_write()
    tokens.touch(session(), token_id, now)


@bp.before_request
def parse_body() -> None:
    """A body that is not JSON is refused here with its reason (a deeply nested one too: decoding
    it raises RecursionError, which must not become a 500). No body at all is left to the route:
    one that takes a body refuses it there. An upload route's multipart body is read as a form."""
    if request.method not in BODY_METHODS or request.endpoint in UPLOADS or not request.get_data():
        return
    try:
        request.get_json(force=True)
    except (BadRequest, RecursionError, UnicodeDecodeError) as error:
        raise Refused(400, _l("请求体须是有效的 JSON。"), "json") from error


@bp.before_request
def single_query_values() -> None:
    """Every query argument takes one value: a repeated one is refused, not read as its first."""
    for name, values in request.args.lists():
        if len(values) > 1:
            raise Refused(422, _l("此参数只能出现一次。"), f"query.{name}")
