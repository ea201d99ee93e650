"""How a section page lays out its questions: headings, a shared answer scale, folded higher levels.

Everything here is read from the data, no rule of its own:

- Headings: the CMMM self-check's statements are grouped under the sub-domains of the CMMM model
  (questionnaires/models/cmmm.yaml: each sub-domain's label and the levels it has requirements at).
- The answer scale: when several questions of a page offer the same options with explanations
  (the CMMM satisfaction scale), the explanations are shown once above them, not at every question.
- Level by level (GB/T 39117): the overall score adds the level scores up to and including the
  first level below the model's pass threshold, so the statements of a level above that one cannot
  change the level or the overall score. They are folded away as optional ("选答") until the
  levels below are reached: a company sees the statements of the levels it reached and of the next
  one, and always those of levels 1–3 (ALWAYS_OPEN: 一级 to 三级 is where the district's companies
  stand, so they answer them in one go, without waiting for a level to open; 四级 优化级 and 五级
  引领级 presuppose 三级 集成级). The reached level is the engine's, from the answers as they stand.
  A folded statement that has an answer, a message or a contradiction is unfolded, so nothing
  saved is out of sight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diagnosis.core.scoring.cmmm import CmmmModel, score_cmmm
from diagnosis.web.assess.forms import localized
from diagnosis.web.assess.pages import QuestionView
from diagnosis.web.assess.service import State

ALWAYS_OPEN = 3  # the levels whose statements are open whatever the answers (see above)


@dataclass(frozen=True)
class QuestionGroup:
    """Questions under one heading (None: no heading); ``folded`` are the optional higher levels."""

    title: str | None
    questions: list[QuestionView]
    folded: list[QuestionView] = field(default_factory=list)
    levels: str = ""  # the folded levels, e.g. "3–5"

    @property
    def unfold(self) -> bool:
        return any(view.answered or view.message or view.disagreements for view in self.folded)


@dataclass(frozen=True)
class Layout:
    groups: list[QuestionGroup]
    #: the options whose explanations are shown once above the questions (None: at each question)
    scale: tuple[Any, ...] | None = None
    reached: int | None = None  # the CMMM level reached so far, on the self-check page


def layout(state: State, section, views: list[QuestionView], model: CmmmModel) -> Layout:
    scale = shared_scale(views)
    if section.id != model.section:
        return Layout([QuestionGroup(None, views)], scale)
    reached = reached_level(state, model)
    return Layout(subdomain_groups(views, model, reached), scale, reached)


def shared_scale(views: list[QuestionView]) -> tuple[Any, ...] | None:
    """The options (with explanations) that at least two shown questions offer alike."""
    found: dict[tuple[str, ...], tuple[Any, ...]] = {}
    counts: dict[tuple[str, ...], int] = {}
    for view in views:
        options = view.question.options
        if view.visible and options and any(option.help for option in options):
            key = tuple(repr((option.id, option.text, option.help)) for option in options)
            found[key] = options
            counts[key] = counts.get(key, 0) + 1
    shared = [found[key] for key, count in counts.items() if count >= 2]
    return shared[0] if len(shared) == 1 else None


def reached_level(state: State, model: CmmmModel) -> int:
    """The CMMM level the shown answers reach now (0 below level 1)."""
    shown = {qid: value for qid, value in state.answers.items() if qid in state.visible}
    return score_cmmm(model, shown, True)["level"] or 0


def subdomain_groups(views: list[QuestionView], model: CmmmModel, reached: int) -> list[QuestionGroup]:
    """One group per sub-domain in the model's order; other questions of the section first."""
    by_id = {view.question.id: view for view in views}
    placed: set[str] = set()
    groups = []
    for sub in model.subdomains:
        open_views, folded, folded_levels = [], [], []
        for requirement in sub.requirements:
            view = by_id.get(requirement.question)
            if view is None:
                continue
            placed.add(requirement.question)
            if requirement.level <= max(reached + 1, ALWAYS_OPEN):
                open_views.append(view)
            else:
                folded.append(view)
                folded_levels.append(requirement.level)
        if open_views or folded:
            groups.append(QuestionGroup(localized(sub.label), open_views, folded, level_span(folded_levels)))
    rest = [view for view in views if view.question.id not in placed]
    return ([QuestionGroup(None, rest)] if rest else []) + groups


def level_span(levels: list[int]) -> str:
    if not levels:
        return ""
    return str(levels[0]) if len(levels) == 1 else f"{levels[0]}–{levels[-1]}"


def open_unanswered(state: State, model: CmmmModel) -> list[tuple[str, list[tuple[int, Any]]]]:
    """The self-check statements still to answer at the open levels as (level, question), under
    their sub-domains (for the submit page's links); none when the self-check is not shown."""
    reached = reached_level(state, model)
    found = []
    for sub in model.subdomains:
        questions = [(req.level, state.instrument.question(req.question)) for req in sub.requirements
                     if req.level <= max(reached + 1, ALWAYS_OPEN) and req.question in state.visible
                     and req.question not in state.answers]
        if questions:
            found.append((localized(sub.label), questions))
    return found
