"""Shared fixtures: an isolated store for every test, and hand-made events.

Tests of the store, queries, renderers and CLI build their events here rather
than running the extractor, so they test those layers and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bilat.models import (
    SCHEMA_VERSION,
    Actor,
    Amount,
    DocumentInfo,
    Event,
    EventDate,
    Source,
    StoreData,
    event_id,
)
from bilat.store.json_store import EventStore

EventFactory = Callable[..., Event]


@pytest.fixture(autouse=True)
def isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BILAT_STORE at a fresh file so no test ever touches data/events.json."""
    path = tmp_path / "store" / "events.json"
    monkeypatch.setenv("BILAT_STORE", str(path))
    return path


def build_event(
    title: str = "China and Russia signed a treaty",
    *,
    start: str = "2001-07-16",
    end: str | None = None,
    precision: str = "day",
    mod: str | None = None,
    text: str | None = None,
    value: str | None = None,
    countries: Sequence[str] = ("CHN", "RUS"),
    type: str = "treaty",
    doc: str = "seeds/a.txt",
    offset: int = 0,
    sentence: str | None = None,
    actors: Sequence[tuple[str, str | None, str]] = (),
    amount: tuple[float, str, str] | None = None,
    measure: str | None = None,
    confidence: float = 0.8,
) -> Event:
    """An event with sensible defaults; its id is derived like the extractor's."""
    sentence = sentence if sentence is not None else f"In {text or start}, {title}."
    first = date.fromisoformat(start)
    payload: dict[str, Any] = {
        "id": event_id(doc, offset, offset + len(sentence), title),
        "date": EventDate(
            start=first,
            end=date.fromisoformat(end) if end else first,
            precision=precision,
            mod=mod,
            text=text or start,
            value=value or start,
        ),
        "countries": sorted(countries),
        "type": type,
        "title": title,
        "actors": [Actor(name=n, country=c, kind=k) for n, c, k in actors],
        "amount": None
        if amount is None
        else Amount(
            value=amount[0],
            currency=amount[1],
            text=amount[2],
            measure=measure,  # type: ignore[arg-type]
        ),
        "source": Source(doc=doc, start=offset, end=offset + len(sentence), sentence=sentence),
        "confidence": confidence,
    }
    return Event(**payload)


def store_data(events: Sequence[Event]) -> StoreData:
    """A consistent store for ``events``: one document entry per source document."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.source.doc] = counts.get(event.source.doc, 0) + 1
    documents = [
        DocumentInfo(
            path=doc,
            sha256=hashlib.sha256(doc.encode()).hexdigest(),
            title=Path(doc).stem,
            events=count,
        )
        for doc, count in counts.items()
    ]
    return StoreData(schema_version=SCHEMA_VERSION, documents=documents, events=list(events))


@pytest.fixture
def make_event() -> EventFactory:
    return build_event


@pytest.fixture
def sample_events() -> list[Event]:
    """A small, varied store: several pairs, types, precisions and modifiers."""
    return [
        build_event(
            "China and Russia signed the Treaty of Good-Neighbourliness",
            start="2001-07-16",
            text="16 July 2001",
            value="2001-07-16",
            actors=[("Jiang Zemin", "CHN", "person"), ("Vladimir Putin", "RUS", "person")],
            offset=100,
        ),
        build_event(
            "CNPC and Rosneft agreed on crude deliveries by pipeline",
            start="2006-01-01",
            end="2006-12-31",
            precision="year",
            mod="START",
            text="early 2006",
            value="2006",
            type="trade",
            actors=[("CNPC", "CHN", "company"), ("Rosneft", "RUS", "company")],
            offset=400,
        ),
        build_event(
            "Russia and China signed a 30-year gas deal",
            start="2014-01-01",
            end="2014-12-31",
            precision="year",
            text="2014",
            value="2014",
            type="trade",
            sentence="In 2014, Russia and China signed a 30-year gas deal worth $400 billion "
            "for deliveries through the Power of Siberia pipeline.",
            amount=(400e9, "USD", "$400 billion"),
            measure="deal_value",
            offset=900,
        ),
        build_event(
            "Russia closed the Lourdes listening station in Cuba",
            start="2001-10-01",
            end="2001-10-31",
            precision="month",
            text="October 2001",
            value="2001-10",
            countries=("CUB", "RUS"),
            type="military",
            doc="seeds/b.txt",
            offset=50,
        ),
        build_event(
            "Cuba and the Soviet Union drifted apart",
            start="1990-01-01",
            end="1999-12-31",
            precision="decade",
            text="the 1990s",
            value="199",
            countries=("CUB", "RUS"),
            type="diplomacy",
            doc="seeds/b.txt",
            offset=10,
        ),
        build_event(
            "Chinese and Cuban officials discussed trade in the first quarter",
            start="2008-01-01",
            end="2008-03-31",
            precision="quarter",
            text="the first quarter of 2008",
            value="2008-Q1",
            countries=("CHN", "CUB"),
            type="visit",
            doc="seeds/b.txt",
            offset=700,
        ),
        build_event(
            "SCO members held a joint exercise",
            start="2007-08-09",
            end="2007-08-17",
            precision="day",
            text="9–17 August 2007",
            value="2007-08-09/2007-08-17",
            countries=("CHN", "KAZ", "RUS"),
            type="military",
            offset=1500,
        ),
        build_event(
            "Xi Jinping visited Moscow for talks with Putin",
            start="2023-03-20",
            end="2023-03-22",
            text="20–22 March 2023",
            value="2023-03-20/2023-03-22",
            type="visit",
            actors=[("Xi Jinping", "CHN", "person"), ("Vladimir Putin", "RUS", "person")],
            offset=2500,
        ),
    ]


@pytest.fixture
def saved_store(isolated_store: Path, sample_events: list[Event]) -> Path:
    """The sample events saved at the isolated store path."""
    EventStore(isolated_store).save(store_data(sample_events))
    return isolated_store
