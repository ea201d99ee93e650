"""Everything the engine needs, loaded once: instruments, scoring models, catalogues, industries.

`load_bundle` validates the whole tree (every problem at once, as a QuestionnaireError) and caches
the result per path; `check_bundle` returns the problems without raising (for the CLI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from diagnosis.core.industry import IndustryTable, enrich_profile, load_industries
from diagnosis.core.loader import load_instrument
from diagnosis.core.loader_common import display_name
from diagnosis.core.problems import Problem, QuestionnaireError
from diagnosis.core.questionnaire import Instrument
from diagnosis.core.recommend.catalogues import Catalogues, load_catalogues
from diagnosis.core.scoring.cmmm import CmmmModel, load_cmmm_model
from diagnosis.core.scoring.common import reference_problems
from diagnosis.core.scoring.radar import RadarModel, fact_refs, load_radar_model, radar_problems
from diagnosis.core.scoring.sme_model import SmeModel, load_sme_model
from diagnosis.core.texts import collect_texts

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "questionnaires"


@dataclass(eq=False)
class Bundle:
    root: Path
    instruments: dict[str, Instrument]
    sme_model: SmeModel
    cmmm_model: CmmmModel
    radar_model: RadarModel
    catalogues: Catalogues
    industries: IndustryTable
    texts: dict[str, Mapping[str, str]] = field(repr=False)

    def active_instrument(self) -> Instrument:
        """The instrument new assessments use: the first by id (the district has one)."""
        return self.instruments[self._active_id]

    @cached_property
    def _active_id(self) -> str:
        return min(self.instruments)

    def instrument(self, instrument_id: str | None = None) -> Instrument:
        if instrument_id is None:
            return self.active_instrument()
        return self.instruments[instrument_id]

    def text(self, key: str) -> Mapping[str, str] | None:
        """{zh_CN, en} for any id the result uses (see diagnosis/core/texts.py for the keys)."""
        return self.texts.get(key)

    def profile(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The profile conditions read: the company's fields plus industry_tags from its code."""
        return enrich_profile(raw, self.industries)

    def editions(self) -> dict[str, Any]:
        """A fresh copy each time (results are the caller's to keep or change)."""
        editions = self._editions
        return {**editions, "catalogues": dict(editions["catalogues"])}

    @cached_property
    def _editions(self) -> dict[str, Any]:
        return {"sme2024": self.sme_model.edition, "cmmm": self.cmmm_model.edition,
                "radar": self.radar_model.edition,
                "catalogues": dict(sorted(self.catalogues.editions.items()))}


def check_bundle(root: str | Path = DEFAULT_ROOT) -> list[Problem]:
    """Every problem of the questionnaire tree at `root` (empty when it loads)."""
    return _load(Path(root))[1]


def load_bundle(root: str | Path = DEFAULT_ROOT) -> Bundle:
    """The validated bundle at `root`, cached per path; raises QuestionnaireError with all problems."""
    return _cached(str(Path(root).resolve()))


@lru_cache(maxsize=8)
def _cached(root: str) -> Bundle:
    bundle, problems = _load(Path(root))
    if bundle is None:
        raise QuestionnaireError(problems)
    return bundle


def _load(root: Path) -> tuple[Bundle | None, list[Problem]]:
    problems: list[Problem] = []
    instruments = _instruments(root, problems)
    sme, cmmm, radar = (_collect(loader(root / "models" / f"{name}.yaml", root), problems) for name, loader in
                        (("sme2024", load_sme_model), ("cmmm", load_cmmm_model), ("radar", load_radar_model)))
    industries = _collect(load_industries(root / "catalogues" / "industries.yaml", root), problems)
    catalogues = None
    if instruments:
        active = instruments[min(instruments)]
        catalogues = _collect(load_catalogues(root, active), problems)
    cmmm_file = display_name(root / "models" / "cmmm.yaml", root)
    for instrument in instruments.values():
        problems.extend(_model_problems(instrument, sme, cmmm, radar, cmmm_file))
    if problems or not instruments or catalogues is None:
        return None, problems
    texts = collect_texts(instruments, sme, cmmm, radar, catalogues, industries)
    return Bundle(root, instruments, sme, cmmm, radar, catalogues, industries, texts), problems


def _collect(loaded: tuple[Any, list[Problem]], problems: list[Problem]) -> Any:
    value, found = loaded
    problems.extend(found)
    return value


def _instruments(root: Path, problems: list[Problem]) -> dict[str, Instrument]:
    directories = sorted(path.parent for path in (root / "instruments").glob("*/instrument.yaml"))
    if not directories:
        problems.append(Problem(display_name(root / "instruments", root), "",
                                "no instrument found (instruments/<id>/instrument.yaml)"))
    instruments: dict[str, Instrument] = {}
    for directory in directories:
        instrument = _collect(load_instrument(directory, root), problems)
        if instrument is not None and instrument.id in instruments:
            problems.append(Problem(str(directory), "id", f"duplicate instrument id {instrument.id!r}"))
        elif instrument is not None:
            instruments[instrument.id] = instrument
    return instruments


def _model_problems(instrument: Instrument, sme: SmeModel | None, cmmm: CmmmModel | None,
                    radar: RadarModel | None, cmmm_file: str) -> list[Problem]:
    """Models must name questions, options and facts the instrument has."""
    refs: list[Any] = [*(sme.references if sme else ()), *(cmmm.references if cmmm else ()),
                       *(fact_refs(radar) if radar else ())]
    problems = [Problem(*found) for found in reference_problems(refs, instrument)]
    if cmmm is not None and cmmm.section not in {section.id for section in instrument.sections}:
        problems.append(Problem(cmmm_file, "section",
                                f"unknown section {cmmm.section!r} in {instrument.id}"))
    if radar is not None and sme is not None and cmmm is not None:
        problems.extend(radar_problems(radar, sme, cmmm, set(instrument.fact_ids())))
    return problems
