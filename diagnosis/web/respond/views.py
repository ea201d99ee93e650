"""The company's side of the review: answering a round sent back for evidence, confirming or disputing the verified report."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respond", __name__, url_prefix="/responses")
