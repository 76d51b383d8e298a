"""`bilat extract --jobs/--force/--scheduler`: same store in every mode, unchanged files skipped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from bilat.cli import app
from bilat.extract.documents import read_document
from bilat.output.progress import chars_label, rate_label, remaining_label

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


def _screen(monkeypatch: pytest.MonkeyPatch, *, terminal: bool = True) -> io.StringIO:
    """What the progress bar draws, on a stderr that is (or is not) a terminal."""
    screen = io.StringIO()
    monkeypatch.setattr(
        "bilat.cli.build.stderr",
        lambda: Console(file=screen, force_terminal=terminal, width=200),
    )
    return screen


def _chars(*paths: Path) -> int:
    return sum(len(read_document(path).text) for path in paths)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_bar_counts_documents_and_characters_on_a_terminal(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    screen = _screen(monkeypatch)
    store = tmp_path / "events.json"
    code, out, _ = run("extract", str(ROOT / "seeds"), str(docs), "-j", jobs, "--store", str(store))
    assert (code, out) == (0, "")
    drawn = screen.getvalue()
    # The first frame has the files' sizes; the last one the characters extracted, exactly.
    sizes = sum(
        path.stat().st_size for folder in (ROOT / "seeds", docs) for path in folder.glob("*")
    )
    assert "0/8 documents" in drawn and chars_label(0, sizes) in drawn
    extracted = _chars(*(ROOT / "seeds").glob("*.txt"), docs / "a.txt", docs / "e.txt")
    assert "8/8 documents" in drawn and chars_label(extracted, extracted) in drawn


def test_no_bar_when_stderr_is_not_a_terminal(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = _screen(monkeypatch, terminal=False)
    assert run("extract", str(ROOT / "seeds"), "--store", str(tmp_path / "events.json"))[0] == 0
    assert screen.getvalue() == ""


def test_a_few_small_documents_get_no_bar_and_a_big_one_does(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = _screen(monkeypatch)
    store = str(tmp_path / "events.json")
    assert run("extract", str(docs / "a.txt"), "--store", store)[0] == 0
    assert screen.getvalue() == ""
    monkeypatch.setattr("bilat.cli.build._PROGRESS_CHARS", 10)  # a.txt is "big" now
    assert run("extract", str(docs / "a.txt"), "--store", store, "--force")[0] == 0
    assert "1/1 documents" in screen.getvalue()


def test_the_bar_labels() -> None:
    assert chars_label(1_234_567, 5_000_000) == "1.2/5.0 M chars"
    assert chars_label(416_800, 973_300) == "416.8/973.3 k chars"
    assert chars_label(850, 9_000) == "0.8/9.0 k chars"
    assert chars_label(85, 900) == "85/900 chars"
    assert rate_label(0, 2.0) == rate_label(100, None) == "? chars/s"
    assert rate_label(340_000, 2.0) == "170.0 k chars/s"
    assert rate_label(500, 2.0) == "250 chars/s"
    assert remaining_label(100, 400, 10.0) == "0:00:30"
    assert remaining_label(0, 400, 10.0) == "-:--:--"
