"""Stored results for the comparison tests: a company's assessments, each submitted with a snapshot
of known figures (and, when asked, a verified one), made on a given day."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from diagnosis.store import assessments as store
from tests.web.assess_helpers import example_result, new_assessment

HEADING = "与上次诊断对比"


def scored(points: float, dimensions: tuple[float, float, float], sme_level: int, cmmm_level: int,
           overall: float) -> dict:
    """The example's result with the figures the comparison reads set to known values."""
    result = copy.deepcopy(example_result())
    result["sme"].update(points=points, level=sme_level)
    for dimension, value in zip(result["sme"]["dimensions"], dimensions, strict=True):
        dimension["points"] = value
    result["cmmm"].update(level=cmmm_level, overall=overall)
    return result


BEFORE = scored(60.0, (35.0, 10.0, 15.0), 2, 1, 1.6)
AFTER = scored(72.5, (39.5, 14.5, 18.5), 3, 2, 2.51)
VERIFIED_BEFORE = scored(58.25, (34.0, 9.25, 15.0), 2, 1, 1.7)


def submitted(db_session, company, result: dict, on: datetime, verified: dict | None = None):
    """A submitted assessment of ``company`` made on ``on`` with its self snapshot (and, when given,
    a verified snapshot a day later)."""
    assessment = new_assessment(db_session, company)
    assessment.created_at = on
    snapshot = store.add_snapshot(db_session, assessment, result)
    snapshot.created_at = on
    store.change_status(db_session, assessment, "submitted", None)
    if verified is not None:
        checked = store.add_snapshot(db_session, assessment, verified, kind="verified")
        checked.created_at = on + timedelta(days=1)
        store.change_status(db_session, assessment, "verified", None)
    db_session.flush()
    return assessment
