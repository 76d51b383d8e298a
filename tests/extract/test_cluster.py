"""Extraction on a two-worker Dask LocalCluster gives the serial run's store, byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilat.extract.documents import read_document
from bilat.extract.parallel import CorpusProgress, CorpusRun, extract_corpus
from bilat.store.json_store import EventStore

distributed = pytest.importorskip("distributed")

from bilat.extract.cluster import extract_on_cluster  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEVSET_DOCS = ROOT.parent / "shared" / "devset" / "docs"


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def _store_bytes(run: CorpusRun, path: Path) -> bytes:
    EventStore(path).replace_documents(run.results)
    return path.read_bytes()


@pytest.mark.parametrize("shared_paths", [False, True])
def test_a_local_cluster_gives_the_serial_store_on_the_seeds(
    client: distributed.Client, tmp_path: Path, shared_paths: bool
) -> None:
    serial = extract_corpus([ROOT / "seeds"])
    clustered = extract_on_cluster(client, [ROOT / "seeds"], shared_paths=shared_paths)
    assert len(clustered.results) == 4
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(clustered, tmp_path / "b.json")


@pytest.mark.parametrize("shared_paths", [False, True])
def test_progress_on_a_cluster_ends_at_the_characters_extracted(
    client: distributed.Client, shared_paths: bool
) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    seen: list[CorpusProgress] = []
    extract_on_cluster(client, [ROOT / "seeds"], shared_paths=shared_paths, on_progress=seen.append)
    assert seen[0] == CorpusProgress(0, 4, 0, sum(path.stat().st_size for path in seeds), "")
    assert [step.documents for step in seen] == list(range(5))
    assert seen[-1].chars == seen[-1].total_chars == sum(len(read_document(p).text) for p in seeds)


@pytest.mark.skipif(not DEVSET_DOCS.is_dir(), reason="no ../shared/devset beside the checkout")
def test_a_local_cluster_gives_the_serial_store_on_the_devset(
    client: distributed.Client, tmp_path: Path
) -> None:
    serial = extract_corpus([DEVSET_DOCS])
    clustered = extract_on_cluster(client, [DEVSET_DOCS])
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(clustered, tmp_path / "b.json")


@pytest.mark.parametrize("shared_paths", [False, True])
def test_bad_and_unchanged_documents_on_a_cluster(
    client: distributed.Client, tmp_path: Path, shared_paths: bool
) -> None:
    (tmp_path / "a.txt").write_text(
        "In March 2006, Cuba and China signed a trade agreement.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\x03" * 200)
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    first = extract_on_cluster(client, [tmp_path], shared_paths=shared_paths)
    assert first.problems == extract_corpus([tmp_path]).problems
    assert [Path(p.path).name for p in first.problems] == ["b.txt", "c.txt"]
    known = {result.info.path: result.info for result in first.results}
    again = extract_on_cluster(client, [tmp_path], known=known, shared_paths=shared_paths)
    assert (again.results, again.skipped) == ([], 1)


def test_the_cli_extracts_on_the_scheduler_given(
    client: distributed.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console
    from typer.testing import CliRunner

    from bilat.cli import app
    from bilat.output.progress import chars_label

    serial, clustered = tmp_path / "serial.json", tmp_path / "cluster.json"
    EventStore(serial).replace_documents(extract_corpus([ROOT / "seeds"]).results)
    monkeypatch.setenv("BILAT_SCHEDULER", client.scheduler.address)
    screen = io.StringIO()  # the progress bar's stderr, a terminal
    monkeypatch.setattr(
        "bilat.cli.build.stderr", lambda: Console(file=screen, force_terminal=True, width=200)
    )
    result = CliRunner().invoke(app, ["extract", str(ROOT / "seeds"), "--store", str(clustered)])
    assert result.exit_code == 0, result.stderr
    assert "4 documents" in result.stderr
    assert clustered.read_bytes() == serial.read_bytes()
    chars = sum(len(read_document(path).text) for path in (ROOT / "seeds").glob("*.txt"))
    assert "4/4 documents" in screen.getvalue() and chars_label(chars, chars) in screen.getvalue()


def test_documents_travel_in_batches_and_the_collector_is_restored(
    client: distributed.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16 documents on 2 threads: batches of at most a quarter of a thread's share, 2 each."""
    import gc

    for number in range(16):
        (tmp_path / f"doc{number:02d}.txt").write_text(
            f"In March {1990 + number}, Cuba and China signed a trade agreement.\n",
            encoding="utf-8",
        )
    submitted: list[int] = []
    submit = client.submit

    def counting_submit(function: Any, batch: list[Any], *args: Any, **kwargs: Any) -> Any:
        submitted.append(len(batch))
        return submit(function, batch, *args, **kwargs)

    monkeypatch.setattr(client, "submit", counting_submit)
    clustered = extract_on_cluster(client, [tmp_path])
    assert submitted == [2] * 8
    assert gc.isenabled()
    serial = extract_corpus([tmp_path])
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(clustered, tmp_path / "b.json")


def test_an_interrupt_on_a_cluster_keeps_the_documents_finished_so_far(
    client: distributed.Client, tmp_path: Path
) -> None:
    import gc

    for number in range(8):
        (tmp_path / f"doc{number}.txt").write_text(
            f"In May {2000 + number}, Cuba and China signed a trade agreement.\n", encoding="utf-8"
        )

    def interrupt_after_three(progress: CorpusProgress) -> None:
        if progress.documents == 3:
            raise KeyboardInterrupt

    run = extract_on_cluster(client, [tmp_path], on_progress=interrupt_after_three)
    assert run.interrupted and len(run.results) == 3
    assert gc.isenabled()
    complete = {r.info.path: r for r in extract_corpus([tmp_path]).results}
    assert all(result == complete[result.info.path] for result in run.results)
    # The cluster is left free for the next run: nothing of the interrupted one still queued.
    assert len(extract_on_cluster(client, [tmp_path]).results) == 8


def test_a_worker_killed_mid_run_loses_no_document(tmp_path: Path) -> None:
    """The scheduler reruns the killed worker's documents on the other (or its restart)."""
    import os
    import signal

    paragraphs = [
        part
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for part in path.read_text(encoding="utf-8").split("\n\n")
        if len(part) > 200
    ]
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(16):
        text = f"Report {number}.\n\n" + "\n\n".join(paragraphs[number * 3 : number * 3 + 6])
        (folder / f"doc{number:02d}.txt").write_text(text, encoding="utf-8")
    serial = extract_corpus([folder])
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        pids = dask_client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed: list[int] = []

        def kill_one_worker(progress: CorpusProgress) -> None:
            if progress.documents == 2 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        clustered = extract_on_cluster(dask_client, [folder], on_progress=kill_one_worker)
    assert killed and not clustered.problems and not clustered.interrupted
    assert _store_bytes(serial, tmp_path / "a.json") == _store_bytes(clustered, tmp_path / "b.json")
