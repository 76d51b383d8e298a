"""Short timeline headlines built from an event's sentence.

A timeline row has room for a headline, not a paragraph: the title is the
event's main clause with its time anchor removed (the date column already
shows it), cut before asides and trailing clauses. A clause still too long is
ended at a phrase boundary (before "with", "for", "which"...), never mid-phrase
and never with "…": the table wraps what it cannot fit, and ``--full`` shows the
sentence. A clause opening with "He" or "She" is headed by the person meant,
when the caller knows who that is, so the headline says who did what.
"""

from __future__ import annotations

import re

MAX_TITLE = 110
"""Titles longer than this are ended at the last phrase boundary before it, if any."""
_MIN_CLAUSE = 25

_PREPOSITION = re.compile(
    r"(?:\b(?:in|on|at|by|since|from|during|as of|until|starting in|as early as)\s+)$",
    re.IGNORECASE,
)
# Where a headline may stop: before asides, relative and trailing clauses.
_CUT = re.compile(
    r";|:\s|\s[—–]\s|—|,\s+(?:which|where|while|whereas|who|according to|saying|as|"
    r"the (?:largest|first|biggest|world)|including|with|but|although)\b|\s\(",
    re.IGNORECASE,
)
# A news dateline ("BEIJING, May 16 (Reuters) - "), a list bullet or a table pipe.
_LEAD = re.compile(r"^(?:[A-Z][A-Z .'’-]{2,30},[^-–—]{0,40}[-–—]\s+|[-*•|]\s*|\d{1,3}[.)]\s+)")
# "in 1947–1948, 1965 and 1971": an anchor heading a list of dates stays in place.
_MORE_DATES = re.compile(r"\s*(?:,|and)\s*\d")
# A clause cut from a longer sentence may open with its link to the previous one.
_CONNECTIVE = re.compile(
    r"^(?:(?:and|but|while|whereas|which|further|then)\s+|(?:however|meanwhile|also),\s+)",
    re.IGNORECASE,
)
# Where a long clause may end and still read as a whole: before a trailing phrase.
_PHRASE_END = re.compile(
    r"\s(?=(?:which|who|with|for|in|on|at|from|after|before|during|when|where|"
    r"because|while|equipped|including|by|amid|despite|following|under)\b)",
    re.IGNORECASE,
)
# A scene-setting opening ("During the visit of X to Beijing, ", "According to Y, "):
# a headline starts at the clause that says what happened.
_SETTING = re.compile(
    r"^(?:during|at|according to|after|following|on|under|when|with|since|though|although|"
    r"as|moreover|nevertheless|for example|amid|despite|before|one day following|"
    r"\w+ days? (?:before|after))\b[^,]{0,120},\s+(?-i:(?=[A-Z0-9\"“]|(?:the|a|its|their) ))",
    re.IGNORECASE,
)
# Words a headline cannot end on.
_DANGLING = re.compile(
    r"(?:[\s,]+(?:of|and|or|the|a|an|to|in|that|with|for|by|equipped|including|operated|both))+$",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:he|she)\b(?!-)", re.IGNORECASE)
_QUOTES = '"“”'
_EDGE = " ,;:.–—-"


def make_title(
    sentence: str, anchor: tuple[int, int] | None = None, *, person: str | None = None
) -> str:
    """A headline for ``sentence``; ``anchor`` is the time expression's span inside it.

    ``person`` is who "He" or "She" opening the sentence stands for (the person
    last named before it), put in the pronoun's place.
    """
    lead = _LEAD.match(sentence)
    cut = lead.end() if lead else 0
    text = sentence[cut:]
    if anchor is not None:
        anchor = (anchor[0] - cut, anchor[1] - cut) if anchor[0] >= cut else None
    if anchor is not None:
        start, end = anchor
        head = _PREPOSITION.sub("", text[:start])
        # Cut the anchor only where the sentence reads on without it: "In 2014, X"
        # or "X in 2014", but not "go back to the 16th century".
        in_a_list = _MORE_DATES.match(text, end) is not None
        if not in_a_list and (head != text[:start] or not text[:start].strip()):
            text = head.rstrip(" ,") + (" " if head.strip() else "") + text[end:].lstrip(" ,")
    # Runs of whitespace become one space; the ends are stripped of spaces just after.
    text = _CONNECTIVE.sub("", " ".join(text.split()).strip(_EDGE + "'|"))
    text = text.replace(" | ", " — ")
    setting = _SETTING.match(text)
    if setting is not None and len(text) - setting.end() >= _MIN_CLAUSE:
        text = text[setting.end() :]
    if sum(text.count(q) for q in _QUOTES) % 2:
        text = text.strip(_QUOTES)
    for match in _CUT.finditer(text):
        if match.start() >= _MIN_CLAUSE:
            text = text[: match.start()]
            break
    text = text.strip(_EDGE)
    if len(text) > MAX_TITLE:
        ends = [m.start() for m in _PHRASE_END.finditer(text, _MIN_CLAUSE, MAX_TITLE)]
        if ends:
            text = _DANGLING.sub("", text[: ends[-1]]).rstrip(_EDGE)
    if person and _PRONOUN.match(text):
        text = _PRONOUN.sub(person, text, count=1)
    return text[:1].upper() + text[1:] if text else sentence.strip()


def table_row_title(header: str, row: str) -> str | None:
    """A headline for a flattened table row, read through its header.

    "Year | Exports to China | Imports from China" over "2019 | 63.4 | 35.3"
    gives "Exports to China 63.4, Imports from China 35.3": the date cell is
    left to the date column. None when the row does not line up with the header
    or already says what happened in words.
    """
    names = [cell.strip() for cell in header.strip(" |").split("|")]
    cells = [cell.strip() for cell in row.strip(" |").split("|")]
    if len(names) != len(cells) or len(cells) < 2:
        return None
    if any(len(cell.split()) >= 3 for cell in cells):
        return None  # a row that says what happened reads better as it is
    parts = [f"{name} {cell}" for name, cell in zip(names[1:], cells[1:], strict=True) if cell]
    text = ", ".join(parts)
    if not text:
        return None
    return text[:1].upper() + text[1:]
