"""The provider's work list: the companies assigned to its organisation, with their review state."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("worklist", __name__, url_prefix="/work")
