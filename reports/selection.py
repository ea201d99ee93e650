"""Which reports a batch renders: the latest submitted assessment of each matching company."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.bundle import Bundle
from diagnosis.store.peers import latest_results


@dataclass(frozen=True)
class BatchItem:
    assessment_id: int
    company: str


@dataclass(frozen=True)
class BatchFilter:
    """Every field given narrows the selection; ``parks`` also carries an official's scope."""

    industry_tag: str | None = None
    parks: Iterable[str] | None = None
    level: int | None = None
    company_ids: Iterable[int] | None = None

    def record(self) -> dict[str, Any]:
        """The filter as plain JSON values, as a batch keeps it."""
        return {"industry_tag": self.industry_tag, "level": self.level,
                "parks": list(self.parks) if self.parks is not None else None,
                "company_ids": list(self.company_ids) if self.company_ids is not None else None}


def select_batch(session: Session, chosen: BatchFilter, bundle: Bundle) -> list[BatchItem]:
    """The batch items for ``chosen``, by company id.

    :raise ValueError: the industry tag is not one of the district's tags.
    """
    codes = industry_codes(bundle, chosen.industry_tag) if chosen.industry_tag else None
    rows = latest_results(session, industry_codes=codes,
                          parks=list(chosen.parks) if chosen.parks is not None else None,
                          company_ids=list(chosen.company_ids) if chosen.company_ids is not None else None)
    return [BatchItem(row.assessment_id, row.company_name) for row in rows
            if chosen.level is None or (row.sme_level or 0) == chosen.level]


def industry_codes(bundle: Bundle, tag: str) -> list[str]:
    industries = bundle.industries
    if tag not in industries.tag_labels:
        known = ", ".join(sorted(industries.tag_labels))
        raise ValueError(f"unknown industry tag {tag!r}; use one of: {known}")
    return [industry.code for industry in industries.all() if tag in industry.tags]
