"""Paragraphs, section headings and sentences, with exact character offsets.

Every later stage (time expressions, countries, amounts, events) works on
:class:`Sentence` spans, and an event's ``source`` points back into the
document with ``start``/``end``, so the one promise this module keeps above
all others is ``text[s.start:s.end] == s.text``.

Layout rules, chosen for the text bilat is fed (encyclopedia dumps with one
paragraph per line, news copy, hard-wrapped plain text):

* A line is a paragraph, except hard-wrapped prose: a line that does not end
  in sentence-final punctuation is joined to the next line when that line
  starts with a lowercase letter, or when the line is long (a wrap, not a
  title) and the next line is ordinary prose.
* Headings are wiki style (``== Border ==``), markdown (``# Title``) or bare
  short capitalised lines without final punctuation that are followed by
  prose or a list ("Commerce", "Political and military relations"). A
  heading is its own paragraph, its sentence is the heading text without
  markup, and it sets :attr:`Sentence.section` for what follows (including
  itself).
* List items (``- x``, ``* x``, ``• x``, ``1. x``, or a run of indented
  lines as in a flattened see-also list) and table rows (cells separated by
  ``|`` or tabs) are paragraphs of their own; a row is one sentence.

Sentence boundaries: a ``.``, ``!``, ``?`` (or CJK ``。！？``), with any
closing quotes and brackets after it, ends a sentence when whitespace and a
capital, digit or opening quote follow. Not after abbreviations (``Dr.``,
``Jan.``, ``e.g.``; ``U.S.``, ``Inc.`` and ``Ltd.`` only before a typical
sentence opener such as "The"), initials (``Kaja K. Kallas``), ellipses, or
inside a quotation that continues (``said, "Our plan is firm. The policy is
set."`` is one sentence). A stop glued to a capitalised word ends a
sentence too (``Ukraine.In May``), unless it is an abbreviation or a
domain. Semicolons never end one. Each candidate is decided with bounded
look-behind and look-ahead, so the whole split is linear in the input.

Sentence length is capped at :data:`MAX_SENTENCE_CHARS` (500 characters;
the longest sentence of the seeds and the devset has 456): a longer span (a
megabyte with no full stop, a run of comma clauses, a table row without end)
is cut at the last clause mark (``; : , —``) before the cap, else at the last
space, else at the cap. Every later stage works per sentence, so the cap is
what keeps the cost of any input linear in its length.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal, NamedTuple

from bilat.errors import InputError
from bilat.extract.timex_rules import MONTH_PATTERN

SentenceKind = Literal["prose", "heading", "list", "table"]

__all__ = ["Sentence", "SentenceKind", "document_title", "split_sentences", "uncapitalised"]

TITLE_MAX = 120
"""Longest title :func:`document_title` returns before cutting at a word boundary."""


class Sentence(NamedTuple):
    """One sentence (or heading, list item, table row) and where it sits in the document."""

    text: str
    start: int
    end: int
    paragraph: int
    section: str | None
    kind: SentenceKind


# --- line layout -------------------------------------------------------------------------

_LineKind = Literal["blank", "heading", "list", "table", "prose"]

_HEADING_MAX_WORDS = 6
_HEADING_MAX_CHARS = 80
_WRAP_MIN_CHARS = 60
_BULLETS = frozenset("-*•◦▪‣·–")
_NUMBERED = re.compile(r"(?P<num>[0-9]{1,3})[.)][ \t]+(?=\S)")
_MARKDOWN_HEADING = re.compile(r"(?P<hashes>#{1,6})[ \t]+(?=\S)")
_SENTENCE_END = frozenset(".!?…:。！？")
_CLOSERS = frozenset("\"'”’»)]}")
_NOT_HEADING_END = frozenset(".!?…:;,-–—。！？")


@dataclass(slots=True)
class _Line:
    """A physical line: its stripped span, its kind and, for markup, the content span."""

    start: int
    end: int
    content_start: int
    content_end: int
    kind: _LineKind
    indented: bool = False
    page_break: bool = False


def _ends_sentence(line: str) -> bool:
    """Whether a line's last visible character closes a sentence (quotes and brackets skipped)."""
    i = len(line) - 1
    while i >= 0 and len(line) - i <= 4 and line[i] in _CLOSERS:
        i -= 1
    return i >= 0 and line[i] in _SENTENCE_END


def _classify(text: str, start: int, end: int, raw_start: int) -> _Line:
    """Classify one line from its markup alone; bare headings are decided later, in context."""
    if start == end:
        return _Line(start, end, start, end, "blank")
    line = text[start:end]
    first = line[0]
    if first == "=" and line[-1] == "=" and len(line) > 2:
        inner_start = start + (len(line) - len(line.lstrip("=")))
        inner_end = start + len(line.rstrip("="))
        inner = text[inner_start:inner_end]
        stripped = inner.strip()
        if stripped:
            s = inner_start + (len(inner) - len(inner.lstrip()))
            return _Line(start, end, s, s + len(stripped), "heading")
    if first == "#":
        m = _MARKDOWN_HEADING.match(text, start, end)
        if m is not None:
            body = text[m.end() : end].rstrip("#").rstrip()
            if body:
                return _Line(start, end, m.end(), m.end() + len(body), "heading")
    if " | " in line or "\t" in line or (first == "|" and line.count("|") > 1):
        inner = line.strip("|")
        stripped = inner.strip()
        s = start + (len(line) - len(line.lstrip("|")))
        s += len(inner) - len(inner.lstrip())
        return _Line(start, end, s, s + len(stripped), "table")
    if first in _BULLETS and len(line) > 2 and line[1] in " \t":
        body = line[1:].lstrip()
        if body:
            s = end - len(body)
            return _Line(start, end, s, end, "list")
    if first.isdigit():
        m = _NUMBERED.match(text, start, end)
        if m is not None:
            return _Line(start, end, m.end(), end, "list")
    return _Line(start, end, start, end, "prose", indented=start > raw_start)


def _physical_lines(text: str) -> list[_Line]:
    """Split on ``\\n`` and classify; spans are offsets into ``text``."""
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = offset + lead if stripped else offset
        lines.append(_classify(text, start, start + len(stripped), offset))
        offset += len(raw) + 1
    return lines


def _is_heading_candidate(line: str) -> bool:
    """A bare line short and capitalised enough to be a title (context decides the rest)."""
    if len(line) > _HEADING_MAX_CHARS or not line[0].isupper() or line[-1] in _NOT_HEADING_END:
        return False
    return len(line.split()) <= _HEADING_MAX_WORDS


def _mark_indented_lists(text: str, lines: list[_Line]) -> None:
    """A run of two or more adjacent indented lines is a list unless it wraps mid-sentence."""
    i = 0
    while i < len(lines):
        if not lines[i].indented:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1].indented:
            j += 1
        wraps = any(text[lines[k + 1].start].islower() for k in range(i, j))
        if j > i and not wraps:
            for k in range(i, j + 1):
                lines[k].kind = "list"
        i = j + 1


def _mark_bare_headings(text: str, lines: list[_Line]) -> None:
    """Promote short capitalised prose lines followed by prose (or a list) to headings.

    Walks backwards so a heading directly above another heading ("References",
    blank, "Further reading") can see that its follower has been promoted.
    """
    follower: _Line | None = None  # next non-blank line
    blank_after = False
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line.kind == "blank":
            blank_after = True
            continue
        if line.kind == "prose" and follower is not None:
            body = text[line.start : line.end]
            previous = lines[i - 1] if i > 0 else None
            blank_before = previous is None or previous.kind == "blank"
            continues = (
                previous is not None
                and previous.kind == "prose"
                and not _ends_sentence(text[previous.start : previous.end])
            )
            wrapped = not blank_after and text[follower.start].islower()
            if _is_heading_candidate(body) and not continues and not wrapped:
                follower_text = text[follower.start : follower.end]
                introduces_prose = follower.kind in ("list", "table") or (
                    follower.kind == "prose" and not _is_heading_candidate(follower_text)
                )
                stacked = follower.kind == "heading" and blank_before and blank_after
                if introduces_prose or stacked:
                    line.kind = "heading"
            elif blank_before and blank_after and _is_titled_line(body):
                line.kind = "heading"
        follower = line
        blank_after = False
    _mark_page_title(text, lines)


def _is_titled_line(line: str) -> bool:
    """A headline naming its year, standing alone: "U.S. Recognition of Liberia, 1862."."""
    return _TITLE_YEAR_END.search(line) is not None and is_title_case(line)


def _mark_page_title(text: str, lines: list[_Line]) -> None:
    """The document's first line is its title, not a sentence, unless it ends like one.

    A page title carrying the page's date ("... since 1776: Liberia") is about the
    document, never an event of it (ANNOTATION.md section 1).
    """
    index = next((i for i, line in enumerate(lines) if line.kind != "blank"), None)
    if index is None or lines[index].kind != "prose":
        return
    first = lines[index]
    body = text[first.start : first.end]
    following = lines[index + 1] if index + 1 < len(lines) else None
    stands_alone = following is None or (following.kind == "blank" and not following.page_break)
    if not _ends_sentence(body) and (stands_alone or is_title_case(body)):
        first.kind = "heading"


@dataclass(slots=True)
class _Paragraph:
    start: int
    end: int
    kind: SentenceKind


def _paragraphs(text: str) -> list[_Paragraph]:
    """Group lines into paragraphs: one per line, except hard-wrapped prose which is joined."""
    lines = _physical_lines(text)
    _mark_page_breaks(text, lines)
    _mark_indented_lists(text, lines)
    _mark_bare_headings(text, lines)
    paragraphs: list[_Paragraph] = []
    previous: _Line | None = None
    for line in lines:
        if line.kind == "blank":
            if not line.page_break:
                previous = None
            continue
        if line.kind != "prose":
            paragraphs.append(_Paragraph(line.content_start, line.content_end, line.kind))
            previous = None
            continue
        if previous is not None and _wraps_into(text, previous, line):
            paragraphs[-1].end = line.end
        else:
            paragraphs.append(_Paragraph(line.start, line.end, "prose"))
        previous = line
    return paragraphs


def _mark_page_breaks(text: str, lines: list[_Line]) -> None:
    """Page markers of printed records ("[[Page 373]]") and the blank lines around them.

    A page break falls anywhere, mid-sentence included: the marker is furniture,
    so the lines on either side of it are read as if it were not there.
    """
    for i, line in enumerate(lines):
        if line.kind != "prose" or not _PAGE_MARKER.fullmatch(text, line.start, line.end):
            continue
        line.kind, line.page_break = "blank", True
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and lines[j].kind == "blank":
                lines[j].page_break = True
                j += step


def _wraps_into(text: str, line: _Line, following: _Line) -> bool:
    """Whether ``following`` continues ``line`` as one hard-wrapped paragraph.

    A line opening with a date ("1940 28 October Italy invades Greece", "24 July
    Turkey ratifies ...") is a chronology entry of its own, and a line in title
    case ("Joint Statement Between the United States and India") is a headline:
    neither is the wrap of the line before it or into the line after it.
    """
    body = text[line.start : line.end]
    if _ends_sentence(body):
        return False
    if text[following.start].islower() or _ENDS_MID_PHRASE.search(body):
        return True
    if _DATE_LED.match(text, following.start, following.end) or is_title_case(body):
        return False
    return line.end - line.start >= _WRAP_MIN_CHARS


def _words(spaced: str) -> frozenset[str]:
    """A word list written as one spaced string, so the tables read as prose."""
    return frozenset(spaced.split())


_DATE_LED = re.compile(
    rf"(?:\d{{1,2}}(?:[–-]\d{{1,2}})? {MONTH_PATTERN}|{MONTH_PATTERN} \d{{1,2}}\b"
    r"|\d{3,4}(?=[\s:–-]|[A-Z][a-z]))"
)
# Words that stay lowercase in a title: articles, conjunctions, short prepositions.
_TITLE_SMALL_WORDS = _words(
    "a an and as at between but by for from in into of on or over the to under upon with "
    "via vs since during"
)
_TITLE_MIN_WORDS = 4
_PAGE_MARKER = re.compile(r"\[\[?Page \d+\]\]?|-\s*\d{1,4}\s*-")
# A line ending on an article or preposition is cut mid-phrase: the next line goes on.
_ENDS_MID_PHRASE = re.compile(r"\s(?:the|a|an|of|to|and|or|in|on|for|with|by|from)$")
# A headline closing on its year or years after a word: "..., 1862." / "..., 1958-1961.".
_TITLE_YEAR_END = re.compile(r"[A-Za-z\)], \d{4}(?:[–-]\d{2,4})?\.?$")


def is_title_case(line: str) -> bool:
    """Whether a line is written as a headline: every word but small ones capitalised.

    A wrapped line of prose has lowercase words, and one ending in a small word
    ("... and the Kingdom of") is cut mid-phrase, so neither counts.
    """
    words = [w.strip("()[]\"'“”‘’,:;") for w in line.split()]
    words = [w for w in words if w and any(c.isalpha() for c in w)]
    if len(words) < _TITLE_MIN_WORDS or words[-1].lower() in _TITLE_SMALL_WORDS:
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words)


# --- sentence boundaries -----------------------------------------------------------------


# Never end a sentence: titles before names, months before days, references before numbers.
_HARD_ABBREVIATIONS = _words(
    "Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Sen Rep Gov Pres Amb Hon Rev St Mt "
    "Ft No Nos Vol Vols Art Sec Ch Fig Figs Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov "
    "Dec Messrs Mme Mlle Gens"
)
_HARD_LOWER_ABBREVIATIONS = _words(
    "e.g i.e vs v cf approx ca c p pp ed eds est incl excl esp viz al resp nos vol vols"
)
# May end a sentence, but usually do not: end one only before a typical sentence opener.
_WEAK_ABBREVIATIONS = _words(
    "inc ltd co corp bros plc llc jr sr ave rd blvd dept univ govt assn intl natl"
)
# End a sentence before a capital, never before a lowercase word.
_SOFT_ABBREVIATIONS = frozenset({"etc"})
_STRONG_OPENERS = _words(
    "The A An In On At As By For From To It Its He She They We This That These Those There "
    "Their His Her But However After Before During Since Although While When Following "
    "According Meanwhile Also Both Then Later Earlier Some Many Most Such One Two"
)
# A sentence that starts in lowercase (a typo: "project. in 2003, China...") is accepted only
# after a plain lowercase word and before one of these adverbial openers; a lowercase article
# or pronoun after a stop is more often a typo for a comma ("nickel. the Russian company").
_LOWER_OPENERS = _words("in on at by from after before during since following however meanwhile")
_TOKEN_LOOKBEHIND = 40
_WORD_LOOKAHEAD = 30
_MAX_CLOSERS = 3
_MAX_QUOTE = 1500
_TERMINATOR_RUN = re.compile(r"[.!?…。！？]+")
_QUOTE = re.compile(r"[\"“”]")
_CJK_TERMINATORS = frozenset("。！？")
_OPENERS_BEFORE_CAPITAL = frozenset("\"“‘'([¡¿«")
_GLUE_BEFORE = frozenset(')]"”’%')
_QUOTE_LEFT_CONTEXT = frozenset("([{—–-/")
_QUOTE_RIGHT_CONTEXT = frozenset(".,;:!?)]}—–-")


def _quote_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans (open, close) of double-quoted passages, paired by context.

    A quote after a space and before a word opens; after a word and before a
    space or punctuation closes; anything ambiguous (``12" gun``) is ignored,
    so one stray mark cannot silence sentence splitting for the rest of the
    paragraph. Over-long spans are dropped for the same reason.
    """
    regions: list[tuple[int, int]] = []
    opened = -1
    for m in _QUOTE.finditer(text, start, end):
        i = m.start()
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        left_open = before.isspace() or before in _QUOTE_LEFT_CONTEXT
        right_open = after.isspace() or after in _QUOTE_RIGHT_CONTEXT
        mark = m.group()
        if left_open and not right_open:
            is_open = True
        elif right_open and not left_open:
            is_open = False
        elif mark in "“”":
            is_open = mark == "“"
        else:
            continue
        if is_open:
            opened = i
        elif opened >= 0:
            if i - opened <= _MAX_QUOTE:
                regions.append((opened, i))
            opened = -1
    return regions


def _token_before(text: str, position: int, floor: int) -> str:
    """The word (letters, digits, inner dots) that ends right before ``position``."""
    i = position
    limit = max(floor, position - _TOKEN_LOOKBEHIND)
    while i > limit and (text[i - 1].isalnum() or text[i - 1] == "."):
        i -= 1
    return text[i:position]


def _word_after(text: str, position: int, end: int) -> str:
    i = position
    limit = min(end, position + _WORD_LOOKAHEAD)
    while i < limit and text[i].isalpha():
        i += 1
    return text[position:i]


_Abbrev = Literal["hard", "weak", "soft", "none"]


def _abbreviation(token: str) -> _Abbrev:
    """How strongly a word before a full stop resists ending the sentence."""
    if not token:
        return "none"
    lower = token.lower()
    if "." in token:
        return "hard" if lower in _HARD_LOWER_ABBREVIATIONS else "weak"
    if len(token) == 1 and token.isupper():
        return "hard"  # an initial: "Kaja K. Kallas", "J. R. R. Tolkien"
    if token in _HARD_ABBREVIATIONS or lower in _HARD_LOWER_ABBREVIATIONS:
        return "hard"
    if lower in _WEAK_ABBREVIATIONS:
        return "weak"
    if lower in _SOFT_ABBREVIATIONS:
        return "soft"
    return "none"


def _starts_sentence(text: str, position: int, end: int) -> bool:
    """Whether a capital, digit, or an opening quote/bracket before one begins at ``position``."""
    char = text[position]
    if char.isupper() or char.isdigit():
        return True
    if char in _OPENERS_BEFORE_CAPITAL and position + 1 < end:
        following = text[position + 1]
        return following.isupper() or following.isdigit()
    return False


def _full_stop_splits(text: str, stop: int, following: int, floor: int, end: int) -> bool:
    """Whether ``.`` at ``stop`` ends a sentence whose successor begins at ``following``."""
    token = _token_before(text, stop, floor)
    kind = _abbreviation(token)
    if kind == "hard":
        return False
    if kind == "weak":
        return _word_after(text, following, end) in _STRONG_OPENERS
    if _starts_sentence(text, following, end):
        return True
    if kind == "soft" or not text[following].islower():
        return False
    plain_word = len(token) >= 3 and token.isalpha() and token.islower()
    return plain_word and _word_after(text, following, end) in _LOWER_OPENERS


def _glued_split(text: str, stop: int, floor: int, end: int) -> bool:
    """Whether a stop glued to a capital ends a sentence.

    ``Ukraine.In May`` does; ``U.S.``, ``Co.Ltd`` and ``a.Example.com`` do not.
    """
    if stop == floor or stop + 2 >= end:
        return False
    before = text[stop - 1]
    if not (before.islower() or before.isdigit() or before in _GLUE_BEFORE):
        return False
    if not (text[stop + 1].isupper() and text[stop + 2].isalpha() and text[stop + 2].islower()):
        return False
    if _abbreviation(_token_before(text, stop, floor)) != "none":
        return False
    word_end = stop + 1 + len(_word_after(text, stop + 1, end))
    domain = word_end + 1 < end and text[word_end] == "." and text[word_end + 1].isalpha()
    return not domain


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (stripped, non-empty) into stripped sentence spans."""
    regions = _quote_regions(text, start, end)
    region_i = 0
    spans: list[tuple[int, int]] = []
    current = start
    for m in _TERMINATOR_RUN.finditer(text, start, end):
        run_start, run_end = m.span()
        if run_start < current:
            continue
        run = m.group()
        if "…" in run or ".." in run:
            continue  # an ellipsis marks an omission far more often than an ending
        closers_end = run_end
        while (
            closers_end < end
            and closers_end - run_end < _MAX_CLOSERS
            and text[closers_end] in _CLOSERS
        ):
            closers_end += 1
        while region_i < len(regions) and regions[region_i][1] < run_start:
            region_i += 1
        if region_i < len(regions):
            q_open, q_close = regions[region_i]
            if q_open < run_start and not run_end <= q_close < closers_end:
                continue  # inside a quotation that goes on: "... countries. The policy ..."
        if closers_end >= end:
            break
        if run[-1] in _CJK_TERMINATORS:
            sentence_end, following = closers_end, closers_end
            while following < end and text[following].isspace():
                following += 1
        elif text[closers_end].isspace():
            following = closers_end
            while following < end and text[following].isspace():
                following += 1
            if following >= end:
                break
            if run == ".":
                if not _full_stop_splits(text, run_start, following, current, end):
                    continue
            elif not _starts_sentence(text, following, end):
                continue
            sentence_end = closers_end
        elif run == "." and closers_end == run_end and _glued_split(text, run_start, current, end):
            sentence_end, following = run_end, run_end
        else:
            continue
        spans.append((current, sentence_end))
        current = following
    spans.append((current, end))
    return spans


MAX_SENTENCE_CHARS = 500
"""The longest sentence handed on; see the module docstring."""
_CLAUSE_MARKS = (("; ", ": ", " — ", " – "), (", ",), (" ", "\t", "\u3000"))
"""Where an over-long sentence is cut, best first; each is kept with the piece before it."""


def _capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` (stripped) in stripped pieces of at most MAX_SENTENCE_CHARS."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        low, high = start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS
        cut = high
        for marks in _CLAUSE_MARKS:
            found = max(text.rfind(mark, low, high) for mark in marks)
            if found > low:
                cut = found + 1
                break
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence, heading, list item and table row of ``text``, in document order."""
    sentences: list[Sentence] = []
    section: str | None = None
    index = 0
    for paragraph in _paragraphs(text):
        body = text[paragraph.start : paragraph.end]
        if paragraph.kind == "table" and not any(c.isalnum() for c in body):
            continue  # a rule line such as |---|---|
        if paragraph.kind == "heading":
            section = body
        if paragraph.kind in ("heading", "table"):
            spans = [(paragraph.start, paragraph.end)]
        else:
            spans = _sentence_spans(text, paragraph.start, paragraph.end)
        for s, e in (piece for span in spans for piece in _capped(text, *span)):
            sentences.append(Sentence(text[s:e], s, e, index, section, paragraph.kind))
        index += 1
    return sentences


def document_title(text: str) -> str:
    """The document's title: a ``= Title =``/``# Title`` heading or its first non-empty line."""
    position = 0
    while position < len(text):
        newline = text.find("\n", position)
        newline = len(text) if newline < 0 else newline
        line = text[position:newline].strip()
        position = newline + 1
        if not line:
            continue
        if line.startswith("#"):
            m = _MARKDOWN_HEADING.match(line)
            if m is not None:
                line = line[m.end() :].rstrip("#").strip() or line
        elif line.startswith("=") and line.endswith("="):
            line = line.strip("=").strip() or line
        if len(line) <= TITLE_MAX:
            return line
        cut = line.rfind(" ", 0, TITLE_MAX)
        return line[: cut if cut > TITLE_MAX // 2 else TITLE_MAX].rstrip() + "…"
    return ""


_CAPS_LINE_MIN_LETTERS = 8
_CAPS_SHARE = 0.9
_LENGTH_PER_LOWERCASE = 10
"""1 / (1 - _CAPS_SHARE): a line in capitals is this many times as long as its lowercase letters."""
_ACRONYM_MAX = 3
_WORD = re.compile(r"[^\W\d_]+")
_WITHOUT_ASCII_LOWERCASE = str.maketrans("", "", string.ascii_lowercase)


def uncapitalised(text: str) -> str:
    """``text`` with lines in capitals rewritten in title case, offsets unchanged.

    Cables and headlines come in capitals ("CHINA AND RUSSIA SIGN PACT"), and
    names are matched case-sensitively, so such lines are read as "China And
    Russia Sign Pact". Words of up to three letters keep their capitals (they
    are as likely acronyms: "US", "UAE"), and a word whose lowercase form has
    another length is left alone so that every offset still points at the same
    character.
    """
    lines = text.split("\n")
    changed = False
    for index, line in enumerate(lines):
        if not _may_be_in_capitals(line):
            continue
        letters = [c for c in line if c.isalpha()]
        if len(letters) < _CAPS_LINE_MIN_LETTERS:
            continue
        if sum(c.isupper() for c in letters) < _CAPS_SHARE * len(letters):
            continue
        lines[index] = _WORD.sub(_title_word, line)
        changed = True
    return "\n".join(lines) if changed else text


def _may_be_in_capitals(line: str) -> bool:
    """False for a line too short or with too many lowercase letters to be in capitals.

    Counting letters character by character was most of :func:`uncapitalised`'s
    time, yet prose lines fail at once: a line in capitals has nine capitals for
    each lowercase letter at least, and an ASCII lowercase letter is a letter but
    no capital, so the line is at least ten times as long as its count of them.
    """
    lowercase = len(line) - len(line.translate(_WITHOUT_ASCII_LOWERCASE))
    return len(line) >= max(_CAPS_LINE_MIN_LETTERS, _LENGTH_PER_LOWERCASE * lowercase)


def _title_word(match: re.Match[str]) -> str:
    word = match.group()
    if len(word) <= _ACRONYM_MAX:
        return word
    titled = word[0] + word[1:].lower()
    return titled if len(titled) == len(word) else word


_SURROGATE = re.compile("[\ud800-\udfff]")


def require_unicode(text: str) -> None:
    """Refuse text holding a lone surrogate, which no encoding can write (nor hash, nor store).

    Such ``str`` values come from ``surrogateescape`` decoding or from slicing UTF-16
    data; refusing them here, with the position, beats a ``UnicodeEncodeError`` from
    deep inside the pipeline. Raises :class:`InputError`.
    """
    found = _SURROGATE.search(text)
    if found is not None:
        raise InputError(
            f"text holds a lone surrogate U+{ord(found.group()):04X} at character "
            f"{found.start()}, which is not valid Unicode",
            hint="decode the bytes with errors='replace', or drop the surrogates",
        )
