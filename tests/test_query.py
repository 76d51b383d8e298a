"""Filters, timeline order, ranked search, pairs, stats and id prefixes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.dates_arg import parse_day, parse_partial_date
from bilat.errors import BilatError, DateError
from bilat.models import EVENT_TYPES, Event
from bilat.query import (
    EventFilter,
    find_by_id,
    pairs,
    parse_query,
    search,
    stats,
    term_pattern,
    timeline,
)
from tests.conftest import build_event

# -- partial dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2001", date(2001, 1, 1), date(2001, 12, 31)),
        ("2001-05", date(2001, 5, 1), date(2001, 5, 31)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
        ("2001-5", date(2001, 5, 1), date(2001, 5, 31)),
        ("2001-05-12", date(2001, 5, 12), date(2001, 5, 12)),
        (" 1999 ", date(1999, 1, 1), date(1999, 12, 31)),
    ],
)
def test_partial_dates_cover_their_days(value: str, start: date, end: date) -> None:
    assert parse_partial_date(value) == (start, end)


@pytest.mark.parametrize(
    "value", ["", "01", "May 2001", "2001-13", "2001-02-30", "0000", "2001/05", "20011", "2001-"]
)
def test_bad_partial_dates_name_the_value_and_the_forms(value: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_partial_date(value)
    message = str(caught.value)
    assert repr(value) in message
    assert "YYYY-MM-DD" in message


def test_publication_date_must_be_a_day() -> None:
    assert parse_day("2023-03-21") == date(2023, 3, 21)
    with pytest.raises(DateError, match="a full day is needed"):
        parse_day("2023-03")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_iso_day_parses_to_itself(day: date) -> None:
    assert parse_partial_date(day.isoformat()) == (day, day)


# -- filters and timeline ------------------------------------------------------------------


def titles(events: list[Event]) -> list[str]:
    return [event.title for event in events]


def test_timeline_is_oldest_first(sample_events: list[Event]) -> None:
    result = timeline(reversed(sample_events))
    assert [event.date.start for event in result] == sorted(e.date.start for e in sample_events)


def test_timeline_reverse_and_limit_keep_the_most_recent(sample_events: list[Event]) -> None:
    result = timeline(sample_events, EventFilter(reverse=True, limit=2))
    assert [event.date.start.year for event in result] == [2023, 2014]


def test_limit_zero_gives_nothing(sample_events: list[Event]) -> None:
    assert timeline(sample_events, EventFilter(limit=0)) == []


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(countries=["CUB"]), 3),
        (EventFilter(countries=["CUB", "RUS"]), 2),
        (EventFilter(countries=["CHN", "KAZ", "RUS"]), 1),
        (EventFilter(countries=["USA"]), 0),
        (EventFilter(date_from="2001", date_to="2001"), 2),
        (EventFilter(date_from="2001-10"), 6),
        (EventFilter(date_to="1995"), 1),
        (EventFilter(date_from="1995", date_to="1995-06-01"), 1),
        (EventFilter(date_from="2006-06", date_to="2006-06"), 1),
        (EventFilter(types=["trade"]), 2),
        (EventFilter(types=["trade", "visit"]), 4),
        (EventFilter(actor="putin"), 2),
        (EventFilter(actor="ROSNEFT"), 1),
        (EventFilter(doc="b.txt"), 3),
        (EventFilter(doc="SEEDS/"), 8),
        (EventFilter(countries=["CHN"], types=["trade"], date_from="2010"), 1),
    ],
)
def test_filters(sample_events: list[Event], flt: EventFilter, expected: int) -> None:
    assert len(timeline(sample_events, flt)) == expected


def test_an_event_counts_when_its_interval_overlaps() -> None:
    decade = build_event(start="1990-01-01", end="1999-12-31", precision="decade")
    assert EventFilter(date_from="1999-12-31").matches(decade)
    assert EventFilter(date_to="1990-01").matches(decade)
    assert not EventFilter(date_from="2000").matches(decade)
    assert not EventFilter(date_to="1989").matches(decade)


def test_from_after_to_is_an_error() -> None:
    with pytest.raises(DateError, match="--from 2005 is after --to 2001"):
        EventFilter(date_from="2005", date_to="2001")


def test_bad_filter_date_fails_before_reading_events() -> None:
    with pytest.raises(DateError, match="'spring'"):
        EventFilter(date_from="spring")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"types": ["party"]}, "unknown event type 'party'"), ({"limit": -1}, "limit must be")],
)
def test_invalid_filters(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(BilatError, match=message):
        EventFilter(**kwargs)  # type: ignore[arg-type]


# -- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("pipeline", ("pipeline",)),
        ("Gas  DEAL", ("gas", "deal")),
        ('"gas deal" russia', ("gas deal", "russia")),
        ('"power of   siberia"', ("power of siberia",)),
        ('"unclosed phrase', ("unclosed phrase",)),
        ("pipeline, (gas)", ("pipeline", "gas")),
        ("U.S. gas gas", ("u.s", "gas")),
    ],
)
def test_query_parsing(query: str, terms: tuple[str, ...]) -> None:
    assert parse_query(query) == terms


@pytest.mark.parametrize("query", ["", "   ", '""', "?!"])
def test_empty_query_is_an_error(query: str) -> None:
    with pytest.raises(BilatError, match="nothing to search for"):
        parse_query(query)


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("pipe", "the pipeline", True),
        ("line", "the pipeline", False),
        ("gas deal", "a gas\n  deal", True),
        ("u.s", "the U.S. embassy", True),
        ("$400", "worth $400 billion", True),
        ("400", "worth $400 billion", True),
    ],
)
def test_terms_match_at_word_starts(term: str, text: str, found: bool) -> None:
    assert bool(term_pattern(term).search(text)) is found


def test_search_needs_every_word(sample_events: list[Event]) -> None:
    assert titles([hit.event for hit in search(sample_events, "gas deal")]) == [
        "Russia and China signed a 30-year gas deal"
    ]
    assert search(sample_events, "gas treaty") == []


def test_search_reads_titles_sentences_and_actors(sample_events: list[Event]) -> None:
    by_sentence = search(sample_events, "siberia")
    assert titles([hit.event for hit in by_sentence]) == [
        "Russia and China signed a 30-year gas deal"
    ]
    by_actor = search(sample_events, "jiang")
    assert by_actor[0].event.title.startswith("China and Russia signed the Treaty")


def test_search_ranks_title_matches_first(sample_events: list[Event]) -> None:
    hits = search(sample_events, "pipeline")
    assert titles([hit.event for hit in hits]) == [
        "CNPC and Rosneft agreed on crude deliveries by pipeline",
        "Russia and China signed a 30-year gas deal",
    ]
    assert hits[0].score > hits[1].score
    assert hits[0].terms == ("pipeline",)


def test_phrases_match_as_phrases(sample_events: list[Event]) -> None:
    assert len(search(sample_events, '"signed a 30-year"')) == 1
    assert search(sample_events, '"deal gas"') == []


def test_equal_scores_keep_timeline_order() -> None:
    events = [
        build_event("same words", start=f"{year}-01-01", offset=year) for year in (2005, 2001)
    ]
    hits = search(events, "same")
    assert [hit.event.date.start.year for hit in hits] == [2001, 2005]
    assert hits[0].score == hits[1].score


def test_search_applies_filters_limit_and_reverse(sample_events: list[Event]) -> None:
    assert len(search(sample_events, "signed", EventFilter(countries=["CUB"]))) == 0
    both = search(sample_events, "signed")
    assert len(both) == 2
    assert search(sample_events, "signed", EventFilter(limit=1)) == both[:1]
    assert search(sample_events, "signed", EventFilter(reverse=True)) == both[::-1]


def test_search_is_case_insensitive(sample_events: list[Event]) -> None:
    assert search(sample_events, "MOSCOW") == search(sample_events, "moscow") != []


# -- pairs, stats, ids ---------------------------------------------------------------------


def test_pairs_count_each_pair_of_a_multilateral_event(sample_events: list[Event]) -> None:
    summary = {pair.countries: pair for pair in pairs(sample_events)}
    assert summary[("CHN", "RUS")].events == 5
    assert summary[("CHN", "KAZ")].events == 1
    assert summary[("KAZ", "RUS")].events == 1
    assert summary[("CUB", "RUS")].events == 2
    assert summary[("CHN", "RUS")].first.start == date(2001, 7, 16)
    assert summary[("CHN", "RUS")].last.start == date(2023, 3, 20)
    assert pairs(sample_events)[0].countries == ("CHN", "RUS")
    assert pairs([]) == []


def test_stats(sample_events: list[Event]) -> None:
    summary = stats(sample_events)
    assert summary.events == 8
    assert summary.documents == 2
    assert list(summary.by_type) == list(EVENT_TYPES)
    assert summary.by_type["trade"] == 2
    assert summary.by_type["aid"] == 0
    assert summary.by_decade == {1990: 1, 2000: 5, 2010: 1, 2020: 1}
    assert summary.by_precision == {"day": 3, "month": 1, "quarter": 1, "year": 2, "decade": 1}
    assert next(iter(summary.by_country)) == "RUS"
    assert summary.first is not None and summary.first.start.year == 1990


def test_stats_of_nothing() -> None:
    summary = stats([])
    assert (summary.events, summary.first, summary.by_decade) == (0, None, {})


def test_find_by_unique_prefix(sample_events: list[Event]) -> None:
    target = sample_events[3]
    assert find_by_id(sample_events, target.id) == target
    prefix = next(
        target.id[:n]
        for n in range(1, 17)
        if sum(e.id.startswith(target.id[:n]) for e in sample_events) == 1
    )
    assert find_by_id(sample_events, prefix.upper()) == target


def test_unknown_id(sample_events: list[Event]) -> None:
    with pytest.raises(BilatError, match="no event with id 'zzzz'"):
        find_by_id(sample_events, "zzzz")
    with pytest.raises(BilatError, match="empty event id"):
        find_by_id(sample_events, " ")


def test_ambiguous_prefix_lists_candidates() -> None:
    events = [build_event(f"event {n}", offset=n) for n in range(40)]
    digit = events[0].id[0]
    same = [e for e in events if e.id.startswith(digit)]
    assert len(same) > 1
    with pytest.raises(BilatError) as caught:
        find_by_id(events, digit)
    message = str(caught.value)
    assert f"matches {len(same)} events" in message
    assert all(e.id in message for e in sorted(same, key=Event.sort_key)[:10])
    assert "give more characters" in message


def test_a_country_matches_the_states_it_succeeded() -> None:
    """The China–Russia timeline includes the Soviet years; a USSR query only those."""
    soviet = build_event("A border war", start="1969-03-02", countries=("CHN", "SUN"))
    russian = build_event("A treaty", start="2001-07-16", countries=("CHN", "RUS"), offset=100)
    events = [soviet, russian]
    assert timeline(events, EventFilter(countries=["CHN", "RUS"])) == [soviet, russian]
    assert timeline(events, EventFilter(countries=["CHN", "SUN"])) == [soviet]


def test_one_country_answers_one_request() -> None:
    """ "russia ussr" wants both states; a lone SUN is not enough."""
    soviet = build_event("A border war", start="1969-03-02", countries=("SUN", "USA"))
    assert timeline([soviet], EventFilter(countries=["RUS", "SUN"])) == []
    assert timeline([soviet], EventFilter(countries=["RUS", "USA"])) == [soviet]


def test_within_keeps_only_events_wholly_inside_the_range() -> None:
    decade = build_event(start="1990-01-01", end="1999-12-31", precision="decade")
    year = build_event(start="1995-01-01", end="1995-12-31", precision="year", offset=1)
    overlap = EventFilter(date_from="1995", date_to="1996")
    assert overlap.apply([decade, year]) == [decade, year]
    assert [overlap.partly_outside(event) for event in (decade, year)] == [True, False]
    within = EventFilter(date_from="1995", date_to="1996", within=True)
    assert within.apply([decade, year]) == [year]
