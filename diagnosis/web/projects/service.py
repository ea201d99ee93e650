"""The projects pages' work: who may do what, the recommendation a project starts from, the names of
kinds and recognitions, and documents checked and stored like review evidence.

Who: a company's own users and the users of the provider organisation it is assigned to start
projects and report progress; officials (in their parks) and admins record recognitions; everyone
who may see the company sees its projects and downloads their documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from diagnosis import evidence as files
from diagnosis.core.pipeline_catalogue import catalogue, text
from diagnosis.store.accounts import ProviderOrg, User, utcnow
from diagnosis.store.assessments import ResultSnapshot
from diagnosis.store.companies import Company
from diagnosis.store.db import get_session
from diagnosis.store.projects import Project, ProjectDocument, ProjectProgress
from diagnosis.web.access import can_view_company
from diagnosis.web.bundle import current_bundle
from diagnosis.web.evidence.views import limits, refusal_text, request_refusal, storage_root
from diagnosis.web.i18n import current_language

#: How many of a company's newest snapshots are searched for the recommendation a project starts from.
SNAPSHOTS_SEARCHED = 20


def kind_title(kind_id: str) -> str:
    kind = catalogue().project_kinds.get(kind_id)
    return text(kind.title, current_language()) if kind is not None else kind_id


def kind_unit(kind_id: str) -> str:
    kind = catalogue().project_kinds.get(kind_id)
    return text(kind.quantity, current_language()) if kind is not None else ""


def quantity_text(project: Project) -> str:
    """The project's count with its kind's unit ("6 台"); "" for a project without a count."""
    if not project.quantity:
        return ""
    return f"{project.quantity} {kind_unit(project.kind)}".strip()


def recognition_title(recognition_id: str) -> str:
    recognition = catalogue().recognitions.get(recognition_id)
    return text(recognition.title, current_language()) if recognition is not None else recognition_id


# --- who may do what ---------------------------------------------------------------------------


def can_run_project(user: User, company: Company) -> bool:
    """Start projects and report their progress: the company's users, its assigned provider's users."""
    return user.role in ("company", "provider") and can_view_company(user, company)


def can_recognise(user: User, company: Company) -> bool:
    """Record an acceptance or recognition: officials in their parks, admins."""
    return user.role in ("official", "admin") and can_view_company(user, company)


def project_or_404(project_id: int, lock: bool = False) -> Project:
    """The project if the current user may see its company, else 404. ``lock``: the project's row
    lock first (PostgreSQL; SQLite writers hold the write lock), re-read."""
    query = select(Project).where(Project.id == project_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    project = get_session().scalar(query)
    if project is None:
        abort(404)
    company = get_session().get(Company, project.company_id)
    if company is None or not can_view_company(current_user, company):
        abort(404)
    return project


# --- where a project starts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recommended:
    id: str
    kind: str
    title: str


def recommendation(company_id: int, recommendation_id: str) -> Recommended | None:
    """The recommendation in the company's newest result that lists it (self or verified), or None
    (also for one that is no project, e.g. completing the CMMM self-check)."""
    snapshots = get_session().scalars(
        select(ResultSnapshot).where(ResultSnapshot.company_id == company_id)
        .order_by(ResultSnapshot.id.desc()).limit(SNAPSHOTS_SEARCHED))
    for snapshot in snapshots:
        for rec in snapshot.result.get("recommendations", []):
            if rec.get("id") == recommendation_id and catalogue().becomes_project(str(rec.get("kind"))):
                words = current_bundle().text(recommendation_id)
                title = (words.get(current_language()) or words.get("zh_CN")) if words else None
                return Recommended(recommendation_id, str(rec.get("kind", "")),
                                   title or str(rec.get("title") or recommendation_id))
    return None


def provider_orgs() -> list[ProviderOrg]:
    return list(get_session().scalars(select(ProviderOrg).order_by(ProviderOrg.name)))


# --- documents -----------------------------------------------------------------------------------


def checked_uploads(uploads: list[FileStorage]) -> tuple[list[files.Checked], list[str]]:
    """Every chosen file checked by its content (diagnosis/evidence.py), and a message per refusal;
    a request with any refusal stores none of them."""
    problem = request_refusal(len(uploads)) if uploads else None
    if problem is not None:
        return [], [problem]
    bounds = limits()
    checked, refusals = [], []
    for upload in uploads:
        try:
            checked.append(files.check(upload.filename, files.read_limited(upload.stream, bounds), bounds))
        except files.Refused as refused:
            refusals.append(f"{files.display_name(upload.filename)}：{refusal_text(refused)}")
    return checked, refusals


def chosen_files(uploads: list[FileStorage] | None) -> list[FileStorage]:
    """The posted files; an empty file input is sent as a part without a name: not a file."""
    return [upload for upload in uploads or [] if upload and upload.filename]


def attach(project: Project, checked: list[files.Checked], *, progress_id: int | None = None,
           recognition_id: int | None = None) -> None:
    """Store the files (once per content, with review evidence) and list them on the project."""
    session = get_session()
    for item in checked:
        files.store(storage_root(), item)
        session.add(ProjectDocument(project_id=project.id, progress_id=progress_id,
                                    recognition_id=recognition_id, sha256=item.sha256,
                                    original_name=item.name, content_type=item.content_type,
                                    size=item.size, uploaded_by_id=current_user.id, uploaded_at=utcnow()))
    session.flush()


@dataclass
class ProjectPage:
    """What the project page lists: reports newest first, documents by report and recognition."""

    history: list[ProjectProgress]
    by_progress: dict[int, list[ProjectDocument]] = field(default_factory=dict)
    by_recognition: dict[int, list[ProjectDocument]] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)


def project_page(project: Project) -> ProjectPage:
    session = get_session()
    history = list(session.scalars(select(ProjectProgress).where(ProjectProgress.project_id == project.id)
                                   .order_by(ProjectProgress.id.desc())))
    page = ProjectPage(history)
    documents = session.scalars(select(ProjectDocument).where(ProjectDocument.project_id == project.id)
                                .order_by(ProjectDocument.id))
    for document in documents:
        if document.progress_id is not None:
            page.by_progress.setdefault(document.progress_id, []).append(document)
        elif document.recognition_id is not None:
            page.by_recognition.setdefault(document.recognition_id, []).append(document)
    user_ids = {report.user_id for report in history} | {r.recorded_by_id for r in project.recognitions}
    user_ids.discard(None)
    if user_ids:
        rows = session.execute(select(User.id, User.name).where(User.id.in_(user_ids)))
        page.users = {user_id: name for user_id, name in rows}
    return page
