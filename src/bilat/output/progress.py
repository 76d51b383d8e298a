"""The progress bars the commands draw on stderr: in documents, or in characters.

Imported only when a bar is drawn (an interactive run long enough to want
one), so it imports rich's progress module at once. File names reach the bar
as plain text: no column here interprets markup.
"""

from __future__ import annotations

from datetime import timedelta

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

_UNITS = ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k"))


def chars_label(done: int, total: int) -> str:
    """``1.2/5.0 M chars``: both counts in the unit the total calls for, to compare at a glance."""
    for size, prefix in _UNITS:
        if total >= size:
            return f"{done / size:.1f}/{total / size:.1f} {prefix} chars"
    return f"{done:,}/{total:,} chars"


def rate_label(chars: float, seconds: float | None) -> str:
    """``170.2 k chars/s``; ``? chars/s`` before a document is done."""
    if not seconds or not chars:
        return "? chars/s"
    per_second = chars / seconds
    for size, prefix in _UNITS:
        if per_second >= size:
            return f"{per_second / size:.1f} {prefix} chars/s"
    return f"{per_second:.0f} chars/s"


def remaining_label(chars: float, total: float, seconds: float | None) -> str:
    """``0:01:05``: the characters left at the average rate so far; ``-:--:--`` without one."""
    if not seconds or not chars:
        return "-:--:--"
    left = max(0.0, total - chars) * seconds / chars
    return str(timedelta(seconds=round(left)))


class _CharsColumn(ProgressColumn):
    """The task's completed and total, which count characters."""

    def render(self, task: Task) -> Text:
        return Text(chars_label(int(task.completed), int(task.total or 0)), "progress.download")


# rich's own speed and time left are computed from recent samples, which it drops whenever
# the total changes; the characters' total is corrected after every document, so these two
# columns use the average rate since the start instead.


class _CharRateColumn(ProgressColumn):
    """Characters a second, on average since the bar started."""

    def render(self, task: Task) -> Text:
        return Text(rate_label(task.completed, task.elapsed), "progress.data.speed")


class _RemainingColumn(ProgressColumn):
    """Time left for the characters left, at the average rate so far."""

    def render(self, task: Task) -> Text:
        left = remaining_label(task.completed, task.total or 0, task.elapsed)
        return Text(left, "progress.remaining")


def _description() -> TextColumn:
    return TextColumn("{task.description}", style="progress.description", markup=False)


def document_bar(console: Console) -> Progress:
    """A bar whose task counts documents (``bilat evaluate``)."""
    return Progress(
        _description(),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def character_bar(console: Console) -> Progress:
    """A bar whose task counts characters, the documents done beside them (``bilat extract``).

    The task's ``documents`` field is the ``3/10 documents`` text.
    """
    return Progress(
        _description(),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[documents]}", markup=False),
        _CharsColumn(),
        _CharRateColumn(),
        _RemainingColumn(),
        console=console,
        transient=True,
    )
