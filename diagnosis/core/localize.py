"""Texts for a result: every key the result can name, and `localize` which adds them for one language.

Keys (besides the catalogues' own, documented in diagnosis/core/recommend/__init__.py):
    instrument.<id>, section.<id>, question.<id>, option.<question>.<option>, fact.<id>
    sme.model, sme.notes, sme.dimension.<id>, sme.item.<id>
    cmmm.model, cmmm.notes, cmmm.element.<id>, cmmm.domain.<id>, cmmm.subdomain.<id>
    radar.model, radar.notes, radar.<id>, radar.<id>.description
    tag.<industry tag>, gbt4754.<4-digit code>
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the bundle collects its texts with this module
    from diagnosis.core.bundle import Bundle
    from diagnosis.core.questionnaire import Instrument

TextMap = dict[str, Mapping[str, str]]
Say = Callable[[str], "str | None"]  # the text of a key in the language asked for


def collect_texts(bundle: Bundle) -> TextMap:
    texts: TextMap = dict(bundle.catalogues.texts)
    for instrument in bundle.instruments.values():
        _instrument_texts(instrument, texts)
    models = (("sme", bundle.sme_model), ("cmmm", bundle.cmmm_model), ("radar", bundle.radar_model))
    for prefix, model in models:
        _put(texts, f"{prefix}.model", model.header.title)
        _put(texts, f"{prefix}.notes", model.header.notes)
    for dimension in bundle.sme_model.dimensions:
        _put(texts, f"sme.dimension.{dimension.id}", dimension.label)
        for item in dimension.items:
            _put(texts, f"sme.item.{item.id}", item.label)
    for key, label in bundle.cmmm_model.labels.items():
        _put(texts, f"cmmm.{key}", label)
    for subdomain in bundle.cmmm_model.subdomains:
        _put(texts, f"cmmm.subdomain.{subdomain.id}", subdomain.label)
    for axis in bundle.radar_model.dimensions:
        _put(texts, f"radar.{axis.id}", axis.label)
        _put(texts, f"radar.{axis.id}.description", axis.description)
    for tag, label in bundle.industries.tag_labels.items():
        _put(texts, f"tag.{tag}", label)
    for industry in bundle.industries.all():
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
