"""Report batches on disk: a manifest, one PDF or one error file per company, progress, the ZIP.

The batch directory is the only state shared by the web process, the CLI and the queue
workers (embedded SQLite consumer or Redis workers on the same storage), so progress is simply
what the directory holds. A failed render writes an error file naming the company and the
reason; it never stops the other renders.
"""

from __future__ import annotations

import json
import re
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
ERRORS = "errors.txt"
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff-]+")


@dataclass(frozen=True)
class BatchItem:
    assessment_id: int
    company: str


@dataclass(frozen=True)
class Progress:
    total: int
    rendered: int
    failed: int

    @property
    def done(self) -> int:
        return self.rendered + self.failed

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


def batches_root(storage: str | Path) -> Path:
    return Path(storage) / "batches"


def create_batch(directory: Path, items: Sequence[BatchItem], lang: str) -> Path:
    """Write the manifest of a new batch into ``directory`` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {"lang": lang, "items": [{"assessment_id": item.assessment_id, "company": item.company}
                                         for item in items]}
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return directory


def new_batch_dir(storage: str | Path) -> Path:
    """A fresh directory under DIAGNOSIS_STORAGE/batches with an unguessable name."""
    return batches_root(storage) / secrets.token_hex(12)


def read_manifest(directory: Path) -> tuple[str, list[BatchItem]]:
    data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    return data["lang"], [BatchItem(item["assessment_id"], item["company"]) for item in data["items"]]


def output_name(item: BatchItem, number: str) -> str:
    """A file name safe on every system: report number plus a cleaned company name."""
    company = _UNSAFE.sub("_", item.company).strip("_")[:40]
    return f"{number}-{company}.pdf" if company else f"{number}.pdf"


def record_success(directory: Path, item: BatchItem, number: str, pdf: bytes) -> None:
    (directory / output_name(item, number)).write_bytes(pdf)
    _marker(directory, item).write_text("ok", encoding="utf-8")


def record_failure(directory: Path, item: BatchItem, reason: str) -> None:
    _marker(directory, item).write_text(
        json.dumps({"company": item.company, "reason": reason}, ensure_ascii=False), encoding="utf-8")


def _marker(directory: Path, item: BatchItem) -> Path:
    return directory / f".{item.assessment_id}.done"


def failures(directory: Path) -> list[dict]:
    """Each failed render as {"company", "reason"}, in manifest order."""
    _, items = read_manifest(directory)
    found = []
    for item in items:
        marker = _marker(directory, item)
        if marker.exists() and marker.read_text(encoding="utf-8") != "ok":
            found.append(json.loads(marker.read_text(encoding="utf-8")))
    return found


def progress(directory: Path) -> Progress:
    _, items = read_manifest(directory)
    markers = [_marker(directory, item) for item in items]
    states = [marker.read_text(encoding="utf-8") for marker in markers if marker.exists()]
    rendered = sum(1 for state in states if state == "ok")
    return Progress(total=len(items), rendered=rendered, failed=len(states) - rendered)


def write_error_list(directory: Path) -> Path:
    lines = [f"{failure['company']}: {failure['reason']}" for failure in failures(directory)]
    path = directory / ERRORS
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return path


def build_zip(directory: Path) -> Path:
    """The finished batch as one ZIP: every PDF and, when some renders failed, errors.txt."""
    target = directory / "reports.zip"
    errors = write_error_list(directory)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for pdf in sorted(directory.glob("*.pdf")):
            archive.write(pdf, pdf.name)
        if errors.stat().st_size:
            archive.write(errors, ERRORS)
    return target
