"""Tests for the participants gazetteer: data validity, resolve(), find_mentions()."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.errors import LexiconError, UnknownCountryError
from bilat.extract.gazetteer import Country, Gazetteer, Mention

DATA = Path(__file__).resolve().parents[2] / "src" / "bilat" / "data"

# The 193 member states of the United Nations, by ISO 3166-1 alpha-3 code.
_UN_MEMBER_CODES = """
    AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ
    BOL BRA BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COL COM CPV CRI CUB CYP CZE
    DEU DJI DMA DNK DOM DZA ECU EGY ERI ESP EST ETH FIN FJI FRA FSM GAB GBR GEO GHA GIN GMB
    GNB GNQ GRC GRD GTM GUY HND HRV HTI HUN IDN IND IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ
    KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAR MCO MDA MDG
    MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ MRT MUS MWI MYS NAM NER NGA NIC NLD NOR NPL NRU
    NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY QAT ROU RUS RWA SAU SDN SEN SGP SLB SLE
    SLV SMR SOM SRB SSD STP SUR SVK SVN SWE SWZ SYC SYR TCD TGO THA TJK TKM TLS TON TTO TUN
    TUR TUV TZA UGA UKR URY USA UZB VCT VEN VNM VUT WSM YEM ZAF ZMB ZWE
"""
UN_MEMBERS = frozenset(_UN_MEMBER_CODES.split())


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def spans(gazetteer: Gazetteer, text: str) -> list[tuple[str, str | None, str]]:
    return [(m.text, m.code, m.kind) for m in gazetteer.find_mentions(text)]


# -- data validity -------------------------------------------------------------------------


def test_all_un_members_present(gazetteer: Gazetteer) -> None:
    members = {country.code for country in gazetteer.countries() if country.un_member}
    assert len(UN_MEMBERS) == 193
    assert members == UN_MEMBERS


@pytest.mark.parametrize("code", ["PSE", "VAT", "TWN", "XKX"])
def test_observers_and_others_present_but_not_members(gazetteer: Gazetteer, code: str) -> None:
    country = gazetteer.country(code)
    assert not country.un_member
    assert not country.historical


@pytest.mark.parametrize("code", ["SUN", "YUG", "CSK", "DDR", "SCG", "YMD"])
def test_historical_states(gazetteer: Gazetteer, code: str) -> None:
    country = gazetteer.country(code)
    assert country.historical
    assert country.alpha2 is None
    assert not country.un_member


def test_codes_unique_and_sorted(gazetteer: Gazetteer) -> None:
    countries = gazetteer.countries()
    codes = [country.code for country in countries]
    assert codes == sorted(codes)
    alpha2 = [country.alpha2 for country in countries if country.alpha2 is not None]
    assert len(alpha2) == len(set(alpha2))
    assert len(alpha2) == len(countries) - 6


def test_every_form_names_one_country(gazetteer: Gazetteer) -> None:
    """The loader refuses duplicates; check the bundled data at the level a reader sees it."""
    owners: dict[str, set[str]] = {}
    for country in gazetteer.countries():
        forms = (country.name, *country.aliases, *country.demonyms, *country.capitals)
        for form in (*forms, *country.prefixes):
            owners.setdefault(form, set()).add(country.code)
    shared = {form: codes for form, codes in owners.items() if len(codes) > 1}
    assert shared == {}
    for country in gazetteer.countries():
        for form in (country.name, *country.aliases, *country.demonyms, *country.capitals):
            assert gazetteer.resolve(form) == country.code, form


def test_actor_names_unique_and_countries_known(gazetteer: Gazetteer) -> None:
    actors = gazetteer.actors()
    names = Counter(actor.name for actor in actors)
    assert [name for name, count in names.items() if count > 1] == []
    codes = {country.code for country in gazetteer.countries()}
    for actor in actors:
        if actor.kind == "organisation" and actor.country is None:
            continue
        assert actor.country in codes, actor


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ("Congolese", "COG and COD"),
        ("Jerusalem", "ISR and PSE"),
    ],
)
def test_ambiguous_forms_are_declared_and_never_matched(
    gazetteer: Gazetteer, form: str, reason: str
) -> None:
    assert gazetteer.find_mentions(f"The {form} side agreed.") == [], reason
    with pytest.raises(UnknownCountryError):
        gazetteer.resolve(form)


def test_default_is_loaded_once() -> None:
    assert Gazetteer.default() is Gazetteer.default()


# -- resolve -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("china", "CHN"),
        ("PRC", "CHN"),
        ("CN", "CHN"),
        ("chn", "CHN"),
        ("Chinese", "CHN"),
        ("soviet union", "SUN"),
        ("USSR", "SUN"),
        ("the Soviets", "SUN"),
        ("US", "USA"),
        ("America", "USA"),
        ("u.s.a.", "USA"),
        ("the States", "USA"),
        ("Russian Federation", "RUS"),
        ("south korea", "KOR"),
        ("ROK", "KOR"),
        ("DPRK", "PRK"),
        ("Côte d'Ivoire", "CIV"),
        ("cote d’ivoire", "CIV"),
        ("cote divoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("burma", "MMR"),
        ("Viet Nam", "VNM"),
        ("Kazakh", "KAZ"),
        ("the Mongols", "MNG"),
        ("guinea bissau", "GNB"),
        ("  Great   Britain ", "GBR"),
        ("Taiwan", "TWN"),
        ("Republic of China", "CHN"),
        ("Persia", "IRN"),
        ("Zaire", "COD"),
        ("East Germany", "DDR"),
        ("West Germany", "DEU"),
        ("Ottoman Empire", "TUR"),
        ("Beijing", "CHN"),
        ("Kiev", "UKR"),
    ],
)
def test_resolve(gazetteer: Gazetteer, name: str, code: str) -> None:
    assert gazetteer.resolve(name) == code


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("Chna", "China"), ("Rusia", "Russia"), ("Kazahkstan", "Kazakhstan"), ("Vietnamm", "Vietnam")],
)
def test_resolve_unknown_suggests(gazetteer: Gazetteer, name: str, suggested: str) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        gazetteer.resolve(name)
    assert caught.value.name == name
    assert suggested in caught.value.suggestions
    assert len(caught.value.suggestions) <= 3
    assert suggested in str(caught.value)


@pytest.mark.parametrize("name", ["", "   ", "Qwxzvbn"])
def test_resolve_nonsense_has_no_suggestions(gazetteer: Gazetteer, name: str) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        gazetteer.resolve(name)
    assert caught.value.suggestions == []


def test_country_and_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.name("CHN") == "China"
    assert gazetteer.name("SUN") == "Soviet Union"
    assert isinstance(gazetteer.country("USA"), Country)
    with pytest.raises(UnknownCountryError):
        gazetteer.country("ZZZ")


# -- find_mentions -------------------------------------------------------------------------

MENTION_CASES: list[tuple[str, list[tuple[str, str | None, str]]]] = [
    # case and word boundaries
    ("China and Russia", [("China", "CHN", "name"), ("Russia", "RUS", "name")]),
    ("fine china and a chinese vase", []),
    ("let us go to the US", [("US", "USA", "alias")]),
    ("the U.S. and the USA", [("U.S.", "USA", "alias"), ("USA", "USA", "alias")]),
    ("Iranian officials", [("Iranian", "IRN", "demonym")]),
    ("Niger and Nigeria", [("Niger", "NER", "name"), ("Nigeria", "NGA", "name")]),
    ("Nigerien troops", [("Nigerien", "NER", "demonym")]),
    # possessives, straight and curly
    ("China's exports", [("China", "CHN", "name")]),
    ("Russia’s imports", [("Russia", "RUS", "name")]),
    # longest match wins
    ("South Korea", [("South Korea", "KOR", "name")]),
    ("North Korean missiles", [("North Korean", "PRK", "demonym")]),
    ("the Russian Federation", [("Russian Federation", "RUS", "alias")]),
    ("the People's Republic of China", [("People's Republic of China", "CHN", "alias")]),
    ("the People’s Republic of China", [("People’s Republic of China", "CHN", "alias")]),
    ("Equatorial Guinea", [("Equatorial Guinea", "GNQ", "name")]),
    ("Papua New Guinea", [("Papua New Guinea", "PNG", "name")]),
    ("Guinea-Bissau and Guinea", [("Guinea-Bissau", "GNB", "name"), ("Guinea", "GIN", "name")]),
    ("Dominica", [("Dominica", "DMA", "name")]),
    ("the Dominican Republic", [("Dominican Republic", "DOM", "name")]),
    ("Congo", [("Congo", "COG", "alias")]),
    (
        "the Democratic Republic of the Congo (DRC)",
        [("Democratic Republic of the Congo", "COD", "name"), ("DRC", "COD", "alias")],
    ),
    ("Sudan and South Sudan", [("Sudan", "SDN", "name"), ("South Sudan", "SSD", "name")]),
    ("Chinese Taipei", [("Chinese Taipei", "TWN", "alias")]),
    ("Chad and Turkey", [("Chad", "TCD", "name"), ("Turkey", "TUR", "name")]),
    ("Georgia", [("Georgia", "GEO", "name")]),
    # prefixes and dashed compounds
    ("the Sino-Soviet split", [("Sino-", "CHN", "prefix"), ("Soviet", "SUN", "demonym")]),
    ("the Sino-Russian border", [("Sino-", "CHN", "prefix"), ("Russian", "RUS", "demonym")]),
    ("the Sino–Japanese war", [("Sino–", "CHN", "prefix"), ("Japanese", "JPN", "demonym")]),
    ("the Russo-Ukrainian war", [("Russo-", "RUS", "prefix"), ("Ukrainian", "UKR", "demonym")]),
    ("China–Russia relations", [("China", "CHN", "name"), ("Russia", "RUS", "name")]),
    ("U.S.-China trade", [("U.S.", "USA", "alias"), ("China", "CHN", "name")]),
    ("Anglo-French talks", [("Anglo-", "GBR", "prefix"), ("French", "FRA", "demonym")]),
    ("the Indo-Pakistani war", [("Indo-", "IND", "prefix"), ("Pakistani", "PAK", "demonym")]),
    ("Sino alone, Sino-", []),
    ("Anglo-Saxon kings in the Indo-Pacific", []),
    # regions are not the United States
    ("America", [("America", "USA", "alias")]),
    ("Latin America, South America, Central America and North America", []),
    ("Latin American and North American markets", []),
    ("the South China Sea and the Sea of Japan", []),
    # demonyms, plurals, historical states
    ("Chinese personnel", [("Chinese", "CHN", "demonym")]),
    ("Russians and Americans", [("Russians", "RUS", "demonym"), ("Americans", "USA", "demonym")]),
    ("the Soviets", [("Soviets", "SUN", "demonym")]),
    ("Soviet-era bases from the Soviet era", []),
    ("Cuba paid US$130 million in U.S. dollars", [("Cuba", "CUB", "name")]),
    ("the Korean War", [("Korean", "KOR", "demonym")]),
    ("Kazakh and Kyrgyz miners", [("Kazakh", "KAZ", "demonym"), ("Kyrgyz", "KGZ", "demonym")]),
    ("the USSR", [("USSR", "SUN", "alias")]),
    ("the Qing dynasty", [("Qing dynasty", "CHN", "alias")]),
    ("the Beiyang government", [("Beiyang government", "CHN", "alias")]),
    ("the Russian Empire", [("Russian Empire", "RUS", "alias")]),
    ("Yugoslavia", [("Yugoslavia", "YUG", "name")]),
    ("East Germany", [("East Germany", "DDR", "name")]),
    ("Burma and Ceylon", [("Burma", "MMR", "alias"), ("Ceylon", "LKA", "alias")]),
    # capitals and seats of government
    ("Beijing", [("Beijing", "CHN", "capital")]),
    ("the Kremlin", [("Kremlin", "RUS", "capital")]),
    ("Havana", [("Havana", "CUB", "capital")]),
    ("Washington", [("Washington", "USA", "capital")]),
    ("the White House", [("White House", "USA", "capital")]),
    ("Taipei", [("Taipei", "TWN", "capital")]),
    ("Kyiv or Kiev", [("Kyiv", "UKR", "capital"), ("Kiev", "UKR", "capital")]),
    # organisations carry no country
    ("the European Union", [("European Union", None, "organisation")]),
    ("NATO and the SCO", [("NATO", None, "organisation"), ("SCO", None, "organisation")]),
    ("OPEC+", [("OPEC+", None, "organisation")]),
]


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_find_mentions(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str | None, str]]
) -> None:
    assert spans(gazetteer, text) == expected


@pytest.mark.parametrize(
    ("text", "name", "code", "kind"),
    [
        ("Putin said", "Vladimir Putin", "RUS", "person"),
        ("Vladimir Putin said", "Vladimir Putin", "RUS", "person"),
        ("Gorbachev visited", "Mikhail Gorbachev", "SUN", "person"),
        ("Sergei Lavrov", "Sergey Lavrov", "RUS", "person"),
        ("Xi visited", "Xi Jinping", "CHN", "person"),
        ("Castro", "Fidel Castro", "CUB", "person"),
        ("Miguel Diaz-Canel", "Miguel Díaz-Canel", "CUB", "person"),
        ("CNPC signed", "China National Petroleum Corporation", "CHN", "company"),
        ("Gazprom", "Gazprom", "RUS", "company"),
        ("SINOPEC", "Sinopec", "CHN", "company"),
        ("PDVSA", "Petróleos de Venezuela", "VEN", "company"),
        ("the PLA", "People's Liberation Army", "CHN", "government"),
        ("the Red Army", "Red Army", "SUN", "government"),
        ("the Pentagon", "Pentagon", "USA", "government"),
        ("the State Duma", "State Duma", "RUS", "government"),
        ("the CCP", "Chinese Communist Party", "CHN", "organisation"),
        ("the PCC", "Communist Party of Cuba", "CUB", "organisation"),
    ],
)
def test_actor_mentions(gazetteer: Gazetteer, text: str, name: str, code: str, kind: str) -> None:
    (mention,) = [m for m in gazetteer.find_mentions(text) if m.kind == "actor"]
    assert mention.actor is not None
    assert (mention.code, mention.actor.name, mention.actor.country, mention.actor.kind) == (
        code,
        name,
        code,
        kind,
    )


def test_organisation_mention_has_actor_without_country(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find_mentions("The European Union imposed sanctions.")
    assert mention.code is None
    assert mention.actor is not None
    assert (mention.actor.name, mention.actor.country, mention.actor.kind) == (
        "European Union",
        None,
        "organisation",
    )


def test_country_mentions_carry_no_actor(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find_mentions("Beijing")
    assert mention == Mention(0, 7, "Beijing", "CHN", "capital", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hu said no.", []),
        ("Hu Jintao arrived; Hu said no.", [("Hu Jintao", "CHN"), ("Hu", "CHN")]),
        ("Li Peng met Yeltsin. Li left.", [("Li Peng", "CHN"), ("Yeltsin", "RUS"), ("Li", "CHN")]),
        ("Wen spoke before Wen Jiabao arrived.", [("Wen Jiabao", "CHN")]),
        ("Xi'an is a city.", []),
    ],
)
def test_contextual_short_names(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(m.text, m.code) for m in gazetteer.find_mentions(text)] == expected


def test_seed_document_mentions(gazetteer: Gazetteer) -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    text = (seeds / "001_d4600f91fc8719a2.txt").read_text(encoding="utf-8")
    codes = {m.code for m in gazetteer.find_mentions(text)}
    assert {"CUB", "CHN", "RUS", "VNM", "USA"} <= codes


# -- invariants ----------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "China",
        "Sino-",
        "Soviet",
        "Russia’s",
        "U.S.",
        "Hu",
        "Hu Jintao",
        "Latin America",
        "–",
        "-",
        " ",
        "'s",
        "Guinea",
        "Republic of the ",
        "s",
        "Xi",
    ]
)


@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join))
def test_find_mentions_invariants(text: str) -> None:
    gazetteer = Gazetteer.default()
    mentions = gazetteer.find_mentions(text)
    previous_end = 0
    for mention in mentions:
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert (mention.code is None) == (mention.kind == "organisation")
        previous_end = mention.end


# -- malformed data ------------------------------------------------------------------------


def write_lexicon(
    tmp_path: Path, countries: str, actors: str = "", organisations: str = ""
) -> Path:
    (tmp_path / "countries.toml").write_text(countries, encoding="utf-8")
    (tmp_path / "actors.toml").write_text(actors, encoding="utf-8")
    (tmp_path / "organisations.toml").write_text(organisations, encoding="utf-8")
    return tmp_path


def load(directory: Path) -> Gazetteer:
    return Gazetteer.load(
        directory / "countries.toml", directory / "actors.toml", directory / "organisations.toml"
    )


GOOD_COUNTRIES = """
[country.CHN]
name = "China"
alpha2 = "CN"
demonyms = ["Chinese"]
prefixes = ["Sino"]

[country.RUS]
name = "Russia"
alpha2 = "RU"
"""


def test_small_lexicon_loads(tmp_path: Path) -> None:
    gazetteer = load(
        write_lexicon(
            tmp_path,
            GOOD_COUNTRIES,
            '[person]\n"Vladimir Putin" = { country = "RUS", aliases = ["Putin"] }\n',
            '"European Union" = { aliases = ["EU"] }\n',
        )
    )
    assert [c.code for c in gazetteer.countries()] == ["CHN", "RUS"]
    # No "Russian" demonym in this lexicon, and "Russia" does not match inside "Russian".
    assert spans(gazetteer, "Sino-Russian: Putin, EU") == [
        ("Sino-", "CHN", "prefix"),
        ("Putin", "RUS", "actor"),
        ("EU", None, "organisation"),
    ]


@pytest.mark.parametrize(
    ("countries", "actors", "organisations", "fragments"),
    [
        (
            GOOD_COUNTRIES + '\n[country.XX]\nname = "Nowhere"\nalpha2 = "XX"\n',
            "",
            "",
            ["country.XX", "code"],
        ),
        (GOOD_COUNTRIES + '\n[country.FRA]\nname = "France"\n', "", "", ["country.FRA", "alpha-2"]),
        (
            GOOD_COUNTRIES + '\n[country.FRA]\nname = "France"\nalpha2 = "FR"\ncolour = "blue"\n',
            "",
            "",
            ["country.FRA", "colour"],
        ),
        (
            GOOD_COUNTRIES
            + '\n[country.FRA]\nname = "France"\nalpha2 = "FR"\ndemonyms = ["Chinese"]\n',
            "",
            "",
            ["country.FRA.demonyms", "'Chinese'", "country.CHN"],
        ),
        (
            GOOD_COUNTRIES
            + '\n[country.SUN]\nname = "Soviet Union"\nalpha2 = "SU"\nhistorical = true\n',
            "",
            "",
            ["country.SUN", "historical"],
        ),
        (
            GOOD_COUNTRIES,
            '[person]\n"Nobody" = { country = "ZZZ" }\n',
            "",
            ["person.'Nobody'", "ZZZ"],
        ),
        (
            GOOD_COUNTRIES,
            '[person]\n"Putin" = { country = "RUS", aliases = [" Putin"] }\n',
            "",
            ["person.'Putin'", "aliases"],
        ),
        (GOOD_COUNTRIES, '[wizard]\n"Merlin" = { country = "RUS" }\n', "", ["wizard"]),
        (
            GOOD_COUNTRIES,
            "",
            '"European Union" = { country = "BEL" }\n',
            ["'European Union'", "country"],
        ),
        (GOOD_COUNTRIES + "\n[country.CHN\n", "", "", ["countries.toml", "TOML"]),
        (
            GOOD_COUNTRIES
            + '\n[country.FRA]\nname = "France"\nalpha2 = "FR"\naliases = ["china"]\n',
            "",
            "",
            ["country.FRA", "'china'", "CHN"],
        ),
    ],
)
def test_malformed_lexicon_names_file_and_key(
    tmp_path: Path, countries: str, actors: str, organisations: str, fragments: list[str]
) -> None:
    directory = write_lexicon(tmp_path, countries, actors, organisations)
    with pytest.raises(LexiconError) as caught:
        load(directory)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert ".toml" in message


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"countries\.toml"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Deutschland", "DEU"),
        ("España", "ESP"),
        ("espana", "ESP"),
        ("Россия", "RUS"),
        ("中国", "CHN"),
    ],
)
def test_a_country_resolves_by_its_name_in_its_own_language(typed: str, code: str) -> None:
    assert Gazetteer.default().resolve(typed) == code


def test_own_language_names_are_not_searched_for_in_documents() -> None:
    assert Gazetteer.default().find_mentions("Deutschland und Россия.") == []


@pytest.mark.parametrize("typed", ["eu", "EU", "E.U.", "asean"])
def test_a_bloc_is_named_as_an_actor_not_a_country(typed: str) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        Gazetteer.default().resolve(typed)
    assert "is a bloc, not a country; blocs are actors: use --actor" in str(caught.value)
    assert "Peru" not in str(caught.value)
