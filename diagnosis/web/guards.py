"""Input no view has to handle: refused before any view sees it, in one place for every route.

- An id in the URL is a primary key: `DatabaseIdConverter` replaces the app's "int" converter, so an
  id outside the database's integer range (or written with digits other than ASCII 0-9) matches no
  route and answers 404, as an absent row does, instead of failing in the database driver.
- NUL in any text the request carries (form values, query arguments and their names, URL segments,
  a JSON body) is refused with 400 by `refuse_unstorable_input`. PostgreSQL cannot store or even
  compare NUL in text (the driver raises before the query is sent), and no legitimate input holds
  one; refusing it at the request boundary covers every field of every view, including those that
  read `request.form` directly (the autosave), where a WTForms filter would not reach.
- A file where text is expected is refused the same way: a file in a text field reaches WTForms and
  the views as an object they do not expect. The routes that take uploads are listed in `UPLOADS`
  (endpoint → the one field that may carry files, and the setting of that route's body limit); a
  file in any other field, or sent to any other route, is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

#: The largest primary key: PostgreSQL's INTEGER (every id column); SQLite's is wider (2^63 - 1), and
#: one bound for both keeps a URL's meaning the same on either database.
DATABASE_ID_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` for database ids: ASCII digits only (Python's `\\d` also takes "１２"), at most
    DATABASE_ID_MAX unless the rule says otherwise."""

    regex = r"[0-9]+"

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = DATABASE_ID_MAX, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Upload(NamedTuple):
    field: str
    #: The config key of the route's request-body limit, used instead of MAX_CONTENT_LENGTH.
    limit_setting: str


#: The only routes that take files.
UPLOADS = {"evidence.upload": Upload("files", "EVIDENCE_MAX_REQUEST_BYTES"),
           "projects.progress": Upload("files", "EVIDENCE_MAX_REQUEST_BYTES"),
           "projects.recognise": Upload("files", "EVIDENCE_MAX_REQUEST_BYTES"),
           "roster.upload": Upload("file", "MAX_CONTENT_LENGTH"),
           "api.upload_evidence": Upload("files", "EVIDENCE_MAX_REQUEST_BYTES"),
           "api.import_roster": Upload("file", "MAX_CONTENT_LENGTH")}


class UnstorableInput(BadRequest):
    """A request carrying a NUL character or a file: refused with a message saying so."""

    description = _l("提交的内容含有不允许的字符（空字符 NUL）或文件，请删除后重试。")


def request_strings() -> Iterable[str]:
    """The text of the request that reaches views: names and values of the query and the form, and
    the URL's arguments."""
    for multidict in (request.args, request.form):
        for name, values in multidict.lists():
            yield name
            yield from values
    yield from (value for value in (request.view_args or {}).values() if isinstance(value, str))


def json_has_nul() -> bool:
    """A JSON body spells NUL as an escape (or carries the byte). Searched in the text rather than
    parsed: decoding a deeply nested body raises RecursionError, which would itself be a 500."""
    if not request.is_json:
        return False
    body = request.get_data(as_text=True)
    return "\x00" in body or "\\u0000" in body.lower()


def upload_body_limit(endpoint: str | None, _values: Any) -> None:
    """url_value_preprocessor: an upload route's own body limit. It must be set before anything
    reads the form, and URL value preprocessors run before every before_request function (CSRF
    protection's among them, which reads the form first)."""
    upload = UPLOADS.get(endpoint or "")
    if upload is not None:
        request.max_content_length = current_app.config[upload.limit_setting]


def unexpected_files() -> bool:
    """A file anywhere but in the upload field of a route that takes uploads."""
    upload = UPLOADS.get(request.endpoint or "")
    return any(upload is None or name != upload.field for name in request.files)


def refuse_unstorable_input() -> None:
    """before_request: 400 for NUL anywhere in the request's text, or for a file where none is taken."""
    if unexpected_files() or json_has_nul() or any("\x00" in text for text in request_strings()):
        raise UnstorableInput()


def init_guards(app: Any) -> None:
    """Install the id converter (before any rule is added), the upload limit and the input check."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_value_preprocessor(upload_body_limit)
    app.before_request(refuse_unstorable_input)
