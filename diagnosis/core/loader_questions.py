"""Parsing one question (and its options) from a section file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagnosis.core.loader_common import FileChecks
from diagnosis.core.questionnaire import (
    DEFAULT_MAX_LENGTH,
    QUESTION_TYPES,
    SCENARIO_LEVELS,
    Option,
    Question,
)

COMMON_KEYS = frozenset({"id", "type", "text", "short", "help", "evidence", "required", "show_if"})
TYPE_KEYS: dict[str, frozenset[str]] = {
    "single": frozenset({"options"}),
    "multi": frozenset({"options", "exclusive"}),
    "yes_no": frozenset(),
    "integer": frozenset({"unit", "min", "max"}),
    "decimal": frozenset({"unit", "min", "max", "step"}),
    "percent": frozenset(),
    "scenario_level": frozenset({"levels"}),
    "text": frozenset({"max_length"}),
}
OPTION_KEYS = frozenset({"id", "text", "help"})


def parse_options(checks: FileChecks, data: Any, path: str) -> tuple[Option, ...]:
    """A list of options; duplicate option ids are problems."""
    options: list[Option] = []
    seen: set[str] = set()
    for index, item in enumerate(checks.list(data, path)):
        where = f"{path}[{index}]"
        if checks.mapping(item, where) is None:
            continue
        checks.keys(item, OPTION_KEYS, where)
        option_id = checks.ident(item, where)
        text = checks.text(item, "text", where)
        help_text = checks.text(item, "help", where, required=False)
        if option_id in seen:
            checks.fail(f"{where}.id", f"duplicate option id {option_id!r}")
        elif option_id is not None and text is not None:
            seen.add(option_id)
            options.append(Option(option_id, text, help_text))
    return tuple(options)


class QuestionParser:
    def __init__(self, checks: FileChecks, option_sets: Mapping[str, tuple[Option, ...]], broken: set[str]):
        self.checks = checks
        self.option_sets = option_sets
        self.broken = broken  # ids of questions that failed to parse: no follow-on "unknown" problems

    def parse(self, data: Any, path: str, section_id: str) -> Question | None:
        checks = self.checks
        if checks.mapping(data, path) is None:
            return None
        qid = checks.ident(data, path) or ""
        qtype = data.get("type")
        if qtype not in QUESTION_TYPES:
            checks.fail(f"{path}.type", f"unknown question type {qtype!r}")
            self.broken.add(qid)
            return None
        checks.keys(data, COMMON_KEYS | TYPE_KEYS[qtype], path)
        before = len(checks.problems)
        fields = {
            "text": checks.text(data, "text", path),
            "short": checks.text(data, "short", path, required=False),
            "help": checks.text(data, "help", path, required=False),
            "evidence": checks.text(data, "evidence", path, required=False),
            "required": checks.boolean(data, "required", path),
            "show_if": checks.condition(data, "show_if", path, allow_scores=False),
            **getattr(self, f"_{qtype}")(data, path),
        }
        if not qid or len(checks.problems) > before:
            self.broken.add(qid)
            return None
        return Question(id=qid, type=qtype, section=section_id, **fields)

    def _options(self, data: dict, path: str) -> tuple[Option, ...]:
        raw = data.get("options")
        if isinstance(raw, dict):
            self.checks.keys(raw, frozenset({"set"}), f"{path}.options")
            name = raw.get("set")
            if not isinstance(name, str) or name not in self.option_sets:
                self.checks.fail(f"{path}.options.set", f"unknown option set {name!r}")
                return ()
            return self.option_sets[name]
        options = parse_options(self.checks, raw, f"{path}.options")
        if not options and isinstance(raw, list):
            self.checks.fail(f"{path}.options", "a choice question needs options")
        return options

    def _single(self, data: dict, path: str) -> dict[str, Any]:
        options = self._options(data, path)
        return {"options": options, "option_ids": frozenset(option.id for option in options)}

    def _multi(self, data: dict, path: str) -> dict[str, Any]:
        fields = self._single(data, path)
        exclusive = self.checks.list(data.get("exclusive", []), f"{path}.exclusive")
        for index, option_id in enumerate(exclusive):
            if option_id not in fields["option_ids"]:
                self.checks.fail(f"{path}.exclusive[{index}]", f"unknown option {option_id!r}")
        return {**fields, "exclusive": frozenset(exclusive)}

    def _yes_no(self, data: dict, path: str) -> dict[str, Any]:
        return {}

    def _range(self, data: dict, path: str) -> dict[str, Any]:
        low = self.checks.number(data, "min", path)
        high = self.checks.number(data, "max", path)
        if low is not None and high is not None and low > high:
            self.checks.fail(f"{path}.min", f"min {low} is greater than max {high}")
        return {"min": low, "max": high, "unit": self.checks.text(data, "unit", path, required=False)}

    def _integer(self, data: dict, path: str) -> dict[str, Any]:
        for key in ("min", "max"):
            if isinstance(data.get(key), float):
                self.checks.fail(f"{path}.{key}", "an integer question needs whole-number bounds")
        return self._range(data, path)

    def _decimal(self, data: dict, path: str) -> dict[str, Any]:
        step = self.checks.number(data, "step", path)
        if step is not None and step <= 0:
            self.checks.fail(f"{path}.step", "step must be positive")
        return {**self._range(data, path), "step": step}

    def _percent(self, data: dict, path: str) -> dict[str, Any]:
        return {"min": 0, "max": 100}

    def _scenario_level(self, data: dict, path: str) -> dict[str, Any]:
        raw = self.checks.mapping(data.get("levels"), f"{path}.levels") or {}
        keys = {int(key): key for key in raw if str(key).isdigit()}
        if raw and (set(keys) != set(SCENARIO_LEVELS) or len(keys) != len(raw)):
            self.checks.fail(f"{path}.levels", "needs exactly the levels 1, 2, 3 and 4")
        texts = {level: self.checks.text(raw, key, f"{path}.levels")
                 for level, key in sorted(keys.items()) if level in SCENARIO_LEVELS}
        return {"levels": texts, "min": 0, "max": SCENARIO_LEVELS[-1]}

    def _text(self, data: dict, path: str) -> dict[str, Any]:
        max_length = data.get("max_length", DEFAULT_MAX_LENGTH)
        if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1:
            self.checks.fail(f"{path}.max_length", "must be a positive whole number")
            max_length = DEFAULT_MAX_LENGTH
        return {"max_length": max_length}
