"""Extraction at corpus scale: every core, only the documents that changed.

:func:`extract_corpus` runs the same per-document work as
:func:`bilat.extract.pipeline.extract_paths`, serially or in a process pool,
and returns results in input order whatever order the workers finish in, so
the store a caller writes from them is byte-identical to a serial run's. The
caller stays the one writer; workers only compute.

A document is skipped, not extracted, when the store already holds it under
the same path with the same sha256, publication date and
:func:`~bilat.extract.version.extractor_version`. The check runs after the
document is read (cheap next to extraction), so the publication date it
compares is exactly the one extraction would use.

Progress is counted in documents and in characters, each document weighed
by its text's length, since extraction's cost grows with it: a bar over a few
big files among many small ones then moves as the work does.

Ctrl-C (:class:`KeyboardInterrupt`) stops the run: pending documents are
cancelled, workers are stopped, and the run returned holds every document
finished so far, with ``interrupted`` set, for the caller to save.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

from bilat.errors import InputError
from bilat.extract.documents import Document, InputProblem, collect_documents, read_document
from bilat.extract.pipeline import (
    DocumentResult,
    check_length,
    collector_paused,
    extract_document,
    extract_text,
)
from bilat.extract.version import extractor_version
from bilat.models import DocumentInfo

_IN_FLIGHT_PER_JOB = 3
"""Batches queued per worker: enough to keep it busy, few enough to bound memory."""

_BATCH_BYTES = 64 * 1024
"""A pool task is consecutive documents of about this many bytes (at least one document).

Each task costs the parent a round trip (threads woken, a result unpickled) on
a core the workers need; batching short articles cuts those by a factor of
ten, and a batch is still a fraction of a second of work, so the workers
finish together."""

_TASKS_PER_JOB = 4
"""The fewest batches a worker is given when there are documents enough."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A document left as it is in the store: same bytes, same extractor."""

    path: str


Outcome = DocumentResult | InputProblem | Skipped
"""What the per-document work gives back, in any mode."""


class Processed(NamedTuple):
    """A document's outcome, and the characters extracted for it (0 if it was not extracted)."""

    outcome: Outcome
    chars: int


@dataclass(frozen=True, slots=True)
class CorpusProgress:
    """How far a corpus extraction has got: what its progress callback is given."""

    documents: int
    """Documents finished (extracted, skipped as unchanged or unreadable)."""
    total_documents: int
    chars: int
    """Characters of the documents extracted so far."""
    total_chars: int
    """``chars`` plus the unfinished documents' sizes in bytes, which stand in for their
    characters until they are read; exact once every document is finished. Documents
    skipped or unreadable drop out of it."""
    path: str
    """The document just finished; empty in the call before the first."""


CorpusProgressCallback = Callable[[CorpusProgress], None]


class ProgressTally:
    """Counts a run's finished documents and characters for its progress callback, if any.

    The total starts as the files' sizes, known before anything is read: text
    files have about as many characters as bytes, saved pages and PDFs fewer, so
    the total moves towards the truth as documents finish. Without a callback
    nothing is counted, and no file is looked at.
    """

    def __init__(self, files: Sequence[Path], on_progress: CorpusProgressCallback | None) -> None:
        self._files = files
        self._on_progress = on_progress
        self._estimates = [_size(path) for path in files] if on_progress else []
        self._unfinished = sum(self._estimates)
        self._documents = 0
        self._chars = 0

    def start(self) -> None:
        """Report the totals before any document, so a bar can show them from the start."""
        self._report("")

    def finished(self, index: int, chars: int) -> None:
        """Count ``files[index]`` done, ``chars`` characters of it extracted."""
        if self._on_progress is None:
            return
        self._documents += 1
        self._chars += chars
        self._unfinished -= self._estimates[index]
        self._report(self._files[index].as_posix())

    def _report(self, path: str) -> None:
        if self._on_progress is not None:
            self._on_progress(
                CorpusProgress(
                    documents=self._documents,
                    total_documents=len(self._files),
                    chars=self._chars,
                    total_chars=self._chars + self._unfinished,
                    path=path,
                )
            )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: reading it will say so
        return 0


@dataclass(frozen=True, slots=True)
class CorpusRun:
    """The outcome of a corpus extraction, in input order."""

    results: list[DocumentResult] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    skipped: int = 0
    interrupted: bool = False
    """Ctrl-C stopped the run; ``results`` hold the documents finished before it."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def prepare_document(
    path: Path | str,
    *,
    published: date | None,
    known: DocumentInfo | None,
    max_chars: int | None = None,
) -> Document | InputProblem | Skipped:
    """Read one document, or say why it is not extracted (unreadable, too long, unchanged)."""
    try:
        document = read_document(path, published=published)
        check_length(document, max_chars)
    except InputError as exc:
        return InputProblem(path=Path(path).as_posix(), message=str(exc))
    if unchanged(document, known):
        return Skipped(document.path)
    return document


def unchanged(document: Document, known: DocumentInfo | None) -> bool:
    """Whether ``known`` (the store's entry) was extracted from this document by this code."""
    return (
        known is not None
        and known.path == document.path
        and known.sha256 == document.sha256
        and known.published == document.published
        and known.extractor == extractor_version()
    )


def warm_up() -> None:
    """Load the lexicons and compile the rules now, once, rather than in the first document.

    Run before the pool forks, every worker starts with them loaded instead of
    loading its own copy.
    """
    extract_text("On 1 May 2001, China and Russia signed a treaty.")


def extract_one(document: Document) -> DocumentResult:
    """:func:`extract_document`, with the extractor version recorded in the store entry.

    The events' store records are rendered here too: in a pool this runs in a
    worker, while the parent, which writes the store, would otherwise render
    them all after the last document.
    """
    result = extract_document(document)
    return replace(
        result,
        info=result.info.model_copy(update={"extractor": extractor_version()}),
        records=tuple(event.record() for event in result.events),
    )


def process_path(
    path: Path | str,
    published: date | None,
    known: DocumentInfo | None,
    max_chars: int | None = None,
) -> Processed:
    """The whole per-document work, as a worker runs it: read, skip or extract."""
    prepared = prepare_document(path, published=published, known=known, max_chars=max_chars)
    if isinstance(prepared, Document):
        return Processed(extract_one(prepared), len(prepared.text))
    return Processed(prepared, 0)


def collect(outcomes: Iterable[Outcome], problems: list[InputProblem]) -> CorpusRun:
    """Sort outcomes (already in input order) into a run; ``problems`` come first."""
    results: list[DocumentResult] = []
    skipped = 0
    for outcome in outcomes:
        if isinstance(outcome, DocumentResult):
            results.append(outcome)
        elif isinstance(outcome, Skipped):
            skipped += 1
        else:
            problems.append(outcome)
    return CorpusRun(results=results, problems=problems, skipped=skipped)


def extract_corpus(
    paths: Sequence[Path | str],
    *,
    published: date | None = None,
    jobs: int = 1,
    known: Mapping[str, DocumentInfo] | None = None,
    on_progress: CorpusProgressCallback | None = None,
    max_chars: int | None = None,
) -> CorpusRun:
    """Extract every readable document under ``paths`` on ``jobs`` processes (1: this one).

    ``known`` maps document paths to the store's entries (empty to extract
    everything, as ``--force`` does); unchanged documents are skipped, and
    documents longer than ``max_chars`` characters are problems.
    ``on_progress`` is called in this process once before the first document
    and after each, in completion order, with the documents and characters
    done across all workers (:class:`CorpusProgress`).
    """
    files, problems = collect_documents(paths)
    entries = known or {}
    outcomes: dict[int, Outcome] = {}
    tally = ProgressTally(files, on_progress)
    try:
        with results_kept_from_the_collector():
            tally.start()
            if jobs <= 1 or len(files) <= 1:
                for index, path in enumerate(files):
                    known_entry = entries.get(path.as_posix())
                    outcomes[index], chars = process_path(path, published, known_entry, max_chars)
                    tally.finished(index, chars)
            else:
                for index, (outcome, chars) in _pooled(files, published, entries, jobs, max_chars):
                    outcomes[index] = outcome
                    tally.finished(index, chars)
    except KeyboardInterrupt:
        run = collect(_in_order(outcomes), problems)
        return replace(run, interrupted=True)
    return collect(_in_order(outcomes), problems)


@contextmanager
def results_kept_from_the_collector() -> Iterator[None]:
    """The cyclic garbage collector off for a run, then its results out of its reach.

    A run's results stay alive until it ends, and the collector would walk all
    of them again and again as more arrive (a tenth of the parent's time in a
    pool, a quarter of a Dask client's); they hold no cycles (see
    :func:`collector_paused`). Afterwards they are frozen (moved out of the
    collector's generations, as a loaded store is), or the first collections
    would walk them all again while the store is written; reference counting
    still frees them.
    """
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()


def _in_order(outcomes: Mapping[int, Outcome]) -> list[Outcome]:
    return [outcomes[index] for index in sorted(outcomes)]


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops them; no traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Task(NamedTuple):
    """One document of a batch: its input index and what :func:`process_path` needs."""

    number: int
    """The document's index in the run's input order."""
    path: Path
    known: DocumentInfo | None


def process_batch(
    tasks: Sequence[Task], published: date | None, max_chars: int | None
) -> list[tuple[int, Processed]]:
    """:func:`process_path` on each of a batch's documents, as a worker runs it."""
    return [
        (task.number, process_path(task.path, published, task.known, max_chars)) for task in tasks
    ]


def extract_batch(documents: Sequence[tuple[int, Document]]) -> list[tuple[int, Processed]]:
    """:func:`extract_one` on each of a task's documents, already read, with their indexes."""
    return [
        (number, Processed(extract_one(document), len(document.text)))
        for number, document in documents
    ]


def batches(
    files: Sequence[Path], known: Mapping[str, DocumentInfo], jobs: int
) -> Iterator[list[Task]]:
    """Consecutive documents in batches of about :data:`_BATCH_BYTES` (by their files' sizes).

    A batch also holds at most a ``_TASKS_PER_JOB``-th of a worker's share of
    the documents, so that a small corpus still gives every worker work.
    ``jobs`` is the number of workers (of a pool, or of a cluster's threads).
    """
    most = max(1, len(files) // (jobs * _TASKS_PER_JOB))
    batch: list[Task] = []
    size = 0
    for index, path in enumerate(files):
        batch.append(Task(index, path, known.get(path.as_posix())))
        size += _size(path)
        if size >= _BATCH_BYTES or len(batch) >= most:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _pooled(
    files: Sequence[Path],
    published: date | None,
    known: Mapping[str, DocumentInfo],
    jobs: int,
    max_chars: int | None,
) -> Iterator[tuple[int, Processed]]:
    """(input index, what it gave) in completion order, from a pool of ``jobs`` processes.

    Documents go to the workers in batches (:func:`batches`); at most
    ``jobs * _IN_FLIGHT_PER_JOB`` batches are submitted at a time, so a corpus
    of millions never holds millions of futures. Ctrl-C loses the batches in
    flight, each a fraction of a second of work.
    """
    warm_up()
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupts)
    pending: set[Future[list[tuple[int, Processed]]]] = set()
    queue = batches(files, known, jobs)
    try:
        while True:
            while len(pending) < jobs * _IN_FLIGHT_PER_JOB:
                batch = next(queue, None)
                if batch is None:
                    break
                pending.add(executor.submit(process_batch, batch, published, max_chars))
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()
    except BaseException:
        # Ctrl-C (or a failure): drop what has not started and stop the workers now
        # rather than letting them finish documents nobody will read.
        executor.shutdown(wait=False, cancel_futures=True)
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    # The executor has no public way to end running tasks; its processes are terminated.
    for process in list((executor._processes or {}).values()):
        process.terminate()
