"""Evidence files attached to questions: upload (provider on site, company in a round), download as attachment, remove."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evidence", __name__)
