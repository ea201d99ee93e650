"""Assessments' results and reports: the stored snapshot (docs/result-format.md) and the PDF.

Both are written once and never change (a new result is a new snapshot, a report is reproducible
from its snapshot), so both carry ETags and answer ``If-None-Match`` with 304.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import jsonify, send_file
from pydantic import BaseModel
from werkzeug.wrappers import Response

from diagnosis.store import assessments as store
from diagnosis.store.db import session
from diagnosis.web.access import company_for_user_or_404
from diagnosis.web.assess.views import visible_assessment_or_404
from diagnosis.web.reports import downloads
from reports.render import LANGUAGES

from .blueprint import bp
from .conventions import conditional
from .problems import API_REASONS, Refused
from .schemas import Moment, Query

PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


class AssessmentOut(BaseModel):
    id: int
    company_id: int
    questionnaire_id: str
    questionnaire_version: str
    status: str
    revision: int
    created_at: Moment
    submitted_at: Moment | None
    verified_at: Moment | None


class AssessmentList(BaseModel):
    items: list[AssessmentOut]


class SnapshotOut(BaseModel):
    assessment_id: int
    snapshot_id: int
    kind: str
    created_at: Moment
    #: The engine's result as stored (docs/result-format.md): ids, keys and numbers, no texts.
    result: dict[str, Any]


class ResultQuery(Query):
    kind: Literal["self", "verified"] | None = None


class ReportQuery(Query):
    lang: Literal[LANGUAGES] | None = None  # type: ignore[valid-type]


class ReportPending(BaseModel):
    state: Literal["pending"]
    retry_after: int


@bp.get("/companies/<int:company_id>/assessments")
@bp.output(AssessmentList)
@bp.doc(summary="A company's assessments, newest first", responses=[401, 404])
def company_assessments(company_id: int) -> AssessmentList:
    company = company_for_user_or_404(company_id)
    rows = store.assessments_of(session(), company.id)
    return AssessmentList(items=[AssessmentOut.model_validate(row, from_attributes=True) for row in rows])


@bp.get("/assessments/<int:assessment_id>/result")
@bp.input(ResultQuery, location="query")
@bp.output(SnapshotOut, description="The newest result snapshot (of `kind` when given)")
@bp.doc(summary="An assessment's result", responses={304: "Not modified (If-None-Match)",
                                                      401: "No usable token", 404: "Not found"})
def result(assessment_id: int, query_data: ResultQuery) -> Response:
    assessment = visible_assessment_or_404(assessment_id)
    snapshot = store.latest_snapshot(session(), assessment.id, query_data.kind)
    if snapshot is None:
        raise Refused(404, API_REASONS[404])
    body = SnapshotOut(assessment_id=assessment.id, snapshot_id=snapshot.id, kind=snapshot.kind,
                       created_at=snapshot.created_at, result=snapshot.result)
    return conditional(jsonify(body.model_dump(mode="json")), f"snapshot-{snapshot.id}")


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@bp.input(ReportQuery, location="query")
@bp.output(ReportPending, status_code=202, description="Being rendered: ask again after `retry_after` s")
@bp.doc(summary="An assessment's PDF report", responses={  # type: ignore[arg-type]
    200: {"description": "The PDF", "content": PDF}, 304: "Not modified (If-None-Match)",
    401: "No usable token", 404: "Not found", 503: "The render failed or the queue is down: ask again"})
def report(assessment_id: int, query_data: ReportQuery) -> Any:
    """The stored report; a report not rendered yet is asked for (202) as the page's download does."""
    lang = downloads.language_or_404(assessment_id, query_data.lang)
    wanted = downloads.prepare(assessment_id, lang)
    if wanted.path is not None:
        return send_file(wanted.path, mimetype="application/pdf", download_name=wanted.path.name,
                         conditional=True, etag=True)
    retry = downloads.POLL_SECONDS.get(wanted.state, 60)
    if wanted.state == "pending":
        return {"state": "pending", "retry_after": retry}, 202, {"Retry-After": str(retry)}
    status = 429 if wanted.state == "busy" else 503
    raise Refused(status, API_REASONS[429] if status == 429 else API_REASONS[500])
