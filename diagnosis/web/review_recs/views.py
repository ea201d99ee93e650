"""The provider's edits of the engine's recommendations: keep, dismiss, change priority or phase, add."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review_recs", __name__, url_prefix="/reviews")
