"""Regenerate ``src/bilat/data/country_index.json`` from the gazetteer.

    .venv/bin/python scripts/build_country_index.py

Query commands resolve the country names users type from this table instead
of loading the gazetteer; the table records the digest of ``countries.toml``
it was computed from and is ignored (the gazetteer answers) once that file
changes, so run this after editing ``countries.toml``. A test fails while the
table is stale.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bilat.cli.common import COUNTRY_INDEX
from bilat.extract.gazetteer import Gazetteer

DATA = Path(__file__).resolve().parents[1] / "src" / "bilat" / "data"


def country_index() -> dict[str, object]:
    """The table's content: the lexicon's digest, resolve()'s index, and display names."""
    gazetteer = Gazetteer.load(
        DATA / "countries.toml", DATA / "actors.toml", DATA / "organisations.toml"
    )
    return {
        "countries_sha256": hashlib.sha256((DATA / "countries.toml").read_bytes()).hexdigest(),
        # The very mapping Gazetteer.resolve() consults, keyed by normalised name.
        "names": dict(sorted(gazetteer._resolve_index.items())),
        "display": {country.code: country.name for country in gazetteer.countries()},
    }


def main() -> None:
    text = json.dumps(country_index(), ensure_ascii=False, indent=0, sort_keys=False) + "\n"
    (DATA / COUNTRY_INDEX).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
