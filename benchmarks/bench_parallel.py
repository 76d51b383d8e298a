"""Documents per second serially, on 2 processes, on a Dask LocalCluster, and a skipping re-run.

    python benchmarks/bench_parallel.py [--documents 2000] [--repeat 3] [--no-dask]

Generates short documents (paragraphs of the seeds, about 4,600 characters
each, every one different), extracts them with ``--jobs 1`` and ``--jobs 2``
and on a two-worker ``LocalCluster`` when dask is installed, writing the store
each time as ``bilat extract`` does, checks the stores are byte-identical, and
times a second run that finds every document unchanged. The serial and the
two-process runs alternate, ``--repeat`` times each, and their medians are
printed: on a shared two-core machine one run can be 10% off the next, and
alternating keeps a slow spell from landing on one side only. Not a test:
nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bilat.extract.parallel import CorpusRun, extract_corpus, warm_up
from bilat.store.json_store import EventStore

ROOT = Path(__file__).resolve().parents[1]
_DOCUMENT_CHARS = 4_600


def _generate(folder: Path, count: int) -> int:
    """``count`` documents of seed paragraphs, each headed by its own line; total characters."""
    paragraphs = [
        part.strip()
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for part in path.read_text(encoding="utf-8").split("\n\n")
        if len(part.strip()) > 80
    ]
    rng = random.Random(0)
    total = 0
    for number in range(count):
        parts = [f"Report {number} on relations between states."]
        while sum(len(part) for part in parts) < _DOCUMENT_CHARS:
            parts.append(rng.choice(paragraphs))
        text = "\n\n".join(parts) + "\n"
        (folder / f"doc{number:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def _timed(label: str, documents: int, run: Callable[[], CorpusRun]) -> tuple[float, CorpusRun]:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    _report(label, documents, seconds)
    return seconds, result


def _report(label: str, documents: int, seconds: float) -> None:
    print(f"{label:<34} {seconds:8.2f} s  {documents / seconds:8.1f} docs/s")


def _extract_and_save(folder: Path, store: Path, jobs: int) -> CorpusRun:
    run = extract_corpus([folder], jobs=jobs)
    EventStore(store).replace_documents(run.results)
    return run


def _dask_run(folder: Path, store: Path) -> CorpusRun:
    from distributed import Client, LocalCluster

    from bilat.extract.cluster import extract_on_cluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]  # distributed has no annotations here
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        client.run(warm_up)  # the clock times extraction, not worker start-up
        start = time.perf_counter()
        run = extract_on_cluster(client, [folder])
        EventStore(store).replace_documents(run.results)
        seconds = time.perf_counter() - start
    rate = len(run.results) / seconds
    print(f"{'dask LocalCluster, 2 workers':<34} {seconds:8.2f} s  {rate:8.1f} docs/s")
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="Serial and two-process runs each (median)."
    )
    parser.add_argument("--no-dask", action="store_true", help="Skip the Dask LocalCluster run.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        chars = _generate(folder, args.documents)
        print(f"corpus: {args.documents:,} generated documents, {chars:,} characters")
        count = args.documents
        warm_up()  # lexicons loaded before any clock starts, as in a long-running process
        serial_store, pooled_store = Path(tmp) / "serial.json", Path(tmp) / "pooled.json"
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for jobs, store in ((1, serial_store), (2, pooled_store)):
                start = time.perf_counter()
                _extract_and_save(folder, store, jobs)
                times[jobs].append(time.perf_counter() - start)
        serial, pooled = statistics.median(times[1]), statistics.median(times[2])
        runs = f"median of {args.repeat}"
        _report(f"--jobs 1 ({runs})", count, serial)
        _report(f"--jobs 2 ({runs})", count, pooled)
        print(f"speed-up, 2 jobs over 1:           {serial / pooled:8.2f}x")
        identical = serial_store.read_bytes() == pooled_store.read_bytes()
        print(f"stores byte-identical:             {identical}")
        known = {info.path: info for info in EventStore(serial_store).load().documents}
        _, again = _timed(
            "second run, all unchanged",
            count,
            lambda: extract_corpus([folder], jobs=2, known=known),
        )
        print(f"skipped on the second run:         {again.skipped:,} of {count:,}")
        if not args.no_dask:
            try:
                import distributed  # noqa: F401
            except ImportError:
                print("dask: not installed (pip install 'bilat[dask]'); skipped")
            else:
                dask_store = Path(tmp) / "dask.json"
                _dask_run(folder, dask_store)
                same = dask_store.read_bytes() == serial_store.read_bytes()
                print(f"dask store byte-identical:         {same}")
        if not identical:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
