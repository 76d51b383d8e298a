"""Measure bilat's time-expression tagger on WikiWars (TempEval-3 style scores and speed).

    .venv/bin/python benchmarks/timex_wikiwars.py [--out PRED.jsonl] [--errors N]
                                                  [--published {none,dct}]

Reads the corpus and scorer from ``../shared/timex`` beside the repository and skips
(exit 0) when they are absent: the corpus is third-party text and is never copied here.

Documents are tagged with ``published=None`` by default.  WikiWars' ``dct`` is the date
the articles were downloaded, not the time being narrated, so passing it only turns
"today" / "now" (gold value PRESENT_REF) into a 2009 date and gains nothing: year-less
dates are resolved against the narrative's year in force either way.  ``--published dct``
is there to check that claim.  Ranges are reported end by end (``split_ranges``), as
WikiWars annotates "1915-17" as two expressions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bilat.extract.timex import find_time_expressions

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "timex"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where to write predictions (JSONL)")
    parser.add_argument("--errors", type=int, default=0, help="show N errors per category")
    parser.add_argument("--published", choices=("none", "dct"), default="none")
    args = parser.parse_args()
    gold_path, scorer = SHARED / "wikiwars.jsonl", SHARED / "score_timex.py"
    if not gold_path.exists() or not scorer.exists():
        print(f"WikiWars not found under {SHARED.resolve()}; skipping.")
        return 0
    docs = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line]
    lines: list[str] = []
    chars = 0
    elapsed = 0.0
    for doc in docs:
        published = date.fromisoformat(doc["dct"]) if args.published == "dct" else None
        began = time.perf_counter()
        found = find_time_expressions(doc["text"], published=published, split_ranges=True)
        elapsed += time.perf_counter() - began
        chars += len(doc["text"])
        timexes = [
            {
                "start": t.start,
                "end": t.end,
                "value": t.value or "",
                "type": "DURATION" if t.kind == "duration" else "DATE",
            }
            for t in found
        ]
        lines.append(json.dumps({"doc": doc["doc"], "timexes": timexes}))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "wikiwars.pred.jsonl"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [sys.executable, str(scorer), str(gold_path), str(out)]
        if args.errors:
            command += ["--errors", str(args.errors)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr, end="", file=sys.stderr)
        return result.returncode
    print(f"tagger speed: {chars / elapsed:,.0f} characters/second ({chars:,} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
