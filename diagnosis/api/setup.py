"""What the API installs app-wide (called by the app factory after the web wiring)."""

from __future__ import annotations

from apiflask import APIFlask

from .errors import init_errors
from .spec import configure


def init_api(app: APIFlask) -> None:
    """The API's error handlers replace the HTML ones under /api; the OpenAPI settings."""
    configure(app)
    init_errors(app)
