"""The package is layered and acyclic: the import-linter contracts in pyproject.toml hold.

``cli`` -> ``output`` -> ``evaluate``, ``query`` -> ``extract``, ``store`` ->
``dates_arg``, ``models`` -> ``errors``: each layer imports only those below it,
the command modules share nothing but ``cli.common``, and no two sibling modules
or packages import each other, directly or round a longer circle. The last two
tests break a copy of the package on purpose, to show the contracts notice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "bilat"
PYPROJECT = ROOT / "pyproject.toml"
LAYERS = "Layers import only downward"
CLI_GROUPS = "Command modules share only cli.common, and none imports the app"
ACYCLIC = "No import cycle between sibling modules or packages"


def lint_imports(pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on ``pyproject.toml``, over the installed package or a copy of it."""
    env = {**os.environ, "NO_COLOR": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--config",
            str(PYPROJECT),
            "--no-cache",
            "--no-logo",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )


def broken_copy(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package with ``line`` added to ``module``; returns its sys.path entry."""
    copy = tmp_path / "src"
    shutil.copytree(SRC, copy / "bilat", ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / "bilat" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return copy


def test_every_import_contract_is_kept() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (LAYERS, CLI_GROUPS, ACYCLIC):
        assert f"{contract} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("models.py", "import bilat.query", LAYERS),
        ("store/json_store.py", "import bilat.output.render", LAYERS),
        ("extract/gazetteer.py", "import bilat.cli.common", LAYERS),
        ("cli/query.py", "import bilat.cli.export", CLI_GROUPS),
        ("extract/text.py", "import bilat.extract.pipeline", ACYCLIC),
    ],
)
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    result = lint_imports(broken_copy(tmp_path, module, line))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
