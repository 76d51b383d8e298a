"""Extraction quality on the seeds and the development set, per genre, beside the human ceiling.

    .venv/bin/python benchmarks/bench_eval.py [--limit N] [--markdown]

Runs ``bilat evaluate``'s library call (:func:`bilat.evaluate_paths`: each
document dated by its gold file's ``published``, only the documents given
scored) on ``gold/`` + ``seeds/`` and on ``../shared/devset`` beside the
checkout (genres from its ``index.json``; skipped with a message when the
folder is absent: its texts are third-party and never copied here). Prints
detection, strict and exact F1, type accuracy, countries exact and
pair-timeline F1 per genre and overall, next to how far two careful annotators
agree on this kind of text, and the wall time of each run. ``--limit N`` scores
only the first N documents of each genre (the smoke test uses 1);
``--markdown`` prints the table ready for the README. Not a test: nothing here
asserts on figures or time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bilat.evaluate import Figures, GroupScore, evaluate_paths

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"

CEILING: dict[str, float | None] = {
    "detection": 0.94,
    "strict": 0.93,
    "exact": 0.90,
    "type_accuracy": 0.95,
    "countries_exact": 0.99,
    "pair_timeline": None,
}
"""Two annotators on the development set's kind of text (one blind on 8 of its documents)."""

COLUMNS = ("detect F1", "strict F1", "exact F1", "type acc", "countries", "pair F1")


def _row(figures: Figures) -> list[float]:
    return [
        figures.detection.f1,
        figures.strict.f1,
        figures.exact.f1,
        figures.type_accuracy,
        figures.countries_exact,
        figures.pair_timeline.f1,
    ]


def _first_per_genre(docs: Path, genres: dict[str, str], limit: int | None) -> list[Path]:
    """The documents of ``docs``, at most ``limit`` of each genre (sorted by name)."""
    taken: dict[str, int] = {}
    chosen: list[Path] = []
    for path in sorted(docs.glob("*.txt")):
        genre = genres.get(path.name, "unknown")
        if limit is None or taken.get(genre, 0) < limit:
            taken[genre] = taken.get(genre, 0) + 1
            chosen.append(path)
    return chosen


def _devset_genres() -> dict[str, str]:
    index = json.loads((DEVSET / "index.json").read_text(encoding="utf-8"))
    return {Path(entry["file"]).name: entry["genre"] for entry in index}


def _print(rows: Sequence[tuple[str, int, int, list[float | None]]], markdown: bool) -> None:
    if markdown:
        print("| set, genre | docs | gold events | " + " | ".join(COLUMNS) + " |")
        print("|---|---:|---:|" + "---:|" * len(COLUMNS))
        for label, docs, gold, values in rows:
            cells = ["–" if v is None else f"{v:.3f}" for v in values]
            counts = ["", ""] if docs == 0 else [str(docs), str(gold)]
            print(f"| {label} | " + " | ".join([*counts, *cells]) + " |")
        return
    print(f"{'set, genre':<24} {'docs':>4} {'gold':>5}  " + "  ".join(f"{c:>9}" for c in COLUMNS))
    for label, docs, gold, values in rows:
        row = "  ".join(f"{'-' if v is None else f'{v:.3f}':>9}" for v in values)
        sizes = f"{'':>4} {'':>5}" if docs == 0 else f"{docs:>4} {gold:>5}"
        print(f"{label:<24} {sizes}  {row}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N documents per genre")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    rows: list[tuple[str, int, int, list[float | None]]] = []
    timings: list[str] = []
    began = time.perf_counter()

    seeds = _first_per_genre(ROOT / "seeds", {}, args.limit)
    start = time.perf_counter()
    report = evaluate_paths(ROOT / "gold", seeds)
    timings.append(f"seeds {time.perf_counter() - start:.2f} s")
    rows.append(("seeds", len(report.documents), report.gold_events, [*_row(report)]))

    if (DEVSET / "index.json").is_file():
        docs = _first_per_genre(DEVSET / "docs", _devset_genres(), args.limit)
        start = time.perf_counter()
        report = evaluate_paths(DEVSET / "gold", docs)
        timings.append(f"devset {time.perf_counter() - start:.2f} s")
        groups: list[GroupScore] = report.breakdown("genre")
        for group in groups:
            rows.append(
                (f"devset {group.group}", group.documents, group.gold_events, [*_row(group)])
            )
        rows.append(("devset, all", len(report.documents), report.gold_events, [*_row(report)]))
    else:
        print(f"development set not found at {DEVSET}; scoring the seeds only.")
    rows.append(("two-annotator ceiling", 0, 0, list(CEILING.values())))

    _print(rows, args.markdown)
    print(f"wall time: {', '.join(timings)}; {time.perf_counter() - began:.2f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
