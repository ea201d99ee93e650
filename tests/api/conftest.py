"""The API's world: company A (家居产业园, assigned to provider organisation P) with a submitted
assessment (a PDF attached to its question equip_total) and a project, company B (化工园区), and a real
token per role made by the store, as the tokens page makes them. ``call(client, method, url, token,
**kwargs)`` sends it as a bearer; ``Multipart(...).request()`` are the arguments of a multipart body."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from diagnosis import evidence as files
from diagnosis.store import tokens
from diagnosis.store.db import get_session, session
from diagnosis.store.projects import add_project
from diagnosis.store.reviews import Evidence
from tests.web.assess_helpers import access_world
from tests.web.test_evidence_files import PDF

ROLES = (
    "company_own",
    "company_other",
    "provider",
    "provider_colleague",
    "provider_other",
    "official",
    "official_other",
    "admin",
)


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def call(client: Any, method: str, url: str, token: str | None = None, **kwargs: Any) -> Any:
    headers = {**bearer(token), **kwargs.pop("headers", {})}
    return client.open(url, method=method, headers=headers, **kwargs)


@dataclass(frozen=True)
class Multipart:
    """A multipart body: form values and files (field → [(content, file name)])."""

    values: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[tuple[bytes, str]]] = field(default_factory=dict)

    def request(self) -> dict[str, Any]:
        """The test client's arguments: the body encoded here, in memory (the test client would
        spool a large one to a temporary file that nothing closes)."""
        data: MultiDict[str, Any] = MultiDict(self.values)
        for name, uploads in self.files.items():
            for content, file_name in uploads:
                data.add(name, FileStorage(io.BytesIO(content), filename=file_name))
        boundary, body = encode_multipart(data)
        return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def api_world(app, make_user, make_company, make_provider_org, db_session):
    provider_org = make_provider_org()
    company = make_company(park="家居产业园", provider_org=provider_org)
    other_company = make_company(park="化工园区")
    users = {
        "company_own": make_user(role="company", company=company),
        "company_other": make_user(role="company", company=other_company),
        "provider": make_user(role="provider", provider_org=provider_org, is_lead=True),
        "provider_colleague": make_user(role="provider", provider_org=provider_org),
        "provider_other": make_user(role="provider"),
        "official": make_user(role="official", regions=["家居产业园"]),
        "official_other": make_user(role="official", regions=["化工园区"]),
        "admin": make_user(role="admin"),
    }
    values = {
        role: tokens.create_token(db_session, user, f"{role} 的令牌", 30)[1] for role, user in users.items()
    }
    ids: dict[str, Any] = {"company_id": company.id, "other_company_id": other_company.id}
    ids.update(access_world(company))
    project = add_project(
        get_session(),
        company.id,
        None,
        kind="robot",
        name="接口项目",
        provider_org_id=None,
        planned_investment=Decimal("10"),
        quantity=2,
        start_on=date(2026, 1, 1),
        planned_finish_on=date(2026, 6, 30),
    )
    ids["project_id"] = project.id
    ids["evidence_id"] = attached_pdf(app, ids["submitted_id"]).id
    session.commit()
    session.remove()  # the first request starts its own transaction, as in production
    return {"users": users, "tokens": values, "ids": ids, "company": company, "other_company": other_company}


def attached_pdf(app: Any, assessment_id: int, question_id: str = "equip_total") -> Evidence:
    """A PDF stored as the upload stores it and listed under the question (the provider's side)."""
    checked = files.check("台账.pdf", PDF, files.Limits())
    files.store(Path(app.config["DIAGNOSIS_STORAGE"]) / "evidence", checked)
    item = Evidence(assessment_id=assessment_id, question_id=question_id, sha256=checked.sha256,
                    original_name=checked.name, content_type=checked.content_type, size=checked.size,
                    source="verified", uploaded_by_id=None)
    get_session().add(item)
    get_session().flush()
    return item
