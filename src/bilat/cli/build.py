"""Building the store: ``bilat extract``, ``bilat dates``, ``bilat text`` and ``bilat evaluate``."""

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bilat.cli.common import (
    BUILD,
    FormatOption,
    JsonOption,
    PublishedOption,
    StoreOption,
    nothing_found,
    pick_format,
    say,
    stderr,
    warn,
)
from bilat.dates_arg import parse_day
from bilat.errors import InputError
from bilat.output.render import Format, plural
from bilat.store.json_store import EventStore, resolve_store_path

if TYPE_CHECKING:
    from bilat.extract.documents import Document

_PROGRESS_THRESHOLD = 3
"""Show a progress bar only when extracting more documents than this."""
MAX_CHARS = 20_000_000
"""Default of ``extract --max-chars``: about a minute of extraction, twenty novels' worth."""

STDIN = "-"
"""The path that stands for standard input."""

NameOption = Annotated[
    str,
    typer.Option(
        "--name",
        help="Name of the document read from standard input (-), as events cite it; its "
        "extension counts like a file's (page.html, report.pdf).",
    ),
]
_READER_LOGGERS = ("pypdf", "trafilatura", "htmldate", "courlan", "justext")


def _published(value: str | None) -> date | None:
    return None if value is None else parse_day(value)


def _quiet_readers() -> None:
    """Keep the HTML and PDF libraries' log lines off stderr; bilat reports problems itself."""
    for name in _READER_LOGGERS:
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def _document(path: Path, name: str, published: date | None) -> "Document":
    """One document from a file, or from standard input when ``path`` is ``-``."""
    from bilat.extract.documents import read_document, read_stream

    _quiet_readers()
    if str(path) == STDIN:
        return read_stream(sys.stdin.buffer, name, published=published)
    return read_document(path, published=published)


@contextmanager
def _progress() -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback drawing a bar on stderr, for interactive runs over many documents."""
    console = stderr()
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


def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Documents (text, HTML, PDF), directories holding them, or - for standard input.",
            show_default=False,
        ),
    ],
    published: PublishedOption = None,
    store: StoreOption = None,
    name: NameOption = "stdin",
    max_chars: Annotated[
        int,
        typer.Option(
            "--max-chars",
            min=1,
            metavar="N",
            help="Skip, with a warning, documents longer than N characters.",
        ),
    ] = MAX_CHARS,
) -> None:
    """Extract events from documents into the store, replacing earlier runs on the same files."""
    from bilat.extract.documents import InputProblem
    from bilat.extract.pipeline import ExtractionRun, extract_document, extract_paths

    published_date = _published(published)
    path = resolve_store_path(store)
    files = [given for given in paths if str(given) != STDIN]
    _quiet_readers()
    with _progress() as on_progress:
        run = (
            extract_paths(
                files, published=published_date, on_progress=on_progress, max_chars=max_chars
            )
            if files
            else ExtractionRun()
        )
    if len(files) < len(paths):
        try:
            document = _document(Path(STDIN), name, published_date)
        except InputError as error:
            run.problems.append(InputProblem(path=name, message=str(error)))
        else:
            run.results.append(extract_document(document))
    for problem in run.problems:
        text = problem.message
        if not text.startswith(problem.path):
            text = f"{problem.path}: {text}"
        warn(text if "skipped" in text else f"{text}; skipped")
    for note in run.notes:
        warn(note)
    if not run.results:
        raise InputError(
            "no document could be read",
            hint="pass text, HTML or PDF files, directories holding them, or - for stdin",
        )
    EventStore(path).replace_documents(run.results)
    events = sum(len(result.events) for result in run.results)
    say(f"{plural(len(run.results), 'document')}, {plural(events, 'event')} -> {path}")


def dates(
    path: Annotated[
        Path, typer.Argument(help="A document, or - for standard input.", show_default=False)
    ],
    published: PublishedOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    name: NameOption = "stdin",
) -> None:
    """List the time expressions of a document and the dates they resolve to."""
    from bilat.extract.timex import find_time_expressions
    from bilat.output.render import write_time_expressions

    fmt = pick_format(fmt, as_json)
    if fmt is Format.markdown:
        raise typer.BadParameter("use table, json, ndjson or csv", param_hint="--format")
    document = _document(path, name, _published(published))
    for note in document.notes:
        warn(note)
    expressions = find_time_expressions(document.text, published=document.published)
    write_time_expressions(expressions, fmt, sys.stdout)
    if not expressions:
        nothing_found(fmt, "time expressions")


def text(
    path: Annotated[
        Path, typer.Argument(help="A document, or - for standard input.", show_default=False)
    ],
    name: NameOption = "stdin",
) -> None:
    """Print the text bilat extracts from a document: what offsets and sentences refer to."""
    document = _document(path, name, None)
    sys.stdout.write(document.text if document.text.endswith("\n") else document.text + "\n")


class BreakdownChoice(StrEnum):
    """What ``bilat evaluate --by`` groups the figures by."""

    doc = "doc"
    genre = "genre"


def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Documents to extract and score (or directories holding them); only their "
            "gold files are scored.",
            show_default=False,
        ),
    ],
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Directory of *.gold.json files; an index.json in or beside it gives genres.",
            show_default=False,
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="YYYY-MM-DD",
            help="Publication date of every document. Default: each gold file's 'published'.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        BreakdownChoice | None,
        typer.Option(
            "--by", help="Also show the figures per document or per genre.", show_default=False
        ),
    ] = None,
    confusion: Annotated[
        bool, typer.Option("--confusion", help="Also show the type confusion matrix.")
    ] = False,
    show_errors: Annotated[
        int,
        typer.Option(
            "--show-errors", min=0, help="List the first N errors (wrong ones name the field)."
        ),
    ] = 10,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="The figures, per document and genre, the confusion matrix and the errors "
            "shown, as JSON.",
        ),
    ] = False,
) -> None:
    """Score extraction against gold events: precision, recall and F1, and the errors."""
    from bilat.evaluate import evaluate_paths
    from bilat.output.render import write_evaluation

    with _progress() as on_progress:
        report = evaluate_paths(
            gold, paths, published=_published(published), on_progress=on_progress
        )
    for problem in report.skipped:
        text = problem.message
        if not text.startswith(problem.path):
            text = f"{problem.path}: {text}"
        warn(text if "skipped" in text else f"{text}; skipped")
    if report.unscored:
        shown = ", ".join(report.unscored[:3]) + (" ..." if len(report.unscored) > 3 else "")
        warn(f"no gold file for {plural(len(report.unscored), 'document')}, not scored: {shown}")
    write_evaluation(
        report,
        sys.stdout,
        as_json=as_json,
        show_errors=show_errors,
        by=None if by is None else by.value,
        confusion=confusion,
    )


def register(app: typer.Typer) -> None:
    """Add ``extract``, ``dates``, ``text`` and ``evaluate`` to ``app``."""
    for command in (extract, dates, text, evaluate):
        app.command(rich_help_panel=BUILD)(command)
