"""The event store: one JSON file holding every event and the documents they came from.

Where the store lives (:func:`resolve_store_path`), first match wins:

1. the ``--store`` option;
2. the ``BILAT_STORE`` environment variable;
3. ``data/events.json`` in the current directory or the nearest parent that
   has one, so ``bilat timeline china cuba`` works anywhere inside a checkout;
4. ``data/events.json`` in the current directory (where ``bilat extract``
   creates it).

The file is written so that it can be committed and diffed: a fixed field
order, events sorted oldest first, one event or document per line, UTF-8,
a trailing newline. Writes are atomic (temporary file, fsync, rename), and
:meth:`EventStore.replace_documents` holds an inter-process lock while it
reads, merges and writes, so two extractions never lose each other's events.

Hostile store paths fail with a :class:`StoreError` before anything is read
or written: anything but a regular file (a directory, a FIFO, ``/dev/zero``)
is refused before it is opened, a file above :data:`MAX_STORE_BYTES` is
refused, and a symbolic link is followed: the lock and the temporary file sit
beside its target, which is what gets replaced.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import stat
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bilat.errors import StoreError
from bilat.models import (
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_VERSION,
    DocumentInfo,
    Event,
    StoreData,
    record_line,
)
from bilat.store.atomic import stale_temporaries, write_chunks_atomic
from bilat.store.base import Check, ExtractedDocument, Selection, unknown_countries

STORE_ENV = "BILAT_STORE"
DEFAULT_STORE = Path("data") / "events.json"
LOCK_TIMEOUT = 60.0
MAX_STORE_BYTES = 1 << 30
"""The largest store file read (1 GiB, some ten million events): above it the whole-file
JSON store is the wrong tool, and loading would exhaust memory before failing."""
_MAX_REPORTED = 5
_EXTRACT_HINT = "run `bilat extract seeds/` or pass --store"


def resolve_store_path(
    option: Path | None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """Where the store is, by the rules in this module's docstring.

    ``environ`` and ``cwd`` default to the process's own; tests pass their own.
    """
    if option is not None:
        return option
    env = os.environ if environ is None else environ
    from_env = env.get(STORE_ENV, "").strip()
    if from_env:
        return Path(from_env)
    here = Path.cwd() if cwd is None else cwd
    for directory in (here, *here.parents):
        candidate = directory / DEFAULT_STORE
        if candidate.is_file():
            return candidate if directory != here else DEFAULT_STORE
    return DEFAULT_STORE


class EventStore:
    """Load, save and update the store file at ``path``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"EventStore({str(self.path)!r})"

    def exists(self) -> bool:
        """Whether the store file is there (a missing store is an error for queries only)."""
        return self.path.is_file()

    def load(self) -> StoreData:
        """Read and validate the whole store; every failure is a :class:`StoreError`."""
        info = self._stat()
        if info is None:
            raise StoreError(
                f"no event store at {self.path}",
                hint=f"create it with `bilat extract DOCUMENT... --store {self.path}`, "
                "or point --store or BILAT_STORE at an existing store",
            )
        if info.st_size > MAX_STORE_BYTES:
            raise StoreError(
                f"event store {self.path} is {info.st_size:,} bytes, more than the "
                f"{MAX_STORE_BYTES:,} a JSON store may hold",
                hint="extract big corpora into a SQLite store (--store corpus.sqlite)",
            )
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise StoreError(
                f"no event store at {self.path}",
                hint=f"create it with `bilat extract DOCUMENT... --store {self.path}`, "
                "or point --store or BILAT_STORE at an existing store",
            ) from None
        except OSError as error:
            raise StoreError(
                f"cannot read event store {self.path}: {error.strerror or error}",
                hint="check the file's permissions",
            ) from None
        # The cyclic garbage collector would walk the growing heap over and over while
        # ~10 objects per event are created (more than half the load time on 100,000
        # events); parsing makes no cycles, so it is paused and restored. Afterwards
        # the loaded store is frozen (moved out of the collector's generations): it
        # holds no cycles either, and later collections need not walk it again.
        # Reference counting still frees it when the caller drops it.
        collecting = gc.isenabled()
        gc.disable()
        try:
            # Fast path: pydantic parses and validates in one pass; diagnosis only on failure.
            data = StoreData.model_validate_json(raw)
            gc.freeze()
        except ValidationError as error:
            raise self._diagnose(raw, error) from None
        finally:
            if collecting:
                gc.enable()
        self._check_version(data.schema_version)
        return migrate(data)

    def _stat(self) -> os.stat_result | None:
        """The store file's status (through a link), ``None`` when there is none yet.

        Raises :class:`StoreError` for anything but a regular file, so that a FIFO
        is never opened (it would block) and a device is never read or replaced.
        """
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(
                f"cannot read event store {self.path}: {error.strerror or error}",
                hint="check the path and its permissions",
            ) from None
        if stat.S_ISDIR(info.st_mode):
            raise StoreError(
                f"event store {self.path} is a directory", hint="pass the JSON file to --store"
            )
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"event store {self.path} is not a regular file ({_kind(info.st_mode)})",
                hint="pass the path of a JSON file to --store",
            )
        return info

    def save(self, data: StoreData, rendered: Mapping[int, str] | None = None) -> None:
        """Write ``data`` atomically: readers see the old file or the new one, never a mix.

        ``rendered`` holds records already rendered, by the ``id()`` of the event
        objects in ``data`` they render (see :func:`dumps`).
        """
        self._stat()
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {directory}: {error.strerror}") from None
        try:
            write_chunks_atomic(self.path, dump_chunks(data, rendered))
        except OSError as error:
            raise StoreError(
                f"cannot write event store {self.path}: {error.strerror or error}",
                hint="the previous store file was left unchanged",
            ) from None

    def replace_documents(self, results: Sequence[ExtractedDocument]) -> StoreData:
        """Swap in freshly extracted documents, keeping every other document's events.

        A document is identified by :attr:`DocumentInfo.path`; its old events
        (by :attr:`Source.doc`) and entry are dropped before the new ones are
        added, so re-extracting never duplicates. The read-merge-write runs
        under a lock file beside the store.
        """
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {self.path.parent}: {error.strerror}") from None
        self._stat()
        lock_path = f"{os.path.realpath(self.path)}.lock"
        lock = FileLock(lock_path, timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"event store {self.path} is locked by another process",
                hint=f"wait for it to finish, or remove {lock_path} if none is running",
            ) from None
        except OSError as error:
            raise StoreError(
                f"cannot lock event store {self.path}: {lock_path}: {error.strerror or error}",
                hint="the store's directory must be writable and its .lock a writable file",
            ) from None
        try:
            # Under the lock no other writer is between its temporary file and its
            # rename, so files of that pattern whose process is gone are debris.
            for debris in stale_temporaries(self.path):
                with contextlib.suppress(OSError):
                    debris.unlink()
            current = self.load() if self._stat() is not None else StoreData.empty()
            merged = merge_documents(current, results)
            self.save(merged, prerendered(results))
        finally:
            with contextlib.suppress(OSError):
                lock.release()
        return merged

    def documents(self) -> list[DocumentInfo]:
        """The documents the file records (it is read whole)."""
        return self.load().documents

    def document_entries(self) -> dict[str, DocumentInfo]:
        """The documents by path (the file is read whole, once)."""
        return {info.path: info for info in self.documents()}

    def count(self) -> int:
        """How many events the file holds (it is read whole)."""
        return len(self.load().events)

    def select(self, selection: Selection) -> Iterator[Event]:
        """The selected events in timeline order: the file is read whole, then filtered."""
        chosen = sorted(filter(selection.matches, self.load().events), key=Event.sort_key)
        if selection.reverse:
            chosen.reverse()
        return iter(chosen if selection.limit is None else chosen[: selection.limit])

    def with_id_prefix(self, prefix: str) -> list[Event]:
        """Every event whose id starts with ``prefix``, oldest first."""
        found = [event for event in self.load().events if event.id.startswith(prefix)]
        return sorted(found, key=Event.sort_key)

    def check(self, known_countries: Collection[str] | None = None) -> Check:
        """The schema (by loading) and :func:`consistency_problems`."""
        data = self.load()
        return Check(
            events=len(data.events),
            documents=len(data.documents),
            problems=consistency_problems(data, known_countries),
        )

    def _check_version(self, version: object) -> None:
        if not isinstance(version, bool) and version in READABLE_SCHEMA_VERSIONS:
            return
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            raise StoreError(
                f"event store {self.path} has schema_version {version}, "
                f"newer than this bilat understands ({SCHEMA_VERSION})",
                hint="upgrade bilat, or move the file aside and re-run `bilat extract`",
            )
        raise StoreError(
            f"event store {self.path} has unsupported schema_version {version!r} "
            f"(expected {SCHEMA_VERSION})",
            hint="move the file aside and re-run `bilat extract` to rebuild the store",
        )

    def _diagnose(self, raw: bytes, original: ValidationError) -> StoreError:
        """Turn a failed validation into a message pointing at the bad records."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return StoreError(
                f"event store {self.path} is not UTF-8 (byte {error.start})",
                hint=_EXTRACT_HINT,
            )
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            return StoreError(
                f"event store {self.path} is not valid JSON: {error.msg} "
                f"at line {error.lineno}, column {error.colno}",
                hint="fix the file, or move it aside and re-run `bilat extract` to rebuild it",
            )
        except (ValueError, RecursionError):
            # A number of thousands of digits, or nesting deeper than Python's stack:
            # pydantic's parser already said what and where.
            return StoreError(
                f"event store {self.path} is not valid JSON: "
                f"{original.errors()[0]['msg'].removeprefix('Invalid JSON: ')}",
                hint="fix the file, or move it aside and re-run `bilat extract` to rebuild it",
            )
        if not isinstance(document, dict):
            return StoreError(
                f"event store {self.path} must hold a JSON object, not {type(document).__name__}",
                hint=_EXTRACT_HINT,
            )
        if "schema_version" in document and document["schema_version"] not in (
            READABLE_SCHEMA_VERSIONS
        ):
            try:
                self._check_version(document["schema_version"])
            except StoreError as error:
                return error
        try:
            StoreData.model_validate(document)
        except ValidationError as error:
            return StoreError(
                f"event store {self.path} fails validation:\n"
                + "\n".join(f"  {line}" for line in describe_errors(error, document)),
                hint="fix or remove the record, or move the file aside and re-run `bilat extract`",
            )
        # pydantic's JSON parser is stricter than the json module's (NaN, for one).
        return StoreError(
            f"event store {self.path} is not valid JSON: {original.errors()[0]['msg']}",
            hint="fix the file, or move it aside and re-run `bilat extract` to rebuild it",
        )


def migrate(data: StoreData) -> StoreData:
    """``data`` as the current schema; a store of an older one is upgraded in memory.

    Schema 1 lacked ``source.page`` and ``documents[].format``; their defaults
    (null, ``"text"``) are exactly what schema 1 stored, since it read plain
    text only. The file itself is rewritten on the next extraction.
    """
    if data.schema_version == SCHEMA_VERSION:
        return data
    return data.model_copy(update={"schema_version": SCHEMA_VERSION})


def _kind(mode: int) -> str:
    """What a non-regular file is, in words, for the refusal message."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def describe_errors(error: ValidationError, document: Mapping[str, Any]) -> list[str]:
    """One line per problem, for the first few bad records: where, which record, what.

    ``events[12] (id 3fa2...): date: end 2001-01-01 is before start 2001-05-01``
    """
    by_record: dict[tuple[str | int, ...], list[str]] = {}
    for problem in error.errors():
        location = problem["loc"]
        in_list = len(location) >= 2 and location[0] in ("events", "documents")
        record = location[:2] if in_list and isinstance(location[1], int) else ()
        field = ".".join(str(part) for part in location[len(record) :]) or "(record)"
        message = problem["msg"].removeprefix("Value error, ")
        by_record.setdefault(record, []).append(f"{field}: {message}")
    lines: list[str] = []
    for record, messages in list(by_record.items())[:_MAX_REPORTED]:
        lines.append(f"{_record_label(record, document)}: {'; '.join(messages)}")
    if len(by_record) > _MAX_REPORTED:
        lines.append(f"... and {len(by_record) - _MAX_REPORTED} more bad records")
    return lines


def _record_label(record: tuple[str | int, ...], document: Mapping[str, Any]) -> str:
    if not record:
        return "store"
    section, index = record
    label = f"{section}[{index}]"
    items = document.get(str(section))
    if isinstance(items, list) and isinstance(index, int) and index < len(items):
        item = items[index]
        key = "id" if section == "events" else "path"
        if isinstance(item, dict) and isinstance(item.get(key), str):
            label += f" ({key} {item[key]})"
    return label


def merge_documents(current: StoreData, results: Sequence[ExtractedDocument]) -> StoreData:
    """``current`` with the documents in ``results`` replaced (or added); pure, for testing.

    A document is replaced when it comes back under the same path, or with the
    same content under another one (``seeds/a.txt``, then ``a.txt`` from inside
    ``seeds/``): one file's events are never stored twice.
    """
    fresh: dict[str, ExtractedDocument] = {result.info.path: result for result in results}
    digests = {result.info.sha256 for result in results}
    replaced = {doc.path for doc in current.documents if doc.path in fresh or doc.sha256 in digests}
    documents = [doc for doc in current.documents if doc.path not in replaced]
    events = [event for event in current.events if event.source.doc not in replaced]
    for result in fresh.values():
        documents.append(result.info)
        events.extend(result.events)
    # An older store is rewritten in the current schema: every older shape is a subset of it.
    return StoreData(schema_version=SCHEMA_VERSION, documents=documents, events=events)


def dumps(data: StoreData, rendered: Mapping[int, str] | None = None) -> str:
    """The store's exact file content: deterministic, one record per line, trailing newline.

    ``rendered`` maps the ``id()`` of some of ``data``'s event objects to their
    :meth:`Event.record`, rendered beforehand; the others are rendered here.
    The objects are alive in ``data`` while this runs, so an ``id`` cannot stand
    for another event.
    """
    return "".join(dump_chunks(data, rendered))


def dump_chunks(data: StoreData, rendered: Mapping[int, str] | None = None) -> Iterator[str]:
    """:func:`dumps`, piece by piece, for a writer that need not hold the whole file.

    Joining a big store's records into one string copied each of them twice
    (three times when one record is not ASCII, as the whole string widens).
    """
    events = sorted(data.events, key=Event.sort_key)
    documents = sorted(data.documents, key=lambda doc: doc.path)
    known = rendered or {}
    yield f'{{\n  "schema_version": {json.dumps(data.schema_version)},\n  "documents": '
    yield from _records([record_line(doc) for doc in documents])
    yield ',\n  "events": '
    yield from _records(known.get(id(event)) or event.record() for event in events)
    yield "\n}\n"


def prerendered(results: Sequence[ExtractedDocument]) -> dict[int, str]:
    """The records the extracting processes rendered, by the ``id()`` of the event they render."""
    rendered: dict[int, str] = {}
    for result in results:
        records: Sequence[str] = getattr(result, "records", ())
        if len(records) == len(result.events):
            rendered.update(zip(map(id, result.events), records, strict=True))
    return rendered


def _records(lines: Iterable[str]) -> Iterator[str]:
    """A JSON array of ``lines``, one record per line, as pieces to write."""
    opened = False
    for line in lines:
        yield ",\n    " if opened else "[\n    "
        yield line
        opened = True
    yield "\n  ]" if opened else "[]"


def consistency_problems(
    data: StoreData, known_countries: Collection[str] | None = None
) -> list[str]:
    """Problems the schema cannot see: duplicate ids, events of unknown documents, counts.

    With ``known_countries`` (the gazetteer's codes; the store does not load the
    gazetteer itself), a well-formed code that names no country (``XXX``) is one too.
    """
    problems: list[str] = []
    seen: set[str] = set()
    per_doc: dict[str, int] = {}
    for index, event in enumerate(data.events):
        if event.id in seen:
            problems.append(f"events[{index}] (id {event.id}): duplicate id")
        seen.add(event.id)
        unknown = (
            None if known_countries is None else unknown_countries(index, event, known_countries)
        )
        if unknown is not None:
            problems.append(unknown)
        per_doc[event.source.doc] = per_doc.get(event.source.doc, 0) + 1
    known = {doc.path for doc in data.documents}
    for doc_path in sorted(set(per_doc) - known):
        problems.append(f"{per_doc[doc_path]} events come from {doc_path!r}, not in documents")
    for doc in data.documents:
        if doc.events != per_doc.get(doc.path, 0):
            problems.append(
                f"document {doc.path!r} says {doc.events} events, "
                f"the store holds {per_doc.get(doc.path, 0)}"
            )
    return problems
