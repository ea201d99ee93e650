"""Report fixtures: report sources built from the example answers with the real engine.

The two fixture assessments: a self-assessed furniture company and a verified one (with
adjustments, findings, the provider's edits of the recommendations, the self-assessed result
and a cohort of six peers). Dates are fixed, so HTML and PDF are stable.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose
from diagnosis.store.peers import PeerPoint
from reports.document import Adjustment, FindingNote, ProviderEdit, ReportData

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reports"
ISSUED = datetime(2026, 3, 18, 6, 30, tzinfo=UTC)
#: What the verified fixture's company answered where the diagnostician found otherwise (the
#: example holds the verified answers; network_5g was marked not applicable, so it has none).
COMPANY_CLAIMS = {"equip_networked": 120, "sme_sc_quality": 4, "network_5g": "planned"}
ADJUSTMENTS = (
    Adjustment("sme_sc_quality", 4, 3, "在线检测仅覆盖封边工序", ("质检记录-2026-03.pdf", "检测工位.jpg"),
               reason_code="evidence_differs"),
    Adjustment("equip_networked", 120, 88, "现场抽查联网设备台账，部分设备未接入", ("设备台账.xlsx",),
               reason_code="site_differs"),
    Adjustment("network_5g", "planned", None, "园区暂无 5G 覆盖", (), reason_code="other",
               not_applicable=True),
)
FINDINGS = (FindingNote("cmmm", "major", "设备点检仍靠纸质记录，数据未进入 MES"),
            FindingNote("profile", "info", "企业已设专人负责数字化"),
            FindingNote("sme2024", "minor", "数据安全制度未落实到车间"))
EDITS = {
    "cloud.l3": ProviderEdit("cloud.l3", "change", 0.9, "0-6", None, None, "企业已列入今年预算"),
    "5g.unit_simulation": ProviderEdit("5g.unit_simulation", "dismiss", None, None, None, None,
                                       "园区暂无 5G 覆盖"),
    "own:1": ProviderEdit("own:1", "add", 0.5, "0-6", "建立设备点检电子台账", "以扫码点检替代纸质记录",
                          "现场所见"),
}
ADJUSTMENT = ADJUSTMENTS[1]  # the one benchmarks/report.py shows


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
        verified = kind == "verified"
        if answers is None:
            answers = {qid: value for qid, value in data["answers"].items()
                       if not (verified and qid == "network_5g")}
        answers = dict(answers)
        profile = bundle.profile(data["profile"])
        values: dict[str, Any] = {
            "assessment_id": 42,
            "snapshot_id": 7 if verified else 5,
            "kind": kind,
            "issued_at": ISSUED,
            "company": {"id": 1, "name": "皖西定制家居有限公司", "credit_code": "91341522MA2TEST12X",
                        "industry_code": profile["industry_code"], "park": "家居产业园"},
            "result": diagnose(bundle, answers, profile),
            "answers": answers,
            "provider": {"org": "合肥数智诊断服务有限公司", "diagnostician": "王诊断",
                         "signed_off_at": ISSUED} if verified else None,
            "adjustments": ADJUSTMENTS if verified else None,
            "findings": FINDINGS if verified else (),
            "recommendation_edits": EDITS if verified else None,
            "self_result": diagnose(bundle, {**answers, **COMPANY_CLAIMS}, profile) if verified else None,
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


def pdf_layout(path: Path) -> tuple[str, str]:
    """The PDF's text without white space read two ways, page by page: column by column (lines
    that start at the same x, top to bottom: a table cell's wrapped lines come out joined, where
    plain pdftotext interleaves them with the cells beside it) and row by row (lines at the same
    height, left to right: a table row of short cells reads across)."""
    layout = poppler("pdftotext", "-bbox-layout", str(path), "-")
    columns: list[str] = []
    rows: list[str] = []
    for page in re.findall(r"<page[^>]*>(.*?)</page>", layout, re.S):
        by_x: dict[int, list[tuple[float, str]]] = defaultdict(list)
        by_y: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for attributes, body in re.findall(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            box = dict(re.findall(r'(\w+)="([^"]*)"', attributes))
            x, y = float(box["xMin"]), float(box["yMin"])
            text = "".join(html.unescape(word) for word in re.findall(r"<word[^>]*>(.*?)</word>", body, re.S))
            by_x[round(x)].append((y, text))
            by_y[round(y)].append((x, text))
        columns += ["".join(text for _, text in sorted(by_x[x])) for x in sorted(by_x)]
        rows += ["".join(text for _, text in sorted(by_y[y])) for y in sorted(by_y)]
    return "\n".join(columns), "\n".join(rows)
