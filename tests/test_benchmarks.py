"""Every script in ``benchmarks/`` runs to the end on tiny sizes, so none of them can rot.

Only that they finish and print their figures is checked: tests never time anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
SHARED_TIMEX = ROOT.parent / "shared" / "timex"

SMOKE: dict[str, tuple[list[str], str]] = {
    "bench_against.py": (["HEAD", "--megabytes", "0.01", "--repeat", "1"], "speed-up"),
    "bench_cli.py": (["--runs", "1", "--events", "50"], "in-process, 50 events:"),
    "bench_eval.py": (["--limit", "1"], "wall time:"),
    "bench_extract.py": (["--megabytes", "0.01"], "events extracted:"),
    "bench_formats.py": (["--html-megabytes", "0.01", "--pdf-pages", "2"], "peak memory:"),
    "bench_parallel.py": (["--documents", "6"], "stores byte-identical:"),
    "bench_store.py": (["--quick"], "sqlite-2k      stats"),
    "bench_hostile.py": (["--sizes", "3000", "--dates", "20"], "bilat dates, 20 expressions:"),
    "fit_constants.py": (["--quick"], "mean"),
    "timex_wikiwars.py": ([], "tagger speed:"),
}
"""Script -> (arguments that keep it small, a line start its output must have)."""

NEEDS_SHARED = {
    "timex_wikiwars.py": SHARED_TIMEX / "wikiwars.jsonl",
    "bench_against.py": ROOT / ".git",
}
"""Scripts that need a file beside the code: ``../shared``, or the git history they export."""


def test_every_benchmark_has_a_smoke_run() -> None:
    assert sorted(path.name for path in BENCHMARKS.glob("*.py")) == sorted(SMOKE)


@pytest.mark.parametrize("script", sorted(SMOKE))
def test_benchmark_runs_on_tiny_sizes(script: str) -> None:
    needed = NEEDS_SHARED.get(script)
    if needed is not None and not needed.exists():
        pytest.skip(f"{needed} is not there (../shared beside the checkout, or a git clone)")
    arguments, expected = SMOKE[script]
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    assert any(line.lstrip().startswith(expected) for line in result.stdout.splitlines()), (
        result.stdout
    )
