"""The officials' pipeline: the dashboard, the list behind every number, yearly targets, the 调度表
and the 月度通报."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")
