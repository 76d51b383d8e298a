"""Folded matching: the premise over all of Unicode, the pattern check, and the matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.extract import classify, named_events, pipeline, titles
from bilat.extract.caseless import (
    ALPHABET,
    FOLDED_ONTO_ASCII,
    Caseless,
    _behind_first_chars,
    fold,
    foldable,
    required_words,
)
from bilat.extract.classify import TypeClassifier
from bilat.extract.named_events import NamedEventFinder

# Every character, then a capital sigma ending a word, which str.lower() alone writes "ς".
EVERYTHING = "".join(map(chr, range(0x110000))) + "ΑΣ "


@pytest.fixture(scope="module")
def folded() -> str:
    return fold(EVERYTHING)


def _starts(pattern: str, text: str, flags: int = 0) -> list[int]:
    return [m.start() for m in re.finditer(pattern, text, flags)]


def test_fold_keeps_offsets_and_folds_onto_ascii_as_re_does(folded: str) -> None:
    onto_ascii = re.findall(r"(?i)[a-z]", EVERYTHING)
    assert sorted(c for c in onto_ascii if not c.isascii()) == sorted(FOLDED_ONTO_ASCII)
    assert len(folded) == len(EVERYTHING)
    for char in FOLDED_ONTO_ASCII:
        assert re.fullmatch(f"(?i){fold(char)}", char)


_CONSTRUCTS = r"\w \W \s \S \d \D [\w] [\W] [\s] [\S] [\d] [\D] . \b [a-z] [^a-z] [0-9]"


@pytest.mark.parametrize("construct", _CONSTRUCTS.split(" "))
def test_classes_and_boundaries_match_the_folded_text_where_ignorecase_matches(
    folded: str, construct: str
) -> None:
    assert _starts(construct, folded) == _starts(construct, EVERYTHING, re.IGNORECASE)


def test_each_letter_of_the_alphabet_matches_the_folded_text_where_ignorecase_matches(
    folded: str,
) -> None:
    """Alone, in a class or negated, case-sensitively in the folded text, as IGNORECASE.

    The characters IGNORECASE matches to any member of the alphabet are found in
    one scan (a class matches what one of its members matches); only those need
    checking member by member, since every other character folds outside it.
    """
    members = "".join(map(re.escape, sorted(ALPHABET)))
    near = _starts(f"[{members}]", EVERYTHING, re.IGNORECASE)
    assert near == _starts(f"[{members}]", folded)
    for member in sorted(ALPHABET):
        escaped = re.escape(member)
        for index in near:
            char, same = EVERYTHING[index], folded[index] == member
            assert bool(re.fullmatch(escaped, char, re.IGNORECASE)) == same, (member, char)
            assert bool(re.fullmatch(f"[{escaped}]", char, re.IGNORECASE)) == same
            assert bool(re.fullmatch(f"[^{escaped}]", char, re.IGNORECASE)) != same


def test_lowered_letters_mean_what_they_meant_under_ignorecase() -> None:
    """:func:`foldable` lowers "LNG" to "lng": the same pattern under IGNORECASE."""
    capitals = [c for c in map(chr, range(0x110000)) if c != c.lower() and c.lower() in ALPHABET]
    for capital in capitals:
        lowered = capital.lower()
        assert _starts(re.escape(capital), EVERYTHING, re.I) == _starts(lowered, EVERYTHING, re.I)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bLNG|MOUs?\b", r"\blng|mous?\b"),
        (r"(?P<Name>[A-Z][\w.'’-]*)\s+of", r"(?P<Name>[a-z][\w.'’-]*)\s+of"),
        (r"[^,;]*communiqu[eé]", r"[^,;]*communiqu[eé]"),
        (r"[]a]|[^]b]|[–-]|[\s-]", r"[]a]|[^]b]|[–-]|[\s-]"),
        (
            r"\d{1,3}(?:,\d{3})+|(?<=\s)x(?!y)|(?<!z)\W",
            r"\d{1,3}(?:,\d{3})+|(?<=\s)x(?!y)|(?<!z)\W",
        ),
    ],
)
def test_foldable_lowers_letters_only(pattern: str, expected: str) -> None:
    assert foldable(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?-i:[a-z]\w{2,}ed)",
        r"(?i)x",
        r"(?P<a>x)(?P=a)",
        r"(x)\1",
        r"(?(1)a|b)",
        r"\x41",
        r"\u00c9",
        r"\N{LATIN SMALL LETTER A}",
        r"[A-z]",
        r"[a-Z]",
        r"[!-\/]",
        "Σ",
        "\u0130",
        "ß",
    ],
)
def test_foldable_refuses_what_folding_could_change(pattern: str) -> None:
    assert foldable(pattern) is None


def test_a_pattern_that_cannot_be_folded_still_matches_as_ignorecase() -> None:
    scoped = Caseless(r"\b(?-i:[A-Z])\w+")
    assert [m.group() for m in scoped.finditer("the Treaty of Rome")] == ["Treaty", "Rome"]
    assert scoped.search("ROME") is not None
    assert [m.group() for m in scoped.finditer_folded("the Treaty")] == ["Treaty"]


def _patterns() -> list[Caseless]:
    found = [
        value
        for module in (classify, named_events, pipeline, titles)
        for value in vars(module).values()
        if isinstance(value, Caseless)
    ]
    found += [v for v in vars(TypeClassifier.default()).values() if isinstance(v, Caseless)]
    regex = NamedEventFinder.default()._regex
    assert regex is not None
    return [*found, regex]


_TRICKY = st.text(alphabet=st.sampled_from([*"aeiks tT,;.-'’éÉΣ\n", *FOLDED_ONTO_ASCII]))
_PHRASES = (
    "the signed SIGNED Signed treaty agreement in 1960 met with talks on visit visited "
    "ſigned ſanctions İndependence independence, which while since then and but; "
    "bilateral BOTH COUNTRIES invasion of ukraine the Korean War see also Notes "
    "discussed regarding trade oil LNG coups d'état communiqué COMMUNIQUÉ"
)
_WORDS = st.lists(
    st.sampled_from([*_PHRASES.split(" "), *FOLDED_ONTO_ASCII]),
    max_size=30,
).map(" ".join)


@given(text=_WORDS | _TRICKY)
@settings(max_examples=300, deadline=None)
def test_every_caseless_pattern_matches_as_its_ignorecase_regex(text: str) -> None:
    for pattern in _patterns():
        expected = list(pattern.regex.finditer(text))
        spans = [(m.span(), m.lastgroup, m.groupdict()) for m in expected]
        assert [(m.span(), m.lastgroup, m.groupdict()) for m in pattern.finditer(text)] == spans
        assert [(m.span(), m.lastgroup) for m in pattern.finditer_folded(text)] == [
            (m.span(), m.lastgroup) for m in expected
        ]
        first = pattern.regex.search(text, 1)
        found = pattern.search(text, 1)
        assert (found and found.span()) == (first and first.span())
        assert bool(pattern.match(text)) == bool(pattern.regex.match(text))
        assert pattern.sub("#", text) == pattern.regex.sub("#", text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:was (?:re-?)?elected|a+b)\b", {"elected", "a"}),
        (r"signed|signing|sign(?:ed)? (?:the )?treaty", {"sign"}),
        (r"the (?:countries|pair)\b", {"countries", "pair"}),
        (r"[ab]c(?=defg)", {"c"}),
        (r"(?:x|)y", {"y"}),
    ],
)
def test_required_words_are_in_every_match(pattern: str, expected: set[str]) -> None:
    assert required_words(pattern) == expected


@pytest.mark.parametrize("pattern", [r"(?:x|)", r"a*", r"(?i)abc", r"[a-z]+", r"\bx?\b"])
def test_required_words_are_none_when_a_match_needs_no_literal(pattern: str) -> None:
    assert required_words(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:during|after)\b", r"(?=[ad])(?:\b(?:during|after)\b)"),
        (r"(?:^|(?<=[\s,]))(?:to|by)\b", r"(?=[bt])(?:(?:^|(?<=[\s,]))(?:to|by)\b)"),
        (r"\b(?:x|)\b", r"\b(?:x|)\b"),
        (r"\b\d+", r"\b\d+"),
        (r"during|after", r"during|after"),
        (r"(?:the )?war", r"(?:the )?war"),
    ],
)
def test_a_lookahead_names_the_first_characters_only_where_re_cannot(
    pattern: str, expected: str
) -> None:
    assert _behind_first_chars(pattern) == expected


def test_caseless_patterns_match_the_seed_documents_as_their_ignorecase_regexes() -> None:
    """The words tested before a search rule out only texts without a match."""
    seeds = Path(__file__).parents[2] / "seeds"
    lines = [
        line
        for path in sorted(seeds.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert lines
    for pattern in _patterns():
        for line in lines:
            expected = [m.span() for m in pattern.regex.finditer(line)]
            assert [m.span() for m in pattern.finditer_folded(line)] == expected
            assert [m.span() for m in pattern.finditer(line)] == expected
