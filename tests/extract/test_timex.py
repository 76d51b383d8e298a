"""Tests for the time-expression tagger: one table row per rule, negatives, invariants."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.extract.caseless import FOLDED_ONTO_ASCII
from bilat.extract.timex import TimeExpression, find_time_expressions
from bilat.extract.timex_rules import RULES, find_matches

D = date.fromisoformat
PUB = D("2024-03-06")  # a Wednesday
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "timex"


def _only(text: str, expected: str, published: date | None = None) -> TimeExpression:
    found = [t for t in find_time_expressions(text, published=published) if t.text == expected]
    assert found, [t.text for t in find_time_expressions(text, published=published)]
    expr = found[-1]
    assert expr.start == text.rindex(expected)
    assert expr.end == expr.start + len(expected)
    return expr


# (text, published, expected span text, start, end, precision, mod, value)
# fmt: off
CASES: list[tuple[str, date | None, str, str, str, str, str | None, str]] = [
    # full dates in every common order
    ("It was signed on 23 November 2010.", None, "23 November 2010",
     "2010-11-23", "2010-11-23", "day", None, "2010-11-23"),
    ("On November 23, 2010, they met.", None, "November 23, 2010",
     "2010-11-23", "2010-11-23", "day", None, "2010-11-23"),
    ("Dated 2010-11-23 in the file.", None, "2010-11-23",
     "2010-11-23", "2010-11-23", "day", None, "2010-11-23"),
    ("Signed 23 Nov. 2010 in Minsk.", None, "23 Nov. 2010",
     "2010-11-23", "2010-11-23", "day", None, "2010-11-23"),
    ("Signed Nov 23 2010 in Minsk.", None, "Nov 23 2010",
     "2010-11-23", "2010-11-23", "day", None, "2010-11-23"),
    ("On 23 December 1992, Yeltsin arrived.", None, "23 December 1992",
     "1992-12-23", "1992-12-23", "day", None, "1992-12-23"),
    ("Talks opened on the 19th of October 1950.", None, "the 19th of October 1950",
     "1950-10-19", "1950-10-19", "day", None, "1950-10-19"),
    # months and years
    ("In December 2000 the deal closed.", None, "December 2000",
     "2000-12-01", "2000-12-31", "month", None, "2000-12"),
    ("In Dec. 2000 the deal closed.", None, "Dec. 2000",
     "2000-12-01", "2000-12-31", "month", None, "2000-12"),
    ("Trade grew in 2001.", None, "2001", "2001-01-01", "2001-12-31", "year", None, "2001"),
    ("It was a 2013 state visit.", None, "2013", "2013-01-01", "2013-12-31", "year", None, "2013"),
    ("2006 was proclaimed the Year of Russia.", None, "2006",
     "2006-01-01", "2006-12-31", "year", None, "2006"),
    # modifiers
    ("As of mid-2006, exports rose.", None, "As of mid-2006",
     "2006-01-01", "2006-12-31", "year", "MID", "2006"),
    ("as of early 2006, exports rose.", None, "as of early 2006",
     "2006-01-01", "2006-12-31", "year", "START", "2006"),
    ("As of 2004, there were ten.", None, "As of 2004",
     "2004-01-01", "2004-12-31", "year", "AS_OF", "2004"),
    ("The base operated since early 1999.", None, "since early 1999",
     "1999-01-01", "1999-12-31", "year", "START", "1999"),
    ("By 2019, trade had doubled.", None, "By 2019",
     "2019-01-01", "2019-12-31", "year", "BY", "2019"),
    ("By the end of 2023, the line was built.", None, "By the end of 2023",
     "2023-01-01", "2023-12-31", "year", "END", "2023"),
    ("in late 2019 the talks stalled", None, "late 2019",
     "2019-01-01", "2019-12-31", "year", "END", "2019"),
    ("From 2012 on, China bought more.", None, "From 2012 on",
     "2012-01-01", "2012-12-31", "year", "SINCE", "2012"),
    ("From September 1960, advisers left.", None, "From September 1960",
     "1960-09-01", "1960-09-30", "month", "SINCE", "1960-09"),
    ("Starting in 2015 the flights resumed.", None, "Starting in 2015",
     "2015-01-01", "2015-12-31", "year", "SINCE", "2015"),
    ("Since at least 2017 they have met.", None, "Since at least 2017",
     "2017-01-01", "2017-12-31", "year", "SINCE", "2017"),
    ("In 1979 and the following years, trade grew.", None, "1979 and the following years",
     "1979-01-01", "1979-12-31", "year", "SINCE", "1979"),
    ("The embargo lasted until 1991.", None, "until 1991",
     "1991-01-01", "1991-12-31", "year", "UNTIL", "1991"),
    ("The town was founded around 1650.", None, "around 1650",
     "1650-01-01", "1650-12-31", "year", "APPROX", "1650"),
    ("It was built c. 1650.", None, "c. 1650",
     "1650-01-01", "1650-12-31", "year", "APPROX", "1650"),
    ("It had closed before 1950.", None, "before 1950",
     "1950-01-01", "1950-12-31", "year", "BEFORE", "1950"),
    ("Relations thawed after 1989.", None, "after 1989",
     "1989-01-01", "1989-12-31", "year", "AFTER", "1989"),
    ("Relations thawed following 1989.", None, "following 1989",
     "1989-01-01", "1989-12-31", "year", "AFTER", "1989"),
    ("As early as February 2022, talks began.", None, "As early as February 2022",
     "2022-02-01", "2022-02-28", "month", None, "2022-02"),
    ("It fell in late May 1944.", None, "late May 1944",
     "1944-05-01", "1944-05-31", "month", "END", "1944-05"),
    ("It fell in mid-March 1982.", None, "mid-March 1982",
     "1982-03-01", "1982-03-31", "month", "MID", "1982-03"),
    # seasons, quarters, halves
    ("in the fall of 2008 the bank failed", None, "the fall of 2008",
     "2008-01-01", "2008-12-31", "year", "FALL", "2008-FA"),
    ("in summer 1992 the talks began", None, "summer 1992",
     "1992-01-01", "1992-12-31", "year", "SUMMER", "1992-SU"),
    ("By summer of 1992 the troops had left.", None, "By summer of 1992",
     "1992-01-01", "1992-12-31", "year", "SUMMER", "1992-SU"),
    ("In the first quarter of 2008, oil rose.", None, "the first quarter of 2008",
     "2008-01-01", "2008-03-31", "quarter", None, "2008-Q1"),
    ("In the first half of 2023, trade grew.", None, "the first half of 2023",
     "2023-01-01", "2023-06-30", "half", None, "2023-H1"),
    ("In Q3 2021, exports fell.", None, "Q3 2021", "2021-07-01", "2021-09-30", "quarter", None,
     "2021-Q3"),
    # decades and centuries
    ("In the 1990s, trade collapsed.", None, "the 1990s",
     "1990-01-01", "1999-12-31", "decade", None, "199"),
    ("In the early 2000s, trade rose.", None, "the early 2000s",
     "2000-01-01", "2009-12-31", "decade", "START", "200"),
    ("in the late 1950s the split began", None, "the late 1950s",
     "1950-01-01", "1959-12-31", "decade", "END", "195"),
    ("Since the 1990s they have traded.", None, "Since the 1990s",
     "1990-01-01", "1999-12-31", "decade", "SINCE", "199"),
    # a decade hyphenated to the year that ends the range ("s-" is no word before a year)
    ("under military rule (1970s-1998).", None, "1970s-1998",
     "1970-01-01", "1998-12-31", "decade", None, "197/1998"),
    ("Contacts go back to the 16th century.", None, "the 16th century",
     "1501-01-01", "1600-12-31", "century", None, "15"),
    ("in the 19th century the border moved", None, "the 19th century",
     "1801-01-01", "1900-12-31", "century", None, "18"),
    ("A 21st century partnership.", None, "21st century",
     "2001-01-01", "2100-12-31", "century", None, "20"),
    ("In the nineteenth century it grew.", None, "the nineteenth century",
     "1801-01-01", "1900-12-31", "century", None, "18"),
    # two centuries sharing one "centuries": the span from the first to the last
    ("Between the 4th and the 19th centuries the region was ruled by others.", None,
     "the 4th and the 19th centuries", "0301-01-01", "1900-12-31", "century", None, "03/18"),
    ("in the eighteenth and nineteenth centuries", None,
     "the eighteenth and nineteenth centuries", "1701-01-01", "1900-12-31", "century", None,
     "17/18"),
    # ranges
    ("The treaties of 1858–1860 ceded land.", None, "1858–1860",
     "1858-01-01", "1860-12-31", "year", None, "1858/1860"),
    ("On 20–22 March 2023, Xi visited Moscow.", None, "20–22 March 2023",
     "2023-03-20", "2023-03-22", "day", None, "2023-03-20/2023-03-22"),
    ("From 2000 to 2006, imports declined.", None, "From 2000 to 2006",
     "2000-01-01", "2006-12-31", "year", None, "2000/2006"),
    ("from 2013 to 2025 it grew", None, "from 2013 to 2025",
     "2013-01-01", "2025-12-31", "year", None, "2013/2025"),
    ("Trade fell 2000–2006.", None, "2000–2006", "2000-01-01", "2006-12-31", "year", None,
     "2000/2006"),
    ("Deliveries ran between June and December 2022.", None, "between June and December 2022",
     "2022-06-01", "2022-12-31", "month", None, "2022-06/2022-12"),
    ("Between 2008 and 2009 they met twice.", None, "Between 2008 and 2009",
     "2008-01-01", "2009-12-31", "year", None, "2008/2009"),
    ("In 2009 and 2010 oil flowed.", None, "2009 and 2010",
     "2009-01-01", "2010-12-31", "year", None, "2009/2010"),
    ("In 1992-1994 they negotiated.", None, "1992-1994",
     "1992-01-01", "1994-12-31", "year", None, "1992/1994"),
    ("The siege of Kut (1915-16) failed.", None, "1915-16",
     "1915-01-01", "1916-12-31", "year", None, "1915/1916"),
    # relative expressions, resolved against the paragraph's anchor
    ("In 2001 a treaty was signed. A month later, troops left.", None, "A month later",
     "2001-01-01", "2001-12-31", "year", None, "2001"),
    ("In October 2003 he was arrested. A week after Khodorkovsky's arrest, talks stopped.",
     None, "A week after", "2003-10-01", "2003-10-31", "month", None, "2003-10"),
    ("In 2002 the deal was struck; just weeks later it collapsed.", None, "just weeks later",
     "2002-01-01", "2002-12-31", "year", None, "2002"),
    ("It began in 1994. The following year, it ended.", None, "The following year",
     "1995-01-01", "1995-12-31", "year", None, "1995"),
    ("In March 2006 CNPC signed. A month later, Rosneft agreed.", None, "A month later",
     "2006-04-01", "2006-04-30", "month", None, "2006-04"),
    ("In March 2006 CNPC signed; in the same month, Rosneft agreed.", None, "the same month",
     "2006-03-01", "2006-03-31", "month", None, "2006-03"),
    ("On 29 May 1994 they met. On 3 September of that year they signed.", None,
     "3 September of that year", "1994-09-03", "1994-09-03", "day", None, "1994-09-03"),
    ("On 12 July 1994 he landed. The next day he left.", None, "The next day",
     "1994-07-13", "1994-07-13", "day", None, "1994-07-13"),
    ("On 12 July 1994 he landed. Four days before Wen's visit, a deal was struck.", None,
     "Four days before", "1994-07-08", "1994-07-08", "day", None, "1994-07-08"),
    ("In 2010 trade grew. Two years later it fell.", None, "Two years later",
     "2012-01-01", "2012-12-31", "year", None, "2012"),
    ("In 2010 trade grew. The previous year it fell.", None, "The previous year",
     "2009-01-01", "2009-12-31", "year", None, "2009"),
    ("In 2014 sanctions came. In that year, gas deals followed.", None, "that year",
     "2014-01-01", "2014-12-31", "year", None, "2014"),
    ("In 2019 they met; in the same year they signed.", None, "the same year",
     "2019-01-01", "2019-12-31", "year", None, "2019"),
    # year-less dates take the year in force, else the publication year
    ("The war resumed in 1793. On June 10 the army marched.", None, "June 10",
     "1793-06-10", "1793-06-10", "day", None, "1793-06-10"),
    ("The war resumed in 1793. On 10 June the army marched.", None, "10 June",
     "1793-06-10", "1793-06-10", "day", None, "1793-06-10"),
    ("The minister will travel in September.", PUB, "September",
     "2023-09-01", "2023-09-30", "month", None, "2023-09"),
    ("The deal was signed at the end of January.", PUB, "the end of January",
     "2024-01-01", "2024-01-31", "month", "END", "2024-01"),
    # deictic expressions, against the publication date
    ("Putin arrives this Wednesday.", PUB, "this Wednesday",
     "2024-03-06", "2024-03-06", "day", None, "2024-03-06"),
    ("They met last Thursday.", PUB, "last Thursday",
     "2024-02-29", "2024-02-29", "day", None, "2024-02-29"),
    ("They will meet next Thursday.", PUB, "next Thursday",
     "2024-03-07", "2024-03-07", "day", None, "2024-03-07"),
    ("The talks ended last week.", PUB, "last week",
     "2024-02-26", "2024-03-03", "day", None, "2024-W09"),
    ("The envoy is visiting this month.", PUB, "this month",
     "2024-03-01", "2024-03-31", "month", None, "2024-03"),
    ("Trade fell last year.", PUB, "last year", "2023-01-01", "2023-12-31", "year", None, "2023"),
    ("He said yesterday that talks continue.", PUB, "yesterday",
     "2024-03-05", "2024-03-05", "day", None, "2024-03-05"),
    ("Talks begin today.", PUB, "today", "2024-03-06", "2024-03-06", "day", None, "2024-03-06"),
    ("It happened three years ago.", PUB, "three years ago",
     "2021-01-01", "2021-12-31", "year", None, "2021"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "published", "expected", "start", "end", "precision", "mod", "value"), CASES
)
def test_rules(
    text: str,
    published: date | None,
    expected: str,
    start: str,
    end: str,
    precision: str,
    mod: str | None,
    value: str,
) -> None:
    expr = _only(text, expected, published)
    assert expr.date is not None
    assert (expr.date.start, expr.date.end) == (D(start), D(end))
    assert expr.date.precision == precision
    assert expr.date.mod == mod
    assert expr.value == value == expr.date.value
    assert expr.date.text == expected


@pytest.mark.parametrize(
    ("text", "expected", "kind", "resolution"),
    [
        ("Signed on 23 November 2010.", "23 November 2010", "absolute", "explicit"),
        ("In 2001 it began. A month later it ended.", "A month later", "relative", "relative"),
        ("In 1793 war came. On June 10 they marched.", "June 10", "relative", "relative"),
        ("He arrives this Wednesday.", "this Wednesday", "deictic", "published"),
    ],
)
def test_kind_and_resolution(text: str, expected: str, kind: str, resolution: str) -> None:
    expr = _only(text, expected, PUB)
    assert expr.kind == kind
    assert expr.date is not None
    assert expr.date.resolution == resolution


@pytest.mark.parametrize(
    ("text", "expected", "value"),
    [
        ("He arrives this Wednesday.", "this Wednesday", None),
        ("The talks ended last week.", "last week", None),
        ("He will travel in September.", "September", None),
        ("Talks begin today.", "today", "PRESENT_REF"),
        ("It is now over.", "now", "PRESENT_REF"),
        ("They currently trade.", "currently", "PRESENT_REF"),
        ("Recently, ties grew.", "Recently", "PAST_REF"),
        ("A month later they met.", "A month later", None),
        ("Athens fell in 480 BC.", "480 BC", "BC0480"),
    ],
)
def test_unresolved(text: str, expected: str, value: str | None) -> None:
    """Without a publication date or an anchor, the expression is found but not dated."""
    expr = _only(text, expected)
    assert expr.date is None
    assert expr.value == value


def test_relative_does_not_cross_paragraphs() -> None:
    text = "In 2001 a treaty was signed.\nA month later, troops left."
    assert _only(text, "A month later").date is None


def test_year_in_force_crosses_paragraphs() -> None:
    text = "In 1793 the war resumed.\n\nOn June 10 the army marched."
    expr = _only(text, "June 10")
    assert expr.date is not None and expr.date.start == D("1793-06-10")


def test_year_in_force_beats_publication_year() -> None:
    expr = _only("Ties were set up in 1999. In September a visit followed.", "September", PUB)
    assert expr.date is not None and expr.date.start == D("1999-09-01")


@pytest.mark.parametrize(
    ("text", "expected", "value"),
    [
        ("The war lasted three years.", "three years", "P3Y"),
        ("after two months of fierce battles", "two months", "P2M"),
        ("for several days", "several days", "PXD"),
    ],
)
def test_durations(text: str, expected: str, value: str) -> None:
    expr = _only(text, expected)
    assert expr.kind == "duration"
    assert expr.date is None
    assert expr.value == value


def test_split_ranges_reports_each_end() -> None:
    text = "The Siege of Kut (1915-16) failed."
    found = find_time_expressions(text, split_ranges=True)
    assert [(t.text, t.value) for t in found] == [("1915", "1915"), ("16", "1916")]


@pytest.mark.parametrize(
    "text",
    [
        "Russia sold Su-27 and S-400 systems.",
        "The loan was $1,000 and then US$1.6 billion.",
        "It sent 2,090 soldiers over 4,209.3 km.",
        "The Tupolev-95 and H-6K flew together.",
        "1,300 troops and 300,000 tons of grain.",
        "See p. 327-330 and Vol I, 155–179.",
        "Support stood at 38%.",
        "They deployed 1500 troops and 2000 tanks.",
        "It rose 2019% on paper.",
        "Flight 1549 landed; No. 1939 was filed.",
        "The troops march on. They may go.",
    ],
)
def test_not_dates(text: str) -> None:
    dated = [t.text for t in find_time_expressions(text, published=PUB) if t.kind != "duration"]
    assert dated == []


def test_exercise_name_year_is_a_year() -> None:
    expr = _only("Troops joined Vostok 2018.", "2018")
    assert expr.value == "2018"


def test_text_order_and_offsets() -> None:
    text = "In 1994 they met; on 3 May 1995 they signed; by 1996 trade doubled."
    found = find_time_expressions(text)
    assert [t.text for t in found] == ["1994", "3 May 1995", "by 1996"]
    assert all(text[t.start : t.end] == t.text for t in found)


@given(st.text(max_size=300), st.none() | st.dates())
@settings(max_examples=300, deadline=None)
def test_any_text_never_crashes(text: str, published: date | None) -> None:
    found = find_time_expressions(text, published=published)
    last = -1
    for expr in found:
        assert 0 <= expr.start < expr.end <= len(text)
        assert expr.start >= last
        last = expr.end
        assert expr.text == text[expr.start : expr.end]
        if expr.date is not None:
            assert expr.date.start <= expr.date.end


_DATEISH = st.lists(
    st.sampled_from(
        [
            "In",
            "in",
            "2001",
            "1994",
            "March",
            "May",
            "23",
            "of",
            "that",
            "year",
            "the",
            "following",
            "a",
            "month",
            "later",
            "early",
            "mid-",
            "-",
            "–",
            "to",
            "and",
            "between",
            "since",
            "as of",
            "by",
            "end",
            "1990s",
            "16th",
            "century",
            "\n",
            ",",
            ".",
            "last",
            "week",
            "Wednesday",
            "three",
            "days",
            "ago",
            "summer",
            "quarter",
            "first",
            "half",
        ]
    ),
    max_size=40,
).map(" ".join)


@given(_DATEISH, st.none() | st.dates())
@settings(max_examples=400, deadline=None)
def test_date_like_text_is_consistent(text: str, published: date | None) -> None:
    for expr in find_time_expressions(text, published=published):
        assert expr.text == text[expr.start : expr.end]
        if expr.date is not None:
            assert expr.date.start <= expr.date.end
            assert expr.value == expr.date.value


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "text",
    [
        "1" * 200_000,
        "in " * 50_000,
        "20–" * 30_000,
        "January " * 30_000,
        "the early " * 20_000,
        "1990-" * 40_000,
        "a few " * 30_000,
        "3 May " * 30_000,
    ],
)
def test_adversarial_input_finishes(text: str) -> None:
    for expr in find_time_expressions(text, published=PUB):
        assert expr.text == text[expr.start : expr.end]


def _plain_matches(text: str) -> list[tuple[str, int, int]]:
    return [(rule.name, *m.span()) for rule in RULES for m in rule.regex.finditer(text)]


def _fast_matches(text: str) -> list[tuple[str, int, int]]:
    return [(rule.name, *m.span()) for rule, m in find_matches(text)]


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "path",
    [*sorted((ROOT / "seeds").glob("*.txt")), *sorted((ROOT / "tests" / "fixtures").glob("*.txt"))],
)
def test_find_matches_equals_plain_scan_on_documents(path: Path) -> None:
    """Trying rules only where they can begin must find exactly what scanning everywhere does."""
    text = path.read_text(encoding="utf-8")
    assert _fast_matches(text) == _plain_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "bathe 5 May 2001 and breathe the 1990s",  # a leading "the" needs no word boundary
        "THE 16TH CENTURY, tHe 19th Century, The Following Year",
        "ſome days later, ſeveral weeks ago, a weeK later",  # long s, Kelvin sign
        "İn 1990 and ın 1991, THİS week",  # dotted capital I, dotless i
        "Christmastime 2001, Christmas Eve, New  Year's Day 1999, Bastille Day",
        "AD1066, A.D. 800, 480BC, 44 B.C., Q32021, H1 2020",
        "that  same year; later that year; the\n\nfollowing year; the day after",
        "1,000 days later, twenty-one years earlier, a couple of months before",
        "the year 1999, the end of the month, the latter half of 2020",
        "mid-2006, 1858–60, 2010-11-23, 3–5 May 2020, May 3–5, 2020",
        "in recent years, these days, at present, the past, the future, now",
        "the twenty-first century, the last quarter of 2019, 1st half 2020",
    ],
)
def test_find_matches_equals_plain_scan_on_edge_cases(text: str) -> None:
    assert _fast_matches(text) == _plain_matches(text)


@given(_DATEISH | st.text(alphabet=st.sampled_from("Tthe 19May-\n" + FOLDED_ONTO_ASCII)))
@settings(max_examples=300, deadline=None)
def test_find_matches_equals_plain_scan(text: str) -> None:
    assert _fast_matches(text) == _plain_matches(text)


def _load_scorer() -> object:
    spec = importlib.util.spec_from_file_location("score_timex", SHARED / "score_timex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wikiwars_scores_stay_above_floors() -> None:
    gold_path = SHARED / "wikiwars.jsonl"
    if not gold_path.exists():
        pytest.skip("WikiWars corpus not available beside the repository")
    scorer = _load_scorer()
    gold = scorer.load_jsonl(str(gold_path))  # type: ignore[attr-defined]
    pred = {}
    for doc_id, doc in gold.items():
        found = find_time_expressions(doc["text"], split_ranges=True)
        pred[doc_id] = {
            "doc": doc_id,
            "timexes": [
                {
                    "start": t.start,
                    "end": t.end,
                    "value": t.value or "",
                    "type": "DURATION" if t.kind == "duration" else "DATE",
                }
                for t in found
            ],
        }
    result = scorer.score(gold, pred)  # type: ignore[attr-defined]
    date_scores = result["DATE"]
    assert date_scores["relaxed"]["F1"] >= 0.91
    assert date_scores["value"]["F1"] >= 0.84


@pytest.mark.parametrize(
    ("text", "value"),
    [("ſome days later", "2000"), ("laſt week", "2024-W19"), ("in ſummer 2001", "2001-SU")],
)
def test_letters_that_fold_onto_ascii_do_not_crash(text: str, value: str) -> None:
    """Long s and dotless i match case-insensitively; the handlers fold them the same way."""
    found = find_time_expressions(f"In 2000 it began. {text}", published=date(2024, 5, 17))
    assert found[-1].value == value


def test_news_months_are_read_off_the_publication_date() -> None:
    """Deictic dates do not set the narrative year: each year-less month looks back."""
    text = (
        "Officials met this Wednesday. Vietnam donated rice in September. "
        "Xi approved aid at the end of January."
    )
    found = {t.text: t for t in find_time_expressions(text, published=date(2026, 2, 12))}
    assert found["this Wednesday"].value == "2026-02-11"
    assert found["September"].value == "2025-09"
    assert found["the end of January"].value == "2026-01"


def test_a_range_never_spans_lines() -> None:
    """A year heading and the next line's "- December 28" are two expressions."""
    found = find_time_expressions("2015\n- December 28: the agreement was reached.")
    assert [(t.text, t.value) for t in found] == [("2015", "2015"), ("December 28", "2015-12-28")]
