"""Re-assessment: this result against the company's previous one, before → after (issue 11, item 7).

The one place the comparison is made: the result page and the PDF summary both show what
:func:`compare` returns. Both results are stored snapshots (docs/result-format.md), read as they
are, never recomputed; which previous snapshot counts is the store's rule
(``diagnosis.store.assessments.previous_snapshot``).

Levels are always compared. Points are compared where both results have them; SME dimensions only
by the ids both results hold, so a dimension of one model edition is never set against another's.
When the editions of a model differ, a note says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from reports.wording import Wording

#: the models whose editions a comparison names when they differ (keys of ``result["models"]``)
COMPARED_MODELS = ("sme2024", "cmmm")
SME_DIGITS = 2  # SME points as the result page shows them (the report shows one decimal)
CMMM_DIGITS = 2  # the CMMM score, on the page and in the report


@dataclass(frozen=True)
class Previous:
    """The previous result, as plain values: the snapshot's result, its kind and its date."""

    result: Mapping[str, Any]
    kind: str  # self | verified
    on: date

    @classmethod
    def of(cls, snapshot) -> Previous:
        """From a stored ``ResultSnapshot`` (SQLite hands back naive datetimes, stored in UTC)."""
        made: datetime = snapshot.created_at
        made = made if made.tzinfo else made.replace(tzinfo=UTC)
        return cls(snapshot.result, snapshot.kind, made.astimezone(UTC).date())


@dataclass(frozen=True)
class Change:
    """One figure before → after. ``delta`` is None when either side has no value."""

    label: str
    before: str
    after: str
    delta: float | None
    change: str  # the delta in words: "+2.5", "-1", 持平, —
    trend: str  # up | down | same | "" (no delta)
    part: bool = False  # an SME dimension, shown under the SME total


@dataclass(frozen=True)
class Comparison:
    previous: str  # 上次（2025-11-03，服务商核验）
    levels: tuple[Change, ...]  # SME level, CMMM level
    points: tuple[Change, ...]  # SME total, the SME dimensions both results hold, the CMMM score
    notes: tuple[str, ...]  # editions that differ, dimensions not compared

    @property
    def rows(self) -> tuple[Change, ...]:
        return self.levels + self.points


def compare(w: Wording, previous: Previous | None, result: Mapping[str, Any],
            sme_digits: int = SME_DIGITS) -> Comparison | None:
    """``result`` against ``previous``; None without a previous result (a first assessment).

    :param sme_digits: the decimals of SME points where the comparison is shown, so its figures
        read as the ones beside it.
    """
    if previous is None:
        return None
    before = previous.result
    sme_before, sme_after = before.get("sme") or {}, result.get("sme") or {}
    cmmm_before, cmmm_after = _cmmm(before), _cmmm(result)
    levels = (_change(w, w._("数字化水平等级"), sme_before.get("level"), sme_after.get("level"),
                      w.level, 0),
              _change(w, w._("成熟度等级"), cmmm_before.get("level"), cmmm_after.get("level"),
                      w.level, 0))
    shared, unmatched = _dimensions(w, sme_before, sme_after, sme_digits)
    total = _points(w, w._("数字化水平得分"), sme_before.get("points"), sme_after.get("points"), sme_digits)
    points = [total, *shared]
    if cmmm_before or cmmm_after:
        points.append(_points(w, w._("成熟度得分"), cmmm_before.get("overall"), cmmm_after.get("overall"),
                              CMMM_DIGITS))
    return Comparison(previous=_previous_label(w, previous), levels=levels, points=tuple(points),
                      notes=tuple(_notes(w, before, result, unmatched)))


def _previous_label(w: Wording, previous: Previous) -> str:
    kind = w._("服务商核验") if previous.kind == "verified" else w._("企业自评")
    return w._("上次（%(date)s，%(kind)s）", date=previous.on.isoformat(), kind=kind)


def _cmmm(result: Mapping[str, Any]) -> Mapping[str, Any]:
    """The CMMM block when it was assessed; empty otherwise (its level reads 未评估)."""
    cmmm = result.get("cmmm") or {}
    return cmmm if cmmm.get("assessed") else {}


def _dimensions(w: Wording, before: Mapping[str, Any], after: Mapping[str, Any], digits: int
                ) -> tuple[list[Change], list[str]]:
    """The dimensions both results hold, in this result's order, and the names of the others."""
    earlier = {dimension["id"]: dimension for dimension in before.get("dimensions", [])}
    later = {dimension["id"]: dimension for dimension in after.get("dimensions", [])}
    shared = [replace(_points(w, _dimension_name(w, dimension), earlier[dimension_id].get("points"),
                              dimension.get("points"), digits), part=True)
              for dimension_id, dimension in later.items() if dimension_id in earlier]
    unmatched = [_dimension_name(w, dimension) for dimension_id, dimension in {**earlier, **later}.items()
                 if (dimension_id in earlier) != (dimension_id in later)]
    return shared, unmatched


def _dimension_name(w: Wording, dimension: Mapping[str, Any]) -> str:
    return w.label(dimension, key=f"sme.dimension.{dimension['id']}")


def _notes(w: Wording, before: Mapping[str, Any], after: Mapping[str, Any],
           unmatched: list[str]) -> list[str]:
    titles = {w.bundle.sme_model.header.key: w.bundle.sme_model.header.title,
              w.bundle.cmmm_model.header.key: w.bundle.cmmm_model.header.title}
    models_before, models_after = before.get("models") or {}, after.get("models") or {}
    notes = [w._("两次结果所用的%(model)s版本不同，得分按各自的版本计算。",
                 model=w.pick(titles.get(key)) or key)
             for key in COMPARED_MODELS if models_before.get(key) != models_after.get(key)]
    if unmatched:
        notes.append(w._("以下维度只在其中一次结果中出现，未作比较：%(names)s。",
                         names=w._("、").join(unmatched)))
    return notes


def _points(w: Wording, label: str, before: float | None, after: float | None, digits: int) -> Change:
    return _change(w, label, before, after, lambda value: w.number(value, digits), digits)


def _change(w: Wording, label: str, before: float | None, after: float | None, shown, digits: int) -> Change:
    delta = None
    if before is not None and after is not None:
        delta = float(_as_shown(after, digits) - _as_shown(before, digits))
    trend = "" if delta is None else "same" if delta == 0 else "up" if delta > 0 else "down"
    return Change(label, shown(before), shown(after), delta, w.signed(delta, digits), trend)


def _as_shown(value: float, digits: int) -> Decimal:
    """``value`` rounded as ``Wording.number`` shows it (Babel: its decimal text, half to even), so
    the change is the difference of the two figures on the page."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
