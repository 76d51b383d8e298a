"""``bilat export`` and ``bilat chart``: timelines as files and charts.

:func:`register` adds both commands to the main Typer app. They take the
options of :mod:`bilat.cli.common` (``--store``, ``--from``, ``--to``, ``--type``,
``--actor``), its store loading, filter builder and messages, so every filter of
``bilat timeline`` applies here too. Output follows the CLI's rules: the file or
chart on stdout (or written atomically to ``-o FILE``), talk on stderr; an empty
selection still writes a valid, empty export and exits 0 with a note.
"""

import os
import shutil
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat.cli.common import (
    QUERY,
    ActorOption,
    FromOption,
    StoreOption,
    ToOption,
    TypeOption,
    country_namer,
    event_filter,
    open_store,
    resolve_country,
    say,
    stdout_is_terminal,
    warn,
)
from bilat.errors import BilatError
from bilat.output.formats import SUFFIXES, ExportFormat, plural

if TYPE_CHECKING:
    from bilat.models import Event

_MAX_WIDTH = 120


class ChartFormat(StrEnum):
    """How ``bilat chart`` draws: text for a terminal, or an SVG file."""

    text = "text"
    svg = "svg"


_CHART_SUFFIXES = {ChartFormat.text: ".txt", ChartFormat.svg: ".svg"}
"""Added to ``chart -o FILE`` when FILE has no suffix, as ``export -o`` does."""

CountriesRequired = Annotated[
    list[str],
    typer.Argument(
        metavar="COUNTRY...",
        help="Countries that must all take part: names, demonyms or codes (china russia).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE (atomically) instead of stdout.",
        dir_okay=False,
        show_default=False,
    ),
]


def export_stamp(environ: dict[str, str] | None = None) -> datetime:
    """The iCalendar DTSTAMP: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError):
        raise BilatError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a Unix time",
            hint="set it to whole seconds since 1970, or unset it",
        ) from None


def _ordered_codes(names: list[str]) -> list[str]:
    """Alpha-3 codes in the order typed (for the title), without repeats."""
    return list(dict.fromkeys(resolve_country(name) for name in names))


def _pair_label(codes: list[str]) -> str:
    name = country_namer()
    return "–".join(name(code) for code in codes)


def _emit(text: str, output: Path | None, what: str) -> None:
    from bilat.output.export import write_atomic

    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(output, text)
    say(f"{what} -> {output}")


def _select(
    countries: list[str],
    date_from: str | None,
    date_to: str | None,
    types: Sequence[str] | None,
    actor: str | None,
    store: Path | None,
) -> tuple[list[str], list["Event"]]:
    from bilat.query import timeline_in

    flt = event_filter(countries, date_from, date_to, types, actor)
    return _ordered_codes(countries), list(timeline_in(open_store(store), flt))


def export(
    countries: CountriesRequired,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="html: one self-contained page; timelinejs: Knight Lab TimelineJS JSON; "
            "ics: calendar; markdown: Wikipedia-style list; csv: spreadsheet.",
            case_sensitive=False,
        ),
    ] = ExportFormat.html,
    output: OutputOption = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help='Document title. Default: "Timeline of A–B relations".',
            show_default=False,
        ),
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    types: TypeOption = None,
    actor: ActorOption = None,
    store: StoreOption = None,
) -> None:
    """Export COUNTRIES' timeline: HTML page, TimelineJS, iCalendar, Markdown or CSV."""
    from bilat.output.export import export_events, relations_title

    codes, events = _select(countries, date_from, date_to, types, actor, store)
    heading = title or relations_title([_pair_label(codes)])
    stamp = export_stamp() if fmt is ExportFormat.ics else datetime(1970, 1, 1, tzinfo=UTC)
    text = export_events(events, fmt, title=heading, stamp=stamp)
    if not events:
        warn(f"no events match; the {fmt.value} export is empty")
    if output is None and fmt is ExportFormat.html and stdout_is_terminal():
        # As gzip refuses to write binary to a terminal: a page is for a file.
        raise BilatError(
            "refusing to write an HTML page to the terminal",
            hint=f"pass -o FILE (e.g. -o {'-'.join(codes).lower()}.html), "
            "pipe it, or choose --format markdown",
        )
    if output is not None and not output.suffix:
        output = output.with_suffix(SUFFIXES[fmt])
    _emit(text, output, f"{plural(len(events), 'event')} ({fmt.value})")


def chart(
    countries: CountriesRequired,
    trade: Annotated[
        bool,
        typer.Option(
            "--trade",
            help="Chart the trade volumes, exports and imports stated (largest per year) "
            "instead of event counts.",
        ),
    ] = False,
    fmt: Annotated[
        ChartFormat,
        typer.Option("--format", "-f", help="text for the terminal, or svg.", case_sensitive=False),
    ] = ChartFormat.text,
    output: OutputOption = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            min=30,
            help="Text chart width in columns. Default: the terminal's (at most 120).",
            show_default=False,
        ),
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    types: TypeOption = None,
    actor: ActorOption = None,
    store: StoreOption = None,
) -> None:
    """Chart COUNTRIES' events per year by type, or (--trade) their trade figures by year."""
    from bilat.output.chart import (
        events_per_year,
        trade_chart_svg,
        trade_chart_text,
        trade_series,
        year_chart_svg,
        year_chart_text,
    )

    codes, events = _select(countries, date_from, date_to, types, actor, store)
    pair = _pair_label(codes)
    columns = width or min(shutil.get_terminal_size((80, 24)).columns, _MAX_WIDTH)
    colour = (
        fmt is ChartFormat.text
        and output is None
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    if trade:
        series = trade_series(events)
        heading = f"Trade figures by year: {pair}"
        if fmt is ChartFormat.svg:
            text = trade_chart_svg(series, title=heading)
        else:
            text = trade_chart_text(series, title=heading, width=columns, colour=colour)
        if series.currency is None:
            warn("no trade volumes, exports or imports with an amount match")
    else:
        counts = events_per_year(events)
        heading = f"Events per year by type: {pair} ({plural(len(events), 'event')})"
        if fmt is ChartFormat.svg:
            text = year_chart_svg(counts, title=heading)
        else:
            text = year_chart_text(counts, title=heading, width=columns, colour=colour)
        if not events:
            warn("no events match")
    if output is not None and not output.suffix:
        output = output.with_suffix(_CHART_SUFFIXES[fmt])
    _emit(text, output, f"chart of {plural(len(events), 'event')}")


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``chart`` to ``app``."""
    for command in (export, chart):
        app.command(rich_help_panel=QUERY)(command)
