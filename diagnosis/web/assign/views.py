"""Assigning companies to provider organisations (officials, admins) and diagnosticians with a visit date (the organisation's lead)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assign", __name__, url_prefix="/assignments")
