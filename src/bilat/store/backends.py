"""Which backend a store path means, and moving a store from one backend to another.

A path ending in ``.sqlite`` or ``.db`` is a SQLite store; any other is a
JSON file. The SQLite module (and :mod:`sqlite3`) is imported only when such a
path is opened.
"""

from __future__ import annotations

from pathlib import Path

from bilat.errors import StoreError
from bilat.store.base import Store
from bilat.store.json_store import EventStore

SQLITE_SUFFIXES = (".sqlite", ".db")
"""Store paths ending in these (any case) are SQLite stores."""


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` names a SQLite store, by its suffix."""
    return path.suffix.lower() in SQLITE_SUFFIXES


def open_store(path: Path | str) -> Store:
    """The store at ``path``, of the backend its suffix names (nothing is read yet)."""
    path = Path(path)
    if is_sqlite(path):
        from bilat.store.sqlite_store import SqliteStore

        return SqliteStore(path)
    return EventStore(path)


def copy_store(source: Path | str, destination: Path | str) -> int:
    """Copy every document and event from ``source`` to ``destination``; return the events.

    Either may be JSON or SQLite. The destination is replaced atomically (a
    new file renamed over it), so a failed copy leaves it as it was; the
    source is validated as it is read. Copying a store onto itself is refused.
    """
    source, destination = Path(source), Path(destination)
    if destination.exists() and source.resolve() == destination.resolve():
        raise StoreError(
            f"cannot copy event store {source} onto itself", hint="give another destination"
        )
    data = open_store(source).load()
    open_store(destination).save(data)
    return len(data.events)
