"""`bilat extract --jobs/--force/--scheduler`: same store in every mode, unchanged files skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilat.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "In March 2006, Cuba and China signed a trade agreement.\n", encoding="utf-8"
    )
    (folder / "b.txt").write_bytes(b"\x00\x01\x02\x03" * 200)
    (folder / "c.txt").write_text("", encoding="utf-8")
    (folder / "e.txt").write_text(
        "On 16 July 2001, Russia and China signed a treaty of friendship.\n", encoding="utf-8"
    )
    return folder


def test_jobs_2_writes_the_serial_store_and_reports_bad_files(docs: Path, tmp_path: Path) -> None:
    serial, pooled = tmp_path / "serial.json", tmp_path / "pooled.json"
    assert run("extract", str(ROOT / "seeds"), str(docs), "-j", "1", "--store", str(serial))[0] == 0
    code, out, err = run(
        "extract", str(ROOT / "seeds"), str(docs), "--jobs", "2", "--store", str(pooled)
    )
    assert (code, out) == (0, "")
    assert "b.txt" in err and "empty document; skipped" in err
    assert "6 documents" in err
    assert serial.read_bytes() == pooled.read_bytes()


def test_a_second_run_skips_unchanged_documents_and_force_re_extracts(
    docs: Path, isolated_store: Path
) -> None:
    assert run("extract", str(docs), "-j", "2")[0] == 0
    first = isolated_store.read_bytes()
    code, _, err = run("extract", str(docs), "-j", "2")
    assert code == 0 and "0 documents, 0 events" in err and "2 unchanged skipped" in err
    assert isolated_store.read_bytes() == first
    code, _, err = run("extract", str(docs), "--force")
    assert code == 0 and "2 documents, 2 events" in err and "skipped (--force" not in err
    assert isolated_store.read_bytes() == first


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_nothing_readable_still_exits_1_with_jobs(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 200)
    code, out, err = run("extract", str(tmp_path), "-j", jobs)
    assert (code, out) == (1, "")
    assert "no document could be read" in err


def test_jobs_below_1_and_shared_paths_alone_are_usage_errors(docs: Path) -> None:
    assert run("extract", str(docs), "-j", "0")[0] == 2
    code, _, err = run("extract", str(docs), "--shared-paths")
    assert code == 2 and "--scheduler" in err
