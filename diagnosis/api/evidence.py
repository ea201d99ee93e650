"""The evidence on a reviewed question through the API: list, upload, download, scoped as the
review (diagnosis/api/reviews.py: the assigned diagnostician or the organisation's lead; 403 for a
colleague, 404 outside the organisation or for a question not in the questionnaire).

The upload is the review page's (diagnosis/web/evidence/views.py and diagnosis/evidence.py): the
multipart part ``files`` (one or more, at most EVIDENCE_MAX_FILES), each judged by its content and
size with the page's reasons, images re-encoded without metadata, stored once per content, audited.
Unlike the page, which keeps the good files beside a refused one, the API saves all or nothing: any
refused file is a 422 at ``files.files.<index>`` (its index among the parts sent) and nothing is
stored. A file whose content the question lists already is not added again; the answer names it
under ``already_listed``.
"""

from __future__ import annotations

from typing import Any, Literal

from apiflask.fields import UploadFile
from flask import url_for
from flask_login import current_user
from pydantic import BaseModel, Field

from diagnosis import evidence as files
from diagnosis.store import reviews
from diagnosis.store.assessments import Assessment
from diagnosis.store.db import get_session
from diagnosis.web.access import role_required
from diagnosis.web.evidence import views as pages
from diagnosis.web.review.views import reviewable_or_404

from .blueprint import bp
from .conventions import idempotent
from .problems import API_REASONS, Refused, error_response
from .schemas import Body, Moment

FIELD = "files.files"
#: What a download may be: the stored kinds (an image is stored as JPEG or PNG).
STORED_TYPES = sorted({kind.content_type for kind in files.KINDS.values()})


class EvidenceOut(BaseModel):
    id: int
    question_id: str
    name: str = Field(description="The name as uploaded (an image takes its stored format's extension)")
    content_type: str
    size: int
    source: Literal["verified", "company"] = Field(description="The provider's (on site) or the company's")
    uploaded_at: Moment
    download: str = Field(description="Its path under /api/v1")


class EvidenceList(BaseModel):
    items: list[EvidenceOut]


class UploadOut(EvidenceList):
    already_listed: list[str] = Field(description="Files sent whose content the question lists already")


class EvidenceIn(Body):
    files: list[UploadFile] = Field(description="JPEG, PNG or WebP photos, PDF, XLSX or DOCX documents "
                                                "(by content), each at most EVIDENCE_MAX_FILE_BYTES")


def evidence_out(item: reviews.Evidence) -> EvidenceOut:
    return EvidenceOut(id=item.id, question_id=item.question_id, name=item.original_name,
                       content_type=item.content_type, size=item.size, source=item.source,  # type: ignore[arg-type]
                       uploaded_at=item.uploaded_at,
                       download=url_for("api.download_evidence", assessment_id=item.assessment_id,
                                        evidence_id=item.id))


def listed(assessment: Assessment, question_id: str) -> list[EvidenceOut]:
    return [evidence_out(item) for item in reviews.evidence_for(get_session(), assessment.id, question_id)]


def reviewed_question_or_404(assessment_id: int, question_id: str, lock: bool = False) -> Assessment:
    assessment = reviewable_or_404(assessment_id, lock=lock)
    if pages.question_of(assessment, question_id) is None:
        raise Refused(404, API_REASONS[404])
    return assessment


@bp.get("/reviews/<int:assessment_id>/questions/<question_id>/evidence")
@role_required("provider")
@bp.output(EvidenceList)
@bp.doc(summary="The evidence on a reviewed question, oldest first", responses=[401, 403, 404])
def evidence_list(assessment_id: int, question_id: str) -> EvidenceList:
    return EvidenceList(items=listed(reviewed_question_or_404(assessment_id, question_id), question_id))


def checked_files(uploads: list[Any]) -> tuple[list[files.Checked], list[dict[str, Any]]]:
    """Each file sent judged as the page judges it: what to store, and each refusal at its index."""
    bounds = pages.limits()
    kept, errors = [], []
    for index, upload in enumerate(uploads):
        if not upload.filename:  # an empty file input: no file (pages.chosen_files)
            continue
        try:
            kept.append(files.check(upload.filename, files.read_limited(upload.stream, bounds), bounds))
        except files.Refused as refusal:
            reason = f"{files.display_name(upload.filename)} — {pages.refusal_text(refusal)}"
            errors.append({"field": f"{FIELD}.{index}", "reason": reason})
    return kept, errors


@bp.post("/reviews/<int:assessment_id>/questions/<question_id>/evidence")
@role_required("provider")
@idempotent
@bp.input(EvidenceIn, location="files")
@bp.output(UploadOut, status_code=201, description="Stored: the question's evidence now")
@bp.doc(summary="Attach evidence files to a reviewed question (all or nothing)", responses={  # type: ignore[arg-type]
    200: {"description": "Every file was listed already: nothing added",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UploadOut"}}}},
    401: "No usable token", 403: "Not this review's reviewer", 404: "Not found",
    409: "Signed off: the evidence cannot change",
    413: "The files together are over EVIDENCE_MAX_REQUEST_BYTES (`files.files`)",
    422: "No file, too many, or a file refused (`files.files.<index>`: its type, size or content)"})
def upload_evidence(assessment_id: int, question_id: str, files_data: EvidenceIn) -> Any:
    assessment = reviewed_question_or_404(assessment_id, question_id, lock=True)
    side = pages.upload_side(current_user, assessment, question_id)
    if side is None:
        status, message = pages.refusal(assessment)
        raise Refused(status, message)
    problem = pages.request_refusal(len(pages.chosen_files()))
    if problem is not None:
        raise Refused(422, problem, FIELD)
    kept, errors = checked_files(files_data.files)
    if errors:
        return error_response(422, errors)
    already = [item.name for item in kept if not pages.attach(assessment, question_id, item, side)]
    body = UploadOut(items=listed(assessment, question_id), already_listed=already)
    return body, 201 if len(already) < len(kept) else 200


@bp.get("/reviews/<int:assessment_id>/evidence/<int:evidence_id>")
@role_required("provider")
@bp.doc(summary="One evidence file, as an attachment", responses={  # type: ignore[arg-type]
    200: {"description": "The file (its stored type)",
          "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in STORED_TYPES}},
    304: "Not modified (If-None-Match)", 401: "No usable token", 403: "Not this review's reviewer",
    404: "Not found, removed, or not of this assessment"})
def download_evidence(assessment_id: int, evidence_id: int) -> Any:
    assessment = reviewable_or_404(assessment_id)
    item = get_session().get(reviews.Evidence, evidence_id)
    if item is None or item.assessment_id != assessment.id or item.removed_at is not None:
        raise Refused(404, API_REASONS[404])
    return pages.send_stored(item, "evidence")
