"""The store on big corpora: each command's wall time and peak memory, JSON against SQLite.

Generates stores with the generator of ``bench_cli.py`` (a fixed seed, so every
run measures the same events) -- 100,000 events as JSON and as SQLite, and
1,000,000 as SQLite -- then runs the commands of issue 9 as subprocesses and
prints, for each, the median wall time, that time as a ratio to ``python -c
"import typer"`` timed in the same run, and the peak resident memory of the
command's own process (``RUSAGE_CHILDREN`` of a small interpreter that
starts it), next to the target.

    .venv/bin/python benchmarks/bench_store.py [--runs 5] [--quick] [--json-events N]
        [--sqlite-events N [N ...]] [--keep DIR]

``--quick`` uses tiny stores and one run (the test suite smoke-runs it);
``--keep DIR`` keeps the generated stores in DIR (and reuses them next time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import document_infos, iter_events
from bilat.models import SCHEMA_VERSION, DocumentInfo, Event, StoreData
from bilat.store.json_store import EventStore
from bilat.store.sqlite_store import SqliteStore

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.json"
NEW_DOCUMENT = ROOT / "seeds" / "001_d4600f91fc8719a2.txt"
"""The one new document ``extract`` adds: a 4 KB seed."""

BATCH = 50_000
"""Generated events written to a SQLite store per transaction."""


@dataclass(frozen=True)
class Measure:
    """Median wall time (s) and the largest peak RSS (MiB) over the runs of one command."""

    seconds: float
    rss_mib: float


_MEASURER = """
import resource, subprocess, sys, time
began = time.perf_counter()
code = subprocess.call(sys.argv[2:])
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {peak}")
sys.exit(code)
"""
"""Runs one command from a fresh, small interpreter and writes its wall time and peak RSS.

The command cannot be started from this process directly: on Linux a child's
``ru_maxrss`` keeps the high-water mark of the memory it was forked with, and this
process holds the generated events, so every command would report the generator's
size. Forked from this small interpreter instead, the command's peak is its own.
"""


_TYPER_APP = """
from pathlib import Path
from typing import Optional
import typer
app = typer.Typer()
@app.command()
def timeline(countries: list[str], json: bool = False, limit: Optional[int] = None,
             store: Optional[Path] = None) -> None:
    print(countries)
@app.command()
def other() -> None:
    pass
app()
"""
"""A two-command typer app doing nothing, with options like ``timeline``'s: typer's own
start-up for a command with options, which no typer program can beat (typer 0.29
builds a pydantic ``TypeAdapter`` per option, so it imports pydantic)."""


def measure(command: list[str], env: dict[str, str], runs: int, cwd: Path) -> Measure:
    """Run ``command`` ``runs`` times; stdout goes to a file so that nothing is held here."""
    times: list[float] = []
    peak = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "measure.txt"
        for _ in range(runs):
            with tempfile.TemporaryFile() as sink:
                process = subprocess.run(
                    [sys.executable, "-c", _MEASURER, str(report), *command],
                    env=env,
                    stdout=sink,
                    stderr=subprocess.PIPE,
                    cwd=cwd,
                    check=False,
                )
            if process.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.decode()}")
            seconds, rss_kib = report.read_text().split()
            times.append(float(seconds))
            peak = max(peak, int(rss_kib) / 1024)
    return Measure(statistics.median(times), peak)


@dataclass(frozen=True)
class Generated:
    """One generated document and its events, shaped like an extraction result."""

    info: DocumentInfo
    events: list[Event]


def build_sqlite(path: Path, count: int) -> None:
    """A SQLite store of ``count`` generated events, written in batches (never all in memory)."""
    store = SqliteStore(path)
    batch: dict[str, list[Event]] = {}
    written = 0
    for event in iter_events(count):
        if event.source.doc not in batch and sum(map(len, batch.values())) >= BATCH:
            store.replace_documents(_documents(batch))
            written += 1
            batch = {}
        batch.setdefault(event.source.doc, []).append(event)
    if batch or not written:
        store.replace_documents(_documents(batch))


def _documents(batch: dict[str, list[Event]]) -> list[Generated]:
    counts = {doc: len(events) for doc, events in batch.items()}
    return [Generated(info, batch[info.path]) for info in document_infos(counts)]


def build_json(path: Path, count: int) -> None:
    """A JSON store of ``count`` generated events."""
    events = list(iter_events(count))
    counts: dict[str, int] = {}
    for event in events:
        counts[event.source.doc] = counts.get(event.source.doc, 0) + 1
    EventStore(path).save(
        StoreData(schema_version=SCHEMA_VERSION, documents=document_infos(counts), events=events)
    )


def ensure(directory: Path, backend: str, count: int) -> Path:
    suffix = ".sqlite" if backend == "sqlite" else ".json"
    path = directory / f"events_{count}{suffix}"
    if not path.exists():
        began = time.perf_counter()
        (build_sqlite if backend == "sqlite" else build_json)(path, count)
        size = path.stat().st_size / 2**20
        print(
            f"generated {count:,} events ({backend}) in {time.perf_counter() - began:.0f} s,"
            f" {size:,.0f} MiB: {path}"
        )
    return path


COMMANDS: list[tuple[str, list[str]]] = [
    ("timeline china russia --limit 20", ["timeline", "china", "russia", "--limit", "20"]),
    ("search pipeline --limit 20", ["search", "pipeline", "--limit", "20"]),
    ("pairs", ["pairs"]),
    ("stats", ["stats"]),
    ("extract one 4 KB document", ["extract", str(NEW_DOCUMENT)]),
    ("timeline china russia --format ndjson", ["timeline", "china", "russia", "-f", "ndjson"]),
    ("validate", ["validate"]),
]

TARGETS: dict[tuple[str, str], str] = {
    ("sqlite-1000k", "timeline china russia --limit 20"): "<= 0.5 s, 300 MiB",
    ("sqlite-1000k", "search pipeline --limit 20"): "<= 0.5 s, 300 MiB",
    ("sqlite-1000k", "pairs"): "<= 2 s, 300 MiB",
    ("sqlite-1000k", "stats"): "<= 2 s, 300 MiB",
    ("sqlite-1000k", "extract one 4 KB document"): "<= 1.5 s, 300 MiB",
    ("sqlite-1000k", "timeline china russia --format ndjson"): "300 MiB",
    ("json-100k", "timeline china russia --limit 20"): "<= 1.5 s",
    ("shipped", "timeline china russia --json"): "<= 2.0x",
    ("-", "bilat --version"): "<= 1.5x",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny stores, one run")
    parser.add_argument("--json-events", type=int, default=100_000)
    parser.add_argument("--sqlite-events", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the stores in this directory")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.json_events, args.sqlite_events = 1, 500, [2_000]

    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    bilat = [sys.executable, "-m", "bilat"]
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        stores: list[tuple[str, Path]] = []
        if SHIPPED.is_file():
            stores.append(("shipped", SHIPPED))
        stores.append(
            (f"json-{args.json_events // 1000}k", ensure(directory, "json", args.json_events))
        )
        for count in args.sqlite_events:
            stores.append((f"sqlite-{count // 1000}k", ensure(directory, "sqlite", count)))

        floor = measure([sys.executable, "-c", "import typer"], env, args.runs, ROOT)
        print(f"python {sys.version.split()[0]}, median of {args.runs} runs, 2 cores shared")
        print(f'ratios to python -c "import typer": {floor.seconds * 1000:.0f} ms')
        print(f"{'store':<14} {'command':<40} {'time':>9} {'ratio':>7} {'peak RSS':>10}  target")

        def show(store: str, label: str, result: Measure) -> None:
            target = TARGETS.get((store, label), "")
            ratio = result.seconds / floor.seconds
            print(
                f"{store:<14} {label:<40} {result.seconds:8.3f}s {ratio:6.1f}x"
                f" {result.rss_mib:7.0f} MiB  {target}"
            )

        show("-", "bilat --version", measure([*bilat, "--version"], env, args.runs, ROOT))
        app = [sys.executable, "-c", _TYPER_APP, "timeline", "china", "russia", "--json"]
        show("-", "empty typer app: timeline a b --json", measure(app, env, args.runs, ROOT))
        for name, path in stores:
            if name == "shipped":
                command = ["timeline", "china", "russia", "--json"]
                result = measure([*bilat, *command, "--store", str(path)], env, args.runs, ROOT)
                show(name, " ".join(command), result)
                continue
            work = directory / f"work{path.suffix}"
            shutil.copyfile(path, work)
            for label, command in COMMANDS:
                runs = 1 if label == "validate" and "1000k" in name else args.runs
                result = measure([*bilat, *command, "--store", str(work)], env, runs, ROOT)
                show(name, label, result)
            for leftover in directory.glob("work*"):
                leftover.unlink()
        print("done")


if __name__ == "__main__":
    main()
