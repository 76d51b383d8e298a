"""The package as users get it: the public API, lazy loading, py.typed, declared dependencies."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

import bilat

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "bilat"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PUBLIC = [name for name in bilat.__all__ if name != "__version__"]


def _requirement_name(requirement: str) -> str:
    """``"typer>=0.12"`` -> ``"typer"``, normalised the way PyPI compares names."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name is not None, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def _in_process(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return result.stdout


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves_to_its_home_module_object(name: str) -> None:
    home = importlib.import_module(bilat._MODULE_OF[name])
    assert getattr(bilat, name) is getattr(home, name)


def test_all_and_the_loading_table_list_the_same_names_once() -> None:
    assert len(bilat.__all__) == len(set(bilat.__all__))
    assert set(PUBLIC) == set(bilat._MODULE_OF)


def test_the_type_checking_block_imports_every_public_name() -> None:
    """mypy and IDEs see only the TYPE_CHECKING imports; they must match ``__all__``."""
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    imported = {
        (node.module, alias.asname or alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {(bilat._MODULE_OF[name], name) for name in PUBLIC}


def test_the_library_api_does_what_the_cli_does() -> None:
    """Extract, filter, search and score through ``import bilat`` alone."""
    result = bilat.extract_text(
        "In March 2006, China and Russia signed a gas agreement worth $400 million.",
        doc="note.txt",
    )
    (event,) = result.events
    assert (event.date.value, event.countries) == ("2006-03", ["CHN", "RUS"])
    flt = bilat.EventFilter(countries=["CHN", "RUS"], date_from="2006", date_to="2006")
    assert bilat.timeline(result.events, flt) == [event]
    assert [hit.event for hit in bilat.search(result.events, "gas")] == [event]
    assert bilat.find_by_id(result.events, event.id[:8]) == event


def test_unknown_attributes_still_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = bilat.no_such_name  # type: ignore[attr-defined]


def test_dir_lists_the_public_names() -> None:
    assert set(bilat.__all__) <= set(dir(bilat))


def test_import_bilat_loads_no_stage_until_asked() -> None:
    """``bilat --help`` imports the package first; it must not pay for the extractor."""
    loaded = _in_process(
        "import sys, bilat; print(*sorted(m for m in sys.modules if m.startswith('bilat')))"
    )
    assert loaded.split() == ["bilat"]


@pytest.mark.parametrize("module", ["pydantic", "rich", "sqlite3", "bilat.models", "bilat.query"])
def test_import_bilat_cli_builds_no_model_and_loads_no_rich(module: str) -> None:
    """Every command starts by importing the CLI: models, rich and stores load when needed."""
    loaded = _in_process("import sys, bilat.cli; print(*sorted(sys.modules))")
    assert module not in loaded.split()


def test_python_dash_m_bilat_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bilat", "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"bilat {bilat.__version__}\n",
        "",
    )


def test_version_matches_the_project_metadata() -> None:
    assert bilat.__version__ == PYPROJECT["project"]["version"]
    assert importlib.metadata.version("bilat") == bilat.__version__


def test_py_typed_and_data_files_ship_inside_the_package() -> None:
    package = resources.files("bilat")
    assert package.joinpath("py.typed").is_file()
    for name in ("countries.toml", "actors.toml", "organisations.toml", "triggers.toml"):
        assert package.joinpath("data", name).is_file()
    # hatchling ships every file under the package directory unless told otherwise.
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["src/bilat"]
    assert "exclude" not in wheel


def test_the_html_template_ships_beside_the_export_writer() -> None:
    assert resources.files("bilat.output").joinpath("timeline.html").is_file()


OPTIONAL_READERS = {"html_reader.py": "html", "pdf_reader.py": "pdf", "cluster.py": "dask"}
"""Modules whose third-party imports come from an extra (readers, the Dask runner), and which."""


def _third_party_imports(paths: list[Path]) -> set[str]:
    """Top-level modules imported in ``paths`` that are neither stdlib nor bilat."""
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "bilat"}


def _undeclared(modules: set[str], declared: set[str]) -> dict[str, list[str]]:
    distributions = importlib.metadata.packages_distributions()
    return {
        module: distributions.get(module, [module])
        for module in modules
        if not {_requirement_name(d) for d in distributions.get(module, [module])} & declared
    }


def test_every_runtime_import_is_a_declared_dependency() -> None:
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    core = [path for path in SRC.rglob("*.py") if path.name not in OPTIONAL_READERS]
    assert _undeclared(_third_party_imports(core), declared) == {}


@pytest.mark.parametrize(("module", "extra"), sorted(OPTIONAL_READERS.items()))
def test_an_optional_reader_imports_only_its_extra(module: str, extra: str) -> None:
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    declared |= {_requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"][extra]}
    (path,) = SRC.rglob(module)
    imported = _third_party_imports([path])
    assert imported
    assert _undeclared(imported, declared) == {}


def test_the_test_extra_installs_the_optional_readers() -> None:
    assert "bilat[html,pdf]" in PYPROJECT["project"]["optional-dependencies"]["test"]


def test_plain_text_needs_no_extra() -> None:
    """With trafilatura and pypdf missing, text is still read and the readers load lazily."""
    out = _in_process(
        "import sys; sys.modules['trafilatura'] = None; sys.modules['pypdf'] = None\n"
        "from bilat.extract.documents import parse_document\n"
        "print(parse_document(b'In 2001, China and Russia signed a treaty.', 'a.txt').format)"
    )
    assert out.strip() == "text"


def test_dask_is_an_optional_extra_also_in_the_test_extra() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    runtime = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    for extra in ("dask", "test"):
        assert {"dask", "distributed"} <= {_requirement_name(r) for r in extras[extra]}
    assert not {"dask", "distributed"} & runtime


def test_playwright_is_a_test_only_dependency() -> None:
    test_extra = {
        _requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]
    }
    runtime = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert "playwright" in test_extra
    assert "playwright" not in runtime
