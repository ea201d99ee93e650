"""The reason codes a diagnostician picks when adjusting an answer (questionnaires/catalogues/
review_reasons.yaml): data, so the district can change them without code."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).resolve().parents[1] / "questionnaires" / "catalogues" / "review_reasons.yaml"


@cache
def reasons() -> Mapping[str, Mapping[str, str]]:
    """{code: {"zh_CN": ..., "en": ...}} in the file's order."""
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    if data.get("schema") != 1:
        raise ValueError(f"{PATH}: schema must be 1")
    return {entry["id"]: entry["text"] for entry in data["reasons"]}


def reason_text(code: str | None, lang: str) -> str:
    """The label of ``code`` in ``lang`` (zh_CN when missing); "" for no or an unknown code."""
    labels = reasons().get(code or "")
    return (labels.get(lang) or labels.get("zh_CN", "")) if labels else ""
