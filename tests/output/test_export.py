"""Exports: each format's structure, escaping of hostile document text, and the CLI command."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bilat.cli.export import export_stamp, register
from bilat.cli.main import BilatGroup
from bilat.errors import BilatError
from bilat.models import Event
from bilat.output.export import (
    ExportFormat,
    export_events,
    fold_line,
    html_payload,
    ics_text,
    relations_title,
    script_json,
    summary_line,
    to_csv,
    to_html,
    to_ics,
    to_markdown,
    to_timelinejs,
    write_atomic,
)
from bilat.store.json_store import EventStore
from tests.conftest import build_event

STAMP = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
TITLE = "Timeline of China–Russia relations"
HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script>",
    "<!-- & &amp; \u2028 \u2029 -->",
)


def hostile_events() -> list[Event]:
    """Events whose title and sentence carry markup that must never become markup."""
    return [
        build_event(
            f"Hostile {index} {payload}",
            start=f"200{index}-03-0{index + 1}",
            sentence=f"In 200{index}, China and Russia {payload}, signed; a \\ deal.\nEnd.",
            actors=[(payload, "CHN", "person")],
            offset=index * 100,
        )
        for index, payload in enumerate(HOSTILE)
    ]


# -- HTML -----------------------------------------------------------------------------------------

_DATA_BLOCK = re.compile(
    r'<script type="application/json" id="bilat-data">(?P<data>.*?)</script>', re.DOTALL
)


def page_data(page: str) -> dict[str, object]:
    match = _DATA_BLOCK.search(page)
    assert match is not None
    loaded = json.loads(match["data"])
    assert isinstance(loaded, dict)
    return loaded


def test_html_holds_every_event_exactly_once(sample_events: list[Event]) -> None:
    page = to_html(sample_events, title=TITLE)
    events = page_data(page)["events"]
    assert isinstance(events, list)
    assert [item["id"] for item in events] == [event.id for event in sample_events]
    for event in sample_events:
        assert page.count(event.id) == 1


def test_html_escapes_every_piece_of_document_text() -> None:
    events = hostile_events()
    page = to_html(events, title='<em>"Title"</em> & co')
    # The page's own two script blocks are the only ones; no document text became a tag.
    assert page.count("<script") == 2
    assert page.count("</script>") == 2
    assert "<img" not in page
    assert "<!--" not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "<em>" not in page and "&lt;em&gt;&quot;Title&quot;&lt;/em&gt; &amp; co" in page
    # ... and the data still round-trips exactly.
    loaded = page_data(page)["events"]
    assert isinstance(loaded, list)
    assert [item["title"] for item in loaded] == [event.title for event in events]
    assert [item["sentence"] for item in loaded] == [event.source.sentence for event in events]


@pytest.mark.parametrize("text", [*HOSTILE, "plain", "a\u2028b"])
def test_script_json_never_contains_raw_markup_characters(text: str) -> None:
    encoded = script_json({"text": text})
    assert not set("<>&\u2028\u2029") & set(encoded)
    assert json.loads(encoded) == {"text": text}


def test_html_content_security_policy_allows_only_its_own_code(
    sample_events: list[Event],
) -> None:
    page = to_html(sample_events, title=TITLE)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="(?P<csp>[^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy["csp"]
    for tag in ("script", "style"):
        body = re.search(rf"<{tag}>(?P<body>.*?)</{tag}>", page, re.DOTALL)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body["body"].encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["csp"]


def test_html_loads_nothing_from_the_network(sample_events: list[Event]) -> None:
    page = to_html(sample_events, title=TITLE)
    assert not re.search(r"\s(?:src|href)=", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_html_with_no_events_is_a_valid_empty_page() -> None:
    page = to_html([], title=TITLE)
    assert page_data(page)["events"] == []
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")


def test_html_legend_lists_every_type_with_its_count(sample_events: list[Event]) -> None:
    types = page_data(to_html(sample_events, title=TITLE))["types"]
    assert isinstance(types, list)
    counts = {item["name"]: item["count"] for item in types}
    assert counts["trade"] == 2 and counts["military"] == 2 and counts["aid"] == 0
    assert all(re.fullmatch(r"#[0-9a-f]{6}", item["colour"]) for item in types)


# -- TimelineJS -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected_start", "expected_end"),
    [
        ("2010-11-23", "2010-11-23", "day", {"year": 2010, "month": 11, "day": 23}, None),
        ("2023-03-20", "2023-03-22", "day", {"year": 2023, "month": 3, "day": 20},
         {"year": 2023, "month": 3, "day": 22}),
        ("2000-12-01", "2000-12-31", "month", {"year": 2000, "month": 12}, None),
        ("2022-06-01", "2022-12-31", "month", {"year": 2022, "month": 6},
         {"year": 2022, "month": 12}),
        ("2008-01-01", "2008-03-31", "quarter", {"year": 2008, "month": 1},
         {"year": 2008, "month": 3}),
        ("2001-01-01", "2001-12-31", "year", {"year": 2001}, None),
        ("2000-01-01", "2006-12-31", "year", {"year": 2000}, {"year": 2006}),
        ("1990-01-01", "1999-12-31", "decade", {"year": 1990}, {"year": 1999}),
        ("1501-01-01", "1600-12-31", "century", {"year": 1501}, {"year": 1600}),
    ],
)  # fmt: skip
def test_timelinejs_dates_keep_only_the_parts_the_precision_vouches_for(
    start: str,
    end: str,
    precision: str,
    expected_start: dict[str, int],
    expected_end: dict[str, int] | None,
) -> None:
    event = build_event(start=start, end=end, precision=precision)
    slide = to_timelinejs([event], title=TITLE)["events"][0]
    assert slide["start_date"] == expected_start
    assert slide.get("end_date") == expected_end


def test_timelinejs_structure(sample_events: list[Event]) -> None:
    text = export_events(sample_events, ExportFormat.timelinejs, title=TITLE, stamp=STAMP)
    document = json.loads(text)
    assert set(document) == {"title", "events"}
    assert document["title"]["text"]["headline"] == "Timeline of China–Russia relations"
    slides = document["events"]
    assert [slide["unique_id"] for slide in slides] == [event.id for event in sample_events]
    assert [slide["group"] for slide in slides] == [event.type for event in sample_events]
    for slide, event in zip(slides, sample_events, strict=True):
        assert slide["text"]["headline"] == event.title
        assert slide["autolink"] is False
        assert isinstance(slide["start_date"]["year"], int)


def test_timelinejs_html_escapes_its_text_fields() -> None:
    slides = to_timelinejs(hostile_events(), title="<i>t</i>")["events"]
    blob = json.dumps(slides)
    assert "<script" not in blob and "<img" not in blob
    assert slides[0]["text"]["headline"] == "Hostile 0 &lt;script&gt;alert(1)&lt;/script&gt;"


# -- iCalendar ------------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    """Logical content lines of an iCalendar text (RFC 5545 3.1)."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\(?P<c>[\\;,nN])", lambda m: "\n" if m["c"] in "nN" else m["c"], value)


def parse_ics(text: str) -> list[dict[str, str]]:
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    components: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            components.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return components


def test_ics_all_day_events_with_exclusive_end(sample_events: list[Event]) -> None:
    components = parse_ics(to_ics(sample_events, title=TITLE, stamp=STAMP))
    assert len(components) == len(sample_events)
    by_uid = {item["UID"]: item for item in components}
    treaty = by_uid[f"{sample_events[0].id}@bilat"]
    assert treaty["DTSTART;VALUE=DATE"] == "20010716"
    assert treaty["DTEND;VALUE=DATE"] == "20010717"
    assert treaty["DTSTAMP"] == "20240501T123000Z"
    year = by_uid[f"{sample_events[1].id}@bilat"]
    assert (year["DTSTART;VALUE=DATE"], year["DTEND;VALUE=DATE"]) == ("20060101", "20070101")
    assert unescape(treaty["SUMMARY"]) == sample_events[0].title


def test_ics_escapes_text_and_round_trips() -> None:
    events = hostile_events()
    components = parse_ics(to_ics(events, title=TITLE, stamp=STAMP))
    # Unicode's line breaks (U+0085, U+2028, U+2029) are written as the ICS newline escape.
    breaks = str.maketrans(dict.fromkeys("\x85\u2028\u2029", "\n"))
    for component, event in zip(components, events, strict=True):
        assert unescape(component["SUMMARY"]) == event.title.translate(breaks)
        assert event.source.sentence.translate(breaks) in unescape(component["DESCRIPTION"])
        assert not re.search(r"(?<!\\)[;,]", component["SUMMARY"])


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),
        ("a\x07b", "a b"),
    ],
)
def test_ics_text_escaping(raw: str, escaped: str) -> None:
    assert ics_text(raw) == escaped


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")))
def test_fold_line_unfolds_to_the_original(value: str) -> None:
    line = f"DESCRIPTION:{value}"  # a content line always starts with its property name
    assert unfold(fold_line(line)) == [line]


def test_fold_line_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold_line(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == [line]


# -- Markdown and CSV -----------------------------------------------------------------------------


def test_markdown_is_a_timeline_grouped_by_year(sample_events: list[Event]) -> None:
    text = to_markdown(sorted(sample_events, key=Event.sort_key), title=TITLE)
    lines = text.splitlines()
    assert lines[0] == "# Timeline of China–Russia relations"
    headings = [line for line in lines if line.startswith("## ")]
    assert len(headings) == len(set(headings)) == 7  # 1990s, 2001, 2006, 2007, 2008, 2014, 2023
    assert headings == sorted(headings)
    assert sum(line.startswith("- **") for line in lines) == len(sample_events)


def test_markdown_escapes_markup() -> None:
    text = to_markdown(hostile_events(), title=TITLE)
    # CommonMark shows a backslash-escaped "<" as text: no tag can start unescaped.
    assert not re.search(r"(?<!\\)<", text)


def test_markdown_with_no_events() -> None:
    assert to_markdown([], title=TITLE) == f"# {TITLE}\n\nNo events.\n"


def test_csv_one_row_per_event_and_formulas_neutralised() -> None:
    events = [build_event("=HYPERLINK(1)"), build_event("@SUM(1)", offset=10)]
    rows = list(csv.DictReader(io.StringIO(to_csv(events))))
    assert [row["id"] for row in rows] == [event.id for event in events]
    assert [row["title"] for row in rows] == ["'=HYPERLINK(1)", "'@SUM(1)"]


def test_relations_title() -> None:
    assert relations_title(["China", "Russia"]) == TITLE
    assert relations_title(["Cuba", "Russia", "China"]) == "Timeline of Cuba–Russia–China relations"


# -- writing files --------------------------------------------------------------------------------


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_text("old")
    write_atomic(target, "BEGIN\r\nEND\r\n")
    assert target.read_bytes() == b"BEGIN\r\nEND\r\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.ics"]


def test_write_atomic_reports_an_unwritable_place(tmp_path: Path) -> None:
    with pytest.raises(BilatError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "out.html", "x")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"SOURCE_DATE_EPOCH": "0"}, datetime(1970, 1, 1, tzinfo=UTC))],
)
def test_export_stamp_honours_source_date_epoch(
    environ: dict[str, str], expected: datetime
) -> None:
    assert export_stamp(environ) == expected


def test_export_stamp_rejects_garbage() -> None:
    with pytest.raises(BilatError, match="SOURCE_DATE_EPOCH"):
        export_stamp({"SOURCE_DATE_EPOCH": "yesterday"})


# -- the command ----------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer(cls=BilatGroup)
    register(application)
    return application


def invoke(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"SOURCE_DATE_EPOCH": "1700000000"})
    return result.exit_code, result.stdout, result.stderr


def exported_ids(fmt: ExportFormat, text: str) -> list[str]:
    """The event ids an export holds, read back with that format's own parser."""
    if fmt is ExportFormat.html:
        events = page_data(text)["events"]
        assert isinstance(events, list)
        return [item["id"] for item in events]
    if fmt is ExportFormat.timelinejs:
        return [slide["unique_id"] for slide in json.loads(text)["events"]]
    if fmt is ExportFormat.ics:
        return [item["UID"].removesuffix("@bilat") for item in parse_ics(text)]
    assert fmt is ExportFormat.csv
    return [row["id"] for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_cli_export_to_file(
    app: typer.Typer, saved_store: Path, tmp_path: Path, fmt: ExportFormat
) -> None:
    target = tmp_path / f"out.{fmt.value}"
    code, out, err = invoke(app, "export", "china", "russia", "-f", fmt.value, "-o", str(target))
    assert code == 0, err
    assert out == ""
    assert str(target) in err
    text = target.read_bytes().decode("utf-8")
    wanted = [
        e for e in EventStore(saved_store).load().events if {"CHN", "RUS"} <= set(e.countries)
    ]
    if fmt is ExportFormat.markdown:
        bullets = [line for line in text.splitlines() if line.startswith("- **")]
        assert len(bullets) == len(wanted) == 5
    else:
        assert exported_ids(fmt, text) == [event.id for event in wanted]


def test_cli_export_html_to_stdout_applies_filters(app: typer.Typer, saved_store: Path) -> None:
    code, out, err = invoke(app, "export", "china", "russia", "--type", "trade", "--from", "2010")
    assert code == 0, err
    events = page_data(out)["events"]
    assert isinstance(events, list)
    assert [item["title"] for item in events] == ["Russia and China signed a 30-year gas deal"]


def test_cli_export_is_deterministic(app: typer.Typer, saved_store: Path) -> None:
    first = invoke(app, "export", "china", "russia", "-f", "ics")
    second = invoke(app, "export", "russia", "china", "-f", "ics")
    assert first[0] == 0 and first[1].replace("Russia–China", "China–Russia") == second[1].replace(
        "Russia–China", "China–Russia"
    )
    assert "DTSTAMP:20231114T221320Z" in first[1]


def test_cli_export_with_no_events_writes_an_empty_export(
    app: typer.Typer, saved_store: Path
) -> None:
    code, out, err = invoke(app, "export", "china", "russia", "--from", "2100", "-f", "timelinejs")
    assert code == 0
    assert json.loads(out)["events"] == []
    assert "no events match" in err


def test_cli_export_unknown_country_is_bad_input(app: typer.Typer, saved_store: Path) -> None:
    code, out, err = invoke(app, "export", "atlantis", "russia")
    assert (code, out) == (1, "")
    assert "unknown country" in err


@pytest.mark.parametrize(
    "args",
    [("export", "china", "-f", "pdf"), ("export",), ("export", "china", "--from", "x", "-f")],
)
def test_cli_export_usage_errors(
    app: typer.Typer, saved_store: Path, args: tuple[str, ...]
) -> None:
    assert invoke(app, *args)[0] == 2


def test_cli_export_adds_the_suffix_when_missing(
    app: typer.Typer, saved_store: Path, tmp_path: Path
) -> None:
    code, _, err = invoke(app, "export", "china", "russia", "-o", str(tmp_path / "timeline"))
    assert code == 0, err
    assert (tmp_path / "timeline.html").is_file()


def test_cli_export_missing_store_is_bad_input(app: typer.Typer) -> None:
    code, _, err = invoke(app, "export", "china", "russia")
    assert code == 1 and "no event store" in err


def test_cli_export_refuses_to_write_html_to_a_terminal(
    app: typer.Typer, saved_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bilat.cli.export.stdout_is_terminal", lambda: True)
    code, out, err = invoke(app, "export", "china", "cuba")
    assert (code, out) == (1, "")
    assert "refusing to write an HTML page to the terminal" in err and "-o" in err
    code, out, _ = invoke(app, "export", "china", "russia", "-f", "markdown")
    assert code == 0 and out.startswith("# Timeline of")  # text formats are fine


def test_summary_and_headings_name_centuries_and_decades() -> None:
    century = build_event(
        "Relations began", start="1501-01-01", end="1600-12-31", precision="century"
    )
    decade = build_event(
        "Trade grew", start="1990-01-01", end="1999-12-31", precision="decade", offset=1
    )
    late = build_event("A visit", start="2021-01-01", end="2100-12-31", precision="century")
    year = build_event("A treaty", start="2024-01-01", end="2024-12-31", precision="year", offset=2)
    events = [century, decade, year]
    assert summary_line(events).startswith("3 events, 16th century–2024,")
    assert "2100" not in summary_line([*events, late])
    payload = html_payload(events, title="T")
    assert [item["period"] for item in payload["events"]] == ["16th century", "1990s", "2024"]
