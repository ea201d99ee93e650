"""The app's questionnaire bundle (loaded once, at app creation) and what the web reads from it for
an assessment: its pinned instrument, its company's profile, its diagnosis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app

from diagnosis.core.bundle import Bundle, load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.core.problems import QuestionnaireError


class PinnedVersionMissing(LookupError):
    """The assessment was answered under a questionnaire version this server no longer loads."""


def init_bundle(app: Flask) -> None:
    """Load the bundle under the QUESTIONNAIRES_DIR setting, so a broken tree stops the start.

    It stops it as `flask questionnaires check` would: every problem as a `file: path: reason` line
    and exit status 1, whatever the command (the CLI creates the app before running any command)."""
    root = Path(app.config["QUESTIONNAIRES_DIR"])
    try:
        app.extensions["bundle"] = load_bundle(root)
    except QuestionnaireError as error:
        raise SystemExit(f"{error}\n{len(error.problems)} problem(s) in {root}") from None


def current_bundle() -> Bundle:
    """The bundle this app serves: the one answer to "which questionnaires?"."""
    return current_app.extensions["bundle"]


def instrument_for(assessment, bundle: Bundle):
    """The instrument the assessment pinned, refusing a different version of the same id."""
    instrument = bundle.instruments.get(assessment.questionnaire_id)
    if instrument is None or str(instrument.version) != assessment.questionnaire_version:
        raise PinnedVersionMissing(f"{assessment.questionnaire_id} {assessment.questionnaire_version}")
    return instrument


def profile_for(company, bundle: Bundle) -> dict[str, Any]:
    """The company's engine profile: its stored fields, enriched with the bundle's industry tags."""
    return bundle.profile(company.profile)


def diagnose_for(assessment, answers: dict[str, Any], bundle: Bundle) -> dict:
    """The engine's result for the assessment's company answers under its pinned instrument."""
    instrument_for(assessment, bundle)
    return diagnose(bundle, answers, profile_for(assessment.company, bundle),
                    instrument_id=assessment.questionnaire_id)
