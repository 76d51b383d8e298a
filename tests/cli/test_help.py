"""Every ``--help`` at 80 columns reads like ``gh``'s: values named, no type names, whole words."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from bilat.cli import app
from bilat.models import EVENT_TYPES
from bilat.output.render import Format

runner = CliRunner()
COMMANDS = [
    "extract",
    "dates",
    "evaluate",
    "timeline",
    "search",
    "show",
    "pairs",
    "countries",
    "stats",
    "export",
    "chart",
    "validate",
    "schema",
]
TYPE_NAME = re.compile(r"<[a-z][a-z \[\]|,.]*>|\{[a-z_]+\}|\[x[<>]=|list\[")
BOX = re.compile(r"[│╭╮╰╯─]")


def help_text(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.stdout


def words(text: str) -> set[str]:
    """The words of a help screen with its box drawing removed (a word cut by a line
    break would show up as two fragments, not as itself)."""
    return set(re.findall(r"[\w-]+", BOX.sub(" ", text)))


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)], ids=str)
def test_help_names_values_not_types(command: list[str]) -> None:
    text = help_text(*command)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert TYPE_NAME.search(text) is None, TYPE_NAME.search(text)


@pytest.mark.parametrize("command", ["timeline", "search", "export", "chart"])
def test_type_choices_are_listed_as_whole_words(command: str) -> None:
    found = words(help_text(command))
    assert set(EVENT_TYPES) <= found
    assert not any("|" in line and "treaty" in line for line in help_text(command).splitlines())


def test_format_choices_are_whole_words_and_dates_offers_only_what_it_takes() -> None:
    assert {fmt.value for fmt in Format} <= words(help_text("timeline"))
    dates = words(help_text("dates"))
    assert {"table", "json", "ndjson", "csv"} <= dates and "markdown" not in dates


def test_usage_lines_name_the_arguments() -> None:
    assert "Usage: bilat extract [OPTIONS] PATH..." in help_text("extract")
    assert "Usage: bilat dates [OPTIONS] FILE" in help_text("dates")
    assert "Usage: bilat timeline [OPTIONS] [COUNTRY...]" in help_text("timeline")


def test_dates_rejects_markdown_as_usage() -> None:
    result = runner.invoke(app, ["dates", "x.txt", "--format", "markdown"])
    assert result.exit_code == 2
