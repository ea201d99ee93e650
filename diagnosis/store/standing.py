"""A company's standing in the pipeline, kept on its row so the dashboard counts in one pass.

The officials' dashboard counts, for every company in scope, whether it has a current self-assessed or
verified snapshot, at which levels, which project kinds its latest snapshot recommends and which it has
started. Derived on every page from the snapshots and their recommendations, that is a join of several
hundred thousand rows per figure at a province's scale (issue 12, section 7); kept on the company row
(the standing columns of `Company`), it is one scan of one table.

`refresh` is the one rule that derives the columns. Every write that changes a company's current
snapshots or its projects' kinds or statuses calls it for that company, in the same transaction
(`add_snapshot`, `add_first_snapshots`, `add_project`, `report_progress`, the demo's bulk projects).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

# Modules, not names: assessments and projects import this module to call `refresh`.
from diagnosis.store import assessments, projects
from diagnosis.store.companies import Company

#: The snapshot kinds a standing keeps levels of, and the models.
SNAPSHOT_KINDS = ("self", "verified")
MODELS = ("sme", "cmmm")
#: Companies refreshed per query (an IN list the databases take comfortably).
CHUNK = 5_000


def kinds_text(kinds: Iterable[str]) -> str:
    """A set of project kinds as ",cloud,robot," (sorted; "" for none), which `holds_kind` tests."""
    found = sorted(set(kinds))
    return f",{','.join(found)}," if found else ""


def holds_kind(column: Any, kind: str) -> ColumnElement[bool]:
    """Whether a kinds column (`kinds_text`) holds ``kind``."""
    return column.contains(f",{kind},")


def level_column(kind: str, model: str) -> Any:
    """The standing column of the ``model``'s level in the company's current ``kind`` snapshot."""
    return getattr(Company, f"{kind}_{model}_level")


def refresh(session: Session, company_ids: Collection[int]) -> None:
    """Derive the standing columns of these companies from their snapshots and projects, and write them.

    The company rows are locked first (in id order), so that of two transactions writing for one
    company the second reads what the first committed instead of overwriting it with an older view.
    """
    ids = sorted(set(company_ids))
    if not ids:
        return
    session.flush()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        session.execute(select(Company.id).where(Company.id.in_(chunk)).order_by(Company.id)
                        .with_for_update(key_share=True))
        rows = [{"id": company_id, **values} for company_id, values in _standings(session, chunk).items()]
        session.execute(update(Company), rows)
    _expire(session, set(ids))


def _expire(session: Session, ids: set[int]) -> None:
    """Loaded companies read their new standing (a bulk UPDATE leaves the identity map as it was)."""
    names = [*(level_column(kind, model).key for kind in SNAPSHOT_KINDS for model in MODELS),
             "recommended_kinds", "started_kinds"]
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Company) and loaded.id in ids:
            session.expire(loaded, names)


def _standings(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    ResultSnapshot, SnapshotRecommendation = assessments.ResultSnapshot, assessments.SnapshotRecommendation
    Project = projects.Project
    standings: dict[int, dict[str, Any]] = {
        company_id: {**{level_column(kind, model).key: None for kind in SNAPSHOT_KINDS for model in MODELS},
                     "recommended_kinds": "", "started_kinds": ""} for company_id in ids}
    current = session.execute(select(ResultSnapshot.company_id, ResultSnapshot.kind, ResultSnapshot.sme_level,
                                     ResultSnapshot.cmmm_level)
                              .where(ResultSnapshot.company_id.in_(ids), ResultSnapshot.is_current,
                                     ResultSnapshot.kind.in_(SNAPSHOT_KINDS)))
    for company_id, kind, sme, cmmm in current:
        standings[company_id].update({level_column(kind, "sme").key: sme or 0,
                                      level_column(kind, "cmmm").key: cmmm or 0})
    recommended = (select(ResultSnapshot.company_id, SnapshotRecommendation.project_kind)
                   .join(SnapshotRecommendation, SnapshotRecommendation.snapshot_id == ResultSnapshot.id)
                   .where(ResultSnapshot.company_id.in_(ids), ResultSnapshot.is_latest).distinct())
    started = (select(Project.company_id, Project.kind)
               .where(Project.company_id.in_(ids), Project.status != "stopped").distinct())
    for column, query in (("recommended_kinds", recommended), ("started_kinds", started)):
        by_company: dict[int, list[str]] = {}
        for company_id, kind in session.execute(query):
            by_company.setdefault(company_id, []).append(kind)
        for company_id, kinds in by_company.items():
            standings[company_id][column] = kinds_text(kinds)
    return standings


def stale(session: Session) -> list[int]:
    """Companies whose stored standing differs from `refresh`'s (none, unless a write skipped it)."""
    columns = [level_column(kind, model) for kind in SNAPSHOT_KINDS for model in MODELS]
    stored = {row[0]: dict(zip([column.key for column in columns] + ["recommended_kinds", "started_kinds"],
                               row[1:], strict=True))
              for row in session.execute(select(Company.id, *columns, Company.recommended_kinds,
                                                Company.started_kinds))}
    derived: dict[int, dict[str, Any]] = {}
    ids = sorted(stored)
    for start in range(0, len(ids), CHUNK):
        derived.update(_standings(session, ids[start:start + CHUNK]))
    return [company_id for company_id in ids if stored[company_id] != derived[company_id]]
