"""How long the everyday commands take, end to end, next to Python's own start-up.

Runs ``bilat timeline china russia --json`` and ``bilat search pipeline`` as
subprocesses (median of several runs) on the shipped store (when
``data/events.json`` exists) and on a store of 100,000 generated events, and
times ``python -c "import typer"`` in the same run as the floor any Typer CLI
pays. Also times, in-process, loading the 100,000-event store and querying it.

    .venv/bin/python benchmarks/bench_cli.py [--runs 5] [--events 100000]

Events are generated from a fixed seed, so every run measures the same store.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from bilat.models import (
    SCHEMA_VERSION,
    Actor,
    Amount,
    DocumentInfo,
    Event,
    EventDate,
    Source,
    StoreData,
    event_id,
)
from bilat.query import EventFilter, search, timeline
from bilat.store.json_store import EventStore

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.json"
CODES = ["CHN", "RUS", "CUB", "USA", "KAZ", "IND", "JPN", "KOR", "UKR", "BRA", "TUR", "IRN"]
TYPES = ["treaty", "visit", "trade", "investment", "aid", "military", "diplomacy", "conflict"]
WORDS = [
    "signed",
    "agreement",
    "gas",
    "oil",
    "deal",
    "summit",
    "talks",
    "loan",
    "bank",
    "railway",
    "port",
    "exercise",
    "border",
    "sanctions",
    "embargo",
    "grain",
    "wheat",
    "arms",
    "fighter",
    "satellite",
    "university",
    "vaccine",
    "pipeline",
    "nuclear",
    "reactor",
    "energy",
    "credit",
    "yuan",
    "rouble",
    "dollar",
    "bonds",
    "investment",
    "minister",
    "president",
]
PEOPLE = ["Xi Jinping", "Vladimir Putin", "Hu Jintao", "Dmitry Medvedev", "Raúl Castro"]


def generate(count: int, seed: int = 20240101) -> StoreData:
    """``count`` plausible events, the same ones for the same seed."""
    events = list(iter_events(count, seed))
    documents: dict[str, int] = {}
    for event in events:
        documents[event.source.doc] = documents.get(event.source.doc, 0) + 1
    return StoreData(
        schema_version=SCHEMA_VERSION, documents=document_infos(documents), events=events
    )


def document_infos(counts: dict[str, int]) -> list[DocumentInfo]:
    """The document entries of generated events (``counts``: events per document)."""
    return [
        DocumentInfo(path=doc, sha256=hashlib.sha256(doc.encode()).hexdigest(), title=doc, events=n)
        for doc, n in counts.items()
    ]


def iter_events(count: int, seed: int = 20240101) -> Iterator[Event]:
    """The events of :func:`generate`, one at a time (200 per document, in document order)."""
    rng = random.Random(seed)
    for index in range(count):
        doc = f"generated/doc_{index // 200:04d}.txt"
        start = date(1950, 1, 1) + timedelta(days=rng.randrange(75 * 365))
        precision = rng.choice(["day", "month", "year", "year", "year"])
        if precision == "year":
            first, last = date(start.year, 1, 1), date(start.year, 12, 31)
        elif precision == "month":
            first = start.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        else:
            first = last = start
        pair = sorted(rng.sample(CODES[:4], 2) if rng.random() < 0.6 else rng.sample(CODES, 2))
        words = rng.sample(WORDS, 8)
        title = " ".join(words[:5]).capitalize()
        sentence = f"In {start.year}, {' '.join(words)} between {pair[0]} and {pair[1]}."
        offset = (index % 200) * 300
        yield Event(
            id=event_id(doc, offset, offset + len(sentence), str(index)),
            date=EventDate(
                start=first,
                end=last,
                precision=precision,
                text=str(start.year),
                value=str(start.year),
            ),
            countries=pair,
            type=rng.choice(TYPES),
            title=title,
            actors=[Actor(name=rng.choice(PEOPLE), kind="person")] if rng.random() < 0.3 else [],
            amount=Amount(value=1e9, currency="USD", text="$1 billion")
            if rng.random() < 0.1
            else None,
            source=Source(doc=doc, start=offset, end=offset + len(sentence), sentence=sentence),
            confidence=0.8,
        )


def median_time(command: list[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    """Median wall time of ``command`` and the size of its stdout in bytes."""
    times: list[float] = []
    size = 0
    for _ in range(runs):
        began = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - began)
        size = len(result.stdout)
    return statistics.median(times), size


def median_call(call: Callable[[], object], runs: int) -> float:
    times: list[float] = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()

    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    python = [sys.executable]
    bilat = [sys.executable, "-m", "bilat"]
    print(f"python {sys.version.split()[0]}, median of {args.runs} runs")
    for label, command in (
        ('python -c "pass"', [*python, "-c", "pass"]),
        ('python -c "import typer"', [*python, "-c", "import typer"]),
        ("bilat --version", [*bilat, "--version"]),
    ):
        seconds, _ = median_time(command, env, args.runs)
        print(f"  {label:<46} {seconds * 1000:8.0f} ms")

    with tempfile.TemporaryDirectory() as directory:
        generated = Path(directory) / "events.json"
        began = time.perf_counter()
        data = generate(args.events)
        EventStore(generated).save(data)
        print(
            f"generated {args.events:,} events in {time.perf_counter() - began:.1f} s "
            f"({generated.stat().st_size / 1e6:.0f} MB)"
        )
        stores = [("shipped", SHIPPED)] if SHIPPED.is_file() else []
        stores.append((f"{args.events // 1000}k", generated))
        for name, store in stores:
            count = len(EventStore(store).load().events)
            print(f"{name} store: {store} ({count:,} events)")
            store_env = {**env, "BILAT_STORE": str(store)}
            for query in (
                ["timeline", "china", "russia", "--json"],
                ["search", "pipeline"],
                ["search", "pipeline", "--json"],
            ):
                seconds, size = median_time([*bilat, *query], store_env, args.runs)
                print(f"  bilat {' '.join(query):<40} {seconds * 1000:8.0f} ms  {size:>11,} B")

        generated_store = EventStore(generated)
        loaded = generated_store.load()
        print(f"in-process, {len(loaded.events):,} events:")
        in_process: list[tuple[str, Callable[[], object]]] = [
            ("EventStore.load()", generated_store.load),
            ("timeline(CHN, RUS)", lambda: timeline(loaded.events, EventFilter(["CHN", "RUS"]))),
            ('search("pipeline")', lambda: search(loaded.events, "pipeline")),
            ('search("gas deal")', lambda: search(loaded.events, "gas deal")),
        ]
        for label, call in in_process:
            print(f"  {label:<46} {median_call(call, args.runs) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
