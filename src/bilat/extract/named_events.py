"""Named historical events that date a sentence ("During the Russian invasion of Ukraine").

The lexicon lives in ``data/named_events.toml``; this module turns its entries
into :class:`~bilat.timex.TimeExpression` objects so the pipeline treats them
like any other anchor — but only where a clause has no explicit date.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import cast

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from bilat.extract.caseless import Caseless
from bilat.extract.lexicon import check_pattern, load_lexicon, named_alternatives
from bilat.extract.timex import TimeExpression
from bilat.models import EventDate, Precision

_DEFAULT_LEXICON = "named_events.toml"
# A named event is a time anchor only when the text introduces it as one:
# "During the Russian invasion of Ukraine, ..." dates a sentence, while
# "China did not recognise the annexation of Crimea" names a topic.
_TEMPORAL_LEAD = re.compile(
    r"\b(?:during|after|following|since|before|until|amid|throughout|in|in the wake of"
    r"|at the (?:start|end|time|outbreak|height) of|on the eve of|days? (?:after|before))"
    r"(?:\s+the)?(?:\s+aftermath of)?\s+$",
    re.IGNORECASE,
)


class NamedEvent(BaseModel):
    """One entry of the lexicon: a name, the pattern that finds it, and its interval."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    pattern: str
    start: date
    end: date
    precision: Precision

    @model_validator(mode="after")
    def _ordered(self) -> NamedEvent:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return check_pattern(value)


class _Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[NamedEvent]


class NamedEventFinder:
    """Finds lexicon events in text with a single alternation regex."""

    def __init__(self, events: list[NamedEvent]) -> None:
        self._events = {f"e{i}": event for i, event in enumerate(events)}
        body = named_alternatives((key, event.pattern) for key, event in self._events.items())
        self._regex = Caseless(rf"\b(?:{body})\b") if body else None

    @classmethod
    def from_file(cls, path: Path) -> NamedEventFinder:
        """Load and validate a lexicon file; errors name the file and the bad entry."""
        return cls(load_lexicon(path, _Lexicon, "named-event lexicon").events)

    @classmethod
    def default(cls) -> NamedEventFinder:
        """The bundled lexicon, loaded once per process."""
        return _default_finder()

    def scan(self, text: str) -> tuple[list[TimeExpression], list[tuple[int, int]]]:
        """One pass over ``text``: the named events it uses as time anchors, and the
        spans of every named event, anchor or not (its countries are its setting)."""
        if self._regex is None:
            return [], []
        anchors: list[TimeExpression] = []
        spans: list[tuple[int, int]] = []
        for match in self._regex.finditer_folded(text):
            start, end = match.span()
            spans.append((start, end))
            if not _TEMPORAL_LEAD.search(text, max(0, start - 40), start):
                continue
            event = self._events[cast(str, match.lastgroup)]
            value = _value(event)
            written = text[start:end]
            anchors.append(
                TimeExpression(
                    text=written,
                    start=start,
                    end=end,
                    kind="absolute",
                    date=EventDate(
                        start=event.start,
                        end=event.end,
                        precision=event.precision,
                        text=written,
                        value=value,
                        resolution="explicit",
                    ),
                    value=value,
                )
            )
        return anchors, spans


def _value(event: NamedEvent) -> str:
    """TIMEX3-style value of the interval: "2022", "1950/1953", "2001-09-11"."""
    if event.precision == "day" and event.start == event.end:
        return event.start.isoformat()
    if event.precision == "month":
        return event.start.isoformat()[:7]
    if event.start.year == event.end.year:
        return str(event.start.year)
    return f"{event.start.year}/{event.end.year}"


@cache
def _default_finder() -> NamedEventFinder:
    resource = resources.files("bilat.data").joinpath(_DEFAULT_LEXICON)
    return NamedEventFinder.from_file(Path(str(resource)))
