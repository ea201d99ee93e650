"""The docs page: Swagger UI, vendored under static/vendor, on the OpenAPI document."""

from __future__ import annotations

from flask import render_template

from .blueprint import bp


@bp.get("/docs")
@bp.doc(hide=True)
def docs() -> str:
    return render_template("api/docs.html")
