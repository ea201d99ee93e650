"""Every catalogue trigger against the questionnaire's visibility: a recommendation that reads only
questions hidden by other answers (or by the industry) could never fire.

Seeded random answer sets per industry, with hidden answers dropped as the engine drops them:
each 5G scenario and action must fire for some company of an industry it fits, and every question
its trigger reads must be shown to some company of an industry it fits."""

from __future__ import annotations

import random
from functools import lru_cache

from diagnosis.core.answers import validate_answers
from diagnosis.core.bundle import load_bundle
from diagnosis.core.context import Context
from diagnosis.core.facts import compute_facts
from tests.core.golden_files import random_value
from tests.core.recommend_fixtures import real_catalogues

CODES = {"furniture": "2110", "panels": "2021", "chemicals": "2614", "cement": "3011", "copper": "3251",
         "glass": "3041", "down": "1941", "lighting": "3872"}
SAMPLES = 400


@lru_cache(maxsize=1)
def samples() -> dict[str, list[tuple[Context, frozenset[str]]]]:
    """Per industry tag: contexts of random companies and the questions each was shown."""
    bundle = load_bundle()
    instrument = bundle.active_instrument()
    questions = sorted(instrument.questions(), key=lambda question: question.id)
    rng = random.Random(20261203)
    out: dict[str, list[tuple[Context, frozenset[str]]]] = {}
    for tag, code in CODES.items():
        out[tag] = []
        for _ in range(SAMPLES):
            answers = {q.id: random_value(q, rng) for q in questions if rng.random() < 0.9}
            answers["robots_in_use"] = rng.randint(0, 20)  # a district company, not 0-5000
            profile = bundle.profile({"industry_code": code, "employees": rng.randint(20, 2000),
                                      "above_designated_size": rng.random() < 0.6})
            check = validate_answers(instrument, answers, profile)
            facts = compute_facts(instrument, check.values, profile)
            shown = frozenset(q.id for q in questions) - check.not_shown
            out[tag].append((Context(check.values, facts, profile, {}), shown))
    return out


def candidates():
    catalogues = real_catalogues()
    return catalogues.scenarios.candidates + catalogues.actions.candidates


def fitting_tags(candidate) -> list[str]:
    return sorted(CODES) if candidate.fit is None else sorted(tag for tag in candidate.fit if tag in CODES)


def test_every_trigger_can_fire_for_an_industry_it_fits():
    never = [candidate.rec_id for candidate in candidates()
             if not any(candidate.trigger.holds(ctx) and candidate.applies(ctx)
                        for tag in fitting_tags(candidate) for ctx, _ in samples()[tag])]
    assert never == []


def test_every_question_a_trigger_reads_is_shown_to_an_industry_it_fits():
    dead = []
    for candidate in candidates():
        for leaf in candidate.trigger.leaves():
            if leaf.source != "answer":
                continue
            if not any(leaf.ref in shown for tag in fitting_tags(candidate) for _, shown in samples()[tag]):
                dead.append((candidate.rec_id, leaf.ref))
    assert dead == []
