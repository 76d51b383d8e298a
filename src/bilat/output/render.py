"""Every output bilat writes: one writer per kind of result, one :class:`Format` switch each.

The machine formats (JSON, NDJSON, CSV) are the contract scripts rely on:
JSON is a list (``[]`` when empty), NDJSON is streamed one object per line,
CSV is flat and safe to open in a spreadsheet. The table format is for
people and is drawn with rich, imported lazily so the ``--json`` path never
pays for it.

Text read from documents is data, never markup: it only ever reaches rich
inside :class:`rich.text.Text` objects, after :func:`terminal_safe` has
replaced control characters (ANSI escapes included) with visible escapes.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from bilat.models import Event, EventDate
from bilat.output.formats import Format as Format
from bilat.output.formats import plural as plural
from bilat.query import PairSummary, SearchHit, Stats, term_pattern

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

    from bilat.evaluate import Breakdown, EvaluationReport, Figures
    from bilat.extract.timex import TimeExpression


class CountryLike(Protocol):
    """What ``bilat countries`` shows of a gazetteer entry."""

    @property
    def code(self) -> str: ...
    @property
    def alpha2(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def demonyms(self) -> Sequence[str]: ...
    @property
    def capitals(self) -> Sequence[str]: ...


CountryNamer = Callable[[str], str]

EVENT_COLUMNS = (
    "id",
    "date_start",
    "date_end",
    "precision",
    "mod",
    "date_text",
    "countries",
    "type",
    "title",
    "actors",
    "amount_value",
    "amount_currency",
    "doc",
    "sentence",
    "confidence",
)

TYPE_STYLES: dict[str, str] = {
    "treaty": "bold green",
    "visit": "cyan",
    "trade": "yellow",
    "investment": "magenta",
    "aid": "bright_green",
    "military": "red",
    "diplomacy": "blue",
    "conflict": "bold bright_red",
    "sanctions": "bright_magenta",
    "cooperation": "bright_cyan",
}
HIGHLIGHT_STYLE = "bold reverse"

# -- making document text harmless ---------------------------------------------------------

_LAYOUT = {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# Bidirectional overrides can make a terminal show text in another order than it is.
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
# Unicode's line and paragraph separators end a line on some terminals.
_SEPARATORS = [0x2028, 0x2029]
_TERMINAL_SAFE: dict[int, str] = {
    code: _LAYOUT.get(code, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in (*_CONTROLS, *_BIDI, *_SEPARATORS)
}
_JSON_TERMINAL: dict[int, str] = {
    code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0), *_BIDI, *_SEPARATORS)
}
"""What JSON leaves raw (it escapes only C0) that a terminal would act on; the escapes are
JSON for the same string, so a reader sees no difference."""
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!{}])")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), on one line."""
    return text.translate(_TERMINAL_SAFE)


def for_terminal(out: TextIO) -> bool:
    """Whether ``out`` is a terminal, where data must not be able to move the cursor."""
    isatty = getattr(out, "isatty", None)
    return bool(isatty is not None and isatty())


def _json_writer(out: TextIO) -> Callable[[str], str]:
    """JSON text as written to ``out``: C1, bidi and separator characters escaped on a terminal."""
    if for_terminal(out):
        return lambda text: text.translate(_JSON_TERMINAL)
    return lambda text: text


def csv_safe(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(_CSV_FORMULA_START):
        return "'" + value
    return value


def markdown_safe(text: str) -> str:
    """Document text for a Markdown line: no markup, links, HTML or line breaks of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", terminal_safe(text))


# -- dates as people write them ------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SEASONS = {"SPRING": "spring", "SUMMER": "summer", "FALL": "fall", "WINTER": "winter"}
_MOD_WORDS = {
    "START": "early {}",
    "MID": "mid-{}",
    "END": "late {}",
    "APPROX": "around {}",
    "BEFORE": "before {}",
    "AFTER": "after {}",
    "SINCE": "since {}",
    "AS_OF": "as of {}",
    "BY": "by {}",
    "UNTIL": "until {}",
}


def date_label(when: EventDate) -> str:
    """The interval at the precision it was written with: "Mar 2006", "mid-2006", "1990s"."""
    base = _interval_label(when)
    if when.mod is None:
        return base
    if when.mod in _SEASONS:
        return base if when.precision == "season" else f"{_SEASONS[when.mod]} {base}"
    return _MOD_WORDS[when.mod].format(base)


def _interval_label(when: EventDate) -> str:
    start, end = when.start, when.end
    same_year = start.year == end.year
    if when.precision == "day":
        if start == end:
            return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
        if same_year and start.month == end.month:
            return f"{start.day}–{end.day} {_MONTHS[start.month - 1]} {start.year}"
        if same_year:
            return (
                f"{start.day} {_MONTHS[start.month - 1]} – "
                f"{end.day} {_MONTHS[end.month - 1]} {start.year}"
            )
        return (
            f"{start.day} {_MONTHS[start.month - 1]} {start.year} – "
            f"{end.day} {_MONTHS[end.month - 1]} {end.year}"
        )
    if when.precision == "month":
        return _parts_label(_MONTHS[start.month - 1], _MONTHS[end.month - 1], start.year, end.year)
    if when.precision == "quarter":
        first, last = (start.month - 1) // 3 + 1, (end.month - 1) // 3 + 1
        return _parts_label(f"Q{first}", f"Q{last}", start.year, end.year)
    if when.precision == "half":
        first, last = (start.month - 1) // 6 + 1, (end.month - 1) // 6 + 1
        return _parts_label(f"H{first}", f"H{last}", start.year, end.year)
    if when.precision == "season":
        season = _SEASONS.get(when.mod or "", _season_of(start.month))
        return f"{season} {start.year}"
    if when.precision == "decade":
        first_decade, last_decade = start.year // 10 * 10, end.year // 10 * 10
        if first_decade == last_decade:
            return f"{first_decade}s"
        return f"{first_decade}s–{last_decade}s"
    if when.precision == "century":
        # Midpoints make 1501–1600 and 1500–1599 both "16th century".
        first_century, last_century = (start.year + 49) // 100 + 1, (end.year - 51) // 100 + 1
        if first_century >= last_century:
            return f"{_ordinal(first_century)} century"
        return f"{_ordinal(first_century)}–{_ordinal(last_century)} century"
    return str(start.year) if same_year else f"{start.year}–{end.year}"


def _parts_label(first: str, last: str, start_year: int, end_year: int) -> str:
    if start_year != end_year:
        return f"{first} {start_year} – {last} {end_year}"
    return f"{first} {start_year}" if first == last else f"{first}–{last} {start_year}"


def _season_of(month: int) -> str:
    return ("winter", "spring", "summer", "fall")[month % 12 // 3]


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


# -- events --------------------------------------------------------------------------------


def event_record(event: Event) -> dict[str, Any]:
    """The JSON object of one event: the model's fields, in the model's order."""
    return event.model_dump(mode="json")


def event_row(event: Event) -> dict[str, object]:
    """One flat CSV row, cells neutralised against spreadsheet formulas."""
    amount = event.amount
    row: dict[str, object] = {
        "id": event.id,
        "date_start": event.date.start.isoformat(),
        "date_end": event.date.end.isoformat(),
        "precision": event.date.precision,
        "mod": event.date.mod or "",
        "date_text": event.date.text,
        "countries": ";".join(event.countries),
        "type": event.type,
        "title": event.title,
        "actors": "; ".join(actor.name for actor in event.actors),
        "amount_value": "" if amount is None else amount.value,
        "amount_currency": "" if amount is None else amount.currency,
        "doc": event.source.doc,
        "sentence": event.source.sentence,
        "confidence": event.confidence,
    }
    return {key: csv_safe(value) for key, value in row.items()}


def source_ref(event: Event) -> str:
    """Short pointer to where the event was read: document base name and character offset."""
    return f"{PurePath(event.source.doc).name}:{event.source.start}"


def write_events(
    events: Iterable[Event],
    fmt: Format,
    out: TextIO,
    *,
    highlight: Sequence[str] = (),
    show_sentence: bool = False,
    by_period: bool = True,
    overlapping: Callable[[Event], bool] | None = None,
    width: int | None = None,
    colour: bool | None = None,
) -> int:
    """Write ``events`` in ``fmt`` and return how many were written.

    ``highlight`` holds search terms to mark in the table; ``show_sentence``
    adds each event's sentence under its title; ``by_period`` puts a heading
    before each year (or decade, century) in the table and Markdown, which
    only makes sense for events in date order. ``overlapping`` tells which
    events the table should mark as shown because their date overlaps the
    range asked for rather than lying inside it.
    """
    if fmt is Format.json:
        return _write_json_lines((event.model_dump_json() for event in events), out)
    if fmt is Format.ndjson:
        count = 0
        safe = _json_writer(out)
        for event in events:
            out.write(safe(event.model_dump_json()) + "\n")
            count += 1
        return count
    if fmt is Format.csv:
        return _write_csv((event_row(event) for event in events), EVENT_COLUMNS, out)
    listed = list(events)
    if fmt is Format.markdown:
        _write_markdown_events(listed, out, by_period=by_period)
    else:
        _print_timeline(
            listed,
            out,
            highlight=highlight,
            show_sentence=show_sentence,
            by_period=by_period,
            overlapping=overlapping,
            width=width,
            colour=colour,
        )
    return len(listed)


def write_hits(
    hits: Sequence[SearchHit],
    fmt: Format,
    out: TextIO,
    *,
    width: int | None = None,
    colour: bool | None = None,
) -> int:
    """Search results: events in rank order, matched words highlighted in the table."""
    terms = hits[0].terms if hits else ()
    return write_events(
        (hit.event for hit in hits),
        fmt,
        out,
        highlight=terms,
        show_sentence=True,
        by_period=False,
        width=width,
        colour=colour,
    )


def period_heading(when: EventDate) -> str:
    """The heading an event is listed under: its year, or its decade or century if coarser."""
    if when.precision in ("decade", "century"):
        return _interval_label(when)
    return str(when.start.year)


def _write_json_lines(objects: Iterable[str], out: TextIO) -> int:
    """A JSON list written as it is produced: one element per line, ``[]`` when empty."""
    count = 0
    safe = _json_writer(out)
    for text in objects:
        out.write(("[\n" if count == 0 else ",\n") + safe(text))
        count += 1
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


def _write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    count = 0
    terminal = for_terminal(out)
    for row in rows:
        # On a terminal (not a file or a pipe), ESC, OSC and BEL from a document must not
        # reach it: a cell could set the window title or move the cursor.
        if terminal:
            row = {k: terminal_safe(v) if isinstance(v, str) else v for k, v in row.items()}
        writer.writerow(row)
        count += 1
    return count


def _write_markdown_events(events: Sequence[Event], out: TextIO, *, by_period: bool) -> None:
    """A Wikipedia-style timeline: a heading per year, a bullet per event."""
    heading: str | None = None
    for event in events:
        if by_period and period_heading(event.date) != heading:
            out.write(f"{'' if heading is None else chr(10)}## {period_heading(event.date)}\n\n")
            heading = period_heading(event.date)
        out.write(
            f"- **{markdown_safe(date_label(event.date))}** – {markdown_safe(event.title)}"
            f" ({', '.join(event.countries)}; {event.type};"
            f" {markdown_safe(source_ref(event))})\n"
        )


def _console(out: TextIO, width: int | None, colour: bool | None = None) -> Console:
    """A console on ``out``; ``colour`` forces styles on (a pager) or off.

    Away from a terminal the lines lose the padding rich adds to fill the width,
    so piped tables carry no trailing spaces.
    """
    target: TextIO = out if _is_terminal(out) or colour else _TrimmedLines(out)  # type: ignore[assignment]
    # markup/emoji off: nothing printed here is ever allowed to be interpreted.
    return _pipe_console_class()(
        file=target,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=colour,
    )


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


class _TrimmedLines:
    """A text stream that writes each line without its trailing spaces."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._pending = ""
        self.encoding = getattr(out, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self._out.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._out.write(self._pending)
            self._pending = ""
        self._out.flush()

    def isatty(self) -> bool:
        return False


@functools.cache
def _pipe_console_class() -> type[Console]:
    """A Console that lets a closed pipe surface as BrokenPipeError.

    rich's own handler exits 1 when the reader goes away (`bilat timeline | head`);
    the CLI treats a reader that stopped early as success, in one place.
    """
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return PipeConsole


def _highlighter(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(
        "|".join(f"(?:{term_pattern(term).pattern})\\w*" for term in terms), re.IGNORECASE
    )


def _text(value: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(terminal_safe(value), style=style)


@dataclass(frozen=True, slots=True)
class _Column:
    """A column of :func:`_print_aligned`."""

    header: str
    right: bool = False
    """Right-justified, as numbers and spans read best."""
    wrap: bool = False
    """May be narrowed and its cells wrapped when the rows are wider than the console."""


_Cell = tuple[str, str]
"""A cell's text, already :func:`terminal_safe`, and its rich style."""

_GAP = "  "
"""Between two columns, as a box-less rich Table draws them."""
_ROWS_PER_PRINT = 500
"""Rows handed to rich in one print: the output streams, and no print holds much."""


def _print_aligned(
    console: Console, columns: Sequence[_Column], rows: Sequence[Sequence[_Cell]]
) -> None:
    """A box-less table of ``rows`` under a bold header, printed a chunk of rows at a time.

    A rich Table renders every cell as a renderable of its own, about 0.4 ms a
    row: a quarter of a minute for the 40,000 time expressions of a long
    document. The same layout is cheap as strings: column widths are the widest
    cell's, wrappable columns are narrowed widest first (as rich narrows them)
    when the console is too narrow, and each chunk of rows goes to rich as
    ready-made segments, so rich only styles and writes them. Columns that do
    not wrap keep their width whatever the console's; the last column carries
    no padding.
    """
    from rich.cells import cell_len
    from rich.segment import Segment, Segments

    lines = [[(column.header, "bold") for column in columns], *rows]
    widths = [max(cell_len(row[i][0]) for row in lines) for i in range(len(columns))]
    widths = _fit_widths(widths, [column.wrap for column in columns], console.width)
    used = {style for row in lines for _, style in row} | {""}  # "": gaps and padding
    styles = {style: console.get_style(style) for style in used}
    for start in range(0, len(lines), _ROWS_PER_PRINT):
        # Not cropped: the lines already fit, and rich need not split them again.
        chunk = [
            Segment(piece, styles[style])
            for row in lines[start : start + _ROWS_PER_PRINT]
            for piece, style in _row_pieces(columns, widths, row)
        ]
        console.print(Segments(chunk), crop=False, end="")


def _fit_widths(widths: Sequence[int], wrap: Sequence[bool], room: int) -> list[int]:
    """``widths``, gaps included, narrowed to ``room`` a cell at a time off the widest wrappable.

    A wrappable column keeps at least one cell; a column that does not wrap is
    never narrowed, so a console too narrow for those gets longer lines.
    """
    fitted = list(widths)
    excess = sum(fitted) + len(_GAP) * (len(fitted) - 1) - room
    while excess > 0:
        narrowable = [i for i, can in enumerate(wrap) if can and fitted[i] > 1]
        if not narrowable:
            break
        fitted[max(narrowable, key=fitted.__getitem__)] -= 1
        excess -= 1
    return fitted


def _row_pieces(
    columns: Sequence[_Column], widths: Sequence[int], row: Sequence[_Cell]
) -> Iterator[_Cell]:
    """A row's lines as styled pieces: each cell wrapped to its column's width and padded to it."""
    from rich.cells import cell_len

    wrapped = [
        _wrap_cell(value, width) if column.wrap else [value]
        for (value, _), column, width in zip(row, columns, widths, strict=True)
    ]
    last = len(columns) - 1
    unstyled = ""  # gaps, padding and plain cells run together: one piece, not several
    for line in range(max(len(cell) for cell in wrapped)):
        for i, (cell, (_, style), column, width) in enumerate(
            zip(wrapped, row, columns, widths, strict=True)
        ):
            piece = cell[line] if line < len(cell) else ""
            padding = " " * (width - cell_len(piece))
            unstyled += (_GAP if i else "") + (padding if column.right else "")
            if style:
                if unstyled:
                    yield unstyled, ""
                yield piece, style
                unstyled = ""
            else:
                unstyled += piece
            if not column.right and i < last:
                unstyled += padding
        unstyled += "\n"
    yield unstyled, ""


def _wrap_cell(value: str, width: int) -> list[str]:
    """``value`` in lines of at most ``width`` cells, broken at spaces; a longer word is folded."""
    from rich.cells import cell_len, chop_cells

    if cell_len(value) <= width:
        return [value]
    lines: list[str] = []
    line = ""
    for word in value.split(" "):
        joined = f"{line} {word}" if line else word
        if cell_len(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        *full, line = chop_cells(word, width) or [""]
        lines.extend(full)
    lines.append(line)
    return lines


NARROW = 100
"""Below this width the type and countries open the title's line instead of having columns."""
_DATE_COLUMN = 12
"""The widest date column ("16 Jul 2001"); longer intervals wrap inside it."""


def _print_timeline(
    events: Sequence[Event],
    out: TextIO,
    *,
    highlight: Sequence[str],
    show_sentence: bool,
    by_period: bool,
    width: int | None,
    overlapping: Callable[[Event], bool] | None = None,
    colour: bool | None = None,
) -> None:
    """The timeline table, laid out for the width it gets.

    The title takes the width that is left and wraps. From :data:`NARROW`
    columns the type and countries have columns of their own; below, they lead
    the title's first line so a row stays two or three lines at 80 columns.
    """
    from rich.table import Table

    console = _console(out, width, colour)
    narrow = console.width < NARROW
    pattern = _highlighter(highlight)
    labels = [date_label(event.date) for event in events]
    # Fixed column widths, so the grids under successive headings line up.
    date_width = min(max((len(label) for label in labels), default=4), _DATE_COLUMN)
    country_width = min(max((len(" ".join(e.countries)) for e in events), default=7), 15)
    type_width = max((len(event.type) for event in events), default=4)

    def new_grid() -> Table:
        grid = Table.grid(padding=(0, 1), pad_edge=False, expand=True)
        grid.add_column(width=date_width)
        if not narrow:
            grid.add_column(width=type_width, no_wrap=True)
            grid.add_column(width=country_width, overflow="fold")
        grid.add_column(ratio=1, overflow="fold")
        return grid

    grid = new_grid()
    heading: str | None = None
    for event, label in zip(events, labels, strict=True):
        if by_period and period_heading(event.date) != heading:
            if grid.row_count:
                console.print(grid)
                grid = new_grid()
            heading = period_heading(event.date)
            console.rule(_text(heading, "bold"), align="left", style="dim")
        kind = _text(event.type, TYPE_STYLES[event.type])
        countries = _text(" ".join(event.countries))
        body = _text("")
        if narrow:
            body.append_text(kind)
            body.append(" ")
            body.append_text(countries)
            body.append(" ")
        body.append_text(_text(event.title))
        if show_sentence:
            body.append("\n")
            body.append_text(_text(event.source.sentence, "italic"))
        if pattern is not None:
            body.highlight_regex(pattern, style=HIGHLIGHT_STYLE)
        body.append("\n")
        body.append_text(_text(f"{source_ref(event)} · {event.id[:8]}", "dim"))
        if overlapping is not None and overlapping(event):
            body.append_text(_text(" · overlaps the range", "yellow"))
        cells = [_text(label, "bold")] + ([] if narrow else [kind, countries]) + [body]
        grid.add_row(*cells)
    if grid.row_count:
        console.print(grid)


# -- one event in full ---------------------------------------------------------------------


def write_event_detail(
    event: Event,
    fmt: Format,
    out: TextIO,
    *,
    name: CountryNamer | None = None,
    width: int | None = None,
) -> None:
    """``bilat show``: every field of one event (JSON: the event object itself)."""
    if fmt is Format.json:
        text = json.dumps(event_record(event), ensure_ascii=False, indent=2)
        out.write(_json_writer(out)(text) + "\n")
        return
    if fmt in (Format.ndjson, Format.csv):
        write_events([event], fmt, out)
        return
    fields = _detail_fields(event, name or str)
    if fmt is Format.markdown:
        out.write(f"### {markdown_safe(event.title)}\n\n")
        for key, value in fields:
            out.write(f"- **{key}**: {markdown_safe(value)}\n")
        return
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in fields:
        style = TYPE_STYLES[event.type] if key == "type" else ""
        grid.add_row(_text(key), _text(value, style))
    _console(out, width).print(grid)


def _detail_fields(event: Event, name: CountryNamer) -> list[tuple[str, str]]:
    when = event.date
    fields = [
        ("id", event.id),
        ("date", f"{date_label(when)}  ({when.start} – {when.end})"),
        ("precision", when.precision + (f", {when.mod}" if when.mod else "")),
        ("written", f"{when.text!r}, value {when.value}, {when.resolution}"),
        ("countries", ", ".join(f"{name(code)} ({code})" for code in event.countries)),
        ("type", event.type),
        ("title", event.title),
    ]
    if event.actors:
        actors = [
            f"{actor.name} ({actor.kind}{', ' + actor.country if actor.country else ''})"
            for actor in event.actors
        ]
        fields.append(("actors", "; ".join(actors)))
    if event.amount is not None:
        amount = event.amount
        fields.append(("amount", f"{amount.value:,.0f} {amount.currency} ({amount.text!r})"))
    fields += [
        ("source", f"{event.source.doc} [{event.source.start}:{event.source.end}]{_page(event)}"),
        ("sentence", event.source.sentence),
        ("confidence", f"{event.confidence:.2f}"),
    ]
    return fields


# -- summaries: pairs, countries, stats ----------------------------------------------------


def _emit_records(
    fmt: Format,
    out: TextIO,
    records: Sequence[Mapping[str, Any]],
    rows: Sequence[Mapping[str, object]],
    columns: Sequence[str],
    table: Callable[[Console], None],
    width: int | None,
) -> None:
    """The shared switch for summaries: JSON records, flat rows, or ``table`` drawn on a console."""
    if fmt is Format.json:
        _write_json_lines((json.dumps(record, ensure_ascii=False) for record in records), out)
    elif fmt is Format.ndjson:
        safe = _json_writer(out)
        for record in records:
            out.write(safe(json.dumps(record, ensure_ascii=False)) + "\n")
    elif fmt is Format.csv:
        _write_csv(({k: csv_safe(v) for k, v in row.items()} for row in rows), columns, out)
    elif fmt is Format.markdown:
        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "---|" * len(columns) + "\n")
        for row in rows:
            cells = (markdown_safe(str(row[column])) for column in columns)
            out.write("| " + " | ".join(cells) + " |\n")
    else:
        table(_console(out, width))


def _date_record(when: EventDate) -> dict[str, Any]:
    return when.model_dump(mode="json")


def write_pairs(
    summaries: Sequence[PairSummary],
    fmt: Format,
    out: TextIO,
    *,
    name: CountryNamer | None = None,
    width: int | None = None,
) -> None:
    """``bilat pairs``: each pair of countries, its event count, first and last dates."""
    namer = name or str
    records = [
        {
            "countries": list(pair.countries),
            "events": pair.events,
            "first": _date_record(pair.first),
            "last": _date_record(pair.last),
        }
        for pair in summaries
    ]
    rows = [
        {
            "country_a": pair.countries[0],
            "country_b": pair.countries[1],
            "events": pair.events,
            "first": date_label(pair.first),
            "first_start": pair.first.start.isoformat(),
            "last": date_label(pair.last),
            "last_end": pair.last.end.isoformat(),
        }
        for pair in summaries
    ]
    columns = ("country_a", "country_b", "events", "first", "first_start", "last", "last_end")

    def table(console: Console) -> None:
        from rich.table import Table

        grid = Table(box=None, header_style="bold", pad_edge=False)
        grid.add_column("pair")
        grid.add_column("events", justify="right")
        grid.add_column("first")
        grid.add_column("last")
        for pair in summaries:
            a, b = pair.countries
            grid.add_row(
                _text(f"{namer(a)} – {namer(b)} ({a} {b})"),
                _text(str(pair.events)),
                _text(date_label(pair.first)),
                _text(date_label(pair.last)),
            )
        console.print(grid)

    _emit_records(fmt, out, records, rows, columns, table, width)


def write_countries(
    countries: Sequence[CountryLike], fmt: Format, out: TextIO, *, width: int | None = None
) -> None:
    """``bilat countries``: the names bilat resolves, with their codes."""
    records = [
        {
            "code": country.code,
            "alpha2": country.alpha2,
            "name": country.name,
            "aliases": list(country.aliases),
            "demonyms": list(country.demonyms),
            "capitals": list(country.capitals),
        }
        for country in countries
    ]
    rows = [
        {
            "code": country.code,
            "alpha2": country.alpha2 or "",
            "name": country.name,
            "aliases": "; ".join(country.aliases),
            "demonyms": "; ".join(country.demonyms),
            "capitals": "; ".join(country.capitals),
        }
        for country in countries
    ]
    columns = ("code", "alpha2", "name", "aliases", "demonyms", "capitals")

    def table(console: Console) -> None:
        from rich.table import Table

        grid = Table(box=None, header_style="bold", pad_edge=False)
        grid.add_column("code", no_wrap=True)
        grid.add_column("name")
        grid.add_column("also", overflow="fold")
        for country in countries:
            also = [*country.aliases, *country.demonyms, *country.capitals]
            grid.add_row(_text(country.code, "bold"), _text(country.name), _text(", ".join(also)))
        console.print(grid)

    _emit_records(fmt, out, records, rows, columns, table, width)


def write_stats(summary: Stats, fmt: Format, out: TextIO, *, width: int | None = None) -> None:
    """``bilat stats``: JSON gets one object; the row formats get (group, key, events) rows."""
    groups: list[tuple[str, Mapping[str, int]]] = [
        ("type", summary.by_type),
        ("decade", {f"{decade}s": n for decade, n in summary.by_decade.items()}),
        ("precision", summary.by_precision),
        ("country", summary.by_country),
    ]
    rows = [
        {"group": group, "key": key, "events": count}
        for group, counts in groups
        for key, count in counts.items()
    ]
    if fmt is Format.json:
        record = {
            "events": summary.events,
            "documents": summary.documents,
            "first": None if summary.first is None else _date_record(summary.first),
            "last": None if summary.last is None else _date_record(summary.last),
            **{f"by_{group}": dict(counts) for group, counts in groups},
        }
        out.write(_json_writer(out)(json.dumps(record, ensure_ascii=False, indent=2)) + "\n")
        return

    def table(console: Console) -> None:
        from rich.console import Group
        from rich.table import Table

        span = (
            "–"
            if summary.first is None or summary.last is None
            else (f"{date_label(summary.first)} to {date_label(summary.last)}")
        )
        heading = _text(
            f"{plural(summary.events, 'event')} from {plural(summary.documents, 'document')}, "
            f"{span}",
            "bold",
        )
        tables: list[RenderableType] = [heading]
        for group, counts in groups:
            # A blank line between sections, each headed.
            tables += [_text(""), _text(f"Events by {group}", "bold")]
            grid = Table(box=None, show_header=False, pad_edge=False)
            grid.add_column(group, no_wrap=True)
            grid.add_column("events", justify="right")
            for key, count in counts.items():
                style = TYPE_STYLES.get(key, "") if group == "type" else ""
                grid.add_row(_text(key, style), _text(str(count)))
            tables.append(grid)
        console.print(Group(*tables))

    _emit_records(fmt, out, rows, rows, ("group", "key", "events"), table, width)


# -- time expressions (bilat dates) --------------------------------------------------------


def time_expression_record(expression: TimeExpression) -> dict[str, Any]:
    """``{"text", "span": [start, end], "kind", "value", "date"}``; ``date`` null if unresolved."""
    return {
        "text": expression.text,
        "span": [expression.start, expression.end],
        "kind": expression.kind,
        "value": expression.value,
        "date": None if expression.date is None else _date_record(expression.date),
    }


_TIME_EXPRESSION_COLUMNS = (
    _Column("span", right=True),
    _Column("text", wrap=True),
    _Column("kind"),
    _Column("value"),
    _Column("date", wrap=True),
)


def _time_expression_cells(expression: TimeExpression) -> tuple[_Cell, ...]:
    """One row of the ``bilat dates`` table, cells styled as the columns show them."""
    when = expression.date
    resolved = "unresolved" if when is None else f"{date_label(when)} ({when.start} – {when.end})"
    return (
        (f"{expression.start}-{expression.end}", "dim"),
        (terminal_safe(expression.text), "bold"),
        (expression.kind, ""),
        (terminal_safe(expression.value or ""), ""),
        (resolved, "dim" if when is None else ""),
    )


def write_time_expressions(
    expressions: Sequence[TimeExpression], fmt: Format, out: TextIO, *, width: int | None = None
) -> None:
    """``bilat dates``: each time expression found, where, and the interval it resolves to."""
    records = [time_expression_record(expression) for expression in expressions]
    columns = (
        "text",
        "start",
        "end",
        "kind",
        "value",
        "date_start",
        "date_end",
        "precision",
        "mod",
    )
    rows = [
        {
            "text": expression.text,
            "start": expression.start,
            "end": expression.end,
            "kind": expression.kind,
            "value": expression.value or "",
            "date_start": "" if expression.date is None else expression.date.start.isoformat(),
            "date_end": "" if expression.date is None else expression.date.end.isoformat(),
            "precision": "" if expression.date is None else expression.date.precision,
            "mod": "" if expression.date is None else expression.date.mod or "",
        }
        for expression in expressions
    ]

    def table(console: Console) -> None:
        cells = (_time_expression_cells(expression) for expression in expressions)
        _print_aligned(console, _TIME_EXPRESSION_COLUMNS, list(cells))

    _emit_records(fmt, out, records, rows, columns, table, width)


# -- evaluation ----------------------------------------------------------------------------

_PRF_ROWS = ("detection", "strict", "exact", "pair_timeline")
_RATIO_ROWS = ("date_exact", "countries_exact", "type_accuracy")


def write_evaluation(
    report: EvaluationReport,
    out: TextIO,
    *,
    as_json: bool,
    show_errors: int,
    by: Breakdown | None = None,
    confusion: bool = False,
    width: int | None = None,
) -> None:
    """``bilat evaluate``: precision/recall/F1 per level, accuracies, and the first errors.

    The table adds the figures per document or genre (``by``) and the type
    confusion matrix (``confusion``) on request; the JSON always holds both
    breakdowns and the matrix.
    """
    errors = report.errors[: max(show_errors, 0)]
    if as_json:
        out.write(json.dumps(_evaluation_record(report, errors), ensure_ascii=False, indent=2))
        out.write("\n")
        return
    from rich.console import Group

    summary = report.summary()
    grid = _figures_table("level")
    for key in _PRF_ROWS:
        figures = summary[key]
        grid.add_row(
            _text(key.replace("_", " ")),
            *(_text(f"{figures[part]:.3f}") for part in ("precision", "recall", "f1")),
        )
    accuracy = _figures_table("of matched events", ["accuracy"])
    for key in _RATIO_ROWS:
        accuracy.add_row(_text(key.replace("_", " ")), _text(f"{summary[key]:.3f}"))
    counts = _text(
        f"gold events {summary['gold_events']}, predicted {summary['predicted_events']}, "
        f"matched {summary['matched']}",
        "bold",
    )
    parts: list[RenderableType] = [counts, grid, accuracy]
    if by is not None:
        parts.append(_breakdown_table(report, by))
    if confusion:
        parts.append(_confusion_table(report))
    if errors:
        parts.append(_text(f"first {len(errors)} of {len(report.errors)} errors:", "bold"))
        parts.extend(
            _error_line(error.kind, error.doc, error.gold, error.pred, error.fields)
            for error in errors
        )
    _console(out, width).print(Group(*parts))


def _evaluation_record(report: EvaluationReport, errors: Sequence[Any]) -> dict[str, Any]:
    """The JSON object of ``bilat evaluate --json``: figures, breakdowns, matrix, errors."""
    by_doc = [
        {
            "doc": document.doc,
            "genre": document.genre,
            "published": None if document.published is None else document.published.isoformat(),
            **document.figures().summary(),
        }
        for document in report.documents
    ]
    by_genre = [
        {"genre": group.group, "documents": group.documents, **group.summary()}
        for group in report.breakdown("genre")
    ]
    return {
        "summary": report.summary(),
        "by_doc": by_doc,
        "by_genre": by_genre,
        "confusion": report.confusion.model_dump(mode="json"),
        "unscored": list(report.unscored),
        "skipped": [problem.model_dump(mode="json") for problem in report.skipped],
        "errors_total": len(report.errors),
        "errors": [error.model_dump(mode="json") for error in errors],
    }


def _figures_table(first: str, figures: Sequence[str] = ("precision", "recall", "F1")) -> Table:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column(first, no_wrap=True)
    for heading in figures:
        table.add_column(heading, justify="right")
    return table


_BREAKDOWN_COLUMNS = ("gold", "pred", "match", "detect", "strict", "exact", "type", "ctry", "pair")
"""Columns of ``--by``: counts, F1 of three levels, two accuracies of matches, pair F1."""


def _breakdown_table(report: EvaluationReport, by: Breakdown) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    from bilat.evaluate import UNKNOWN_GENRE  # loaded already: the report comes from it

    table = Table(box=None, header_style="bold", pad_edge=False, collapse_padding=True)
    groups = report.breakdown(by)
    genres = {document.doc: document.genre for document in report.documents}
    show_genre = by == "doc" and any(genres.values())
    table.add_column(
        by, overflow="fold", min_width=min(12, max((len(g.group) for g in groups), default=0))
    )
    if show_genre:
        table.add_column("genre", no_wrap=True)
    elif by == "genre":
        table.add_column("docs", justify="right", no_wrap=True)
    for heading in _BREAKDOWN_COLUMNS:
        table.add_column(heading, justify="right", no_wrap=True)
    for group in groups:
        second = [_text(genres[group.group] or UNKNOWN_GENRE)] if show_genre else []
        if by == "genre":
            second = [_text(str(group.documents))]
        table.add_row(_text(group.group), *second, *_breakdown_cells(group))
    total = [_text("")] if show_genre else []
    if by == "genre":
        total = [_text(str(len(report.documents)))]
    table.add_row(_text("all"), *total, *_breakdown_cells(report), style="bold")
    heading = f"by {by} - F1: detect, strict, exact, pair; accuracy: type, ctry (countries)"
    return Group(_text(heading, "bold"), table)


def _breakdown_cells(figures: Figures) -> list[Text]:
    ratios = (
        figures.detection.f1,
        figures.strict.f1,
        figures.exact.f1,
        figures.type_accuracy,
        figures.countries_exact,
        figures.pair_timeline.f1,
    )
    counts = (figures.gold_events, figures.predicted_events, figures.matched)
    return [_text(str(count)) for count in counts] + [_text(f"{value:.3f}") for value in ratios]


_CONFUSION_HEADING = 4
"""Letters of a type name heading a confusion column ("trea", "trad", "coop"): all distinct."""


def _confusion_table(report: EvaluationReport) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    matrix = report.confusion
    table = Table(box=None, header_style="bold", pad_edge=False, collapse_padding=True)
    table.add_column("gold \\ pred", no_wrap=True)
    for label in matrix.labels:
        table.add_column(_text(label[:_CONFUSION_HEADING]), justify="right", no_wrap=True)
    table.add_column("right", justify="right", no_wrap=True)
    for number, (label, row) in enumerate(zip(matrix.labels, matrix.counts, strict=True)):
        cells = [
            _text(str(count), "bold" if n == number else "") if count else _text("·", "dim")
            for n, count in enumerate(row)
        ]
        table.add_row(_text(label), *cells, _text(f"{row[number]}/{sum(row)}"))
    heading = f"type confusion over {matrix.total} matched events: rows gold, columns predicted"
    return Group(_text(heading, "bold"), table)


def _error_line(
    kind: str,
    doc: str,
    gold: Mapping[str, Any] | None,
    pred: Mapping[str, Any] | None,
    fields: Sequence[str] = (),
) -> Text:
    line = _text(f"{kind:<8} ", {"missed": "yellow", "spurious": "red"}.get(kind, "magenta"))
    line.append_text(_text(f"{PurePath(doc).name} ", "dim"))
    if fields:
        line.append_text(_text(f"differs: {', '.join(fields)}"))
    for label, item in (("gold", gold), ("pred", pred)):
        if item is not None:
            line.append(f"\n  {label}: ")
            line.append_text(_text(_describe(item)))
    return line


def _describe(item: Mapping[str, Any]) -> str:
    when = item.get("date")
    when_text = (
        f"{when.get('start')}..{when.get('end')}" if isinstance(when, Mapping) else "undated"
    )
    countries = ",".join(item.get("countries") or [])
    sentence = str(item.get("sentence") or (item.get("source") or {}).get("sentence") or "")
    return f"[{when_text} {item.get('type', '?')} {countries}] {sentence}"


def _page(event: Event) -> str:
    """ ", page N" for an event read from a PDF, nothing for other formats."""
    return "" if event.source.page is None else f", page {event.source.page}"
