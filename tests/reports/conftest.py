"""Report fixtures: report sources built from the example answers with the real engine.

The two fixture assessments: a self-assessed furniture company and a verified one (with an
adjustment, a provider and a cohort of six peers). Dates are fixed, so HTML and PDF are stable.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.store.peers import PeerPoint
from reports.document import Adjustment, ReportData

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reports"
ISSUED = datetime(2026, 3, 18, 6, 30, tzinfo=UTC)
ADJUSTMENT = Adjustment("equip_networked", 120, 88, "现场抽查联网设备台账，部分设备未接入", ())


def example(name: str = "furniture_2110") -> dict[str, Any]:
    return json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bundle():
    return load_bundle()


@pytest.fixture(scope="session")
def make_source(bundle) -> Callable[..., ReportData]:
    """make_source(kind="self", name=..., answers=None, **fields): a ReportData from an example."""

    def make(kind: str = "self", name: str = "furniture_2110", answers: dict | None = None,
             **fields: Any) -> ReportData:
        data = example(name)
        answers = dict(answers if answers is not None else data["answers"])
        profile = bundle.profile(data["profile"])
        verified = kind == "verified"
        values: dict[str, Any] = {
            "assessment_id": 42,
            "snapshot_id": 7 if verified else 5,
            "kind": kind,
            "issued_at": ISSUED,
            "company": {"id": 1, "name": "皖西定制家居有限公司", "credit_code": "91341522MA2TEST12X",
                        "industry_code": profile["industry_code"], "park": "家居产业园"},
            "result": diagnose(bundle, answers, profile),
            "answers": answers,
            "provider": {"org": "合肥数智诊断服务有限公司", "diagnostician": "王诊断"} if verified else None,
            "adjustments": (ADJUSTMENT,) if verified else None,
            "cohort_label": {"zh_CN": "定制家居", "en": "Custom furniture"},
            "peers": tuple(PeerPoint(company_id, points, level) for company_id, points, level in
                           ((2, 38.5, 1), (3, 52.0, 2), (4, 61.0, 3), (5, 44.25, 2), (6, 70.5, 3))),
        }
        values.update(fields)
        return ReportData(**values)

    return make


def poppler(*args: str) -> str:
    """Run a poppler-utils tool and return its standard output."""
    tool = shutil.which(args[0])
    assert tool is not None, f"{args[0]} (poppler-utils) is not installed"
    return subprocess.run([tool, *args[1:]], check=True, capture_output=True, text=True).stdout
