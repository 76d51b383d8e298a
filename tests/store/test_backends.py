"""The store contract, run against both backends: JSON file and SQLite database.

Every test here takes the ``backend`` fixture, so the JSON store and the SQLite
store pass the same suite: round trip, replace on re-extraction, the queries
pushed down, concurrent writers, interrupted writers, malformed files.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

import bilat.store.atomic
import bilat.store.sqlite_store
from bilat.errors import StoreError
from bilat.models import SCHEMA_VERSION, DocumentInfo, Event, StoreData
from bilat.query import (
    EventFilter,
    find_by_id,
    find_in,
    pairs,
    pairs_in,
    search,
    search_in,
    stats,
    stats_in,
    timeline,
    timeline_in,
)
from bilat.store.backends import copy_store, open_store
from bilat.store.base import Pushdown, Store
from bilat.store.json_store import EventStore
from bilat.store.sqlite_store import SqliteStore
from tests.conftest import build_event, store_data

SUFFIX = {"json": ".json", "sqlite": ".sqlite"}


@dataclass(frozen=True)
class Extracted:
    """Stands in for bilat.extract.pipeline.DocumentResult (same shape)."""

    info: DocumentInfo
    events: list[Event]


def extracted(doc: str, titles: list[str], content: str | None = None) -> Extracted:
    events = [build_event(title, doc=doc, offset=index * 100) for index, title in enumerate(titles)]
    digest = hashlib.sha256((content or doc).encode()).hexdigest()
    return Extracted(DocumentInfo(path=doc, sha256=digest, title=doc, events=len(events)), events)


@pytest.fixture(params=["json", "sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def path(backend: str, tmp_path: Path) -> Path:
    return tmp_path / f"events{SUFFIX[backend]}"


@pytest.fixture
def sample_store(path: Path, sample_events: list[Event]) -> Store:
    store = open_store(path)
    store.save(store_data(sample_events))
    return store


def sorted_data(data: StoreData) -> StoreData:
    return StoreData(
        schema_version=data.schema_version,
        documents=sorted(data.documents, key=lambda doc: doc.path),
        events=sorted(data.events, key=Event.sort_key),
    )


def test_the_suffix_picks_the_backend(tmp_path: Path) -> None:
    assert isinstance(open_store(tmp_path / "a.json"), EventStore)
    assert isinstance(open_store(tmp_path / "a"), EventStore)
    for name in ("a.sqlite", "a.db", "A.SQLITE"):
        assert isinstance(open_store(tmp_path / name), SqliteStore)
    assert isinstance(open_store(tmp_path / "a.sqlite"), Pushdown)
    assert not isinstance(open_store(tmp_path / "a.json"), Pushdown)


# -- round trip and replacement ------------------------------------------------------------


def test_save_then_load_gives_the_same_data(
    sample_store: Store, sample_events: list[Event]
) -> None:
    assert sample_store.load() == sorted_data(store_data(sample_events))
    assert sample_store.count() == len(sample_events)


def test_empty_store_round_trips(path: Path) -> None:
    store = open_store(path)
    store.save(StoreData.empty())
    assert store.load() == StoreData.empty()


def test_save_replaces_the_whole_store(sample_store: Store, sample_events: list[Event]) -> None:
    sample_store.save(store_data(sample_events[:2]))
    assert sample_store.load() == sorted_data(store_data(sample_events[:2]))


def test_replace_documents_creates_the_store(tmp_path: Path, backend: str) -> None:
    store = open_store(tmp_path / "new" / f"events{SUFFIX[backend]}")
    store.replace_documents([extracted("a.txt", ["one", "two"])])
    data = store.load()
    assert [doc.path for doc in data.documents] == ["a.txt"]
    assert sorted(event.title for event in data.events) == ["one", "two"]


def test_reextracting_replaces_events_and_keeps_other_documents(path: Path) -> None:
    store = open_store(path)
    store.replace_documents([extracted("a.txt", ["old a"]), extracted("b.txt", ["b"])])
    store.replace_documents([extracted("a.txt", ["new a", "newer a"])])
    data = store.load()
    assert sorted(event.title for event in data.events) == ["b", "new a", "newer a"]
    assert {doc.path: doc.events for doc in data.documents} == {"a.txt": 2, "b.txt": 1}
    assert store.check().problems == []


def test_document_entries_are_the_documents_by_path(path: Path) -> None:
    store = open_store(path)
    store.replace_documents([extracted("b.txt", ["b"]), extracted("a.txt", ["a", "aa"])])
    entries = store.document_entries()
    assert dict(entries) == {info.path: info for info in store.documents()}
    assert (len(entries), sorted(entries)) == (2, ["a.txt", "b.txt"])
    assert entries.get("a.txt") == next(doc for doc in store.documents() if doc.path == "a.txt")
    assert entries.get("c.txt") is None
    assert "c.txt" not in entries


def test_the_same_content_under_another_path_replaces_its_events(path: Path) -> None:
    store = open_store(path)
    store.replace_documents([extracted("seeds/a.txt", ["first"], content="same")])
    store.replace_documents([extracted("a.txt", ["second"], content="same")])
    data = store.load()
    assert [doc.path for doc in data.documents] == ["a.txt"]
    assert [event.title for event in data.events] == ["second"]


def test_both_backends_build_the_same_store(tmp_path: Path) -> None:
    runs = [
        [extracted("a.txt", ["a1", "a2"]), extracted("b.txt", ["b1"])],
        [extracted("a.txt", ["a3"])],
        [extracted("c.txt", ["c1", "c2"], content="b.txt")],
    ]
    loaded = []
    for suffix in (".json", ".sqlite"):
        store = open_store(tmp_path / f"events{suffix}")
        for results in runs:
            store.replace_documents(results)
        loaded.append(store.load())
    assert loaded[0] == loaded[1]


# -- queries: the same answers from both backends ------------------------------------------

FILTERS = [
    EventFilter(),
    EventFilter(countries=["CHN", "RUS"]),
    EventFilter(countries=["RUS"], reverse=True, limit=3),
    EventFilter(countries=["RUS", "SUN"]),
    EventFilter(date_from="2001", date_to="2007-08"),
    EventFilter(types=["trade", "visit"], limit=2),
    EventFilter(actor="PUTIN"),
    EventFilter(actor=""),
    EventFilter(doc="B.TXT"),
    EventFilter(limit=0),
]


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_timeline_matches_the_plain_function(
    sample_store: Store, sample_events: list[Event], flt: EventFilter
) -> None:
    assert list(timeline_in(sample_store, flt)) == timeline(sample_events, flt)


PAIR_EVENTS = [
    build_event("CHN RUS", start="2001-07-16", countries=("CHN", "RUS")),
    build_event("CHN SUN", start="1969-03-02", countries=("CHN", "SUN"), type="conflict"),
    build_event("all three", start="1991-12-01", countries=("CHN", "RUS", "SUN")),
    build_event("CHN USA", start="1972-02-21", countries=("CHN", "USA")),
    build_event("RUS USA", start="1985-11-19", countries=("RUS", "USA")),
    build_event("CHN RUS USA", start="2019-06-05", countries=("CHN", "RUS", "USA")),
    build_event("CHN RUS late", start="2023-03-20", countries=("CHN", "RUS"), type="visit"),
]


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(countries=["CHN", "RUS"]),
        EventFilter(countries=["RUS", "CHN"], limit=2),
        EventFilter(countries=["CHN", "RUS"], reverse=True, limit=3),
        EventFilter(countries=["CHN", "RUS"], date_from="1990", types=["treaty"]),
        EventFilter(countries=["USA", "RUS"]),
        EventFilter(countries=["CHN", "GBR"]),
        EventFilter(countries=["RUS", "SUN"]),
    ],
    ids=repr,
)
def test_a_pair_timeline_matches_the_plain_function(path: Path, flt: EventFilter) -> None:
    """Two countries are read from the pair index; a multilateral event comes once."""
    store = open_store(path)
    store.save(store_data(PAIR_EVENTS))
    assert list(timeline_in(store, flt)) == timeline(PAIR_EVENTS, flt)


def test_a_pair_timeline_reads_the_pair_index_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``timeline china russia --limit 20`` neither scans the events nor sorts them."""
    store = SqliteStore(tmp_path / "events.sqlite")
    store.save(store_data(PAIR_EVENTS))
    statements: list[str] = []
    connect = SqliteStore._connect

    def traced(self: SqliteStore, target: Path) -> sqlite3.Connection:
        connection = connect(self, target)
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(SqliteStore, "_connect", traced)
    list(timeline_in(store, EventFilter(countries=["CHN", "RUS"], limit=20)))
    (query,) = [sql for sql in statements if "event_pairs" in sql]
    with sqlite3.connect(store.path) as connection:
        plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {query}")]
    assert any("USING INDEX event_pairs_pair (a=? AND b=?)" in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_pairs_and_stats_match_the_plain_functions(
    sample_store: Store, sample_events: list[Event], flt: EventFilter
) -> None:
    plain = EventFilter(countries=flt.countries, date_from=flt.date_from, date_to=flt.date_to)
    expected = pairs(plain.apply(sample_events))
    if plain.countries:
        expected = [s for s in expected if set(s.countries) & {*plain.countries, "SUN"}]
    assert pairs_in(sample_store, plain) == expected
    assert stats_in(sample_store, plain) == stats(plain.apply(sample_events))


@pytest.mark.parametrize(
    ("query", "flt"),
    [
        ("pipeline", EventFilter()),
        ("signed", EventFilter(limit=2)),
        ("signed", EventFilter(reverse=True)),
        ('"gas deal"', EventFilter(countries=["CHN"])),
        ("putin", EventFilter()),
        ("sign treaty", EventFilter(date_to="2005")),
        ("nothing-like-this", EventFilter()),
        ('"--"', EventFilter()),
        ('"30-year"', EventFilter()),
    ],
)
def test_search_finds_the_same_hits(
    sample_store: Store, sample_events: list[Event], query: str, flt: EventFilter
) -> None:
    found = search_in(sample_store, query, flt)
    expected = search(sample_events, query, flt)
    if flt.limit is None:
        assert sorted(hit.event.id for hit in found) == sorted(hit.event.id for hit in expected)
    else:
        assert len(found) == len(expected)
    assert all(hit.terms == found[0].terms for hit in found)


def test_search_ranks_title_matches_first(sample_store: Store) -> None:
    hits = search_in(sample_store, "pipeline")
    assert hits[0].event.title == "CNPC and Rosneft agreed on crude deliveries by pipeline"


def test_ids_are_found_by_prefix(sample_store: Store, sample_events: list[Event]) -> None:
    event = sample_events[3]
    assert find_in(sample_store, event.id[:6].upper()) == event
    with pytest.raises(Exception, match="no event with id"):
        find_in(sample_store, "zz")
    assert sample_store.with_id_prefix("") == sorted(sample_events, key=Event.sort_key)
    assert find_by_id(sample_events, event.id) == event


def test_check_reports_a_valid_store(sample_store: Store, sample_events: list[Event]) -> None:
    report = sample_store.check()
    assert (report.events, report.documents, report.problems) == (len(sample_events), 2, [])


def test_check_finds_inconsistencies(path: Path, sample_events: list[Event]) -> None:
    data = store_data(sample_events)
    store = open_store(path)
    store.save(data.model_copy(update={"documents": data.documents[:1]}))
    assert store.check().problems == ["3 events come from 'seeds/b.txt', not in documents"]


# -- concurrency and interruption ------------------------------------------------------------


def _write_many(path: str, prefix: str, count: int) -> None:
    store = open_store(path)
    for index in range(count):
        store.replace_documents([extracted(f"{prefix}/{index}.txt", [f"{prefix} {index}"])])


def test_concurrent_writers_never_lose_each_others_events(path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_write_many, args=(str(path), name, 12)) for name in ("x", "y")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    data = open_store(path).load()
    assert len(data.documents) == 24
    assert sorted(event.title for event in data.events) == sorted(
        f"{prefix} {index}" for prefix in ("x", "y") for index in range(12)
    )


def _killed_mid_write(path: str) -> None:
    """Re-extract a.txt, and die (as SIGKILL would: no cleanup) once half of it is written."""
    if path.endswith(".sqlite"):
        original = bilat.store.sqlite_store._insert

        def dying_insert(*args: object, **kwargs: object) -> None:
            original(*args, **kwargs)  # type: ignore[arg-type]
            os._exit(9)

        bilat.store.sqlite_store._insert = dying_insert  # type: ignore[assignment]
    else:

        def dying_fsync(fd: int) -> None:
            os._exit(9)

        bilat.store.atomic.os.fsync = dying_fsync  # type: ignore[assignment]
    open_store(path).replace_documents([extracted("a.txt", ["new 1", "new 2", "new 3"])])


def test_a_writer_killed_mid_write_leaves_the_old_document(path: Path) -> None:
    store = open_store(path)
    store.replace_documents([extracted("a.txt", ["old"]), extracted("b.txt", ["b"])])
    worker = multiprocessing.get_context("spawn").Process(
        target=_killed_mid_write, args=(str(path),)
    )
    worker.start()
    worker.join(timeout=120)
    assert worker.exitcode == 9
    assert store.check().problems == []
    assert sorted(event.title for event in store.load().events) == ["b", "old"]
    # The store still takes writes afterwards (no lock or journal left in the way).
    store.replace_documents([extracted("a.txt", ["new"])])
    assert sorted(event.title for event in store.load().events) == ["b", "new"]


# -- malformed files ------------------------------------------------------------------------


def test_missing_store_says_how_to_make_one(path: Path) -> None:
    with pytest.raises(StoreError, match="no event store at") as caught:
        open_store(path).load()
    assert "bilat extract" in str(caught.value)


def test_directory_is_not_a_store(tmp_path: Path, backend: str) -> None:
    directory = tmp_path / f"dir{SUFFIX[backend]}"
    directory.mkdir()
    with pytest.raises(StoreError, match="is a directory"):
        open_store(directory).load()


def test_garbage_is_refused_with_a_message(path: Path) -> None:
    path.write_bytes(b"\x00\x01 this is no store " * 200)
    with pytest.raises(StoreError, match=str(path.name)) as caught:
        open_store(path).load()
    assert "hint:" in str(caught.value)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("CREATE TABLE other (x)", "not a bilat store"),
        ("PRAGMA user_version = 99", "layout version 99, newer than this bilat understands"),
        ("UPDATE meta SET value = '99' WHERE key = 'schema_version'", "schema_version 99, newer"),
        ("UPDATE meta SET value = 'true' WHERE key = 'schema_version'", "unsupported schema_vers"),
    ],
)
def test_sqlite_file_of_another_kind_or_version_is_refused(
    tmp_path: Path, sample_events: list[Event], setup: str, expected: str
) -> None:
    path = tmp_path / "events.sqlite"
    if setup.startswith("CREATE"):
        sqlite3.connect(path).execute(setup).connection.close()
    else:
        open_store(path).save(store_data(sample_events))
        connection = sqlite3.connect(path)
        connection.execute(setup)
        connection.commit()
        connection.close()
    with pytest.raises(StoreError, match=expected):
        open_store(path).load()
    with pytest.raises(StoreError, match=expected):
        open_store(path).replace_documents([extracted("a.txt", ["one"])])


def test_a_bad_record_in_the_database_is_named(tmp_path: Path, sample_events: list[Event]) -> None:
    path = tmp_path / "events.sqlite"
    open_store(path).save(store_data(sample_events))
    record = json.loads(sample_events[0].model_dump_json())
    record["confidence"] = 7
    connection = sqlite3.connect(path)
    connection.execute(
        "UPDATE events SET json = ? WHERE id = ?", (json.dumps(record), sample_events[0].id)
    )
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match=r"fails validation:\n  event: confidence: Input should"):
        open_store(path).load()
    problems = open_store(path).check().problems
    assert problems == [
        f"events[1] (id {sample_events[0].id}): confidence: Input should be less than or equal to 1"
    ]


def test_missing_fts5_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        bilat.store.sqlite_store, "FTS5_PROBE", "CREATE VIRTUAL TABLE p USING no_fts(x)"
    )
    with pytest.raises(StoreError, match="has no FTS5") as caught:
        open_store(tmp_path / "events.sqlite").replace_documents([extracted("a.txt", ["one"])])
    assert "use a .json store" in str(caught.value)


# -- copying between backends ---------------------------------------------------------------


@pytest.mark.parametrize("target", [".json", ".sqlite", ".db"])
def test_copy_between_backends_keeps_everything(
    sample_store: Store, tmp_path: Path, target: str
) -> None:
    destination = tmp_path / f"copy{target}"
    assert copy_store(sample_store.path, destination) == 8
    assert open_store(destination).load() == sample_store.load()


def test_copy_replaces_the_destination_and_leaves_no_temporary_file(
    sample_store: Store, tmp_path: Path, sample_events: list[Event]
) -> None:
    destination = tmp_path / "out" / "copy.sqlite"
    open_store(destination).replace_documents([extracted("z.txt", ["gone"])])
    copy_store(sample_store.path, destination)
    assert open_store(destination).load() == sorted_data(store_data(sample_events))
    assert [p.name for p in destination.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_copy_leaves_the_destination_as_it_was(tmp_path: Path, path: Path) -> None:
    path.write_text("{ not a store", encoding="utf-8")
    destination = tmp_path / "kept.sqlite"
    open_store(destination).replace_documents([extracted("z.txt", ["kept"])])
    with pytest.raises(StoreError):
        copy_store(path, destination)
    assert [event.title for event in open_store(destination).load().events] == ["kept"]


def test_copy_onto_itself_is_refused(sample_store: Store) -> None:
    with pytest.raises(StoreError, match="onto itself"):
        copy_store(sample_store.path, sample_store.path)


def test_schema_version_is_kept_in_the_database(sample_store: Store) -> None:
    assert sample_store.load().schema_version == SCHEMA_VERSION


def test_whole_store_counts_stay_right_as_documents_are_replaced(path: Path) -> None:
    store = open_store(path)
    store.replace_documents([extracted("a.txt", ["a1", "a2"]), extracted("b.txt", ["b1"])])
    store.replace_documents([extracted("a.txt", ["a3"]), extracted("c.txt", ["c1", "c2"])])
    store.replace_documents([extracted("c.txt", [])])
    events = store.load().events
    assert stats_in(store) == stats(events)
    assert pairs_in(store) == pairs(events)
    store.save(StoreData.empty())
    assert stats_in(store) == stats([])
    assert pairs_in(store) == []
