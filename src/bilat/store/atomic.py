"""Atomic file replacement: readers see the old file or the new one, never half of one.

The store and every export go through :func:`write_text_atomic` (or
:func:`write_chunks_atomic`, for a text written piece by piece), so an
interrupted write (a crash, Ctrl-C, a full disk) leaves the previous file
intact. Only a killed process (SIGKILL, power loss) can leave its temporary
file behind: :func:`stale_temporaries` finds those by their name, and the
store's writer removes them under its lock.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, written as given) in one step.

    A temporary file beside the target is written, flushed and fsynced, given
    the old file's permissions, then renamed over the target; the directory is
    fsynced so the rename itself survives a crash. A symbolic link is written
    through: its target is replaced, and the link stays a link. Raises
    :class:`OSError`.
    """
    write_chunks_atomic(path, (text,))


def write_chunks_atomic(path: Path, chunks: Iterable[str]) -> None:
    """:func:`write_text_atomic` of the text ``chunks`` make, written as they come.

    A big file never exists whole in memory as one string. Should ``chunks``
    raise, the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(os.path.realpath(path))
    directory = path.parent
    temporary = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    existing_mode = _mode_of(path)
    # os.open with 0o666 lets the umask decide permissions, as for any new file.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        if existing_mode is not None:
            os.chmod(temporary, existing_mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def stale_temporaries(path: Path) -> list[Path]:
    """Temporary files :func:`write_text_atomic` left beside ``path`` when its process died.

    They are recognised by their name (``.NAME.PID.HEX.tmp``) and count as
    stale only when no process with that id is running, so a write in
    progress is never taken for debris. Sorted, for stable reports.
    """
    path = Path(os.path.realpath(path))
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(?P<pid>\d+)\.[0-9a-f]{{8}}\.tmp")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    stale = []
    for name in names:
        match = pattern.fullmatch(name)
        if match and not _running(int(match["pid"])):
            stale.append(path.parent / name)
    return sorted(stale)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False  # no such process, or an id no process can have
    except PermissionError:
        return True  # another user's process
    return True


def _mode_of(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on every platform."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
