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
from dataclasses import dataclass

from bilat.models import EVENT_TYPES, Event, EventType
from bilat.output.render import source_ref

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
    """Events per year and type, for every year from the first to the last (zeros included).

    An event counts in the year its date interval starts: "the 1990s" is 1990.
    """

    years: list[int]
    types: list[EventType]
    counts: dict[EventType, list[int]]

    def total(self, index: int) -> int:
        """All events of year ``years[index]``."""
        return sum(self.counts[name][index] for name in self.types)


def events_per_year(events: Iterable[Event]) -> YearCounts:
    """Count ``events`` by start year and type; types without events are left out."""
    tally: dict[tuple[int, EventType], int] = {}
    for event in events:
        key = (event.date.start.year, event.type)
        tally[key] = tally.get(key, 0) + 1
    if not tally:
        return YearCounts(years=[], types=[], counts={})
    present = {name for _, name in tally}
    types = [name for name in EVENT_TYPES if name in present]
    first = min(year for year, _ in tally)
    last = max(year for year, _ in tally)
    years = list(range(first, last + 1))
    counts = {name: [tally.get((year, name), 0) for year in years] for name in types}
    return YearCounts(years=years, types=types, counts=counts)


@dataclass(frozen=True)
class TradePoint:
    """The figure shown for one year: the largest trade amount stated for it, and its event."""

    year: int
    value: float
    currency: str
    event: Event


@dataclass(frozen=True)
class TradeSeries:
    """Trade amounts per year in one currency, plus the figures in other currencies.

    No exchange rates are applied: ``points`` are in ``currency`` (USD when
    any figure is in USD, else the most frequent currency), and ``others``
    lists the largest figure per year in each other currency, shown but not
    plotted.
    """

    currency: str | None
    points: list[TradePoint]
    others: list[TradePoint]


def trade_series(events: Iterable[Event]) -> TradeSeries:
    """The trade events that state an amount, reduced to the largest figure per year."""
    best: dict[tuple[str, int], TradePoint] = {}
    for event in events:
        if event.type != "trade" or event.amount is None:
            continue
        point = TradePoint(
            year=event.date.start.year,
            value=event.amount.value,
            currency=event.amount.currency,
            event=event,
        )
        key = (point.currency, point.year)
        if key not in best or _larger(point, best[key]):
            best[key] = point
    if not best:
        return TradeSeries(currency=None, points=[], others=[])
    per_currency: dict[str, int] = {}
    for currency, _ in best:
        per_currency[currency] = per_currency.get(currency, 0) + 1
    chosen = (
        "USD"
        if "USD" in per_currency
        else min(per_currency, key=lambda name: (-per_currency[name], name))
    )
    ordered = sorted(best.values(), key=lambda point: (point.year, point.currency))
    return TradeSeries(
        currency=chosen,
        points=[point for point in ordered if point.currency == chosen],
        others=[point for point in ordered if point.currency != chosen],
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
    label_width = max(len(str(year)) for year in data.years)
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
            segments = _cells([data.counts[name][index] for name in data.types], scale)
            bar = "".join(
                _paint(name, cells, colour)
                for name, cells in zip(data.types, segments, strict=True)
            )
            total = totals[index]
            lines.append(f"{data.years[index]:>{label_width}} ┃{bar} {total or ''}".rstrip())
    return "\n".join(lines) + "\n"


def trade_chart_text(
    series: TradeSeries, *, title: str, width: int = 80, colour: bool = False
) -> str:
    """The yearly trade figures as bars, then each figure's source, then other currencies."""
    lines = [title, ""]
    if series.currency is None:
        return "\n".join([*lines, "no trade figures with an amount"]) + "\n"
    lines += [f"largest figure stated per year, in {series.currency}", ""]
    if series.points:
        years = list(range(series.points[0].year, series.points[-1].year + 1))
        by_year = {point.year: point for point in series.points}
        labels = {point.year: compact_amount(point.value) for point in series.points}
        label_width = max(len(str(year)) for year in years)
        value_width = max(len(label) for label in labels.values())
        room = max(width - label_width - value_width - 4, 10)
        peak = max(point.value for point in series.points)
        scale = room / peak if peak > 0 else 0.0
        for index, last in _rows_with_gaps([year in by_year for year in years]):
            year = years[index]
            if last > index:
                lines.append(f"{'┊':>{label_width}}  {year}–{years[last]}: no figure")
            elif year not in by_year:
                lines.append(f"{year:>{label_width}} ┃")
            else:
                cells = max(1, round(by_year[year].value * scale))
                bar = _paint("trade", cells, colour)
                lines.append(f"{year:>{label_width}} ┃{bar} {labels[year]}")
    lines += ["", "Sources"]
    lines += [_source_line(point) for point in series.points]
    if series.others:
        lines += ["", "Not plotted (other currencies, not converted)"]
        lines += [_source_line(point) for point in series.others]
    return "\n".join(lines) + "\n"


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


def _source_line(point: TradePoint) -> str:
    amount = f"{compact_amount(point.value)} {point.currency}"
    return f"  {point.year}  {amount:<14} {source_ref(point.event)}  {_clean(point.event.title)}"


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
    for slot, (index, last) in enumerate(plan):
        centre = left + band * (slot + 0.5)
        if last > index:
            parts.append(
                f'<text x="{centre:.1f}" y="{bottom + 4:.1f}" text-anchor="middle" '
                f'font-size="14" fill="#8c959f">≈<title>{data.years[index]}–{data.years[last]}: '
                "no events</title></text>"
            )
            continue
        year = data.years[index]
        x_of[year] = centre
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
    parts += _year_labels(list(x_of), x_of, bottom)
    return "\n".join([*parts, "</svg>"]) + "\n"


def trade_chart_svg(series: TradeSeries, *, title: str) -> str:
    """The yearly figures as a line with labelled points, and the list of sources below it."""
    listed = [*series.points, *series.others]
    chart_height = 340
    height = chart_height + (40 + 18 * len(listed) if listed else 0)
    left, right, top, bottom = 72.0, _SVG_WIDTH - 32.0, 64.0, chart_height - 40.0
    parts = _svg_open(height, title)
    if series.currency is None:
        parts.append('<text x="24" y="80" fill="#57606a">no trade figures with an amount</text>')
        return "\n".join([*parts, "</svg>"]) + "\n"
    parts.append(
        f'<text x="24" y="50" fill="#57606a">largest figure stated per year, in '
        f"{_x(series.currency)}; other currencies listed, not converted</text>"
    )
    if series.points:
        first, last = series.points[0].year, series.points[-1].year
        years = list(range(first - 1, last + 2))
        axis, top_value = _y_axis(
            max(p.value for p in series.points), left, right, top, bottom, series.currency
        )
        parts += axis
        step = (right - left) / (len(years) - 1)
        x_of = {year: left + step * i for i, year in enumerate(years)}
        coords = [
            (x_of[p.year], bottom - (bottom - top) * p.value / top_value) for p in series.points
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        colour = TYPE_COLOURS["trade"]
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
            'stroke-linejoin="round"/>'
        )
        for point, (x, y) in zip(series.points, coords, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#ffffff" stroke="{colour}" '
                f'stroke-width="2.5"><title>{point.year}: {_x(point.event.title)}</title></circle>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" font-weight="600" '
                f'fill="#1f2328">{_x(compact_amount(point.value))}</text>'
            )
        parts += _year_labels(years[1:-1], x_of, bottom)
    y = chart_height + 8.0
    parts.append(f'<text x="24" y="{y:.1f}" font-weight="600" fill="#1f2328">Sources</text>')
    for point in listed:
        y += 18
        plotted = point.currency == series.currency
        parts.append(
            f'<text x="24" y="{y:.1f}" fill="{"#1f2328" if plotted else "#8c959f"}">'
            f"{point.year}  ·  {_x(compact_amount(point.value))} {_x(point.currency)}"
            f"{'' if plotted else ' (not plotted)'}  ·  {_x(source_ref(point.event))}"
            f"  ·  {_x(_shorten(point.event.title, 72))}</text>"
        )
    return "\n".join([*parts, "</svg>"]) + "\n"
