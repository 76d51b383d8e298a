"""The ``bilat`` command line: parse arguments, call the library, pick a renderer.

Output rules, for every command: data (JSON, NDJSON, CSV, Markdown, tables)
goes to stdout, and everything said *about* the run — progress, warnings,
counts, errors — goes to stderr, so ``bilat timeline china russia --json | jq``
only ever sees JSON. Exit codes: 0 ok (an empty result too), 1 bad input or
data (any :class:`~bilat.errors.BilatError`), 2 usage, 130 interrupted.
Library errors are turned into messages in exactly one place,
:class:`BilatGroup`. Heavy modules (rich, the extractor, the gazetteer) are
imported inside the commands that need them so that start-up stays short.
"""

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from bilat.dates_arg import parse_day
from bilat.errors import BilatError, InputError
from bilat.models import StoreData
from bilat.output.render import Format, plural, terminal_safe
from bilat.query import EventFilter
from bilat.store.json_store import EventStore, consistency_problems, resolve_store_path

if TYPE_CHECKING:
    from rich.console import Console
    from typer._click import Context  # typer vendors click; this is its Context


class TypeChoice(StrEnum):
    """The event types as a choice for ``--type`` (typer lists cannot hold Literals)."""

    treaty = "treaty"
    visit = "visit"
    trade = "trade"
    investment = "investment"
    aid = "aid"
    military = "military"
    diplomacy = "diplomacy"
    conflict = "conflict"
    sanctions = "sanctions"
    cooperation = "cooperation"


_SEARCH_PAGE = 20
"""Search results shown in a table when no --limit is given."""

_PROGRESS_THRESHOLD = 3
"""Show a progress bar only when extracting more documents than this."""


def _stderr() -> "Console":
    """The console for talk: stderr, nothing in messages interpreted as markup."""
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)


def _say(message: str, style: str = "") -> None:
    from rich.text import Text

    text = Text()
    for number, line in enumerate(message.splitlines()):
        text.append(("\n" if number else "") + terminal_safe(line), style=style)
    _stderr().print(text)


def _warn(message: str) -> None:
    _say(f"warning: {message}", "yellow")


def _fail(error: BilatError) -> None:
    _say(f"error: {error}", "bold red")


class BilatGroup(TyperGroup):
    """The one place where library errors become messages and exit codes."""

    def invoke(self, ctx: "Context") -> Any:
        collecting = gc.isenabled()
        try:
            return super().invoke(ctx)
        except BilatError as error:
            _fail(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            _say("interrupted", "yellow")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader stopped early (`bilat timeline --json | head`): not our error.
            # Point stdout at devnull so the interpreter's final flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        finally:
            if collecting:
                gc.enable()


app = typer.Typer(
    name="bilat",
    cls=BilatGroup,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_BUILD = "Build the store"
_QUERY = "Query the store"
_CHECK = "Check the store"

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Event store file. Default: $BILAT_STORE, else data/events.json in the current "
        "directory or the nearest parent that has one.",
        dir_okay=False,
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published",
        metavar="YYYY-MM-DD",
        help="Publication date of the documents: anchors 'last week', 'this Wednesday'...",
        show_default=False,
    ),
]
CountriesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="COUNTRY",
        help="Countries that must all take part: names, demonyms or codes (china, Cuban, RUS).",
        show_default=False,
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="Only events ending on or after DATE: YYYY, YYYY-MM or YYYY-MM-DD.",
        show_default=False,
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="DATE",
        help="Only events starting on or before DATE (a year means up to its end).",
        show_default=False,
    ),
]
TypeOption = Annotated[
    list[TypeChoice] | None,
    typer.Option("--type", "-t", help="Only events of this type (repeatable).", show_default=False),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Only events naming an actor containing TEXT.", show_default=False
    ),
]
DocOption = Annotated[
    str | None,
    typer.Option(
        "--doc", help="Only events from documents whose path contains TEXT.", show_default=False
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=0, help="Show at most N events.", show_default=False),
]
ReverseOption = Annotated[
    bool,
    typer.Option(
        "--reverse",
        "-r",
        help="Reverse the order: most recent first, or for search least relevant first.",
    ),
]


def _version(value: bool) -> None:
    if value:
        from bilat import __version__

        sys.stdout.write(f"bilat {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn documents about relations between countries into a timeline of dated events."""


def _pick_format(fmt: Format, as_json: bool) -> Format:
    if not as_json:
        return fmt
    if fmt not in (Format.table, Format.json):
        raise typer.BadParameter(
            f"cannot be combined with --format {fmt.value}", param_hint="--json"
        )
    return Format.json


def _published(value: str | None) -> date | None:
    return None if value is None else parse_day(value)


def _load(store: Path | None) -> StoreData:
    data = EventStore(resolve_store_path(store)).load()
    # The store stays alive until the command ends, and the cyclic collector would
    # re-walk all of it while results are built (a third of a query on 100,000
    # events); it is paused here and BilatGroup.invoke restores it.
    gc.disable()
    return data


def _resolve_countries(names: list[str] | None) -> list[str]:
    """Alpha-3 codes for what the user typed; an unknown name fails with suggestions."""
    if not names:
        return []
    from bilat.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    return sorted({gazetteer.resolve(name) for name in names})


def _event_filter(
    countries: list[str] | None,
    date_from: str | None,
    date_to: str | None,
    types: Sequence[TypeChoice] | None,
    actor: str | None,
    doc: str | None = None,
    limit: int | None = None,
    reverse: bool = False,
) -> EventFilter:
    """The filter the query options describe; the one place they are read."""
    return EventFilter(
        countries=_resolve_countries(countries),
        date_from=date_from,
        date_to=date_to,
        types=[choice.value for choice in types or ()],
        actor=actor,
        doc=doc,
        limit=limit,
        reverse=reverse,
    )


def _country_namer() -> Callable[[str], str]:
    """Code to display name, falling back to the code for codes the gazetteer lacks."""
    from bilat.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()

    def name(code: str) -> str:
        try:
            return str(gazetteer.name(code))
        except (BilatError, LookupError):
            return code

    return name


def _nothing_found(fmt: Format, what: str = "events") -> None:
    if fmt in (Format.table, Format.markdown):
        _say(f"no {what} match", "dim")


@contextmanager
def _progress() -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback drawing a bar on stderr, for interactive runs over many documents."""
    console = _stderr()
    state: dict[str, Any] = {}

    def on_progress(done: int, total: int, current: str) -> None:
        if total <= _PROGRESS_THRESHOLD or not console.is_terminal:
            return
        if "bar" not in state:
            from rich.progress import Progress

            state["bar"] = Progress(console=console, transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("extracting", total=total)
        state["bar"].update(state["task"], completed=done, description=Path(current).name)

    try:
        yield on_progress
    finally:
        if "bar" in state:
            state["bar"].stop()


@app.command(rich_help_panel=_BUILD)
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Documents (.txt) or directories holding them.", show_default=False),
    ],
    published: PublishedOption = None,
    store: StoreOption = None,
) -> None:
    """Extract events from documents into the store, replacing earlier runs on the same files."""
    from bilat.extract.pipeline import extract_paths

    published_date = _published(published)
    path = resolve_store_path(store)
    with _progress() as on_progress:
        run = extract_paths(paths, published=published_date, on_progress=on_progress)
    for problem in run.problems:
        text = problem.message
        if not text.startswith(problem.path):
            text = f"{problem.path}: {text}"
        _warn(text if "skipped" in text else f"{text}; skipped")
    if not run.results:
        raise InputError(
            "no document could be read", hint="pass text files, or directories holding them"
        )
    EventStore(path).replace_documents(run.results)
    events = sum(len(result.events) for result in run.results)
    _say(f"{plural(len(run.results), 'document')}, {plural(events, 'event')} -> {path}")


@app.command(rich_help_panel=_BUILD)
def dates(
    path: Annotated[Path, typer.Argument(help="A document.", show_default=False)],
    published: PublishedOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
) -> None:
    """List the time expressions of a document and the dates they resolve to."""
    from bilat.extract.documents import read_document
    from bilat.extract.timex import find_time_expressions
    from bilat.output.render import write_time_expressions

    fmt = _pick_format(fmt, as_json)
    if fmt is Format.markdown:
        raise typer.BadParameter("use table, json, ndjson or csv", param_hint="--format")
    document = read_document(path, published=_published(published))
    expressions = find_time_expressions(document.text, published=document.published)
    write_time_expressions(expressions, fmt, sys.stdout)
    if not expressions:
        _nothing_found(fmt, "time expressions")


@app.command(rich_help_panel=_BUILD)
def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Documents to extract and score.", show_default=False),
    ],
    gold: Annotated[
        Path,
        typer.Option("--gold", help="Directory of *.gold.json files.", show_default=False),
    ],
    published: PublishedOption = None,
    show_errors: Annotated[
        int, typer.Option("--show-errors", min=0, help="List the first N errors.")
    ] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="The figures and the errors shown, as JSON.")
    ] = False,
) -> None:
    """Score extraction against gold events: precision, recall and F1, and the errors."""
    from bilat.evaluate import evaluate_paths
    from bilat.output.render import write_evaluation

    with _progress() as on_progress:
        report = evaluate_paths(
            gold, paths, published=_published(published), on_progress=on_progress
        )
    write_evaluation(report, sys.stdout, as_json=as_json, show_errors=show_errors)


@app.command(rich_help_panel=_QUERY)
def timeline(
    countries: CountriesArgument = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    types: TypeOption = None,
    actor: ActorOption = None,
    doc: DocOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Events oldest first, optionally only those between COUNTRIES (all of them)."""
    from bilat.output.render import write_events
    from bilat.query import timeline as make_timeline

    fmt = _pick_format(fmt, as_json)
    flt = _event_filter(countries, date_from, date_to, types, actor, doc, limit, reverse)
    events = make_timeline(_load(store).events, flt)
    write_events(events, fmt, sys.stdout)
    if not events:
        _nothing_found(fmt)


@app.command(rich_help_panel=_QUERY)
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
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Full-text search, best matches first, matched words highlighted (table: best 20)."""
    from bilat.output.render import write_hits
    from bilat.query import search as run_search

    fmt = _pick_format(fmt, as_json)
    flt = _event_filter(country, date_from, date_to, types, actor, doc, limit, reverse)
    hits = run_search(_load(store).events, " ".join(query), flt)
    shown = hits
    if fmt is Format.table and limit is None and len(hits) > _SEARCH_PAGE:
        # People read the best matches; scripts asking for JSON or CSV get them all.
        shown = hits[:_SEARCH_PAGE]
    write_hits(shown, fmt, sys.stdout)
    if not hits:
        _nothing_found(fmt)
    elif len(shown) < len(hits):
        _say(f"best {len(shown)} of {len(hits)} matches shown; use --limit for more", "dim")


@app.command(rich_help_panel=_QUERY)
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
    from bilat.query import find_by_id

    fmt = _pick_format(fmt, as_json)
    event = find_by_id(_load(store).events, event_id)
    name = _country_namer() if fmt in (Format.table, Format.markdown) else None
    write_event_detail(event, fmt, sys.stdout, name=name)


@app.command(rich_help_panel=_QUERY)
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
    from bilat.extract.history import lineage
    from bilat.output.render import write_pairs
    from bilat.query import pairs as count_pairs

    fmt = _pick_format(fmt, as_json)
    flt = EventFilter(countries=_resolve_countries(countries))
    summaries = count_pairs(flt.apply(_load(store).events))
    if flt.countries:
        wanted = set().union(*(lineage(code) for code in flt.countries))
        summaries = [s for s in summaries if set(s.countries) & wanted]
    summaries = summaries if limit is None else summaries[:limit]
    name = _country_namer() if fmt is Format.table else None
    write_pairs(summaries, fmt, sys.stdout, name=name)
    if not summaries:
        _nothing_found(fmt, "pairs")


@app.command(rich_help_panel=_QUERY)
def countries(
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
) -> None:
    """The countries bilat recognises, with their codes and the other names it knows."""
    from bilat.extract.gazetteer import Gazetteer
    from bilat.output.render import write_countries

    write_countries(Gazetteer.default().countries(), _pick_format(fmt, as_json), sys.stdout)


@app.command(rich_help_panel=_QUERY)
def stats(
    countries: CountriesArgument = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Counts of events per type, decade, date precision and country."""
    from bilat.output.render import write_stats
    from bilat.query import stats as count_stats

    flt = EventFilter(countries=_resolve_countries(countries))
    summary = count_stats(flt.apply(_load(store).events))
    write_stats(summary, _pick_format(fmt, as_json), sys.stdout)


@app.command(rich_help_panel=_CHECK)
def validate(store: StoreOption = None) -> None:
    """Check the store against the schema and for consistency; exit 1 if anything is wrong."""
    path = resolve_store_path(store)
    data = EventStore(path).load()
    problems = consistency_problems(data)
    if problems:
        shown = "\n".join(f"  {problem}" for problem in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BilatError(
            f"event store {path} is inconsistent:\n{shown}{more}",
            hint="re-run `bilat extract` on the documents concerned",
        )
    _say(
        f"valid: {plural(len(data.events), 'event')}, {plural(len(data.documents), 'document')}",
        "green",
    )


@app.command(rich_help_panel=_CHECK)
def schema(
    store_file: Annotated[
        bool,
        typer.Option("--store-file", help="The schema of the whole store file, not of one event."),
    ] = False,
) -> None:
    """Print the JSON Schema of an event (what --json emits), or of the store file."""
    import json

    from bilat.models import Event

    model = StoreData if store_file else Event
    sys.stdout.write(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n")


# Export and chart commands live in their own module; registered last because
# they reuse this module's shared options and helpers.
from bilat.cli_export import register as _register_export  # noqa: E402

_register_export(app)
