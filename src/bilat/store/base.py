"""One store interface, two backends: what every store answers, and what a database adds.

:class:`Store` is what the JSON file (:mod:`~bilat.store.json_store`) and the
SQLite database (:mod:`~bilat.store.sqlite_store`) both do: load and save the
whole store, replace re-extracted documents, hand out the events a
:class:`Selection` picks in timeline order, find ids by prefix, and check
themselves. :class:`Pushdown` is what only a database can do cheaply: ranked
full-text matches and the aggregates of ``pairs`` and ``stats``, answered
without reading every event. The query layer asks for :class:`Pushdown` and
falls back to scanning :meth:`Store.select` when a backend lacks it.

This module knows nothing of :class:`~bilat.query.EventFilter` (the query layer
sits above the store): a :class:`Selection` is the filter reduced to what a
backend can test directly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from bilat.models import DocumentInfo, Event, EventDate, StoreData


class ExtractedDocument(Protocol):
    """What a re-extraction hands the store: a document and all its events.

    :class:`bilat.extract.pipeline.DocumentResult` satisfies it; the store does not
    import the pipeline so that reading a store never loads the extractor. An
    object may also have ``records``, each event's :meth:`Event.record` in order,
    rendered where it was extracted, which a writer then uses instead of
    rendering them again.
    """

    @property
    def info(self) -> DocumentInfo: ...

    @property
    def events(self) -> list[Event]: ...


@dataclass(frozen=True)
class Selection:
    """Which events a backend hands out, in timeline order (oldest first), and how many.

    ``countries`` holds one set of codes per requested country: for each set,
    one of the event's countries must be in it (a set is a country and the
    states it succeeded). ``after``/``before`` keep the events whose interval
    overlaps ``[after, before]``; ``actor`` and ``doc`` are casefolded
    substrings of an actor's name and of the source path. ``reverse`` gives
    the most recent first and ``limit`` then keeps the first items.
    """

    countries: tuple[frozenset[str], ...] = ()
    after: date | None = None
    before: date | None = None
    types: tuple[str, ...] = ()
    actor: str | None = None
    doc: str | None = None
    reverse: bool = False
    limit: int | None = None
    _actor: str | None = field(init=False, repr=False, compare=False, default=None)
    _doc: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_actor", None if self.actor is None else self.actor.casefold())
        object.__setattr__(self, "_doc", None if self.doc is None else self.doc.casefold())

    def matches(self, event: Event) -> bool:
        """Whether ``event`` passes every criterion (order and limit aside)."""
        # A loop, not any(): this runs once per event of a JSON store (100,000 and more).
        for codes in self.countries:
            if codes.isdisjoint(event.countries):
                return False
        if self.after is not None and event.date.end < self.after:
            return False
        if self.before is not None and event.date.start > self.before:
            return False
        if self.types and event.type not in self.types:
            return False
        if self._actor is not None:
            wanted = self._actor
            if not any(wanted in actor.name.casefold() for actor in event.actors):
                return False
        return self._doc is None or self._doc in event.source.doc.casefold()

    def unlimited(self) -> Selection:
        """The same criteria, oldest first and every match: for callers that re-filter."""
        return Selection(
            countries=self.countries,
            after=self.after,
            before=self.before,
            types=self.types,
            actor=self.actor,
            doc=self.doc,
        )


@dataclass(frozen=True)
class PairSummary:
    """How often two countries meet in the events, and the dates of the first and last."""

    countries: tuple[str, str]
    events: int
    first: EventDate
    last: EventDate


@dataclass(frozen=True)
class Tallies:
    """The counts ``bilat stats`` shows, as a backend computes them (types, precisions as found)."""

    events: int
    documents: int
    first: EventDate | None
    last: EventDate | None
    by_type: dict[str, int]
    by_decade: dict[int, int]
    by_precision: dict[str, int]
    by_country: dict[str, int]


@dataclass(frozen=True)
class Check:
    """What ``bilat validate`` reports: the counts, and every problem found (none: valid)."""

    events: int
    documents: int
    problems: list[str]


class Store(Protocol):
    """What every backend does; see the module docstring."""

    path: Path

    def exists(self) -> bool:
        """Whether the store is there (a missing store is an error for queries only)."""
        ...

    def load(self) -> StoreData:
        """The whole store, validated; every failure is a :class:`~bilat.errors.StoreError`."""
        ...

    def save(self, data: StoreData) -> None:
        """Replace the whole store with ``data``, atomically."""
        ...

    def replace_documents(self, results: Sequence[ExtractedDocument]) -> object:
        """Swap in freshly extracted documents (by path or content), keeping all others."""
        ...

    def documents(self) -> list[DocumentInfo]:
        """The documents the store was built from, by path (unchanged ones are not re-read)."""
        ...

    def document_entries(self) -> Mapping[str, DocumentInfo]:
        """The same documents by path, for ``extract`` to look up the files it reads
        (a database answers each lookup with one row instead of reading them all)."""
        ...

    def count(self) -> int:
        """How many events the store holds."""
        ...

    def select(self, selection: Selection) -> Iterator[Event]:
        """The selected events, oldest first (or most recent first), at most ``limit``."""
        ...

    def with_id_prefix(self, prefix: str) -> list[Event]:
        """Every event whose id starts with ``prefix`` (lowercase hex), oldest first."""
        ...

    def check(self, known_countries: Collection[str] | None = None) -> Check:
        """Validate everything and look for inconsistencies (``bilat validate``).

        With ``known_countries`` (the gazetteer's codes; a store does not load the
        gazetteer itself), a well-formed code that names no country is a problem.
        """
        ...


@runtime_checkable
class Pushdown(Protocol):
    """What a database answers without reading every event (see the module docstring)."""

    def ranked(self, terms: Sequence[str], selection: Selection) -> Iterator[tuple[Event, float]]:
        """Events holding every term (as word starts), best first by BM25, ties oldest first.

        The rank is the backend's; the caller re-checks each event with its own
        matching rules, so a backend may return a superset. ``selection.limit``
        is ignored: the caller stops reading when it has enough.
        """
        ...

    def searchable(self, term: str) -> bool:
        """Whether :meth:`ranked` can look ``term`` up (else the caller scans)."""
        ...

    def pair_rows(self, selection: Selection) -> list[PairSummary]:
        """Every pair of countries among the selected events, in no particular order."""
        ...

    def tallies(self, selection: Selection) -> Tallies:
        """The counts of the selected events."""
        ...


def unknown_countries(index: int, event: Event, known_countries: Collection[str]) -> str | None:
    """The problem line for an event naming codes no country has (``XXX``), if it does."""
    codes = [*event.countries, *(actor.country for actor in event.actors if actor.country)]
    unknown = sorted(set(codes) - set(known_countries))
    if not unknown:
        return None
    return f"events[{index}] (id {event.id}): unknown country code " + ", ".join(unknown)
