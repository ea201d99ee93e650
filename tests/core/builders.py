"""Helpers that write small questionnaire trees for the loader tests."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


def text(zh: str, en: str | None = None) -> dict[str, str]:
    return {"zh_CN": zh, "en": en or zh}


def copy_tree(tmp_path: Path, source: Path = MINI) -> Path:
    root = tmp_path / "questionnaires"
    shutil.copytree(source, root)
    return root


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(path: Path, change) -> None:
    """Apply `change(data)` to a YAML file in place."""
    data = copy.deepcopy(read(path))
    change(data)
    write(path, data)
