"""Loading the recommendations of a reviewed assessment and writing the provider's edits.

The engine's list is the one for the verified answers as they stand now (recomputed on every
request while the review is open; read from the verified snapshot once signed off, so the page shows
what the report holds). Every edit appends a `RecommendationEdit` and an audit event; nothing is
overwritten. Functions flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.engine import localize
from diagnosis.provider_recs import (
    CatalogueItem,
    ProviderRecommendation,
    addable,
    catalogue_items,
    is_added,
    next_own_key,
    provider_list,
    stale,
)
from diagnosis.store import reviews
from diagnosis.store.accounts import utcnow
from diagnosis.store.assessments import latest_snapshot
from diagnosis.store.reviews import RecommendationEdit
from diagnosis.web.bundle import diagnose_for


@dataclass
class RecsState:
    """What the page and the actions read: the engine's list, the edits, the provider's list."""

    assessment: Any
    engine: list[dict]  # localized
    edits: dict[str, RecommendationEdit]
    rows: list[ProviderRecommendation]
    stale: list[RecommendationEdit]
    catalogue: dict[str, CatalogueItem]
    phases: tuple[str, ...]

    @property
    def editable(self) -> bool:
        return self.assessment.status == "submitted"

    def row(self, key: str) -> ProviderRecommendation | None:
        return next((row for row in self.rows if row.key == key), None)

    def addable(self) -> list[CatalogueItem]:
        return addable(self.catalogue, self.rows)


def engine_result(session: Session, assessment, bundle) -> dict:
    """The engine's result the provider edits: the verified snapshot once signed off, else the
    verified answers scored now."""
    if assessment.status == "verified":
        snapshot = latest_snapshot(session, assessment.id, "verified")
        if snapshot is not None:
            return snapshot.result
    return diagnose_for(assessment, reviews.verified_answers(session, assessment.id), bundle)


def load(session: Session, assessment, bundle, lang: str) -> RecsState:
    result = localize(engine_result(session, assessment, bundle), bundle, lang)
    engine = result["recommendations"]
    edits = reviews.recommendation_edits(session, assessment.id)
    catalogue = catalogue_items(bundle, lang)
    return RecsState(assessment, engine, edits, provider_list(engine, edits, catalogue), stale(engine, edits),
                     catalogue, bundle.catalogues.priority.phases)


def with_edit(state: RecsState, edit: RecommendationEdit) -> RecsState:
    """The state after ``edit`` (just written): the same engine list, the provider's list anew."""
    edits = {**state.edits, edit.key: edit}
    return replace(state, edits=edits, rows=provider_list(state.engine, edits, state.catalogue),
                   stale=stale(state.engine, edits))


def edit_row(session: Session, state: RecsState, user_id: int | None, row: ProviderRecommendation,
             action: str, reason: str | None, priority: float | None = None,
             phase: str | None = None) -> RecommendationEdit:
    """Keep, dismiss or change one row of the provider's list.

    An edit of a recommendation the provider added carries its title, detail, priority and phase
    forward (that is how the list tells it from an edit of the engine's, see provider_recs)."""
    previous = state.edits.get(row.key)
    carried = previous if previous is not None and is_added(previous) else None
    edit = RecommendationEdit(
        assessment_id=state.assessment.id, key=row.key, action=action, reason=reason or None,
        priority=priority if priority is not None else (row.priority if carried else None),
        phase=phase or (row.phase if carried else None),
        title=carried.title if carried else None, detail=carried.detail if carried else None)
    return _append(session, user_id, edit, _row_audit(row))


def add(session: Session, state: RecsState, user_id: int | None, *, key: str | None, title: str,
        detail: str | None, priority: float, phase: str, reason: str) -> RecommendationEdit:
    """Add a catalogue item (``key``; its title and detail as shown, stored with the edit) or one of
    the provider's own (key None: a fresh "own:<n>")."""
    edit = RecommendationEdit(
        assessment_id=state.assessment.id, key=key or next_own_key(state.edits), action="add",
        priority=priority, phase=phase, title=title, detail=detail, reason=reason)
    return _append(session, user_id, edit, None)


def _append(session: Session, user_id: int | None, edit: RecommendationEdit,
            old: dict | None) -> RecommendationEdit:
    edit.author_id, edit.at = user_id, utcnow()
    session.add(edit)
    new = {"recommendation": edit.key, "action": edit.action, "priority": edit.priority, "phase": edit.phase}
    if edit.action == "add":
        new["title"] = edit.title
    reviews.record(session, edit.assessment_id, user_id, old, new, reason=edit.reason, at=edit.at)
    return edit


def _row_audit(row: ProviderRecommendation) -> dict:
    """A row as the audit trail keeps it: what it was before the edit."""
    return {"recommendation": row.key, "mark": row.mark, "priority": row.priority, "phase": row.phase}
