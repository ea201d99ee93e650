"""One report, start to finish: load, build, render, and keep the issued copy of a verified one.

A verified (locked) assessment's report is issued once per language and stored under
``DIAGNOSIS_STORAGE/reports/``; later requests get those stored bytes, never a re-render, so
an issued report cannot change even when templates or catalogues do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from diagnosis.core.bundle import Bundle
from reports.data import load_report_data
from reports.document import build_document, report_number
from reports.files import write_once
from reports.render import DEFAULT_OPTIONS, RenderOptions, check_language, render_pdf


@dataclass(frozen=True)
class Report:
    number: str
    filename: str
    pdf: bytes
    company_name: str
    issued: bool  # True: the stored copy of a verified report


def make_report(session: Session, assessment_id: int, lang: str, storage: str | Path | None,
                bundle: Bundle, options: RenderOptions = DEFAULT_OPTIONS) -> Report:
    """The report of ``assessment_id`` in ``lang`` (the stored copy when it was issued before).

    :param storage: DIAGNOSIS_STORAGE; None renders without keeping an issued copy.
    :raise reports.data.ReportUnavailable: no report can be made for this assessment.
    """
    check_language(lang)
    source = load_report_data(session, assessment_id, bundle)
    number = report_number(source)
    filename = f"{number}-{lang}.pdf"
    name = str(source.company.get("name", ""))
    verified = source.kind == "verified"
    stored = issued_path(storage, assessment_id, filename) if verified and storage is not None else None
    if stored is not None and stored.exists():
        return Report(number, filename, stored.read_bytes(), name, True)
    pdf = render_pdf(build_document(source, bundle, lang), options)
    if stored is not None:
        write_once(stored, pdf)
    return Report(number, filename, pdf, name, stored is not None)


def issued_path(storage: str | Path, assessment_id: int, filename: str) -> Path:
    return Path(storage) / "reports" / str(assessment_id) / filename
