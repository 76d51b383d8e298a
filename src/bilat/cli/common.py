"""What every command module shares: the options, the store, the filter, the messages.

The option types (``--store``, ``--format``/``--json``, the query filters...),
loading the store, the one function that turns the filter options into an
:class:`~bilat.query.EventFilter`, and the talk on stderr all live here, so a
command module imports this one and nothing of its siblings or of
:mod:`bilat.cli.main`.

No ``from __future__ import annotations`` here nor in the command modules:
Typer reads the parameter annotations at run time.
"""

import functools
import gc
import hashlib
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, TextIO

import typer

from bilat.errors import BilatError
from bilat.output.formats import Format

if TYPE_CHECKING:
    from rich.console import Console

    from bilat.models import StoreData
    from bilat.query import EventFilter
    from bilat.store.base import Store


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

    from bilat.output.render import terminal_safe

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
        help="Event store: a JSON file, or a SQLite database (.sqlite, .db). Default: "
        "$BILAT_STORE, else data/events.json in the current directory or the nearest parent "
        "that has one.",
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


def _check_types(values: list[str] | None) -> list[str] | None:
    """The ``--type`` values, lower-cased; an unknown one fails naming the nearest types."""
    if not values:
        return values
    from difflib import get_close_matches

    from bilat.models import EVENT_TYPES

    checked: list[str] = []
    for value in values:
        name = value.strip().lower()
        if name not in EVENT_TYPES:
            close = get_close_matches(name, EVENT_TYPES, n=1, cutoff=0.5)
            suggestion = f"did you mean {' or '.join(close)}? " if close else ""
            raise typer.BadParameter(
                f"unknown type {value!r}; {suggestion}(one of: {', '.join(EVENT_TYPES)})"
            )
        checked.append(name)
    return checked


TypeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        "-t",
        metavar="TYPE",
        help="Only events of this type (repeatable): treaty, visit, trade, investment, aid, "
        "military, diplomacy, conflict, sanctions, cooperation.",
        callback=_check_types,
        show_default=False,
    ),
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
WithinOption = Annotated[
    bool,
    typer.Option(
        "--within",
        help="With --from/--to: only events whose whole interval lies inside the range "
        "(without it, a vague date that overlaps the range is kept and marked).",
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


def open_store(store: Path | None) -> "Store":
    """The store the ``--store`` option (or its defaults) names, of the backend its suffix says.

    The cyclic collector is paused for the rest of the command (BilatGroup.invoke
    restores it): a loaded JSON store stays alive until the command ends, and the
    collector would re-walk all of it while results are built (a third of a query
    on 100,000 events).
    """
    from bilat.store.backends import open_store as open_backend
    from bilat.store.json_store import resolve_store_path

    gc.disable()
    return open_backend(resolve_store_path(store))


def load_store(store: Path | None) -> "StoreData":
    """The whole store (for the commands that need every event or document)."""
    return open_store(store).load()


COUNTRY_INDEX = "country_index.json"
"""Names users type, precomputed from ``countries.toml`` by ``scripts/build_country_index.py``."""


def _normalise(name: str) -> str:
    """The gazetteer's key for a typed name: the same steps as ``gazetteer._normalise``.

    Repeated here because importing the gazetteer module costs more than a
    query command's own work; a test checks that both give the same keys.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for dropped in (".", "'", "\u2019"):
        plain = plain.replace(dropped, "")
    words = plain.replace("-", " ").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


class CountryIndex(NamedTuple):
    """Normalised typed name -> code (the gazetteer's resolve index), code -> display name."""

    names: dict[str, str]
    display: dict[str, str]


@functools.cache
def _country_index() -> CountryIndex | None:
    """The precomputed names and display names, or None when ``countries.toml`` has
    changed since they were computed (then the gazetteer answers, and only costs time)."""
    from importlib import resources

    data = resources.files("bilat").joinpath("data")
    try:
        index = json.loads(data.joinpath(COUNTRY_INDEX).read_bytes())
        lexicon = data.joinpath("countries.toml").read_bytes()
    except (OSError, ValueError):
        return None
    if index.get("countries_sha256") != hashlib.sha256(lexicon).hexdigest():
        return None
    return CountryIndex(names=index["names"], display=index["display"])


def resolve_country(name: str) -> str:
    """The alpha-3 code for what the user typed, as :meth:`Gazetteer.resolve` gives it.

    Known names are looked up in the precomputed index, which saves loading
    the gazetteer (most of a query on a small store); anything else goes to
    the gazetteer, so an unknown name fails with its very message and suggestions.
    """
    index = _country_index()
    if index is not None:
        key = _normalise(name)
        code = index.names.get(key)
        if code is None and key.endswith("s"):
            code = index.names.get(key[:-1])
        if code is not None:
            return code
    from bilat.extract.gazetteer import Gazetteer

    return Gazetteer.default().resolve(name)


def resolve_countries(names: list[str] | None) -> list[str]:
    """Alpha-3 codes for what the user typed; an unknown name fails with suggestions."""
    if not names:
        return []
    return sorted({resolve_country(name) for name in names})


def event_filter(
    countries: list[str] | None,
    date_from: str | None,
    date_to: str | None,
    types: Sequence[str] | None,
    actor: str | None,
    doc: str | None = None,
    limit: int | None = None,
    reverse: bool = False,
    within: bool = False,
) -> "EventFilter":
    """The filter the query options describe; the one place they are read."""
    from bilat.query import EventFilter

    return EventFilter(
        countries=resolve_countries(countries),
        date_from=date_from,
        date_to=date_to,
        types=list(types or ()),
        actor=actor,
        doc=doc,
        limit=limit,
        reverse=reverse,
        within=within,
    )


def country_namer() -> Callable[[str], str]:
    """Code to display name, falling back to the code for codes the gazetteer lacks."""
    index = _country_index()
    if index is not None:
        display = index.display
        return lambda code: display.get(code, code)
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


NoPagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Print straight to the terminal even when the table is long."),
]
FullOption = Annotated[
    bool, typer.Option("--full", "-v", help="Show each event's sentence under its title.")
]
DEFAULT_PAGER = "less -FRX"
"""As git does: quit when it fits one screen (-F), keep colours (-R), leave the text (-X)."""


def pager_command(env: Mapping[str, str], *, no_pager: bool, terminal: bool) -> list[str] | None:
    """The pager to page a table through, or None to print it directly.

    Never when stdout is not a terminal or ``--no-pager`` is given; else
    ``$BILAT_PAGER``, ``$PAGER`` or ``less -FRX``; an empty value or ``cat``
    turns paging off.
    """
    if no_pager or not terminal:
        return None
    command = env.get("BILAT_PAGER", env.get("PAGER", DEFAULT_PAGER))
    words = shlex.split(command)
    if not words or words == ["cat"]:
        return None
    return words


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (one function, so tests can say it is)."""
    return sys.stdout.isatty()


def paged(write: Callable[[TextIO, int | None, bool | None], object], no_pager: bool) -> None:
    """Run ``write(out, width, colour)`` into stdout, through a pager on a terminal."""
    command = pager_command(os.environ, no_pager=no_pager, terminal=stdout_is_terminal())
    if command is None or shutil.which(command[0]) is None:
        write(sys.stdout, None, None)
        return
    buffer = io.StringIO()
    colour = "NO_COLOR" not in os.environ
    write(buffer, shutil.get_terminal_size().columns, colour)
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        subprocess.run(command, input=buffer.getvalue(), text=True, env=env, check=False)
    except OSError:
        sys.stdout.write(buffer.getvalue())
