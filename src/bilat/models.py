"""The typed objects every stage of bilat passes around, and the public JSON contract.

The field names of :class:`Event` and its parts are what users' scripts read
(``bilat timeline --json``): extend them, never rename or drop them, and bump
:data:`SCHEMA_VERSION` when they change.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

SCHEMA_VERSION = 2
"""2 added ``source.page``, ``documents[].format``, ``documents[].extractor`` and
``amount.measure``; a store of schema 1 loads as 2 (its amounts have no measure)."""

READABLE_SCHEMA_VERSIONS = frozenset({1, SCHEMA_VERSION})
"""Schema versions a store may have on disk: the older ones migrate on read."""

DocumentFormat = Literal["text", "html", "pdf"]

Precision = Literal["day", "month", "quarter", "half", "season", "year", "decade", "century"]
Mod = Literal[
    "START",
    "MID",
    "END",
    "APPROX",
    "BEFORE",
    "AFTER",
    "SINCE",
    "AS_OF",
    "BY",
    "UNTIL",
    "SPRING",
    "SUMMER",
    "FALL",
    "WINTER",
]
Resolution = Literal["explicit", "relative", "inherited", "published"]
EventType = Literal[
    "treaty",
    "visit",
    "trade",
    "investment",
    "aid",
    "military",
    "diplomacy",
    "conflict",
    "sanctions",
    "cooperation",
]
ActorKind = Literal["person", "organisation", "company", "government"]
Measure = Literal[
    "trade_volume", "exports", "imports", "deal_value", "loan", "investment", "aid", "other"
]

EVENT_TYPES: tuple[EventType, ...] = (
    "treaty",
    "visit",
    "trade",
    "investment",
    "aid",
    "military",
    "diplomacy",
    "conflict",
    "sanctions",
    "cooperation",
)
PRECISIONS: tuple[Precision, ...] = (
    "day",
    "month",
    "quarter",
    "half",
    "season",
    "year",
    "decade",
    "century",
)

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class _Strict(BaseModel):
    """Base for contract models: unknown fields are errors, instances are immutable.

    Parsing JSON caches only the field names, not every short string value: the
    value cache costs more lookups than it saves (a JSON store of 100,000 events
    loads in 0.59 s instead of 0.68 s, holding some 35 MiB more).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, cache_strings="keys")


class EventDate(_Strict):
    """A date interval of whole days, with the precision and modifier it was written with."""

    start: date
    end: date
    precision: Precision
    mod: Mod | None = None
    text: str = Field(description="The time expression as written (or the inherited one).")
    value: str = Field(description='TIMEX3-style value: "2006", "2006-07", "199", "2000/2006".')
    resolution: Resolution = "explicit"

    @model_validator(mode="after")
    def _start_not_after_end(self) -> EventDate:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Actor(_Strict):
    """A person, organisation, company or government named in the event's sentence."""

    name: str
    country: CountryCode | None = None
    kind: ActorKind


class Amount(_Strict):
    """A sum of money stated by the event, in units of its ISO 4217 currency."""

    value: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    text: str
    measure: Measure | None = Field(
        default=None,
        description="What the sum measures, from the words around it; null in schema-1 stores.",
    )


class Source(_Strict):
    """Where an event was read: the document as given, and the sentence's character span."""

    doc: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: str
    page: int | None = Field(
        default=None, ge=1, description="1-based page of a PDF; null for other formats."
    )

    @model_validator(mode="after")
    def _span_ordered(self) -> Source:
        if self.end < self.start:
            raise ValueError(f"end offset {self.end} is before start offset {self.start}")
        return self


class Event(_Strict):
    """One dated happening between two or more countries (see ANNOTATION.md)."""

    id: str = Field(pattern=r"^[0-9a-f]{16}$")
    date: EventDate
    countries: list[CountryCode] = Field(min_length=2)
    type: EventType
    title: str
    actors: list[Actor] = Field(default_factory=list)
    amount: Amount | None = None
    source: Source
    confidence: float = Field(ge=0.0, le=1.0)

    @field_validator("countries")
    @classmethod
    def _sorted_unique(cls, value: list[str]) -> list[str]:
        if value != sorted(set(value)):
            raise ValueError("countries must be sorted and unique")
        return value

    def sort_key(self) -> tuple[datetime.date, datetime.date, str, int, str]:
        """Oldest first; ties broken by document position so order never depends on input order."""
        return (self.date.start, self.date.end, self.source.doc, self.source.start, self.id)

    def record(self) -> str:
        """The event as a JSON store writes it, one line: its JSON-mode fields, in field order.

        Rendering is about a third of writing a store, so an extraction worker
        renders its events' records (``DocumentResult.records``) while the one
        writer is busy with other documents.
        """
        return record_line(self)


def record_line(model: BaseModel) -> str:
    """``model`` as one line of JSON, non-ASCII kept as it is (the JSON store's record format)."""
    return _RECORD_ENCODER.encode(model.model_dump(mode="json"))


_RECORD_ENCODER = json.JSONEncoder(ensure_ascii=False)
"""One encoder for every record: ``json.dumps`` with options builds a new one per call."""


def event_id(doc: str, start: int, end: int, anchor: str) -> str:
    """Stable content hash: the same document, sentence span and anchor give the same id."""
    key = "\x1f".join((doc, str(start), str(end), anchor))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class DocumentInfo(_Strict):
    """A document the store was built from, so a re-extraction can replace its events."""

    path: str
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="Digest of the original file's bytes."
    )
    title: str
    published: date | None = None
    pair: list[CountryCode] = Field(default_factory=list, max_length=2)
    events: int = Field(ge=0, default=0)
    format: DocumentFormat = Field(default="text", description="What the file was read as.")
    extractor: str = Field(
        default="",
        description="The extractor version the events were computed with (empty: unknown, "
        "as in stores of schema 1); a re-run skips the document while it and sha256 match.",
    )


class StoreData(_Strict):
    """The whole content of an event store file.

    ``schema_version`` is required and must be a true integer: a file without
    it (``{}``) or with ``true`` is not a bilat store, whatever else it holds.
    """

    schema_version: StrictInt
    documents: list[DocumentInfo] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    @classmethod
    def empty(cls) -> StoreData:
        """A store of the current schema with nothing in it yet."""
        return cls(schema_version=SCHEMA_VERSION)
