"""Checking the store: ``bilat validate`` and ``bilat schema``."""

import sys
from typing import Annotated

import typer

from bilat.cli.common import CHECK, StoreOption, open_store, say, warn
from bilat.errors import BilatError
from bilat.output.formats import plural


def validate(store: StoreOption = None) -> None:
    """Check the store against the schema and for consistency; exit 1 if anything is wrong."""
    from bilat.extract.gazetteer import Gazetteer
    from bilat.store.atomic import stale_temporaries

    opened = open_store(store)
    path = opened.path
    report = opened.check({country.code for country in Gazetteer.default().countries()})
    problems = report.problems
    for debris in stale_temporaries(path):
        warn(
            f"{debris}: temporary file left by a killed write; the next `bilat extract` removes it"
        )
    if problems:
        shown = "\n".join(f"  {problem}" for problem in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BilatError(
            f"event store {path} is inconsistent:\n{shown}{more}",
            hint="re-run `bilat extract` on the documents concerned",
        )
    say(
        f"valid: {plural(report.events, 'event')}, {plural(report.documents, 'document')}",
        "green",
    )


def schema(
    store_file: Annotated[
        bool,
        typer.Option("--store-file", help="The schema of the whole store file, not of one event."),
    ] = False,
) -> None:
    """Print the JSON Schema of an event (what --json emits), or of the store file."""
    import json

    from bilat.models import Event, StoreData

    model = StoreData if store_file else Event
    sys.stdout.write(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``schema`` to ``app``."""
    for command in (validate, schema):
        app.command(rich_help_panel=CHECK)(command)
