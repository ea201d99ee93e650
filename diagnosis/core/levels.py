"""What a level means: the level catalogue (questionnaires/catalogues/levels.yaml) and where a result
stands on each scale.

The catalogue holds words only; a scale's numbers come from the scoring models in the bundle (the
SME level rules' minimum points, the CMMM bands and pass mark), so the page, the report and the
scoring cannot disagree about a threshold. The result page and the report's summary both read
:func:`standings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "catalogues" / "levels.yaml"
SCALES = {"sme": 4, "cmmm": 5}  # scale id -> its top level
TEXT_KEYS = ("name", "meaning", "for_us")
CMMM_TOP_SCORE = 5.0


class LevelsError(ValueError):
    """``file: path: reason``."""


@dataclass(frozen=True)
class Level:
    level: int
    name: Mapping[str, str]
    meaning: Mapping[str, str]
    for_us: Mapping[str, str]


@dataclass(frozen=True)
class Scale:
    id: str
    title: Mapping[str, str]
    source: Mapping[str, str]
    doubt: Mapping[str, str] | None
    levels: tuple[Level, ...]  # 0 (not yet level 1) up to the top level


@dataclass(frozen=True)
class Catalogue:
    edition: str
    scales: Mapping[str, Scale]


@cache
def catalogue() -> Catalogue:
    return load(PATH)


def load(path: Path) -> Catalogue:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != 1:
        _fail(path, "schema", "must be 1")
    scales = data.get("scales")
    if not isinstance(scales, dict) or set(scales) != set(SCALES):
        _fail(path, "scales", f"must hold exactly {', '.join(SCALES)}")
    return Catalogue(str(data.get("edition", "")),
                     {scale_id: _scale(path, scale_id, scales[scale_id]) for scale_id in SCALES})


def _fail(path: Path, where: str, reason: str) -> None:
    raise LevelsError(f"{path}: {where}: {reason}")


def _texts(path: Path, item: Any, key: str, where: str) -> dict[str, str]:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value[lang].strip()
                                              for lang in ("zh_CN", "en")):
        _fail(path, f"{where}.{key}", "must be {zh_CN: ..., en: ...}, both filled in")
    return {str(lang): str(words) for lang, words in value.items()}  # type: ignore[union-attr]


def _scale(path: Path, scale_id: str, data: Any) -> Scale:
    where = f"scales.{scale_id}"
    raw_levels = data.get("levels") if isinstance(data, dict) else None
    expected = list(range(SCALES[scale_id] + 1))
    found = [item.get("level") if isinstance(item, dict) else None for item in raw_levels or ()]
    if not isinstance(raw_levels, list) or found != expected:
        _fail(path, f"{where}.levels", f"must list the levels {expected} in order")
    levels = tuple(
        Level(index, *(_texts(path, item, key, f"{where}.levels[{index}]") for key in TEXT_KEYS))
        for index, item in enumerate(raw_levels)  # type: ignore[arg-type]
    )
    doubt = _texts(path, data, "doubt", where) if "doubt" in data else None
    return Scale(scale_id, _texts(path, data, "title", where), _texts(path, data, "source", where),
                 doubt, levels)


def text(labels: Mapping[str, str] | None, lang: str) -> str:
    """``labels`` in ``lang``, zh_CN when that is missing."""
    if not labels:
        return ""
    return labels.get(lang) or labels.get("zh_CN", "")


@dataclass(frozen=True)
class Step:
    """One level of a scale in one language; ``start`` is where it begins on the scale."""

    level: int
    name: str
    meaning: str
    for_us: str
    start: float | None  # points (SME) or overall score (CMMM); None for level 0
    current: bool


@dataclass(frozen=True)
class Standing:
    """Where a result stands on one scale.

    ``score`` is on 0..``maximum`` (SME points of 100, CMMM overall of 5); ``position`` the same as
    a share of the scale's length, for the bar. ``gap`` is what the next level still needs, from the
    result (SME: ``next_level``'s shortfalls; CMMM: the next level's score against the pass mark).
    """

    scale: str
    title: str
    source: str
    doubt: str
    assessed: bool
    level: int | None
    score: float | None
    maximum: float
    steps: tuple[Step, ...]  # levels 1..top
    below: Step  # level 0
    gap: Mapping[str, Any] | None

    @property
    def current(self) -> Step | None:
        if self.level is None:
            return None
        return self.below if self.level == 0 else self.steps[self.level - 1]

    @property
    def next(self) -> Step | None:
        """The level above the current one (None at the top or when not assessed)."""
        if self.level is None or self.level >= len(self.steps):
            return None
        return self.steps[self.level]

    @property
    def position(self) -> float:
        if self.score is None or not self.maximum:
            return 0.0
        return max(0.0, min(1.0, self.score / self.maximum))


def standings(bundle, result: Mapping[str, Any], lang: str) -> tuple[Standing, Standing]:
    """The SME and CMMM standings of an engine result (stored snapshot) in ``lang``."""
    levels = catalogue()
    return (_sme(levels.scales["sme"], bundle.sme_model, result.get("sme") or {}, lang),
            _cmmm(levels.scales["cmmm"], bundle.cmmm_model, result.get("cmmm") or {}, lang))


def _steps(scale: Scale, starts: Mapping[int, float], current: int | None, lang: str) -> list[Step]:
    return [Step(level.level, text(level.name, lang), text(level.meaning, lang), text(level.for_us, lang),
                 starts.get(level.level), level.level == current)
            for level in scale.levels]


def _standing(scale: Scale, lang: str, steps: list[Step], **values: Any) -> Standing:
    return Standing(scale.id, text(scale.title, lang), text(scale.source, lang), text(scale.doubt, lang),
                    steps=tuple(steps[1:]), below=steps[0], **values)


def _sme(scale: Scale, model, sme: Mapping[str, Any], lang: str) -> Standing:
    level = sme.get("level")
    starts = {rule.level: float(rule.min_points) for rule in model.levels}
    gap = sme.get("next_level")
    return _standing(scale, lang, _steps(scale, starts, level, lang), assessed=level is not None,
                     level=level, score=sme.get("points"), maximum=float(sme.get("max") or model.max),
                     gap=dict(gap) if gap else None)


def _cmmm(scale: Scale, model, cmmm: Mapping[str, Any], lang: str) -> Standing:
    assessed = bool(cmmm.get("assessed"))
    level = cmmm.get("level") if assessed else None
    starts = {band.level: float(band.min_overall) for band in model.bands}
    gap = None
    if assessed and level is not None and level < SCALES["cmmm"]:
        score = (cmmm.get("level_scores") or {}).get(str(level + 1))
        gap = {"level": level + 1, "score": score, "pass_mark": model.pass_threshold}
    return _standing(scale, lang, _steps(scale, starts, level, lang), assessed=assessed, level=level,
                     score=cmmm.get("overall") if assessed else None, maximum=CMMM_TOP_SCORE, gap=gap)
