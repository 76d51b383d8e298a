"""The precomputed country names query commands resolve with: fresh, and the gazetteer's answers.

``bilat timeline china russia`` looks the names up in ``data/country_index.json``
instead of loading the gazetteer; these tests hold the table to the gazetteer,
so both ways give the same codes, names and errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.cli import common
from bilat.errors import UnknownCountryError
from bilat.extract import gazetteer as gazetteer_module
from bilat.extract.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_country_index import country_index  # noqa: E402


def test_the_table_is_fresh() -> None:
    """Regenerate with scripts/build_country_index.py after editing countries.toml."""
    shipped = json.loads((ROOT / "src" / "bilat" / "data" / common.COUNTRY_INDEX).read_text())
    assert shipped == country_index()
    assert common._country_index() is not None


def every_form() -> list[str]:
    forms: list[str] = []
    for country in Gazetteer.default().countries():
        forms += [country.code, country.name, *country.aliases, *country.demonyms]
        forms += [*country.capitals, *country.resolve_only]
        forms += [country.alpha2] if country.alpha2 else []
    return forms


def test_every_form_and_its_plural_resolves_as_the_gazetteer_resolves_it() -> None:
    gazetteer = Gazetteer.default()
    for form in every_form():
        for typed in (form, form.upper(), form.lower(), f"the {form}", f"{form}s"):
            try:
                expected = gazetteer.resolve(typed)
            except UnknownCountryError:
                continue
            assert common.resolve_country(typed) == expected, typed


@given(st.text(max_size=30))
def test_normalise_is_the_gazetteers(name: str) -> None:
    assert common._normalise(name) == gazetteer_module._normalise(name)


@pytest.mark.parametrize("typed", ["Chinna", "EU", "nowhere", ""])
def test_unknown_names_fail_with_the_gazetteers_error(typed: str) -> None:
    with pytest.raises(UnknownCountryError) as expected:
        Gazetteer.default().resolve(typed)
    with pytest.raises(UnknownCountryError) as got:
        common.resolve_country(typed)
    assert str(got.value) == str(expected.value)


def test_display_names_are_the_gazetteers() -> None:
    gazetteer = Gazetteer.default()
    name = common.country_namer()
    for country in gazetteer.countries():
        assert name(country.code) == gazetteer.name(country.code)
    assert name("XXX") == "XXX"


def test_a_stale_table_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """When countries.toml no longer matches the table's digest, the gazetteer answers."""
    real = json.loads
    monkeypatch.setattr(
        common.json, "loads", lambda text: {**real(text), "countries_sha256": "0" * 64}
    )
    common._country_index.cache_clear()
    try:
        assert common._country_index() is None
        assert common.resolve_countries(["russia", "Chinese"]) == ["CHN", "RUS"]
        assert common.country_namer()("CHN") == "China"
    finally:
        monkeypatch.undo()
        common._country_index.cache_clear()
