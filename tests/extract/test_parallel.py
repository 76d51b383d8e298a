"""Corpus extraction: a process pool gives the serial run's store, unchanged documents skip."""

from __future__ import annotations

import gc
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from bilat.extract import parallel
from bilat.extract.documents import read_document
from bilat.extract.parallel import CorpusProgress, CorpusRun, extract_corpus, usable_cores
from bilat.extract.version import extractor_version
from bilat.store.json_store import EventStore

ROOT = Path(__file__).resolve().parents[2]
DEVSET_DOCS = ROOT.parent / "shared" / "devset" / "docs"


def _store_bytes(run: CorpusRun, path: Path) -> bytes:
    EventStore(path).replace_documents(run.results)
    return path.read_bytes()


def test_two_jobs_give_the_serial_store_byte_for_byte_on_the_seeds(tmp_path: Path) -> None:
    serial = extract_corpus([ROOT / "seeds"], jobs=1)
    pooled = extract_corpus([ROOT / "seeds"], jobs=2)
    assert len(serial.results) == 4 and not serial.problems
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(pooled, tmp_path / "b.json")


@pytest.mark.skipif(not DEVSET_DOCS.is_dir(), reason="no ../shared/devset beside the checkout")
def test_two_jobs_give_the_serial_store_byte_for_byte_on_the_devset(tmp_path: Path) -> None:
    serial = extract_corpus([DEVSET_DOCS], jobs=1)
    pooled = extract_corpus([DEVSET_DOCS], jobs=2)
    assert len(serial.results) > 10
    assert [r.info.path for r in pooled.results] == [r.info.path for r in serial.results]
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(pooled, tmp_path / "b.json")


@pytest.mark.parametrize("batch_bytes", [1, 10**9])
def test_documents_come_back_in_input_order_whatever_the_batching(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, batch_bytes: int
) -> None:
    """One document per pool task, or all of them in one: the same store as a serial run."""
    monkeypatch.setattr(parallel, "_BATCH_BYTES", batch_bytes)
    serial = extract_corpus([ROOT / "seeds"], jobs=1)
    pooled = extract_corpus([ROOT / "seeds"], jobs=2)
    assert [r.info.path for r in pooled.results] == [r.info.path for r in serial.results]
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(pooled, tmp_path / "b.json")


@pytest.mark.parametrize(
    ("sizes", "jobs", "expected"),
    [
        # At most 8 // 4 = 2 documents in a batch, and a batch ends past 64 KB.
        ([40_000] * 4 + [100_000] + [10] * 3, 1, [[0, 1], [2, 3], [4], [5, 6], [7]]),
        # Ten small documents: one per batch, so that two workers get four or more each.
        ([100] * 10, 2, [[n] for n in range(10)]),
        ([100] * 40, 2, [list(range(n, n + 5)) for n in range(0, 40, 5)]),
    ],
)
def test_batches_are_consecutive_documents_of_about_64_kb_and_enough_of_them(
    tmp_path: Path, sizes: list[int], jobs: int, expected: list[list[int]]
) -> None:
    files = []
    for number, size in enumerate(sizes):
        path = tmp_path / f"{number:02d}.txt"
        path.write_bytes(b"x" * size)
        files.append(path)
    batches = list(parallel.batches(files, {}, jobs))
    assert [[task.number for task in batch] for batch in batches] == expected
    assert [task.path for batch in batches for task in batch] == files


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_carry_their_events_records(jobs: int) -> None:
    run = extract_corpus([ROOT / "seeds"], jobs=jobs)
    for result in run.results:
        assert result.records == tuple(event.record() for event in result.events)


@pytest.mark.parametrize("enabled", [True, False])
def test_a_run_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        extract_corpus([ROOT / "seeds" / "001_d4600f91fc8719a2.txt"])
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Two good documents around a binary, an empty and an undecodable one."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "In March 2006, Cuba and China signed a trade agreement.\n", encoding="utf-8"
    )
    (folder / "b.txt").write_bytes(b"\x00\x01\x02\x03" * 200)
    (folder / "c.txt").write_text("", encoding="utf-8")
    (folder / "d.txt").write_bytes(b"\xff\xfe\xfd" + bytes(range(128, 256)) * 3)
    (folder / "e.txt").write_text(
        "On 16 July 2001, Russia and China signed a treaty of friendship.\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_documents_are_reported_and_skipped_in_every_mode(mixed: Path, jobs: int) -> None:
    run = extract_corpus([mixed], jobs=jobs)
    assert [Path(r.info.path).name for r in run.results] == ["a.txt", "e.txt"]
    assert sorted(Path(p.path).name for p in run.problems) == ["b.txt", "c.txt", "d.txt"]
    assert run.problems == extract_corpus([mixed], jobs=1).problems
    assert not run.interrupted


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_documents_and_characters_across_workers(mixed: Path, jobs: int) -> None:
    """The bar starts from the files' sizes and ends at the characters extracted, exactly."""
    seen: list[CorpusProgress] = []
    extract_corpus([mixed], jobs=jobs, on_progress=seen.append)
    sizes = {path.name: path.stat().st_size for path in mixed.iterdir()}
    texts = {name: len(read_document(mixed / name).text) for name in ("a.txt", "e.txt")}
    assert seen[0] == CorpusProgress(0, 5, 0, sum(sizes.values()), "")
    assert [step.documents for step in seen] == list(range(6))
    assert {step.total_documents for step in seen} == {5}
    for before, after in pairwise(seen):
        name = Path(after.path).name
        # A document extracted adds its characters; one unreadable adds none and drops out.
        assert after.chars - before.chars == texts.get(name, 0)
        assert before.total_chars - after.total_chars == sizes[name] - texts.get(name, 0)
    assert seen[-1].chars == seen[-1].total_chars == sum(texts.values())


def test_unchanged_documents_count_as_done_with_none_of_their_characters(
    mixed: Path,
) -> None:
    known = {result.info.path: result.info for result in extract_corpus([mixed]).results}
    seen: list[CorpusProgress] = []
    extract_corpus([mixed], known=known, on_progress=seen.append)
    assert (seen[-1].documents, seen[-1].chars, seen[-1].total_chars) == (5, 0, 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_interrupt_keeps_the_documents_finished_so_far(mixed: Path, jobs: int) -> None:
    def interrupt_after_two(progress: CorpusProgress) -> None:
        if progress.documents == 2:
            raise KeyboardInterrupt

    run = extract_corpus([mixed], jobs=jobs, on_progress=interrupt_after_two)
    assert run.interrupted
    assert len(run.results) + len(run.problems) == 2
    complete = {r.info.path: r for r in extract_corpus([mixed]).results}
    assert all(result == complete[result.info.path] for result in run.results)


def test_unchanged_documents_are_skipped_and_changed_ones_re_extracted(mixed: Path) -> None:
    first = extract_corpus([mixed], jobs=2)
    known = {result.info.path: result.info for result in first.results}
    assert all(info.extractor == extractor_version() for info in known.values())
    again = extract_corpus([mixed], jobs=2, known=known)
    assert (again.results, again.skipped, len(again.problems)) == ([], 2, 3)
    (mixed / "a.txt").write_text(
        "In April 2007, Cuba and China signed a trade agreement.\n", encoding="utf-8"
    )
    changed = extract_corpus([mixed], known=known)
    assert [Path(r.info.path).name for r in changed.results] == ["a.txt"]
    assert changed.skipped == 1


def test_another_extractor_version_or_publication_date_re_extracts(mixed: Path) -> None:
    first = extract_corpus([mixed])
    older = {
        r.info.path: r.info.model_copy(update={"extractor": "0.0.1+0000000000000000"})
        for r in first.results
    }
    assert len(extract_corpus([mixed], known=older).results) == 2
    known = {r.info.path: r.info for r in first.results}
    redated = extract_corpus([mixed], known=known, published=date(2010, 1, 1))
    assert (len(redated.results), redated.skipped) == (2, 0)


def test_extractor_version_is_the_package_version_and_a_digest() -> None:
    version, _, digest = extractor_version().partition("+")
    assert version == "0.1.0" and len(digest) == 16 and int(digest, 16) >= 0


def test_usable_cores_is_at_least_one() -> None:
    assert usable_cores() >= 1
