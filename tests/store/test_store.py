"""The event store: file format, atomic saves, locked merges, and pointed load errors."""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import stat
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st

import bilat.store.json_store
from bilat.errors import StoreError
from bilat.models import (
    EVENT_TYPES,
    PRECISIONS,
    SCHEMA_VERSION,
    Actor,
    Amount,
    DocumentInfo,
    Event,
    EventDate,
    Source,
    StoreData,
)
from bilat.store.json_store import (
    DEFAULT_STORE,
    EventStore,
    consistency_problems,
    dump_chunks,
    dumps,
    merge_documents,
    resolve_store_path,
)
from tests.conftest import build_event, store_data


@dataclass(frozen=True)
class Extracted:
    """Stands in for bilat.pipeline.DocumentResult (same shape)."""

    info: DocumentInfo
    events: list[Event]


@dataclass(frozen=True)
class RenderedExtracted(Extracted):
    """An extraction result that also carries its events' records, as a pool worker's does."""

    records: tuple[str, ...]


def extracted(doc: str, titles: list[str]) -> Extracted:
    events = [build_event(title, doc=doc, offset=index * 100) for index, title in enumerate(titles)]
    digest = hashlib.sha256(doc.encode()).hexdigest()
    info = DocumentInfo(path=doc, sha256=digest, title=doc, events=len(events))
    return Extracted(info=info, events=events)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# -- file format ---------------------------------------------------------------------------


def test_save_then_load_gives_the_same_data(tmp_path: Path, sample_events: list[Event]) -> None:
    store = EventStore(tmp_path / "events.json")
    data = store_data(sorted(sample_events, key=Event.sort_key))
    store.save(data)
    assert store.load() == StoreData(
        schema_version=SCHEMA_VERSION,
        documents=sorted(data.documents, key=lambda d: d.path),
        events=data.events,
    )


def test_file_is_sorted_one_record_per_line_with_trailing_newline(
    tmp_path: Path, sample_events: list[Event]
) -> None:
    path = tmp_path / "events.json"
    EventStore(path).save(store_data(list(reversed(sample_events))))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    lines = text.splitlines()
    assert lines[:2] == ["{", f'  "schema_version": {SCHEMA_VERSION},']
    event_lines = [line for line in lines if line.startswith('    {"id"')]
    assert len(event_lines) == len(sample_events)
    starts = [json.loads(line.rstrip(","))["date"]["start"] for line in event_lines]
    assert starts == sorted(starts)
    assert list(json.loads(text)) == ["schema_version", "documents", "events"]


def test_save_is_deterministic_and_idempotent(tmp_path: Path, sample_events: list[Event]) -> None:
    path = tmp_path / "events.json"
    store = EventStore(path)
    store.save(store_data(sample_events))
    first = path.read_bytes()
    store.save(store.load())
    assert path.read_bytes() == first
    store.save(store_data(list(reversed(sample_events))))
    assert path.read_bytes() == first


def test_an_event_record_is_its_json_dump_on_one_line() -> None:
    event = build_event("Медведев visited Beijing")
    assert event.record() == json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
    assert "\n" not in event.record()


def test_records_rendered_beforehand_give_the_same_file(sample_events: list[Event]) -> None:
    data = store_data(sample_events)
    rendered = {id(event): event.record() for event in data.events[::2]}
    assert dumps(data, rendered) == dumps(data)


def test_a_result_with_its_records_is_written_as_one_without(tmp_path: Path) -> None:
    plain = extracted("a.txt", ["one", "two", "three"])
    rendered = RenderedExtracted(
        plain.info, plain.events, tuple(event.record() for event in plain.events)
    )
    # Records that do not match the events one for one are not used.
    short = RenderedExtracted(plain.info, plain.events, ("{}",))
    files = []
    for number, result in enumerate([plain, rendered, short]):
        path = tmp_path / f"{number}.json"
        EventStore(path).replace_documents([result])
        files.append(path.read_bytes())
    assert files[0] == files[1] == files[2]


def test_non_ascii_is_written_as_is(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    EventStore(path).save(store_data([build_event("Медведев visited Beijing")]))
    assert "Медведев" in path.read_text(encoding="utf-8")


def test_empty_store_is_valid_json(tmp_path: Path) -> None:
    assert json.loads(dumps(StoreData.empty())) == {
        "schema_version": SCHEMA_VERSION,
        "documents": [],
        "events": [],
    }


_CODES = st.sampled_from(["CHN", "RUS", "CUB", "USA", "KAZ", "SUN", "TWN"])
_TEXT = st.text(max_size=30)


@st.composite
def event_dates(draw: st.DrawFn) -> EventDate:
    start = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    end = draw(st.dates(min_value=start, max_value=date(9999, 12, 31)))
    return EventDate(
        start=start,
        end=end,
        precision=draw(st.sampled_from(PRECISIONS)),
        mod=draw(st.none() | st.sampled_from(["START", "MID", "END", "FALL", "SINCE"])),
        text=draw(_TEXT),
        value=draw(_TEXT),
        resolution=draw(st.sampled_from(["explicit", "relative", "inherited", "published"])),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    span_start = draw(st.integers(min_value=0, max_value=10**6))
    amount = draw(
        st.none()
        | st.builds(
            Amount,
            value=st.floats(min_value=0, max_value=1e15, allow_nan=False),
            currency=st.sampled_from(["USD", "RUB", "CNY"]),
            text=_TEXT,
        )
    )
    return Event(
        id=draw(st.from_regex(r"[0-9a-f]{16}", fullmatch=True)),
        date=draw(event_dates()),
        countries=sorted(draw(st.sets(_CODES, min_size=2, max_size=4))),
        type=draw(st.sampled_from(EVENT_TYPES)),
        title=draw(_TEXT),
        actors=draw(
            st.lists(
                st.builds(
                    Actor,
                    name=_TEXT,
                    country=st.none() | _CODES,
                    kind=st.sampled_from(["person", "organisation", "company", "government"]),
                ),
                max_size=3,
            )
        ),
        amount=amount,
        source=Source(
            doc=draw(st.sampled_from(["seeds/a.txt", "seeds/b.txt", "é/ü.txt"])),
            start=span_start,
            end=span_start + draw(st.integers(min_value=0, max_value=500)),
            sentence=draw(st.text(max_size=80)),
        ),
        confidence=draw(st.floats(min_value=0, max_value=1, allow_nan=False)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(events(), max_size=8))
def test_store_roundtrip_is_identity(generated: list[Event]) -> None:
    data = store_data(sorted(generated, key=Event.sort_key))
    data = data.model_copy(update={"documents": sorted(data.documents, key=lambda d: d.path)})
    with tempfile.TemporaryDirectory() as directory:
        store = EventStore(Path(directory) / "events.json")
        store.save(data)
        assert store.load() == data


# -- atomic save ---------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path, sample_events: list[Event]) -> tuple[EventStore, bytes]:
    """A store saved with the sample events, and the bytes of its file."""
    store = EventStore(tmp_path / "events.json")
    store.save(store_data(sample_events))
    return store, store.path.read_bytes()


def test_failed_replace_leaves_old_store_and_no_temp_file(
    tmp_path: Path,
    sample_events: list[Event],
    saved: tuple[EventStore, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, before = saved

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError, match="No space left on device") as caught:
        store.save(store_data(sample_events[:1]))
    assert "left unchanged" in str(caught.value)
    assert store.path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_record_failing_midway_through_the_write_leaves_old_store_and_no_temp_file(
    tmp_path: Path,
    sample_events: list[Event],
    saved: tuple[EventStore, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is written record by record: one that cannot be rendered stops it cleanly."""
    store, before = saved
    rendered = 0

    def record_then_fail(self: Event) -> str:
        nonlocal rendered
        rendered += 1
        if rendered > 1:
            raise MemoryError
        return "{}"

    monkeypatch.setattr(Event, "record", record_then_fail)
    with pytest.raises(MemoryError):
        store.save(store_data(sample_events))
    assert rendered == 2  # the first record was written before the second failed
    assert store.path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_the_pieces_written_make_the_whole_file(sample_events: list[Event]) -> None:
    for data in (store_data(sample_events), StoreData.empty()):
        assert "".join(dump_chunks(data)) == dumps(data)
        assert len(list(dump_chunks(data))) > len(data.events)


def test_interrupt_during_write_leaves_old_store_and_no_temp_file(
    tmp_path: Path,
    sample_events: list[Event],
    saved: tuple[EventStore, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, before = saved

    def interrupted_fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        store.save(store_data(sample_events[:1]))
    assert store.path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_save_keeps_the_file_mode(tmp_path: Path, sample_events: list[Event]) -> None:
    path = tmp_path / "events.json"
    store = EventStore(path)
    store.save(store_data(sample_events))
    path.chmod(0o640)
    store.save(store_data(sample_events[:2]))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_save_creates_missing_directories(tmp_path: Path) -> None:
    path = tmp_path / "new" / "data" / "events.json"
    EventStore(path).save(StoreData.empty())
    assert EventStore(path).load() == StoreData.empty()


# -- load errors ---------------------------------------------------------------------------


def test_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        EventStore(tmp_path / "nope.json").load()
    message = str(caught.value)
    assert f"no event store at {tmp_path / 'nope.json'}" in message
    assert f"bilat extract DOCUMENT... --store {tmp_path / 'nope.json'}" in message


def test_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        EventStore(tmp_path).load()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"schema_version": 1,\n  "events": [}', "line 2, column 14"),
        ("", "line 1, column 1"),
        ("[]", "must hold a JSON object, not list"),
        ('{"schema_version": 3, "events": []}', "schema_version 3, newer than"),
        ('{"schema_version": 0, "events": []}', "unsupported schema_version 0"),
        ('{"schema_version": "one"}', "unsupported schema_version 'one'"),
        ('{"schema_version": 1, "extra": 1}', "store: extra: Extra inputs are not permitted"),
        (
            '{"schema_version": 1, "events": [], "documents": {}}',
            "store: documents: Input should be a valid list",
        ),
        ('{"events": [{"confidence": NaN}]}', "events[0]"),
    ],
)
def test_malformed_store_is_explained(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "events.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        EventStore(path).load()
    assert expected in str(caught.value)


_SCHEMA_1_STORE = {
    "schema_version": 1,
    "documents": [
        {
            "path": "a.txt",
            "sha256": "0" * 64,
            "title": "A",
            "published": None,
            "pair": [],
            "events": 1,
        }
    ],
    "events": [
        {
            "id": "0123456789abcdef",
            "date": {
                "start": "2001-07-16",
                "end": "2001-07-16",
                "precision": "day",
                "mod": None,
                "text": "16 July 2001",
                "value": "2001-07-16",
                "resolution": "explicit",
            },
            "countries": ["CHN", "RUS"],
            "type": "treaty",
            "title": "China and Russia signed a treaty",
            "actors": [],
            "amount": None,
            "source": {"doc": "a.txt", "start": 0, "end": 40, "sentence": "x"},
            "confidence": 0.8,
        }
    ],
}


def test_a_schema_1_store_loads_as_schema_2(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(_SCHEMA_1_STORE), encoding="utf-8")
    data = EventStore(path).load()
    assert data.schema_version == SCHEMA_VERSION == 2
    assert data.documents[0].format == "text"
    assert data.events[0].source.page is None
    EventStore(path).replace_documents([])  # the next write upgrades the file
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["schema_version"] == 2
    assert stored["documents"][0]["format"] == "text"
    assert stored["events"][0]["source"]["page"] is None


def test_store_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_bytes(b'{"schema_version": 1, "events": ["\xff"]}')
    with pytest.raises(StoreError, match="not UTF-8"):
        EventStore(path).load()


def _corrupt(path: Path, index: int, **changes: object) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    event = document["events"][index]
    for dotted, value in changes.items():
        target = event
        *parents, leaf = dotted.split("__")
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    path.write_text(json.dumps(document), encoding="utf-8")


def test_invalid_record_names_index_id_field_and_remedy(
    tmp_path: Path, sample_events: list[Event]
) -> None:
    path = tmp_path / "events.json"
    EventStore(path).save(store_data(sample_events))
    bad = json.loads(path.read_text(encoding="utf-8"))["events"][3]["id"]
    _corrupt(path, 3, date__end="1900-01-01")
    with pytest.raises(StoreError) as caught:
        EventStore(path).load()
    message = str(caught.value)
    assert f"events[3] (id {bad}): date: end 1900-01-01 is before start" in message
    assert "fix or remove the record, or move the file aside and re-run `bilat extract`" in message


def test_only_the_first_bad_records_are_listed(tmp_path: Path, sample_events: list[Event]) -> None:
    path = tmp_path / "events.json"
    EventStore(path).save(store_data(sample_events))
    document = json.loads(path.read_text(encoding="utf-8"))
    for event in document["events"]:
        event["countries"] = ["CHN"]
        event["type"] = "party"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        EventStore(path).load()
    message = str(caught.value)
    assert "events[0]" in message
    assert "countries: List should have at least 2 items" in message
    assert "; type: Input should be" in message
    assert "events[5]" not in message
    assert f"... and {len(sample_events) - 5} more bad records" in message


# -- replacing documents -------------------------------------------------------------------


def test_replace_documents_creates_the_store(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "data" / "events.json")
    data = store.replace_documents([extracted("a.txt", ["one", "two"])])
    assert [doc.path for doc in data.documents] == ["a.txt"]
    assert store.load() == data
    assert len(data.events) == 2


def test_reextracting_replaces_events_and_keeps_other_documents(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.json")
    store.replace_documents([extracted("a.txt", ["one", "two"]), extracted("b.txt", ["three"])])
    data = store.replace_documents([extracted("a.txt", ["uno"])])
    assert sorted(event.title for event in data.events) == ["three", "uno"]
    assert sorted(doc.path for doc in data.documents) == ["a.txt", "b.txt"]
    assert consistency_problems(store.load()) == []


def test_same_document_twice_in_one_run_keeps_the_last() -> None:
    merged = merge_documents(
        StoreData.empty(), [extracted("a.txt", ["first"]), extracted("a.txt", ["second"])]
    )
    assert [event.title for event in merged.events] == ["second"]
    assert len(merged.documents) == 1


def test_locked_store_times_out_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.json"
    monkeypatch.setattr(bilat.store.json_store, "LOCK_TIMEOUT", 0.05)
    with FileLock(f"{path}.lock"), pytest.raises(StoreError, match="locked by another process"):
        EventStore(path).replace_documents([extracted("a.txt", ["one"])])


def _write_many(path: str, prefix: str, count: int) -> None:
    store = EventStore(path)
    for index in range(count):
        store.replace_documents([extracted(f"{prefix}/{index}.txt", [f"{prefix} {index}"])])


def test_concurrent_writers_never_lose_each_others_events(tmp_path: Path) -> None:
    path = str(tmp_path / "events.json")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(path, name, 12)) for name in ("x", "y")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    data = EventStore(path).load()
    assert len(data.documents) == 24
    assert sorted(event.title for event in data.events) == sorted(
        f"{prefix} {index}" for prefix in ("x", "y") for index in range(12)
    )


# -- where the store is --------------------------------------------------------------------


def test_store_option_wins(tmp_path: Path) -> None:
    option = tmp_path / "mine.json"
    assert resolve_store_path(option, environ={"BILAT_STORE": "env.json"}) == option


def test_environment_comes_next(tmp_path: Path) -> None:
    assert resolve_store_path(None, environ={"BILAT_STORE": "env.json"}, cwd=tmp_path) == Path(
        "env.json"
    )


def test_store_found_in_a_parent_directory(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.json").write_text("{}", encoding="utf-8")
    nested = tmp_path / "docs" / "deep"
    nested.mkdir(parents=True)
    assert resolve_store_path(None, environ={}, cwd=nested) == tmp_path / "data" / "events.json"
    assert resolve_store_path(None, environ={}, cwd=tmp_path) == DEFAULT_STORE


def test_default_store_is_relative_to_the_current_directory(tmp_path: Path) -> None:
    assert resolve_store_path(None, environ={"BILAT_STORE": " "}, cwd=tmp_path) == DEFAULT_STORE


# -- consistency ---------------------------------------------------------------------------


def test_consistency_problems_are_found(sample_events: list[Event]) -> None:
    data = store_data(sample_events)
    assert consistency_problems(data) == []
    broken = StoreData(
        schema_version=SCHEMA_VERSION,
        documents=[doc.model_copy(update={"events": 99}) for doc in data.documents[:1]],
        events=[*data.events, data.events[0]],
    )
    problems = consistency_problems(broken)
    assert any("duplicate id" in problem for problem in problems)
    assert any("not in documents" in problem for problem in problems)
    assert any("says 99 events" in problem for problem in problems)


@pytest.mark.parametrize("enabled", [True, False])
def test_load_restores_the_garbage_collector(saved_store: Path, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        EventStore(saved_store).load()
        assert gc.isenabled() is enabled
        saved_store.write_text("{", encoding="utf-8")
        with pytest.raises(StoreError):
            EventStore(saved_store).load()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_the_same_file_under_another_path_replaces_its_events(tmp_path: Path) -> None:
    """`bilat extract seeds/a.txt`, then `bilat extract a.txt` from seeds/: stored once."""
    store = EventStore(tmp_path / "events.json")
    first = extracted("seeds/a.txt", ["One"])
    moved = extracted("a.txt", ["One"])
    again = Extracted(
        info=moved.info.model_copy(update={"sha256": first.info.sha256}), events=moved.events
    )
    store.replace_documents([first])
    data = store.replace_documents([again])
    assert [doc.path for doc in data.documents] == ["a.txt"]
    assert {event.source.doc for event in data.events} == {"a.txt"}


@pytest.mark.parametrize(
    "content", ["{}", '{"schema_version": true, "documents": [], "events": []}']
)
def test_a_file_without_a_true_schema_version_is_not_a_store(tmp_path: Path, content: str) -> None:
    path = tmp_path / "events.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match="schema_version"):
        EventStore(path).load()


def test_a_schema_1_store_still_loads_and_is_rewritten_as_the_current_schema(
    tmp_path: Path, sample_events: list[Event]
) -> None:
    path = tmp_path / "events.json"
    data = store_data(sample_events)
    old = json.loads(dumps(data))
    old["schema_version"] = 1
    for event in old["events"]:
        if event["amount"] is not None:
            del event["amount"]["measure"]  # schema 1 had no measure
    path.write_text(json.dumps(old), encoding="utf-8")
    loaded = EventStore(path).load()
    assert loaded.schema_version == SCHEMA_VERSION  # migrated as it is read
    amounts = [event.amount for event in loaded.events if event.amount is not None]
    assert amounts and all(amount.measure is None for amount in amounts)
    merged = merge_documents(loaded, [])
    assert merged.schema_version == SCHEMA_VERSION == 2
