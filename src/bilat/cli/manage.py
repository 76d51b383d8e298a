"""Managing stores: ``bilat store copy`` between the JSON and SQLite backends."""

from pathlib import Path
from typing import Annotated

import typer

from bilat.cli.common import CHECK, say
from bilat.output.formats import plural

store_app = typer.Typer(
    name="store",
    help="Manage event stores: copy one to another backend (JSON <-> SQLite).",
    no_args_is_help=True,
)


@store_app.command("copy")
def copy(
    source: Annotated[
        Path,
        typer.Argument(
            help="The store to read: a .json file or a .sqlite/.db database.", show_default=False
        ),
    ],
    destination: Annotated[
        Path,
        typer.Argument(
            help="The store to write (replaced atomically); its suffix picks the backend.",
            show_default=False,
        ),
    ],
) -> None:
    """Copy every document and event of SOURCE into DESTINATION, any backend to any backend."""
    from bilat.store.backends import copy_store

    events = copy_store(source, destination)
    say(f"{plural(events, 'event')}: {source} -> {destination}")


def register(app: typer.Typer) -> None:
    """Add the ``store`` command group to ``app``."""
    app.add_typer(store_app, rich_help_panel=CHECK)
