"""What every command module shares: the options, the store, the filter, the messages.

The option types (``--store``, ``--format``/``--json``, the query filters...),
loading the store, the one function that turns the filter options into an
:class:`~bilat.query.EventFilter`, and the talk on stderr all live here, so a
command module imports this one and nothing of its siblings or of
:mod:`bilat.cli.main`.

No ``from __future__ import annotations`` here nor in the command modules:
Typer reads the parameter annotations at run time.
"""

import gc
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat.errors import BilatError
from bilat.models import StoreData
from bilat.output.render import Format, terminal_safe
from bilat.query import EventFilter
from bilat.store.json_store import EventStore, resolve_store_path

if TYPE_CHECKING:
    from rich.console import Console


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


BUILD = "Build the store"
QUERY = "Query the store"
CHECK = "Check the store"
"""The help panels, one per command group."""


def stderr() -> "Console":
    """The console for talk: stderr, nothing in messages interpreted as markup."""
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)


def say(message: str, style: str = "") -> None:
    from rich.text import Text

    text = Text()
    for number, line in enumerate(message.splitlines()):
        text.append(("\n" if number else "") + terminal_safe(line), style=style)
    stderr().print(text)


def warn(message: str) -> None:
    say(f"warning: {message}", "yellow")


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Event store file. Default: $BILAT_STORE, else data/events.json in the current "
        "directory or the nearest parent that has one.",
        readable=False,
        show_default=False,
    ),
]
"""No click path checks (they exit 2, and differ from BILAT_STORE's): the store reports every
bad path itself, with exit code 1."""
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


def pick_format(fmt: Format, as_json: bool) -> Format:
    if not as_json:
        return fmt
    if fmt not in (Format.table, Format.json):
        raise typer.BadParameter(
            f"cannot be combined with --format {fmt.value}", param_hint="--json"
        )
    return Format.json


def load_store(store: Path | None) -> StoreData:
    data = EventStore(resolve_store_path(store)).load()
    # The store stays alive until the command ends, and the cyclic collector would
    # re-walk all of it while results are built (a third of a query on 100,000
    # events); it is paused here and BilatGroup.invoke restores it.
    gc.disable()
    return data


def resolve_countries(names: list[str] | None) -> list[str]:
    """Alpha-3 codes for what the user typed; an unknown name fails with suggestions."""
    if not names:
        return []
    from bilat.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    return sorted({gazetteer.resolve(name) for name in names})


def event_filter(
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
        countries=resolve_countries(countries),
        date_from=date_from,
        date_to=date_to,
        types=[choice.value for choice in types or ()],
        actor=actor,
        doc=doc,
        limit=limit,
        reverse=reverse,
    )


def country_namer() -> Callable[[str], str]:
    """Code to display name, falling back to the code for codes the gazetteer lacks."""
    from bilat.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()

    def name(code: str) -> str:
        try:
            return str(gazetteer.name(code))
        except (BilatError, LookupError):
            return code

    return name


def nothing_found(fmt: Format, what: str = "events") -> None:
    if fmt in (Format.table, Format.markdown):
        say(f"no {what} match", "dim")
