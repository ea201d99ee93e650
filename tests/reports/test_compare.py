"""reports.compare: a re-assessment's result against the previous one, figure by figure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from reports.compare import Previous, compare
from reports.render import translations
from reports.wording import Wording

SME_EDITION = "miit-sme-2024.56 (…)"
CMMM_EDITION = "gbt-39116-39117-2020.self-check (…)"


def result(sme_level: int = 2, points: float = 55.0, dimensions: dict[str, float] | None = None,
           cmmm_level: int | None = 2, overall: float | None = 2.3, sme_edition: str = SME_EDITION,
           cmmm_edition: str = CMMM_EDITION) -> dict[str, Any]:
    """The parts of a snapshot's result a comparison reads (docs/result-format.md)."""
    if dimensions is None:
        dimensions = {"foundation": 30.0, "management": 12.5, "outcomes": 12.5}
    assessed = cmmm_level is not None
    return {"models": {"sme2024": sme_edition, "cmmm": cmmm_edition},
            "sme": {"level": sme_level, "points": points, "max": 100,
                    "dimensions": [{"id": key, "points": value, "max": 50}
                                   for key, value in dimensions.items()]},
            "cmmm": {"assessed": assessed, "level": cmmm_level, "overall": overall if assessed else None}}


@pytest.fixture(scope="module", params=["zh_CN", "en"])
def words(bundle, request) -> Wording:
    return Wording(bundle, bundle.active_instrument(), request.param, translations(request.param))


def previous(before: dict, kind: str = "self") -> Previous:
    return Previous(before, kind, date(2025, 11, 3))


def by_label(comparison, label: str):
    return next(row for row in comparison.rows if row.label == label)


@pytest.mark.parametrize(("before", "after", "sme", "cmmm"), [
    (result(sme_level=2, cmmm_level=2), result(sme_level=3, cmmm_level=3), (1, "up"), (1, "up")),
    (result(sme_level=3, cmmm_level=3), result(sme_level=1, cmmm_level=2), (-2, "down"), (-1, "down")),
    (result(sme_level=2, cmmm_level=1), result(sme_level=2, cmmm_level=1), (0, "same"), (0, "same")),
    (result(sme_level=0, cmmm_level=None), result(sme_level=1, cmmm_level=2), (1, "up"), (None, "")),
    (result(sme_level=1, cmmm_level=2), result(sme_level=1, cmmm_level=None), (0, "same"), (None, "")),
], ids=["up", "down", "same", "cmmm first assessed", "cmmm no longer assessed"])
def test_levels_move_up_down_or_stay(words, before, after, sme, cmmm):
    comparison = compare(words, previous(before), after)
    assert [(row.delta, row.trend) for row in comparison.levels] == [sme, cmmm]
    sme_row, cmmm_row = comparison.levels
    assert (sme_row.before, sme_row.after) == (words.level(before["sme"]["level"]),
                                               words.level(after["sme"]["level"]))
    assert (cmmm_row.before, cmmm_row.after) == (words.level(before["cmmm"]["level"]),
                                                 words.level(after["cmmm"]["level"]))


@pytest.mark.parametrize(("before", "after", "delta", "change"), [
    (55.0, 63.5, 8.5, "+8.5"),
    (63.5, 55.25, -8.25, "-8.25"),
    (40.1, 40.1, 0, None),
    (58.775, 72.525, 13.74, "+13.74"),  # the figures as shown, 58.78 → 72.52, not the exact 13.75
    (10.004, 10.0, 0, None),
])
def test_points_give_the_signed_difference(words, before, after, delta, change):
    row = compare(words, previous(result(points=before)), result(points=after)).points[0]
    assert row.delta == delta
    assert row.change == (change or words._("持平"))
    assert (row.before, row.after) == (words.number(before, 2), words.number(after, 2))


def test_the_report_compares_sme_points_to_its_one_decimal(words):
    comparison = compare(words, previous(result(points=58.25, dimensions={"foundation": 9.25})),
                         result(points=72.5, dimensions={"foundation": 14.5}), sme_digits=1)
    total, dimension = comparison.points[:2]
    assert (total.before, total.after, total.delta) == (words.number(58.2), words.number(72.5), 14.3)
    assert (dimension.before, dimension.delta) == (words.number(9.2), 5.3)


def test_dimensions_each_before_and_after_in_this_results_order(words):
    before = result(dimensions={"outcomes": 10.0, "foundation": 28.0, "management": 12.0})
    after = result(dimensions={"foundation": 31.5, "management": 12.0, "outcomes": 9.0})
    comparison = compare(words, previous(before), after)
    dimensions = [row for row in comparison.points if row.part]
    names = [words.key(f"sme.dimension.{key}") for key in ("foundation", "management", "outcomes")]
    assert [row.label for row in dimensions] == names
    assert [(row.delta, row.trend) for row in dimensions] == [(3.5, "up"), (0, "same"), (-1, "down")]
    assert comparison.notes == ()


def test_a_dimension_of_one_edition_only_is_named_not_compared(words):
    before = result(dimensions={"foundation": 28.0, "legacy": 9.0}, sme_edition="miit-sme-2022 (…)")
    after = result(dimensions={"foundation": 31.5, "outcomes": 9.0})
    comparison = compare(words, previous(before), after)
    assert [row.label for row in comparison.points if row.part] == [words.key("sme.dimension.foundation")]
    assert len(comparison.levels) == 2 and comparison.levels[0].trend == "same"  # levels still compared
    edition_note, unmatched_note = comparison.notes
    assert words.pick(words.bundle.sme_model.header.title) in edition_note
    assert "legacy" in unmatched_note and words.key("sme.dimension.outcomes") in unmatched_note


def test_same_editions_give_no_note_a_changed_cmmm_edition_one(words):
    assert compare(words, previous(result()), result()).notes == ()
    notes = compare(words, previous(result(cmmm_edition="gbt-39116-2030")), result()).notes
    assert len(notes) == 1 and words.pick(words.bundle.cmmm_model.header.title) in notes[0]


def test_cmmm_score_row_only_when_either_was_assessed(words):
    labels = [row.label for row in compare(words, previous(result(cmmm_level=None)),
                                           result(cmmm_level=None)).points]
    assert words._("成熟度得分") not in labels
    row = by_label(compare(words, previous(result(overall=1.8)), result(overall=2.5)), words._("成熟度得分"))
    assert (row.delta, row.trend) == (0.7, "up")


def test_previous_names_its_date_and_kind(words):
    before = result()
    verified = compare(words, previous(before, "verified"), result()).previous
    own = compare(words, previous(before, "self"), result()).previous
    assert "2025-11-03" in verified and words._("服务商核验") in verified
    assert words._("企业自评") in own and words._("服务商核验") not in own


def test_no_previous_no_comparison(words):
    assert compare(words, None, result()) is None


@pytest.mark.parametrize(("created_at", "day"), [
    (datetime(2025, 11, 3, 23, 30), date(2025, 11, 3)),  # SQLite: naive, stored in UTC
    (datetime(2025, 11, 3, 23, 30, tzinfo=UTC), date(2025, 11, 3)),
])
def test_previous_of_a_snapshot_reads_its_utc_date(created_at, day):
    snapshot = SimpleNamespace(result={"sme": {}}, kind="verified", created_at=created_at)
    assert Previous.of(snapshot) == Previous({"sme": {}}, "verified", day)
