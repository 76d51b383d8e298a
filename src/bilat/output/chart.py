"""Charts of a timeline: events per year by type, and the trade figures found for a pair.

The data (:func:`events_per_year`, :func:`trade_series`) is separate from the
drawing, and each chart is drawn two ways from the same data: as text for a
terminal (:func:`year_chart_text`, :func:`trade_chart_text`) and as a
standalone SVG file (:func:`year_chart_svg`, :func:`trade_chart_svg`).

Both are drawn here by hand rather than with a plotting library. Years run
down the terminal, one row each, so any number of years stays legible (a
vertical bar chart squeezes 50 years into a few columns each and its labels
collide), the output is plain deterministic text that tests compare exactly,
and there is no plotting package with global figure state to depend on. The
SVGs are a few hundred lines of markup at most; every piece of document text
in them is XML-escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bilat.models import EVENT_TYPES, Event, EventType, Measure
from bilat.output.render import period_heading, source_ref

TYPE_COLOURS: dict[str, str] = {
    "treaty": "#4e79a7",
    "visit": "#59a14f",
    "trade": "#f28e2b",
    "investment": "#d4a520",
    "aid": "#ff9da7",
    "military": "#9c755f",
    "diplomacy": "#76b7b2",
    "conflict": "#e15759",
    "sanctions": "#79706e",
    "cooperation": "#b07aa1",
}
"""One colour per event type, shared by the charts and the HTML timeline (Tableau 10 hues)."""

TYPE_GLYPHS: dict[str, str] = {
    "treaty": "█",
    "visit": "▓",
    "trade": "▒",
    "investment": "░",
    "aid": "▞",
    "military": "#",
    "diplomacy": "=",
    "conflict": "x",
    "sanctions": "/",
    "cooperation": "+",
}
"""Without colour, each type is told apart by its fill character."""

_COLLAPSE_EMPTY = 3
"""Runs of at least this many years without data are shown as one line."""


# -- data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearCounts:
    """Events per row and type: a row per year from the first to the last (zeros included),
    and a row per decade or century that events are dated with ("1990s", "16th century").

    An event dated to a decade or century counts in that period's row, placed
    before the row of its first year, rather than in its first year: "the 16th
    century" is not 1501.
    """

    years: list[int]
    types: list[EventType]
    counts: dict[EventType, list[int]]
    labels: list[str] = field(default_factory=list)

    def total(self, index: int) -> int:
        """All events of row ``index``."""
        return sum(self.counts[name][index] for name in self.types)

    def label(self, index: int) -> str:
        """What row ``index`` is called: its year, or its period."""
        return self.labels[index] if self.labels else str(self.years[index])

    def is_period(self, index: int) -> bool:
        """Whether row ``index`` is a decade or century rather than a year."""
        return self.label(index) != str(self.years[index])


def events_per_year(events: Iterable[Event]) -> YearCounts:
    """Count ``events`` by year (or decade, century) and type; types without events are left
    out."""
    tally: dict[tuple[int, int, str, EventType], int] = {}
    for event in events:
        coarse = event.date.precision in ("decade", "century")
        label = period_heading(event.date) if coarse else str(event.date.start.year)
        key = (event.date.start.year, 0 if coarse else 1, label, event.type)
        tally[key] = tally.get(key, 0) + 1
    if not tally:
        return YearCounts(years=[], types=[], counts={})
    present = {name for *_, name in tally}
    types = [name for name in EVENT_TYPES if name in present]
    rows = {(year, kind, label) for year, kind, label, _ in tally if kind == 0}
    fine = [year for year, kind, _, _ in tally if kind == 1]
    if fine:
        rows |= {(year, 1, str(year)) for year in range(min(fine), max(fine) + 1)}
    ordered = sorted(rows)
    counts = {
        name: [tally.get((year, kind, label, name), 0) for year, kind, label in ordered]
        for name in types
    }
    return YearCounts(
        years=[year for year, _, _ in ordered],
        types=types,
        counts=counts,
        labels=[label for _, _, label in ordered],
    )


TRADE_MEASURES: tuple[Measure, ...] = ("trade_volume", "exports", "imports")
"""What a trade chart plots, each as its own series; deal values, loans... are not trade."""
MEASURE_LABELS: dict[str, str] = {
    "trade_volume": "trade",
    "exports": "exports",
    "imports": "imports",
}
MEASURE_COLOURS: dict[str, str] = {
    "trade_volume": TYPE_COLOURS["trade"],
    "exports": "#4e79a7",
    "imports": "#59a14f",
}
MEASURE_GLYPHS: dict[str, str] = {"trade_volume": "▒", "exports": "▶", "imports": "◀"}


@dataclass(frozen=True)
class TradePoint:
    """The figure shown for one year and measure: the largest stated for it, and its event."""

    year: int
    value: float
    currency: str
    measure: Measure
    event: Event


@dataclass(frozen=True)
class TradeSeries:
    """Trade volumes per year in one currency, exports and imports apart, other currencies aside.

    Only amounts whose ``measure`` is a trade volume, exports or imports are
    taken: a 30-year gas deal or a loan is not a year's trade. No exchange
    rates are applied: ``points`` are in ``currency`` (USD when any figure is
    in USD, else the most frequent currency), and ``others`` lists the figures
    in other currencies, shown but not plotted. ``unmeasured`` counts trade
    events whose amount has no measure (a store of schema 1).
    """

    currency: str | None
    points: list[TradePoint]
    others: list[TradePoint]
    unmeasured: int = 0

    def series(self, measure: Measure) -> list[TradePoint]:
        """The plotted points of one measure, oldest first."""
        return [point for point in self.points if point.measure == measure]

    def measures(self) -> list[Measure]:
        """The measures that have at least one plotted point, in chart order."""
        present = {point.measure for point in self.points}
        return [measure for measure in TRADE_MEASURES if measure in present]


def trade_series(events: Iterable[Event]) -> TradeSeries:
    """The trade volumes, exports and imports stated, reduced to the largest per year."""
    best: dict[tuple[str, str, int], TradePoint] = {}
    unmeasured = 0
    for event in events:
        amount = event.amount
        if amount is None:
            continue
        if amount.measure is None:
            unmeasured += event.type == "trade"
            continue
        if amount.measure not in TRADE_MEASURES:
            continue
        point = TradePoint(
            year=event.date.start.year,
            value=amount.value,
            currency=amount.currency,
            measure=amount.measure,
            event=event,
        )
        key = (point.currency, point.measure, point.year)
        if key not in best or _larger(point, best[key]):
            best[key] = point
    if not best:
        return TradeSeries(currency=None, points=[], others=[], unmeasured=unmeasured)
    per_currency: dict[str, int] = {}
    for currency, _, _ in best:
        per_currency[currency] = per_currency.get(currency, 0) + 1
    chosen = (
        "USD"
        if "USD" in per_currency
        else min(per_currency, key=lambda name: (-per_currency[name], name))
    )
    ordered = sorted(
        best.values(),
        key=lambda point: (point.year, TRADE_MEASURES.index(point.measure), point.currency),
    )
    return TradeSeries(
        currency=chosen,
        points=[point for point in ordered if point.currency == chosen],
        others=[point for point in ordered if point.currency != chosen],
        unmeasured=unmeasured,
    )


def _larger(candidate: TradePoint, current: TradePoint) -> bool:
    """Largest value wins; equal values keep the earlier event, so the choice is stable."""
    if candidate.value != current.value:
        return candidate.value > current.value
    return candidate.event.sort_key() < current.event.sort_key()


def compact_amount(value: float) -> str:
    """A figure short enough for a chart label: 21.2 bn, 400 m, 5,300."""
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if value >= size:
            return f"{value / size:.3g} {suffix}"
    return f"{value:,.0f}"


# -- terminal -------------------------------------------------------------------------------------


def _ansi(colour: str, text: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"\x1b[38;2;{red};{green};{blue}m{text}\x1b[0m"


def _paint(name: str, cells: int, colour: bool) -> str:
    if cells <= 0:
        return ""
    if colour:
        return _ansi(TYPE_COLOURS[name], "█" * cells)
    return TYPE_GLYPHS[name] * cells


def _clean(text: str) -> str:
    """Document text on one line with no control characters (no escape sequences)."""
    return "".join(" " if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 else char for char in text)


def _rows_with_gaps(has_data: Sequence[bool]) -> list[tuple[int, int]]:
    """Row plan as index ranges: ``(i, i)`` is one year's row, ``(i, j)`` with ``j > i`` a
    collapsed run of empty years."""
    plan: list[tuple[int, int]] = []
    index = 0
    while index < len(has_data):
        if has_data[index]:
            plan.append((index, index))
            index += 1
            continue
        run_end = index
        while run_end < len(has_data) and not has_data[run_end]:
            run_end += 1
        if run_end - index >= _COLLAPSE_EMPTY:
            plan.append((index, run_end - 1))
        else:
            plan.extend((i, i) for i in range(index, run_end))
        index = run_end
    return plan


def _cells(values: Sequence[float], scale: float) -> list[int]:
    """Cells per stacked segment, rounded on the running total so segments add up exactly."""
    cells: list[int] = []
    running = 0.0
    drawn = 0
    for value in values:
        running += value
        edge = round(running * scale)
        cells.append(edge - drawn)
        drawn = edge
    return cells


def year_chart_text(data: YearCounts, *, title: str, width: int = 80, colour: bool = False) -> str:
    """Events per year as horizontal stacked bars, one row per year, with a legend.

    Each type has its colour (``colour``) or its own fill character, so the
    chart reads the same in a pipe or a log. Bars are one cell per event when
    the busiest year fits in ``width``, scaled otherwise.
    """
    lines = [title, ""]
    if not data.years:
        return "\n".join([*lines, "no events"]) + "\n"
    totals = [data.total(index) for index in range(len(data.years))]
    legend = [f"{_paint(name, 1, colour)} {name} {sum(data.counts[name])}" for name in data.types]
    lines += _wrap_items(legend, [len(f"x {n} {sum(data.counts[n])}") for n in data.types], width)
    lines.append("")
    label_width = max(len(data.label(index)) for index in range(len(data.years)))
    count_width = len(str(max(totals)))
    room = max(width - label_width - count_width - 4, 10)
    scale = min(1.0, room / max(totals))
    if scale < 1.0:
        lines[-1] = f"(each cell ≈ {1 / scale:.2g} events)"
        lines.append("")
    for index, last in _rows_with_gaps([total > 0 for total in totals]):
        if last > index:
            lines.append(f"{'┊':>{label_width}}  {data.years[index]}–{data.years[last]}: no events")
        else:
            label = data.label(index)
            segments = _cells([data.counts[name][index] for name in data.types], scale)
            bar = "".join(
                _paint(name, cells, colour)
                for name, cells in zip(data.types, segments, strict=True)
            )
            total = totals[index]
            lines.append(f"{label:>{label_width}} ┃{bar} {total or ''}".rstrip())
    return "\n".join(lines) + "\n"


def _paint_measure(measure: Measure, cells: int, colour: bool) -> str:
    if colour:
        return _ansi(MEASURE_COLOURS[measure], "█" * cells)
    return MEASURE_GLYPHS[measure] * cells


def trade_chart_text(
    series: TradeSeries, *, title: str, width: int = 80, colour: bool = False
) -> str:
    """The yearly trade volumes as bars (exports and imports on their own rows), the sources,
    then the figures in other currencies."""
    lines = [title, ""]
    if series.currency is None:
        return "\n".join([*lines, _no_trade_figures(series)]) + "\n"
    measures = series.measures()
    lines += [f"trade stated per year (the largest figure when several), in {series.currency}"]
    if measures:
        lines += [
            "  ".join(
                f"{_paint_measure(m, 1, colour)} {MEASURE_LABELS[m]} {len(series.series(m))}"
                for m in measures
            ),
            "",
        ]
        years = list(range(series.points[0].year, series.points[-1].year + 1))
        by_year: dict[int, list[TradePoint]] = {}
        for point in series.points:
            by_year.setdefault(point.year, []).append(point)
        labels = {id(p): _point_label(p) for p in series.points}
        label_width = max(len(str(year)) for year in years)
        value_width = max(len(label) for label in labels.values())
        room = max(width - label_width - value_width - 4, 10)
        peak = max(point.value for point in series.points)
        scale = room / peak if peak > 0 else 0.0
        for index, last in _rows_with_gaps([year in by_year for year in years]):
            year = years[index]
            if last > index:
                lines.append(f"{'┊':>{label_width}}  {year}–{years[last]}: no figure")
                continue
            if year not in by_year:
                lines.append(f"{year:>{label_width}} ┃")
                continue
            for number, point in enumerate(by_year[year]):
                cells = max(1, round(point.value * scale))
                bar = _paint_measure(point.measure, cells, colour)
                head = f"{year:>{label_width}}" if number == 0 else " " * label_width
                lines.append(f"{head} ┃{bar} {labels[id(point)]}")
    lines += ["", "Sources"]
    lines += [_source_line(point, width) for point in series.points]
    if series.others:
        lines += ["", "Not plotted (other currencies, not converted)"]
        lines += [_source_line(point, width) for point in series.others]
    return "\n".join(lines) + "\n"


def _point_label(point: TradePoint) -> str:
    amount = compact_amount(point.value)
    return amount if point.measure == "trade_volume" else f"{amount} {point.measure}"


def _no_trade_figures(series: TradeSeries) -> str:
    if series.unmeasured:
        return (
            "no trade volumes, exports or imports with an amount "
            f"({series.unmeasured} trade figures have no measure: re-run `bilat extract`)"
        )
    return "no trade volumes, exports or imports with an amount"


def _wrap_items(items: Sequence[str], widths: Sequence[int], width: int) -> list[str]:
    """Legend items joined by two spaces, wrapped at ``width`` visible columns."""
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for item, size in zip(items, widths, strict=True):
        if current and used + 2 + size > width:
            lines.append("  ".join(current))
            current, used = [], 0
        used += size + (2 if current else 0)
        current.append(item)
    if current:
        lines.append("  ".join(current))
    return lines


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _source_line(point: TradePoint, width: int) -> str:
    """One figure's source on one line of at most ``width`` columns (the title shortened)."""
    amount = f"{compact_amount(point.value)} {point.currency}"
    measure = MEASURE_LABELS[point.measure]
    head = f"  {point.year}  {amount:<14} {measure:<8} {source_ref(point.event)}  "
    return head + _shorten(_clean(point.event.title), max(width - len(head), 12))


# -- SVG ------------------------------------------------------------------------------------------

_SVG_WIDTH = 900
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def _x(text: str) -> str:
    return html.escape(_clean(text), quote=True)


def _nice_step(maximum: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _svg_open(height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_SVG_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_SVG_WIDTH} {height}" font-family="{_FONT}" font-size="12" '
        'role="img">',
        f"<title>{_x(title)}</title>",
        f'<rect width="{_SVG_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="24" y="30" font-size="17" font-weight="600" fill="#1f2328">{_x(title)}</text>',
    ]


def _y_axis(
    maximum: float, left: float, right: float, top: float, bottom: float, label: str
) -> tuple[list[str], float]:
    """Grid lines and tick labels; returns them and the axis maximum."""
    step = _nice_step(maximum)
    top_value = max(step, math.ceil(maximum / step) * step)
    parts: list[str] = []
    ticks = round(top_value / step)
    for tick in range(ticks + 1):
        value = tick * step
        y = bottom - (bottom - top) * value / top_value
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{"#8c959f" if tick == 0 else "#e6e8eb"}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#57606a">'
            f"{_x(label if tick == 0 else compact_amount(value))}</text>"
        )
    return parts, top_value


def _year_labels(
    years: Sequence[int], x_of: dict[int, float], bottom: float, min_gap: float = 44
) -> list[str]:
    """Round years (every 1, 2, 5, 10... as space allows) and the first year, never crowded."""
    parts: list[str] = []
    if not years:
        return parts
    span = max(x_of[years[-1]] - x_of[years[0]], 1.0)
    per_year = span / max(len(years) - 1, 1)
    every = next(
        (step for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if step * per_year >= min_gap),
        1000,
    )
    last_x = -math.inf
    for position, year in enumerate(years):
        x = x_of[year]
        wanted = year % every == 0 or position == 0
        if wanted and x - last_x >= min_gap:
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 18:.1f}" text-anchor="middle" '
                f'fill="#57606a">{year}</text>'
            )
            last_x = x
    return parts


def _legend_layout(
    types: Sequence[EventType], counts: dict[EventType, int]
) -> list[tuple[EventType, str, float, int]]:
    """Where each legend entry goes: (type, label, x, row), wrapping at the chart's width."""
    layout: list[tuple[EventType, str, float, int]] = []
    x, row = 24.0, 0
    for name in types:
        label = f"{name} ({counts[name]})"
        step = 17 + 7.2 * len(label) + 16
        if x + step > _SVG_WIDTH - 16 and x > 24.0:
            x, row = 24.0, row + 1
        layout.append((name, label, x, row))
        x += step
    return layout


def _legend(layout: Sequence[tuple[EventType, str, float, int]], y: float) -> list[str]:
    parts: list[str] = []
    for name, label, x, row in layout:
        baseline = y + 20 * row
        parts.append(
            f'<rect x="{x:.1f}" y="{baseline - 10:.1f}" width="12" height="12" rx="2" '
            f'fill="{TYPE_COLOURS[name]}"/>'
        )
        parts.append(f'<text x="{x + 17:.1f}" y="{baseline:.1f}" fill="#1f2328">{_x(label)}</text>')
    return parts


def year_chart_svg(data: YearCounts, *, title: str) -> str:
    """Events per year as stacked vertical bars coloured by type, with a legend and axes.

    Long runs of empty years (a few events dated "the 16th century" before a
    busy 1990–2025) are cut out of the axis and marked with a break, as in the
    text chart, so the busy years keep readable bars.
    """
    totals = {name: sum(data.counts[name]) for name in data.types}
    layout = _legend_layout(data.types, totals)
    top = 80.0 + 20 * max((row for *_, row in layout), default=0)
    height = int(top) + 304
    left, right, bottom = 56.0, _SVG_WIDTH - 24.0, height - 40.0
    parts = _svg_open(height, title)
    if not data.years:
        parts.append('<text x="24" y="80" fill="#57606a">no events</text>')
        return "\n".join([*parts, "</svg>"]) + "\n"
    parts += _legend(layout, 56)
    day_totals = [data.total(i) for i in range(len(data.years))]
    axis, top_value = _y_axis(max(day_totals), left, right, top, bottom, "0")
    parts += axis
    plan = _rows_with_gaps([total > 0 for total in day_totals])
    band = (right - left) / len(plan)
    bar = max(band * 0.78, 1.0)
    x_of: dict[int, float] = {}
    periods: list[tuple[float, str]] = []
    for slot, (index, last) in enumerate(plan):
        centre = left + band * (slot + 0.5)
        if last > index:
            parts.append(
                f'<text x="{centre:.1f}" y="{bottom + 4:.1f}" text-anchor="middle" '
                f'font-size="14" fill="#8c959f">≈<title>{data.years[index]}–{data.years[last]}: '
                "no events</title></text>"
            )
            continue
        year = data.label(index)
        if data.is_period(index):
            periods.append((centre, year))
        else:
            x_of[data.years[index]] = centre
        base = 0
        for name in data.types:
            count = data.counts[name][index]
            if not count:
                continue
            y_top = bottom - (bottom - top) * (base + count) / top_value
            y_low = bottom - (bottom - top) * base / top_value
            parts.append(
                f'<rect x="{centre - bar / 2:.1f}" y="{y_top:.1f}" width="{bar:.1f}" '
                f'height="{y_low - y_top:.1f}" fill="{TYPE_COLOURS[name]}">'
                f"<title>{year} · {name}: {count}</title></rect>"
            )
            base += count
    taken: list[float] = []
    for centre, label in periods:
        if all(abs(centre - other) >= 7 * len(label) for other in taken):
            parts.append(
                f'<text x="{centre:.1f}" y="{bottom + 32:.1f}" text-anchor="middle" '
                f'font-style="italic" fill="#57606a">{_x(label)}</text>'
            )
            taken.append(centre)
    parts += _year_labels(list(x_of), x_of, bottom)
    return "\n".join([*parts, "</svg>"]) + "\n"


_LABEL_HEIGHT = 14.0
_CHAR_WIDTH = 7.0
"""Approximate advance of a 12 px bold digit, for placing labels so they never overlap."""


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: _Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


def _label_box(x: float, baseline: float, text: str) -> _Box:
    half = _CHAR_WIDTH * len(text) / 2
    return _Box(x - half, baseline - _LABEL_HEIGHT + 3, x + half, baseline + 3)


def place_labels(
    anchors: Sequence[tuple[float, float, str]], bounds: _Box, taken: Sequence[_Box] = ()
) -> list[tuple[float, float, str] | None]:
    """Where each value label goes: above its point, else below, else beside, else nowhere.

    A label is never drawn over another label, a point or the plot's edge;
    one that fits nowhere is left out (the point's tooltip and the sources
    list still give the figure).
    """
    placed: list[_Box] = list(taken)
    for x, y, _ in anchors:
        placed.append(_Box(x - 5, y - 5, x + 5, y + 5))
    result: list[tuple[float, float, str] | None] = []
    for x, y, text in anchors:
        half = _CHAR_WIDTH * len(text) / 2
        choice = None
        for cx, cy in ((x, y - 10), (x, y + 20), (x + half + 8, y + 4), (x - half - 8, y + 4)):
            box = _label_box(cx, cy, text)
            inside = (
                box.left >= bounds.left
                and box.right <= bounds.right
                and box.top >= bounds.top
                and box.bottom <= bounds.bottom
            )
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                choice = (cx, cy, text)
                break
        result.append(choice)
    return result


def _runs(points: Sequence[TradePoint]) -> list[list[TradePoint]]:
    """Points split where a year is missing: a line joins only figures of consecutive years."""
    runs: list[list[TradePoint]] = []
    for point in points:
        if runs and runs[-1][-1].year == point.year - 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def trade_chart_svg(series: TradeSeries, *, title: str) -> str:
    """The yearly trade volumes (and exports, imports) as lines with labelled points.

    A line joins figures of consecutive years only: a year with no figure is a
    gap, not a slope. The sources of every figure are listed below the chart.
    """
    listed = [*series.points, *series.others]
    chart_height = 360
    height = chart_height + (40 + 18 * len(listed) if listed else 0)
    left, right, top, bottom = 72.0, _SVG_WIDTH - 32.0, 84.0, chart_height - 40.0
    parts = _svg_open(height, title)
    if series.currency is None:
        parts.append(f'<text x="24" y="80" fill="#57606a">{_x(_no_trade_figures(series))}</text>')
        return "\n".join([*parts, "</svg>"]) + "\n"
    parts.append(
        f'<text x="24" y="50" fill="#57606a">trade stated per year (the largest figure when '
        f"several), in {_x(series.currency)}; other currencies listed, not converted; "
        "no line across a year without a figure</text>"
    )
    if series.points:
        x = 24.0
        for measure in series.measures():
            label = f"{MEASURE_LABELS[measure]} ({len(series.series(measure))})"
            parts.append(
                f'<rect x="{x:.1f}" y="62" width="12" height="12" rx="2" '
                f'fill="{MEASURE_COLOURS[measure]}"/>'
            )
            parts.append(f'<text x="{x + 17:.1f}" y="72" fill="#1f2328">{_x(label)}</text>')
            x += 17 + 7.2 * len(label) + 16
        first, last = series.points[0].year, series.points[-1].year
        years = list(range(first - 1, last + 2))
        axis, top_value = _y_axis(
            max(p.value for p in series.points), left, right, top, bottom, series.currency
        )
        parts += axis
        step = (right - left) / (len(years) - 1)
        x_of = {year: left + step * i for i, year in enumerate(years)}

        def y_of(value: float) -> float:
            return bottom - (bottom - top) * value / top_value

        anchors: list[tuple[float, float, str]] = []
        for measure in series.measures():
            colour = MEASURE_COLOURS[measure]
            points = series.series(measure)
            for run in _runs(points):
                if len(run) > 1:
                    path = " ".join(f"{x_of[p.year]:.1f},{y_of(p.value):.1f}" for p in run)
                    parts.append(
                        f'<polyline points="{path}" fill="none" stroke="{colour}" '
                        'stroke-width="2.5" stroke-linejoin="round"/>'
                    )
            for point in points:
                cx, cy = x_of[point.year], y_of(point.value)
                parts.append(
                    f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="#ffffff" '
                    f'stroke="{colour}" stroke-width="2.5"><title>{point.year}, '
                    f"{MEASURE_LABELS[point.measure]}: {_x(compact_amount(point.value))} · "
                    f"{_x(point.event.title)}</title></circle>"
                )
                anchors.append((cx, cy, compact_amount(point.value)))
        bounds = _Box(left, top - 18, right + 24, bottom)
        for spot in place_labels(anchors, bounds):
            if spot is not None:
                lx, ly, text = spot
                parts.append(
                    f'<text class="value" x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" '
                    f'font-weight="600" fill="#1f2328">{_x(text)}</text>'
                )
        parts += _year_labels(years[1:-1], x_of, bottom)
    y = chart_height + 8.0
    parts.append(f'<text x="24" y="{y:.1f}" font-weight="600" fill="#1f2328">Sources</text>')
    for point in listed:
        y += 18
        plotted = point.currency == series.currency
        parts.append(
            f'<text x="24" y="{y:.1f}" fill="{"#1f2328" if plotted else "#8c959f"}">'
            f"{point.year}  ·  {_x(MEASURE_LABELS[point.measure])} "
            f"{_x(compact_amount(point.value))} {_x(point.currency)}"
            f"{'' if plotted else ' (not plotted)'}  ·  {_x(source_ref(point.event))}"
            f"  ·  {_x(_shorten(point.event.title, 66))}</text>"
        )
    return "\n".join([*parts, "</svg>"]) + "\n"
