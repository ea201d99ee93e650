"""Provider quality for officials and admins: sign-offs, time to sign-off, adjustments, disputes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quality", __name__, url_prefix="/quality")
