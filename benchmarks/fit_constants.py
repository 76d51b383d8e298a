"""Are the extractor's hand-set constants over-fitted? Leave-one-group-out over a grid.

    .venv/bin/python benchmarks/fit_constants.py [--quick]

The few numeric constants left in the type classifier (how much a trigger
counts in a scene-setting adjunct or in reported speech, and how fast its
weight falls with its distance from the date being typed) were set by hand.
This script scores every combination of a small grid of values on five
groups of documents — the seeds and the four genres of ``../shared/devset``
— and, holding out one group at a time, picks the combination that is best
on the other four (mean exact F1) and scores it on the held-out group. When
the held-out figure of the fitted values is no better than that of the
shipped ones, fitting would not help on unseen text and the shipped values
stay. ``--quick`` tries two combinations on one document per genre (the
smoke test). Not a test: nothing here asserts on figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

from bilat.evaluate import evaluate_paths
from bilat.extract import classify

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"

GRID: dict[str, list[float]] = {
    "_ADJUNCT_WEIGHT": [0.1, 0.25, 0.5],
    "_REPORTED_WEIGHT": [0.25, 0.5, 0.75],
    "_NEAR_CHARS": [20, 40, 80],
    "_DECAY_CHARS": [40, 80, 160],
}
"""Constants of :mod:`bilat.extract.classify` and the values tried for each."""

Combination = tuple[float, ...]


def _groups(limit: int | None) -> dict[str, tuple[Path, list[Path]]]:
    """Group name -> (gold folder, documents): the seeds, then each devset genre."""
    groups = {"seeds": (ROOT / "gold", sorted((ROOT / "seeds").glob("*.txt"))[:limit])}
    if (DEVSET / "index.json").is_file():
        index = json.loads((DEVSET / "index.json").read_text(encoding="utf-8"))
        for entry in index:
            docs = groups.setdefault(entry["genre"], (DEVSET / "gold", []))[1]
            if limit is None or len(docs) < limit:
                docs.append(DEVSET / "docs" / Path(entry["file"]).name)
    return groups


def _score(groups: dict[str, tuple[Path, list[Path]]], values: Combination) -> dict[str, float]:
    """Exact F1 of each group with the classifier's constants set to ``values``."""
    for name, value in zip(GRID, values, strict=True):
        setattr(classify, name, value)
    return {group: evaluate_paths(gold, docs).exact.f1 for group, (gold, docs) in groups.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two combinations, tiny groups")
    args = parser.parse_args()
    began = time.perf_counter()
    shipped: Combination = tuple(float(getattr(classify, name)) for name in GRID)
    groups = _groups(1 if args.quick else None)
    combinations = list(itertools.product(*GRID.values()))
    if args.quick:
        combinations = combinations[:1]
    if shipped not in combinations:
        combinations.append(shipped)
    scores = {values: _score(groups, values) for values in combinations}
    for name, value in zip(GRID, shipped, strict=True):
        setattr(classify, name, value)

    print(f"{len(combinations)} combinations of {', '.join(GRID)} on {len(groups)} groups")
    print(f"shipped values: {dict(zip(GRID, shipped, strict=True))}")
    print(f"{'held out':<14} {'fitted exact':>12} {'shipped exact':>13}  fitted values")
    fitted_total = shipped_total = 0.0
    for held in groups:
        others = [g for g in groups if g != held]

        def on_others(values: Combination, others: list[str] = others) -> float:
            return sum(scores[values][g] for g in others) / len(others)

        best = max(combinations, key=lambda v: (on_others(v), v == shipped))
        fitted_total += scores[best][held]
        shipped_total += scores[shipped][held]
        print(
            f"{held:<14} {scores[best][held]:>12.3f} {scores[shipped][held]:>13.3f}  "
            + ", ".join(f"{n}={v:g}" for n, v in zip(GRID, best, strict=True))
        )
    count = len(groups)
    print(
        f"{'mean':<14} {fitted_total / count:>12.3f} {shipped_total / count:>13.3f}"
        f"  (held-out mean exact F1; wall time {time.perf_counter() - began:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
