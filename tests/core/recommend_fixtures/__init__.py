"""Shared helpers for the recommendation tests: the real instrument and catalogues, hand-built contexts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from diagnosis.core.context import Context
from diagnosis.core.loader import load_instrument
from diagnosis.core.questionnaire import Instrument
from diagnosis.core.recommend import Catalogues, load_catalogues
from diagnosis.core.recommend.triggered import recommend_candidates

ROOT = Path(__file__).resolve().parents[3] / "questionnaires"


@lru_cache(maxsize=1)
def real_instrument() -> Instrument:
    instrument, problems = load_instrument(ROOT / "instruments" / "district-diagnosis", ROOT)
    assert instrument is not None and not problems, problems
    return instrument


@lru_cache(maxsize=1)
def real_catalogues() -> Catalogues:
    catalogues, problems = load_catalogues(ROOT, real_instrument())
    assert catalogues is not None and not problems, [str(p) for p in problems]
    return catalogues


def context(answers: dict | None = None, facts: dict | None = None, tags: list[str] | None = None,
            scores: dict | None = None, **profile: Any) -> Context:
    return Context(answers=answers or {}, facts=facts or {},
                   profile={"industry_tags": tags or [], **profile}, scores=scores or {})


def triggered(ctx: Context, catalogues: Catalogues | None = None) -> dict[str, dict]:
    """The 5G scenario and action recommendations for `ctx`, by id."""
    catalogues = catalogues or real_catalogues()
    out: list[dict] = []
    recommend_candidates(catalogues.scenarios, ctx, ctx.profile["industry_tags"], out)
    recommend_candidates(catalogues.actions, ctx, ctx.profile["industry_tags"], out)
    return {rec["id"]: rec for rec in out}
