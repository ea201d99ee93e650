"""The engine: answers + company profile -> levels, scores, radar and ranked recommendations.

`diagnose` returns plain data shaped as docs/result-format.md (ids, keys and numbers; the same
input always gives the same output). `simulate` re-runs it with changed answers and reports the
difference; `localize` adds the texts of one language (keys: diagnosis/core/texts.py).
`check_answers` says what stands between answers and a sound result: invalid answers, answers that
contradict each other (the questionnaire's constraints) and required questions left open.
`diagnose` scores answers that break a constraint (a provider's verified answers and stored results
keep working); the company's submit, the what-if and `flask diagnose` refuse them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from diagnosis.core.answers import AnswerProblem, missing_required, validate_answers
from diagnosis.core.bundle import Bundle
from diagnosis.core.constraints import ConstraintBreak, broken_constraints
from diagnosis.core.context import Context
from diagnosis.core.facts import compute_facts
from diagnosis.core.questionnaire import Instrument
from diagnosis.core.recommend import advise
from diagnosis.core.scoring.cmmm import score_cmmm
from diagnosis.core.scoring.radar import score_radar
from diagnosis.core.scoring.sme import score_sme

ENGINE_VERSION = 1

__all__ = ["AnswerReport", "InvalidAnswers", "check_answers", "diagnose", "localize", "simulate"]


class InvalidAnswers(ValueError):
    """The answers cannot be scored; `problems` lists every one, by question id."""

    def __init__(self, problems: list[AnswerProblem]):
        super().__init__(f"{len(problems)} invalid answer(s)")
        self.problems = problems


@dataclass(frozen=True)
class AnswerReport:
    """What `check_answers` finds; `sound` when the answers can be submitted as they are."""

    problems: list[AnswerProblem]  # invalid answers, by question id: nothing can be scored
    broken: list[ConstraintBreak]  # answers that contradict each other (shown questions only)
    missing: list[str]  # required questions shown but unanswered

    @property
    def sound(self) -> bool:
        return not (self.problems or self.broken or self.missing)


def check_answers(bundle: Bundle, answers: Mapping[str, Any], profile: Mapping[str, Any],
                  instrument_id: str | None = None) -> AnswerReport:
    """Invalid answers, broken constraints and missing required answers, each by question id."""
    instrument = bundle.instrument(instrument_id)
    full_profile = bundle.profile(profile)
    check = validate_answers(instrument, answers, full_profile)
    if check.problems:
        return AnswerReport(check.problems, [], [])
    return AnswerReport([], broken_constraints(instrument, check.values, full_profile),
                        missing_required(instrument, check.values, full_profile))


def break_problems(breaks: Iterable[ConstraintBreak]) -> list[AnswerProblem]:
    """Broken constraints as answer problems: at the constraint's first question, code "constraint",
    detail {"constraint": id, <question or field>: value, ...}."""
    return [AnswerProblem(item.questions[0], "constraint", {"constraint": item.id, **item.values})
            for item in breaks]


def _cmmm_assessed(instrument: Instrument, section_id: str, not_shown: set[str]) -> bool:
    """Whether any CMMM question is shown."""
    return not instrument.section_question_ids(section_id).issubset(not_shown)


def diagnose(bundle: Bundle, answers: Mapping[str, Any], profile: Mapping[str, Any],
             instrument_id: str | None = None) -> dict[str, Any]:
    """Score and advise; raises InvalidAnswers (with every problem) instead of guessing."""
    instrument = bundle.instrument(instrument_id)
    full_profile = bundle.profile(profile)
    check = validate_answers(instrument, answers, full_profile)
    if check.problems:
        raise InvalidAnswers(check.problems)
    values = check.values
    facts = compute_facts(instrument, values, full_profile)
    sme = score_sme(bundle.sme_model, values, facts)
    cmmm_model = bundle.cmmm_model
    cmmm = score_cmmm(cmmm_model, values, _cmmm_assessed(instrument, cmmm_model.section, check.not_shown))
    radar = score_radar(bundle.radar_model, sme, cmmm, facts)
    scores = {"sme.points": sme["points"], "sme.level": sme["level"],
              "cmmm.level": cmmm["level"], "cmmm.overall": cmmm["overall"]}
    advice = advise(bundle, Context(values, facts, full_profile, scores),
                    {"sme": sme, "cmmm": cmmm, "radar": radar, "facts": facts})
    return {
        "engine": ENGINE_VERSION,
        "questionnaire": instrument.info(),
        "models": bundle.editions(),
        "profile": dict(sorted(full_profile.items())),
        "ignored_answers": [{"question": qid, "reason": reason} for qid, reason in check.ignored],
        "facts": facts,
        "sme": sme,
        "cmmm": cmmm,
        "radar": radar,
        "smart_factory": advice["smart_factory"],
        "cloud": advice["cloud"],
        "recommendations": advice["recommendations"],
    }


def apply_changes(answers: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `answers` with `changes` applied; a None value removes the answer."""
    changed = dict(answers)
    for qid, value in changes.items():
        if value is None:
            changed.pop(qid, None)
        else:
            changed[qid] = value
    return changed


def simulate(bundle: Bundle, answers: Mapping[str, Any], changes: Mapping[str, Any],
             profile: Mapping[str, Any], instrument_id: str | None = None) -> dict[str, Any]:
    """What-if: the result with `changes` applied, and how it differs from the current one.

    Raises InvalidAnswers when a change breaks a constraint that reads a changed question (code
    "constraint", see `break_problems`): an impossible value gets the message, never a score."""
    before = diagnose(bundle, answers, profile, instrument_id)
    changed = apply_changes(answers, changes)
    after = diagnose(bundle, changed, profile, instrument_id)
    instrument = bundle.instrument(instrument_id)
    touched = {c for qid in changes for c in instrument.constraints_of(qid)}
    if touched:
        full_profile = bundle.profile(profile)
        values = validate_answers(instrument, changed, full_profile).values
        breaks = broken_constraints(instrument, values, full_profile, after["facts"],
                                    [c for c in instrument.constraints if c in touched])
        if breaks:
            raise InvalidAnswers(break_problems(breaks))
    ids_before = {entry["id"] for entry in before["recommendations"]}
    ids_after = {entry["id"] for entry in after["recommendations"]}
    return {"result": after, "diff": {
        "sme_level": [before["sme"]["level"], after["sme"]["level"]],
        "sme_points": [before["sme"]["points"], after["sme"]["points"]],
        "cmmm_level": [before["cmmm"]["level"], after["cmmm"]["level"]],
        "cmmm_overall": [before["cmmm"]["overall"], after["cmmm"]["overall"]],
        "recommendations_gained": sorted(ids_after - ids_before),
        "recommendations_lost": sorted(ids_before - ids_after),
    }}


Say = Callable[[str], "str | None"]  # the text of a key in the language asked for


def localize(result: Mapping[str, Any], bundle: Bundle, lang: str) -> dict[str, Any]:
    """A copy of `result` with labels in `lang` (zh_CN or en) next to the ids, plus a `texts` map."""
    def say(key: str) -> str | None:
        text = bundle.text(key)
        return text.get(lang) if text else None

    out = dict(result)
    questionnaire_id = result["questionnaire"]["id"]
    out["questionnaire"] = {**result["questionnaire"], "title": say(f"instrument.{questionnaire_id}")}
    out["sme"] = _sme(result["sme"], say)
    out["cmmm"] = {**result["cmmm"], "subdomains": [
        {**entry, "label": say(f"cmmm.subdomain.{entry['id']}")} for entry in result["cmmm"]["subdomains"]]}
    out["radar"] = [{**entry, "label": say(f"radar.{entry['id']}"),
                     "description": say(f"radar.{entry['id']}.description")} for entry in result["radar"]]
    out["smart_factory"] = [_rung(entry, say) for entry in result["smart_factory"]]
    out["recommendations"] = [{**entry, "title": say(entry["id"]), "why": say(f"{entry['id']}.why"),
                               "how": say(f"{entry['id']}.how")} for entry in result["recommendations"]]
    out["texts"] = _texts(result, say)
    return out


def _sme(sme: Mapping[str, Any], say: Say) -> dict[str, Any]:
    dimensions = [{**dimension, "label": say(f"sme.dimension.{dimension['id']}"),
                   "items": [{**item, "label": say(f"sme.item.{item['id']}")} for item in dimension["items"]]}
                  for dimension in sme["dimensions"]]
    scenarios = [{**entry, "label": say(f"question.{entry['id']}")} for entry in sme["scenarios"]]
    return {**sme, "dimensions": dimensions, "scenarios": scenarios}


def _rung(entry: Mapping[str, Any], say: Say) -> dict[str, Any]:
    criteria = [{**criterion, "text": say(f"sf.{entry['id']}.{criterion['id']}")}
                for criterion in entry.get("criteria", ())]
    return {**entry, "title": say(f"sf.{entry['id']}"), "criteria": criteria}


def _texts(result: Mapping[str, Any], say: Say) -> dict[str, str | None]:
    """Labels for ids that sit in plain mappings or lists: facts, questions, tags, models, cloud steps."""
    keys = [f"fact.{fact}" for fact in result["facts"]]
    keys += [f"question.{entry['question']}" for entry in result["ignored_answers"]]
    keys += [f"question.{qid}" for qid in result["cmmm"]["unanswered"]]
    keys += [f"tag.{tag}" for tag in result["profile"].get("industry_tags", ())]
    if result["profile"].get("industry_code"):
        keys.append(f"gbt4754.{result['profile']['industry_code']}")
    keys += [f"{model}.{part}" for model in ("sme", "cmmm", "radar") for part in ("model", "notes")]
    cloud = result.get("cloud") or {}
    keys += [f"cloud.l{cloud[step]}" for step in ("current_step", "next_step") if cloud.get(step) is not None]
    return {key: say(key) for key in keys}
