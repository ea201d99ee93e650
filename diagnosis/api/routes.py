"""The API's blueprint with every resource's routes, and the tokens page (both registered by
diagnosis/web/__init__.py)."""

from __future__ import annotations

from . import (  # noqa: F401 - they add their routes
    assessments,
    companies,
    docs,
    evidence,
    pipeline,
    projects,
    results,
    reviews,
    roster,
)
from .blueprint import bp
from .tokens_page import bp as tokens_page_bp

__all__ = ["bp", "tokens_page_bp"]
