"""The texts of a bundle: every key a result can name, gathered once when the bundle loads.

Keys (besides the catalogues' own, documented in diagnosis/core/recommend/__init__.py):
    instrument.<id>, section.<id>, question.<id>, option.<question>.<option>, fact.<id>
    sme.model, sme.notes, sme.dimension.<id>, sme.item.<id>
    cmmm.model, cmmm.notes, cmmm.element.<id>, cmmm.domain.<id>, cmmm.subdomain.<id>
    radar.model, radar.notes, radar.<id>, radar.<id>.description
    tag.<industry tag>, gbt4754.<4-digit code>
"""

from __future__ import annotations

from collections.abc import Mapping

from diagnosis.core.industry import IndustryTable
from diagnosis.core.questionnaire import Instrument
from diagnosis.core.recommend.catalogues import Catalogues
from diagnosis.core.scoring.cmmm import CmmmModel
from diagnosis.core.scoring.radar import RadarModel
from diagnosis.core.scoring.sme_model import SmeModel

TextMap = dict[str, Mapping[str, str]]


def collect_texts(instruments: Mapping[str, Instrument], sme: SmeModel, cmmm: CmmmModel, radar: RadarModel,
                  catalogues: Catalogues, industries: IndustryTable) -> TextMap:
    texts: TextMap = dict(catalogues.texts)
    for instrument in instruments.values():
        _instrument_texts(instrument, texts)
    models = (("sme", sme), ("cmmm", cmmm), ("radar", radar))
    for prefix, model in models:
        _put(texts, f"{prefix}.model", model.header.title)
        _put(texts, f"{prefix}.notes", model.header.notes)
    for dimension in sme.dimensions:
        _put(texts, f"sme.dimension.{dimension.id}", dimension.label)
        for item in dimension.items:
            _put(texts, f"sme.item.{item.id}", item.label)
    for key, label in cmmm.labels.items():
        _put(texts, f"cmmm.{key}", label)
    for subdomain in cmmm.subdomains:
        _put(texts, f"cmmm.subdomain.{subdomain.id}", subdomain.label)
    for axis in radar.dimensions:
        _put(texts, f"radar.{axis.id}", axis.label)
        _put(texts, f"radar.{axis.id}.description", axis.description)
    for tag, label in industries.tag_labels.items():
        _put(texts, f"tag.{tag}", label)
    for industry in industries.all():
        _put(texts, f"gbt4754.{industry.code}", industry.name)
    return texts


def _put(texts: TextMap, key: str, text: Mapping[str, str] | None) -> None:
    if text is not None:
        texts.setdefault(key, text)


def _instrument_texts(instrument: Instrument, texts: TextMap) -> None:
    _put(texts, f"instrument.{instrument.id}", instrument.title)
    for section in instrument.sections:
        _put(texts, f"section.{section.id}", section.title)
        for question in section.questions:
            _put(texts, f"question.{question.id}", question.text)
            for option in question.options:
                _put(texts, f"option.{question.id}.{option.id}", option.text)
    for fact in instrument.facts:
        _put(texts, f"fact.{fact.id}", fact.label)
