"""The command line: every command and format, stdout vs stderr, and every exit code."""

from __future__ import annotations

import csv
import gc
import importlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

import bilat
from bilat.cli import app
from bilat.cli.main import COMMAND_MODULES
from bilat.models import EVENT_TYPES, Event
from bilat.store.json_store import EventStore
from tests.conftest import build_event, store_data

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GAS_DEAL = "In 2014, Russia and China signed a 30-year gas deal worth $400 billion.\n"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def json_out(*args: str) -> object:
    code, out, err = run(*args)
    assert (code, err) == (0, ""), err
    return json.loads(out)


# -- the application -----------------------------------------------------------------------


def test_version() -> None:
    assert run("--version") == (0, f"bilat {bilat.__version__}\n", "")


def test_no_arguments_shows_help_as_a_usage_error() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert "Usage" in result.output and "timeline" in result.output


def test_help_lists_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("extract", "dates", "evaluate", "timeline", "search", "show", "pairs"):
        assert command in out
    for command in ("countries", "stats", "validate", "schema"):
        assert command in out


def test_the_lazy_command_list_is_what_the_modules_register() -> None:
    """COMMAND_MODULES names each module's commands, in the order help lists them."""
    registered: dict[str, str] = {}
    for module_name in dict.fromkeys(COMMAND_MODULES.values()):
        group = typer.Typer()
        importlib.import_module(f"bilat.cli.{module_name}").register(group)
        registered.update(dict.fromkeys(typer.main.get_group(group).commands, module_name))
    assert list(registered.items()) == list(COMMAND_MODULES.items())


def test_a_query_command_does_not_load_the_other_command_modules(saved_store: Path) -> None:
    script = (
        "import sys; from bilat.cli import app\n"
        "try: app(['timeline', 'china', '--json'], prog_name='bilat')\n"
        "except SystemExit: pass\n"
        "print(sorted(name for name in sys.modules if name.startswith('bilat.cli.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = result.stdout.splitlines()[-1]
    assert loaded == "['bilat.cli.common', 'bilat.cli.main', 'bilat.cli.query']"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("treatie", "did you mean treaty?"), ("sanction", "did you mean sanctions?")],
)
def test_an_unknown_type_suggests_the_nearest(typed: str, suggested: str) -> None:
    code, out, err = run("timeline", "--type", typed)
    assert (code, out) == (2, "")
    flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", err).split())
    assert f"unknown type '{typed}'; {suggested}" in flat
    assert "Value error" not in err


def test_every_event_type_is_accepted(saved_store: Path) -> None:
    for name in EVENT_TYPES:
        assert run("timeline", "--type", name.upper())[0] == 0


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bilat", "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, f"bilat {bilat.__version__}\n")


@pytest.mark.parametrize(
    "args",
    [
        ["timeline", "--limit", "-1"],
        ["timeline", "--type", "party"],
        ["timeline", "--format", "xml"],
        ["timeline", "--json", "--format", "csv"],
        ["search"],
        ["show"],
        ["nonsense"],
        ["evaluate", "seeds"],
        ["dates", "x.txt", "--format", "markdown"],
    ],
)
def test_usage_errors_exit_2(args: list[str], saved_store: Path) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err


# -- timeline ------------------------------------------------------------------------------


def test_timeline_table_goes_to_stdout(saved_store: Path, sample_events: list[Event]) -> None:
    code, out, err = run("timeline")
    assert (code, err) == (0, "")
    for event in sample_events:
        assert event.id[:8] in out


def test_timeline_json_is_every_event_oldest_first(
    saved_store: Path, sample_events: list[Event]
) -> None:
    records = json_out("timeline", "--json")
    expected = sorted(sample_events, key=Event.sort_key)
    assert records == [event.model_dump(mode="json") for event in expected]


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("json", json.loads),
        ("ndjson", lambda text: [json.loads(line) for line in text.splitlines()]),
        ("csv", lambda text: list(csv.DictReader(io.StringIO(text)))),
    ],
)
def test_timeline_machine_formats(saved_store: Path, fmt: str, parse: object) -> None:
    code, out, err = run("timeline", "china", "russia", "--format", fmt)
    assert (code, err) == (0, "")
    rows = parse(out)  # type: ignore[operator]
    assert len(rows) == 5


def test_timeline_markdown(saved_store: Path) -> None:
    code, out, err = run("timeline", "cuba", "-f", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith("## 1990s\n\n- **1990s** – Cuba and the Soviet Union")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("china", "CHN"),
        ("CHINA", "CHN"),
        ("Chinese", "CHN"),
        ("Beijing", "CHN"),
        ("PRC", "CHN"),
        ("rus", "RUS"),
        ("Russian", "RUS"),
        ("Moscow", "RUS"),
        ("Cuba", "CUB"),
        ("Cuban", "CUB"),
        ("Havana", "CUB"),
        ("Kazakhstan", "KAZ"),
    ],
)
def test_country_names_resolve(saved_store: Path, name: str, code: str) -> None:
    records = json_out("timeline", name, "--json")
    assert isinstance(records, list) and records
    assert all(code in record["countries"] for record in records)


def test_all_countries_must_take_part(saved_store: Path) -> None:
    records = json_out("timeline", "china", "russia", "kazakhstan", "--json")
    assert [record["title"] for record in records] == ["SCO members held a joint exercise"]


@pytest.mark.parametrize(
    ("args", "titles"),
    [
        (["--from", "2006", "--to", "2008"], 3),
        (["--from", "2014-06", "--to", "2014-06-30"], 1),
        (["--type", "trade", "-t", "visit"], 4),
        (["--actor", "putin"], 2),
        (["--doc", "b.txt"], 3),
        (["--limit", "2"], 2),
        (["--limit", "0"], 0),
    ],
)
def test_timeline_filters(saved_store: Path, args: list[str], titles: int) -> None:
    records = json_out("timeline", *args, "--json")
    assert isinstance(records, list) and len(records) == titles


def test_timeline_reverse(saved_store: Path) -> None:
    records = json_out("timeline", "-r", "-n", "1", "--json")
    assert isinstance(records, list)
    assert records[0]["title"] == "Xi Jinping visited Moscow for talks with Putin"


def test_empty_result_is_an_empty_list_and_success(saved_store: Path) -> None:
    assert run("timeline", "cuba", "kazakhstan", "--json") == (0, "[]\n", "")
    assert run("timeline", "cuba", "kazakhstan", "--format", "ndjson") == (0, "", "")


def test_empty_table_says_so_on_stderr(saved_store: Path) -> None:
    code, out, err = run("timeline", "cuba", "kazakhstan")
    assert (code, out) == (0, "")
    assert "no events match" in err


def test_unknown_country_exits_1_with_suggestions(saved_store: Path) -> None:
    code, out, err = run("timeline", "Chinna", "--json")
    assert (code, out) == (1, "")
    assert "unknown country: 'Chinna'" in err
    assert "did you mean China" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2001-13"], "invalid date '2001-13'"),
        (["--to", "yesterday"], "YYYY, YYYY-MM or YYYY-MM-DD"),
        (["--from", "2010", "--to", "2001"], "--from 2010 is after --to 2001"),
    ],
)
def test_bad_dates_exit_1(saved_store: Path, args: list[str], message: str) -> None:
    code, out, err = run("timeline", *args, "--json")
    assert (code, out) == (1, "")
    assert message in err
    assert "Traceback" not in err


def test_missing_store_exits_1_with_a_hint(isolated_store: Path) -> None:
    code, out, err = run("timeline", "--json")
    assert (code, out) == (1, "")
    assert f"no event store at {isolated_store}" in err
    assert f"create it with `bilat extract DOCUMENT... --store {isolated_store}`" in err


def test_missing_store_passed_with_store_names_that_path(tmp_path: Path) -> None:
    wanted = tmp_path / "elsewhere" / "mine.json"
    code, _, err = run("timeline", "--store", str(wanted))
    assert code == 1 and f"no event store at {wanted}" in err
    assert f"--store {wanted}" in err and "seeds/" not in err


def test_store_option_beats_the_environment(tmp_path: Path, sample_events: list[Event]) -> None:
    other = tmp_path / "other.json"
    EventStore(other).save(store_data(sample_events[:1]))
    records = json_out("timeline", "--store", str(other), "--json")
    assert isinstance(records, list) and len(records) == 1


def test_bad_store_exits_1(isolated_store: Path) -> None:
    isolated_store.parent.mkdir(parents=True)
    isolated_store.write_text('{"events": [', encoding="utf-8")
    code, out, err = run("timeline", "--json")
    assert (code, out) == (1, "")
    assert "is not valid JSON" in err and "line 1" in err


def test_interrupt_exits_130(saved_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: EventStore) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(EventStore, "load", interrupted)
    code, out, err = run("timeline", "--json")
    assert (code, out) == (130, "")
    assert "interrupted" in err


def test_document_text_cannot_inject_markup_or_escapes(isolated_store: Path) -> None:
    hostile = build_event(
        "[bold]x[/bold] [link=https://evil]y[/link]", sentence="\x1b[31mred\x1b]8;;http://e\x1b\\"
    )
    EventStore(isolated_store).save(store_data([hostile]))
    for args in (["timeline"], ["search", "bold"], ["show", hostile.id[:6]]):
        code, out, _ = run(*args)
        assert code == 0
        assert "[bold]x[/bold] [link=https://evil]y[/link]" in " ".join(out.split())
        assert "\x1b" not in out


# -- search --------------------------------------------------------------------------------


def test_search_ranks_and_filters(saved_store: Path) -> None:
    records = json_out("search", "pipeline", "--json")
    assert isinstance(records, list)
    assert [record["title"][:4] for record in records] == ["CNPC", "Russ"]
    assert json_out("search", "pipeline", "--from", "2010", "--json") == records[1:]
    assert json_out("search", "pipeline", "-c", "cuba", "--json") == []


def test_search_joins_words_and_phrases(saved_store: Path) -> None:
    assert len(json_out("search", "gas", "deal", "--json")) == 1  # type: ignore[arg-type]
    assert len(json_out("search", '"signed a 30-year gas"', "--json")) == 1  # type: ignore[arg-type]
    assert json_out("search", '"gas signed"', "--json") == []


def test_search_table(saved_store: Path) -> None:
    code, out, err = run("search", "siberia")
    assert (code, err) == (0, "")
    assert "Power of Siberia pipeline" in " ".join(out.split())


def test_empty_query_exits_1(saved_store: Path) -> None:
    code, out, err = run("search", '""')
    assert (code, out) == (1, "")
    assert "nothing to search for" in err


# -- show, pairs, countries, stats ---------------------------------------------------------


def test_show_by_prefix(saved_store: Path, sample_events: list[Event]) -> None:
    event = sample_events[2]
    code, out, err = run("show", event.id[:10])
    assert (code, err) == (0, "")
    assert "China (CHN), Russia (RUS)" in out
    assert json_out("show", event.id, "--json") == event.model_dump(mode="json")


def test_show_unknown_id_exits_1(saved_store: Path) -> None:
    code, out, err = run("show", "zzzz")
    assert (code, out) == (1, "")
    assert "no event with id 'zzzz'" in err


def test_show_ambiguous_prefix_exits_1(isolated_store: Path) -> None:
    events = [build_event(f"event {n}", offset=n) for n in range(40)]
    EventStore(isolated_store).save(store_data(events))
    code, _, err = run("show", events[0].id[0])
    assert code == 1
    assert "matches" in err and "give more characters" in err


def test_pairs(saved_store: Path) -> None:
    records = json_out("pairs", "--json")
    assert isinstance(records, list)
    assert records[0]["countries"] == ["CHN", "RUS"] and records[0]["events"] == 5
    cuban = json_out("pairs", "cuba", "--json")
    assert isinstance(cuban, list)
    assert sorted(tuple(r["countries"]) for r in cuban) == [("CHN", "CUB"), ("CUB", "RUS")]
    code, out, _ = run("pairs", "-n", "1")
    assert code == 0 and "China – Russia (CHN RUS)" in out
    code, out, _ = run("pairs", "-f", "csv")
    assert code == 0 and out.startswith("country_a,country_b,events")


def test_countries(isolated_store: Path) -> None:
    records = json_out("countries", "--json")
    assert isinstance(records, list)
    china = next(record for record in records if record["code"] == "CHN")
    assert china["name"] == "China"
    code, out, _ = run("countries")
    assert code == 0 and "CHN" in out and "Cuba" in out


def test_stats(saved_store: Path) -> None:
    record = json_out("stats", "--json")
    assert isinstance(record, dict)
    assert record["events"] == 8 and record["by_type"]["military"] == 2
    cuba = json_out("stats", "cuba", "--json")
    assert isinstance(cuba, dict) and cuba["events"] == 3
    code, out, _ = run("stats")
    assert code == 0 and "8 events from 2 documents" in out
    # Sections are headed and separated by a blank line.
    for group in ("type", "decade", "precision", "country"):
        assert f"\n\nEvents by {group}\n" in out


# -- validate and schema -------------------------------------------------------------------


def test_validate_ok(saved_store: Path) -> None:
    assert run("validate") == (0, "", "valid: 8 events, 2 documents\n")


def test_validate_reports_invalid_records(saved_store: Path) -> None:
    document = json.loads(saved_store.read_text(encoding="utf-8"))
    document["events"][1]["confidence"] = 7
    saved_store.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run("validate")
    assert (code, out) == (1, "")
    assert f"events[1] (id {document['events'][1]['id']}): confidence:" in err


def test_validate_reports_inconsistencies(isolated_store: Path, sample_events: list[Event]) -> None:
    data = store_data(sample_events)
    EventStore(isolated_store).save(data.model_copy(update={"documents": data.documents[:1]}))
    code, _, err = run("validate")
    assert code == 1
    assert "inconsistent" in err and "not in documents" in err


def test_validate_missing_store(isolated_store: Path) -> None:
    code, _, err = run("validate")
    assert code == 1 and "no event store" in err


@pytest.mark.parametrize(("args", "key"), [([], "source"), (["--store-file"], "schema_version")])
def test_schema(args: list[str], key: str) -> None:
    schema = json_out("schema", *args)
    assert isinstance(schema, dict)
    assert key in schema["properties"]


# -- extract, dates, evaluate --------------------------------------------------------------


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "deal.txt").write_text(GAS_DEAL, encoding="utf-8")
    return folder


def test_extract_writes_the_store_and_reports_on_stderr(docs: Path, isolated_store: Path) -> None:
    code, out, err = run("extract", str(docs))
    assert (code, out) == (0, "")
    assert f"1 document, 1 event -> {isolated_store}" in err
    events = EventStore(isolated_store).load().events
    assert [event.countries for event in events] == [["CHN", "RUS"]]


def test_reextracting_does_not_duplicate(docs: Path, isolated_store: Path) -> None:
    (docs / "other.txt").write_text(
        "In March 2006, Cuba and China signed a trade agreement.\n", encoding="utf-8"
    )
    assert run("extract", str(docs))[0] == 0
    first = EventStore(isolated_store).load()
    assert run("extract", str(docs / "deal.txt"))[0] == 0
    assert EventStore(isolated_store).load() == first


def test_extract_warns_about_skipped_files(docs: Path) -> None:
    (docs / "empty.txt").write_text("", encoding="utf-8")
    code, out, err = run("extract", str(docs))
    assert (code, out) == (0, "")
    assert "empty document; skipped" in err and "empty.txt" in err


def test_extract_with_nothing_readable_exits_1(tmp_path: Path, isolated_store: Path) -> None:
    code, out, err = run("extract", str(tmp_path / "missing.txt"))
    assert (code, out) == (1, "")
    assert "no document could be read" in err
    assert not isolated_store.exists()


def test_extract_quiet_and_verbose(docs: Path, isolated_store: Path) -> None:
    code, out, err = run("extract", str(docs), "-q")
    assert (code, out, err) == (0, "", "")
    code, out, err = run("extract", str(docs), "--verbose", "--force")
    assert (code, out) == (0, "")
    assert f"{docs / 'deal.txt'}: 1 event" in err and "1 document, 1 event" in err


def test_extract_says_when_relative_dates_need_a_publication_date(
    docs: Path, isolated_store: Path
) -> None:
    (docs / "news.txt").write_text(
        "China and Russia signed a gas accord last Tuesday. This month, Cuba and China met.\n",
        encoding="utf-8",
    )
    code, _, err = run("extract", str(docs / "news.txt"))
    assert code == 0 and "0 events" in err
    assert "2 relative dates ('last Tuesday', 'This month') left undated" in err
    assert "pass --published YYYY-MM-DD" in err
    code, _, err = run("extract", str(docs / "news.txt"), "--published", "2024-05-10")
    assert code == 0 and "left undated" not in err


def test_extract_bad_published_date_exits_1(docs: Path) -> None:
    code, _, err = run("extract", str(docs), "--published", "2023-02-30")
    assert code == 1 and "invalid date '2023-02-30'" in err


def test_dates_ndjson(docs: Path) -> None:
    code, out, err = run("dates", str(docs / "deal.txt"), "--format", "ndjson")
    assert (code, err) == (0, "")
    first = json.loads(out.splitlines()[0])
    assert first["text"] == "2014"
    assert first["span"] == [3, 7]
    assert first["value"] == "2014"
    assert first["date"]["start"] == "2014-01-01" and first["date"]["precision"] == "year"


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_dates_formats(docs: Path, fmt: str) -> None:
    code, out, err = run("dates", str(docs / "deal.txt"), "-f", fmt)
    assert (code, err) == (0, "")
    assert "2014" in out


def test_dates_resolves_against_the_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("Last week, China and Russia held talks.\n", encoding="utf-8")
    records = json_out("dates", str(path), "--published", "2023-03-21", "--json")
    assert isinstance(records, list) and records[0]["date"]["start"].startswith("2023-03")


def test_dates_of_a_file_without_any_prints_the_header_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "none.txt"
    path.write_text("Nothing dated here.\n", encoding="utf-8")
    code, out, err = run("dates", str(path))
    assert (code, out.split()) == (0, ["span", "text", "kind", "value", "date"])
    assert "no time expressions match" in err


def test_dates_missing_file_exits_1(tmp_path: Path) -> None:
    code, out, err = run("dates", str(tmp_path / "nope.txt"))
    assert (code, out) == (1, "")
    assert "no such file" in err


def test_evaluate_json() -> None:
    # Only the gold of the documents given is scored: 002's gold events are all undated.
    seed = ROOT / "seeds" / "000_c3137619f96279e3.txt"
    record = json_out("evaluate", "--gold", str(ROOT / "gold"), str(seed), "--json")
    assert isinstance(record, dict)
    summary = record["summary"]
    assert set(summary["detection"]) == {"precision", "recall", "f1"}
    assert summary["gold_events"] >= 1
    assert len(record["errors"]) <= 10


def test_evaluate_table() -> None:
    seed = ROOT / "seeds" / "002_615cb15adf5f0919.txt"
    code, out, err = run("evaluate", "--gold", str(ROOT / "gold"), str(seed), "--show-errors", "0")
    assert (code, err) == (0, "")
    assert "detection" in out and "pair timeline" in out and "errors:" not in out


def test_evaluate_missing_gold_exits_1(tmp_path: Path) -> None:
    code, _, err = run("evaluate", "--gold", str(tmp_path / "nope"), str(ROOT / "seeds"))
    assert code == 1 and "gold directory not found" in err


def test_search_table_shows_the_best_matches_first(isolated_store: Path) -> None:
    events = [build_event(f"gas talks {n}", offset=n) for n in range(25)]
    EventStore(isolated_store).save(store_data(events))
    code, out, err = run("search", "gas")
    assert code == 0
    assert "best 20 of 25 matches shown; use --limit for more" in err
    assert out.count("a.txt:") == 20
    assert len(json_out("search", "gas", "--json")) == 25  # type: ignore[arg-type]
    assert run("search", "gas", "--limit", "25")[1].count("a.txt:") == 25


def test_commands_leave_the_garbage_collector_on(saved_store: Path) -> None:
    assert run("timeline", "--json")[0] == 0
    assert gc.isenabled()


def test_reader_closing_the_pipe_early_is_not_an_error(tmp_path: Path) -> None:
    """`bilat timeline --format ndjson | head -1`: exit 0 and no traceback."""
    store = tmp_path / "events.json"
    events = [build_event(f"Event number {i}", offset=i * 100) for i in range(3000)]
    EventStore(store).save(store_data(events))
    command = [sys.executable, "-m", "bilat", "timeline", "--store", str(store), "-f", "ndjson"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0
    assert "Traceback" not in stderr


# -- pager ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "no_pager", "terminal", "command"),
    [
        ({}, False, True, ["less", "-FRX"]),
        ({"PAGER": "more"}, False, True, ["more"]),
        ({"PAGER": "more", "BILAT_PAGER": "most -s"}, False, True, ["most", "-s"]),
        ({"BILAT_PAGER": ""}, False, True, None),
        ({"PAGER": "cat"}, False, True, None),
        ({}, True, True, None),
        ({}, False, False, None),
    ],
)
def test_pager_choice(
    env: dict[str, str], no_pager: bool, terminal: bool, command: list[str] | None
) -> None:
    from bilat.cli.common import pager_command

    assert pager_command(env, no_pager=no_pager, terminal=terminal) == command


def test_piped_timeline_is_never_paged_and_has_no_padding(saved_store: Path) -> None:
    code, out, _ = run("timeline", "--full", env={"BILAT_PAGER": "false"})
    assert code == 0
    assert out and all(line == line.rstrip() for line in out.splitlines())
    assert "In 2014, Russia and China signed" in out  # --full shows the sentence


def test_from_to_marks_overlapping_rows_and_within_drops_them(tmp_path: Path) -> None:
    decade = build_event(
        "Cuba and Russia drifted apart",
        start="1990-01-01",
        end="1999-12-31",
        precision="decade",
        countries=("CUB", "RUS"),
    )
    year = build_event(
        "Cuba and Russia signed a deal",
        start="1995-01-01",
        end="1995-12-31",
        precision="year",
        countries=("CUB", "RUS"),
        offset=1,
    )
    path = tmp_path / "events.json"
    EventStore(path).save(store_data([decade, year]))
    code, out, _ = run("timeline", "--from", "1995", "--to", "1996", "--store", str(path))
    assert code == 0
    rows = out.splitlines()
    assert any(decade.id[:8] in row and row.endswith("· overlaps the range") for row in rows)
    assert any(year.id[:8] in row and "overlaps" not in row for row in rows)
    within = run("timeline", "--from", "1995", "--to", "1996", "--within", "--store", str(path))
    assert decade.id[:8] not in within[1] and year.id[:8] in within[1]
