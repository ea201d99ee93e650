"""The application factory: a table of contents of the platform's wiring. No I/O beyond reading the
config and loading the questionnaire bundle (a broken tree stops the start, not the first request)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apiflask import APIFlask
from flask import Flask

from diagnosis.api.setup import init_api
from diagnosis.cli import init_cli
from diagnosis.config import load_config
from diagnosis.store import db, load_models
from diagnosis.web.bundle import init_bundle
from diagnosis.web.wiring import init_extensions, init_web


def create_app(config_override: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app.

    :param config_override: settings applied last, over defaults, instance/config.py and the environment
    """
    # APIFlask (a Flask subclass) for the JSON API's OpenAPI document; the pages keep their HTML errors
    # (json_errors=False), diagnosis/api/errors.py answers JSON under /api only.
    app = APIFlask(__name__, instance_relative_config=True, title="智改数转诊断平台 API", version="1",
                   spec_path="/api/v1/openapi.json", docs_path=None, json_errors=False)
    app.config.update(load_config(Path(app.instance_path), config_override))
    init_bundle(app)
    load_models()
    db.init_app(app)
    init_extensions(app)
    init_web(app)
    init_api(app)
    init_cli(app)
    return app
