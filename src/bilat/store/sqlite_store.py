"""The SQLite store: a database file for corpora too big to read whole on every command.

Chosen by the store path's suffix (``.sqlite``, ``.db``). It keeps the JSON
store's contract (the same events and documents, replace-on-re-extract, the
same validation messages) with Python's own :mod:`sqlite3`:

- each event and document is kept as its JSON (``model_dump_json``) beside
  the columns bilat filters and sorts on, so fields added to the models flow
  through without a change of layout;
- events are validated once, when written; reads trust the database, but a
  file whose header, layout version or schema version is wrong is refused;
- WAL mode and a busy timeout let readers go on while one writer works and
  make concurrent writers queue; each :meth:`SqliteStore.replace_documents`
  is one ``BEGIN IMMEDIATE`` transaction, so a killed writer leaves the old
  documents or the new ones, never a mix;
- indexes serve the queries bilat makes (timeline order, country, pair,
  date, type, document, id prefix), and an FTS5 table serves ``search``;
- the ``tallies`` table keeps the events per type, decade, precision,
  country, pair and document up to date as documents come and go, so
  ``bilat pairs`` and ``bilat stats`` over the whole store read a few rows.

The layout version is ``PRAGMA user_version``; the events' schema version is
in the ``meta`` table, checked like the JSON file's ``schema_version``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bilat.errors import StoreError
from bilat.models import (
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_VERSION,
    DocumentInfo,
    Event,
    EventDate,
    StoreData,
)
from bilat.store.base import (
    Check,
    ExtractedDocument,
    PairSummary,
    Selection,
    Tallies,
    unknown_countries,
)

LAYOUT_VERSION = 1
"""The tables' layout (``PRAGMA user_version``); bump it when the tables change."""

APPLICATION_ID = 0x62696C61
"""``PRAGMA application_id`` of a bilat store ("bila"), so other databases are refused."""

BUSY_TIMEOUT = 60.0
"""Seconds a writer waits for another one before giving up."""
_WAL_RETRY_SECONDS = 0.05
"""How often a writer waiting to switch a new store to WAL mode tries again."""

_EXTRACT_HINT = "run `bilat extract seeds/ --store FILE.sqlite` or pass --store"
_REBUILD_HINT = "move the file aside and re-run `bilat extract` to rebuild the store"
_WEIGHTS = (3.0, 1.0, 2.0)
"""BM25 column weights: title, sentence, actors (as the JSON store's search)."""

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE TABLE events (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    skey TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    type TEXT NOT NULL,
    precision TEXT NOT NULL,
    doc TEXT NOT NULL,
    doc_fold TEXT NOT NULL,
    actors_fold TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX events_skey ON events (skey);
CREATE INDEX events_id ON events (id);
CREATE INDEX events_doc ON events (doc);
CREATE INDEX events_type ON events (type, skey);
CREATE INDEX events_first_day ON events (first_day);
CREATE TABLE event_countries (
    event INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY (event, code)
) WITHOUT ROWID;
CREATE INDEX event_countries_code ON event_countries (code, event);
CREATE TABLE event_pairs (event INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
                          skey TEXT NOT NULL);
CREATE INDEX event_pairs_event ON event_pairs (event);
CREATE INDEX event_pairs_pair ON event_pairs (a, b, skey);
CREATE TABLE tallies (
    dimension TEXT NOT NULL, key TEXT NOT NULL, events INTEGER NOT NULL,
    PRIMARY KEY (dimension, key)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, sentence, actors, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def sort_key(event: Event) -> str:
    """:meth:`Event.sort_key` as one string that sorts the same way (byte order of UTF-8)."""
    return "\x01".join(
        (
            event.date.start.isoformat(),
            event.date.end.isoformat(),
            event.source.doc,
            f"{event.source.start:012d}",
            event.id,
        )
    )


def _use_wal(connection: sqlite3.Connection) -> None:
    """Put the database in WAL mode, waiting while another process holds it.

    Switching the journal mode takes an exclusive lock without calling the busy
    handler, so two processes creating one new store at once would see
    "database is locked"; the mode is kept in the file, so this waits only then.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(_WAL_RETRY_SECONDS)


def fts_phrase(term: str) -> str:
    """A query term as an FTS5 phrase whose last word is a prefix (``pipe`` finds pipeline)."""
    return '"' + term.replace('"', '""') + '"*'


class SqliteStore:
    """Load, save, update and query the SQLite store at ``path``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    # -- opening -------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the database file is there."""
        return self.path.is_file()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A checked connection to an existing store, closed afterwards."""
        if self.path.is_dir():
            raise StoreError(
                f"event store {self.path} is a directory", hint="pass the database file to --store"
            )
        if not self.path.is_file():
            raise StoreError(f"no event store at {self.path}", hint=_EXTRACT_HINT)
        connection = self._connect(self.path)
        try:
            self._check_layout(connection)
            yield connection
        except sqlite3.DatabaseError as error:
            raise self._database_error(error) from None
        finally:
            connection.close()

    def _connect(self, path: Path) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open event store {path}: {error}") from None
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        return connection

    def _check_layout(self, connection: sqlite3.Connection) -> None:
        """Refuse a file that is not a bilat store of this layout and schema version."""
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        layout = connection.execute("PRAGMA user_version").fetchone()[0]
        if application != APPLICATION_ID:
            raise StoreError(
                f"event store {self.path} is a SQLite database but not a bilat store",
                hint="pass a bilat store to --store, or a new file name to `bilat extract`",
            )
        if layout != LAYOUT_VERSION:
            newer = layout > LAYOUT_VERSION
            raise StoreError(
                f"event store {self.path} has layout version {layout}, "
                + ("newer than this bilat understands" if newer else "which is not supported")
                + f" ({LAYOUT_VERSION})",
                hint="upgrade bilat, or " + _REBUILD_HINT if newer else _REBUILD_HINT,
            )
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version: object = None if row is None else _json_or_text(row[0])
        if not isinstance(version, bool) and version in READABLE_SCHEMA_VERSIONS:
            return
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            raise StoreError(
                f"event store {self.path} has schema_version {version}, "
                f"newer than this bilat understands ({SCHEMA_VERSION})",
                hint="upgrade bilat, or " + _REBUILD_HINT,
            )
        raise StoreError(
            f"event store {self.path} has unsupported schema_version {version!r} "
            f"(expected {SCHEMA_VERSION})",
            hint=_REBUILD_HINT,
        )

    def _database_error(self, error: sqlite3.DatabaseError) -> StoreError:
        text = str(error)
        if "no such module: fts5" in text:
            return fts5_missing()
        if "not a database" in text or "malformed" in text:
            return StoreError(
                f"event store {self.path} is not a valid SQLite database ({text})",
                hint="restore it from a copy, or " + _REBUILD_HINT,
            )
        return StoreError(f"event store {self.path}: {text}", hint=_REBUILD_HINT)

    def _create(self, connection: sqlite3.Connection, schema_version: int) -> None:
        """Make the tables in an empty database (inside the caller's transaction)."""
        require_fts5()
        for statement in _TABLES.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
            (json.dumps(schema_version),),
        )
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")

    # -- writing -------------------------------------------------------------------------

    def replace_documents(self, results: Sequence[ExtractedDocument]) -> None:
        """Swap in freshly extracted documents in one transaction, keeping all others.

        A document is replaced when it comes back under the same path or with
        the same content under another one, as in the JSON store. Concurrent
        writers wait for each other (busy timeout), so none loses events.
        """
        fresh = {result.info.path: result for result in results}
        digests = sorted({result.info.sha256 for result in results})
        if self.path.is_dir():
            raise StoreError(
                f"event store {self.path} is a directory", hint="pass the database file to --store"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {self.path.parent}: {error.strerror}") from None
        connection = self._connect(self.path)
        try:
            _use_wal(connection)
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("BEGIN IMMEDIATE")
            try:
                if (
                    connection.execute("PRAGMA user_version").fetchone()[0] == 0
                    and not (connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0])
                ):
                    self._create(connection, SCHEMA_VERSION)
                self._check_layout(connection)
                replaced = [
                    row[0]
                    for row in connection.execute(
                        "SELECT path FROM documents WHERE path IN (SELECT value FROM json_each(?))"
                        " OR sha256 IN (SELECT value FROM json_each(?))",
                        (json.dumps(sorted(fresh)), json.dumps(digests)),
                    )
                ]
                _delete_documents(connection, replaced)
                _insert(
                    connection,
                    (result.info for result in fresh.values()),
                    (event for result in fresh.values() for event in result.events),
                )
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError(
                    f"event store {self.path} is locked by another process",
                    hint="wait for it to finish, then run the command again",
                ) from None
            raise self._database_error(error) from None
        except sqlite3.DatabaseError as error:
            raise self._database_error(error) from None
        finally:
            connection.close()

    def save(self, data: StoreData) -> None:
        """Replace the whole store with ``data`` atomically (a new file renamed over the old).

        The old database is checkpointed first, so no write-ahead log of it is
        left to be replayed onto the new file.
        """
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {directory}: {error.strerror}") from None
        temporary = directory / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            connection = self._connect(temporary)
            try:
                connection.execute("BEGIN")
                self._create(connection, data.schema_version)
                _insert(connection, data.documents, data.events)
                connection.execute("COMMIT")
                connection.execute("PRAGMA journal_mode = WAL")
            finally:
                connection.close()
            if self.path.is_file():
                self._checkpoint()
            os.replace(temporary, self.path)
        except OSError as error:
            raise StoreError(
                f"cannot write event store {self.path}: {error.strerror or error}",
                hint="the previous store file was left unchanged",
            ) from None
        finally:
            for leftover in (temporary, *_sidecars(temporary)):
                leftover.unlink(missing_ok=True)

    def _checkpoint(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
        for sidecar in _sidecars(self.path):
            sidecar.unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------------------

    def load(self) -> StoreData:
        """The whole store: documents by path, events oldest first."""
        with self._reading() as connection:
            version = json.loads(
                connection.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()[0]
            )
            documents = [
                self._document(row[0])
                for row in connection.execute("SELECT json FROM documents ORDER BY path")
            ]
            events = [
                self._event(row[0])
                for row in connection.execute("SELECT json FROM events ORDER BY skey")
            ]
        return StoreData(schema_version=version, documents=documents, events=events)

    def documents(self) -> list[DocumentInfo]:
        """The documents, by path, read without touching the events."""
        with self._reading() as connection:
            return [
                self._document(row[0])
                for row in connection.execute("SELECT json FROM documents ORDER BY path")
            ]

    def document_entries(self) -> Mapping[str, DocumentInfo]:
        """The documents by path, each read when it is looked up (one row by its key)."""
        return _DocumentEntries(self)

    def count(self) -> int:
        """How many events the store holds."""
        with self._reading() as connection:
            return int(connection.execute("SELECT count(*) FROM events").fetchone()[0])

    def select(self, selection: Selection) -> Iterator[Event]:
        """The selected events in timeline order, streamed from the database.

        Two countries (``timeline china russia``) are read from the pair index,
        already in timeline order, so ``--limit`` stops after its events however
        rare the pair is; otherwise the timeline index is read in order and each
        event tested (a pair that never meets would mean reading every event).
        """
        order = "DESC" if selection.reverse else ""
        limit = "" if selection.limit is None else f" LIMIT {int(selection.limit)}"
        pairs = _pairs_asked(selection)
        if pairs is None:
            where, parameters = _where(selection)
            sql = (
                f"SELECT e.skey, e.json FROM events e WHERE {where} ORDER BY e.skey {order}{limit}"
            )
        else:
            # One arm per pair of codes (China with Russia, with the Soviet Union), each
            # in skey order from the index; UNION merges them and drops an event that two
            # arms found (one naming CHN, RUS and SUN).
            where, rest = _where(replace(selection, countries=()))
            arm = (
                "SELECT p.skey, e.json FROM event_pairs p JOIN events e ON e.rowid = p.event "
                f"WHERE p.a = ? AND p.b = ? AND {where}"
            )
            sql = f"{' UNION '.join([arm] * len(pairs))} ORDER BY 1 {order}{limit}"
            parameters = [value for pair in pairs for value in (*pair, *rest)]
        with self._reading() as connection:
            for _key, text in connection.execute(sql, parameters):
                yield self._event(text)

    def with_id_prefix(self, prefix: str) -> list[Event]:
        """Every event whose id starts with ``prefix``, oldest first."""
        with self._reading() as connection:
            rows = connection.execute(
                "SELECT json FROM events WHERE id >= ? AND id < ? ORDER BY skey",
                (prefix, prefix + "\U0010ffff"),
            ).fetchall()
        return [self._event(row[0]) for row in rows]

    def searchable(self, term: str) -> bool:
        """Whether FTS5 can look ``term`` up: it must hold a letter or digit."""
        return any(character.isalnum() for character in term)

    def ranked(self, terms: Sequence[str], selection: Selection) -> Iterator[tuple[Event, float]]:
        """Events whose FTS5 row holds every term, by BM25 (title > actors > sentence).

        Equal scores keep the order the events were written in (timeline order
        for a store made by ``bilat store copy``). With a ``limit``, rows are
        read in growing pages, so ``--limit 20`` only sorts out the best few;
        without filters the full-text index alone is ranked, and only the
        page's events are read.
        """
        where, parameters = _where(selection)
        direction = "DESC" if selection.reverse else "ASC"
        weights = ", ".join(map(str, _WEIGHTS))
        if where == "1":
            sql = (
                f"SELECT rowid, bm25(events_fts, {weights}) AS r FROM events_fts "
                f"WHERE events_fts MATCH ? ORDER BY r {direction}, rowid {direction}"
            )
        else:
            sql = (
                f"SELECT e.rowid, bm25(events_fts, {weights}) AS r "
                "FROM events_fts JOIN events e ON e.rowid = events_fts.rowid "
                f"WHERE events_fts MATCH ? AND {where} "
                f"ORDER BY r {direction}, e.rowid {direction}"
            )
        match = " ".join(fts_phrase(term) for term in terms)
        page = None if selection.limit is None else max(64, 2 * selection.limit)
        offset = 0
        with self._reading() as connection:
            while True:
                paged = sql if page is None else f"{sql} LIMIT {page} OFFSET {offset}"
                rows = connection.execute(paged, (match, *parameters)).fetchall()
                for start in range(0, len(rows), 500):
                    chunk = rows[start : start + 500]
                    texts = dict(
                        connection.execute(
                            "SELECT rowid, json FROM events "
                            "WHERE rowid IN (SELECT value FROM json_each(?))",
                            (json.dumps([rowid for rowid, _ in chunk]),),
                        ).fetchall()
                    )
                    for rowid, rank in chunk:
                        yield self._event(texts[rowid]), round(-float(rank), 6)
                if page is None or len(rows) < page:
                    return
                offset += page
                page *= 4

    def pair_rows(self, selection: Selection) -> list[PairSummary]:
        """Per pair: events, and the first and last by timeline order (an aggregate)."""
        where, parameters = _where(selection)
        sql = (
            "SELECT p.a, p.b, count(*), min(p.skey), max(p.skey) FROM event_pairs p "
            f"JOIN events e ON e.rowid = p.event WHERE {where} GROUP BY p.a, p.b"
        )
        with self._reading() as connection:
            if where == "1":
                rows = _pairs_from_tallies(connection)
            else:
                rows = connection.execute(sql, parameters).fetchall()
            dates = self._dates_of(connection, {key for row in rows for key in row[3:5]})
        return [
            PairSummary(countries=(a, b), events=count, first=dates[first], last=dates[last])
            for a, b, count, first, last in rows
        ]

    def tallies(self, selection: Selection) -> Tallies:
        """The counts of ``bilat stats`` as aggregates over the selected events."""
        where, parameters = _where(selection)
        with self._reading() as connection:
            if where == "1":
                return self._whole_tallies(connection)

            def grouped(expression: str) -> dict[Any, int]:
                sql = f"SELECT {expression} AS k, count(*) FROM events e WHERE {where} GROUP BY k"
                return {key: count for key, count in connection.execute(sql, parameters)}

            count, documents, first, last = connection.execute(
                f"SELECT count(*), count(DISTINCT doc), min(skey), max(skey) FROM events e "
                f"WHERE {where}",
                parameters,
            ).fetchone()
            by_country_sql = (
                "SELECT c.code, count(*) FROM event_countries c JOIN events e "
                f"ON e.rowid = c.event WHERE {where} GROUP BY c.code"
            )
            by_country = dict(connection.execute(by_country_sql, parameters).fetchall())
            dates = self._dates_of(connection, {key for key in (first, last) if key})
            return Tallies(
                events=count,
                documents=documents,
                first=dates.get(first),
                last=dates.get(last),
                by_type=grouped("type"),
                by_decade=grouped("CAST(substr(first_day, 1, 4) AS INTEGER) / 10 * 10"),
                by_precision=grouped("precision"),
                by_country=by_country,
            )

    def _whole_tallies(self, connection: sqlite3.Connection) -> Tallies:
        """:meth:`tallies` of every event, from the ``tallies`` table and the timeline index."""
        kept: dict[str, dict[str, int]] = {}
        for dimension, key, count in connection.execute(
            "SELECT dimension, key, events FROM tallies"
        ):
            kept.setdefault(dimension, {})[key] = count
        (first,) = connection.execute("SELECT min(skey) FROM events").fetchone()
        (last,) = connection.execute("SELECT max(skey) FROM events").fetchone()
        dates = self._dates_of(connection, {key for key in (first, last) if key})
        return Tallies(
            events=sum(kept.get("type", {}).values()),
            documents=len(kept.get("doc", {})),
            first=dates.get(first),
            last=dates.get(last),
            by_type=kept.get("type", {}),
            by_decade={int(key): count for key, count in kept.get("decade", {}).items()},
            by_precision=kept.get("precision", {}),
            by_country=kept.get("country", {}),
        )

    def _dates_of(
        self, connection: sqlite3.Connection, keys: Iterable[str]
    ) -> dict[str, EventDate]:
        dates: dict[str, EventDate] = {}
        for key in keys:
            row = connection.execute("SELECT json FROM events WHERE skey = ?", (key,)).fetchone()
            dates[key] = self._event(row[0]).date
        return dates

    def check(self, known_countries: Collection[str] | None = None) -> Check:
        """Integrity, every record against the schema, and the JSON store's consistency checks."""
        problems: list[str] = []
        with self._reading() as connection:
            integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                problems.extend(f"database: {line}" for line in integrity)
            known: dict[str, int] = {}
            for (text,) in connection.execute("SELECT json FROM documents ORDER BY path"):
                document = self._document(text)
                known[document.path] = document.events
            per_doc: dict[str, int] = {}
            seen: set[str] = set()
            events = 0
            rows = connection.execute("SELECT id, doc, json FROM events ORDER BY skey")
            for index, (event_id, doc, text) in enumerate(rows):
                events += 1
                per_doc[doc] = per_doc.get(doc, 0) + 1
                try:
                    event = Event.model_validate_json(text)
                except ValidationError as error:
                    problems.append(_invalid(index, event_id, error))
                    continue
                if event.id in seen:
                    problems.append(f"events[{index}] (id {event.id}): duplicate id")
                seen.add(event.id)
                unknown = None
                if known_countries is not None:
                    unknown = unknown_countries(index, event, known_countries)
                if unknown is not None:
                    problems.append(unknown)
        for doc_path in sorted(set(per_doc) - set(known)):
            problems.append(f"{per_doc[doc_path]} events come from {doc_path!r}, not in documents")
        for doc_path, said in known.items():
            if said != per_doc.get(doc_path, 0):
                problems.append(
                    f"document {doc_path!r} says {said} events, "
                    f"the store holds {per_doc.get(doc_path, 0)}"
                )
        return Check(events=events, documents=len(known), problems=problems)

    def _event(self, text: str) -> Event:
        try:
            return Event.model_validate_json(text)
        except ValidationError as error:
            raise StoreError(
                f"event store {self.path} fails validation:\n  {_invalid(None, None, error)}",
                hint="run `bilat validate`, or " + _REBUILD_HINT,
            ) from None

    def _document(self, text: str) -> DocumentInfo:
        try:
            return DocumentInfo.model_validate_json(text)
        except ValidationError as error:
            raise StoreError(
                f"event store {self.path} fails validation:\n  documents: "
                + "; ".join(_problem_lines(error)),
                hint=_REBUILD_HINT,
            ) from None


class _DocumentEntries(Mapping[str, DocumentInfo]):
    """A SQLite store's documents by path, read one lookup at a time.

    ``extract`` asks for the entries of the files it reads; extracting one
    document into a store of 100,000 then reads one row, not all of them.
    """

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def __getitem__(self, path: str) -> DocumentInfo:
        with self._store._reading() as connection:
            row = connection.execute(
                "SELECT json FROM documents WHERE path = ?", (path,)
            ).fetchone()
        if row is None:
            raise KeyError(path)
        return self._store._document(row[0])

    def __iter__(self) -> Iterator[str]:
        with self._store._reading() as connection:
            paths = [
                row[0] for row in connection.execute("SELECT path FROM documents ORDER BY path")
            ]
        return iter(paths)

    def __len__(self) -> int:
        with self._store._reading() as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])


FTS5_PROBE = "CREATE VIRTUAL TABLE probe USING fts5(text)"
"""Run on an in-memory database to learn whether this SQLite has FTS5."""


def require_fts5() -> None:
    """Fail with a clear message when this Python's SQLite was built without FTS5."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute(FTS5_PROBE)
    except sqlite3.OperationalError:
        raise fts5_missing() from None
    finally:
        probe.close()


def fts5_missing() -> StoreError:
    """The error for a SQLite library without the FTS5 full-text extension."""
    return StoreError(
        f"the SQLite library of this Python ({sqlite3.sqlite_version}) has no FTS5, "
        "which a .sqlite store needs for search",
        hint="use a .json store, or a Python whose SQLite has FTS5 (python.org and most "
        "distributions build it in)",
    )


def _json_or_text(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _sidecars(path: Path) -> tuple[Path, Path, Path]:
    return (
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        path.with_name(path.name + "-journal"),
    )


def _problem_lines(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "(record)"
        lines.append(f"{field}: {problem['msg'].removeprefix('Value error, ')}")
    return lines


def _invalid(index: int | None, event_id: str | None, error: ValidationError) -> str:
    label = "event" if index is None else f"events[{index}]"
    if event_id is not None:
        label += f" (id {event_id})"
    return f"{label}: {'; '.join(_problem_lines(error))}"


def _where(selection: Selection) -> tuple[str, list[Any]]:
    """The SQL condition on ``events e`` for ``selection``, and its parameters."""
    clauses: list[str] = []
    parameters: list[Any] = []
    for codes in selection.countries:
        clauses.append(
            "EXISTS (SELECT 1 FROM event_countries c WHERE c.event = e.rowid AND c.code IN "
            f"({', '.join('?' * len(codes))}))"
        )
        parameters.extend(sorted(codes))
    if selection.after is not None:
        clauses.append("e.last_day >= ?")
        parameters.append(selection.after.isoformat())
    if selection.before is not None:
        clauses.append("e.first_day <= ?")
        parameters.append(selection.before.isoformat())
    if selection.types:
        clauses.append(f"e.type IN ({', '.join('?' * len(selection.types))})")
        parameters.extend(selection.types)
    if selection.actor is not None:
        if selection.actor:
            clauses.append("instr(e.actors_fold, ?) > 0")
            parameters.append(selection.actor.casefold())
        else:
            clauses.append("e.actors_fold != ''")
    if selection.doc is not None:
        clauses.append("instr(e.doc_fold, ?) > 0")
        parameters.append(selection.doc.casefold())
    return " AND ".join(clauses) or "1", parameters


def _pairs_asked(selection: Selection) -> list[tuple[str, str]] | None:
    """The ``event_pairs`` rows (a, b) that a selection of two countries matches, or None.

    Only for two disjoint sets of codes: then an event matches exactly when one of
    its pairs joins a code of each set (for overlapping sets one country could answer
    both, which a pair cannot show).
    """
    if len(selection.countries) != 2:
        return None
    first, second = selection.countries
    if not first.isdisjoint(second):
        return None
    return sorted({(min(a, b), max(a, b)) for a in first for b in second})


def _delete_documents(connection: sqlite3.Connection, paths: Sequence[str]) -> None:
    if not paths:
        return
    listed = json.dumps(list(paths))
    rows = "SELECT rowid FROM events WHERE doc IN (SELECT value FROM json_each(?))"
    gone: Counter[tuple[str, str]] = Counter()
    for event_type, precision, first_day, doc in connection.execute(
        "SELECT type, precision, first_day, doc FROM events "
        "WHERE doc IN (SELECT value FROM json_each(?))",
        (listed,),
    ):
        gone.update(_event_tallies(event_type, precision, first_day, doc))
    for (code,) in connection.execute(
        f"SELECT code FROM event_countries WHERE event IN ({rows})", (listed,)
    ):
        gone[("country", code)] += 1
    for a, b in connection.execute(
        f"SELECT a, b FROM event_pairs WHERE event IN ({rows})", (listed,)
    ):
        gone[("pair", f"{a} {b}")] += 1
    _add_tallies(connection, Counter({key: -count for key, count in gone.items()}))
    connection.execute(f"DELETE FROM events_fts WHERE rowid IN ({rows})", (listed,))
    connection.execute(f"DELETE FROM event_countries WHERE event IN ({rows})", (listed,))
    connection.execute(f"DELETE FROM event_pairs WHERE event IN ({rows})", (listed,))
    connection.execute(
        "DELETE FROM events WHERE doc IN (SELECT value FROM json_each(?))", (listed,)
    )
    connection.execute(
        "DELETE FROM documents WHERE path IN (SELECT value FROM json_each(?))", (listed,)
    )


def _insert(
    connection: sqlite3.Connection, documents: Iterable[DocumentInfo], events: Iterable[Event]
) -> None:
    """Add documents and events (validated already: they are models) and their index rows."""
    connection.executemany(
        "INSERT OR REPLACE INTO documents (path, sha256, json) VALUES (?, ?, ?)",
        ((doc.path, doc.sha256, doc.model_dump_json()) for doc in documents),
    )
    (next_rowid,) = connection.execute("SELECT coalesce(max(rowid), 0) + 1 FROM events").fetchone()
    event_rows: list[tuple[Any, ...]] = []
    fts_rows: list[tuple[Any, ...]] = []
    country_rows: list[tuple[int, str]] = []
    pair_rows: list[tuple[int, str, str, str]] = []

    def flush() -> None:
        connection.executemany(
            "INSERT INTO events (rowid, id, skey, first_day, last_day, type, precision, doc, "
            "doc_fold, actors_fold, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_rows,
        )
        connection.executemany(
            "INSERT INTO events_fts (rowid, title, sentence, actors) VALUES (?, ?, ?, ?)", fts_rows
        )
        connection.executemany(
            "INSERT OR IGNORE INTO event_countries (event, code) VALUES (?, ?)", country_rows
        )
        connection.executemany(
            "INSERT INTO event_pairs (event, a, b, skey) VALUES (?, ?, ?, ?)", pair_rows
        )
        for rows in (event_rows, fts_rows, country_rows, pair_rows):
            rows.clear()

    added: Counter[tuple[str, str]] = Counter()

    for rowid, event in enumerate(events, start=next_rowid):
        key = sort_key(event)
        names = [actor.name for actor in event.actors]
        event_rows.append(
            (
                rowid,
                event.id,
                key,
                event.date.start.isoformat(),
                event.date.end.isoformat(),
                event.type,
                event.date.precision,
                event.source.doc,
                event.source.doc.casefold(),
                "\x1f".join(name.casefold() for name in names),
                event.model_dump_json(),
            )
        )
        fts_rows.append((rowid, event.title, event.source.sentence, " | ".join(names)))
        country_rows.extend((rowid, code) for code in event.countries)
        pairs = list(combinations(event.countries, 2))
        pair_rows.extend((rowid, a, b, key) for a, b in pairs)
        added.update(
            _event_tallies(event.type, event.date.precision, event_rows[-1][3], event.source.doc)
        )
        added.update(("country", code) for code in event.countries)
        added.update(("pair", f"{a} {b}") for a, b in pairs)
        if len(event_rows) >= 10_000:
            flush()
    flush()
    _add_tallies(connection, added)


def _event_tallies(
    event_type: str, precision: str, first_day: str, doc: str
) -> list[tuple[str, str]]:
    """The ``tallies`` rows one event counts in (besides its countries and pairs)."""
    decade = str(int(first_day[:4]) // 10 * 10)
    return [("type", event_type), ("precision", precision), ("decade", decade), ("doc", doc)]


def _add_tallies(connection: sqlite3.Connection, change: Counter[tuple[str, str]]) -> None:
    connection.executemany(
        "INSERT INTO tallies (dimension, key, events) VALUES (?, ?, ?) "
        "ON CONFLICT (dimension, key) DO UPDATE SET events = events + excluded.events",
        ((dimension, key, count) for (dimension, key), count in change.items() if count),
    )
    connection.execute("DELETE FROM tallies WHERE events <= 0")


def _pairs_from_tallies(connection: sqlite3.Connection) -> list[tuple[str, str, int, str, str]]:
    """Every pair with its count (kept up to date) and first and last keys (from the index)."""
    rows = []
    for key, count in connection.execute(
        "SELECT key, events FROM tallies WHERE dimension = 'pair'"
    ).fetchall():
        a, b = key.split(" ")
        (first,) = connection.execute(
            "SELECT min(skey) FROM event_pairs WHERE a = ? AND b = ?", (a, b)
        ).fetchone()
        (last,) = connection.execute(
            "SELECT max(skey) FROM event_pairs WHERE a = ? AND b = ?", (a, b)
        ).fetchone()
        rows.append((a, b, count, first, last))
    return rows
