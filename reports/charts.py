"""The one SVG chart module, shared by the PDF reports and the web pages.

Every function takes plain data whose labels are already translated, and returns inline SVG
as ``Markup``: hand-written, small, deterministic (fixed ids, no dates), escaped labels, and
nothing loaded from outside (no script, no stylesheet, no font file: the text names
"Noto Sans CJK SC", which both WeasyPrint and browsers resolve locally). Hand-written rather
than pygal: pygal's labels overflow with CJK text and its import hook turns later optional
imports into ImportWarnings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT_FAMILY = "Noto Sans CJK SC"
PRIMARY = "#1f4e79"
LIGHT = "#c9d6e3"
ACCENT = "#c55a11"
MUTED = "#8c8c8c"


@dataclass(frozen=True)
class Bar:
    """One labelled value of a chart; ``marked`` draws it in the accent colour."""

    label: str
    value: float
    marked: bool = False


def radar_chart(chart_id: str, title: str, axes: Sequence[Bar], maximum: float = 100) -> Markup:
    """The dimension radar: one filled polygon over ``axes`` (value 0..maximum each)."""
    width, height, radius = 640, 420, 150
    cx, cy = width / 2, height / 2 + 12
    count = max(len(axes), 3)
    parts = [_title(width, title)]
    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        outline = " ".join(_point(_polar(cx, cy, radius * ring, index, count)) for index in range(count))
        parts.append(f'<polygon points="{outline}" fill="none" stroke="#d9d9d9"/>'
                     f'<text x="{cx + 3:.1f}" y="{cy - radius * ring - 2:.1f}" font-size="9" fill="{MUTED}">'
                     f'{_number(maximum * ring)}</text>')
    for index, axis in enumerate(axes):
        end_x, end_y = _polar(cx, cy, radius, index, count)
        x, y = _polar(cx, cy, radius + 14, index, count)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{end_x:.1f}" y2="{end_y:.1f}" stroke="#bfbfbf"/>'
                     f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">'
                     f'{escape(axis.label)} {_number(axis.value)}</text>')
    shape = " ".join(_point(_polar(cx, cy, radius * min(max(axis.value, 0), maximum) / maximum, index, count))
                     for index, axis in enumerate(axes))
    parts.append(f'<polygon points="{shape}" fill="{PRIMARY}" fill-opacity="0.35" stroke="{PRIMARY}" '
                 f'stroke-width="2"/>')
    return _svg(chart_id, title, width, height, parts)


def _polar(cx: float, cy: float, distance: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + distance * math.cos(angle), cy + distance * math.sin(angle)


def _point(xy: tuple[float, float]) -> str:
    return f"{xy[0]:.1f},{xy[1]:.1f}"


def points_chart(chart_id: str, title: str, bars: Sequence[tuple[str, float, float]],
                 series: tuple[str, str]) -> Markup:
    """Points against the maximum per dimension: ``bars`` is (label, points, max)."""
    scale = max((maximum for _, _, maximum in bars), default=1) or 1
    rows = [_Row(label, [(maximum, LIGHT), (points, PRIMARY)], f"{_number(points)} / {_number(maximum)}")
            for label, points, maximum in bars]
    ticks = [(value, _number(value)) for value in _even_ticks(scale)]
    legend = [(series[0], PRIMARY), (series[1], LIGHT)]
    return _horizontal_bars(chart_id, title, rows, scale, ticks, legend)


def levels_chart(chart_id: str, title: str, bars: Sequence[Bar], top_level: int,
                 level_labels: Sequence[str], legend: Sequence[str] = ()) -> Markup:
    """Scenario levels 0..top_level as horizontal bars; marked bars (constraints) in accent.

    :param legend: labels for the plain and the marked colour, when a legend is wanted.
    """
    rows = [_Row(bar.label, [(bar.value, ACCENT if bar.marked else PRIMARY)], level_labels[int(bar.value)])
            for bar in bars]
    ticks = [(level, level_labels[level]) for level in range(top_level + 1)]
    keys = list(zip(legend, (PRIMARY, ACCENT), strict=False))
    return _horizontal_bars(chart_id, title, rows, top_level, ticks, keys)


def distribution_chart(chart_id: str, title: str, bars: Sequence[Bar], x_title: str,
                       y_title: str) -> Markup:
    """A cohort histogram: one column per bin, the bin holding the company marked."""
    width, height, left, bottom, top = 640, 260, 50, 50, 34
    plot_height = height - bottom - top
    peak = max((bar.value for bar in bars), default=1) or 1
    slot = (width - left - 20) / max(len(bars), 1)
    parts = [_title(width, title)]
    for value in _even_ticks(peak, integers=True):
        y = top + plot_height * (1 - value / peak)
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9d9d9"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>')
    for index, bar in enumerate(bars):
        x = left + slot * index + slot * 0.15
        bar_height = plot_height * bar.value / peak
        y = top + plot_height - bar_height
        colour = ACCENT if bar.marked else PRIMARY
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" '
                     f'fill="{colour}"/>'
                     f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
                     f'{_number(bar.value)}</text>'
                     f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_height + 16:.1f}" text-anchor="middle">'
                     f'{escape(bar.label)}</text>')
    parts.append(f'<text x="{(left + width) / 2:.0f}" y="{height - 8}" text-anchor="middle">{escape(x_title)}'
                 f'</text><text x="14" y="{top + plot_height / 2:.0f}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {top + plot_height / 2:.0f})">{escape(y_title)}</text>')
    return _svg(chart_id, title, width, height, parts)


@dataclass(frozen=True)
class _Row:
    label: str
    segments: list[tuple[float, str]]  # (value, colour), drawn in order from the axis
    value_text: str


_LABEL_WIDTH, _ROW_HEIGHT = 170, 22


def _horizontal_bars(chart_id: str, title: str, rows: Sequence[_Row], scale: float,
                     ticks: Sequence[tuple[float, str]], legend: Sequence[tuple[str, str]]) -> Markup:
    width, left, right, top = 640, _LABEL_WIDTH, 70, 34
    plot_width = width - left - right
    bottom = top + _ROW_HEIGHT * len(rows)
    height = bottom + 26 + (22 if legend else 0)
    parts = [_title(width, title)]
    for value, label in ticks:
        x = left + plot_width * value / scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="#d9d9d9"/>'
                     f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(label)}</text>')
    for index, row in enumerate(rows):
        y = top + _ROW_HEIGHT * index
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(row.label)}</text>')
        for value, colour in row.segments:
            parts.append(f'<rect x="{left}" y="{y + 4}" width="{plot_width * value / scale:.1f}" '
                         f'height="{_ROW_HEIGHT - 8}" fill="{colour}"/>')
        end = left + plot_width * max(value for value, _ in row.segments) / scale
        parts.append(f'<text x="{end + 6:.1f}" y="{y + 15}">{escape(row.value_text)}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#333"/>')
    for index, (label, colour) in enumerate(legend):
        x = left + 150 * index
        parts.append(f'<rect x="{x}" y="{height - 16}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 18}" y="{height - 6}">{escape(label)}</text>')
    return _svg(chart_id, title, width, height, parts)


def _title(width: int, title: str) -> str:
    return f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-size="14">{escape(title)}</text>'


def _svg(chart_id: str, title: str, width: int, height: int, parts: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{chart_id}" class="chart-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT_FAMILY}" font-size="11" fill="#333">'
        f'<title>{escape(title)}</title>{"".join(parts)}</svg>')


def _even_ticks(maximum: float, integers: bool = False) -> list[float]:
    """Four or five evenly spaced ticks from 0 to ``maximum``."""
    step = maximum / 4
    if integers:
        step = max(1, round(step))
        return [value for value in range(0, int(maximum) + 1, step)]
    return [step * index for index in range(5)]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


@dataclass(frozen=True)
class Aside:
    """A figure drawn under a chart, apart from its scale: e.g. the companies a funnel could still
    gain, which count companies while the funnel counts robots or 万元."""

    label: str
    value: float
    unit: str
    note: str


def funnel_chart(chart_id: str, title: str, stages: Sequence[Bar], unit: str = "",
                 aside: Aside | None = None) -> Markup:
    """A target's funnel: one centred bar per stage (the goal first, in the light colour), each as wide
    as its value against the largest, its value written with ``unit``; marked bars in the accent
    colour. ``aside`` comes below a dashed rule, as text only: another unit has no place on this scale.

    Narrow (420 wide) so that its text stays legible when a phone scales it down."""
    width, left, right, top, row = 420, 64, 104, 30, 28
    plot_width = width - left - right
    peak = max((bar.value for bar in stages), default=0) or 1
    bottom = top + row * len(stages)
    centre = left + plot_width / 2
    parts = [_title(width, title)]
    for index, bar in enumerate(stages):
        y = top + row * index
        bar_width = max(plot_width * max(bar.value, 0) / peak, 1)
        colour = LIGHT if index == 0 else ACCENT if bar.marked else PRIMARY
        parts.append(f'<rect x="{centre - bar_width / 2:.1f}" y="{y + 4}" width="{bar_width:.1f}" '
                     f'height="{row - 8}" fill="{colour}"/>'
                     + _row_texts(y + 18, left, width - right, bar.label, _with_unit(bar.value, unit)))
    if aside:
        parts.append(f'<line x1="0" x2="{width}" y1="{bottom + 5}" y2="{bottom + 5}" stroke="{MUTED}" '
                     f'stroke-dasharray="4 3"/>'
                     f'<text x="{centre:.1f}" y="{bottom + 28}" text-anchor="middle" fill="{MUTED}">'
                     f'{escape(aside.note)}</text>'
                     + _row_texts(bottom + 28, left, width - right, aside.label,
                                  _with_unit(aside.value, aside.unit)))
    height = bottom + (row + 14 if aside else 8)
    return _svg(chart_id, title, width, height, parts)


def _row_texts(baseline: float, label_end: float, value_start: float, label: str, value: str) -> str:
    """A row's label (right-aligned before ``label_end``) and its value (after ``value_start``)."""
    return (f'<text x="{label_end - 8}" y="{baseline}" text-anchor="end">{escape(label)}</text>'
            f'<text x="{value_start + 8}" y="{baseline}">{escape(value)}</text>')


def _with_unit(value: float, unit: str) -> str:
    """"12 台": the figure, a space, its unit."""
    return f"{plain_number(value)} {unit}".strip()


def paired_columns_chart(chart_id: str, title: str, labels: Sequence[str],
                         series: Sequence[tuple[str, Sequence[float]]], x_title: str) -> Markup:
    """Columns side by side per label, one colour per series (e.g. self-assessed against verified
    companies per level), with a legend."""
    width, height, left, bottom, top = 640, 270, 50, 62, 34
    plot_height = height - bottom - top
    peak = max((value for _, values in series for value in values), default=1) or 1
    slot = (width - left - 20) / max(len(labels), 1)
    column = slot * 0.8 / max(len(series), 1)
    colours = (PRIMARY, ACCENT, LIGHT, MUTED)
    parts = [_title(width, title)]
    for value in _even_ticks(peak, integers=True):
        y = top + plot_height * (1 - value / peak)
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9d9d9"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>')
    for index, label in enumerate(labels):
        x0 = left + slot * index + slot * 0.1
        for number, (_, values) in enumerate(series):
            value = values[index] if index < len(values) else 0
            bar_height = plot_height * value / peak
            x, y = x0 + column * number, top + plot_height - bar_height
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{column * 0.92:.1f}" '
                         f'height="{bar_height:.1f}" fill="{colours[number % len(colours)]}"/>'
                         f'<text x="{x + column * 0.46:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                         f'font-size="9">{escape(plain_number(value))}</text>')
        parts.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{top + plot_height + 16:.1f}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<text x="{(left + width) / 2:.0f}" y="{top + plot_height + 34:.0f}" '
                 f'text-anchor="middle">{escape(x_title)}</text>')
    for number, (name, _) in enumerate(series):
        x = left + 150 * number
        parts.append(f'<rect x="{x}" y="{height - 16}" width="12" height="12" '
                     f'fill="{colours[number % len(colours)]}"/>'
                     f'<text x="{x + 18}" y="{height - 6}">{escape(name)}</text>')
    return _svg(chart_id, title, width, height, parts)


def plain_number(value: float) -> str:
    """A figure as people write it: no exponent, no trailing zeros, at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def briefing_progress_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """The 月度通报's completion rates: one bar per target, its value a percentage of the year's goal
    (past 100 the scale grows); marked bars (goal reached) in the accent colour."""
    scale = max(100.0, *(bar.value for bar in bars)) if bars else 100.0
    rows = [_Row(bar.label, [(max(bar.value, 0), ACCENT if bar.marked else PRIMARY)],
                 f"{plain_number(bar.value)}%") for bar in bars]
    ticks = [(value, f"{plain_number(value)}%") for value in _even_ticks(scale)]
    return _horizontal_bars(chart_id, title, rows, scale, ticks, [])
