"""Shared pieces of every YAML loader: reading a file, the schema check and field checks.

Each check records a Problem (file, path, reason) and returns a usable value or None, so a
loader can keep going and report every problem at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from diagnosis.core.conditions import Condition, parse_condition
from diagnosis.core.problems import Problem

SCHEMA_VERSION = 1
LANGUAGES = ("zh_CN", "en")
ID_PATTERN = re.compile(r"^[a-z0-9_]+$")
INSTRUMENT_ID_PATTERN = re.compile(r"^[a-z0-9_-]+$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def display_name(path: Path, root: Path) -> str:
    """A file name for messages: relative to the parent of the questionnaires root."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class FileChecks:
    """Collects the problems of one file."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(self.file, path, reason))

    def mapping(self, data: Any, path: str) -> dict | None:
        if isinstance(data, dict):
            return data
        self.fail(path, "must be a mapping")
        return None

    def list(self, data: Any, path: str) -> list:
        if isinstance(data, list):
            return data
        self.fail(path, "must be a list")
        return []

    def keys(self, data: dict, allowed: frozenset[str] | set[str], path: str) -> None:
        for key in sorted(str(key) for key in data if key not in allowed):
            self.fail(f"{path}.{key}" if path else key, "unknown key")

    def ident(self, data: dict, path: str, key: str = "id", pattern: re.Pattern = ID_PATTERN) -> str | None:
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if not isinstance(value, str) or not pattern.match(value):
            self.fail(where, f"missing or invalid id (use {pattern.pattern[1:-1]})")
            return None
        return value

    def text(self, data: dict, key: str, path: str, required: bool = True) -> dict[str, str] | None:
        """A bilingual text {zh_CN, en}; a missing language is a problem."""
        where = f"{path}.{key}" if path else key
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, "missing text (needs zh_CN and en)")
            return None
        if not isinstance(value, dict):
            self.fail(where, "a text must be a mapping with zh_CN and en")
            return None
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(f"{where}.{language}", "missing translation")
        for extra in sorted(str(k) for k in value if k not in LANGUAGES):
            self.fail(f"{where}.{extra}", "unknown language")
        return {language: str(value.get(language, "")) for language in LANGUAGES}

    def number(self, data: dict, key: str, path: str, default: float | None = None) -> float | None:
        value = data.get(key, default)
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        self.fail(f"{path}.{key}", "must be a number")
        return default

    def boolean(self, data: dict, key: str, path: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        self.fail(f"{path}.{key}", "must be true or false")
        return default

    def condition(self, data: dict, key: str, path: str, allow_scores: bool) -> Condition | None:
        if key not in data:
            return None
        condition, problems = parse_condition(data[key], self.file, f"{path}.{key}" if path else key,
                                              allow_scores=allow_scores)
        self.problems.extend(problems)
        return condition


def open_data_file(path: Path, root: Path,
                   allowed: frozenset[str] | set[str]) -> tuple[dict | None, FileChecks]:
    """Read one YAML data file and check its top-level keys; the data is None when it is unusable.
    The returned checks collect this file's problems (`checks.problems`)."""
    checks = FileChecks(display_name(path, root), [])
    data = read_yaml(path, checks.file, checks.problems)
    if data is not None:
        checks.keys(data, allowed, "")
    return data, checks


def read_yaml(path: Path, file: str, problems: list[Problem]) -> dict | None:
    """Read one YAML file and check its `schema` version; None (with a problem) when unusable."""
    try:
        with path.open(encoding="utf-8") as stream:
            data = yaml.load(stream, Loader=_Loader)  # the (C) safe loader: plain data only
    except OSError as error:
        problems.append(Problem(file, "", f"cannot read file: {error.strerror}"))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problems.append(Problem(file, where, f"invalid YAML: {getattr(error, 'problem', error)}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(file, "", "the file must hold a mapping"))
        return None
    if data.get("schema") != SCHEMA_VERSION:
        problems.append(Problem(file, "schema", f"unsupported schema version {data.get('schema')!r} "
                                                f"(expected {SCHEMA_VERSION})"))
        return None
    return data

