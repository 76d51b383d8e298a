"""Short timeline headlines built from an event's sentence.

A timeline row has room for a headline, not a paragraph: the title is the
event's main clause with its time anchor removed (the date column already
shows it), cut before asides and trailing clauses, and capped in length.
"""

from __future__ import annotations

import re

MAX_TITLE = 90
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
_SPACE = re.compile(r"\s+")
_EDGE = " ,;:.–—-"


def make_title(sentence: str, anchor: tuple[int, int] | None = None) -> str:
    """A headline for ``sentence``; ``anchor`` is the time expression's span inside it."""
    text = sentence
    if anchor is not None:
        start, end = anchor
        head = _PREPOSITION.sub("", text[:start])
        # Cut the anchor only where the sentence reads on without it: "In 2014, X"
        # or "X in 2014", but not "go back to the 16th century".
        if head != text[:start] or not text[:start].strip():
            text = head.rstrip(" ,") + (" " if head.strip() else "") + text[end:].lstrip(" ,")
    text = _SPACE.sub(" ", text).strip(_EDGE + "\"'“”")
    for match in _CUT.finditer(text):
        if match.start() >= _MIN_CLAUSE:
            text = text[: match.start()]
            break
    text = text.strip(_EDGE)
    if len(text) > MAX_TITLE:
        cut = text.rfind(" ", 0, MAX_TITLE)
        text = text[: cut if cut > _MIN_CLAUSE else MAX_TITLE].rstrip(_EDGE) + "…"
    return text[:1].upper() + text[1:] if text else sentence[:MAX_TITLE]
