"""Server-side SVG charts: the geometry is computed here, the markup lives in templates.

No JavaScript and no external resources: every chart is inline SVG with a viewBox, drawn at 100 %
of its container, so it stays readable on a phone (labels sit above the bars, not beside them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil, floor, log10

from django import template
from django.utils.translation import gettext

from disclosure.selectors.statistics import MixRow, colour_label
from warning_system.classification.models import DailyColourCount
from warning_system.classification.rules import COLOURS, GREEN, ORANGE, RED, YELLOW

register = template.Library()

# The badge border colours of site.css, so charts and badges agree.
FILL = {GREEN: "#57ae5b", YELLOW: "#f0b429", ORANGE: "#f57c00", RED: "#d64545"}

WIDTH = 400
LEGEND_HEIGHT = 30
LEGEND_FONT = 13  # the legends' font-size in the templates
LEGEND_GAP = 16
ROW_HEIGHT = 44
LABEL_OFFSET = 14
BAR_OFFSET = 20
BAR_HEIGHT = 16

LINE_HEIGHT = 230
PLOT_LEFT = 56
PLOT_RIGHT = WIDTH - 12
PLOT_TOP = LEGEND_HEIGHT + 10
PLOT_BOTTOM = LINE_HEIGHT - 26


def _num(value: float) -> str:
    """A coordinate as SVG wants it, whatever the locale: 12.5, 12 (never 12,5)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def text_width(text: str, font_size: float) -> float:
    """An estimate without a font at hand: CJK characters are 1 em wide, Latin ones about 0.6 em."""
    return sum(font_size * (0.6 if char.isascii() else 1) for char in text)


@dataclass
class LegendItem:
    label: str
    fill: str
    x: str
    text_x: str


def _legend(colours: Sequence[str]) -> list[LegendItem]:
    """Swatches left to right, each spaced by its label's width."""
    items, x = [], 0
    for colour in colours:
        label = colour_label(colour)
        items.append(LegendItem(label, FILL[colour], _num(x), _num(x + 16)))
        x += 16 + text_width(label, LEGEND_FONT) + LEGEND_GAP
    return items


# --------------------------------------------------------------------------- stacked bars


@dataclass
class Segment:
    fill: str
    x: str
    width: str
    title: str


@dataclass
class Bar:
    label: str
    total: str
    title: str
    label_y: str
    bar_y: str
    segments: list[Segment]


@dataclass
class BarChart:
    id: str
    title: str
    width: int
    height: int
    bar_height: int
    legend: list[LegendItem]
    bars: list[Bar]


def _share_text(row: MixRow, colour: str) -> str:
    return gettext("%(colour)s %(count)s（%(share)s%%）") % {
        "colour": colour_label(colour),
        "count": f"{row.count(colour):,}",
        "share": row.shares[colour],
    }


def _bar(row: MixRow, top: int) -> Bar:
    segments, x = [], 0.0
    for colour in COLOURS:
        count = row.count(colour)
        if not count:
            continue
        width = WIDTH * count / row.total
        title = f"{row.label} · {_share_text(row, colour)}"
        segments.append(Segment(FILL[colour], _num(x), _num(width), title))
        x += width
    total = gettext("共 %(total)s 个") % {"total": f"{row.total:,}"}
    title = f"{row.label}{gettext('：')}{total}{gettext('；')}" + gettext("、").join(
        _share_text(row, c) for c in COLOURS
    )
    return Bar(row.label, total, title, _num(top + LABEL_OFFSET), _num(top + BAR_OFFSET), segments)


def bar_chart(rows: Sequence[MixRow], chart_id: str, title: str) -> BarChart:
    """One 100 % stacked bar per row: the colour mix of each group, its size written beside it."""
    bars = [_bar(row, LEGEND_HEIGHT + i * ROW_HEIGHT) for i, row in enumerate(rows)]
    height = LEGEND_HEIGHT + len(bars) * ROW_HEIGHT + 4
    return BarChart(chart_id, str(title), WIDTH, height, BAR_HEIGHT, _legend(COLOURS), bars)


@register.inclusion_tag("disclosure/_svg_bars.html")
def stacked_bars(rows: Sequence[MixRow], chart_id: str, title: str) -> dict:
    return {"chart": bar_chart(rows, chart_id, title)}


# --------------------------------------------------------------------------- trend lines


@dataclass
class Series:
    label: str
    fill: str
    points: str
    title: str
    last_x: str
    last_y: str


@dataclass
class Tick:
    y: str
    label: str


@dataclass
class AxisLabel:
    x: str
    label: str
    anchor: str


@dataclass
class LineChart:
    id: str
    title: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    legend: list[LegendItem]
    ticks: list[Tick]
    days: list[AxisLabel]
    series: list[Series]


def nice_step(raw: float) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ (an integer) at least `raw`: axis ticks people can read."""
    if raw <= 1:
        return 1
    magnitude = 10 ** floor(log10(raw))
    return next(int(m * magnitude) for m in (1, 2, 5, 10) if m * magnitude >= raw)


def tick_label(value: int) -> str:
    """Axis numbers short enough for the margin: 50万 rather than 500,000."""
    if value >= 10_000:
        return gettext("%(count)s万") % {"count": _num(value / 10_000)}
    return f"{value:,}"


def line_chart(
    days: Sequence[DailyColourCount], colours: Sequence[str], chart_id: str, title: str
) -> LineChart:
    """Daily counts of `colours` on a shared axis from 0; the first and last day on the x axis."""
    first, last = days[0].day, days[-1].day
    span = max((last - first).days, 1)
    peak = max(getattr(d, c) for d in days for c in colours)
    step = nice_step(peak / 4)
    top_value = step * max(ceil(peak / step), 1)

    def x_of(day) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - first).days / span

    def y_of(value: int) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top_value

    series = []
    for colour in colours:
        points = " ".join(f"{_num(x_of(d.day))},{_num(y_of(getattr(d, colour)))}" for d in days)
        latest = getattr(days[-1], colour)
        title_text = gettext("%(colour)s：%(day)s 为 %(count)s 个") % {
            "colour": colour_label(colour), "day": last.isoformat(), "count": f"{latest:,}",
        }  # fmt: skip
        series.append(
            Series(
                colour_label(colour), FILL[colour], points, title_text, _num(x_of(last)), _num(y_of(latest))
            )
        )
    ticks = [Tick(_num(y_of(v)), tick_label(v)) for v in range(0, top_value + 1, step)]
    axis = [AxisLabel(_num(PLOT_LEFT), first.isoformat(), "start"),
            AxisLabel(_num(PLOT_RIGHT), last.isoformat(), "end")]  # fmt: skip
    return LineChart(chart_id, str(title), WIDTH, LINE_HEIGHT, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM,
                     _legend(colours), ticks, axis, series)  # fmt: skip


@register.simple_tag
def trend_charts(days: Sequence[DailyColourCount]) -> list[LineChart]:
    """The warning colours on one chart and green on its own: green outnumbers them by far and
    would flatten their lines. Empty with fewer than 2 days (no line to draw)."""
    if len(days) < 2:
        return []
    return [
        line_chart(days, (YELLOW, ORANGE, RED), "trend-warning", gettext("黄色、橙色、红色主体数量")),
        line_chart(days, (GREEN,), "trend-green", gettext("绿色（正常）主体数量")),
    ]
