"""Extraction throughput and peak memory on the seeds repeated to about 20 MB.

    python benchmarks/bench_extract.py [--megabytes 20] [--repeat 1]

Prints characters per second for the whole pipeline and for its stages, and
the process's peak resident memory. Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bilat.extract.amounts import find_amounts
from bilat.extract.documents import read_document
from bilat.extract.gazetteer import Gazetteer
from bilat.extract.parallel import warm_up
from bilat.extract.pipeline import extract_document
from bilat.extract.text import split_sentences
from bilat.extract.timex import find_time_expressions

ROOT = Path(__file__).resolve().parents[1]


def seeds_corpus(megabytes: float) -> str:
    """The seeds joined and repeated to about ``megabytes`` MB: the one-core benchmarks' text."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    unit = "\n\n".join(seeds) + "\n\n"
    copies = max(1, int(megabytes * 1_000_000 / len(unit)) + 1)
    return unit * copies


def _timed(label: str, chars: int, run: Callable[[], object], repeat: int) -> None:
    """The median of ``repeat`` runs: one run can be 10% off the next on a shared machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(f"{label:<28} {seconds:8.2f} s  {chars / seconds / 1e6:7.2f} M chars/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each stage (median).")
    args = parser.parse_args()
    text = seeds_corpus(args.megabytes)
    print(f"corpus: seeds repeated to {len(text):,} characters")
    warm_up()  # lexicons loaded and rules compiled before any clock starts
    gazetteer = Gazetteer.default()
    _timed("sentences", len(text), lambda: split_sentences(text), args.repeat)
    _timed("time expressions", len(text), lambda: find_time_expressions(text), args.repeat)
    _timed("countries and actors", len(text), lambda: gazetteer.find_mentions(text), args.repeat)
    _timed("money amounts", len(text), lambda: find_amounts(text), args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_text(text, encoding="utf-8")
        document = read_document(path)
        events: list[int] = []
        _timed(
            "whole pipeline",
            len(text),
            lambda: events.append(len(extract_document(document).events)),
            args.repeat,
        )
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"events extracted: {events[0]:,}")
    print(f"peak resident memory: {peak_kib / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
