"""The pipeline catalogue (questionnaires/catalogues/pipeline.yaml): project kinds, recognitions and
yearly targets, validated when loaded so a bad edit names its file, path and reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "catalogues" / "pipeline.yaml"
MEASURES = ("projects", "companies", "quantity", "investment")


class CatalogueError(ValueError):
    """``file: path: reason``."""


@dataclass(frozen=True)
class ProjectKind:
    id: str
    title: Mapping[str, str]
    recommendation_kinds: tuple[str, ...] = ()
    recommendation_ids: tuple[str, ...] = ()
    #: The unit of the project's count (robots), or None when a project has no count.
    quantity: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Recognition:
    id: str
    title: Mapping[str, str]
    #: The project kinds it can be recorded for; empty: any.
    project_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetKind:
    id: str
    title: Mapping[str, str]
    unit: Mapping[str, str]
    measure: str
    #: Empty: projects of every kind count.
    project_kinds: tuple[str, ...]
    #: Empty: any recognition of a counted project makes it done.
    recognitions: tuple[str, ...]
    default: float


@dataclass(frozen=True)
class Catalogue:
    edition: str
    project_kinds: Mapping[str, ProjectKind]
    recognitions: Mapping[str, Recognition]
    targets: Mapping[str, TargetKind]
    #: Recommendation kinds that are no project (no 立项, no potential).
    not_projects: tuple[str, ...] = ()

    def becomes_project(self, recommendation_kind: str) -> bool:
        return recommendation_kind not in self.not_projects

    def kind_for_recommendation(self, recommendation_id: str, recommendation_kind: str) -> str:
        """The project kind a recommendation becomes (tech_upgrade when nothing lists it)."""
        for kind in self.project_kinds.values():
            if recommendation_id in kind.recommendation_ids:
                return kind.id
        for kind in self.project_kinds.values():
            if recommendation_kind in kind.recommendation_kinds:
                return kind.id
        return "tech_upgrade"

    def recognitions_for(self, project_kind: str) -> list[Recognition]:
        return [recognition for recognition in self.recognitions.values()
                if not recognition.project_kinds or project_kind in recognition.project_kinds]


def text(labels: Mapping[str, str] | None, lang: str) -> str:
    """``labels`` in ``lang``, zh_CN when that is missing."""
    if not labels:
        return ""
    return labels.get(lang) or labels.get("zh_CN", "")


@cache
def catalogue() -> Catalogue:
    return load(PATH)


def load(path: Path) -> Catalogue:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    reader = _Reader(path)
    if not isinstance(data, dict) or data.get("schema") != 1:
        reader.fail("schema", "must be 1")
    kinds = {k.id: k for k in (reader.project_kind(item, f"project_kinds[{i}]")
                               for i, item in enumerate(reader.items(data, "project_kinds")))}
    if "tech_upgrade" not in kinds:
        reader.fail("project_kinds", "needs the kind tech_upgrade (where other recommendations go)")
    recognitions = {r.id: r for r in (reader.recognition(item, f"recognitions[{i}]", kinds)
                                      for i, item in enumerate(reader.items(data, "recognitions")))}
    targets = {t.id: t for t in (reader.target(item, f"targets[{i}]", kinds, recognitions)
                                 for i, item in enumerate(reader.items(data, "targets")))}
    return Catalogue(str(data.get("edition", "")), kinds, recognitions, targets,
                     reader.names(data, "not_projects", "", None))


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, reason: str) -> None:
        raise CatalogueError(f"{self.path}: {where}: {reason}")

    def items(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        items = data.get(key)
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            self.fail(key, "must be a list of mappings")
        return items  # type: ignore[return-value]

    def ident(self, item: Mapping[str, Any], where: str) -> str:
        value = item.get("id")
        if not isinstance(value, str) or not value.replace("_", "").isalnum():
            self.fail(f"{where}.id", "must be a word of letters, digits and _")
        return str(value)

    def labels(self, item: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
        value = item.get(key)
        if not isinstance(value, dict) or not isinstance(value.get("zh_CN"), str):
            self.fail(f"{where}.{key}", "must be {zh_CN: ..., en: ...}")
        return {str(lang): str(words) for lang, words in value.items()}  # type: ignore[union-attr]

    def names(self, item: Mapping[str, Any], key: str, where: str,
              known: Mapping[str, Any] | None) -> tuple[str, ...]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{where}.{key}" if where else key, "must be a list of ids")
        for name in value:
            if known is not None and name not in known:
                self.fail(f"{where}.{key}" if where else key, f"unknown id {name!r}")
        return tuple(value)

    def project_kind(self, item: Mapping[str, Any], where: str) -> ProjectKind:
        quantity = self.labels(item, "quantity", where) if "quantity" in item else None
        return ProjectKind(self.ident(item, where), self.labels(item, "title", where),
                           self.names(item, "recommendation_kinds", where, None),
                           self.names(item, "recommendation_ids", where, None), quantity)

    def recognition(self, item: Mapping[str, Any], where: str,
                    kinds: Mapping[str, ProjectKind]) -> Recognition:
        return Recognition(self.ident(item, where), self.labels(item, "title", where),
                           self.names(item, "project_kinds", where, kinds))

    def target(self, item: Mapping[str, Any], where: str, kinds: Mapping[str, ProjectKind],
               recognitions: Mapping[str, Recognition]) -> TargetKind:
        measure = item.get("measure")
        if measure not in MEASURES:
            self.fail(f"{where}.measure", f"must be one of {', '.join(MEASURES)}")
        default = item.get("default")
        if isinstance(default, bool) or not isinstance(default, int | float) or default < 0:
            self.fail(f"{where}.default", "must be a number of 0 or more")
        return TargetKind(self.ident(item, where), self.labels(item, "title", where),
                          self.labels(item, "unit", where), str(measure),
                          self.names(item, "project_kinds", where, kinds),
                          self.names(item, "recognitions", where, recognitions), float(default))  # type: ignore[arg-type]
