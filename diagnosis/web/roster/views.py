"""The roster import page: the district's list of companies, checked row by row."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("roster", __name__, url_prefix="/roster")
