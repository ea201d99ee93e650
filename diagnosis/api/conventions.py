"""The API's conventions: ETags on what never changes once written, and idempotency keys on the POSTs
that create something.

**Idempotency.** A creating POST may carry ``Idempotency-Key`` (1–200 printable characters). The
first response with a 2xx status is kept under (user, key) with a hash of the request; a retry with
the same key and the same request gets that response again, marked ``Idempotent-Replayed: true``,
and creates nothing; the same key with another request is refused (422). Two requests racing with
one key: the second is refused (409) and saves nothing. A multipart upload is the same request when
its form values and files (names and contents) are: its boundary differs from one send to the next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from diagnosis.store import tokens
from diagnosis.store.db import session

from .problems import Refused

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
HASH_CHUNK = 1024 * 1024


def conditional(response: Response, etag: str) -> Response:
    """Tag the response and answer 304 when the client's If-None-Match has that tag."""
    response.set_etag(etag)
    return response.make_conditional(request)


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise Refused(422, _l("Idempotency-Key 须为 1 至 200 个可打印字符。"), f"header.{HEADER}")
    return key


def _request_hash() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.mimetype == "multipart/form-data":
        _add_multipart(digest)
    else:
        digest.update(request.get_data())
    return digest.hexdigest()


def _add_multipart(digest: Any) -> None:
    """The form's values and the files' names and contents (read in chunks, then rewound)."""
    for name, value in sorted(request.form.items(multi=True)):
        digest.update(f"form {len(name)}:{name} {len(value)}:{value}\n".encode())
    for name, upload in request.files.items(multi=True):
        digest.update(f"file {len(name)}:{name} {len(upload.filename or '')}:{upload.filename}\n".encode())
        stream = upload.stream
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
        stream.seek(0)
        digest.update(b"\n")


def _replay(stored: tokens.ApiIdempotencyKey) -> Response:
    response = current_app.response_class(stored.body, status=stored.status, mimetype="application/json")
    response.headers[REPLAYED] = "true"
    return response


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Keep the view's 2xx response under the request's Idempotency-Key, and replay it."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        digest = _request_hash()
        stored = tokens.stored_response(session(), current_user, key)
        if stored is not None:
            if stored.request_hash != digest:
                raise Refused(422, _l("此 Idempotency-Key 已用于另一请求。"), f"header.{HEADER}")
            return _replay(stored)
        response = current_app.make_response(view(*args, **kwargs))
        if 200 <= response.status_code < 300:
            _keep(key, digest, response)
        return response

    return wrapped


def _keep(key: str, digest: str, response: Response) -> None:
    body = response.get_data(as_text=True)
    try:
        with session.begin_nested():
            tokens.store_response(session(), current_user, key, digest, response.status_code, body)
    except IntegrityError as error:
        raise Refused(409, _l("使用同一 Idempotency-Key 的另一请求正在处理，请稍后重试。"),
                      f"header.{HEADER}") from error
