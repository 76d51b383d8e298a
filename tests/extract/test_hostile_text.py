"""Hostile text to the library and hostile bytes to the reader: typed errors, no guesses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bilat
from bilat.errors import InputError
from bilat.extract.documents import read_document
from bilat.extract.text import MAX_SENTENCE_CHARS, split_sentences
from bilat.extract.timex import find_time_expressions

TREATY = "The Cuban–Chinese treaty was signed by Cuba and China in 1960.\n"


@pytest.mark.parametrize("function", [bilat.extract_text, find_time_expressions])
@pytest.mark.parametrize(
    ("text", "position", "code"),
    [("\ud800", 0, "D800"), ("In 2001 China \udfff", 14, "DFFF"), ("a\udc80\ud83d", 1, "DC80")],
)
def test_lone_surrogates_are_a_typed_error_naming_the_position(
    function: object, text: str, position: int, code: str
) -> None:
    with pytest.raises(InputError) as raised:
        function(text)  # type: ignore[operator]
    assert f"lone surrogate U+{code} at character {position}" in str(raised.value)


def test_paired_astral_characters_are_fine() -> None:
    assert bilat.extract_text("China and Cuba 😀 signed a treaty in 1960.").events


def test_a_few_bad_bytes_in_utf8_stay_utf8_and_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(TREATY.encode() + b"A stray \xff byte and \xfe another.\n")
    document = read_document(path)
    assert "Cuban–Chinese" in document.text
    assert document.text.count("\ufffd") == 2
    offset = len(TREATY.encode()) + 8
    assert document.notes == (
        f"{path.as_posix()}: 2 invalid UTF-8 byte sequences replaced by U+FFFD: "
        f"line 2 (byte {offset}), line 2 (byte {offset + 11})",
    )


def test_utf8_cut_mid_character_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(TREATY.encode() + "Café".encode()[:-1])
    document = read_document(path)
    assert document.text.endswith("Caf\ufffd")
    assert "1 invalid UTF-8 byte sequence replaced by U+FFFD" in document.notes[0]


def test_cp1252_is_still_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("Café society: France and Spain signed a treaty in 1960.\n".encode("cp1252"))
    document = read_document(path)
    assert document.text.startswith("Café") and document.notes == ()


def test_many_bad_bytes_are_not_damaged_utf8(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(("Ünïcödé " * 3 + "\n").encode() + b"\xff x " * 20)
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_document(path)


# -- bounded work per sentence ------------------------------------------------------------

_HOSTILE_PIECES = [
    "China 2001 Russia 2002 ",
    "China and Russia signed a treaty in 1999, ",
    'he said "the pact ',
    "\u202ewords\u202c ",
    "of the and to in a ",
    "Cuba\t",
]


def _quadratic_work(text: str) -> int:
    """What each per-sentence stage costs at worst: the square of each sentence's length.

    Every stage after the split (mentions against anchors, clause scans, the
    classifier's context windows) is at worst quadratic in one sentence, so this
    count bounds the pipeline's work without timing anything.
    """
    return sum(len(sentence.text) ** 2 for sentence in split_sentences(text))


@settings(max_examples=40, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_HOSTILE_PIECES), min_size=1, max_size=8),
    repeat=st.integers(min_value=1, max_value=400),
)
def test_doubling_any_input_at_most_about_doubles_the_work(pieces: list[str], repeat: int) -> None:
    text = "".join(pieces) * repeat
    once, twice = _quadratic_work(text), _quadratic_work(text + text)
    assert twice <= 2 * once + 2 * MAX_SENTENCE_CHARS**2


@given(st.text(alphabet=st.sampled_from("ab ,;.\n—"), max_size=3000))
@settings(max_examples=60, deadline=None)
def test_capped_sentences_keep_their_offsets(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert 0 < len(sentence.text) <= MAX_SENTENCE_CHARS
        assert sentence.text == sentence.text.strip()


def test_an_over_long_sentence_is_cut_at_its_last_clause_mark() -> None:
    clause = "China and Russia signed a treaty in 1999, "
    text = clause * 40
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(sentence.text.endswith(",") for sentence in sentences[:-1])


def test_a_megabyte_with_no_full_stop_yields_bounded_sentences() -> None:
    sentences = split_sentences("of the and to in a " * 55_000)
    assert max(len(sentence.text) for sentence in sentences) <= MAX_SENTENCE_CHARS
    assert bilat.extract_text("China and Russia " + "of the and to in a " * 5_000).events == []
