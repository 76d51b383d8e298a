"""Malformed and hostile store paths: each is one line of error, exit 1, and the store untouched.

The table covers what a user's machine meets: a number of 5,000 digits, JSON
nested 100,000 deep, ``/dev/zero``, a FIFO, a directory, a lock file that is a
directory, a read-only directory with and without a lock file, an unreadable
store. Every case runs through a reading command and through ``extract``
(which locks, reads, merges and writes), by ``--store`` and by ``BILAT_STORE``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilat.cli import app
from bilat.store.json_store import EventStore

runner = CliRunner()
DOC = "In 2014, Russia and China signed a 30-year gas deal worth $400 billion.\n"
EMPTY = '{"schema_version": 1, "documents": [], "events": []}\n'


def _big_number(directory: Path) -> Path:
    path = directory / "events.json"
    path.write_text(EMPTY.replace('"events": []', '"events": [], "x": ' + "9" * 5000))
    return path


def _deep(directory: Path) -> Path:
    path = directory / "events.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    return path


def _fifo(directory: Path) -> Path:
    path = directory / "events.json"
    os.mkfifo(path)
    return path


def _directory(directory: Path) -> Path:
    path = directory / "events.json"
    path.mkdir()
    return path


def _lock_is_directory(directory: Path) -> Path:
    path = directory / "events.json"
    path.write_text(EMPTY)
    (directory / "events.json.lock").mkdir()
    return path


# (case, make the store in a directory, message, whether reading commands fail too)
CASES: list[tuple[str, Callable[[Path], Path], str, bool]] = [
    ("5000-digit number", _big_number, "is not valid JSON: number out of range", True),
    ("nested 100,000 deep", _deep, "is not valid JSON: recursion limit exceeded", True),
    ("a FIFO", _fifo, "is not a regular file (a FIFO)", True),
    ("a directory", _directory, "is a directory", True),
    ("lock file is a directory", _lock_is_directory, "Is a directory", False),
]


def _snapshot(path: Path) -> tuple[int, bytes | None]:
    """What the store path is (its file type) and holds, to prove it was left untouched."""
    mode = path.lstat().st_mode
    return stat.S_IFMT(mode), path.read_bytes() if stat.S_ISREG(mode) else None


def _one_error_line(stderr: str, message: str) -> None:
    lines = stderr.splitlines()
    assert lines[0].startswith("error: event store") or lines[0].startswith("error: cannot")
    assert message in lines[0], stderr
    assert all(line.startswith("  hint: ") for line in lines[1:]), stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("via", ["option", "env"])
@pytest.mark.parametrize("command", ["validate", "timeline", "extract"])
@pytest.mark.parametrize(
    ("make", "message", "on_read"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_malformed_store_is_one_error_exit_1_and_untouched(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], Path],
    message: str,
    on_read: bool,
    command: str,
    via: str,
) -> None:
    store = make(tmp_path)
    before = _snapshot(store)
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC)
    args = [command, str(doc)] if command == "extract" else [command]
    if via == "option":
        args += ["--store", str(store)]
    else:
        monkeypatch.setenv("BILAT_STORE", str(store))
    result = runner.invoke(app, args)
    if on_read or command == "extract":
        assert result.exit_code == 1, result.output
        _one_error_line(result.stderr, message)
    else:
        assert result.exit_code == 0, result.output
    assert _snapshot(store) == before


def test_dev_zero_is_refused_before_it_is_read() -> None:
    # Reading commands only: a regression must never be able to replace /dev/zero.
    for command in ("validate", "timeline"):
        result = runner.invoke(app, [command, "--store", "/dev/zero"])
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            "error: event store /dev/zero is not a regular file (a character device)"
        )
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)


def test_store_directory_message_is_the_same_by_option_and_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_option = runner.invoke(app, ["timeline", "--store", str(tmp_path)])
    monkeypatch.setenv("BILAT_STORE", str(tmp_path))
    by_env = runner.invoke(app, ["timeline"])
    assert by_option.exit_code == by_env.exit_code == 1
    assert by_option.stderr == by_env.stderr


# -- permissions: run unprivileged, since root ignores them -----------------------------------


def _unprivileged() -> list[str]:
    """The command prefix that drops root to ``nobody``, since root ignores permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv to drop privileges")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory an unprivileged user can reach (pytest's tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="bilat-perm-"))
    directory.chmod(0o755)
    yield directory
    for path in (directory, *directory.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(directory)


def _bilat(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    prefix = [*_unprivileged(), sys.executable, "-c"]
    if subprocess.run([*prefix, "import bilat"], check=False).returncode != 0:
        pytest.skip("the unprivileged user cannot run this interpreter")
    return subprocess.run(
        [*prefix, "from bilat.cli import app; app(prog_name='bilat')", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.mark.parametrize(
    ("setup", "command", "message"),
    [
        ("read-only directory", "extract", "cannot lock event store ro/events.json"),
        ("read-only directory, lock file present", "extract", "cannot write event store"),
        ("unreadable store", "validate", "cannot read event store ro/events.json"),
    ],
)
def test_permission_problems_are_one_error_exit_1(
    shared_dir: Path, setup: str, command: str, message: str
) -> None:
    directory = shared_dir / "ro"
    directory.mkdir()
    store = directory / "events.json"
    store.write_text(EMPTY)
    (shared_dir / "doc.txt").write_text(DOC)
    if "lock file" in setup:
        lock = directory / "events.json.lock"
        lock.touch()
        lock.chmod(0o666)
    if setup == "unreadable store":
        store.chmod(0o000)
    directory.chmod(0o555)
    args = [command, "doc.txt"] if command == "extract" else [command]
    result = _bilat([*args, "--store", "ro/events.json"], shared_dir)
    assert result.returncode == 1, result.stderr
    _one_error_line(result.stderr, message)
    directory.chmod(0o755)
    store.chmod(0o644)
    assert store.read_text() == EMPTY


# -- symbolic links and leftover temporary files ---------------------------------------------


def test_a_symlinked_store_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "events.json"
    target.parent.mkdir()
    target.write_text(EMPTY)
    link = tmp_path / "data" / "events.json"
    link.parent.mkdir()
    link.symlink_to(target)
    (tmp_path / "doc.txt").write_text(DOC)
    result = runner.invoke(app, ["extract", str(tmp_path / "doc.txt"), "--store", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert len(EventStore(target).load().events) == 1
    assert (target.parent / "events.json.lock").exists()
    assert not list(link.parent.iterdir())[1:]  # nothing but the link beside it


def _dead_pid() -> int:
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout)


def test_stale_temporary_files_are_reported_then_removed_by_the_next_writer(
    tmp_path: Path,
) -> None:
    store = tmp_path / "events.json"
    store.write_text(EMPTY)
    stale = tmp_path / f".events.json.{_dead_pid()}.0123abcd.tmp"
    live = tmp_path / f".events.json.{os.getpid()}.0123abcd.tmp"
    other = tmp_path / ".notes.json.1.0123abcd.tmp"
    for path in (stale, live, other):
        path.write_text("{")
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0].startswith(f"warning: {stale}: temporary file left")
    assert str(live) not in result.stderr and str(other) not in result.stderr
    (tmp_path / "doc.txt").write_text(DOC)
    result = runner.invoke(app, ["extract", str(tmp_path / "doc.txt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert live.exists() and other.exists()


def test_validate_reports_unknown_country_codes(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(DOC)
    store = tmp_path / "events.json"
    assert (
        runner.invoke(app, ["extract", str(tmp_path / "doc.txt"), "--store", str(store)]).exit_code
        == 0
    )
    data = json.loads(store.read_text())
    assert data["events"][0]["countries"] == ["CHN", "RUS"]
    data["events"][0]["countries"] = ["CHN", "XXX"]
    store.write_text(json.dumps(data))
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 1
    assert "unknown country code XXX" in result.stderr


def test_extract_skips_documents_over_max_chars(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(DOC * 10)
    (tmp_path / "small.txt").write_text(DOC.replace("2014", "2015"))
    store = tmp_path / "events.json"
    limit = len(DOC) * 5
    result = runner.invoke(
        app, ["extract", str(tmp_path), "--store", str(store), "--max-chars", str(limit)]
    )
    assert result.exit_code == 0, result.output
    assert f"big.txt: {len(DOC) * 10:,} characters, more than the limit of {limit:,}" in (
        result.stderr
    )
    assert [doc.path for doc in EventStore(store).load().documents] == [
        (tmp_path / "small.txt").as_posix()
    ]


def test_extract_warns_about_replaced_bytes(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_bytes(DOC.encode() + "Cuban–Chinese ".encode() + b"\xff\n")
    result = runner.invoke(
        app, ["extract", str(tmp_path / "doc.txt"), "--store", str(tmp_path / "e.json")]
    )
    assert result.exit_code == 0, result.output
    assert "1 invalid UTF-8 byte sequence replaced by U+FFFD: line 2" in result.stderr
