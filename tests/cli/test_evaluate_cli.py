"""``bilat evaluate``: per-document dates, breakdowns, confusion, error fields, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import json_out, run

WAR = "In 1998, Ghana and Togo fought a brief border war."
TALKS = "Yesterday, the foreign ministers of Ghana and Togo met in Lome."
SUMMIT = "In June 2011, the presidents of Bolivia and Paraguay held a summit in Asuncion."


def _event(sentence: str, start: str, end: str, countries: list[str], kind: str) -> dict[str, Any]:
    return {
        "sentence": sentence,
        "date": {"start": start, "end": end, "precision": "day", "mod": None},
        "countries": countries,
        "type": kind,
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two documents with gold files (one dated by its gold file) and an index of genres."""
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    (docs / "border.txt").write_text(f"{WAR}\n\n{TALKS}\n", encoding="utf-8")
    (docs / "summit.txt").write_text(f"{SUMMIT}\n", encoding="utf-8")
    border = {
        "doc": "border.txt",
        "published": "2023-09-10",
        "pair": ["GHA", "TGO"],
        "events": [
            # the gold says treaty where the text says war: a wrong type, deliberately
            _event(WAR, "1998-01-01", "1998-12-31", ["GHA", "TGO"], "treaty"),
            _event(TALKS, "2023-09-09", "2023-09-09", ["GHA", "TGO"], "visit"),
        ],
    }
    summit = {
        "doc": "summit.txt",
        "published": None,
        "pair": ["BOL", "PRY"],
        "events": [_event(SUMMIT, "2011-06-01", "2011-06-30", ["BOL", "PRY"], "visit")],
    }
    for name, record in (("border", border), ("summit", summit)):
        (gold / f"{name}.gold.json").write_text(json.dumps(record), encoding="utf-8")
    index = [
        {"file": "border.txt", "genre": "news", "published": "2023-09-10"},
        {"file": "summit.txt", "genre": "encyclopedia", "published": None},
    ]
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    return tmp_path


def evaluate(corpus: Path, *args: str) -> tuple[int, str, str]:
    return run("evaluate", str(corpus / "docs"), "--gold", str(corpus / "gold"), *args)


def test_json_has_the_breakdowns_the_matrix_and_the_error_fields(corpus: Path) -> None:
    record = json_out("evaluate", str(corpus / "docs"), "--gold", str(corpus / "gold"), "--json")
    assert isinstance(record, dict)
    assert list(record) == [
        "summary",
        "by_doc",
        "by_genre",
        "confusion",
        "unscored",
        "skipped",
        "errors_total",
        "errors",
    ]
    by_doc = {entry["doc"]: entry for entry in record["by_doc"]}
    assert by_doc["border.txt"]["published"] == "2023-09-10"
    assert by_doc["border.txt"]["genre"] == "news"
    assert by_doc["border.txt"]["gold_events"] == 2
    assert by_doc["summit.txt"]["published"] is None
    assert [(g["genre"], g["documents"]) for g in record["by_genre"]] == [
        ("encyclopedia", 1),
        ("news", 1),
    ]
    assert record["summary"]["gold_events"] == 3
    confusion = record["confusion"]
    treaty = confusion["labels"].index("treaty")
    assert sum(confusion["counts"][treaty]) == 1
    assert confusion["counts"][treaty][treaty] == 0
    wrong = [error for error in record["errors"] if error["kind"] == "wrong"]
    assert [error["fields"] for error in wrong] == [["type"]]
    assert wrong[0]["gold"]["sentence"] == WAR


def test_the_published_option_dates_every_document(corpus: Path) -> None:
    record = json_out(
        "evaluate",
        str(corpus / "docs"),
        "--gold",
        str(corpus / "gold"),
        "--published",
        "2020-01-01",
        "--json",
    )
    assert isinstance(record, dict)
    assert {entry["published"] for entry in record["by_doc"]} == {"2020-01-01"}


def test_by_genre_table(corpus: Path) -> None:
    code, out, err = evaluate(corpus, "--by", "genre", "--show-errors", "0")
    assert (code, err) == (0, "")
    assert "by genre" in out
    rows = [line.split() for line in out.splitlines()]
    assert rows[_row(rows, "encyclopedia")][:5] == ["encyclopedia", "1", "1", "1", "1"]
    assert rows[_row(rows, "news")][:3] == ["news", "1", "2"]
    assert rows[_row(rows, "all")][:3] == ["all", "2", "3"]


def test_by_doc_table(corpus: Path) -> None:
    code, out, err = evaluate(corpus, "--by", "doc", "--show-errors", "0")
    assert (code, err) == (0, "")
    rows = [line.split() for line in out.splitlines()]
    assert rows[_row(rows, "border.txt")][:3] == ["border.txt", "news", "2"]
    assert rows[_row(rows, "summit.txt")][:2] == ["summit.txt", "encyclopedia"]


def _row(rows: list[list[str]], first: str) -> int:
    return next(number for number, row in enumerate(rows) if row and row[0] == first)


def test_confusion_table(corpus: Path) -> None:
    code, out, err = evaluate(corpus, "--confusion", "--show-errors", "0")
    assert (code, err) == (0, "")
    assert "type confusion over 3 matched events" in out
    rows = [line.split() for line in out.splitlines()]
    assert rows[_row(rows, "treaty")][-1] == "0/1"
    assert rows[_row(rows, "visit")][-1] == "2/2"
    assert "by genre" not in out and "by doc" not in out


def test_wrong_errors_say_which_field_differs(corpus: Path) -> None:
    code, out, _ = evaluate(corpus, "--show-errors", "5")
    assert code == 0
    assert "differs: type" in out


def test_documents_without_gold_are_warned_about_on_stderr(corpus: Path) -> None:
    (corpus / "docs" / "stray.txt").write_text("In 1990, Chad and Niger met.\n", encoding="utf-8")
    code, out, err = evaluate(corpus, "--json")
    assert code == 0
    assert "no gold file for 1 document, not scored" in err and "stray.txt" in err
    assert json.loads(out)["unscored"] == [(corpus / "docs" / "stray.txt").as_posix()]


def test_only_the_gold_of_the_documents_given_is_scored(corpus: Path) -> None:
    code, out, err = run(
        "evaluate", str(corpus / "docs" / "summit.txt"), "--gold", str(corpus / "gold"), "--json"
    )
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert [entry["doc"] for entry in record["by_doc"]] == ["summit.txt"]
    assert record["summary"]["gold_events"] == 1


def test_an_empty_gold_dir_exits_1(corpus: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("evaluate", str(corpus / "docs"), "--gold", str(empty))
    assert (code, out) == (1, "")
    assert "no *.gold.json files in" in err


def test_a_malformed_gold_file_exits_1_naming_it(corpus: Path) -> None:
    bad = corpus / "gold" / "summit.gold.json"
    bad.write_text(json.dumps({"doc": "summit.txt", "published": None}), encoding="utf-8")
    code, out, err = evaluate(corpus)
    assert (code, out) == (1, "")
    assert "summit.gold.json" in err and "events: Field required" in err


def test_a_malformed_index_exits_1_naming_it(corpus: Path) -> None:
    (corpus / "index.json").write_text('[{"file": "border.txt"}]', encoding="utf-8")
    code, out, err = evaluate(corpus, "--json")
    assert (code, out) == (1, "")
    assert "index.json: entry 0: genre: Field required" in err


def test_no_document_with_gold_exits_1(corpus: Path) -> None:
    stray = corpus / "stray.txt"
    stray.write_text("In 1990, Chad and Niger met.\n", encoding="utf-8")
    code, out, err = run("evaluate", str(stray), "--gold", str(corpus / "gold"))
    assert (code, out) == (1, "")
    assert "has no gold file" in err


@pytest.mark.parametrize("args", [["--by", "country"], ["--show-errors", "-1"]])
def test_bad_options_exit_2(corpus: Path, args: list[str]) -> None:
    code, out, err = evaluate(corpus, *args)
    assert (code, out) == (2, "")
    assert err
