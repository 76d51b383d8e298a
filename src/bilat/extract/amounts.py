"""Sums of money in running text: ``US$777 million``, ``$400 billion``, ``150 billion yuan``.

An event that states a sum (ANNOTATION.md: "trade in 2005 totalled US$777
million") carries it as :class:`bilat.models.Amount`; this module finds
every such mention with its exact span so the pipeline can attach the one
nearest to the event's time anchor.

A number is money only when a currency is written next to it — a symbol or
code before it (``$``, ``US$``, ``€``, ``RMB``, ``USD``) or a currency word
after it (``dollars``, ``US dollars``, ``yuan``, ``rubles``). Counts
("1,000 Chinese buses"), percentages, years and quantities ("3 to 3.5
billion cubic meters") therefore never match. A range with one scale word
("$3–5 billion", "3 to 3.5 billion yuan") is one mention valued at its
first figure; "$3.2 billion to near zero" is just its first amount.

Symbols shared by several currencies (``¥`` for yen and yuan, bare "pesos")
are resolved from words within a short window around the mention; a bare
"pesos" with no hint is left out rather than guessed.

All patterns are bounded (no nested or overlapping repetition), so a scan is
linear in the input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bilat.extract.caseless import Caseless
from bilat.extract.measures import MeasureReader
from bilat.models import Amount, Measure

__all__ = ["MoneyMention", "find_amounts", "to_model"]


@dataclass(frozen=True, slots=True)
class MoneyMention:
    """A sum of money as written (``text == source[start:end]``), its value in units, and
    what it measures (a trade volume, a deal's value...: :mod:`bilat.extract.measures`)."""

    start: int
    end: int
    text: str
    value: float
    currency: str
    measure: Measure = "other"


# --- declarative tables ------------------------------------------------------------------


def _words(spaced: str) -> frozenset[str]:
    """A word list written as one spaced string, so the tables read as prose."""
    return frozenset(spaced.split())


_SCALES: Mapping[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
_GLUED_ONLY_SCALES = frozenset({"k", "m", "b"})
"""One-letter scales count only when glued to the figure ("$5m"), never after a space."""

_NUMBER_WORDS: Mapping[str, float] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}

# Written before the figure. Ambiguous "¥" is resolved from context (see _AMBIGUOUS).
_PREFIXES: Mapping[str, str] = {
    "US$": "USD",
    "U.S.$": "USD",
    "US $": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "NT$": "TWD",
    "R$": "BRL",
    "MX$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "CN¥": "CNY",
    "RMB¥": "CNY",
    "JP¥": "JPY",
    "¥": "¥",
    "₽": "RUB",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "₴": "UAH",
    "₸": "KZT",
    "₩": "KRW",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "฿": "THB",
    "₱": "PHP",
}
# ISO 4217 codes (and RMB) written before or after the figure: "USD 5 million", "5 bn EUR".
_CODES: Mapping[str, str] = {
    code: code
    for code in _words(
        "USD EUR GBP CNY JPY RUB INR KZT UAH CUP CUC CHF CAD AUD NZD HKD SGD TWD KRW BRL MXN "
        "TRY ILS VND THB PHP IRR SAR AED KGS TJS UZS TMT AZN BYN MNT PKR ZAR NGN EGP"
    )
} | {"RMB": "CNY"}

# Written after the figure: unit word -> (currency without qualifier or None, {qualifier: code}).
_UNITS: Mapping[str, tuple[str | None, Mapping[str, str]]] = {
    "dollar": ("USD", {}),
    "yuan": ("CNY", {}),
    "renminbi": ("CNY", {}),
    "ruble": ("RUB", {"belarusian": "BYN"}),
    "rouble": ("RUB", {"belarusian": "BYN"}),
    "euro": ("EUR", {}),
    "pound": ("GBP", {"egyptian": "EGP", "lebanese": "LBP", "syrian": "SYP"}),
    "yen": ("JPY", {}),
    "rupee": ("INR", {"pakistani": "PKR", "sri lankan": "LKR", "nepalese": "NPR"}),
    "peso": (
        None,
        {
            "cuban": "CUP",
            "convertible": "CUC",
            "mexican": "MXN",
            "argentine": "ARS",
            "philippine": "PHP",
            "chilean": "CLP",
            "colombian": "COP",
        },
    ),
    "tenge": ("KZT", {}),
    "hryvnia": ("UAH", {}),
    "hryvnya": ("UAH", {}),
    "won": ("KRW", {"north korean": "KPW"}),
    "lari": ("GEL", {}),
    "dram": ("AMD", {}),
    "manat": (None, {"azerbaijani": "AZN", "turkmen": "TMT"}),
    "som": ("KGS", {"kyrgyz": "KGS", "uzbek": "UZS"}),
    "somoni": ("TJS", {}),
    "tugrik": ("MNT", {}),
    "dong": ("VND", {}),
    "baht": ("THB", {}),
    "ringgit": ("MYR", {}),
    "rupiah": ("IDR", {}),
    "kyat": ("MMK", {}),
    "riel": ("KHR", {}),
    "taka": ("BDT", {}),
    "afghani": ("AFN", {}),
    "lira": ("TRY", {}),
    "reais": ("BRL", {}),
    "rand": ("ZAR", {}),
    "naira": ("NGN", {}),
    "birr": ("ETB", {}),
    "zloty": ("PLN", {}),
    "forint": ("HUF", {}),
    "koruna": ("CZK", {}),
    "shekel": ("ILS", {}),
    "dirham": ("AED", {"moroccan": "MAD"}),
    "rial": ("IRR", {"omani": "OMR", "yemeni": "YER"}),
    "riyal": ("SAR", {"qatari": "QAR"}),
    "dinar": (None, {"iraqi": "IQD", "kuwaiti": "KWD", "serbian": "RSD", "algerian": "DZD"}),
    "franc": (None, {"swiss": "CHF"}),
    "krona": ("SEK", {"swedish": "SEK", "icelandic": "ISK"}),
    "krone": (None, {"norwegian": "NOK", "danish": "DKK"}),
    "bolivar": ("VES", {}),
    "€": ("EUR", {}),
    "₽": ("RUB", {}),
}
# Qualifiers that mean the unit's plain currency or override it for dollars.
_DOLLAR_QUALIFIERS: Mapping[str, str] = {
    "us": "USD",
    "u.s.": "USD",
    "american": "USD",
    "australian": "AUD",
    "canadian": "CAD",
    "hong kong": "HKD",
    "new taiwan": "TWD",
    "taiwan": "TWD",
    "singapore": "SGD",
    "new zealand": "NZD",
}
_PLAIN_QUALIFIERS = frozenset(
    {
        "chinese",
        "russian",
        "japanese",
        "indian",
        "ukrainian",
        "kazakh",
        "kazakhstani",
        "british",
        "turkish",
        "south korean",
        "korean",
        "vietnamese",
        "thai",
        "brazilian",
        "iranian",
        "saudi",
    }
)

# Words near an ambiguous symbol or unit that decide its currency.
_AMBIGUOUS: Mapping[str, tuple[str | None, Mapping[str, str]]] = {
    "¥": (
        "JPY",
        {
            "yuan": "CNY",
            "renminbi": "CNY",
            "rmb": "CNY",
            "china": "CNY",
            "chinese": "CNY",
            "yen": "JPY",
            "japan": "JPY",
            "japanese": "JPY",
        },
    ),
    "peso": (
        None,
        {
            "cuba": "CUP",
            "cuban": "CUP",
            "havana": "CUP",
            "mexico": "MXN",
            "mexican": "MXN",
            "argentina": "ARS",
            "philippines": "PHP",
            "chile": "CLP",
            "colombia": "COP",
        },
    ),
}
_CONTEXT_WINDOW = 200
_MAX_DIGITS = 15


def _alternation(words: list[str]) -> str:
    """A regex alternation that tries longer words first, so ``US$`` wins over ``$``."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _unit_forms() -> dict[str, str]:
    """Every written form of a unit word (singular, plural) mapped to its table key."""
    forms: dict[str, str] = {}
    for unit in _UNITS:
        forms[unit] = unit
        if unit.isalpha() and not unit.endswith("s"):
            forms[unit + "s"] = unit
    forms.update({"hryvnias": "hryvnia", "kronor": "krona", "kroner": "krone"})
    forms.update({"bolivares": "bolivar", "bolívares": "bolivar"})
    return forms


_UNIT_FORMS = _unit_forms()
# English words that are also currencies: money only with a scale, a qualifier or "1,000".
_WORDY_UNITS = frozenset({"won", "rand", "dong", "som", "dram", "lari", "taka"})
_QUALIFIERS = sorted(
    set(_DOLLAR_QUALIFIERS) | _PLAIN_QUALIFIERS | {q for _, quals in _UNITS.values() for q in quals}
)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f]\d{3})+|\d+(?:\.\d+)?"
_NUMBER_END = r"(?!\d|,\d)"
_SCALE = _alternation(list(_SCALES))
_DASH = r"(?:\s{0,2}(?:-|–|—|to)\s{0,2})"
_PREFIX = rf"(?-i:{_alternation(list(_PREFIXES))})"
_CODE = rf"(?-i:{_alternation(list(_CODES))})"
_PATTERN = re.compile(
    # 1. symbol or code before the figure: "US$777 million", "$3–5 billion", "RMB 150 billion"
    rf"(?<![\w$])(?P<prefix>{_PREFIX}|{_CODE}(?=\s?\d))"
    rf"\s?(?P<pnum>{_NUMBER}){_NUMBER_END}"
    rf"(?:{_DASH}{_PREFIX}?(?P<pnum2>{_NUMBER}){_NUMBER_END}(?=\s?(?:{_SCALE})(?!\w)))?"
    rf"(?:(?P<pspace>[\s-]?)(?P<pscale>{_SCALE})(?!\w))?"
    # 2. figure then currency word or code: "150 billion yuan", "80 million US dollars"
    rf"|(?<![\w.,$€£¥₽])(?<!\d\s)(?:(?P<snum>{_NUMBER}){_NUMBER_END}"
    rf"|(?P<sword>{_alternation(list(_NUMBER_WORDS))})(?=\s(?:{_SCALE})))"
    rf"(?:{_DASH}(?P<snum2>{_NUMBER}){_NUMBER_END})?"
    rf"(?:(?P<sspace>[\s-]?)(?P<sscale>{_SCALE})(?!\w))?"
    rf"\s{{0,2}}(?:(?P<qual>{_alternation(_QUALIFIERS)})\s{{1,2}})?"
    rf"(?P<unit>{_alternation(list(_UNIT_FORMS))}|{_CODE})(?!\w)",
    re.IGNORECASE,
)
# Where a match of _PATTERN can begin: at the first character of a word or symbol that
# follows a character that is no word character (both branches open with a look-behind
# refusing one), each scan consuming that one character so that none hides the next.
# There, a figure, or a symbol or code the first branch opens with ...
_INITIALS = "".join(sorted({word[0] for word in [*_PREFIXES, *_CODES]}))
_FIGURE_OR_SYMBOL = re.compile(
    rf"[\d{re.escape(_INITIALS)}](?<=\W.)(?:(?<=\d)|(?<=(?={_PREFIX}|{_CODE}).))"
)
# ... or a number word before a scale word ("a million"), found in the folded text.
_NUMBER_WORD = Caseless(
    rf"[{''.join(sorted({word[0] for word in _NUMBER_WORDS}))}]"
    rf"(?<=\W(?=(?:{_alternation(list(_NUMBER_WORDS))})\s(?:{_SCALE})).)"
)


def _starts(text: str) -> list[int]:
    """Positions where a match of :data:`_PATTERN` can begin, in order (and some where not)."""
    starts = [0, *(m.start() for m in _FIGURE_OR_SYMBOL.finditer(text))]
    starts.extend(m.start() for m in _NUMBER_WORD.finditer_folded(text))
    return sorted(set(starts))


def _matches(text: str) -> list[re.Match[str]]:
    """The matches ``_PATTERN.finditer(text)`` gives, trying it only where one can begin.

    Scanning the whole text was most of the cost, yet almost no position opens a sum.
    ``finditer`` tries each position in order and, after a match (never empty),
    goes on from its end; so does this, at the positions :func:`_starts` gives.
    ``match`` at a position still sees the text before it, so look-behinds behave
    the same.
    """
    found: list[re.Match[str]] = []
    end = 0
    for start in _starts(text):
        if start < end:
            continue
        match = _PATTERN.match(text, start)
        if match is not None:
            found.append(match)
            end = match.end()
    return found


def _figure(number: str) -> float | None:
    digits = number.replace(",", "").replace("\u00a0", "").replace("\u202f", "")
    if len(digits.split(".")[0]) > _MAX_DIGITS:
        return None
    return float(digits)


def _scale(scale: str | None, space: str | None) -> float | None:
    """The multiplier of a scale word; ``None`` when it is not a scale here ("$5 m")."""
    if scale is None:
        return 1.0
    key = scale.lower()
    if key in _GLUED_ONLY_SCALES and space:
        return None
    return _SCALES[key]


_HINTS: Mapping[str, re.Pattern[str]] = {
    symbol: re.compile(rf"\b(?:{_alternation(list(hints))})\b", re.IGNORECASE)
    for symbol, (_, hints) in _AMBIGUOUS.items()
}


def _from_context(symbol: str, text: str, start: int, end: int) -> str | None:
    """Pick a currency for an ambiguous symbol from the nearest hint word around it."""
    default, hints = _AMBIGUOUS[symbol]
    window_start = max(0, start - _CONTEXT_WINDOW)
    window_end = min(len(text), end + _CONTEXT_WINDOW)
    best: tuple[int, str] | None = None
    for m in _HINTS[symbol].finditer(text, window_start, window_end):
        distance = abs(m.start() - start)
        if best is None or distance < best[0]:
            best = (distance, hints[m.group().lower()])
    return best[1] if best is not None else default


def _prefix_currency(prefix: str, text: str, start: int, end: int) -> str:
    code = _PREFIXES.get(prefix) or _CODES[prefix]
    return (_from_context(code, text, start, end) or code) if code in _AMBIGUOUS else code


def _unit_currency(unit: str, qualifier: str | None, text: str, start: int, end: int) -> str | None:
    if unit in _CODES:
        return _CODES[unit]
    key = _UNIT_FORMS[unit.lower()]
    plain, qualified = _UNITS[key]
    if qualifier is not None:
        q = " ".join(qualifier.lower().split())
        if key == "dollar" and q in _DOLLAR_QUALIFIERS:
            return _DOLLAR_QUALIFIERS[q]
        if q in qualified:
            return qualified[q]
    if key in _AMBIGUOUS and plain is None:
        return _from_context(key, text, start, end)
    return plain


def _looks_like_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1000 <= int(number) <= 2199


def _mention(m: re.Match[str], text: str) -> MoneyMention | None:
    """Turn one regex match into a mention, or ``None`` when it is not money after all."""
    start, end = m.span()
    if m.group("prefix") is not None:
        currency: str | None = _prefix_currency(m.group("prefix"), text, start, end)
        figure = _figure(m.group("pnum"))
        multiplier = _scale(m.group("pscale"), m.group("pspace"))
        if multiplier is None:  # "$5 m": the figure is money, the letter is not a scale
            multiplier, end = 1.0, m.end("pnum")
    else:
        unit, qualifier, scale = m.group("unit"), m.group("qual"), m.group("sscale")
        number, word = m.group("snum"), m.group("sword")
        if number is not None and scale is None and _looks_like_year(number):
            return None  # "in 2014 yuan trading began" is a year, not a sum
        if unit.lower() == "pounds" and text.startswith(" of", end):
            return None  # weight: "60,000 pounds of rice"
        bare = scale is None and qualifier is None and (number is None or "," not in number)
        if bare and unit.lower() in _WORDY_UNITS:
            return None  # "team 3 won the cup"
        currency = _unit_currency(unit, qualifier, text, start, end)
        figure = _figure(number) if number is not None else _NUMBER_WORDS[word.lower()]
        multiplier = _scale(scale, m.group("sspace"))
    if currency is None or figure is None or multiplier is None:
        return None
    value = figure * multiplier
    if not math.isfinite(value):
        return None
    return MoneyMention(start, end, text[start:end], value, currency)


def find_amounts(text: str) -> list[MoneyMention]:
    """Every sum of money in ``text``, in order, non-overlapping."""
    found: list[MoneyMention] = []
    reader = MeasureReader.default()
    for m in _matches(text):
        mention = _mention(m, text)
        if mention is not None:
            measure = reader.measure(text, mention.start, mention.end)
            found.append(replace(mention, measure=measure))
    return found


def to_model(mention: MoneyMention) -> Amount:
    """The public-contract form of a mention, as stored on an :class:`bilat.models.Event`."""
    return Amount(
        value=mention.value, currency=mention.currency, text=mention.text, measure=mention.measure
    )
