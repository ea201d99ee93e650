"""Downloads for officials: the monthly 调度表 (run in the background queue with a progress bar) and
the 月度通报 PDF."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")
