"""The output formats as choices, apart from the writers, so the CLI can declare its options
without importing the models, the queries or rich.

:mod:`~bilat.output.render` and :mod:`~bilat.output.export` use these same enums.
"""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Output formats shared by every command that lists things."""

    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    markdown = "markdown"


class ExportFormat(StrEnum):
    """The files ``bilat export`` writes."""

    html = "html"
    timelinejs = "timelinejs"
    ics = "ics"
    markdown = "markdown"
    csv = "csv"


SUFFIXES: dict[ExportFormat, str] = {
    ExportFormat.html: ".html",
    ExportFormat.timelinejs: ".json",
    ExportFormat.ics: ".ics",
    ExportFormat.markdown: ".md",
    ExportFormat.csv: ".csv",
}
"""The file suffix ``bilat export -o`` adds when the name has none."""


def plural(number: int, noun: str) -> str:
    """ "1 event", "2 events", "1,204 events"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
