"""Every query command answers on a SQLite store as on the JSON store; `bilat store copy`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bilat.cli.build
from bilat.cli import app
from bilat.models import Event
from bilat.store.backends import open_store
from tests.conftest import store_data

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "events.json"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def both(tmp_path: Path, sample_events: list[Event]) -> tuple[Path, Path]:
    """The sample events as a JSON store and as a SQLite store."""
    as_json, as_sqlite = tmp_path / "events.json", tmp_path / "events.sqlite"
    open_store(as_json).save(store_data(sample_events))
    open_store(as_sqlite).save(store_data(sample_events))
    return as_json, as_sqlite


COMMANDS = [
    ["timeline"],
    ["timeline", "china", "russia", "--json"],
    ["timeline", "russia", "--reverse", "-n", "2", "--format", "ndjson"],
    ["timeline", "russia", "ussr", "--json"],
    ["timeline", "--from", "2001", "--to", "2008", "--type", "trade", "--format", "csv"],
    ["timeline", "--actor", "putin", "--format", "markdown"],
    ["timeline", "--doc", "b.txt", "--json"],
    ["timeline", "japan", "--json"],
    ["search", "signed", "--json"],
    ["search", '"gas deal"', "-c", "china"],
    ["search", "nothing-here"],
    ["show", "8d9d240a"],
    ["show", "8d9d240a", "--json"],
    ["show", "ffff"],
    ["pairs"],
    ["pairs", "china", "--json"],
    ["pairs", "-n", "1", "--format", "csv"],
    ["stats"],
    ["stats", "cuba", "--json"],
    ["stats", "russia", "ussr", "--json"],
    ["export", "china", "russia", "--format", "markdown"],
    ["export", "china", "russia", "--format", "csv"],
    ["chart", "china", "russia", "--width", "60"],
    ["validate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_query_commands_answer_the_same_on_sqlite(
    both: tuple[Path, Path], command: list[str]
) -> None:
    as_json, as_sqlite = both
    expected = run(*command, "--store", str(as_json))
    got = run(*command, "--store", str(as_sqlite))
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert got[2].replace(str(as_sqlite), "STORE") == expected[2].replace(str(as_json), "STORE")


def test_search_on_sqlite_finds_the_same_hits_in_its_own_order(both: tuple[Path, Path]) -> None:
    found = []
    for store in both:
        code, out, _ = run("search", "china", "--format", "ndjson", "--store", str(store))
        assert code == 0
        found.append(sorted(json.loads(line)["id"] for line in out.splitlines()))
    assert found[0] == found[1] and found[0]


def test_bilat_store_env_with_a_db_suffix(
    tmp_path: Path, sample_events: list[Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "corpus.db"
    open_store(path).save(store_data(sample_events))
    monkeypatch.setenv("BILAT_STORE", str(path))
    code, out, _ = run("timeline", "cuba", "--json")
    assert code == 0 and len(json.loads(out)) == 3


def test_extract_into_sqlite_then_reextract(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("In 2014, Russia and China signed a 30-year gas deal.\n", encoding="utf-8")
    store = tmp_path / "corpus.sqlite"
    for _ in range(2):
        code, _, err = run("extract", str(doc), "--store", str(store))
        assert code == 0, err
    assert run("validate", "--store", str(store))[2] == "valid: 1 event, 1 document\n"
    code, out, _ = run("search", "gas", "--json", "--store", str(store))
    assert [event["title"] for event in json.loads(out)] == [
        "Russia and China signed a 30-year gas deal"
    ]


def test_extract_says_once_that_a_big_json_store_would_be_faster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bilat.cli.build, "BIG_JSON_STORE", 0)
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(
            "In 2014, Russia and China signed a gas deal.\n", encoding="utf-8"
        )
    store = tmp_path / "events.json"
    code, _, err = run(
        "extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--store", str(store)
    )
    assert code == 0
    assert err.count("a SQLite store is faster") == 1
    assert f"bilat store copy {store} {store.with_suffix('.sqlite')}" in err.replace("\n", " ")
    code, _, err = run("extract", str(tmp_path / "a.txt"), "--store", str(tmp_path / "x.sqlite"))
    assert code == 0 and "faster" not in err


@pytest.mark.skipif(not SHIPPED.is_file(), reason="no shipped store")
def test_copy_json_to_sqlite_to_json_is_byte_identical(tmp_path: Path) -> None:
    database, back = tmp_path / "corpus.sqlite", tmp_path / "back.json"
    code, _, err = run("store", "copy", str(SHIPPED), str(database))
    assert code == 0 and err.startswith(f"{open_store(SHIPPED).count()} events: ")
    assert run("store", "copy", str(database), str(back))[0] == 0
    assert back.read_bytes() == SHIPPED.read_bytes()


def test_copy_errors_exit_1_and_name_the_store(tmp_path: Path) -> None:
    code, out, err = run("store", "copy", str(tmp_path / "none.json"), str(tmp_path / "x.sqlite"))
    assert (code, out) == (1, "")
    assert "no event store at" in err and not (tmp_path / "x.sqlite").exists()


def test_a_sqlite_store_that_is_not_one_fails_every_query(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    for command in (["timeline"], ["search", "gas"], ["pairs"], ["stats"], ["validate"]):
        code, out, err = run(*command, "--store", str(path))
        assert (code, out) == (1, ""), command
        assert err.startswith(f"error: event store {path} is not a valid SQLite database")
