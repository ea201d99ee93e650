"""The web layer's door to the engine: the loaded bundle, an assessment's pinned instrument and profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose

QUESTIONNAIRES_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


class PinnedVersionMissing(LookupError):
    """The assessment was answered under a questionnaire version this server no longer loads."""


def current_bundle():
    """The bundle under ``QUESTIONNAIRES_DIR`` (config), loaded once per path by ``load_bundle``."""
    return load_bundle(current_app.config.get("QUESTIONNAIRES_DIR", QUESTIONNAIRES_DIR))


def instrument_for(assessment, bundle=None):
    """The instrument the assessment pinned, refusing a different version of the same id."""
    bundle = bundle or current_bundle()
    instrument = bundle.instruments.get(assessment.questionnaire_id)
    if instrument is None or str(instrument.version) != assessment.questionnaire_version:
        raise PinnedVersionMissing(f"{assessment.questionnaire_id} {assessment.questionnaire_version}")
    return instrument


def profile_for(company, bundle=None) -> dict[str, Any]:
    """The company's engine profile, its industry tags read from the same bundle."""
    bundle = bundle or current_bundle()
    return company.profile(bundle.industries)


def diagnose_for(assessment, answers: dict[str, Any], bundle=None) -> dict:
    """The engine's result for the assessment's company answers under its pinned instrument."""
    bundle = bundle or current_bundle()
    instrument_for(assessment, bundle)
    return diagnose(bundle, answers, profile_for(assessment.company, bundle),
                    instrument_id=assessment.questionnaire_id)
