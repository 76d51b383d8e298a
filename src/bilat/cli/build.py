"""Building the store: ``bilat extract``, ``bilat dates``, ``bilat text`` and ``bilat evaluate``."""

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bilat.cli.common import (
    BUILD,
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
from bilat.output.formats import Format, plural

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from bilat.extract.documents import Document
    from bilat.extract.parallel import CorpusProgress
    from bilat.models import DocumentInfo

_PROGRESS_THRESHOLD = 3
"""Show a progress bar only when extracting more documents than this..."""
_PROGRESS_CHARS = 1_000_000
"""...or more characters, by the files' sizes: about six seconds of extraction."""
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

BIG_JSON_STORE = 50_000
"""Past this many events, ``extract`` says that a SQLite store would be faster."""


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


class _ProgressBar:
    """A bar on stderr for a long interactive run: in documents, or in characters for extract.

    Nothing is drawn when stderr is not a terminal, nor for a short run, and
    rich's progress module is imported only when a bar is.
    """

    def __init__(self) -> None:
        self._console = stderr()
        self._drawn: tuple[Progress, TaskID] | None = None

    def documents(self, done: int, total: int, current: str) -> None:
        """A :data:`~bilat.extract.pipeline.ProgressCallback`: the bar counts documents."""
        long = total > _PROGRESS_THRESHOLD
        self._show(long, Path(current).name, in_chars=False, completed=done, total=total)

    def corpus(self, progress: "CorpusProgress") -> None:
        """A corpus extraction's callback: the bar counts characters, documents beside them."""
        self._show(
            progress.total_documents > _PROGRESS_THRESHOLD
            or progress.total_chars > _PROGRESS_CHARS,
            Path(progress.path).name or "extracting",
            in_chars=True,
            completed=progress.chars,
            total=progress.total_chars,
            documents=f"{progress.documents}/{progress.total_documents} documents",
        )

    def _show(self, long: bool, current: str, *, in_chars: bool, **update: Any) -> None:
        """Draw or update the bar; once drawn it follows the run to the end, long or not."""
        if not self._console.is_terminal or (self._drawn is None and not long):
            return
        from bilat.output.render import terminal_safe

        first = self._drawn is None
        if self._drawn is None:
            from bilat.output.progress import character_bar, document_bar

            bar = (character_bar if in_chars else document_bar)(self._console)
            self._drawn = (bar, bar.add_task("", total=None))
        bar, task = self._drawn
        bar.update(task, description=terminal_safe(current), **update)
        if first:  # only now: the first frame drawn has the totals
            bar.start()

    def stop(self) -> None:
        """Take the bar off the terminal (it is transient), if one was drawn."""
        if self._drawn is not None:
            self._drawn[0].stop()


@contextmanager
def _progress() -> Iterator[_ProgressBar]:
    """A progress bar for the block, taken away when it ends, however it ends."""
    bar = _ProgressBar()
    try:
        yield bar
    finally:
        bar.stop()


def _known_documents(path: Path, force: bool) -> "Mapping[str, DocumentInfo]":
    """The store's document entries, which unchanged documents are skipped against."""
    from bilat.store.backends import open_store

    store = open_store(path)
    if force or not store.exists():
        return {}
    return store.document_entries()


def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Documents (text, HTML, PDF), directories holding them, or - for standard input.",
            show_default=False,
        ),
    ],
    published: PublishedOption = None,
    store: StoreOption = None,
    name: NameOption = "stdin",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Say nothing but warnings and errors.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say how many events each document gave.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Processes extracting documents at once (1: serial). Default: the usable cores.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Re-extract documents the store holds unchanged."),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            envvar="BILAT_SCHEDULER",
            metavar="ADDRESS",
            help="Extract on the Dask cluster at ADDRESS (tcp://host:8786) instead of locally; "
            "needs bilat[dask].",
            show_default=False,
        ),
    ] = None,
    shared_paths: Annotated[
        bool,
        typer.Option(
            "--shared-paths",
            help="With --scheduler: workers read the files at the same paths (a shared file "
            "system) instead of being sent their text.",
        ),
    ] = False,
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
    """Extract events from documents into the store, replacing earlier runs on the same files.

    Documents whose bytes and extractor are unchanged since the store's last run are skipped.
    """
    from bilat.extract.documents import InputProblem
    from bilat.extract.parallel import CorpusRun, extract_corpus, extract_one, usable_cores
    from bilat.extract.pipeline import check_length
    from bilat.store.backends import open_store
    from bilat.store.json_store import EventStore, resolve_store_path

    published_date = _published(published)
    path = resolve_store_path(store)
    files = [given for given in paths if str(given) != STDIN]
    known = _known_documents(path, force)
    if shared_paths and not scheduler:
        raise typer.BadParameter("only with --scheduler", param_hint="--shared-paths")
    _quiet_readers()
    with _progress() as bar:
        if not files:
            run = CorpusRun()
        elif scheduler:
            from bilat.extract.cluster import connect, extract_on_cluster

            with connect(scheduler) as client:
                run = extract_on_cluster(
                    client,
                    files,
                    published=published_date,
                    known=known,
                    shared_paths=shared_paths,
                    on_progress=bar.corpus,
                    max_chars=max_chars,
                )
        else:
            run = extract_corpus(
                files,
                published=published_date,
                jobs=usable_cores() if jobs is None else jobs,
                known=known,
                on_progress=bar.corpus,
                max_chars=max_chars,
            )
    if len(files) < len(paths):
        try:
            document = _document(Path(STDIN), name, published_date)
            check_length(document, max_chars)
        except InputError as error:
            run.problems.append(InputProblem(path=name, message=str(error)))
        else:
            run.results.append(extract_one(document))
    for problem in run.problems:
        text = problem.message
        if not text.startswith(problem.path):
            text = f"{problem.path}: {text}"
        warn(text if "skipped" in text else f"{text}; skipped")
    for note in (note for result in run.results for note in result.notes):
        warn(note)
    if not run.results and not run.skipped and not run.interrupted:
        raise InputError(
            "no document could be read",
            hint="pass text, HTML or PDF files, directories holding them, or - for stdin",
        )
    for result in run.results:
        if result.undated and published_date is None:
            shown = ", ".join(repr(text) for text in dict.fromkeys(result.undated[:3]))
            warn(
                f"{result.info.path}: {plural(len(result.undated), 'relative date')} ({shown}) "
                "left undated: the document has no publication date; pass --published YYYY-MM-DD"
            )
        if verbose:
            say(f"{result.info.path}: {plural(len(result.events), 'event')}", "dim")
    held = 0
    if run.results:
        target = open_store(path)
        # The JSON store hands back the whole merged store; a database is never read whole.
        if isinstance(target, EventStore):
            held = len(target.replace_documents(run.results).events)
        else:
            target.replace_documents(run.results)
    events = sum(len(result.events) for result in run.results)
    unchanged = f", {run.skipped} unchanged skipped (--force re-extracts)" if run.skipped else ""
    if not quiet:
        say(
            f"{plural(len(run.results), 'document')}, {plural(events, 'event')} -> {path}"
            f"{unchanged}"
        )
    if held > BIG_JSON_STORE:
        faster = path.with_suffix(".sqlite")
        warn(
            f"{path} holds {plural(held, 'event')}; a SQLite store is faster at this size: "
            f"`bilat store copy {path} {faster}`, then pass --store {faster}"
        )
    if run.interrupted:
        say(
            f"interrupted: kept the {plural(len(run.results), 'document')} finished so far; "
            "run the same command again to extract the rest",
            "yellow",
        )
        raise typer.Exit(130)


class DatesFormat(StrEnum):
    """``bilat dates`` formats: those of the query commands but Markdown."""

    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"


def dates(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A document, or - for standard input.", show_default=False
        ),
    ],
    published: PublishedOption = None,
    dates_fmt: Annotated[
        DatesFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = DatesFormat.table,
    as_json: JsonOption = False,
    name: NameOption = "stdin",
) -> None:
    """List the time expressions of a document and the dates they resolve to."""
    from bilat.extract.timex import find_time_expressions
    from bilat.output.render import write_time_expressions

    fmt = pick_format(Format(dates_fmt.value), as_json)
    document = _document(path, name, _published(published))
    for note in document.notes:
        warn(note)
    expressions = find_time_expressions(document.text, published=document.published)
    write_time_expressions(expressions, fmt, sys.stdout)
    if not expressions:
        nothing_found(fmt, "time expressions")


def text(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A document, or - for standard input.", show_default=False
        ),
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

    with _progress() as bar:
        report = evaluate_paths(
            gold, paths, published=_published(published), on_progress=bar.documents
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
