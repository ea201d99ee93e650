"""The peer comparison: where the company stands in its industry cohort.

Shown only when the cohort (the company included) holds at least ``MIN_COHORT`` companies,
so no single competitor's result can be read off the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from diagnosis.store.peers import PeerPoint
from reports import charts
from reports.wording import Wording

MIN_COHORT = 5
BIN_EDGES = (0, 20, 40, 60, 80, 100)


def peers_section(w: Wording, cohort_label: str, own_company_id: int, own_points: float,
                  own_level: int | None, peers: Sequence[PeerPoint]) -> tuple[dict, str | None]:
    """The chapter's data and its distribution chart (None when the cohort is too small)."""
    others = [peer for peer in peers if peer.company_id != own_company_id]
    points = [own_points] + [peer.sme_points for peer in others]
    section = {"shown": len(points) >= MIN_COHORT, "cohort": cohort_label, "size": len(points),
               "min_size": MIN_COHORT}
    if not section["shown"]:
        return section, None
    below = sum(1 for value in points[1:] if value < own_points)
    section.update(
        rank=1 + sum(1 for value in points[1:] if value > own_points),
        ahead_share=w.number(100 * below / (len(points) - 1), 0),
        median=w.number(median(points)),
        levels=_level_counts(w, own_level, [own_level] + [peer.sme_level for peer in others]),
    )
    return section, _chart(w, own_points, points)


def _level_counts(w: Wording, own_level: int | None, levels: list[int | None]) -> list[dict]:
    present = sorted({level or 0 for level in levels}, reverse=True)
    return [{"label": w.level(level), "count": sum(1 for item in levels if (item or 0) == level),
             "own": level == (own_level or 0)} for level in present]


def bin_index(value: float) -> int:
    """The histogram bin of a score: [0,20) [20,40) [40,60) [60,80) [80,100]."""
    for index, upper in enumerate(BIN_EDGES[1:-1]):
        if value < upper:
            return index
    return len(BIN_EDGES) - 2


def _chart(w: Wording, own_points: float, points: list[float]) -> str:
    counts = [0] * (len(BIN_EDGES) - 1)
    for value in points:
        counts[bin_index(value)] += 1
    own_bin = bin_index(own_points)
    bars = [charts.Bar(f"{low}–{high}", count, index == own_bin)
            for index, (low, high, count) in enumerate(zip(BIN_EDGES, BIN_EDGES[1:], counts, strict=False))]
    return charts.distribution_chart("peers", w._("同行业得分分布"), bars, w._("数字化水平得分"),
                                     w._("企业数"))
