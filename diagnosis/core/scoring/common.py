"""Pieces shared by the model loaders: the model header and checks against an instrument."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diagnosis.core.loader_common import FileChecks
from diagnosis.core.questionnaire import Instrument

DECIMALS = 4


@dataclass(frozen=True)
class ModelHeader:
    key: str
    edition: str
    title: dict[str, str] | None
    notes: dict[str, str] | None


def read_header(checks: FileChecks, data: dict, expected_key: str) -> ModelHeader:
    if data.get("model") != expected_key:
        checks.fail("model", f"expected model {expected_key!r}")
    edition = data.get("edition")
    if not isinstance(edition, str) or not edition:
        checks.fail("edition", "must name the edition the model follows")
    return ModelHeader(expected_key, str(edition), checks.text(data, "title", ""),
                       checks.text(data, "notes", "", required=False))


@dataclass(frozen=True)
class QuestionRef:
    """A model's use of a question, checked against each instrument by the bundle."""

    file: str
    path: str
    question: str
    types: tuple[str, ...]
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactRef:
    file: str
    path: str
    fact: str


def reference_problems(refs: list[Any], instrument: Instrument) -> list[tuple[str, str, str]]:
    """(file, path, reason) for every model reference the instrument does not satisfy."""
    problems = []
    facts = set(instrument.fact_ids())
    for ref in refs:
        if isinstance(ref, FactRef):
            if ref.fact not in facts:
                problems.append((ref.file, ref.path, f"unknown fact {ref.fact!r} in {instrument.id}"))
            continue
        if not instrument.has_question(ref.question):
            problems.append((ref.file, ref.path, f"unknown question {ref.question!r} in {instrument.id}"))
            continue
        question = instrument.question(ref.question)
        if question.type not in ref.types:
            problems.append((ref.file, ref.path, f"question {ref.question!r} is {question.type}, "
                                                 f"expected {' or '.join(ref.types)}"))
        problems.extend((ref.file, ref.path, f"unknown option {option!r} of question {ref.question!r}")
                        for option in ref.options if option not in question.option_ids)
    return problems


def number(checks: FileChecks, data: dict, key: str, path: str, default: float | None = None) -> float:
    value = checks.number(data, key, path, default)
    if value is None:
        checks.fail(f"{path}.{key}", "missing number")
        return 0
    return value
