"""Questions asked of a list of events: filter, timeline, ranked search, pairs, stats, ids.

The plain functions take events and return new lists or small typed
summaries; nothing prints, so the same functions serve the CLI and scripts.
Search is then a linear scan, built to stay fast on 100,000 events: lowercase
haystacks are made once per query, and each term's pattern is compiled once
per query, not per event.

The ``*_in`` functions ask a :class:`~bilat.store.base.Store` instead, and push
the work down when the backend can do it (:class:`~bilat.store.base.Pushdown`:
filter, order and limit in SQL, ranked full-text matches, aggregates for
pairs and stats); otherwise they scan its events with the plain functions.
Both ways give the same events in the same order, except that a database
ranks search hits by its own BM25 (the same hits, the same field weights).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, islice
from typing import TypeVar

from bilat.dates_arg import parse_partial_date
from bilat.errors import BilatError, DateError
from bilat.extract.history import involves_all, lineage
from bilat.models import EVENT_TYPES, PRECISIONS, Event, EventDate
from bilat.store.base import PairSummary as PairSummary  # a query result, made by backends too
from bilat.store.base import Pushdown, Selection, Store

_T = TypeVar("_T")

# Field weights: a word in the title says more about an event than one in its sentence.
TITLE_WEIGHT = 3.0
ACTOR_WEIGHT = 2.0
SENTENCE_WEIGHT = 1.0
# BM25's usual constants: term-frequency saturation and length normalisation.
_K1 = 1.2
_B = 0.75

_QUERY_PART = re.compile(r'"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+)')
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_MAX_CANDIDATES = 10


@dataclass(frozen=True)
class EventFilter:
    """Which events to keep, in which order, and how many. Every criterion given must hold.

    ``countries`` are alpha-3 codes and an event must involve all of them (a
    country also matches the states it succeeded: RUS matches SUN events);
    ``date_from``/``date_to`` are partial dates (``2001``, ``2001-05``,
    ``2001-05-12``) read as the days they cover, and an event is kept when its
    own interval overlaps ``[date_from, date_to]`` (with ``within``, only when it
    lies wholly inside: "the 1990s" is not kept for ``--from 1995``); ``actor`` and ``doc`` are
    case-insensitive substrings of an actor's name and of the source path.
    ``reverse`` flips the output order and ``limit`` then keeps the first items.
    """

    countries: Sequence[str] = ()
    date_from: str | None = None
    date_to: str | None = None
    types: Sequence[str] = ()
    actor: str | None = None
    doc: str | None = None
    limit: int | None = None
    reverse: bool = False
    within: bool = False
    _after: date | None = field(init=False, repr=False, compare=False, default=None)
    _before: date | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        # Parse once, up front, so a bad date fails before any event is read.
        after = None if self.date_from is None else parse_partial_date(self.date_from)[0]
        before = None if self.date_to is None else parse_partial_date(self.date_to)[1]
        if after is not None and before is not None and after > before:
            raise DateError(
                f"--from {self.date_from} is after --to {self.date_to}",
                hint="swap the two dates",
            )
        unknown = [name for name in self.types if name not in EVENT_TYPES]
        if unknown:
            raise BilatError(
                f"unknown event type {unknown[0]!r}", hint=f"use one of {', '.join(EVENT_TYPES)}"
            )
        if self.limit is not None and self.limit < 0:
            raise BilatError(f"limit must be 0 or more, not {self.limit}")
        object.__setattr__(self, "_after", after)
        object.__setattr__(self, "_before", before)

    def matches(self, event: Event) -> bool:
        """Whether ``event`` passes every criterion (order and limit aside)."""
        if self.countries and not involves_all(self.countries, event.countries):
            return False
        if self._after is not None and event.date.end < self._after:
            return False
        if self._before is not None and event.date.start > self._before:
            return False
        if self.within and self.partly_outside(event):
            return False
        if self.types and event.type not in self.types:
            return False
        if self.actor is not None:
            wanted = self.actor.casefold()
            if not any(wanted in actor.name.casefold() for actor in event.actors):
                return False
        return self.doc is None or self.doc.casefold() in event.source.doc.casefold()

    def partly_outside(self, event: Event) -> bool:
        """Whether ``event``'s interval reaches outside ``[date_from, date_to]``: a vague
        date kept because it overlaps the range, not because it lies in it."""
        return (self._after is not None and event.date.start < self._after) or (
            self._before is not None and event.date.end > self._before
        )

    def selection(self) -> tuple[Selection, bool]:
        """What a backend can test, and whether that is all of this filter.

        Each country becomes the set of it and the states it succeeded. When two
        of those sets overlap ("russia ussr"), one event country could answer
        both, which :func:`involves_all` forbids: the selection is then only a
        superset, and the caller re-checks with :meth:`matches`. So it is with
        ``within``, which a backend tests as an overlap.
        """
        sets = tuple(frozenset(lineage(code)) for code in self.countries)
        disjoint = all(not a & b for index, a in enumerate(sets) for b in sets[index + 1 :])
        exact = disjoint and not self.within
        selection = Selection(
            countries=sets,
            after=self._after,
            before=self._before,
            types=tuple(self.types),
            actor=self.actor,
            doc=self.doc,
            reverse=self.reverse,
            limit=self.limit,
        )
        return (selection, True) if exact else (selection.unlimited(), False)

    def apply(self, events: Iterable[Event]) -> list[Event]:
        """The events that match, in their given order."""
        return [event for event in events if self.matches(event)]

    def cut(self, items: list[_T]) -> list[_T]:
        """Reverse (when asked), then keep the first ``limit`` items."""
        ordered = items[::-1] if self.reverse else items
        return ordered if self.limit is None else ordered[: self.limit]


def timeline(events: Iterable[Event], flt: EventFilter | None = None) -> list[Event]:
    """The matching events, oldest first (most recent first with ``reverse``)."""
    flt = flt or EventFilter()
    return flt.cut(sorted(flt.apply(events), key=Event.sort_key))


@dataclass(frozen=True)
class SearchHit:
    """A matching event, its relevance, and the query terms to highlight in it."""

    event: Event
    score: float
    terms: tuple[str, ...]


def parse_query(query: str) -> tuple[str, ...]:
    """The query's terms: words, and ``"quoted phrases"`` kept whole; casefolded, deduplicated.

    Raises :class:`BilatError` when nothing searchable is left.
    """
    terms: list[str] = []
    for match in _QUERY_PART.finditer(query):
        if match["phrase"] is not None:
            term = " ".join(match["phrase"].split())
        else:
            term = _EDGE_PUNCTUATION.sub("", match["word"])
        term = term.casefold()
        if term and term not in terms:
            terms.append(term)
    if not terms:
        raise BilatError(
            f"nothing to search for in {query!r}",
            hint='give words (all must match) or "a quoted phrase"',
        )
    return tuple(terms)


def term_pattern(term: str) -> re.Pattern[str]:
    """Where ``term`` occurs at the start of a word: ``pipe`` finds "pipeline", not "unpiped"."""
    body = r"\s+".join(re.escape(part) for part in term.split())
    boundary = r"(?<!\w)" if re.match(r"\w", term) else ""
    return re.compile(boundary + body, re.IGNORECASE)


def search(events: Iterable[Event], query: str, flt: EventFilter | None = None) -> list[SearchHit]:
    """Events whose title, sentence or actor names hold every term, best first.

    Ranking is BM25 over the three fields weighted title > actors > sentence;
    equal scores keep timeline order. Matching is case-insensitive and a word
    matches at word starts, so ``sanction`` finds "sanctions".
    """
    flt = flt or EventFilter()
    terms = parse_query(query)
    patterns = [(term, term_pattern(term)) for term in terms]
    # Whitespace only needs collapsing when a phrase could straddle a line break.
    haystack = _collapsed if any(" " in term for term in terms) else str.casefold
    candidates = flt.apply(events)
    frequencies = [0] * len(terms)
    matched: list[tuple[Event, list[float], int]] = []
    total_length = 0
    for event in candidates:
        actors = " | ".join(actor.name for actor in event.actors) if event.actors else ""
        total_length += len(event.title) + len(event.source.sentence)
        # One casefold and a C-speed substring test per term rule out most events;
        # the word-start patterns only run on the few that hold every term.
        combined = haystack(f"{event.title}\n{event.source.sentence}\n{actors}")
        present = [term in combined for term, _ in patterns]
        for index, found in enumerate(present):
            frequencies[index] += found
        if not all(present):
            continue
        weighted = _term_weights(event, actors, patterns, haystack)
        if all(weighted):
            matched.append((event, weighted, len(event.title) + len(event.source.sentence)))
    if not matched:
        return []
    count = len(candidates)
    average = total_length / count or 1.0
    idf = [math.log(1 + (count - df + 0.5) / (df + 0.5)) for df in frequencies]
    hits = [
        SearchHit(event=event, score=_bm25(weighted, idf, length / average), terms=terms)
        for event, weighted, length in matched
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.event.sort_key()))
    return flt.cut(hits)


def _term_weights(
    event: Event,
    actors: str,
    patterns: Sequence[tuple[str, re.Pattern[str]]],
    haystack: Callable[[str], str],
) -> list[float]:
    """Each term's field-weighted count of word-start matches in the event (0: absent)."""
    fields = (haystack(event.title), haystack(event.source.sentence), haystack(actors))
    weights = (TITLE_WEIGHT, SENTENCE_WEIGHT, ACTOR_WEIGHT)
    return [
        sum(
            weight * len(pattern.findall(text))
            for weight, text in zip(weights, fields, strict=True)
        )
        for _, pattern in patterns
    ]


def _collapsed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _bm25(weighted: list[float], idf: list[float], relative_length: float) -> float:
    norm = _K1 * (1 - _B + _B * relative_length)
    score = sum(w * tf * (_K1 + 1) / (tf + norm) for w, tf in zip(idf, weighted, strict=True))
    return round(score, 6)


def pairs(events: Iterable[Event]) -> list[PairSummary]:
    """Every pair of countries taking part together, most events first.

    A multilateral event counts for each pair of its participants.
    """
    grouped: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        for pair in combinations(event.countries, 2):
            grouped.setdefault((pair[0], pair[1]), []).append(event)
    summaries = [
        PairSummary(
            countries=pair,
            events=len(members),
            first=min(members, key=Event.sort_key).date,
            last=max(members, key=Event.sort_key).date,
        )
        for pair, members in grouped.items()
    ]
    summaries.sort(key=lambda summary: (-summary.events, summary.countries))
    return summaries


@dataclass(frozen=True)
class Stats:
    """Counts over a set of events, for ``bilat stats``; every mapping in a stable order."""

    events: int
    documents: int
    first: EventDate | None
    last: EventDate | None
    by_type: dict[str, int]
    by_decade: dict[int, int]
    by_precision: dict[str, int]
    by_country: dict[str, int]


def stats(events: Iterable[Event]) -> Stats:
    """Events per type (every type listed), per decade, per date precision and per country."""
    ordered = sorted(events, key=Event.sort_key)
    types = Counter(event.type for event in ordered)
    precisions = Counter(event.date.precision for event in ordered)
    decades = Counter(event.date.start.year // 10 * 10 for event in ordered)
    countries = Counter(code for event in ordered for code in event.countries)
    return Stats(
        events=len(ordered),
        documents=len({event.source.doc for event in ordered}),
        first=ordered[0].date if ordered else None,
        last=ordered[-1].date if ordered else None,
        by_type={name: types[name] for name in EVENT_TYPES},
        by_decade=dict(sorted(decades.items())),
        by_precision={name: precisions[name] for name in PRECISIONS if precisions[name]},
        by_country=dict(sorted(countries.items(), key=lambda item: (-item[1], item[0]))),
    )


def find_by_id(events: Iterable[Event], prefix: str) -> Event:
    """The one event whose id starts with ``prefix`` (as ``git`` resolves short hashes)."""
    wanted = prefix.strip().lower()
    if not wanted:
        raise BilatError("empty event id", hint="ids are shown by `bilat timeline`")
    found = [event for event in events if event.id.startswith(wanted)]
    if not found:
        raise BilatError(
            f"no event with id {prefix!r}",
            hint="ids are shown by `bilat timeline` and `bilat search`",
        )
    if len(found) > 1:
        shown = ", ".join(event.id for event in sorted(found, key=Event.sort_key)[:_MAX_CANDIDATES])
        more = f" and {len(found) - _MAX_CANDIDATES} more" if len(found) > _MAX_CANDIDATES else ""
        raise BilatError(
            f"id {prefix!r} matches {len(found)} events: {shown}{more}",
            hint="give more characters of the id",
        )
    return found[0]


# -- the same questions asked of a store ---------------------------------------------------


def timeline_in(store: Store, flt: EventFilter | None = None) -> Iterator[Event]:
    """:func:`timeline` of the store's events, streamed: nothing is held that is not shown."""
    flt = flt or EventFilter()
    selection, exact = flt.selection()
    if exact:
        return store.select(selection)
    return iter(flt.cut([event for event in store.select(selection) if flt.matches(event)]))


def search_in(store: Store, query: str, flt: EventFilter | None = None) -> list[SearchHit]:
    """:func:`search` over the store; a database finds and ranks the candidates itself.

    The database's candidates are re-checked with the same word-start rules,
    so both backends return the same hits; only the scores (and so the order
    among hits) are the database's BM25.
    """
    flt = flt or EventFilter()
    terms = parse_query(query)
    selection, exact = flt.selection()
    if not (isinstance(store, Pushdown) and all(store.searchable(term) for term in terms)):
        return search(store.select(selection.unlimited()), query, flt)
    patterns = [(term, term_pattern(term)) for term in terms]
    haystack = _collapsed if any(" " in term for term in terms) else str.casefold
    hits = (
        SearchHit(event=event, score=score, terms=terms)
        for event, score in store.ranked(terms, selection)
        if (exact or flt.matches(event))
        and all(_term_weights(event, _actor_text(event), patterns, haystack))
    )
    return list(hits if flt.limit is None else islice(hits, flt.limit))


def _actor_text(event: Event) -> str:
    return " | ".join(actor.name for actor in event.actors) if event.actors else ""


def pairs_in(store: Store, flt: EventFilter | None = None) -> list[PairSummary]:
    """:func:`pairs` of the filtered events; a database counts them as an aggregate.

    With countries in the filter, only the pairs involving one of them (or a
    state it succeeded) are kept, as ``bilat pairs china`` shows them.
    """
    flt = flt or EventFilter()
    selection, exact = flt.selection()
    if isinstance(store, Pushdown) and exact:
        summaries = store.pair_rows(selection.unlimited())
        summaries.sort(key=lambda summary: (-summary.events, summary.countries))
    else:
        summaries = pairs(event for event in store.select(selection) if flt.matches(event))
    if flt.countries:
        wanted = set().union(*(lineage(code) for code in flt.countries))
        summaries = [summary for summary in summaries if set(summary.countries) & wanted]
    return summaries


def stats_in(store: Store, flt: EventFilter | None = None) -> Stats:
    """:func:`stats` of the filtered events; a database counts them as aggregates."""
    flt = flt or EventFilter()
    selection, exact = flt.selection()
    if not (isinstance(store, Pushdown) and exact):
        return stats(event for event in store.select(selection) if flt.matches(event))
    tallies = store.tallies(selection.unlimited())
    return Stats(
        events=tallies.events,
        documents=tallies.documents,
        first=tallies.first,
        last=tallies.last,
        by_type={name: tallies.by_type.get(name, 0) for name in EVENT_TYPES},
        by_decade=dict(sorted(tallies.by_decade.items())),
        by_precision={
            name: tallies.by_precision[name]
            for name in PRECISIONS
            if tallies.by_precision.get(name)
        },
        by_country=dict(sorted(tallies.by_country.items(), key=lambda item: (-item[1], item[0]))),
    )


def find_in(store: Store, prefix: str) -> Event:
    """:func:`find_by_id` in the store; a database looks the prefix up in its id index."""
    wanted = prefix.strip().lower()
    return find_by_id(store.with_id_prefix(wanted) if wanted else [], prefix)
