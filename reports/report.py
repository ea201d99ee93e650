"""One report, start to finish: load, build, render, and keep it.

A report is reproducible from its key (assessment, snapshot, kind, issue date), so it is rendered
once per key and language and kept under ``DIAGNOSIS_STORAGE/reports/<assessment>/``; every later
request gets those stored bytes, never a re-render. A stored copy is never replaced
(:func:`reports.files.write_once`), so a verified report, once issued, cannot change even when
templates or catalogues do. Rendering happens in queue workers and the CLI; the web only serves
stored files (reports.renders asks for the missing ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from diagnosis.core.bundle import Bundle
from reports.data import load_report_data, report_key
from reports.document import ReportKey, build_document
from reports.files import write_once
from reports.render import DEFAULT_OPTIONS, RenderOptions, check_language, render_pdf


@dataclass(frozen=True)
class Report:
    number: str
    filename: str
    pdf: bytes
    stored: bool  # True: these are the kept bytes (read from, or now written to, the storage)


def make_report(session: Session, assessment_id: int, lang: str, storage: str | Path | None,
                bundle: Bundle, options: RenderOptions = DEFAULT_OPTIONS) -> Report:
    """The report of ``assessment_id`` in ``lang``: the stored copy, or rendered now and kept.

    :param storage: DIAGNOSIS_STORAGE; None renders without keeping a copy.
    :raise reports.data.ReportUnavailable: no report can be made for this assessment.
    """
    check_language(lang)
    key = report_key(session, assessment_id)
    stored = stored_path(storage, key, lang) if storage is not None else None
    if stored is not None and stored.exists():
        return Report(key.number, stored.name, stored.read_bytes(), True)
    source = load_report_data(session, assessment_id, bundle)
    pdf = render_pdf(build_document(source, bundle, lang), options)
    if stored is None:
        return Report(key.number, report_filename(key, lang), pdf, False)
    write_once(stored, pdf)
    return Report(key.number, stored.name, stored.read_bytes(), True)


def report_filename(key: ReportKey, lang: str) -> str:
    return f"{key.number}-{lang}.pdf"


def stored_path(storage: str | Path, key: ReportKey, lang: str) -> Path:
    """Where the report of ``key`` in ``lang`` is kept (also where issued reports always were)."""
    return Path(storage) / "reports" / str(key.assessment_id) / report_filename(key, lang)
