"""The README is part of the interface: its commands must exist, run, and match CI.

CI (``.ci/run``) runs the test command it finds between the README's
``test-command`` markers, so a README edit can change what CI runs; these
tests keep the Quick start, the command reference, the exit codes and the
embedded chart honest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from bilat.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
FENCE = re.compile(r"^```[^\n]*\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def section(title: str) -> str:
    """The text under a ``## title`` heading, up to the next one (not counting code blocks)."""
    lines: list[str] = []
    inside = in_code = False
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("## "):
            if inside:
                break
            inside = line.rstrip("\n") == f"## {title}"
            continue
        if inside:
            lines.append(line)
    assert lines, f"README has no '## {title}' section"
    return "".join(lines)


def fenced_lines(text: str) -> list[str]:
    """Non-blank lines inside the fenced code blocks of ``text``."""
    return [
        line.strip()
        for block in FENCE.finditer(text)
        for line in block["body"].splitlines()
        if line.strip()
    ]


def between(marker: str, text: str = README) -> str:
    match = re.search(rf"<!-- {marker} -->\n(?P<body>.*?)<!-- /{marker} -->", text, re.S)
    assert match is not None, f"no <!-- {marker} --> ... <!-- /{marker} --> markers"
    return match["body"]


def registered_commands() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


def test_quick_start_has_exactly_two_commands() -> None:
    commands = fenced_lines(section("Quick start"))
    assert len(commands) == 2, commands
    assert all(command.startswith("python3 -m venv .venv && ") for command in commands)
    assert commands[0].endswith("bilat timeline china russia")


def test_test_command_between_markers_is_the_second_quick_start_command() -> None:
    marked = between("test-command")
    assert marked in section("Quick start")
    assert fenced_lines(marked) == [fenced_lines(section("Quick start"))[1]]


def test_ci_extracts_the_same_command_from_the_readme() -> None:
    """Run .ci/run's own extraction line, so a change to either side is caught."""
    (extraction,) = [
        line
        for line in CI_RUN.splitlines()
        if line.startswith("cmd=") and "<!-- test-command -->" in line
    ]
    assert "README.md" in extraction
    assert re.search(r'bash -euo pipefail -c "\$cmd"', CI_RUN)
    result = subprocess.run(
        ["bash", "-c", f'set -euo pipefail\n{extraction}\nprintf "%s" "$cmd"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == fenced_lines(section("Quick start"))[1]


@pytest.mark.parametrize("command", registered_commands())
def test_every_command_is_documented(command: str) -> None:
    assert re.search(rf"`bilat {command}\b", section("Usage")), f"bilat {command} not in Usage"


def test_the_commands_listed_include_export_and_chart() -> None:
    assert {"export", "chart"} <= set(registered_commands())


def test_exit_codes_section_lists_every_code() -> None:
    codes = re.findall(r"^\| (\d+) \|", section("Exit codes"), re.M)
    assert codes == ["0", "1", "2", "130"]


def test_embedded_chart_is_docs_chart_txt() -> None:
    """Regenerate with scripts/make_readme_images.py, then paste docs/chart.txt here."""
    chart = (ROOT / "docs" / "chart.txt").read_text(encoding="utf-8")
    assert fenced_lines(between("chart")) == [line.strip() for line in chart.splitlines() if line]


def test_embedded_screenshot_exists() -> None:
    images = re.findall(r"!\[[^\]]*\]\((?P<path>[^)]+)\)", README)
    assert "docs/timeline.png" in images
    assert all((ROOT / image).is_file() for image in images)


def console_examples() -> list[tuple[str, int]]:
    """``$ bilat ...`` lines of the README's console blocks, with the exit code they show.

    An example whose output starts with ``error:`` is expected to exit 1.
    """
    examples: list[tuple[str, int]] = []
    for block in re.finditer(r"^```console\n(?P<body>.*?)^```", README, re.M | re.S):
        lines = block["body"].splitlines()
        for number, line in enumerate(lines):
            if line.startswith("$ bilat "):
                following = lines[number + 1] if number + 1 < len(lines) else ""
                examples.append((line[2:], 1 if following.startswith("error:") else 0))
    return examples


@pytest.mark.parametrize(("command", "expected"), console_examples())
def test_console_examples_run(command: str, expected: int, tmp_path: Path) -> None:
    """Every example runs on the shipped store (found from the checkout, as documented)."""
    if not (ROOT / "data" / "events.json").is_file():
        pytest.skip("no shipped store data/events.json")
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "bilat").is_file():
        pytest.skip(f"the bilat script is not installed beside {sys.executable}")
    env = {key: value for key, value in os.environ.items() if key != "BILAT_STORE"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # No pipefail: `bilat ... | head` may see its pipe closed early, which is not a failure.
    result = subprocess.run(
        ["bash", "-c", command.replace("/tmp/", f"{tmp_path}/")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == expected, result.stderr
    assert "Traceback" not in result.stderr
    assert ("error:" in result.stderr) == (expected == 1), result.stderr
