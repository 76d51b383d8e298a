"""Extraction on a Dask cluster (``pip install 'bilat[dask]'``).

:func:`extract_on_cluster` takes a :class:`distributed.Client` the caller
already has (a ``LocalCluster``, dask-jobqueue on Slurm, Kubernetes) and
returns the same :class:`~bilat.extract.parallel.CorpusRun` as
:func:`~bilat.extract.parallel.extract_corpus`: results in input order, so the
caller, the one writer, saves a store byte-identical to a serial run's.

By default this process reads each document and sends its text, so workers
need no access to the files; with ``shared_paths`` the workers read the paths
themselves (a file system every worker mounts at the same place). Documents
travel in batches of consecutive documents, as in a process pool
(:func:`~bilat.extract.parallel.batches`): a task per short article would cost
the scheduler and this process more than the article's extraction. A task
whose worker dies is rescheduled by the Dask scheduler; one that raises is
retried ``retries`` times.
"""

from __future__ import annotations

import gc
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
    Task,
    batches,
    collect,
    extract_batch,
    prepare_document,
    process_batch,
    results_kept_from_the_collector,
)
from bilat.models import DocumentInfo

if TYPE_CHECKING:
    from distributed import Client, Future

SCHEDULER_ENV = "BILAT_SCHEDULER"
_IN_FLIGHT_PER_THREAD = 3
"""Batches queued per worker thread: the cluster stays busy, the client's memory bounded."""
_COLLECT_EVERY = 64
"""Batches between two collections of the garbage cycles the client makes meanwhile."""


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
    called here before the first document and as each batch finishes, with the
    documents and characters done (:class:`~bilat.extract.parallel.CorpusProgress`).
    """
    from distributed import as_completed

    files, problems = collect_documents(paths)
    entries = known or {}
    outcomes: dict[int, Outcome] = {}
    tally = ProgressTally(files, on_progress)
    threads = max(1, sum(client.nthreads().values()))
    window = as_completed(with_results=True)
    pending: dict[Hashable, Future[list[tuple[int, Processed]]]] = {}
    queue = batches(files, entries, threads)

    def finished(index: int, outcome: Outcome, chars: int) -> None:
        outcomes[index] = outcome
        tally.finished(index, chars)

    def submit(batch: list[Task]) -> Future[list[tuple[int, Processed]]] | None:
        """The batch's future; None when this process found nothing in it to extract."""
        if shared_paths:
            return client.submit(
                process_batch, batch, published, max_chars, retries=retries, pure=False
            )
        documents: list[tuple[int, Document]] = []
        for task in batch:
            prepared = prepare_document(
                task.path, published=published, known=task.known, max_chars=max_chars
            )
            if isinstance(prepared, Document):
                documents.append((task.number, prepared))
            else:
                finished(task.number, prepared, 0)
        if not documents:
            return None
        return client.submit(extract_batch, documents, retries=retries, pure=False)

    def submit_more() -> None:
        while window.count() < threads * _IN_FLIGHT_PER_THREAD:
            batch = next(queue, None)
            if batch is None:
                return
            future = submit(batch)
            if future is not None:
                pending[future.key] = future
                window.add(future)

    try:
        with results_kept_from_the_collector():
            tally.start()
            submit_more()
            for arrived, (future, processed) in enumerate(window, start=1):
                del pending[future.key]
                for index, (outcome, chars) in processed:
                    finished(index, outcome, chars)
                if arrived % _COLLECT_EVERY == 0:
                    _collect_the_young()
                submit_more()
    except KeyboardInterrupt:
        window.clear()
        client.cancel(list(pending.values()))
        run = collect([outcomes[i] for i in sorted(outcomes)], problems)
        return CorpusRun(run.results, run.problems, run.skipped, interrupted=True)
    return collect([outcomes[i] for i in sorted(outcomes)], problems)


def _collect_the_young() -> None:
    """Free the garbage cycles made since the last call, and freeze what survives.

    Talking to the scheduler leaves a hundred or so objects in cycles per batch,
    which the paused collector would let pile up over a long run. With the
    collector paused every object made since the last freeze is in the youngest
    generation, so collecting it walks only those, not the results before them.
    """
    gc.collect(0)
    gc.freeze()
