"""Tests for the bundled person lexicon: heads of state and government stand for their country."""

from __future__ import annotations

import pytest

from bilat.extract.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def actor_codes(gazetteer: Gazetteer, text: str) -> list[str | None]:
    return [m.code for m in gazetteer.find_mentions(text) if m.kind == "actor"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Anwar Sadat flew to Jerusalem.", "EGY"),
        ("Franklin D. Roosevelt met the envoy.", "USA"),
        ("Callaghan called an election.", "GBR"),
        ("Jospin resigned that evening.", "FRA"),
        ("Egon Krenz opened the border.", "DDR"),
        ("Kiesinger led a grand coalition.", "DEU"),
        ("Lech Wałęsa led the strike in Gdańsk.", "POL"),
        ("Obasanjo returned to power.", "NGA"),
        ("Tsipras called a referendum.", "GRC"),
        ("Isaias Afwerki received the delegation.", "ERI"),
        ("Erdoğan spoke in Ankara.", "TUR"),
    ],
)
def test_person_stands_for_country(gazetteer: Gazetteer, text: str, code: str) -> None:
    assert code in actor_codes(gazetteer, text)


@pytest.mark.parametrize(
    ("full", "short", "code"),
    [
        ("Franklin D. Roosevelt", "Roosevelt", "USA"),
        ("Neville Chamberlain", "Chamberlain", "GBR"),
        ("Michel Barnier", "Barnier", "FRA"),
        ("Andrzej Duda", "Duda", "POL"),
        ("Stephen Harper", "Harper", "CAN"),
    ],
)
def test_contextual_surname_needs_full_name(
    gazetteer: Gazetteer, full: str, short: str, code: str
) -> None:
    assert actor_codes(gazetteer, f"{short} spoke on Tuesday.") == []
    assert actor_codes(gazetteer, f"{full} arrived. Later {short} spoke.") == [code, code]


@pytest.mark.parametrize(
    "text",
    [
        "May the talks go on.",
        "Rice prices rose.",
        "Bush fires spread in the hills.",
        "Major roads were closed.",
        "Brown coal output fell.",
    ],
)
def test_common_words_are_not_people(gazetteer: Gazetteer, text: str) -> None:
    assert actor_codes(gazetteer, text) == []
