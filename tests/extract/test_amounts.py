"""Money amounts (bilat.amounts)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.extract.amounts import _PATTERN, MoneyMention, _matches, find_amounts, to_model
from bilat.models import Amount

ROOT = Path(__file__).resolve().parents[2]


def found(source: str) -> list[tuple[str, float, str]]:
    return [(m.text, m.value, m.currency) for m in find_amounts(source)]


def check_invariants(source: str, mentions: list[MoneyMention]) -> None:
    previous_end = 0
    for m in mentions:
        assert source[m.start : m.end] == m.text
        assert previous_end <= m.start < m.end
        assert math.isfinite(m.value) and m.value >= 0
        assert len(m.currency) == 3 and m.currency.isupper()
        previous_end = m.end


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # symbols and prefixes
        ("trade totaled US$777 million", [("US$777 million", 777e6, "USD")]),
        ("a deal worth $400 billion.", [("$400 billion", 400e9, "USD")]),
        ("US$1.6 billion", [("US$1.6 billion", 1.6e9, "USD")]),
        ("US$ 1,000 in cash", [("US$ 1,000", 1000.0, "USD")]),
        ("U.S.$5 million", [("U.S.$5 million", 5e6, "USD")]),
        ("USD 5 million", [("USD 5 million", 5e6, "USD")]),
        ("€5bn", [("€5bn", 5e9, "EUR")]),
        ("£2.5 million", [("£2.5 million", 2.5e6, "GBP")]),
        ("₽500", [("₽500", 500.0, "RUB")]),
        ("RMB 150 billion", [("RMB 150 billion", 150e9, "CNY")]),
        ("CN¥10 billion", [("CN¥10 billion", 10e9, "CNY")]),
        ("A$5m", [("A$5m", 5e6, "AUD")]),
        ("C$ 3 billion", [("C$ 3 billion", 3e9, "CAD")]),
        ("HK$2 trillion", [("HK$2 trillion", 2e12, "HKD")]),
        ("₹3 crore", [("₹3 crore", 3e7, "INR")]),
        ("$2.5k", [("$2.5k", 2500.0, "USD")]),
        ("$7 mn", [("$7 mn", 7e6, "USD")]),
        ("a $5-million deal", [("$5-million", 5e6, "USD")]),
        # "¥" is resolved from nearby words
        ("¥100 billion in Chinese loans", [("¥100 billion", 100e9, "CNY")]),
        ("¥5 million from Japan", [("¥5 million", 5e6, "JPY")]),
        ("¥5 million", [("¥5 million", 5e6, "JPY")]),
        # currency words after the figure
        ("80 million dollars in aid", [("80 million dollars", 80e6, "USD")]),
        ("80 million US dollars", [("80 million US dollars", 80e6, "USD")]),
        ("5 million Hong Kong dollars", [("5 million Hong Kong dollars", 5e6, "HKD")]),
        ("a 150 billion yuan swap line", [("150 billion yuan", 150e9, "CNY")]),
        ("2 billion renminbi", [("2 billion renminbi", 2e9, "CNY")]),
        ("10 million roubles", [("10 million roubles", 10e6, "RUB")]),
        ("2 billion Russian rubles", [("2 billion Russian rubles", 2e9, "RUB")]),
        ("1.5 million euros", [("1.5 million euros", 1.5e6, "EUR")]),
        ("3 million pounds", [("3 million pounds", 3e6, "GBP")]),
        ("5 billion yen", [("5 billion yen", 5e9, "JPY")]),
        ("200 crore rupees", [("200 crore rupees", 2e9, "INR")]),
        ("20 million Cuban pesos", [("20 million Cuban pesos", 20e6, "CUP")]),
        ("20 million pesos in Havana", [("20 million pesos", 20e6, "CUP")]),
        ("5 billion tenge", [("5 billion tenge", 5e9, "KZT")]),
        ("40 million hryvnias", [("40 million hryvnias", 40e6, "UAH")]),
        ("150 billion RMB", [("150 billion RMB", 150e9, "CNY")]),
        ("5 million USD", [("5 million USD", 5e6, "USD")]),
        ("500 ₽", [("500 ₽", 500.0, "RUB")]),
        ("5\u00a0000 rubles", [("5\u00a0000 rubles", 5000.0, "RUB")]),
        ("two billion dollars", [("two billion dollars", 2e9, "USD")]),
        ("a billion dollars", [("a billion dollars", 1e9, "USD")]),
        ("5 million won", [("5 million won", 5e6, "KRW")]),
        # ranges: one mention valued at the first figure
        ("declined from $3.2 billion to near zero", [("$3.2 billion", 3.2e9, "USD")]),
        ("$3-5 billion", [("$3-5 billion", 3e9, "USD")]),
        ("$3 to $5 billion", [("$3 to $5 billion", 3e9, "USD")]),
        ("3 to 3.5 billion yuan", [("3 to 3.5 billion yuan", 3e9, "CNY")]),
        (
            "from $10 billion to $59.3 billion",
            [("$10 billion", 10e9, "USD"), ("$59.3 billion", 59.3e9, "USD")],
        ),
        # glued to the next sentence
        ("$100 billion.In 2024", [("$100 billion", 100e9, "USD")]),
        # a one-letter scale only counts when glued
        ("$5 m of wire", [("$5", 5.0, "USD")]),
        ("$5 more", [("$5", 5.0, "USD")]),
    ],
)
def test_amounts(source: str, expected: list[tuple[str, float, str]]) -> None:
    got = found(source)
    assert [(t, c) for t, _, c in got] == [(t, c) for t, _, c in expected]
    assert [v for _, v, _ in got] == pytest.approx([v for _, v, _ in expected])


@pytest.mark.parametrize(
    "source",
    [
        "3 to 3.5 billion cubic meters of gas",
        "a contract for 1,000 Chinese buses",
        "joining up with 2,090 Russian soldiers",
        "China accounts for 38% of imports",
        "In 2014 yuan trading began",
        "in 2014, 2015 and 2016",
        "60,000 pounds of rice",
        "20 million pesos",  # no hint which peso
        "team 3 won the cup",
        "billions of dollars",
        "usd 5 and cup 5 and 5 cup",  # codes are upper case
        "$1,0000",
        "$12345678901234567890",
        "the A380 and 5 dollarsign",
    ],
)
def test_not_money(source: str) -> None:
    assert find_amounts(source) == []


def test_to_model() -> None:
    (mention,) = find_amounts("US$777 million")
    assert to_model(mention) == Amount(
        value=777e6, currency="USD", text="US$777 million", measure="other"
    )


def test_gold_amounts_are_found_in_their_documents() -> None:
    golds = sorted((ROOT / "gold").glob("*.gold.json"))
    if not golds:
        pytest.skip("no gold files")
    for gold in golds:
        data = json.loads(gold.read_text(encoding="utf-8"))
        source = (ROOT / "seeds" / data["doc"]).read_text(encoding="utf-8")
        mentions = {(m.text, m.currency): m.value for m in find_amounts(source)}
        for event in data["events"]:
            amount = event.get("amount")
            if amount:
                key = (amount["text"], amount["currency"])
                assert key in mentions, key
                assert mentions[key] == pytest.approx(amount["value"])


@pytest.mark.parametrize(
    "source",
    [
        "$" * 300_000,
        "1" * 300_000 + " dollars",
        "1," * 150_000 + " dollars",
        "$1 " * 100_000,
        "a " * 150_000 + "billion dollars",
        "5 " * 150_000 + "yuan",
        "US" * 150_000,
        "¥1 " * 20_000,
    ],
    ids=lambda s: repr(s[:8]),
)
def test_adversarial_inputs_complete(source: str) -> None:
    check_invariants(source, find_amounts(source))


_TRICKY = st.text(
    alphabet=st.sampled_from(list("$€£¥₽US 0123456789.,-–to bnmkillion yuan dollars\u00a0")),
    max_size=200,
)


_MONEY_WORDS = (
    "$ € ¥ € $$ €$ US$ US U.S.$ RMB RMB¥ USD EUR Rs. Rs A$ 5 1,000 3.5 2014 - – to a an "
    "one two six seven ſix SIX Two million bn m k yuan dollars pounds of won Chinese u.s. "
    ". , x İ \u212a"
)
_WORDY = st.lists(st.sampled_from([*_MONEY_WORDS.split(), " ", "\n"]), max_size=40).map(
    lambda words: "".join(f"{w} " if len(w) > 1 else w for w in words)
)


@given(st.one_of(st.text(max_size=300), _TRICKY, _WORDY))
def test_matches_are_those_of_a_full_scan(source: str) -> None:
    """Trying the pattern only where a sum can begin finds what ``finditer`` finds."""
    assert [(m.span(), m.groupdict()) for m in _matches(source)] == [
        (m.span(), m.groupdict()) for m in _PATTERN.finditer(source)
    ]


@given(st.one_of(st.text(max_size=300), _TRICKY))
def test_any_text_gives_consistent_mentions(source: str) -> None:
    mentions = find_amounts(source)
    check_invariants(source, mentions)
    for m in mentions:
        assert to_model(m).text == m.text


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("Bilateral trade in 2005 totaled US$777 million.", ["trade_volume"]),
        (
            "Trade totaled US$777 million, of which US$560 million were Chinese exports to Cuba.",
            ["trade_volume", "exports"],
        ),
        ("China's imports from Russia reached $120 billion.", ["imports"]),
        ("Russia and China signed a 30-year gas deal worth $400 billion.", ["deal_value"]),
        ("Chinese banks provided $6 billion in loans to Rosneft.", ["loan"]),
        ("China pledged to invest US$500 million in the plant.", ["investment"]),
        ("Japan sent $20 million in humanitarian aid.", ["aid"]),
        ("China spent $5 billion on Russian weaponry.", ["other"]),
        ("Chinese military imports from Russia declined from $3.2 billion.", ["other"]),
        ("Households held around $6 billion worth of yuan.", ["other"]),
    ],
)
def test_measure_is_read_from_the_words_around_the_figure(text: str, measures: list[str]) -> None:
    assert [mention.measure for mention in find_amounts(text)] == measures
