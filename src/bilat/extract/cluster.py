"""Extraction on a Dask cluster (``pip install 'bilat[dask]'``).

:func:`extract_on_cluster` takes a :class:`distributed.Client` the caller
already has (a ``LocalCluster``, dask-jobqueue on Slurm, Kubernetes) and
returns the same :class:`~bilat.extract.parallel.CorpusRun` as
:func:`~bilat.extract.parallel.extract_corpus`: results in input order, so the
caller, the one writer, saves a store byte-identical to a serial run's.

By default this process reads each document and sends its text, so workers
need no access to the files; with ``shared_paths`` the workers read the paths
themselves (a file system every worker mounts at the same place). A task
whose worker dies is rescheduled by the Dask scheduler; one that raises is
retried ``retries`` times.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bilat.errors import InputError
from bilat.extract.documents import Document, collect_documents
from bilat.extract.parallel import (
    CorpusProgressCallback,
    CorpusRun,
    Outcome,
    Processed,
    ProgressTally,
    collect,
    extract_one,
    prepare_document,
    process_path,
)
from bilat.models import DocumentInfo

if TYPE_CHECKING:
    from distributed import Client, Future

SCHEDULER_ENV = "BILAT_SCHEDULER"
_IN_FLIGHT_PER_THREAD = 8
"""Documents queued per worker thread: the cluster stays busy, the client's memory bounded."""


def connect(address: str) -> Client:
    """A client of the scheduler at ``address`` (``tcp://host:8786``)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs Dask's distributed scheduler, which is not installed",
            hint="pip install 'bilat[dask]'",
        ) from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise InputError(
            f"cannot reach the Dask scheduler at {address}: {error}",
            hint=f"check the address (--scheduler or ${SCHEDULER_ENV}) and that it is running",
        ) from None


def extract_on_cluster(
    client: Client,
    paths: Sequence[Path | str],
    *,
    published: date | None = None,
    known: Mapping[str, DocumentInfo] | None = None,
    shared_paths: bool = False,
    retries: int = 2,
    on_progress: CorpusProgressCallback | None = None,
    max_chars: int | None = None,
) -> CorpusRun:
    """Extract every readable document under ``paths`` on the cluster behind ``client``.

    Unreadable and unchanged documents are found here (or, with
    ``shared_paths``, by the workers) and never extracted; ``on_progress`` is
    called here before the first document and as each finishes, with the
    documents and characters done (:class:`~bilat.extract.parallel.CorpusProgress`).
    """
    from distributed import as_completed

    files, problems = collect_documents(paths)
    entries = known or {}
    outcomes: dict[int, Outcome] = {}
    tally = ProgressTally(files, on_progress)
    threads = max(1, sum(client.nthreads().values()))
    window = as_completed(with_results=True)
    # Each future's input index, and the characters it extracts when this process read
    # the document (with shared_paths the worker reads it and says: a Processed).
    pending: dict[Hashable, tuple[Future[Outcome | Processed], int, int]] = {}
    queue = iter(enumerate(files))

    def finished(index: int, outcome: Outcome, chars: int) -> None:
        outcomes[index] = outcome
        tally.finished(index, chars)

    def submit_more() -> None:
        while window.count() < threads * _IN_FLIGHT_PER_THREAD:
            item = next(queue, None)
            if item is None:
                return
            index, path = item
            entry = entries.get(path.as_posix())
            future: Future[Outcome | Processed]
            chars = 0
            if shared_paths:
                future = client.submit(
                    process_path,
                    path.as_posix(),
                    published,
                    entry,
                    max_chars,
                    retries=retries,
                    pure=False,
                )
            else:
                prepared = prepare_document(
                    path, published=published, known=entry, max_chars=max_chars
                )
                if not isinstance(prepared, Document):
                    finished(index, prepared, 0)
                    continue
                future = client.submit(extract_one, prepared, retries=retries, pure=False)
                chars = len(prepared.text)
            pending[future.key] = (future, index, chars)
            window.add(future)

    try:
        tally.start()
        submit_more()
        for future, result in window:
            _, index, chars = pending.pop(future.key)
            if isinstance(result, Processed):  # shared_paths: the worker read the document
                finished(index, *result)
            else:
                finished(index, result, chars)
            submit_more()
    except KeyboardInterrupt:
        window.clear()
        client.cancel([future for future, _, _ in pending.values()])
        run = collect([outcomes[i] for i in sorted(outcomes)], problems)
        return CorpusRun(run.results, run.problems, run.skipped, interrupted=True)
    return collect([outcomes[i] for i in sorted(outcomes)], problems)
