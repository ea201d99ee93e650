"""Cross-reference checks of an instrument, show-if cycle detection and the visibility order.

Nodes are ("section", id), ("question", id) and ("fact", id). A question depends on its section
and on whatever its show_if reads; a section on what its show_if reads; a fact on its inputs.
The visibility plan lists the conditional nodes and their dependencies, dependencies first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from diagnosis.core.conditions import Condition, Leaf
from diagnosis.core.operators import PRESENCE_OPS
from diagnosis.core.problems import Problem
from diagnosis.core.questionnaire import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    Constraint,
    Fact,
    PlanStep,
    Question,
    Section,
)

Node = tuple[str, str]

NUMBER_OPS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"})
OPS_BY_TYPE = {
    "single": frozenset({"eq", "ne", "in", "not_in"}),
    "multi": frozenset({"contains", "contains_any", "contains_all"}),
    "yes_no": frozenset({"eq", "ne"}),
    "text": frozenset({"eq", "ne"}),
    **{qtype: NUMBER_OPS for qtype in NUMBER_TYPES},
}


@dataclass(frozen=True)
class ConditionSite:
    """Where a show_if sits, so a problem can name its file and path."""

    file: str
    path: str
    node: Node
    condition: Condition


@dataclass
class LoadState:
    """What the section loaders gather for the cross-reference pass."""

    sites: list[ConditionSite] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # questions already reported as invalid
    complete: bool = True  # False when a file could not be read: references cannot be judged
    constraints: list[Constraint] = field(default_factory=list)  # every file's, instrument.yaml's first


@dataclass(frozen=True)
class FactSite:
    file: str
    path: str
    fact: Fact


def answer_leaf_problem(leaf: Leaf, question: Question) -> str | None:
    """Why an answer leaf cannot apply to its question (operator, option or value type), or None."""
    if leaf.op in PRESENCE_OPS:
        return None
    if leaf.op not in OPS_BY_TYPE[question.type]:
        return f"operator {leaf.op!r} does not apply to {question.type} question {question.id!r}"
    for value in leaf.operands:
        if question.type in CHOICE_TYPES and value not in question.option_ids:
            return f"unknown option {value!r} of question {question.id!r}"
        if question.type == "yes_no" and not isinstance(value, bool):
            return f"question {question.id!r} is answered true or false, not {value!r}"
        if question.type in NUMBER_TYPES and (isinstance(value, bool) or not isinstance(value, int | float)):
            return f"question {question.id!r} takes a number, not {value!r}"
    return None


def fact_leaf_problem(leaf: Leaf) -> str | None:
    if leaf.op in PRESENCE_OPS or leaf.op in NUMBER_OPS and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in leaf.operands):
        return None
    return f"fact {leaf.ref!r} is a number: operator {leaf.op!r} with {leaf.value!r} does not apply"


def reference_problems(condition: Condition, questions: Mapping[str, Question],
                       fact_ids: Iterable[str]) -> list[str]:
    """Reasons why a condition's answer/fact leaves do not fit the instrument (shared with the models)."""
    reasons = []
    known_facts = set(fact_ids)
    for leaf in condition.leaves():
        if leaf.source == "answer":
            question = questions.get(leaf.ref)
            reason = (f"unknown question {leaf.ref!r}" if question is None
                      else answer_leaf_problem(leaf, question))
        elif leaf.source == "fact":
            reason = f"unknown fact {leaf.ref!r}" if leaf.ref not in known_facts else fact_leaf_problem(leaf)
        else:
            reason = None
        if reason:
            reasons.append(reason)
    return reasons


def link_instrument(sections: list[Section], fact_sites: list[FactSite], state: LoadState,
                    problems: list[Problem]) -> tuple[tuple[Fact, ...], tuple[PlanStep, ...]]:
    """Check references, link facts to their questions, detect cycles and build the visibility plan."""
    if not state.complete:
        return tuple(site.fact for site in fact_sites), ()
    sites = [site for site in state.sites
             if not any(leaf.ref in state.broken for leaf in site.condition.leaves())]
    fact_sites = [site for site in fact_sites if not any(i.ref in state.broken for i in site.fact.inputs)]
    questions: dict[str, Question] = {}
    for section in sections:
        for question in section.questions:
            questions.setdefault(question.id, question)
    fact_ids = [site.fact.id for site in fact_sites]
    for site in sites:
        problems.extend(Problem(site.file, site.path, reason)
                        for reason in reference_problems(site.condition, questions, fact_ids))
    facts = tuple(_link_fact(site, fact_ids[:index], questions, problems)
                  for index, site in enumerate(fact_sites))
    if problems:
        return facts, ()
    graph = _dependencies(sections, facts, sites)
    problems.extend(_cycle_problems(graph, sites))
    if problems:
        return facts, ()
    return facts, _plan(graph, sections, facts, sites)


def _link_fact(site: FactSite, earlier: list[str], questions: dict[str, Question],
               problems: list[Problem]) -> Fact:
    fact = site.fact
    wanted = ("multi",) if fact.kind == "count_selected" else tuple(NUMBER_TYPES)
    excluded: frozenset[str] = frozenset()
    for item in fact.inputs:
        if item.source == "answer" and item.ref not in questions:
            problems.append(Problem(site.file, site.path, f"unknown question {item.ref!r}"))
        elif item.source == "answer" and questions[item.ref].type not in wanted:
            problems.append(Problem(site.file, site.path, f"a {fact.kind} fact cannot use "
                                    f"{questions[item.ref].type} question {item.ref!r}"))
        elif item.source == "answer":
            excluded = questions[item.ref].exclusive
        elif item.source == "fact" and item.ref not in earlier:
            problems.append(Problem(site.file, site.path,
                                    f"unknown fact {item.ref!r} (facts may use earlier facts)"))
    return replace(fact, excluded=excluded)


def _ref_node(leaf_source: str, ref: str) -> Node | None:
    return {"answer": ("question", ref), "fact": ("fact", ref)}.get(leaf_source)


def _dependencies(sections: list[Section], facts: tuple[Fact, ...],
                  sites: list[ConditionSite]) -> dict[Node, list[Node]]:
    graph: dict[Node, list[Node]] = {}
    for section in sections:
        graph[("section", section.id)] = []
        for question in section.questions:
            graph[("question", question.id)] = [("section", section.id)]
    for fact in facts:
        graph[("fact", fact.id)] = [node for item in fact.inputs
                                    if (node := _ref_node(item.source, item.ref))]
    for site in sites:
        graph[site.node].extend(node for leaf in site.condition.leaves()
                                if (node := _ref_node(leaf.source, leaf.ref)))
    return graph


def _cycle_problems(graph: dict[Node, list[Node]], sites: list[ConditionSite]) -> list[Problem]:
    where = {site.node: site for site in sites}
    state: dict[Node, int] = {}  # 1 = on the current path, 2 = done
    stack: list[Node] = []
    problems: list[Problem] = []

    def visit(node: Node) -> None:
        state[node] = 1
        stack.append(node)
        for dependency in graph.get(node, ()):
            if state.get(dependency) == 1:
                cycle = stack[stack.index(dependency):] + [dependency]
                site = next(where[n] for n in cycle if n in where)
                chain = " -> ".join(f"{kind} {name}" for kind, name in cycle)
                problems.append(Problem(site.file, site.path, f"show_if cycle: {chain}"))
            elif dependency not in state:
                visit(dependency)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
    return problems


def _plan(graph: dict[Node, list[Node]], sections: list[Section], facts: tuple[Fact, ...],
          sites: list[ConditionSite]) -> tuple[PlanStep, ...]:
    conditions = {site.node: site.condition for site in sites}
    section_of = {q.id: s.id for s in sections for q in s.questions}
    fact_by_id = {fact.id: fact for fact in facts}
    ordered: list[Node] = []
    seen: set[Node] = set()

    def visit(node: Node) -> None:
        seen.add(node)
        for dependency in graph.get(node, ()):
            if dependency not in seen:
                visit(dependency)
        ordered.append(node)

    for node in graph:
        if node in conditions and node not in seen:
            visit(node)
    return tuple(PlanStep(kind, name, conditions.get((kind, name)), section_of.get(name, ""),
                          fact_by_id.get(name) if kind == "fact" else None)
                 for kind, name in ordered)
