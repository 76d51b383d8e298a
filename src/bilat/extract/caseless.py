"""Case-insensitive regexes run case-sensitively on folded text: the same matches, faster.

``re`` compares every character of an IGNORECASE pattern through a case
table and gives up its fast scans for a literal prefix or a first-character
set, so such a pattern costs two to three times a case-sensitive one.
:func:`fold` lowers a text character for character; a pattern written only
in characters that fold onto themselves (:data:`ALPHABET`) then matches the
folded text case-sensitively exactly where its IGNORECASE form matches the
text, at the same offsets — tests/extract/test_caseless.py checks this for
every construct such patterns use over all of Unicode. :class:`Caseless`
does the search on the folded text and hands back the IGNORECASE regex's own
match at the position found, so callers see the same match objects as before.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from re import _parser  # type: ignore[attr-defined]
from typing import Any, Final

# Besides the ASCII letters themselves, the only characters ``re`` folds onto one under
# IGNORECASE (tests/extract/test_caseless.py checks this over all of Unicode): dotted
# capital I, dotless i, long s and the Kelvin sign.  The first is also the only character
# whose lower case is two characters long.
FOLDED_ONTO_ASCII = "\u0130\u0131\u017f\u212a"
_TO_ASCII = str.maketrans(dict(zip(FOLDED_ONTO_ASCII, "iisk", strict=True)))

ALPHABET: Final = frozenset((set(string.printable) - set(string.ascii_uppercase)) | set("’‘“”–—é"))
"""Characters a foldable pattern may be written in: each folds onto itself, and no
other character folds onto one of them unless IGNORECASE matches it there too."""

_END = sys.maxsize
_MOST_WORDS = 48
"""A text is tested for at most this many required words: more cost about what the search does."""
_MOST_RANGE = 64
"""A class range longer than this is not spelled out as first characters."""
_RECENT_TEXTS = 64
"""Folded texts kept: a sentence is read by a dozen patterns, and folded once for them all."""


def fold(text: str) -> str:
    """``text`` in lower case, character for character, as ``re`` folds it onto ASCII.

    A word of the text matches a lower-case ASCII word in any case exactly where its
    folded form equals it, at the same offsets.
    """
    if not text.isascii() and any(char in text for char in FOLDED_ONTO_ASCII):
        text = text.translate(_TO_ASCII)
    return text.lower()


fold_once = lru_cache(maxsize=_RECENT_TEXTS)(fold)
""":func:`fold`, remembered for the latest texts: a sentence read by a dozen patterns,
or a document read by the tagger, named events and sums, is folded once for them all."""


def foldable(pattern: str) -> str | None:
    """``pattern`` written in :data:`ALPHABET` with its IGNORECASE meaning, or None.

    Letters are lowered (under IGNORECASE "LNG" and "lng" are the same pattern);
    escapes, group names and quantifiers stay as they are. None when the pattern
    uses anything whose meaning folding could change: scoped flags (``(?-i:...)``),
    back-references, conditionals, ``\\N``, ``\\x``, ``\\u`` or numbered escapes,
    a character outside the alphabet, or a range other than between two letters
    of one case or two non-letters with no letter between them.
    """
    out: list[str] = []
    index, length = 0, len(pattern)
    in_class = False
    while index < length:
        char = pattern[index]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if not escaped or escaped not in _KEPT_ESCAPES:
                return None
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class and char == "]":
            in_class = False
        elif in_class and pattern.startswith("-", index + 1) and index + 2 < length:
            high = pattern[index + 2]
            if high == "]":
                out.append(char.lower())
                index += 1
                continue
            if not _plain_range(char, high):
                return None
            out.append(f"{char.lower()}-{high.lower()}")
            index += 3
            continue
        elif not in_class and char == "[":
            # A "]" right after "[" or "[^" is a member, not the end of the class.
            opening = "[^" if pattern.startswith("[^", index) else "["
            index += len(opening)
            if pattern.startswith("]", index):
                opening += "]"
                index += 1
            out.append(opening)
            in_class = True
            continue
        elif not in_class and pattern.startswith("(?", index):
            group = _group_opening(pattern, index)
            if group is None:
                return None
            out.append(group)
            index += len(group)
            continue
        lowered = char.lower()
        if lowered not in ALPHABET:
            return None
        out.append(lowered)
        index += 1
    return "".join(out)


_KEPT_ESCAPES = frozenset("bBwWsSdDAZntrfv " + string.punctuation)
"""Escapes whose meaning folding keeps: classes, anchors, controls and punctuation."""


def _plain_range(low: str, high: str) -> bool:
    """Whether ``[low-high]`` folds member by member: ASCII letters of one case or no letters."""
    if not (low.isascii() and high.isascii()) or low > high or high == "\\":
        return False
    members = [chr(code) for code in range(ord(low), ord(high) + 1)]
    letters = [c for c in members if c.isalpha()]
    if not letters:
        return True
    return len(letters) == len(members) and low.islower() == high.islower()


def _group_opening(pattern: str, index: int) -> str | None:
    """The ``(?:``, ``(?=``, ``(?!``, ``(?<=``, ``(?<!`` or ``(?P<name>`` at ``index``."""
    for opening in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
        if pattern.startswith(opening, index):
            return opening
    if pattern.startswith("(?P<", index):
        close = pattern.find(">", index)
        return None if close < 0 else pattern[index : close + 1]
    return None


def required_words(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of the case-sensitive ``pattern`` contains, or None.

    Read off the parsed pattern: a run of literal characters in a sequence is
    required, a group or a repetition at least once requires what its content
    requires, and an alternation requires one of what each branch requires.
    Of a sequence's required sets the one with the longest shortest string is
    kept. Classes, anchors, look-arounds and references require nothing, so an
    answer is never wrong, only sometimes None.
    """
    parsed = _parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    words = _required(parsed)
    # A text holding "signed" holds "sign": the shorter word alone says as much.
    return (
        None
        if words is None
        else frozenset(
            word for word in words if not any(other != word and other in word for other in words)
        )
    )


def _required(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or _strength(found) > _strength(best)):
            best = found

    for op, value in items:
        if op is _parser.LITERAL:
            run.append(chr(value))
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is _parser.SUBPATTERN:
            _group, added, removed, content = value
            if not added and not removed:
                consider(_required(content))
        elif op is _parser.BRANCH:
            branches = [_required(branch) for branch in value[1]]
            if all(branches):
                consider(frozenset().union(*(b for b in branches if b)))
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
            least, _most, content = value
            if least >= 1:
                consider(_required(content))
        elif op is _parser.ATOMIC_GROUP:
            consider(_required(value))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def _strength(words: frozenset[str]) -> tuple[int, int]:
    """How well a set of required words rules texts out: long words first, then few.

    Spaces are in every text, so they do not count towards a word's length.
    """
    return min(len(word.replace(" ", "")) for word in words), -len(words)


def _behind_first_chars(pattern: str) -> str:
    """``pattern`` behind a lookahead on the characters its matches start with, when known.

    A pattern opening with ``\\b`` or a look-behind gives ``re`` no first character
    to skip ahead to, so each of its branches is tried at every word start; one
    test of a character class rules most positions out (a third off a document
    scan for named events). Every match consumes a first character from the
    class, so the matches are the same. Patterns ``re`` already scans by their
    first character, and those whose first character is unknown, stay as written.
    """
    parsed = _parser.parse(pattern)
    if not parsed.data or _first_chars([parsed.data[0]]) != frozenset():
        return pattern  # the pattern opens with a character: ``re`` skips ahead itself
    chars = _first_chars(parsed.data)
    if not chars:
        return pattern
    return f"(?=[{''.join(sorted(re.escape(char) for char in chars))}])(?:{pattern})"


_ZERO_WIDTH = (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT)
_REPEATS = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT)


def _first_chars(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters a match of the parsed sequence ``items`` can start with.

    The empty set when the sequence consumes nothing (anchors, look-arounds);
    None when unknown or when a match may or may not consume a character.
    """
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _parser.LITERAL:
            return frozenset(chr(value))
        if op is _parser.IN:
            return _class_chars(value)
        if op is _parser.SUBPATTERN:
            _group, added, removed, content = value
            found = None if added or removed else _first_chars(content)
        elif op is _parser.ATOMIC_GROUP:
            found = _first_chars(value)
        elif op is _parser.BRANCH:
            branches = [_first_chars(branch) for branch in value[1]]
            empty = [not branch for branch in branches]
            found = (
                None
                if None in branches or (any(empty) and not all(empty))
                else frozenset().union(*(b for b in branches if b))
            )
        elif op in _REPEATS and value[0] >= 1:
            found = _first_chars(value[2])
        else:
            return None
        if found is None or found:
            return found
    return frozenset()


def _class_chars(members: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters of a parsed class of literals and short ranges, else None."""
    chars: set[str] = set()
    for op, value in members:
        if op is _parser.LITERAL:
            chars.add(chr(value))
        elif op is _parser.RANGE and value[1] - value[0] < _MOST_RANGE:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return frozenset(chars)


class Caseless:
    """An IGNORECASE regex that searches the folded text when its pattern allows.

    Every method returns what the IGNORECASE regex itself returns: the folded
    search only says where a match starts, and the match is then taken from the
    text as written, so groups hold the original letters. A pattern that
    :func:`foldable` refuses is simply run as it is.

    Meant for texts read whole (a sentence, a clause, a document scanned once):
    the whole text is folded, so a search of a short window of a long text that
    has dropped out of the cache of folded texts costs the whole text again.
    """

    __slots__ = ("_folded", "_words", "regex")

    def __init__(self, pattern: str) -> None:
        self.regex = re.compile(pattern, re.IGNORECASE)
        folded = foldable(pattern)
        self._folded = None if folded is None else re.compile(_behind_first_chars(folded))
        # A folded text holding none of the words every match holds is answered at once.
        words = None if folded is None else required_words(folded)
        self._words = tuple(sorted(words)) if words and len(words) <= _MOST_WORDS else None

    @property
    def pattern(self) -> str:
        """The pattern as written."""
        return self.regex.pattern

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        """As :meth:`re.Pattern.search` with IGNORECASE."""
        if self._folded is None:
            return self.regex.search(text, pos, endpos)
        folded = fold_once(text)
        if self._lacks_words(folded):
            return None
        found = self._folded.search(folded, pos, endpos)
        return None if found is None else self._as_written(text, found, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        """As :meth:`re.Pattern.match` with IGNORECASE."""
        if self._folded is not None and self._folded.match(fold_once(text), pos, endpos) is None:
            return None
        return self.regex.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        """As :meth:`re.Pattern.finditer` with IGNORECASE."""
        if self._folded is None:
            yield from self.regex.finditer(text, pos, endpos)
            return
        folded = fold_once(text)
        if self._lacks_words(folded):
            return
        for found in self._folded.finditer(folded, pos, endpos):
            if found.start() == found.end():
                # After an empty match the scan must move on, which ``match`` cannot be
                # told: from here the IGNORECASE scan itself gives the rest, identically.
                yield from self.regex.finditer(text, found.start(), endpos)
                return
            yield self._as_written(text, found, endpos)

    def finditer_folded(self, text: str) -> Iterator[re.Match[str]]:
        """The matches :meth:`finditer` gives, but of the folded text.

        Offsets, spans of groups and ``lastgroup`` are those of the IGNORECASE
        matches; only the letters of the groups are folded, so a caller that
        needs the words as written slices ``text`` by the offsets. This saves
        matching each hit a second time.
        """
        if self._folded is None:
            return self.regex.finditer(text)
        folded = fold_once(text)
        if self._lacks_words(folded):
            return iter(())
        return self._folded.finditer(folded)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        """As :meth:`re.Pattern.sub` with IGNORECASE; only a text with a match is rewritten."""
        if self._folded is not None:
            folded = fold_once(text)
            if self._lacks_words(folded) or self._folded.search(folded) is None:
                return text
        return self.regex.sub(replacement, text, count)

    def _lacks_words(self, folded: str) -> bool:
        """Whether ``folded`` holds none of the words every match holds: then it has no match.

        A few substring tests are much cheaper than a regex search of a sentence,
        and most sentences hold none of a pattern's words. :meth:`match` does
        without: a match anchored at one position fails fast on its own.
        """
        if self._words is None:
            return False
        for word in self._words:  # noqa: SIM110 - a loop is faster than all() over a generator
            if word in folded:
                return False
        return True

    def _as_written(self, text: str, found: re.Match[str], endpos: int) -> re.Match[str]:
        match = self.regex.match(text, found.start(), endpos)
        assert match is not None and match.end() == found.end(), "folding changed a match"
        return match
