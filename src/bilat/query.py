"""Questions asked of a list of events: filter, timeline, ranked search, pairs, stats, ids.

Everything here takes events and returns new lists or small typed summaries;
nothing reads the store or prints, so the same functions serve the CLI and
scripts. Search is a linear scan (no index to keep in sync with the store),
built to stay fast on 100,000 events: lowercase haystacks are made once per
query, and each term's pattern is compiled once per query, not per event.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import TypeVar

from bilat.dates_arg import parse_partial_date
from bilat.errors import BilatError, DateError
from bilat.extract.history import involves_all
from bilat.models import EVENT_TYPES, PRECISIONS, Event, EventDate

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
    weights = (TITLE_WEIGHT, SENTENCE_WEIGHT, ACTOR_WEIGHT)
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
        fields = (haystack(event.title), haystack(event.source.sentence), haystack(actors))
        weighted = [
            sum(
                weight * len(pattern.findall(text))
                for weight, text in zip(weights, fields, strict=True)
            )
            for _, pattern in patterns
        ]
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


def _collapsed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _bm25(weighted: list[float], idf: list[float], relative_length: float) -> float:
    norm = _K1 * (1 - _B + _B * relative_length)
    score = sum(w * tf * (_K1 + 1) / (tf + norm) for w, tf in zip(idf, weighted, strict=True))
    return round(score, 6)


@dataclass(frozen=True)
class PairSummary:
    """How often two countries meet in the events, and the dates of the first and last."""

    countries: tuple[str, str]
    events: int
    first: EventDate
    last: EventDate


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
