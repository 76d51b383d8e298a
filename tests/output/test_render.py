"""Renderers: exact machine formats, deterministic tables, dates at precision, hostile text."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.evaluate import PRF, EvaluationReport, ScoreError, score
from bilat.extract.timex import TimeExpression
from bilat.models import Event, EventDate
from bilat.output.render import (
    EVENT_COLUMNS,
    Format,
    csv_safe,
    date_label,
    markdown_safe,
    period_heading,
    terminal_safe,
    write_countries,
    write_evaluation,
    write_event_detail,
    write_events,
    write_hits,
    write_pairs,
    write_stats,
    write_time_expressions,
)
from bilat.query import pairs, search, stats
from tests.conftest import build_event

WIDTH = 100


def render(write: object, *args: object, **kwargs: object) -> str:
    out = io.StringIO()
    write(*args, out=out, **kwargs)  # type: ignore[operator]
    return out.getvalue()


def when(
    start: str, end: str | None = None, precision: str = "day", mod: str | None = None
) -> EventDate:
    return EventDate(
        start=date.fromisoformat(start),
        end=date.fromisoformat(end or start),
        precision=precision,  # type: ignore[arg-type]
        mod=mod,  # type: ignore[arg-type]
        text="x",
        value="x",
    )


# -- dates at their precision --------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (when("2006-01-01", "2006-12-31", "year"), "2006"),
        (when("2006-03-01", "2006-03-31", "month"), "Mar 2006"),
        (when("2010-11-23"), "23 Nov 2010"),
        (when("2006-01-01", "2006-12-31", "year", "MID"), "mid-2006"),
        (when("2006-01-01", "2006-12-31", "year", "START"), "early 2006"),
        (when("1990-01-01", "1999-12-31", "decade", "END"), "late 1990s"),
        (when("1990-01-01", "1999-12-31", "decade"), "1990s"),
        (when("1990-01-01", "2009-12-31", "decade"), "1990s–2000s"),
        (when("1501-01-01", "1600-12-31", "century"), "16th century"),
        (when("1500-01-01", "1599-12-31", "century"), "16th century"),
        (when("1801-01-01", "2000-12-31", "century"), "19th–20th century"),
        (when("2001-01-01", "2100-12-31", "century"), "21st century"),
        (when("2008-01-01", "2008-03-31", "quarter"), "Q1 2008"),
        (when("2008-01-01", "2008-06-30", "quarter"), "Q1–Q2 2008"),
        (when("2023-01-01", "2023-06-30", "half"), "H1 2023"),
        (when("2023-07-01", "2023-12-31", "half"), "H2 2023"),
        (when("2023-03-20", "2023-03-22"), "20–22 Mar 2023"),
        (when("2023-03-30", "2023-04-02"), "30 Mar – 2 Apr 2023"),
        (when("2022-12-30", "2023-01-02"), "30 Dec 2022 – 2 Jan 2023"),
        (when("2000-01-01", "2006-12-31", "year"), "2000–2006"),
        (when("2022-06-01", "2022-12-31", "month"), "Jun–Dec 2022"),
        (when("2021-11-01", "2022-02-28", "month"), "Nov 2021 – Feb 2022"),
        (when("2008-01-01", "2008-12-31", "year", "FALL"), "fall 2008"),
        (when("2008-09-01", "2008-11-30", "season", "FALL"), "fall 2008"),
        (when("2008-06-01", "2008-08-31", "season"), "summer 2008"),
        (when("2012-01-01", "2012-12-31", "year", "SINCE"), "since 2012"),
        (when("2004-01-01", "2004-12-31", "year", "AS_OF"), "as of 2004"),
        (when("2019-01-01", "2019-12-31", "year", "BY"), "by 2019"),
        (when("2019-01-01", "2019-12-31", "year", "APPROX"), "around 2019"),
        (when("2019-05-01", "2019-05-31", "month", "UNTIL"), "until May 2019"),
        (when("1945-01-01", "1945-12-31", "year", "AFTER"), "after 1945"),
        (when("1945-01-01", "1945-12-31", "year", "BEFORE"), "before 1945"),
    ],
)
def test_date_labels(interval: EventDate, label: str) -> None:
    assert date_label(interval) == label


@given(st.dates(), st.dates(), st.sampled_from(["day", "month", "quarter", "half", "year"]))
def test_every_interval_has_a_label(first: date, second: date, precision: str) -> None:
    start, end = sorted((first, second))
    assert date_label(when(start.isoformat(), end.isoformat(), precision))


@pytest.mark.parametrize(
    ("interval", "heading"),
    [
        (when("2006-03-01", "2006-03-31", "month"), "2006"),
        (when("1990-01-01", "1999-12-31", "decade", "END"), "1990s"),
        (when("1501-01-01", "1600-12-31", "century"), "16th century"),
    ],
)
def test_period_headings(interval: EventDate, heading: str) -> None:
    assert period_heading(interval) == heading


# -- machine formats -----------------------------------------------------------------------


def test_json_is_a_list_of_event_objects(sample_events: list[Event]) -> None:
    text = render(write_events, sample_events, Format.json)
    assert json.loads(text) == [event.model_dump(mode="json") for event in sample_events]
    assert text.endswith("\n]\n")


@pytest.mark.parametrize("fmt", [Format.json, Format.ndjson])
def test_parsed_output_validates_back_into_events(fmt: Format, sample_events: list[Event]) -> None:
    text = render(write_events, sample_events, fmt)
    records = json.loads(text) if fmt is Format.json else [json.loads(x) for x in text.splitlines()]
    assert [Event.model_validate(record) for record in records] == sample_events


@pytest.mark.parametrize(("fmt", "expected"), [(Format.json, "[]\n"), (Format.ndjson, "")])
def test_empty_machine_output(fmt: Format, expected: str) -> None:
    assert render(write_events, [], fmt) == expected


def test_ndjson_streams_one_event_per_line(sample_events: list[Event]) -> None:
    written: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            written.append(text)
            return len(text)

    count = write_events(iter(sample_events), Format.ndjson, Recorder())
    assert count == len(written) == len(sample_events)
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in written)


def test_csv_has_flat_columns(sample_events: list[Event]) -> None:
    text = render(write_events, sample_events, Format.csv)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == EVENT_COLUMNS
    deal = next(row for row in rows if "gas deal" in row["title"])
    assert deal["countries"] == "CHN;RUS"
    assert deal["amount_value"] == "400000000000.0"
    assert deal["amount_currency"] == "USD"
    assert deal["precision"] == "year"
    treaty = next(row for row in rows if "Treaty" in row["title"])
    assert treaty["actors"] == "Jiang Zemin; Vladimir Putin"
    assert treaty["mod"] == "" and treaty["date_start"] == "2001-07-16"


def test_empty_csv_is_just_the_header() -> None:
    assert render(write_events, [], Format.csv) == ",".join(EVENT_COLUMNS) + "\n"


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("China", "China"),
        ("", ""),
        (0.5, 0.5),
    ],
)
def test_csv_cells_cannot_be_formulas(value: object, safe: object) -> None:
    assert csv_safe(value) == safe


def test_csv_neutralises_formulas_from_documents() -> None:
    event = build_event('=HYPERLINK("http://evil","click")', sentence="@SUM(1)")
    rows = list(csv.DictReader(io.StringIO(render(write_events, [event], Format.csv))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil","click")'
    assert rows[0]["sentence"] == "'@SUM(1)"


def test_markdown_groups_by_year(sample_events: list[Event]) -> None:
    events = sorted(sample_events, key=Event.sort_key)[:3]
    assert render(write_events, events, Format.markdown) == (
        "## 1990s\n\n"
        "- **1990s** – Cuba and the Soviet Union drifted apart (CUB, RUS; diplomacy; b.txt:10)\n"
        "\n## 2001\n\n"
        "- **16 Jul 2001** – China and Russia signed the Treaty of Good-Neighbourliness"
        " (CHN, RUS; treaty; a.txt:100)\n"
        "- **Oct 2001** – Russia closed the Lourdes listening station in Cuba"
        " (CUB, RUS; military; b.txt:50)\n"
    )


def test_markdown_escapes_document_text() -> None:
    text = render(write_events, [build_event("[click](http://evil) <script>*x*")], Format.markdown)
    assert "\\[click\\](http://evil) \\<script\\>\\*x\\*" in text
    assert markdown_safe("a\nb|c") == "a b\\|c"


# -- tables --------------------------------------------------------------------------------


def test_timeline_table_is_exact_at_80_columns(sample_events: list[Event]) -> None:
    events = sorted(sample_events, key=Event.sort_key)[:3]
    text = render(write_events, events, Format.table, width=80)
    assert text.splitlines() == [
        "1990s " + "─" * 74,
        "1990s       diplomacy CUB RUS Cuba and the Soviet Union drifted apart",
        "            b.txt:10 · " + events[0].id[:8],
        "2001 " + "─" * 75,
        "16 Jul 2001 treaty CHN RUS China and Russia signed the Treaty of",
        "            Good-Neighbourliness",
        "            a.txt:100 · " + events[1].id[:8],
        "Oct 2001    military CUB RUS Russia closed the Lourdes listening station in Cuba",
        "            b.txt:50 · " + events[2].id[:8],
    ]


def test_timeline_table_is_exact_at_120_columns(sample_events: list[Event]) -> None:
    events = sorted(sample_events, key=Event.sort_key)[:3]
    text = render(write_events, events, Format.table, width=120)
    assert text.splitlines() == [
        "1990s " + "─" * 114,
        "1990s       diplomacy CUB RUS Cuba and the Soviet Union drifted apart",
        " " * 30 + "b.txt:10 · " + events[0].id[:8],
        "2001 " + "─" * 115,
        "16 Jul 2001 treaty    CHN RUS China and Russia signed the Treaty of Good-Neighbourliness",
        " " * 30 + "a.txt:100 · " + events[1].id[:8],
        "Oct 2001    military  CUB RUS Russia closed the Lourdes listening station in Cuba",
        " " * 30 + "b.txt:50 · " + events[2].id[:8],
    ]


def test_full_timeline_shows_the_sentence_under_the_title(sample_events: list[Event]) -> None:
    event = sorted(sample_events, key=Event.sort_key)[0]
    text = render(write_events, [event], Format.table, width=80, show_sentence=True)
    assert text.splitlines()[1:] == [
        "1990s diplomacy CUB RUS Cuba and the Soviet Union drifted apart",
        "      In the 1990s, Cuba and the Soviet Union drifted apart.",
        "      b.txt:10 · " + event.id[:8],
    ]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_piped_tables_have_no_trailing_spaces(sample_events: list[Event], width: int) -> None:
    text = render(write_events, sample_events, Format.table, width=width)
    assert text and all(line == line.rstrip() for line in text.splitlines())
    assert all(len(line) <= width for line in text.splitlines())


def test_table_shows_every_type_distinctly(sample_events: list[Event]) -> None:
    text = render(write_events, sample_events, Format.table, width=WIDTH)
    for event in sample_events:
        assert event.type in text
        assert event.id[:8] in text


def test_empty_table_prints_nothing() -> None:
    assert render(write_events, [], Format.table, width=WIDTH) == ""


HOSTILE = [
    "[bold]x[/bold]",
    "[link=https://evil]click[/link]",
    "\x1b[31mred",
    "\x1b]8;;https://evil\x1b\\link",
    "bell\x07 and \u202eoverride",
    ":smile: emoji",
]


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_document_text_is_never_markup_or_escape_codes(
    hostile: str, color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if color:
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.setenv("NO_COLOR", "1")
    event = build_event(f"Title {hostile}", sentence=f"Sentence {hostile}")
    outputs = [
        render(write_events, [event], Format.table, width=200),
        render(write_hits, search([event], "sentence"), Format.table, width=200),
        render(write_event_detail, event, Format.table, width=200),
        render(write_time_expressions, [_expression(f"in {hostile}", 0)], Format.table, width=200),
    ]
    for text in outputs:
        visible = re.sub(r"\x1b\[[0-9;]*m", "", text) if color else text
        assert terminal_safe(hostile) in visible
        assert "\x1b" not in visible
        assert "\x07" not in visible and "\u202e" not in visible
        assert "\x1b]8;" not in text


def test_terminal_safe_shows_controls_as_escapes() -> None:
    assert terminal_safe("a\x1b[31mb\tc\nd\x00\x9b\u202e") == "a\\x1b[31mb c d\\x00\\x9b\\u202e"


def test_search_results_highlight_matched_words(
    sample_events: list[Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    text = render(write_hits, search(sample_events, "pipe"), Format.table, width=WIDTH)
    assert re.search(r"\x1b\[1;7mpipeline\x1b\[0m", text)
    assert "Power of Siberia" in re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_search_results_are_not_grouped_by_year(sample_events: list[Event]) -> None:
    text = render(write_hits, search(sample_events, "signed"), Format.table, width=WIDTH)
    assert "─" not in text


# -- one event, pairs, countries, stats ----------------------------------------------------


def test_show_json_is_the_event_object(sample_events: list[Event]) -> None:
    event = sample_events[2]
    assert json.loads(render(write_event_detail, event, Format.json)) == event.model_dump(
        mode="json"
    )


def test_show_table_lists_every_field(sample_events: list[Event]) -> None:
    event = sample_events[2]
    names = {"CHN": "China", "RUS": "Russia"}
    text = render(write_event_detail, event, Format.table, name=names.__getitem__, width=WIDTH)
    for expected in (
        event.id,
        "2014  (2014-01-01 – 2014-12-31)",
        "China (CHN), Russia (RUS)",
        "400,000,000,000 USD ('$400 billion')",
        "seeds/a.txt [900:",
        "Power of Siberia",
        "0.80",
    ):
        assert expected in text


@pytest.mark.parametrize("fmt", [Format.ndjson, Format.csv, Format.markdown])
def test_show_other_formats(fmt: Format, sample_events: list[Event]) -> None:
    text = render(write_event_detail, sample_events[0], fmt)
    assert sample_events[0].title in text.replace("\\", "")


def test_pairs_formats(sample_events: list[Event]) -> None:
    summaries = pairs(sample_events)
    records = json.loads(render(write_pairs, summaries, Format.json))
    assert records[0]["countries"] == ["CHN", "RUS"]
    assert records[0]["events"] == 5
    assert records[0]["first"]["start"] == "2001-07-16"
    rows = list(csv.DictReader(io.StringIO(render(write_pairs, summaries, Format.csv))))
    assert rows[0]["country_a"] == "CHN" and rows[0]["first"] == "16 Jul 2001"
    ndjson = render(write_pairs, summaries, Format.ndjson).splitlines()
    assert len(ndjson) == len(summaries)
    table = render(write_pairs, summaries, Format.table, name=str.lower, width=WIDTH)
    assert "chn – rus (CHN RUS)" in table and "20–22 Mar 2023" in table
    assert render(write_pairs, summaries, Format.markdown).startswith("| country_a | country_b |")
    assert render(write_pairs, [], Format.json) == "[]\n"


@dataclass(frozen=True)
class FakeCountry:
    code: str
    alpha2: str | None
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()


def test_countries_formats() -> None:
    countries = [
        FakeCountry("CHN", "CN", "China", ("PRC",), ("Chinese",), ("Beijing",)),
        FakeCountry("SUN", None, "Soviet Union", ("USSR",)),
    ]
    records = json.loads(render(write_countries, countries, Format.json))
    assert records[0] == {
        "code": "CHN",
        "alpha2": "CN",
        "name": "China",
        "aliases": ["PRC"],
        "demonyms": ["Chinese"],
        "capitals": ["Beijing"],
    }
    table = render(write_countries, countries, Format.table, width=WIDTH)
    assert "PRC, Chinese, Beijing" in table and "Soviet Union" in table
    rows = list(csv.DictReader(io.StringIO(render(write_countries, countries, Format.csv))))
    assert rows[1]["alpha2"] == ""


def test_stats_formats(sample_events: list[Event]) -> None:
    summary = stats(sample_events)
    record = json.loads(render(write_stats, summary, Format.json))
    assert record["events"] == 8 and record["by_type"]["trade"] == 2
    assert record["by_decade"] == {"1990s": 1, "2000s": 5, "2010s": 1, "2020s": 1}
    assert record["first"]["precision"] == "decade"
    rows = list(csv.DictReader(io.StringIO(render(write_stats, summary, Format.csv))))
    assert {"group": "type", "key": "trade", "events": "2"} in rows
    table = render(write_stats, summary, Format.table, width=WIDTH)
    assert "8 events from 2 documents, 1990s to 20–22 Mar 2023" in table
    empty = json.loads(render(write_stats, stats([]), Format.json))
    assert empty["events"] == 0 and empty["first"] is None


# -- time expressions and evaluation -------------------------------------------------------


EXPRESSIONS = [
    TimeExpression(
        text="March 2006",
        start=3,
        end=13,
        kind="absolute",
        date=when("2006-03-01", "2006-03-31", "month"),
        value="2006-03",
    ),
    TimeExpression(text="later", start=20, end=25, kind="relative", date=None, value=None),
]


def test_time_expressions_ndjson() -> None:
    lines = [
        json.loads(line)
        for line in render(write_time_expressions, EXPRESSIONS, Format.ndjson).splitlines()
    ]
    assert lines[0]["text"] == "March 2006"
    assert lines[0]["span"] == [3, 13]
    assert lines[0]["value"] == "2006-03"
    assert lines[0]["date"]["start"] == "2006-03-01"
    assert lines[0]["date"]["precision"] == "month"
    assert lines[1]["date"] is None


def test_time_expressions_table_and_csv() -> None:
    table = render(write_time_expressions, EXPRESSIONS, Format.table, width=WIDTH)
    assert "Mar 2006 (2006-03-01 – 2006-03-31)" in table and "unresolved" in table
    rows = list(
        csv.DictReader(io.StringIO(render(write_time_expressions, EXPRESSIONS, Format.csv)))
    )
    assert rows[0]["date_end"] == "2006-03-31" and rows[1]["precision"] == ""
    assert render(write_time_expressions, [], Format.json) == "[]\n"
    assert render(write_time_expressions, [], Format.table) == "span  text  kind  value  date\n"


def _expression(text: str, start: int) -> TimeExpression:
    return TimeExpression(
        text=text,
        start=start,
        end=start + len(text),
        kind="absolute",
        date=when("2001-05-03"),
        value="2001-05-03",
    )


def test_time_expressions_table_keeps_its_layout() -> None:
    """The layout rich's Table drew, kept by the faster renderer: widest wrappable column first."""
    long = _expression("the first half of the nineteen-nineties", 1200)
    assert render(write_time_expressions, [*EXPRESSIONS, long], Format.table, width=WIDTH) == (
        "     span  text                              kind      value       date\n"
        "     3-13  March 2006                        absolute  2006-03     "
        "Mar 2006 (2006-03-01 –\n"
        "                                                                   2006-03-31)\n"
        "    20-25  later                             relative              unresolved\n"
        "1200-1239  the first half of the             absolute  2001-05-03  "
        "3 May 2001 (2001-05-03 –\n"
        "           nineteen-nineties                                       2001-05-03)\n"
    )


def test_time_expressions_table_has_every_row_of_a_long_input() -> None:
    """Rows are printed in chunks: none is lost or repeated at a chunk's edge, all fit the width."""
    expressions = [_expression("On 3 May 2001", 100 * n) for n in range(1234)]
    lines = render(write_time_expressions, expressions, Format.table, width=60).splitlines()
    spans = [line.split()[0] for line in lines if line[:11].strip()]
    assert spans == ["span"] + [f"{100 * n}-{100 * n + 13}" for n in range(1234)]
    assert max(len(line) for line in lines) <= 60


def _report() -> EvaluationReport:
    figures = PRF(precision=0.5, recall=0.25, f1=0.3333)
    return EvaluationReport(
        gold_events=4,
        predicted_events=2,
        matched=1,
        detection=figures,
        date_exact=1.0,
        countries_exact=1.0,
        type_accuracy=0.0,
        strict=figures,
        exact=figures,
        pair_timeline=figures,
        errors=[
            ScoreError(
                kind="missed",
                doc="seeds/a.txt",
                gold={
                    "sentence": "In 2014, [bold]a deal[/bold].",
                    "date": {"start": "2014-01-01", "end": "2014-12-31"},
                    "countries": ["CHN", "RUS"],
                    "type": "trade",
                },
            ),
            ScoreError(kind="spurious", doc="seeds/a.txt", pred={"sentence": "x", "date": None}),
        ],
    )


def test_evaluation_table() -> None:
    text = render(write_evaluation, _report(), as_json=False, show_errors=1, width=WIDTH)
    assert "gold events 4, predicted 2, matched 1" in text
    assert re.search(r"detection\s+0\.500\s+0\.250\s+0\.333", text)
    assert re.search(r"type accuracy\s+0\.000", text)
    assert "first 1 of 2 errors" in text
    assert "\n  gold: [2014-01-01..2014-12-31 trade CHN,RUS] In 2014, [bold]a deal[/bold]." in text
    assert "spurious" not in text


def test_evaluation_json() -> None:
    record = json.loads(render(write_evaluation, _report(), as_json=True, show_errors=5))
    assert record["summary"]["detection"] == {"precision": 0.5, "recall": 0.25, "f1": 0.3333}
    assert [error["kind"] for error in record["errors"]] == ["missed", "spurious"]


def _scored_report() -> EvaluationReport:
    talks = "In May 1990, Chad and Libya opened talks in Rabat."
    peace = "In 1994, Chad and Libya ended their dispute."
    war = "In 1987, Chad and Niger fought over the desert."

    def gold(sentence: str, year: str, countries: list[str], kind: str) -> dict[str, object]:
        return {
            "sentence": sentence,
            "date": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "countries": countries,
            "type": kind,
        }

    def pred(doc: str, event: dict[str, object], kind: str) -> dict[str, object]:
        return {**event, "type": kind, "source": {"doc": doc, "sentence": event["sentence"]}}

    events = {
        "a.txt": [
            gold(peace, "1994", ["LBY", "TCD"], "treaty"),
            gold(talks, "1990", ["LBY", "TCD"], "visit"),
        ],
        "b.txt": [gold(war, "1987", ["NER", "TCD"], "conflict")],
    }
    preds = [
        pred("a.txt", events["a.txt"][0], "treaty"),
        pred("a.txt", events["a.txt"][1], "diplomacy"),
        pred("b.txt", events["b.txt"][0], "conflict"),
    ]
    return score(events, preds, genres={"a.txt": "news"})


def test_evaluation_by_genre_and_confusion_tables() -> None:
    text = render(
        write_evaluation,
        _scored_report(),
        as_json=False,
        show_errors=1,
        by="genre",
        confusion=True,
        width=WIDTH,
    )
    tables = text[text.index("by genre") : text.index("first 1 of 1 errors")]
    assert tables == (
        "by genre - F1: detect, strict, exact, pair; accuracy: type, ctry (countries)\n"
        "genre   docs gold pred match detect strict exact  type  ctry  pair\n"
        "news       1    2    2     2  1.000  1.000 0.500 0.500 1.000 1.000\n"
        "unknown    1    1    1     1  1.000  1.000 1.000 1.000 1.000 1.000\n"
        "all        2    3    3     3  1.000  1.000 0.667 0.667 1.000 1.000\n"
        "type confusion over 3 matched events: rows gold, columns predicted\n"
        "gold \\ pred trea visi dipl conf right\n"
        "treaty         1    ·    ·    ·   1/1\n"
        "visit          ·    ·    1    ·   0/1\n"
        "diplomacy      ·    ·    ·    ·   0/0\n"
        "conflict       ·    ·    ·    1   1/1\n"
    )
    assert "wrong    a.txt differs: type\n" in text


def test_evaluation_by_doc_table() -> None:
    text = render(
        write_evaluation, _scored_report(), as_json=False, show_errors=0, by="doc", width=WIDTH
    )
    assert text.endswith(
        "by doc - F1: detect, strict, exact, pair; accuracy: type, ctry (countries)\n"
        "doc   genre   gold pred match detect strict exact  type  ctry  pair\n"
        "a.txt news       2    2     2  1.000  1.000 0.500 0.500 1.000 1.000\n"
        "b.txt unknown    1    1     1  1.000  1.000 1.000 1.000 1.000 1.000\n"
        "all              3    3     3  1.000  1.000 0.667 0.667 1.000 1.000\n"
    )
    assert "type confusion" not in text


def test_evaluation_json_holds_breakdowns_and_confusion() -> None:
    record = json.loads(render(write_evaluation, _scored_report(), as_json=True, show_errors=5))
    assert [entry["doc"] for entry in record["by_doc"]] == ["a.txt", "b.txt"]
    assert [(g["genre"], g["documents"]) for g in record["by_genre"]] == [
        ("news", 1),
        ("unknown", 1),
    ]
    assert record["by_genre"][0]["exact"]["f1"] == 0.5
    assert record["confusion"] == {
        "labels": ["treaty", "visit", "diplomacy", "conflict"],
        "counts": [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1]],
    }
    assert record["errors"][0]["fields"] == ["type"]
    assert record["errors_total"] == 1
