"""Sentences, paragraphs and headings (bilat.text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.extract.text import Sentence, document_title, split_sentences

ROOT = Path(__file__).resolve().parents[2]


def texts(source: str) -> list[str]:
    return [s.text for s in split_sentences(source)]


def check_invariants(source: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    previous_paragraph = -1
    for s in sentences:
        assert source[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert previous_end <= s.start < s.end
        assert s.paragraph >= previous_paragraph
        previous_end, previous_paragraph = s.end, s.paragraph


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        # abbreviations and initials
        (
            "Sanctions by the U.S. and the U.K. followed. Talks resumed.",
            ["Sanctions by the U.S. and the U.K. followed.", "Talks resumed."],
        ),
        ("It angered the U.S. The talks failed.", ["It angered the U.S.", "The talks failed."]),
        ("The U.S. President spoke.", ["The U.S. President spoke."]),
        ("Talks began Jan. 5 in Moscow.", ["Talks began Jan. 5 in Moscow."]),
        ("Gen. Smith met Dr. Li and Mr. Wang.", ["Gen. Smith met Dr. Li and Mr. Wang."]),
        ("See No. 5 on St. George street.", ["See No. 5 on St. George street."]),
        (
            "PetroChina Great Wall Drilling Co., Ltd. and CUPET held a ceremony.",
            ["PetroChina Great Wall Drilling Co., Ltd. and CUPET held a ceremony."],
        ),
        ("Huawei Inc. The firm grew.", ["Huawei Inc.", "The firm grew."]),
        ("Acme Corp. Chairman Li spoke.", ["Acme Corp. Chairman Li spoke."]),
        ("Oil, gas, etc. were traded.", ["Oil, gas, etc. were traded."]),
        ("Oil, gas, etc. Trade grew.", ["Oil, gas, etc.", "Trade grew."]),
        ("Trade (e.g. oil) grew, i.e. fast.", ["Trade (e.g. oil) grew, i.e. fast."]),
        ("It was approx. three tons.", ["It was approx. three tons."]),
        ("China vs. Russia.", ["China vs. Russia."]),
        ("Kaja K. Kallas met Wang Yi.", ["Kaja K. Kallas met Wang Yi."]),
        ("J. R. R. Tolkien wrote.", ["J. R. R. Tolkien wrote."]),
        ("Works, Vol I, p. 327-330.", ["Works, Vol I, p. 327-330."]),
        # numbers
        ("Trade was $59.3 billion. It grew.", ["Trade was $59.3 billion.", "It grew."]),
        ("It measures 4,209.3 km. It is long.", ["It measures 4,209.3 km.", "It is long."]),
        (
            "It mounted abroad. 2009 was declared the Year.",
            ["It mounted abroad.", "2009 was declared the Year."],
        ),
        # ellipses and quotes
        (
            'He said "not just oil ... Russia is a partner".',
            ['He said "not just oil ... Russia is a partner".'],
        ),
        (
            'He said, "Our plan is firm. The policy is set. We will act." Then he left.',
            ['He said, "Our plan is firm. The policy is set. We will act."', "Then he left."],
        ),
        (
            "They signed a “strategic partnership.” Ties grew.",
            ["They signed a “strategic partnership.”", "Ties grew."],
        ),
        ('"Is it?" he asked. Yes.', ['"Is it?" he asked.', "Yes."]),
        ('A 12" gun fired. Then it stopped.', ['A 12" gun fired.', "Then it stopped."]),
        ("(See the map.) Trade grew.", ["(See the map.)", "Trade grew."]),
        ("Trade grew. (It doubled.)", ["Trade grew.", "(It doubled.)"]),
        # semicolons never split
        ("It grew; As of 2023, it fell.", ["It grew; As of 2023, it fell."]),
        # glued sentences
        (
            "China imports grains from Ukraine.In May 2025, Xi visited Russia.",
            ["China imports grains from Ukraine.", "In May 2025, Xi visited Russia."],
        ),
        (
            "Trade climbed to $100 billion.In 2024, it rose.",
            ["Trade climbed to $100 billion.", "In 2024, it rose."],
        ),
        (
            "Electronics expand in Russia.Between 2008 and 2009, borrowing rose.",
            ["Electronics expand in Russia.", "Between 2008 and 2009, borrowing rose."],
        ),
        ("Visit example.com today.", ["Visit example.com today."]),
        ("Drilling Co.Ltd signed.", ["Drilling Co.Ltd signed."]),
        ("Mail a.Example.com now.", ["Mail a.Example.com now."]),
        # lowercase starts: only a plain word, then an adverbial opener
        (
            "The project stalled. in 2003, China agreed.",
            ["The project stalled.", "in 2003, China agreed."],
        ),
        (
            "It banned nickel. the Russian company moved.",
            ["It banned nickel. the Russian company moved."],
        ),
        # CJK full stops
        ("中国和俄罗斯签署了条约。两国同意。", ["中国和俄罗斯签署了条约。", "两国同意。"]),
    ],
)
def test_sentence_boundaries(source: str, expected: list[str]) -> None:
    assert texts(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("= China–Russia relations =\n\nText.", ("China–Russia relations", "heading")),
        ("== Border ==\nText.", ("Border", "heading")),
        ("==Border==\nText.", ("Border", "heading")),
        ("=== 2000s ===\nText.", ("2000s", "heading")),
        ("# Title\nText.", ("Title", "heading")),
        ("## Trade ##\nText.", ("Trade", "heading")),
        ("Commerce\n\nBilateral trade grew in 2005.", ("Commerce", "heading")),
        ("Transportation\nAs of mid-2006, Cuba bought locomotives.", ("Transportation", "heading")),
        (
            "Political and military relations\nIn 1912, ties began.",
            ("Political and military relations", "heading"),
        ),
        ("Renewable energy \nChina has been a key partner.", ("Renewable energy", "heading")),
        ("See also\n\n Caribbean–China relations\n Chinese Cubans", ("See also", "heading")),
        ("Infobox\n- Title: China–Russia relations", ("Infobox", "heading")),
        ("#hashtag is not a heading.", ("#hashtag is not a heading.", "prose")),
        ("China and Russia signed.\nThe End", ("China and Russia signed.", "prose")),
    ],
)
def test_first_sentence_kind(source: str, expected: tuple[str, str]) -> None:
    first = split_sentences(source)[0]
    assert (first.text, first.kind) == expected


def test_headings_set_sections() -> None:
    source = "Intro text.\n\n== History ==\nIn 1991, ties began.\n\n=== 1990s ===\nYeltsin visited."
    got = [(s.text, s.section, s.kind) for s in split_sentences(source)]
    assert got == [
        ("Intro text.", None, "prose"),
        ("History", "History", "heading"),
        ("In 1991, ties began.", "History", "prose"),
        ("1990s", "1990s", "heading"),
        ("Yeltsin visited.", "1990s", "prose"),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("- Foreign relations of China\n- Russians in China", ["list", "list"]),
        ("* one item\n• another item\n1. numbered item\n2) second", ["list"] * 4),
        (" China has an embassy in Havana.\n Cuba has an embassy in Beijing.", ["list", "list"]),
        (" In 2004, China opened an institute in Havana.", ["prose"]),
        ("Year | Trade | Partner\n2005 | 777 | Cuba", ["table", "table"]),
        ("|---|---|\n| 2005 | 777 |", ["table"]),
        ("2005\t777\tCuba", ["table"]),
    ],
)
def test_list_and_table_kinds(source: str, expected: list[str]) -> None:
    assert [s.kind for s in split_sentences(source)] == expected


def test_list_marker_is_not_part_of_the_item() -> None:
    assert texts("- Title: China–Russia relations\n12. Twelfth item") == [
        "Title: China–Russia relations",
        "Twelfth item",
    ]


def test_list_item_with_several_sentences_is_split() -> None:
    got = split_sentences("- Trade grew. It doubled.")
    assert [(s.text, s.kind) for s in got] == [("Trade grew.", "list"), ("It doubled.", "list")]
    assert got[0].paragraph == got[1].paragraph


@pytest.mark.parametrize(
    ("source", "paragraphs"),
    [
        # one paragraph per line in encyclopedia text
        ("In 2001, they signed.\nIn 2002, they met.", 2),
        ("Trade grew in 2005.\n\nTrade fell in 2009.", 2),
        # hard-wrapped prose: the continuation starts in lowercase
        ("In 2001, the two countries\nsigned a treaty.", 1),
        # or the wrapped line is long and the next line is prose
        (
            "In 2001, the two countries signed a treaty of friendship and\n"
            "Cooperation that was renewed in 2021.",
            1,
        ),
        # a short line ending without punctuation before a capitalised line is not a wrap
        ("Cultural exchanges\nMedical, education and training exchanges", 2),
        # a line ending in a full stop is never joined
        (
            "In 2001, the two countries signed a treaty of friendship and cooperation.\n"
            "and then nothing.",
            2,
        ),
    ],
)
def test_paragraphs(source: str, paragraphs: int) -> None:
    got = split_sentences(source)
    assert len({s.paragraph for s in got}) == paragraphs


def test_wrapped_sentence_spans_the_newline_with_exact_offsets() -> None:
    source = "Intro.\nIn 2001, the two countries\nsigned a treaty. It held."
    got = split_sentences(source)
    assert [s.text for s in got] == [
        "Intro.",
        "In 2001, the two countries\nsigned a treaty.",
        "It held.",
    ]
    check_invariants(source, got)


def test_crlf_and_odd_whitespace_keep_offsets() -> None:
    source = "\ufeff  First one.\r\n\r\n\u2028Second\u00a0one.  \n\t"
    check_invariants(source, split_sentences(source))


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("= China–Russia relations =\n\nText.", "China–Russia relations"),
        ("\n\n  # Markdown title  \nText.", "Markdown title"),
        ("Cuban–Chinese relations are good.\nMore.", "Cuban–Chinese relations are good."),
        ("", ""),
        (" \n\t\n", ""),
        ("word " * 60, ("word " * 24).strip() + "…"),
    ],
)
def test_document_title(source: str, title: str) -> None:
    assert document_title(source) == title


def _gold_sentences() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for gold in sorted((ROOT / "gold").glob("*.gold.json")):
        data = json.loads(gold.read_text(encoding="utf-8"))
        for event in data["events"]:
            pairs.append((data["doc"], event["sentence"]))
    return pairs


def test_gold_sentences_are_reproduced_exactly() -> None:
    pairs = _gold_sentences()
    if not pairs:
        pytest.skip("no gold files")
    produced: dict[str, set[str]] = {}
    for doc in {doc for doc, _ in pairs}:
        source = (ROOT / "seeds" / doc).read_text(encoding="utf-8")
        sentences = split_sentences(source)
        check_invariants(source, sentences)
        produced[doc] = {" ".join(s.text.split()) for s in sentences}
    unique = sorted(set(pairs))
    misses = [(doc, s) for doc, s in unique if " ".join(s.split()) not in produced[doc]]
    rate = 1 - len(misses) / len(unique)
    # Known, documented misses: a gold sentence cut inside a quotation, one split at a
    # semicolon. Both are contained in the sentence produced, which the scorer accepts.
    assert rate >= 0.97, f"exact rate {rate:.3f}; misses: {misses}"


@pytest.mark.parametrize(
    "source",
    [
        "a." * 100_000,
        "U.S." * 50_000,
        "." * 500_000,
        '"' * 200_000,
        '"a. ' * 50_000,
        "= " * 100_000,
        "x\n" * 200_000,
        ("Short Title\n" * 50_000),
        " " * 300_000 + "end.",
        "A. " * 100_000,
        ("word " * 200_000) + ".",
    ],
    ids=lambda s: repr(s[:8]),
)
def test_adversarial_inputs_complete(source: str) -> None:
    check_invariants(source, split_sentences(source))


_TRICKY = st.text(
    alphabet=st.sampled_from(list("aZ1 .\n\t?!\"“”()=#-*|;:'…。US\r\u2028\u00a0é")), max_size=300
)


@given(st.one_of(st.text(max_size=400), _TRICKY))
def test_any_text_keeps_offsets(source: str) -> None:
    check_invariants(source, split_sentences(source))
    assert isinstance(document_title(source), str)
