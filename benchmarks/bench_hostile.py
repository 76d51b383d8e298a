"""Cost per byte of hostile text next to the seeds', and the time for a 1 MB line with no stop.

Generates, from a fixed seed, the inputs that used to make extraction
superlinear: country names alternating with years and no full stop, one
sentence of comma clauses each with a treaty trigger and a year, unbalanced
quotes, right-to-left overrides around every word, and ordinary words with no
full stop. Each is extracted at sizes from 30 KB to 1 MB (CPU time), and its
microseconds per byte are divided by the seeds' to give a ratio; the worst
ratio is printed, and the time for a 1 MB line of words with no full stop.

Then ``bilat dates`` runs on a file of 40,000 date expressions (``--dates``, a sentence
with two, repeated), as the table and as CSV, writing to a file at 80 columns:
the wall time of each command, start-up included, since a table that long is
what used to take half a minute.

    .venv/bin/python benchmarks/bench_hostile.py [--sizes 30000,100000,300000,1000000]
        [--dates 40000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bilat
from bilat.extract.documents import read_document
from bilat.extract.pipeline import extract_document

ROOT = Path(__file__).resolve().parents[1]
_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "was",
    "by",
    "at",
    "from",
    "it",
    "an",
    "be",
    "this",
    "which",
    "or",
]
_COUNTRIES = ["China", "Russia", "Cuba", "India", "Brazil", "Japan"]


def _repeat(make: Callable[[random.Random], str], size: int) -> str:
    rng = random.Random(13)
    pieces: list[str] = []
    total = 0
    while total < size:
        piece = make(rng)
        pieces.append(piece)
        total += len(piece)
    return "".join(pieces)[:size]


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "countries and years, no stop": lambda r: f"{r.choice(_COUNTRIES)} {r.randint(1950, 2020)} ",
    "comma clauses with treaties": lambda r: (
        f"{r.choice(_COUNTRIES)} and {r.choice(_COUNTRIES)} signed a treaty in "
        f"{r.randint(1950, 2020)}, "
    ),
    "unbalanced quotes": lambda r: (
        f'"{r.choice(_COUNTRIES)} said {r.choice(_WORDS)} {r.randint(1950, 2020)}. '
    ),
    "right-to-left overrides": lambda r: f"\u202e{r.choice(_WORDS + _COUNTRIES)}\u202c ",
    "words, no full stop": lambda r: f"{r.choice(_WORDS)} ",
}


def _cpu(text: str) -> float:
    started = time.process_time()
    bilat.extract_text(text)
    return time.process_time() - started


def _seeds_cost() -> float:
    documents = [read_document(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    started = time.process_time()
    for document in documents:
        extract_document(document)
    return (time.process_time() - started) / sum(len(d.text) for d in documents)


_DATES_LINE = "On 3 May 1999 and in March 2004 the ministers met.\n"
"""Two time expressions, so a file of N expressions is N / 2 of these lines."""


def _dates_wall(path: Path, *options: str) -> float:
    """Wall time of ``bilat dates PATH OPTIONS`` with stdout to a file, 80 columns wide."""
    with tempfile.TemporaryFile("w") as sink:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bilat", "dates", str(path), *options],
            stdout=sink,
            check=True,
            env={**os.environ, "COLUMNS": "80"},
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30000,100000,300000,1000000")
    parser.add_argument("--dates", type=int, default=40_000, help="time expressions in the file")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    bilat.extract_text("China and Cuba signed a treaty in 1960.")  # load the lexicons first
    seeds = _seeds_cost()
    print(f"seeds: {seeds * 1e6:.2f} us/byte")
    worst = (0.0, "", 0)
    for name, make in GENERATORS.items():
        for size in sizes:
            ratio = _cpu(_repeat(make, size)) / size / seeds
            print(f"  {name:30} {size:>9,} bytes: {ratio:5.2f}x the seeds' cost per byte")
            worst = max(worst, (ratio, name, size))
    print(f"worst cost per byte: {worst[0]:.2f}x the seeds' ({worst[1]}, {worst[2]:,} bytes)")
    line = _repeat(GENERATORS["words, no full stop"], max(sizes))
    print(f"one {len(line):,}-byte line with no full stop: {_cpu(line):.2f} s CPU")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dates.txt"
        path.write_text(_DATES_LINE * (args.dates // 2), encoding="utf-8")
        table, csv = _dates_wall(path), _dates_wall(path, "--format", "csv")
    print(f"bilat dates, {args.dates:,} expressions: table {table:.2f} s, csv {csv:.2f} s (wall)")


if __name__ == "__main__":
    main()
