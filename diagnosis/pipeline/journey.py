"""A company's journey through the service, derived from what is stored (never typed in twice):

listed in the roster (``Company.imported_at``) → registered (``registered_at``) → self-assessed (its first
self snapshot) → assigned (its first assignment) → verified on site (its first verified snapshot) →
confirmed or disputed (the latest answer to a signed-off review) → first project → first project
completed (a progress report saying so) → accepted / recognised (the first recognition) → re-assessed
(a self snapshot of a later assessment, after the first verification or recognition).

Each step is one small query over an indexed company column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from diagnosis.store.assessments import Assessment, ResultSnapshot
from diagnosis.store.assignments import Assignment
from diagnosis.store.companies import Company
from diagnosis.store.projects import Project, ProjectProgress, ProjectRecognition
from diagnosis.store.reviews import Review

STEPS = ("listed", "registered", "self_assessed", "assigned", "verified", "responded", "project",
         "completed", "recognised", "reassessed")
LABELS = {
    "listed": _l("列入企业名录"),
    "registered": _l("企业注册"),
    "self_assessed": _l("完成自诊断"),
    "assigned": _l("分配服务商"),
    "verified": _l("上门诊断核验"),
    "responded": _l("企业确认诊断结果"),
    "project": _l("首个项目立项"),
    "completed": _l("首个项目完成"),
    "recognised": _l("验收 / 认定"),
    "reassessed": _l("再次诊断"),
}
#: The response step's label when the company disputed the verified result.
DISPUTED_LABEL = _l("企业对诊断结果有异议")
DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Step:
    key: str
    on: date
    #: "confirmed" or "disputed" for the response step.
    detail: str | None = None

    @property
    def label(self) -> str:
        return str(DISPUTED_LABEL if self.detail == "disputed" else LABELS[self.key])


@dataclass(frozen=True)
class Journey:
    """The steps done so far (in the journey's order) and the next one, if any."""

    steps: list[Step]
    next: str | None

    @property
    def next_label(self) -> str | None:
        return str(LABELS[self.next]) if self.next else None


def company_journey(session: Session, company: Company, tz: tzinfo = DEFAULT_TIMEZONE) -> Journey:
    """The company's journey, dates in ``tz`` (the district's time zone by default)."""
    found: dict[str, tuple[datetime | date, str | None]] = {}
    moments: tuple[tuple[str, datetime | date | None], ...] = (
        ("listed", company.imported_at), ("registered", company.registered_at),
        ("self_assessed", _first_snapshot(session, company.id, "self")),
        ("assigned", _first(session, Assignment.assigned_at, Assignment.company_id == company.id)),
        ("verified", _first_snapshot(session, company.id, "verified")),
        ("project", _first(session, Project.created_at, Project.company_id == company.id)),
        ("completed", _first_completion(session, company.id)),
        ("recognised", _first(session, ProjectRecognition.recognised_on,
                              ProjectRecognition.company_id == company.id)))
    for key, moment in moments:
        if moment is not None:
            found[key] = (moment, None)
    response = _latest_response(session, company.id)
    if response is not None:
        found["responded"] = response
    reassessed = _reassessed(session, company.id, found)
    if reassessed is not None:
        found["reassessed"] = (reassessed, None)
    steps = [Step(key, _local_date(found[key][0], tz), found[key][1]) for key in STEPS if key in found]
    upcoming = [key for key in STEPS if key not in found and key != "listed"]
    return Journey(steps, upcoming[0] if upcoming else None)


def _local_date(moment: datetime | date, tz: tzinfo) -> date:
    if not isinstance(moment, datetime):
        return moment
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return aware.astimezone(tz).date()


def _first(session: Session, column: Any, condition: Any) -> Any:
    """The earliest value of ``column`` (a datetime or a date) where ``condition`` holds, or None."""
    return session.scalar(select(func.min(column)).where(condition))


def _first_snapshot(session: Session, company_id: int, kind: str) -> datetime | None:
    return _first(session, ResultSnapshot.created_at,
                  (ResultSnapshot.company_id == company_id) & (ResultSnapshot.kind == kind))


def _first_completion(session: Session, company_id: int) -> datetime | None:
    return session.scalar(select(func.min(ProjectProgress.at))
                          .join(Project, Project.id == ProjectProgress.project_id)
                          .where(Project.company_id == company_id, ProjectProgress.status == "completed"))


def _latest_response(session: Session, company_id: int) -> tuple[datetime, str] | None:
    """The company's latest answer to a verified result: (when, "confirmed" or "disputed")."""
    row = session.execute(select(Review.responded_at, Review.response)
                          .join(Assessment, Assessment.id == Review.assessment_id)
                          .where(Assessment.company_id == company_id, Review.responded_at.is_not(None))
                          .order_by(Review.responded_at.desc()).limit(1)).first()
    return (row.responded_at, row.response) if row is not None else None


def _reassessed(session: Session, company_id: int,
                found: dict[str, tuple[datetime | date, str | None]]) -> datetime | None:
    """The first self snapshot after the first verification or recognition, of an assessment other
    than the first self-assessed one and the verified ones."""
    anchors = [_as_datetime(found[key][0]) for key in ("verified", "recognised") if key in found]
    if not anchors:
        return None
    earlier = select(ResultSnapshot.assessment_id).where(
        ResultSnapshot.company_id == company_id,
        (ResultSnapshot.kind == "verified") | (ResultSnapshot.created_at <= min(anchors)))
    return _first(session, ResultSnapshot.created_at,
                  (ResultSnapshot.company_id == company_id) & (ResultSnapshot.kind == "self")
                  & (ResultSnapshot.created_at > min(anchors))
                  & ResultSnapshot.assessment_id.not_in(earlier))


def _as_datetime(moment: datetime | date) -> datetime:
    """A recognition date as the start of that day (UTC), to compare with stored moments."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.combine(moment, time.min, tzinfo=UTC)
