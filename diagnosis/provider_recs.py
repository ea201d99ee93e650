"""The provider's list of recommendations: the engine's list for the verified answers with the
provider's edits applied (keep, dismiss, change priority or phase, add).

Pure functions over plain data: the engine's recommendations (docs/result-format.md, localized or
not) and the latest `RecommendationEdit` per key (`diagnosis.store.reviews.recommendation_edits`).
The review page, the verified report and the PDF all read the list from `provider_list`.

The verified answers may change after an edit (a question adjusted again, a round answered), so the
engine's list an edit was made against is not always the current one. The rules:

- an edit of an engine recommendation (keep / dismiss / change) whose key the engine no longer lists
  is *stale*: kept out of the list and reported by `stale` so the page can say so;
- a recommendation the provider added (action "add", or a later edit of an added one, which carries
  the added title) stays in the list whatever the engine says; when the engine now lists the same
  catalogue item itself, the addition counts as the provider's priority and phase for it;
- "changed" compares with the engine's current priority and phase: an edit that now agrees with
  the engine shows as "kept".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

MARKS = ("engine", "kept", "changed", "dismissed", "added")
#: Marks that the report flags as the provider's changes ("kept" confirms the engine).
CHANGE_MARKS = frozenset({"changed", "dismissed", "added"})
OWN_PREFIX = "own:"
OWN_KIND = "own"

#: Recommendation id prefix -> kind (recommend/advice.py lists the ids).
_KIND_PREFIXES = (("5g.", "5g_scenario"), ("cloud.", "cloud_step"), ("sf.", "smart_factory"),
                  ("sme.", "sme_uplift"), ("cmmm.", "cmmm_gap"), ("robot.", "robot"), ("green.", "green"),
                  ("industry.", "industry"), ("foundation.", "foundation"), (OWN_PREFIX, OWN_KIND))


class EditLike(Protocol):
    """What provider_list reads of a `RecommendationEdit`."""

    key: str
    action: str
    priority: float | None
    phase: str | None
    title: str | None
    detail: str | None
    reason: str | None


Edit = TypeVar("Edit", bound=EditLike)


@dataclass(frozen=True)
class CatalogueItem:
    """A recommendation the catalogues hold, in one language: what the provider may add."""

    key: str
    kind: str
    title: str
    detail: str | None


@dataclass(frozen=True)
class ProviderRecommendation:
    """One row of the provider's list.

    ``priority`` is 0–1 like the engine's; ``engine_priority`` / ``engine_phase`` are the engine's
    current values (None for one the engine does not list). ``reason`` is the provider's, for every
    mark but "engine"."""

    key: str
    kind: str
    title: str
    detail: str | None
    priority: float
    phase: str
    engine_priority: float | None
    engine_phase: str | None
    mark: str
    reason: str | None

    @property
    def dismissed(self) -> bool:
        return self.mark == "dismissed"

    @property
    def changed_by_provider(self) -> bool:
        return self.mark in CHANGE_MARKS


def kind_of(key: str) -> str:
    """The kind of a recommendation id (or "own" for one the provider wrote)."""
    for prefix, kind in _KIND_PREFIXES:
        if key.startswith(prefix):
            return kind
    return "industry"


def is_added(edit: EditLike) -> bool:
    """An addition, or a later edit of one: an edit of an added recommendation carries its title
    (and detail, priority, phase) forward, an edit of the engine's never has a title."""
    return edit.action == "add" or edit.title is not None


def provider_list(engine: Iterable[Mapping[str, Any]], edits: Mapping[str, EditLike],
                  catalogue: Mapping[str, CatalogueItem] | None = None) -> list[ProviderRecommendation]:
    """The provider's list: standing recommendations by priority (descending) then key, the
    dismissed ones after them in the same order.

    ``catalogue`` (from `catalogue_items`) titles catalogue additions in the page's language;
    without it they keep the title stored with the edit."""
    rows: list[ProviderRecommendation] = []
    listed: set[str] = set()
    for rec in engine:
        listed.add(rec["id"])
        rows.append(_engine_row(rec, edits.get(rec["id"])))
    for key, edit in edits.items():
        if key not in listed and is_added(edit):
            rows.append(_added_row(edit, (catalogue or {}).get(key)))
    return sorted(rows, key=lambda row: (row.dismissed, -row.priority, row.key))


def stale(engine: Iterable[Mapping[str, Any]], edits: Mapping[str, Edit]) -> list[Edit]:
    """Edits of engine recommendations the engine no longer lists (by key)."""
    listed = {rec["id"] for rec in engine}
    return [edit for key, edit in sorted(edits.items()) if key not in listed and not is_added(edit)]


def changed(rows: Iterable[ProviderRecommendation]) -> list[ProviderRecommendation]:
    """The rows the provider changed (dismissed, re-prioritised or re-phased, added)."""
    return [row for row in rows if row.changed_by_provider]


def addable(catalogue: Mapping[str, CatalogueItem],
            rows: Iterable[ProviderRecommendation]) -> list[CatalogueItem]:
    """Catalogue items not in the list yet (dismissed ones count as in it), by kind then key."""
    present = {row.key for row in rows}
    return sorted((item for key, item in catalogue.items() if key not in present),
                  key=lambda item: (item.kind, item.key))


def next_own_key(edits: Iterable[str]) -> str:
    """A fresh "own:<n>" key, one above the highest used."""
    numbers = [int(key[len(OWN_PREFIX):]) for key in edits
               if key.startswith(OWN_PREFIX) and key[len(OWN_PREFIX):].isdigit()]
    return f"{OWN_PREFIX}{max(numbers, default=0) + 1}"


def catalogue_items(bundle: Any, lang: str) -> dict[str, CatalogueItem]:
    """Every recommendation the catalogues can give, titled in ``lang`` (text keys <id>, <id>.why)."""
    catalogues = bundle.catalogues
    pairs = [(c.rec_id, c.kind) for c in catalogues.scenarios.candidates + catalogues.actions.candidates]
    pairs += [(f"cloud.l{step.level}", "cloud_step") for step in catalogues.cloud_steps if step.level > 0]
    pairs += [(f"sf.{rung.id}", "smart_factory") for rung in catalogues.rungs]
    pairs.append(("sme.uplift", "sme_uplift"))
    pairs += [(key, "cmmm_gap") for key in catalogues.texts
              if key.startswith("cmmm.") and key.count(".") == 1]

    def say(key: str) -> str | None:
        text = bundle.text(key)
        return text.get(lang) if text else None

    return {key: CatalogueItem(key, kind, say(key) or key, say(f"{key}.why")) for key, kind in pairs}


def _engine_row(rec: Mapping[str, Any], edit: EditLike | None) -> ProviderRecommendation:
    priority, phase = rec["priority"], rec["phase"]
    mark, reason = "engine", None
    if edit is not None:
        reason = edit.reason
        if edit.action == "dismiss":
            mark = "dismissed"
        elif edit.action in ("change", "add"):
            priority = edit.priority if edit.priority is not None else priority
            phase = edit.phase or phase
            mark = "changed" if (priority, phase) != (rec["priority"], rec["phase"]) else "kept"
        else:
            mark = "kept"
    return ProviderRecommendation(
        key=rec["id"], kind=rec["kind"], title=rec.get("title") or rec["id"], detail=rec.get("why"),
        priority=priority, phase=phase, engine_priority=rec["priority"], engine_phase=rec["phase"],
        mark=mark, reason=reason)


def _added_row(edit: EditLike, item: CatalogueItem | None) -> ProviderRecommendation:
    return ProviderRecommendation(
        key=edit.key, kind=item.kind if item else kind_of(edit.key),
        title=item.title if item else (edit.title or edit.key),
        detail=item.detail if item else edit.detail,
        priority=edit.priority or 0.0, phase=edit.phase or "", engine_priority=None, engine_phase=None,
        mark="dismissed" if edit.action == "dismiss" else "added", reason=edit.reason)
