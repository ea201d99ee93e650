"""Projects (立项): a company or its provider turns a recommendation into a project and reports its
monthly progress; an official records its acceptance or recognition."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("projects", __name__)
