"""Loading a ``ReportData`` from the store: the one place reports read the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.assessments import Assessment, AuditEvent, ResultSnapshot, answer_rows, latest_snapshot
from diagnosis.store.peers import cohort_points
from reports.document import Adjustment, ReportData, ReportKey


class ReportUnavailable(LookupError):
    """No report can be made for this assessment (missing, a draft, or never scored)."""


def report_key(session: Session, assessment_id: int) -> ReportKey:
    """The key of the report ``assessment_id`` has now (two small reads: no answers, no peers).

    :raise ReportUnavailable: the assessment does not exist, is a draft or has no snapshot.
    """
    return _key(*_reported(session, assessment_id))


def _reported(session: Session, assessment_id: int) -> tuple[Assessment, ResultSnapshot]:
    """The assessment and the snapshot its report shows: the verified one once it exists."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise ReportUnavailable(f"assessment {assessment_id} does not exist")
    if assessment.status not in ("submitted", "verified"):
        raise ReportUnavailable(f"assessment {assessment_id} is a draft: submit it first")
    verified = assessment.status == "verified"
    snapshot = (latest_snapshot(session, assessment_id, "verified") if verified else None) \
        or latest_snapshot(session, assessment_id)
    if snapshot is None:
        raise ReportUnavailable(f"assessment {assessment_id} has no result snapshot")
    return assessment, snapshot


def _key(assessment: Assessment, snapshot: ResultSnapshot) -> ReportKey:
    verified = assessment.status == "verified"
    issued_at = as_utc((assessment.verified_at if verified else None) or assessment.submitted_at
                       or snapshot.created_at)
    return ReportKey(assessment.id, snapshot.id, "verified" if verified else "self", issued_at)


def load_report_data(session: Session, assessment_id: int, bundle) -> ReportData:
    """Everything the report of ``assessment_id`` shows, read once from the store.

    :raise ReportUnavailable: the assessment does not exist, is a draft or has no snapshot.
    """
    assessment, snapshot = _reported(session, assessment_id)
    key = _key(assessment, snapshot)
    verified = key.kind == "verified"
    company = assessment.company
    company_answers = _answers(session, assessment_id, "company")
    verified_answers = _answers(session, assessment_id, "verified")
    codes, cohort_label = _cohort(bundle, company.industry_code)
    issued_at = key.issued_at
    return ReportData(
        assessment_id=assessment.id,
        snapshot_id=snapshot.id,
        kind=key.kind,
        issued_at=issued_at,
        company={"id": company.id, "name": company.name, "credit_code": company.credit_code,
                 "industry_code": company.industry_code, "park": company.park},
        result=snapshot.result,
        answers={**company_answers, **verified_answers} if verified else company_answers,
        provider=_provider(session, assessment) if verified else None,
        adjustments=_adjustments(session, assessment_id, company_answers, verified_answers) if verified
        else None,
        cohort_label=cohort_label,
        peers=tuple(cohort_points(session, codes, as_of=max(issued_at, as_utc(snapshot.created_at)))),
    )


def _answers(session: Session, assessment_id: int, source: str) -> dict[str, Any]:
    return {qid: row.value for qid, row in answer_rows(session, assessment_id, source).items()}


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cohort(bundle, industry_code: str) -> tuple[list[str], dict[str, str] | None]:
    """The industry codes of the company's cohort and its name: its first district tag, else its code."""
    industries = bundle.industries
    tags = industries.tags_for(industry_code)
    if tags:
        tag = tags[0]
        codes = [industry.code for industry in industries.all() if tag in industry.tags]
        return codes, industries.tag_labels.get(tag)
    industry = industries.get(industry_code)
    return [industry_code], industry.name if industry else None


def _provider(session: Session, assessment: Assessment) -> dict[str, str]:
    org = session.get(ProviderOrg, assessment.company.provider_org_id) \
        if assessment.company.provider_org_id else None
    signer = session.scalar(
        select(User).join(AuditEvent, AuditEvent.user_id == User.id)
        .where(AuditEvent.assessment_id == assessment.id, AuditEvent.question_id.is_(None),
               AuditEvent.source == "verified")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1))
    return {"org": org.name if org else "", "diagnostician": signer.name if signer else ""}


def _adjustments(session: Session, assessment_id: int, company: dict[str, Any],
                 verified: dict[str, Any]) -> tuple[Adjustment, ...]:
    """Answers the diagnostician changed, with the reason of the latest verified change."""
    changed = sorted(qid for qid, value in verified.items() if company.get(qid) != value)
    reasons: dict[str | None, str] = {}  # question_id is nullable (status events have none)
    for event in session.scalars(
            select(AuditEvent).where(AuditEvent.assessment_id == assessment_id,
                                     AuditEvent.source == "verified", AuditEvent.question_id.in_(changed))
            .order_by(AuditEvent.at, AuditEvent.id)):
        reasons[event.question_id] = event.reason or ""
    return tuple(Adjustment(question_id=qid, company_value=company.get(qid), verified_value=verified[qid],
                            reason=reasons.get(qid, "")) for qid in changed)
