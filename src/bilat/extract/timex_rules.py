"""The recognition rules of :mod:`bilat.timex`: vocabulary, regexes and what each match means.

Every rule is one precompiled regex with named groups and a handler that reads a match
into a *spec* (what the expression says, before any context is applied) or rejects it.
Keeping the rules here, apart from resolution, means a new way of writing a date is one
entry in :data:`RULES` plus its parametrised test.

Regexes are built from small fragments (``_month``, ``_day``, ``_year``) so that the
case variants are generated, not typed out: month names match capitalised or upper case
(lower-case "may" and "march" are words), keywords match in any case through scoped
``(?i:...)`` groups.  No fragment nests a quantifier over an overlapping class, so each
scan is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

from bilat.extract.caseless import fold, fold_once, foldable
from bilat.models import Mod, Precision

Unit = Literal["day", "week", "month", "year", "decade"]


class Cal(NamedTuple):
    """A calendar reading: a day, month, season, quarter, half, year, decade or century.

    ``year`` is None for a year-less date ("June 10"); for a decade it is the decade's
    first year, for a century its ordinal (16 for "the 16th century").  ``bc`` holds the
    TIMEX3 value of a year before Christ, which has no date.
    """

    precision: Precision
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: int | None = None
    mod: Mod | None = None
    bc: str | None = None


class Rel(NamedTuple):
    """An offset from the paragraph's anchor: "a month later", "the following year"."""

    unit: Unit
    offset: int
    vague: bool = False
    month: int | None = None
    day: int | None = None
    season: Mod | None = None
    mod: Mod | None = None


class Deictic(NamedTuple):
    """An offset from the publication date: "last week", "this Wednesday", "today"."""

    unit: Unit
    offset: int
    vague: bool = False
    weekday: int | None = None
    same_week: bool = False
    season: Mod | None = None
    unresolved: str | None = None


class Fixed(NamedTuple):
    """An expression with a value but no interval: a duration, "now", "recently"."""

    kind: Literal["deictic", "duration"]
    value: str


Spec = Cal | Rel | Deictic | Fixed
Span = tuple[int, int, Cal]
Handled = Spec | tuple[Span, Span] | None


Anchor = Literal["digit", "the", "that", "rare"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One way of writing a time expression.

    ``anchors`` and ``words`` say where a match of ``regex`` can begin, so that
    :func:`find_matches` tries the regex only there instead of at every character:
    ``words`` are the lower-case words a match can open with (matched whole and in any
    case); ``anchors`` are the other openings: "digit" (a number), "rare" (see
    :data:`_OPENINGS`), and "the" / "that", meaning the match may open with that word and
    whitespace before one of its other openings ("the 1990s", "that same year").
    Together they must cover every match; ``tests/test_timex.py`` checks them against a
    plain scan.
    """

    name: str
    regex: re.Pattern[str]
    handler: Callable[[re.Match[str], str], Handled]
    anchors: frozenset[Anchor]
    words: frozenset[str]
    folded: re.Pattern[str] | None = None
    """For a rule matched in any case, ``regex`` as a case-sensitive regex for the folded
    text (:func:`fold`): it fails at the same positions, two to four times faster."""


# -- vocabulary -------------------------------------------------------------------------

_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBER = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)}
_SEASONS: dict[str, Mod] = {
    "spring": "SPRING",
    "summer": "SUMMER",
    "autumn": "FALL",
    "fall": "FALL",
    "winter": "WINTER",
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_ONES, 1)},
    **{w: i for i, w in enumerate(_TEENS, 10)},
    **{w: 10 * i for i, w in enumerate(_TENS, 2)},
    "a": 1,
    "an": 1,
    "hundred": 100,
    "a hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a couple of": 2,
}
_ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_ORDINAL_WORDS, 1)}
_ORDINALS |= {f"twenty-{w}": 20 + i for i, w in enumerate(_ORDINAL_WORDS[:9], 1)}
_ORDINALS |= {"final": 4, "last": 4, "latter": 2}

_MONTH_FULL = "|".join(f"{m.capitalize()}|{m.upper()}" for m in _MONTH_NAMES)
_ABBREVIATIONS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
_MONTH_ABBR = rf"(?:{'|'.join(_ABBREVIATIONS)})(?:\.|\b(?=\s+\d))"
_MONTH_ANY = rf"(?:(?:{_MONTH_FULL})\b|{_MONTH_ABBR})"
MONTH_PATTERN = _MONTH_ANY
"""A month name as the tagger reads it (full, or abbreviated before a stop or a day)."""
_SEASON_WORDS = "spring|summer|autumn|fall|winter"
_SEASON = rf"(?i:{_SEASON_WORDS})"
_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_ONES)}))?"
    rf"|{'|'.join(_TEENS)}|{'|'.join(_ONES)}|a\s+hundred|hundred|a\s+dozen|dozen)"
)
_QUANTITY = (
    rf"(?:a\s+few|a\s+couple\s+of|{_NUMBER}|\d{{1,3}}(?:,\d{{3}})?|an?|few|several|some|many)"
)
_VAGUE = {"a few", "few", "several", "some", "many"}


def _month(name: str) -> str:
    return rf"\b(?P<{name}>{_MONTH_ANY})"


def _day(name: str) -> str:
    return rf"(?<![\w.,$/:])(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"


def _year(name: str) -> str:
    return rf"(?<![\w$€£¥#])(?<!\d[.,])(?P<{name}>1\d{{3}}|20\d{{2}}|21\d{{2}})(?![\w%]|[.,]\d)"


def _month_number(word: str) -> int:
    return _MONTH_NUMBER[fold(word.rstrip("."))[:3]]


def _quantity(word: str | None) -> tuple[int, bool]:
    """The number a quantity word stands for, and whether it is vague ("several")."""
    if word is None:
        return 1, True
    key = re.sub(r"\s+", " ", fold(word))
    if key in _VAGUE:
        return 1, True
    if key[0].isdigit():
        return int(key.replace(",", "")), False
    if key in _NUMBER_WORDS:
        return _NUMBER_WORDS[key], False
    tens, _, ones = key.replace("-", " ").partition(" ")
    return _NUMBER_WORDS[tens] + _NUMBER_WORDS.get(ones, 0), False


def _unit(word: str) -> Unit:
    word = fold(word)
    if word.startswith("fortnight"):
        return "week"
    if word in ("morning", "afternoon", "evening", "night"):
        return "day"
    if word.startswith("decade"):
        return "decade"
    return {"d": "day", "w": "week", "m": "month", "y": "year"}[word[0]]  # type: ignore[return-value]


# -- context checks ---------------------------------------------------------------------

_BAD_BEFORE_NUMBER = re.compile(
    r"(?:\b(?:no|nos|nr|p|pp|page|pages|vol|volume|flight|route|highway|article|"
    r"resolution|isbn|number|chapter|section|model|type|class|code|hill|height|point|"
    r"squadron|regiment|division|brigade|battalion|rs|us|usd|rmb|eur|gbp|rub)\.?\s*|#\s*)$",
    re.IGNORECASE,
)
_UNIT_AFTER_NUMBER = re.compile(
    r"\s*(?:%|-?\s*(?:percent|per\s+cent|km|kilomet|miles?\b|mi\b|m\b|metres?\b|meters?\b|"
    r"feet\b|ft\b|foot\b|yards?\b|kg\b|kilo|tons?\b|tonnes?\b|lbs?\b|pounds\b|troops|"
    r"soldiers|men\b|man\b|people|persons|casualties|dead\b|killed|wounded|captured|"
    r"prisoners|civilians|refugees|aircraft|planes|airplanes|tanks|guns|artillery|cannons?|"
    r"ships|vessels|boats|vehicles|trucks|rounds|horses|residents|inhabitants|workers|"
    r"members|votes|deaths|hp\b|mm\b|cm\b|acres|hectares|sq\b|square\b|dollars|rubles|"
    r"roubles|yuan|euros?\b|francs|marks\b|units|officers|sailors|marines|infantry|"
    r"cavalry|fighters|militia|rebels|guerrillas|insurgents|mph\b|billion|million))",
    re.IGNORECASE,
)
_HYPHEN_WORD = re.compile(r"(?<![\dA-Za-z])([A-Za-z]+)-$")
"""A word hyphenated to a number: "F-16", "mid-2008"; not the "s-" of "1970s-1998"."""
_YEAR_HYPHEN_OK = {"mid", "early", "late", "pre", "post"}
_MONTH_TRIGGER = re.compile(
    r"\b(?:in|of|by|early|late|mid|until|till|since|during|from|through|before|after|"
    r"to|and|or|between|next|last|this|that|following|previous|since|on|around|about)"
    r"\s*-?\s*$",
    re.IGNORECASE,
)
_SEASON_TRIGGER = re.compile(
    r"\b(?:in|during|by|until|till|through|that|early|late|mid|of|since|before|after)"
    r"\s*-?\s*$",
    re.IGNORECASE,
)


def _number_context_ok(text: str, start: int, end: int) -> bool:
    """Reject numbers that are model names, page or flight numbers, money or counts."""
    before = text[max(0, start - 12) : start]
    if _BAD_BEFORE_NUMBER.search(before):
        return False
    if before.endswith("-"):
        word = _HYPHEN_WORD.search(before)
        if word is not None and fold(word.group(1)) not in _YEAR_HYPHEN_OK:
            return False
    return _UNIT_AFTER_NUMBER.match(text, end, min(len(text), end + 16)) is None


# -- handlers ---------------------------------------------------------------------------

_M = re.Match[str]


def _iso(m: _M, _text: str) -> Handled:
    return Cal("day", int(m["y"]), int(m["mo"]), int(m["d"]))


def _full(m: _M, _text: str) -> Handled:
    return Cal("day", int(m["y"]), _month_number(m["m"]), int(m["d"]))


def _day_range(m: _M, text: str) -> Handled:
    month = _month_number(m["m"])
    year = int(m["y"]) if m["y"] else None
    first, second = int(m["d1"]), int(m["d2"])
    if first >= second:
        return None
    if year is not None and not _number_context_ok(text, m.start("y"), m.end("y")):
        year = None
    return (
        (m.start(), m.end("d1"), Cal("day", year, month, first)),
        (m.start("d2"), m.end(), Cal("day", year, month, second)),
    )


def _month_year(m: _M, text: str) -> Handled:
    if not _number_context_ok(text, m.start("y"), m.end("y")):
        return None
    return Cal("month", int(m["y"]), _month_number(m["m"]))


def _season_year(m: _M, text: str) -> Handled:
    if not _number_context_ok(text, m.start("y"), m.end("y")):
        return None
    return Cal("year", int(m["y"]), mod=_SEASONS[fold(m["s"])])


def _part_of_year(m: _M, text: str) -> Handled:
    if not _number_context_ok(text, m.start("y"), m.end("y")):
        return None
    word = fold(m["q"])
    part = int(word[1]) if word[0] in "qh" else _ORDINALS.get(word) or int(word[0])
    if fold(m["kind"]).startswith("h") or word[0] == "h":
        return Cal("half", int(m["y"]), part=min(part, 2))
    return Cal("quarter", int(m["y"]), part=part)


def _decade(m: _M, text: str) -> Handled:
    if not _number_context_ok(text, m.start("dec"), m.start("dec")):
        return None
    return Cal("decade", int(m["dec"]) * 10)


def _century_number(word: str) -> int | None:
    """The ordinal of "16th" or "sixteenth" as a century, if it can be one (1–22)."""
    folded = fold(word)
    number = int(re.sub(r"\D", "", folded)) if folded[0].isdigit() else _ORDINALS.get(folded)
    return number if number and number <= 22 else None


def _century(m: _M, _text: str) -> Handled:
    number = _century_number(m["c"])
    if number is None:
        return None
    if m["bc"]:
        return Cal("century", bc=f"BC{number - 1:02d}")
    return Cal("century", number)


def _century_pair(m: _M, _text: str) -> Handled:
    """ "the 4th and the 19th centuries": two centuries sharing one "century" word."""
    first, second = _century_number(m["c1"]), _century_number(m["c2"])
    if first is None or second is None or second <= first:
        return None
    return (
        (m.start(), m.end("c1"), Cal("century", first)),
        (m.start("c2"), m.end(), Cal("century", second)),
    )


def _year_only(m: _M, text: str) -> Handled:
    if not _number_context_ok(text, m.start("y"), m.end("y")):
        return None
    return Cal("year", int(m["y"]))


def _short_year_range(m: _M, text: str) -> Handled:
    first = int(m["y1"])
    second = first // 100 * 100 + int(m["y2"])
    if second <= first or not _number_context_ok(text, m.start("y1"), m.end()):
        return None
    return (
        (m.start(), m.end("y1"), Cal("year", first)),
        (m.start("y2"), m.end(), Cal("year", second)),
    )


def _era(m: _M, _text: str) -> Handled:
    number = int(m["y"] or m["y2"])
    era = (m["era"] or m["ad"]).upper().replace(".", "")
    if number == 0:
        return None
    if era in ("BC", "BCE"):
        return Cal("year", bc=f"BC{number:04d}")
    return Cal("year", number)


def _day_month(m: _M, _text: str) -> Handled:
    return Cal("day", None, _month_number(m["m"]), int(m["d"]))


def _month_alone(m: _M, text: str) -> Handled:
    word = m["m"]
    month = _month_number(word)
    if month in (3, 5) and not _MONTH_TRIGGER.search(text, max(0, m.start() - 16), m.start()):
        return None
    return Cal("month", None, month)


def _season_alone(m: _M, text: str) -> Handled:
    following = text[m.end() : m.end() + 4]
    if fold(following).startswith(" of") or re.match(r"\s[A-Z]", following):
        return None
    has_article = m["the"] is not None
    if not has_article and not _SEASON_TRIGGER.search(text, max(0, m.start() - 12), m.start()):
        return None
    season = _SEASONS[fold(m["s"])]
    if m["the"] and fold(m["the"]).startswith("that"):
        return Rel("year", 0, season=season)
    return Cal("year", None, mod=season)


_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "bastille day": (7, 14),
}


def _holiday(m: _M, _text: str) -> Handled:
    name = re.sub(r"\s+", " ", fold(m["h"]))
    month, day = _HOLIDAYS.get(name, _HOLIDAYS["christmas"])
    return Cal("day", int(m["y"]) if m["y"] else None, month, day)


_DIRECTION = {
    "later": 1,
    "after": 1,
    "afterwards": 1,
    "afterward": 1,
    "on": 1,
    "earlier": -1,
    "before": -1,
    "previously": -1,
    "prior": -1,
    "ago": -1,
}


def _offset(m: _M, _text: str) -> Handled:
    unit_word = fold(m["u"])
    if m["n"] is None and m["pl"] is None:
        return None
    number, vague = _quantity(m["n"])
    offset = number * _DIRECTION[fold(m["dir"])]
    unit = _unit(unit_word)
    if fold(m["dir"]) == "ago":
        return Deictic(unit, offset, vague=vague)
    return Rel(unit, offset, vague=vague)


_DETERMINER_OFFSET = {
    "following": 1,
    "next": 1,
    "subsequent": 1,
    "previous": -1,
    "preceding": -1,
    "prior": -1,
    "same": 0,
    "that": 0,
}


def _the_unit(m: _M, _text: str) -> Handled:
    det = fold(m["det"]).split()[-1]
    offset = _DETERMINER_OFFSET[det]
    unit_word = fold(m["u"])
    if unit_word in _SEASONS:
        return Rel("year", offset, season=_SEASONS[unit_word])
    return Rel(_unit(unit_word), offset)


def _unit_before_after(m: _M, _text: str) -> Handled:
    return Rel(_unit(m["u"]), 1 if fold(m["dir"]) == "after" else -1)


_POSITION_MOD: dict[str, Mod | None] = {
    "end": "END",
    "close": "END",
    "beginning": "START",
    "start": "START",
    "middle": "MID",
    "rest": None,
}


def _part_of_unit(m: _M, _text: str) -> Handled:
    return Rel(_unit(m["u"]), 0, mod=_POSITION_MOD[fold(m["p"])])


_REL_YEAR_OFFSET = {
    "that": 0,
    "same": 0,
    "following": 1,
    "next": 1,
    "previous": -1,
    "preceding": -1,
}


def _of_that_year(m: _M, _text: str) -> Handled:
    day = m["d"] or m["d2"]
    offset = _REL_YEAR_OFFSET[fold(m["w"]).split()[-1]]
    return Rel("year", offset, month=_month_number(m["m"]), day=int(day) if day else None)


_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _deictic_day(m: _M, _text: str) -> Handled:
    word = fold(m["w"])
    return Deictic(
        "day", _DEICTIC_DAYS[word], unresolved="PRESENT_REF" if word == "today" else None
    )


_DEICTIC_OFFSET = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}


def _deictic_unit(m: _M, text: str) -> Handled:
    if fold(text[max(0, m.start() - 4) : m.start()]) == "the ":
        return None
    offset = _DEICTIC_OFFSET[fold(m["det"])]
    word = fold(m["u"])
    if word in _WEEKDAYS:
        return Deictic("day", offset, weekday=_WEEKDAYS.index(word), same_week=offset == 0)
    if word in _SEASONS:
        return Deictic("year", offset, season=_SEASONS[word])
    return Deictic(_unit(word), offset)


def _weekday(m: _M, _text: str) -> Handled:
    return Deictic("day", 0, weekday=_WEEKDAYS.index(fold(m["wd"])))


def _reference(m: _M, _text: str) -> Handled:
    word = fold(m["w"])
    if "future" in word:
        return Fixed("deictic", "FUTURE_REF")
    if "past" in word or "recent" in word:
        return Fixed("deictic", "PAST_REF")
    return Fixed("deictic", "PRESENT_REF")


_DURATION_CODE = {
    "minute": "TM",
    "hour": "TH",
    "day": "D",
    "week": "W",
    "fortnight": "W",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
    "centurie": "CE",
}


def _duration(m: _M, _text: str) -> Handled:
    number, vague = _quantity(m["n"])
    unit = fold(m["u"])
    code = _DURATION_CODE[unit]
    if unit == "fortnight":
        number *= 2
    amount = "X" if vague else str(number)
    if code.startswith("T"):
        return Fixed("duration", f"PT{amount}{code[1]}")
    return Fixed("duration", f"P{amount}{code}")


# -- the rules --------------------------------------------------------------------------

_DASH = r"\s*(?:[–—-]|(?i:to|and|through|until)\b)\s*"
_THE = r"(?:(?i:the)\s+)?"
_UNITS = r"(?P<u>day|week|fortnight|month|year|decade)"
_CENTURY_WORDS = "|".join(sorted(_ORDINALS, key=len, reverse=True))


_HEDGES = [
    "just",
    "only",
    "about",
    "some",
    "nearly",
    "almost",
    "barely",
    "roughly",
    "around",
    "approximately",
    "over",
    "more than",
    "less than",
    "at least",
]
_HEDGE = "|".join(hedge.replace(" ", r"\s+") for hedge in _HEDGES)
_THE_UNITS = ["day", "morning", "afternoon", "evening", "night", "week", "month", "year"]
_OFFSET_UNITS = ["day", "week", "fortnight", "month", "year", "decade"]


def _first_words(*phrases: Iterable[str]) -> frozenset[str]:
    """The lower-case first word of each phrase: "a few" -> "a", "twenty-first" -> "twenty"."""
    return frozenset(re.split(r"[\s-]", p.lower())[0] for group in phrases for p in group)


_MONTH_WORDS = _first_words(_MONTH_NAMES, _ABBREVIATIONS)
_QUANTITY_WORDS = _first_words(_NUMBER_WORDS, _VAGUE)
_UNIT_WORDS = _first_words(_OFFSET_UNITS, (f"{unit}s" for unit in _OFFSET_UNITS))


def _rule(
    name: str,
    pattern: str,
    handler: Callable[[_M, str], Handled],
    anchors: Iterable[Anchor] = (),
    words: Iterable[str] = (),
    *,
    caseless: bool = False,
) -> Rule:
    """A rule; ``caseless`` ones match ``pattern`` in any case and get a folded twin."""
    folded = foldable(pattern) if caseless else None
    assert folded is not None or not caseless, f"not foldable: {name}"
    return Rule(
        name,
        re.compile(pattern, re.IGNORECASE if caseless else 0),
        handler,
        frozenset(anchors),
        frozenset(words),
        None if folded is None else re.compile(folded),
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "iso",
        r"(?<![\w-])(?P<y>1\d{3}|20\d{2})-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])",
        _iso,
        ["digit"],
    ),
    _rule(
        "day range dmy",
        rf"{_day('d1')}{_DASH}{_day('d2')}(?:\s+(?i:of))?\s+{_month('m')}(?:,?\s+{_year('y')})?",
        _day_range,
        ["digit"],
    ),
    _rule(
        "day range mdy",
        rf"{_month('m')}\s+{_day('d1')}{_DASH}{_day('d2')}(?:,?\s+{_year('y')})?",
        _day_range,
        words=_MONTH_WORDS,
    ),
    _rule(
        "dmy",
        rf"{_THE}{_day('d')}(?:\s+(?i:of))?\s+{_month('m')},?\s+(?:(?i:of)\s+)?{_year('y')}",
        _full,
        ["digit", "the"],
    ),
    _rule("mdy", rf"{_month('m')}\s+{_THE}{_day('d')},?\s+{_year('y')}", _full, words=_MONTH_WORDS),
    _rule(
        "of that year",
        rf"(?:{_day('d')}\s+(?:(?i:of)\s+)?)?{_month('m')}(?:\s+{_day('d2')})?,?\s+(?i:of\s+"
        r"(?P<w>that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding)"
        r"\s+year)\b",
        _of_that_year,
        ["digit"],
        _MONTH_WORDS,
    ),
    _rule(
        "month year",
        rf"{_month('m')}(?:\s+(?i:of))?,?\s+{_year('y')}",
        _month_year,
        words=_MONTH_WORDS,
    ),
    _rule(
        "season year",
        rf"{_THE}\b(?P<s>{_SEASON})(?:\s+(?i:of))?,?\s+{_year('y')}",
        _season_year,
        ["the"],
        _SEASONS,
    ),
    _rule(
        "quarter or half",
        rf"{_THE}\b(?P<q>(?i:first|second|third|fourth|final|last|latter|1st|2nd|3rd|4th))\s+"
        rf"(?P<kind>(?i:quarter|half))(?:\s+(?i:of))?,?\s+{_year('y')}",
        _part_of_year,
        ["digit", "the"],
        ["first", "second", "third", "fourth", "final", "last", "latter"],
    ),
    _rule(
        "quarter code",
        rf"\b(?P<q>[QH][1-4])(?P<kind>)(?:\s+(?i:of))?\s*{_year('y')}",
        _part_of_year,
        ["rare"],
    ),
    _rule("decade", rf"{_THE}(?<![\w$#])(?P<dec>(?:1\d|20|21)\d)0'?s\b", _decade, ["digit", "the"]),
    _rule(
        "century pair",
        rf"{_THE}\b(?P<c1>\d{{1,2}}(?:st|nd|rd|th)|(?i:{_CENTURY_WORDS}))"
        rf"\s+(?i:and|to|until|till|through|or)\s+{_THE}"
        rf"(?P<c2>\d{{1,2}}(?:st|nd|rd|th)|(?i:{_CENTURY_WORDS}))[\s-]+(?i:centur(?:y|ies))\b",
        _century_pair,
        ["digit", "the"],
        _first_words(_ORDINALS),
    ),
    _rule(
        "century",
        rf"{_THE}\b(?P<c>\d{{1,2}}(?:st|nd|rd|th)|(?i:{_CENTURY_WORDS}))[\s-]+(?i:century)"
        r"(?:\s+(?P<bc>BC|B\.C\.|BCE)(?!\w))?",
        _century,
        ["digit", "the"],
        _first_words(_ORDINALS),
    ),
    _rule(
        "short year range",
        rf"{_year('y1')}\s*[–—-]\s*(?P<y2>\d\d)(?![\w%]|[.,]\d)",
        _short_year_range,
        ["digit"],
    ),
    _rule(
        "era",
        r"(?:(?<![\w$.,])(?P<y>\d{1,4})\s*(?P<era>BC|B\.C\.|BCE|AD|A\.D\.|CE)(?!\w)"
        r"|\b(?P<ad>AD|A\.D\.)\s*(?P<y2>\d{1,4})\b)",
        _era,
        ["digit", "rare"],
    ),
    _rule(
        "holiday",
        r"\b(?P<h>Christmas(?:\s+Eve)?|New\s+Year's\s+(?:Day|Eve)|Bastille\s+Day)"
        rf"(?:,?\s+{_year('y')})?",
        _holiday,
        ["rare"],
    ),
    _rule(
        "year",
        rf"(?:(?i:the\s+year)\s+)?{_year('y')}",
        _year_only,
        ["digit", "the"],
        ["year"],
    ),
    _rule(
        "day month",
        rf"{_THE}{_day('d')}(?:\s+(?i:of))?\s+{_month('m')}",
        _day_month,
        ["digit", "the"],
    ),
    _rule(
        "month day",
        rf"{_month('m')}\s+{_THE}{_day('d')}(?![.,]\d)",
        _day_month,
        words=_MONTH_WORDS,
    ),
    _rule("month", rf"\b(?P<m>{_MONTH_FULL})\b", _month_alone, words=_MONTH_WORDS),
    _rule(
        "season",
        rf"(?P<the>(?i:the|that)\s+)?\b(?P<s>{_SEASON})\b",
        _season_alone,
        ["the", "that"],
        _SEASONS,
    ),
    _rule(
        "offset",
        rf"\b(?:(?:{_HEDGE})\s+)?"
        rf"(?:(?P<n>{_QUANTITY})[\s-]+)?{_UNITS}(?P<pl>s)?\s+"
        r"(?P<dir>later|earlier|after|before|afterwards?|previously|ago|prior|on(?=\s*[,.;:]))\b",
        _offset,
        ["digit"],
        _first_words(_HEDGES) | _QUANTITY_WORDS | _UNIT_WORDS,
        caseless=True,
    ),
    _rule(
        "the unit",
        r"\b(?:(?:later|earlier)\s+(?=that\b))?"
        r"(?P<det>the\s+(?:following|next|previous|preceding|prior|same|subsequent|very\s+same)"
        r"|that\s+same|that)\s+"
        r"(?P<u>day|morning|afternoon|evening|night|week|month|year|spring|summer|autumn"
        r"|fall|winter)\b",
        _the_unit,
        ["the", "that"],
        ["later", "earlier", "very", *_DETERMINER_OFFSET, *_THE_UNITS, *_SEASONS],
        caseless=True,
    ),
    _rule(
        "unit before/after",
        r"\bthe\s+(?P<u>day|week|month|year)\s+(?P<dir>before|after)\b",
        _unit_before_after,
        ["the"],
        ["day", "week", "month", "year"],
        caseless=True,
    ),
    _rule(
        "part of unit",
        r"\b(?:the\s+)?(?P<p>end|beginning|start|middle|close|rest)\s+of\s+(?:the|that)\s+"
        r"(?P<u>year|month|week)\b",
        _part_of_unit,
        ["the"],
        _POSITION_MOD,
        caseless=True,
    ),
    _rule(
        "deictic day",
        r"\b(?P<w>today|yesterday|tomorrow|tonight)\b",
        _deictic_day,
        words=_DEICTIC_DAYS,
        caseless=True,
    ),
    _rule(
        "deictic unit",
        r"\b(?:(?:earlier|later)\s+)?(?P<det>this|last|next|past|coming)\s+"
        rf"(?P<u>week|month|year|{_SEASON_WORDS}|{'|'.join(_WEEKDAYS)})\b",
        _deictic_unit,
        words=["earlier", "later", *_DEICTIC_OFFSET],
        caseless=True,
    ),
    _rule(
        "weekday",
        rf"\b(?P<wd>{'|'.join(w.capitalize() for w in _WEEKDAYS)})\b",
        _weekday,
        words=_WEEKDAYS,
    ),
    _rule(
        "reference",
        r"\b(?P<w>now|currently|at\s+present|presently|nowadays|these\s+days|recently"
        r"|in\s+recent\s+(?:days|weeks|months|years)|the\s+past|the\s+future)\b",
        _reference,
        ["the"],
        [
            "now",
            "currently",
            "at",
            "presently",
            "nowadays",
            "these",
            "recently",
            "in",
            "past",
            "future",
        ],
        caseless=True,
    ),
    _rule(
        "duration",
        rf"\b(?P<n>{_QUANTITY})[\s-]+(?P<u>minute|hour|day|week|fortnight|month|year"
        r"|decade|centurie|century)s?\b",
        _duration,
        ["digit"],
        _QUANTITY_WORDS,
        caseless=True,
    ),
)


# -- where rules can match -------------------------------------------------------------

_OPENINGS: dict[Anchor, re.Pattern[str]] = {
    # The first digit of a number: every rule opening with a number wants no word before it.
    "digit": re.compile(r"\d(?<!\w\d)"),
    # Openings of a single rule each, too rare to be worth telling apart.  The rules
    # check the \b before them; leaving it out here lets ``re`` skip to the first letters.
    "rare": re.compile(r"Christmas|New\s|Bastille\s|AD|A\.D\.|Q[1-4]|H[1-4]"),
}
# A leading "the" / "that" has no \b before it ("bathe 5 May" gives "the 5 May"), so it
# is found anywhere, not as a whole word, in the folded text (see :func:`fold`).  It is
# tried only before an opening of the rule.
_ARTICLES: dict[Anchor, re.Pattern[str]] = {
    "the": re.compile(r"the\s+"),
    "that": re.compile(r"that\s+"),
}

_Trie = dict[str, "_Trie"]


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, written as a prefix tree.

    ``re`` tries the branches of an alternation one after another, so a flat list of a
    hundred and fifty words costs as many comparisons at every word start; sharing
    prefixes ("a(?:bout|lmost|n|...)?") cuts that to a handful.  No quantifier is nested
    over another: the tree only has optional groups, so matching stays linear.
    """
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: _Trie) -> str:
        options = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not options:
            return ""
        if len(options) == 1 and "" not in node:
            return options[0]
        return f"(?:{'|'.join(options)}){'?' if '' in node else ''}"

    return branch(tree)


_RULES_BY_WORD: dict[str, tuple[int, ...]] = {
    word: tuple(i for i, rule in enumerate(RULES) if word in rule.words)
    for rule in RULES
    for word in rule.words
}
# The opening words are found in the folded text (:func:`fold`) with a case-sensitive
# regex, three times faster than an IGNORECASE one.
_WORDS = re.compile(rf"\b(?:{_alternation(_RULES_BY_WORD)})\b")


def _starts(text: str, folded: str) -> list[list[int]]:
    """For each rule, in order, the positions where a match of it can begin.

    ``folded`` is ``text`` as :func:`fold` gives it.
    """
    opening = {kind: [m.start() for m in found.finditer(text)] for kind, found in _OPENINGS.items()}
    # Where the article before each word starts, by the position of that word.
    article = {
        kind: {m.end(): m.start() for m in found.finditer(folded)}
        for kind, found in _ARTICLES.items()
    }
    starts: list[list[int]] = [[] for _ in RULES]
    for found in _WORDS.finditer(folded):
        for index in _RULES_BY_WORD[found[0]]:
            starts[index].append(found.start())
    for rule, positions in zip(RULES, starts, strict=True):
        for kind in rule.anchors & _OPENINGS.keys():
            positions.extend(opening[kind])
        for kind in rule.anchors & _ARTICLES.keys():
            before = article[kind]
            positions.extend([before[pos] for pos in positions if pos in before])
        positions.sort()
    return starts


def find_matches(text: str) -> Iterator[tuple[Rule, re.Match[str]]]:
    """Every match of every rule, rule by rule, exactly as ``rule.regex.finditer`` gives them.

    Trying every rule's regex at every character was most of the tagger's time, yet
    almost no character can open a time expression.  So the text is scanned once per
    anchor kind and once for all opening words, and each rule's regex is tried only at
    the positions where it can begin, in order, skipping those inside its previous match:
    that is what ``finditer`` does, minus the tries that cannot succeed.  (``match`` at
    a position still sees the text before it, so look-behinds and word boundaries
    behave the same.)  A rule matched in any case is first tried on the folded text,
    case-sensitively, and matched as written only where that succeeds.
    """
    folded = fold_once(text)
    for rule, positions in zip(RULES, _starts(text, folded), strict=True):
        end = 0
        test = rule.folded
        for pos in positions:
            if pos < end or (test is not None and test.match(folded, pos) is None):
                continue
            match = rule.regex.match(text, pos)
            if match is not None:
                end = match.end()
                yield rule, match


# -- modifiers and range connectors -----------------------------------------------------

_WINDOW = 40


def _folded_regex(pattern: str) -> re.Pattern[str]:
    """``pattern``'s IGNORECASE meaning as a case-sensitive regex for folded text.

    The modifiers are looked for before every time expression; found in the folded
    document (:func:`fold`), they match at the same offsets, twice as fast.
    """
    folded = foldable(pattern)
    assert folded is not None, f"not foldable: {pattern}"
    return re.compile(folded)


_INNER = _folded_regex(
    r"(?:\bthe\s+)?(?:\b(?P<e>early|late|mid|middle)(?:\s*-\s*|\s+in\s+|\s+)"
    r"|\b(?P<p>end|beginning|start|middle|close|latter\s+part|first\s+part|last\s+part"
    r"|first\s+days|last\s+days|first\s+weeks|last\s+weeks)\s+of\s+(?:the\s+)?)$"
)
_INNER_MOD: dict[str, Mod] = {
    "early": "START",
    "beginning": "START",
    "start": "START",
    "first": "START",
    "late": "END",
    "end": "END",
    "close": "END",
    "latter": "END",
    "last": "END",
    "mid": "MID",
    "middle": "MID",
}
_OUTER = _folded_regex(
    r"\b(?P<o>as\s+of|as\s+early\s+as|as\s+late\s+as|no\s+later\s+than|not\s+later\s+than"
    r"|since\s+at\s+least|since|by|until|till|up\s+(?:un)?to|up\s+till|through|circa|c\.|ca\."
    r"|around|about|approximately|roughly"
    r"|(?:shortly|just|soon|sometime|some\s+time|immediately|long)\s+(?:before|after)"
    r"|before|after|following|prior\s+to|starting\s+(?:in|from|on)|beginning\s+(?:in|on)"
    r"|from)\s+$"
)
_OUTER_MOD: dict[str, Mod | None] = {
    "as of": "AS_OF",
    "as early as": None,
    "as late as": None,
    "no later than": "BY",
    "not later than": "BY",
    "since at least": "SINCE",
    "since": "SINCE",
    "by": "BY",
    "until": "UNTIL",
    "till": "UNTIL",
    "up to": "UNTIL",
    "up until": "UNTIL",
    "up till": "UNTIL",
    "through": "UNTIL",
    "circa": "APPROX",
    "c.": "APPROX",
    "ca.": "APPROX",
    "around": "APPROX",
    "about": "APPROX",
    "approximately": "APPROX",
    "roughly": "APPROX",
    "before": "BEFORE",
    "prior to": "BEFORE",
    "after": "AFTER",
    "following": "AFTER",
    "starting in": "SINCE",
    "starting from": "SINCE",
    "starting on": "SINCE",
    "beginning in": "SINCE",
    "beginning on": "SINCE",
    "from": "SINCE",
}
_SUFFIX = re.compile(
    r"\s+(?P<s>onwards?\b|on(?=\s*(?:[,.;:!?)]|$))"
    r"|and\s+(?:the\s+)?(?:following|subsequent)\s+years\b|and\s+(?:after|beyond|since)\b"
    r"|or\s+so\b|or\s+(?:later|after)\b|at\s+the\s+latest\b)",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(r"\s*(?P<c>[–—-]|to|until|till|through|and|&)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)


def read_inner_modifier(folded: str, floor: int, start: int) -> tuple[int, Mod] | None:
    """Where "early" / "mid-" / "the end of" before ``start`` begins, and its modifier.

    ``folded`` is the text as :func:`fold` gives it.
    """
    low = max(floor, start - _WINDOW)
    found = _INNER.search(folded, low, start)
    if found is None:
        return None
    word = (found["e"] or found["p"]).split()[0]
    return found.start(), _INNER_MOD[word]


def read_outer_modifier(folded: str, floor: int, start: int) -> tuple[int, Mod | None] | None:
    """Where "as of" / "by" / "since" / "around" ... before ``start`` begins, and its modifier.

    ``folded`` is the text as :func:`fold` gives it.
    """
    low = max(floor, start - _WINDOW)
    found = _OUTER.search(folded, low, start)
    if found is None:
        return None
    key = re.sub(r"\s+", " ", found["o"])
    # "shortly before", "soon after": the last word carries the modifier.
    return found.start(), _OUTER_MOD[key if key in _OUTER_MOD else key.rsplit(" ", 1)[-1]]


def read_suffix_modifier(text: str, end: int, ceiling: int) -> tuple[int, Mod] | None:
    """Where a trailing "on" / "onwards" / "or so" after ``end`` stops, and its modifier."""
    found = _SUFFIX.match(text, end, min(len(text), end + _WINDOW))
    if found is None or found.end() > ceiling:
        return None
    word = fold(found["s"])
    mod: Mod = (
        "APPROX"
        if word.endswith("so")
        else "BY"
        if word.endswith("latest")
        else ("AFTER" if word.startswith("or") else "SINCE")
    )
    return found.end(), mod


def range_connector(gap: str) -> Literal["and", "to"] | None:
    """How the text between two dates joins them into a range, if it does."""
    found = _CONNECTOR.fullmatch(gap)
    if found is None:
        return None
    return "and" if fold(found["c"]) in ("and", "&") else "to"


def between_before(text: str, floor: int, start: int) -> int | None:
    """Where a "between" opening the range that starts at ``start`` begins."""
    found = _BETWEEN.search(text, max(floor, start - 12), start)
    return None if found is None else found.start()
