"""Querying the store: ``timeline``, ``search``, ``show``, ``pairs``, ``countries``, ``stats``."""

import sys
from typing import Annotated

import typer

from bilat.cli.common import (
    QUERY,
    ActorOption,
    CountriesArgument,
    DocOption,
    FormatOption,
    FromOption,
    FullOption,
    JsonOption,
    LimitOption,
    NoPagerOption,
    ReverseOption,
    StoreOption,
    ToOption,
    TypeOption,
    WithinOption,
    country_namer,
    event_filter,
    nothing_found,
    open_store,
    paged,
    pick_format,
    resolve_countries,
    say,
)
from bilat.output.formats import Format

_SEARCH_PAGE = 20
"""Search results shown in a table when no --limit is given."""


def timeline(
    countries: CountriesArgument = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    within: WithinOption = False,
    types: TypeOption = None,
    actor: ActorOption = None,
    doc: DocOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
    full: FullOption = False,
    no_pager: NoPagerOption = False,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Events oldest first, optionally only those between COUNTRIES (all of them).

    On a terminal a long table goes through $BILAT_PAGER, $PAGER or less -FRX.
    """
    from bilat.output.render import write_events
    from bilat.query import timeline_in

    fmt = pick_format(fmt, as_json)
    flt = event_filter(countries, date_from, date_to, types, actor, doc, limit, reverse, within)
    events = timeline_in(open_store(store), flt)
    if fmt is Format.table:
        listed = list(events)
        paged(
            lambda out, width, colour: write_events(
                listed,
                fmt,
                out,
                show_sentence=full,
                overlapping=flt.partly_outside,
                width=width,
                colour=colour,
            ),
            no_pager,
        )
        written = len(listed)
    else:
        # Streamed: NDJSON and CSV of a million events never hold them all.
        written = write_events(events, fmt, sys.stdout)
    if not written:
        nothing_found(fmt)


def search(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY",
            help='Words that must all occur (title, sentence, actors); "quote" phrases.',
            show_default=False,
        ),
    ],
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            "-c",
            help="Only events involving this country (repeatable).",
            show_default=False,
        ),
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    types: TypeOption = None,
    actor: ActorOption = None,
    doc: DocOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
    no_pager: NoPagerOption = False,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Full-text search, best matches first, matched words highlighted (table: best 20)."""
    from bilat.output.render import write_hits
    from bilat.query import search_in

    fmt = pick_format(fmt, as_json)
    flt = event_filter(country, date_from, date_to, types, actor, doc, limit, reverse)
    hits = search_in(open_store(store), " ".join(query), flt)
    shown = hits
    if fmt is Format.table and limit is None and len(hits) > _SEARCH_PAGE:
        # People read the best matches; scripts asking for JSON or CSV get them all.
        shown = hits[:_SEARCH_PAGE]
    if fmt is Format.table:
        paged(
            lambda out, width, colour: write_hits(shown, fmt, out, width=width, colour=colour),
            no_pager,
        )
    else:
        write_hits(shown, fmt, sys.stdout)
    if not hits:
        nothing_found(fmt)
    elif len(shown) < len(hits):
        say(f"best {len(shown)} of {len(hits)} matches shown; use --limit for more", "dim")


def show(
    event_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="An event id, or a unique prefix of one.", show_default=False
        ),
    ],
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Everything recorded about one event."""
    from bilat.output.render import write_event_detail
    from bilat.query import find_in

    fmt = pick_format(fmt, as_json)
    event = find_in(open_store(store), event_id)
    name = country_namer() if fmt in (Format.table, Format.markdown) else None
    write_event_detail(event, fmt, sys.stdout, name=name)


def pairs(
    countries: CountriesArgument = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, help="Show at most N pairs.", show_default=False),
    ] = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Pairs of countries with their number of events and first and last dates."""
    from bilat.output.render import write_pairs
    from bilat.query import EventFilter, pairs_in

    fmt = pick_format(fmt, as_json)
    flt = EventFilter(countries=resolve_countries(countries))
    summaries = pairs_in(open_store(store), flt)
    summaries = summaries if limit is None else summaries[:limit]
    name = country_namer() if fmt is Format.table else None
    write_pairs(summaries, fmt, sys.stdout, name=name)
    if not summaries:
        nothing_found(fmt, "pairs")


def countries(
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
) -> None:
    """The countries bilat recognises, with their codes and the other names it knows."""
    from bilat.extract.gazetteer import Gazetteer
    from bilat.output.render import write_countries

    write_countries(Gazetteer.default().countries(), pick_format(fmt, as_json), sys.stdout)


def stats(
    countries: CountriesArgument = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Counts of events per type, decade, date precision and country."""
    from bilat.output.render import write_stats
    from bilat.query import EventFilter, stats_in

    flt = EventFilter(countries=resolve_countries(countries))
    summary = stats_in(open_store(store), flt)
    write_stats(summary, pick_format(fmt, as_json), sys.stdout)


def register(app: typer.Typer) -> None:
    """Add ``timeline``, ``search``, ``show``, ``pairs``, ``countries`` and ``stats`` to ``app``."""
    for command in (timeline, search, show, pairs, countries, stats):
        app.command(rich_help_panel=QUERY)(command)
