"""Evidence files attached to questions: upload (provider on site, company in a round), download as
attachment, remove.

Every view: load (404 when the assessment is missing or not visible, or the question is not in its
questionnaire) → check access → act. Who adds files, and removes their own side's, is one rule
(`upload_side`): the diagnostician or lead of the assigned organisation while the assessment is
submitted (not signed off), as "verified" evidence; the company's users for a question of the open
round while it is open, as "company" evidence. Anyone who may see the company downloads.

Each file of a request is judged on its own (diagnosis/evidence.py): those that pass are stored and
listed, each refusal is shown with its reason; a request with too many files, or too large a body,
saves nothing. The fragment templates/evidence/_list.html is the answer to htmx; without JavaScript
the form posts normally and the user is sent back to the page it came from (a local path only).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from diagnosis import evidence as files
from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.store.assessments import Assessment
from diagnosis.store.assignments import current_assignment
from diagnosis.store.db import get_session
from diagnosis.web.access import can_review, can_view_company
from diagnosis.web.assess.forms import localized
from diagnosis.web.bundle import PinnedVersionMissing, current_bundle, instrument_for
from diagnosis.web.i18n import is_local_path

log = logging.getLogger(__name__)
bp = Blueprint("evidence", __name__)

MB = 1024 * 1024
REFUSALS = {
    "empty": _l("文件是空的。"),
    "too_large": _l("文件超过 %(limit)s MB 的上限。"),
    "wrong_type": _l("不支持此类文件：只能上传 JPEG、PNG、WebP 照片和 PDF、XLSX、DOCX 文档"
                     "（按文件内容判断）。"),
    "name_mismatch": _l("文件名的扩展名（%(extension)s）与文件内容（%(kind)s）不符。"),
    "heic": _l("暂不支持 HEIC 格式的照片，请改用 JPEG（iPhone、iPad：设置 › 相机 › 格式 › 兼容性最佳）。"),
    "too_many_pixels": _l("图片像素过多（上限 %(limit)s 万像素）。"),
    "unreadable": _l("文件已损坏或无法读取。"),
}
#: The download's own policy: nothing in it runs or loads, whatever a browser makes of it.
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


@dataclass(frozen=True)
class Notice:
    """One line of the fragment's answer: a refusal (error) or what was done (success, info)."""

    category: str
    text: str
    name: str = ""


def limits() -> files.Limits:
    config = current_app.config
    return files.Limits(max_file_bytes=config["EVIDENCE_MAX_FILE_BYTES"],
                        max_pixels=config["EVIDENCE_MAX_PIXELS"], max_side=config["EVIDENCE_MAX_SIDE"],
                        jpeg_quality=config["EVIDENCE_JPEG_QUALITY"])


def storage_root() -> Path:
    return Path(current_app.config["DIAGNOSIS_STORAGE"]) / "evidence"


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


@bp.app_template_filter("evidence_size")
def evidence_size(size: int) -> str:
    """A file size as people read it (the fragment is included by other blueprints' pages)."""
    if size < MB:
        return _("%(size)s KB", size=max(1, round(size / 1024)))
    return _("%(size)s MB", size=f"{size / MB:.1f}")


# --- who may do what ---------------------------------------------------------------------------


def load_assessment(assessment_id: int, lock: bool = False) -> Assessment | None:
    """The assessment if the user may see its company, else None. ``lock``: its row lock first."""
    query = select(Assessment).where(Assessment.id == assessment_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    assessment = get_session().scalar(query)
    if assessment is None or not can_view_company(current_user, assessment.company):
        return None
    return assessment


def question_of(assessment: Assessment, question_id: str):
    """The question in the assessment's pinned questionnaire, or None."""
    try:
        instrument = instrument_for(assessment, current_bundle())
    except PinnedVersionMissing:
        return None
    return instrument.question(question_id) if instrument.has_question(question_id) else None


def upload_side(user, assessment: Assessment, question_id: str) -> str | None:
    """"verified" or "company" when ``user`` may add files to the question now (and remove their
    side's), None otherwise. Pages that include templates/evidence/_list.html pass
    ``can_upload=upload_side(...) is not None``."""
    if not user.is_authenticated or assessment.status != "submitted":
        return None
    session = get_session()
    if user.role == "provider":
        return "verified" if can_review(user, current_assignment(session, assessment.company_id)) else None
    if user.role == "company" and user.company_id == assessment.company_id:
        round_ = reviews.open_round(session, assessment.id)
        return "company" if round_ is not None and question_id in round_.question_ids else None
    return None


def refusal(assessment: Assessment) -> tuple[int, str]:
    """Why the user may not change this question's files: 403 for a role or colleague who never may,
    409 (with the message) when the assessment or the question is not open to them now."""
    if current_user.role == "provider":
        if not can_review(current_user, current_assignment(get_session(), assessment.company_id)):
            abort(403)
        if assessment.status == "verified":
            return 409, _("该诊断已签字确认，核验结果不能再修改。")
        return 409, _("该诊断尚未提交，还不能上传佐证材料。")
    if current_user.role != "company":
        abort(403)
    if assessment.status == "verified":
        return 409, _("该诊断已签字确认，核验结果不能再修改。")
    return 409, _("只有退回补充材料、尚未提交补充的问题才能上传或移除文件。")


def target_or_404(assessment_id: int, question_id: str, lock: bool = False) -> tuple[Assessment, Any]:
    assessment = load_assessment(assessment_id, lock=lock)
    question = question_of(assessment, question_id) if assessment is not None else None
    if assessment is None or question is None:
        abort(404)
    return assessment, question


# --- acting ------------------------------------------------------------------------------------


def attach(assessment: Assessment, question_id: str, checked: files.Checked, side: str) -> bool:
    """Store the file (once per content) and list it under the question, audited; False when the
    same content is already listed there."""
    session = get_session()
    attached = reviews.evidence_for(session, assessment.id, question_id)
    if any(item.sha256 == checked.sha256 for item in attached):
        return False
    files.store(storage_root(), checked)
    item = reviews.Evidence(assessment_id=assessment.id, question_id=question_id, sha256=checked.sha256,
                            original_name=checked.name, content_type=checked.content_type, size=checked.size,
                            source=side, uploaded_by_id=current_user.id, uploaded_at=utcnow())
    session.add(item)
    session.flush()
    reviews.record(session, assessment.id, current_user.id, None, audited(item), question_id=question_id)
    return True


def audited(item: reviews.Evidence) -> dict[str, Any]:
    """A file as the audit trail keeps it (new on upload, old on removal)."""
    return {"evidence": item.id, "name": item.original_name}


def refusal_text(refused: files.Refused) -> str:
    detail = dict(refused.detail)
    if "limit" in detail:
        divisor = 10_000 if refused.code == "too_many_pixels" else MB
        detail["limit"] = f"{detail['limit'] / divisor:g}"
    return str(REFUSALS[refused.code]) % detail


def judge(upload: FileStorage, assessment: Assessment, question_id: str, side: str) -> Notice | None:
    """One posted file checked and attached (None), or why not."""
    bounds = limits()
    try:
        checked = files.check(upload.filename, files.read_limited(upload.stream, bounds), bounds)
    except files.Refused as refused:
        return Notice("error", refusal_text(refused), files.display_name(upload.filename))
    if not attach(assessment, question_id, checked, side):
        return Notice("info", _("同样的文件已在列表中。"), checked.name)
    return None


def chosen_files() -> list[FileStorage]:
    """The posted files; a file input left empty is sent as a part without a name: not a file."""
    return [upload for upload in request.files.getlist("files") if upload.filename]


def request_refusal(count: int) -> str | None:
    if count == 0:
        return _("请选择要上传的文件。")
    limit = current_app.config["EVIDENCE_MAX_FILES"]
    if count > limit:
        return _("一次最多上传 %(limit)s 个文件，本次选了 %(count)s 个；未保存任何文件。",
                 limit=limit, count=count)
    return None


# --- answering ---------------------------------------------------------------------------------


def next_url() -> str:
    """The page the form was on: its ``next`` field, when it is a path of this site."""
    target = request.form.get("next", "")
    return target if is_local_path(target) else ""


def page_url() -> str:
    """The page htmx posted from (its HX-Current-URL header), for answers that cannot read the form."""
    parts = urlsplit(request.headers.get("HX-Current-URL", ""))
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return target if is_local_path(target) else ""


def fragment(assessment: Assessment, question_id: str, notices: list[Notice], status: int, back: str):
    can_upload = upload_side(current_user, assessment, question_id) is not None
    return render_template("evidence/_list.html", assessment=assessment, question_id=question_id,
                           files=reviews.evidence_for(get_session(), assessment.id, question_id),
                           can_upload=can_upload, notices=notices, next_url=back), status


def respond(assessment: Assessment, question_id: str, notices: list[Notice], status: int):
    """The fragment for htmx; otherwise the notices as flashes and back to the page (303)."""
    if is_htmx():
        return fragment(assessment, question_id, notices, status, next_url())
    for notice in notices:
        flash(f"{notice.name} — {notice.text}" if notice.name else notice.text, notice.category)
    back = next_url() or url_for("evidence.page", assessment_id=assessment.id, question_id=question_id)
    return redirect(back, 303)


@bp.get("/assessments/<int:assessment_id>/questions/<question_id>/evidence")
@login_required
def page(assessment_id: int, question_id: str) -> str:
    """One question's evidence on a page of its own (the no-JavaScript fallback's landing page)."""
    assessment, question = target_or_404(assessment_id, question_id)
    return render_template(
        "evidence/question.html", assessment=assessment, question=question, question_id=question_id,
        question_text=localized(question.text),
        files=reviews.evidence_for(get_session(), assessment.id, question_id),
        can_upload=upload_side(current_user, assessment, question_id) is not None)


@bp.post("/assessments/<int:assessment_id>/questions/<question_id>/evidence")
@login_required
def upload(assessment_id: int, question_id: str):
    assessment, _question = target_or_404(assessment_id, question_id, lock=True)
    side = upload_side(current_user, assessment, question_id)
    if side is None:
        status, message = refusal(assessment)
        return respond(assessment, question_id, [Notice("error", message)], status)
    chosen = chosen_files()
    problem = request_refusal(len(chosen))
    if problem is not None:
        return respond(assessment, question_id, [Notice("error", problem)], 422)
    outcomes = [judge(file, assessment, question_id, side) for file in chosen]
    notices = [outcome for outcome in outcomes if outcome is not None]
    stored = len(outcomes) - len(notices)
    if stored:
        summary = ngettext("已上传 %(num)s 个文件。", "已上传 %(num)s 个文件。", stored)
        notices.insert(0, Notice("success", summary))
    refused = all(notice.category == "error" for notice in notices)
    return respond(assessment, question_id, notices, 422 if refused else 200)


@bp.post("/evidence/<int:evidence_id>/remove")
@login_required
def remove(evidence_id: int):
    """Take a file off its question (the row stays, stamped ``removed_at``; the file stays too)."""
    item = get_session().get(reviews.Evidence, evidence_id)
    assessment = load_assessment(item.assessment_id, lock=True) if item is not None else None
    if item is None or assessment is None or item.removed_at is not None:
        abort(404)
    side = upload_side(current_user, assessment, item.question_id)
    if side is None:
        status, message = refusal(assessment)
        return respond(assessment, item.question_id, [Notice("error", message)], status)
    if side != item.source:
        abort(403)  # the page offers only one's own side's files for removal
    item.removed_at = utcnow()
    reviews.record(get_session(), assessment.id, current_user.id, audited(item), None,
                   question_id=item.question_id)
    return respond(assessment, item.question_id, [Notice("success", _("已移除。"), item.original_name)], 200)


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download(evidence_id: int) -> Response:
    """The stored file as an attachment, for anyone who may see the company; removed files: 404."""
    item = get_session().get(reviews.Evidence, evidence_id)
    if item is None or item.removed_at is not None or load_assessment(item.assessment_id) is None:
        abort(404)
    return send_stored(item, "evidence")


def send_stored(item: Any, what: str) -> Response:
    """A file stored by content hash (``item`` has sha256, content_type, original_name, id) as an
    attachment that no browser renders in place: the one download rule for every uploaded file."""
    path = files.stored_path(storage_root(), item.sha256)
    if not path.is_file():
        log.error("%s %s: stored file %s is missing", what, item.id, path)
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True, etag=item.sha256,
                         download_name=item.original_name)
    response.headers["Content-Disposition"] = content_disposition(item.original_name)
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(name: str) -> str:
    """attachment with an ASCII ``filename`` for old clients and the real name as RFC 5987
    ``filename*`` (UTF-8, percent-encoded) for all others."""
    suffix = PurePosixPath(name).suffix
    stem = unicodedata.normalize("NFKD", name[: len(name) - len(suffix)]).encode("ascii", "ignore").decode()
    stem = "".join(char for char in stem if char.isprintable() and char not in '"\\;%').strip(" ._")
    return f"attachment; filename=\"{stem or 'evidence'}{suffix}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """A body over the upload limit (raised while the form is read, before any view): the message
    in the fragment for htmx, else on the error page. Nothing was read, so nothing is saved."""
    limit = current_app.config["EVIDENCE_MAX_REQUEST_BYTES"] // MB
    message = _("本次上传的文件合计超过 %(limit)s MB，未保存任何文件，请分几次上传。", limit=limit)
    args = request.view_args or {}
    if request.endpoint == "evidence.upload" and is_htmx():
        assessment = load_assessment(args["assessment_id"])
        if assessment is not None and question_of(assessment, args["question_id"]) is not None:
            return fragment(assessment, args["question_id"], [Notice("error", message)], 413, page_url())
    return render_template("error.html", code=413, message=message), 413
