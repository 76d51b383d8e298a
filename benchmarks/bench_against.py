"""This checkout's whole-pipeline speed on one core against another revision's, same machine.

    python benchmarks/bench_against.py REV [--megabytes 1] [--repeat 5]

A shared machine's speed moves by half from one hour to the next, so an
absolute figure (M chars/s) measured today says little about a change made
since another day's. This runs the pipeline of ``REV`` (any git revision; its
``src/`` is exported to a temporary directory) and of this checkout's
``src/`` in turn, each in a fresh interpreter pinned to one core when the
platform allows, on ``bench_extract.py``'s corpus (the seeds repeated to
``--megabytes``), and prints both medians and their ratio. Each run uses only
``extract_text``, ``read_document`` and ``extract_document``, which every
revision has. Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bench_extract import seeds_corpus

ROOT = Path(__file__).resolve().parents[1]

_RUN = """
import sys, time
from bilat.extract.documents import read_document
from bilat.extract.pipeline import extract_document, extract_text
extract_text("On 1 May 2001, China and Russia signed a treaty.")  # lexicons loaded
document = read_document(sys.argv[1])
start = time.perf_counter()
extract_document(document)
print(len(document.text) / (time.perf_counter() - start))
"""


def _export(revision: str, into: Path) -> Path:
    """``revision``'s ``src/`` written under ``into``; exits with git's message if it has none."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "src"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        sys.exit(f"bench_against: git archive {revision}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # our own repository's archive
    return into / "src"


def _chars_per_second(source: Path, corpus: Path) -> float:
    """One run, on ``corpus``, of the pipeline whose package lies in ``source``, in a fresh
    interpreter."""
    command = [sys.executable, "-c", _RUN, str(corpus)]
    if sys.platform == "linux":
        command = ["taskset", "-c", str(min(os.sched_getaffinity(0))), *command]
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="The git revision to compare against (e.g. a commit).")
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5, help="Runs of each side (median).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        other = _export(args.revision, Path(tmp))
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text(seeds_corpus(args.megabytes), encoding="utf-8")
        theirs: list[float] = []
        ours: list[float] = []
        for _ in range(args.repeat):  # alternating, so a slow spell does not land on one side
            theirs.append(_chars_per_second(other, corpus))
            ours.append(_chars_per_second(ROOT / "src", corpus))
    them, us = statistics.median(theirs), statistics.median(ours)
    print(f"{args.revision:<28} {them / 1e6:7.3f} M chars/s (median of {args.repeat})")
    print(f"{'this checkout':<28} {us / 1e6:7.3f} M chars/s")
    print(f"{'speed-up':<28} {us / them:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
