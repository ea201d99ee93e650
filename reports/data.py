"""Loading a ``ReportData`` from the store: the one place reports read the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.store import reviews
from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.assessments import (
    Assessment,
    ResultSnapshot,
    company_answers,
    latest_snapshot,
    previous_snapshot,
)
from diagnosis.store.assignments import Assignment, assignment_history
from diagnosis.store.peers import cohort_points
from reports.compare import Previous
from reports.document import Adjustment, FindingNote, ProviderEdit, ReportData, ReportKey


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
    company = assessment.company
    codes, cohort_label = _cohort(bundle, company.industry_code)
    issued_at = key.issued_at
    verified = verified_fields(session, assessment, snapshot) if key.kind == "verified" \
        else {"answers": company_answers(session, assessment_id)}
    previous = previous_snapshot(session, snapshot)
    return ReportData(
        assessment_id=assessment.id,
        snapshot_id=snapshot.id,
        kind=key.kind,
        issued_at=issued_at,
        company={"id": company.id, "name": company.name, "credit_code": company.credit_code,
                 "industry_code": company.industry_code, "park": company.park},
        result=snapshot.result,
        cohort_label=cohort_label,
        peers=tuple(cohort_points(session, codes, as_of=max(issued_at, as_utc(snapshot.created_at)))),
        previous=Previous.of(previous) if previous is not None else None,
        **verified,
    )


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


def verified_fields(session: Session, assessment: Assessment, snapshot: ResultSnapshot) -> dict[str, Any]:
    """What a verified report adds, as it stood at sign-off (the assessment is locked then, so a
    copy rendered later, in the other language, shows the same): the verified answers, who signed
    off for which organisation, the adjusted answers, the findings, the provider's edits of the
    recommendations and the company's self-assessed result."""
    self_snapshot = latest_snapshot(session, assessment.id, "self")
    company = company_answers(session, assessment.id)
    verified = reviews.verified_answers(session, assessment.id)
    return {
        "answers": verified,
        "provider": _provider(session, assessment),
        "adjustments": _adjustments(session, assessment.id, company, verified),
        "findings": tuple(FindingNote(finding.section_id, finding.severity, finding.text)
                          for finding in reviews.findings(session, assessment.id)),
        "recommendation_edits": {
            key: ProviderEdit(edit.key, edit.action, edit.priority, edit.phase, edit.title, edit.detail,
                              edit.reason)
            for key, edit in reviews.recommendation_edits(session, assessment.id).items()},
        "self_result": self_snapshot.result if self_snapshot is not None else None,
    }


def _provider(session: Session, assessment: Assessment) -> dict[str, Any]:
    """The organisation, the diagnostician who signed off, and when.

    The organisation is the one the company was assigned to at sign-off; without such an
    assignment, the signer's, else the company's current one.
    """
    review = reviews.get_review(session, assessment.id)
    signed_off_at = as_utc(review.signed_off_at) if review and review.signed_off_at else None
    signer = session.get(User, review.signed_off_by_id) if review and review.signed_off_by_id else None
    org_id = _org_at(assignment_history(session, assessment.company_id), signed_off_at) \
        or (signer.provider_org_id if signer else None) or assessment.company.provider_org_id
    org = session.get(ProviderOrg, org_id) if org_id else None
    return {"org": org.name if org else "", "diagnostician": signer.name if signer else "",
            "signed_off_at": signed_off_at}


def _org_at(history: list[Assignment], moment: datetime | None) -> int | None:
    """The organisation the company was assigned to at ``moment`` (None: the current one).

    Not simply the current assignment: a company reassigned after sign-off keeps, in its
    verified report, the organisation that verified it.
    """
    for assignment in history:  # newest first
        ended = as_utc(assignment.ended_at) if assignment.ended_at else None
        if moment is None:
            if ended is None:
                return assignment.provider_org_id
        elif as_utc(assignment.assigned_at) <= moment and (ended is None or moment < ended):
            return assignment.provider_org_id
    return None


def _adjustments(session: Session, assessment_id: int, company: dict[str, Any],
                 verified: dict[str, Any]) -> tuple[Adjustment, ...]:
    """Every question whose verified answer is not the company's (changed, answered on site where
    the company left it blank, or marked not applicable), with its review item's reason and the
    names of the files attached to it; by question id (the document orders them as the
    questionnaire does)."""
    items = reviews.items(session, assessment_id)
    not_applicable = {qid for qid, item in items.items() if item.state == "not_applicable"}
    changed = {qid for qid in company.keys() | verified.keys() if company.get(qid) != verified.get(qid)}
    changed |= not_applicable
    evidence: dict[str, list[str]] = defaultdict(list)
    for row in reviews.evidence_for(session, assessment_id):
        if row.question_id in changed:
            evidence[row.question_id].append(row.original_name)
    rows = []
    for qid in sorted(changed):
        item = items.get(qid)
        rows.append(Adjustment(
            question_id=qid, company_value=company.get(qid), verified_value=verified.get(qid),
            reason=(item.reason_text or "") if item else "", evidence=tuple(evidence[qid]),
            reason_code=item.reason_code if item else None, not_applicable=qid in not_applicable))
    return tuple(rows)
