"""Loading one instrument: instrument.yaml, its section files and its derived facts.

`load_instrument` reports every problem it finds (file, path, reason) and returns no instrument
when there is any; reference, cycle and visibility-order checks live in loader_graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diagnosis.core.conditions import PROFILE_FIELDS
from diagnosis.core.constraints import constraint_problems, parse_constraints
from diagnosis.core.loader_common import (
    INSTRUMENT_ID_PATTERN,
    FileChecks,
    display_name,
    open_data_file,
    read_yaml,
)
from diagnosis.core.loader_graph import ConditionSite, FactSite, LoadState, link_instrument
from diagnosis.core.loader_questions import QuestionParser, parse_options
from diagnosis.core.problems import Problem
from diagnosis.core.questionnaire import (
    Fact,
    FactInput,
    Instrument,
    Option,
    Question,
    Section,
)

INSTRUMENT_KEYS = frozenset({"schema", "id", "version", "title", "option_sets", "sections", "facts",
                             "constraints"})
SECTION_KEYS = frozenset({"schema", "id", "title", "intro", "show_if", "questions", "constraints"})
FACT_KEYS = frozenset({"id", "label", "kind", "unit", "numerator", "denominator", "of", "scale"})
FACT_INPUT_KEYS = {"ratio": ("numerator", "denominator"), "count_selected": ("of",), "sum": ("of",)}
FACT_UNITS = frozenset({"ratio", "number", "per_10k"})
FACT_SOURCES = ("answer", "fact", "profile")


def load_instrument(directory: Path, root: Path) -> tuple[Instrument | None, list[Problem]]:
    """Load and validate `directory/instrument.yaml` with its sections; all problems are returned."""
    data, checks = open_data_file(directory / "instrument.yaml", root, INSTRUMENT_KEYS)
    problems = checks.problems
    if data is None:
        return None, problems
    instrument_id = checks.ident(data, "", pattern=INSTRUMENT_ID_PATTERN)
    version = data.get("version")
    if not isinstance(version, str) or not version:
        checks.fail("version", "must be a non-empty string (quote it: \"2026.1\")")
    title = checks.text(data, "title", "")
    option_sets = _option_sets(checks, data.get("option_sets", {}))
    state = LoadState()
    sections = _sections(checks, data.get("sections"), directory, root, option_sets, state)
    facts = _facts(checks, data.get("facts", []))
    state.constraints[:0] = parse_constraints(checks, data.get("constraints", []))
    _check_duplicates(sections, problems)
    linked_facts, plan = link_instrument(sections, facts, state, problems)
    if state.complete:
        _check_constraints(state, sections, linked_facts, problems)
    if problems:
        return None, problems
    return Instrument(id=instrument_id or "", version=str(version), title=title or {},
                      sections=tuple(sections), facts=linked_facts, option_sets=option_sets,
                      visibility_plan=plan, constraints=tuple(state.constraints)), problems


def _check_constraints(state: LoadState, sections: list[Section], facts: tuple[Fact, ...],
                       problems: list[Problem]) -> None:
    """Each constraint against the instrument's questions and facts; ids unique across files."""
    questions = {q.id: q for section in sections for q in section.questions}
    fact_ids = [fact.id for fact in facts]
    seen: set[str] = set()
    for constraint in state.constraints:
        where = constraint.path
        reads = {o.ref for o in (constraint.left, constraint.right)} | set(constraint.questions)
        if reads & state.broken:
            continue  # the question it reads is already reported
        if constraint.id in seen:
            problems.append(Problem(constraint.file, f"{where}.id",
                                    f"duplicate constraint id {constraint.id!r}"))
        seen.add(constraint.id)
        problems.extend(Problem(constraint.file, where, reason)
                        for reason in constraint_problems(constraint, questions, fact_ids))


def _option_sets(checks: FileChecks, data: Any) -> dict[str, tuple[Option, ...]]:
    sets = checks.mapping(data, "option_sets") or {}
    return {str(name): parse_options(checks, options, f"option_sets.{name}")
            for name, options in sets.items()}


def _sections(checks: FileChecks, data: Any, directory: Path, root: Path,
              option_sets: dict[str, tuple[Option, ...]], state: LoadState) -> list[Section]:
    sections = []
    for index, relative in enumerate(checks.list(data, "sections")):
        if not isinstance(relative, str):
            checks.fail(f"sections[{index}]", "must be a file name relative to instrument.yaml")
            continue
        section = _load_section(directory / relative, root, option_sets, state, checks.problems)
        if section is not None:
            sections.append(section)
    if not sections and not checks.problems:
        checks.fail("sections", "an instrument needs at least one section")
    return sections


def _load_section(path: Path, root: Path, option_sets: dict[str, tuple[Option, ...]],
                  state: LoadState, problems: list[Problem]) -> Section | None:
    file = display_name(path, root)
    data = read_yaml(path, file, problems)
    if data is None:
        state.complete = False
        return None
    checks = FileChecks(file, problems)
    checks.keys(data, SECTION_KEYS, "")
    section_id = checks.ident(data, "") or ""
    title = checks.text(data, "title", "")
    intro = checks.text(data, "intro", "", required=False)
    show_if = checks.condition(data, "show_if", "", allow_scores=False)
    if show_if is not None:
        state.sites.append(ConditionSite(file, "show_if", ("section", section_id), show_if))
    parser = QuestionParser(checks, option_sets, state.broken)
    questions: list[Question] = []
    for index, item in enumerate(checks.list(data.get("questions"), "questions")):
        question = parser.parse(item, f"questions[{index}]", section_id or "")
        if question is None:
            continue
        questions.append(question)
        if question.show_if is not None:
            state.sites.append(ConditionSite(file, f"questions[{index}].show_if", ("question", question.id),
                                             question.show_if))
    state.constraints.extend(parse_constraints(checks, data.get("constraints", [])))
    if section_id is None or title is None:
        return None
    return Section(section_id, title, intro, show_if, tuple(questions), file)


def _check_duplicates(sections: list[Section], problems: list[Problem]) -> None:
    section_ids: set[str] = set()
    question_ids: set[str] = set()
    for section in sections:
        file = section.file
        if section.id in section_ids:
            problems.append(Problem(file, "id", f"duplicate section id {section.id!r}"))
        section_ids.add(section.id)
        for index, question in enumerate(section.questions):
            if question.id in question_ids:
                problems.append(Problem(file, f"questions[{index}].id",
                                        f"duplicate question id {question.id!r}"))
            question_ids.add(question.id)


def _facts(checks: FileChecks, data: Any) -> list[FactSite]:
    sites = []
    seen: set[str] = set()
    for index, item in enumerate(checks.list(data, "facts")):
        path = f"facts[{index}]"
        fact = _fact(checks, item, path)
        if fact is None:
            continue
        if fact.id in seen:
            checks.fail(f"{path}.id", f"duplicate fact id {fact.id!r}")
            continue
        seen.add(fact.id)
        sites.append(FactSite(checks.file, path, fact))
    return sites


def _fact(checks: FileChecks, data: Any, path: str) -> Fact | None:
    if checks.mapping(data, path) is None:
        return None
    before = len(checks.problems)
    checks.keys(data, FACT_KEYS, path)
    fact_id = checks.ident(data, path)
    label = checks.text(data, "label", path)
    kind = data.get("kind")
    if kind not in FACT_INPUT_KEYS:
        checks.fail(f"{path}.kind", f"unknown fact kind {kind!r} (ratio, count_selected, sum)")
        return None
    unit = data.get("unit")
    if unit not in FACT_UNITS:
        checks.fail(f"{path}.unit", f"unknown unit {unit!r} (ratio, number, per_10k)")
    scale = checks.number(data, "scale", path, default=1)
    if scale is not None and scale <= 0:
        checks.fail(f"{path}.scale", "must be positive")
    inputs = _fact_inputs(checks, data, kind, path)
    if len(checks.problems) > before:
        return None
    return Fact(id=fact_id or "", label=label or {}, kind=kind, unit=unit, inputs=inputs, scale=scale or 1)


def _fact_inputs(checks: FileChecks, data: dict, kind: str, path: str) -> tuple[FactInput, ...]:
    raw_inputs: list[tuple[Any, str]] = []
    for key in FACT_INPUT_KEYS[kind]:
        value = data.get(key)
        if kind == "sum" and isinstance(value, list) and value:
            raw_inputs.extend((item, f"{path}.{key}[{index}]") for index, item in enumerate(value))
        elif kind == "sum":
            checks.fail(f"{path}.{key}", "a sum needs a non-empty list of inputs")
        else:
            raw_inputs.append((value, f"{path}.{key}"))
    return tuple(filter(None, (_fact_input(checks, raw, where) for raw, where in raw_inputs)))


def _fact_input(checks: FileChecks, data: Any, path: str) -> FactInput | None:
    if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) not in FACT_SOURCES:
        checks.fail(path, "must be one of {answer: id}, {fact: id}, {profile: field}")
        return None
    source, ref = next(iter(data.items()))
    if not isinstance(ref, str):
        checks.fail(f"{path}.{source}", "must be an id")
        return None
    if source == "profile" and ref not in PROFILE_FIELDS:
        checks.fail(f"{path}.profile", f"unknown profile field {ref!r}")
        return None
    return FactInput(source, ref)
