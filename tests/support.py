"""Helpers for tests: valid credit codes, a furniture company, the CSRF token of a rendered page, an
assessment's audit trail."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis.core.uscc import check_character, org_code_check_character
from diagnosis.store.assessments import AuditEvent
from diagnosis.store.companies import Company

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def credit_code(seq: int, prefix: str = "91341522") -> str:
    """A valid unified social credit code (both check characters right) numbered `seq`."""
    org_body = f"{seq:08d}"
    body = prefix + org_body + org_code_check_character(org_body)
    return body + check_character(body)


def furniture_company(session: Session, seq: int, name: str, **fields: Any) -> Company:
    """A furniture maker shaped like the example answer files' company (2110, above designated size,
    320 staff), credit code number ``seq``; added and flushed. For tests and benchmarks that build
    and commit their own world (``make_company`` serves the rolled-back ones)."""
    values: dict[str, Any] = {
        "name": name, "credit_code": credit_code(seq), "industry_code": "2110", "park": "家居产业园",
        "above_designated_size": True, "employees": 320, "revenue_band": "100m_400m",
        "contact_name": "张经理", "contact_phone": "0564-1234567",
    }
    company = Company(**{**values, **fields})
    session.add(company)
    session.flush()
    return company


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF_INPUT.search(html)
    if match is None:
        raise AssertionError("no csrf_token input in the page")
    return match.group(1)


def audit_trail(session: Session, assessment_id: int) -> list[AuditEvent]:
    """The assessment's audit events, oldest first."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.assessment_id == assessment_id)
                                .order_by(AuditEvent.at, AuditEvent.id)))
