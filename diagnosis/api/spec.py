"""The OpenAPI document's settings and the processor that finishes it: only /api/v1 is documented
(the HTML pages are not an API), bearer authentication on every operation, the errors every
operation may answer, and ``requestBody.required`` (APIFlask leaves it unset)."""

from __future__ import annotations

from typing import Any

from apiflask import APIFlask

from diagnosis.web.bundle import current_bundle
from diagnosis.web.guards import DATABASE_ID_MAX

from .problems import ERROR_SCHEMA

PREFIX = "/api/v1"
SECURITY = {"bearerAuth": {
    "type": "http", "scheme": "bearer",
    "description": "A token made on /account/tokens, sent as `Authorization: Bearer …`."}}
#: Errors any operation may answer, besides those it documents itself.
COMMON_ERRORS = {
    "400": "The body is not JSON, or the request carries a NUL character",
    "401": "No usable token",
    "405": "The method is not allowed here (Allow lists those that are)",
    "413": "The body is over the limit",
    "429": "Too many requests for this token (Retry-After says when the window ends)",
}
DESCRIPTION = """\
The platform's JSON API. Every request carries `Authorization: Bearer <token>`; a token acts as its
user, with that user's role and scope: it sees exactly what the user sees in the pages.

Errors are `{"status": <code>, "errors": [{"field": "json.name", "reason": "..."}]}`; `field` is
null when the whole request is refused. Another company's resource answers 404, as one that does
not exist. Lists are pages (`?page=&per_page=`, at most 500) in a stable order, with `total`.
Result snapshots and report PDFs have ETags (`If-None-Match` answers 304). Creating POSTs take an
`Idempotency-Key` header. Each token may make `API_RATE_LIMIT` requests (default 600 a minute).
"""


def configure(app: APIFlask) -> None:
    app.config.setdefault("API_RATE_LIMIT", "600 per minute")
    app.config.setdefault("API_MAX_BODY_BYTES", 256 * 1024)
    app.config["DESCRIPTION"] = DESCRIPTION
    app.config["SECURITY_SCHEMES"] = SECURITY
    app.config["AUTO_SERVERS"] = False
    app.spec_processor(finish)
    for blueprint in app.blueprints.values():
        # APIFlask reads this flag on every blueprint with a before_request function, plain Flask
        # blueprints (the pages) included, and fails on theirs: they are not documented.
        if not hasattr(blueprint, "enable_openapi"):
            blueprint.enable_openapi = False  # type: ignore[attr-defined]


def _operations(spec: dict[str, Any]) -> Any:
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                yield operation


def _bounded_ids(operation: dict[str, Any]) -> None:
    """A whole number in the path is a database id (or a year): the id converter matches 0 to
    DATABASE_ID_MAX only (diagnosis/web/guards.py)."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
            parameter["schema"].update(minimum=0, maximum=DATABASE_ID_MAX)


def _industry_tags(operation: dict[str, Any]) -> None:
    """The ``tag`` filter takes the industry tags of the questionnaire bundle the app serves."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == "tag":
            tags = sorted(current_bundle().industries.tag_labels)
            parameter["schema"] = {"anyOf": [{"type": "string", "enum": tags}, {"type": "null"}],
                                   "default": None, "description": parameter["schema"].get("description", "")}


def finish(spec: Any) -> Any:
    """The spec as a dict (SPEC_PROCESSOR_PASS_OBJECT is off)."""
    spec["paths"] = {path: item for path, item in spec["paths"].items() if path.startswith(PREFIX)}
    spec["tags"] = [tag for tag in spec.get("tags", []) if tag.get("name") == "API"]
    spec["security"] = [{"bearerAuth": []}]
    spec.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operation in _operations(spec):
        _bounded_ids(operation)
        _industry_tags(operation)
        if "requestBody" in operation:
            operation["requestBody"]["required"] = True
        responses = operation.setdefault("responses", {})
        for code, description in COMMON_ERRORS.items():
            if code == "413" and "requestBody" not in operation:
                continue
            responses.setdefault(code, {"description": description, **error})
    return spec
