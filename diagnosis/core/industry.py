"""GB/T 4754 industry codes of the district, their tags, and the company profile the engine reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagnosis.core.loader_common import FileChecks, open_data_file
from diagnosis.core.problems import Problem

CODE_PATTERN = re.compile(r"^\d{4}$")
REVENUE_BANDS = ("lt_5m", "5m_20m", "20m_100m", "100m_400m", "ge_400m")
INDUSTRY_FILE_KEYS = frozenset({"schema", "edition", "tags", "industries"})
INDUSTRY_KEYS = frozenset({"code", "name", "tags"})


@dataclass(frozen=True)
class Industry:
    code: str
    name: Mapping[str, str]
    tags: tuple[str, ...]


class IndustryTable:
    def __init__(self, edition: str, industries: list[Industry], tag_labels: dict[str, dict[str, str]]):
        self.edition = edition
        self._by_code = {industry.code: industry for industry in sorted(industries, key=lambda i: i.code)}
        self.tag_labels = tag_labels

    def get(self, code: str) -> Industry | None:
        return self._by_code.get(code)

    def tags_for(self, code: str | None) -> tuple[str, ...]:
        industry = self._by_code.get(code) if code else None
        return industry.tags if industry else ()

    def all(self) -> list[Industry]:
        return list(self._by_code.values())


def load_industries(path: Path, root: Path) -> tuple[IndustryTable | None, list[Problem]]:
    data, checks = open_data_file(path, root, INDUSTRY_FILE_KEYS)
    problems = checks.problems
    if data is None:
        return None, problems
    edition = data.get("edition")
    if not isinstance(edition, str) or not edition:
        checks.fail("edition", "must name the edition of the classification")
    raw_tags = checks.mapping(data.get("tags"), "tags") or {}
    tags = {str(tag): checks.text(raw_tags, tag, "tags") or {} for tag in raw_tags}
    industries = [industry for index, item in enumerate(checks.list(data.get("industries"), "industries"))
                  if (industry := _industry(checks, item, f"industries[{index}]", tags)) is not None]
    seen: set[str] = set()
    for index, industry in enumerate(industries):
        if industry.code in seen:
            checks.fail(f"industries[{index}].code", f"duplicate industry code {industry.code!r}")
        seen.add(industry.code)
    if problems:
        return None, problems
    return IndustryTable(str(edition), industries, tags), problems


def _industry(checks: FileChecks, data: Any, path: str, tags: dict) -> Industry | None:
    if checks.mapping(data, path) is None:
        return None
    checks.keys(data, INDUSTRY_KEYS, path)
    code = data.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        checks.fail(f"{path}.code", "must be a quoted 4-digit GB/T 4754 code")
        return None
    name = checks.text(data, "name", path)
    industry_tags = checks.list(data.get("tags", []), f"{path}.tags")
    for index, tag in enumerate(industry_tags):
        if tag not in tags:
            checks.fail(f"{path}.tags[{index}]", f"unknown tag {tag!r}")
    return Industry(code, name, tuple(sorted(industry_tags))) if name else None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


PROFILE_CHECKS: dict[str, tuple[Any, str]] = {
    "industry_code": (lambda v: isinstance(v, str) and bool(CODE_PATTERN.match(v)), "wrong_type"),
    "employees": (_is_count, "wrong_type"),
    "above_designated_size": (lambda v: isinstance(v, bool), "wrong_type"),
    "revenue_band": (lambda v: v in REVENUE_BANDS, "unknown_option"),
    "park": (lambda v: isinstance(v, str), "wrong_type"),
    "industry_tags": (lambda v: isinstance(v, list), "wrong_type"),
}


def profile_problems(profile: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(field, code, detail) for every bad profile field; all fields are optional."""
    problems: list[tuple[str, str, dict[str, Any]]] = []
    for name in sorted(profile):
        value = profile[name]
        if name not in PROFILE_CHECKS:
            problems.append((name, "unknown_field", {}))
        elif value is not None and not PROFILE_CHECKS[name][0](value):
            problems.append((name, PROFILE_CHECKS[name][1], {}))
    return problems


def enrich_profile(profile: Mapping[str, Any], industries: IndustryTable) -> dict[str, Any]:
    """The profile the engine reads: given fields (nulls dropped) plus industry_tags from the code."""
    clean = {name: value for name, value in profile.items() if value is not None and name != "industry_tags"}
    clean["industry_tags"] = list(industries.tags_for(clean.get("industry_code")))
    return clean
