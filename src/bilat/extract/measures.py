"""What a sum of money measures: a trade volume, exports, a deal's value, a loan...

A chart of "trade" must not mix a 30-year gas deal with a year's trade, so
each :class:`~bilat.extract.amounts.MoneyMention` is given the measure its
clause names. The cue words are lexicon data (``data/measures.toml``); the
cue nearest the figure within its clause wins, and words about arms make the
figure ``other`` (an arms purchase is not trade).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from bilat.extract.lexicon import check_pattern, load_lexicon
from bilat.models import Measure

_BEFORE = 130
"""Characters before a figure searched for its cue ("trade ... totaled US$777 million")."""
_AFTER = 40
"""Characters after it ("$6 billion in financing", "US$560 million were Chinese exports")."""
_CLAUSE_END = re.compile(r"[;.!?]\s|,\s+(?:of which|while|whereas|and|but)\b")


class _MeasureLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    arms: list[str]
    measures: dict[Measure, list[str]]

    @field_validator("arms")
    @classmethod
    def _arms_compile(cls, value: list[str]) -> list[str]:
        return [check_pattern(pattern) for pattern in value]

    @field_validator("measures")
    @classmethod
    def _measures_compile(cls, value: dict[Measure, list[str]]) -> dict[Measure, list[str]]:
        for patterns in value.values():
            for pattern in patterns:
                check_pattern(pattern)
        return value


class MeasureReader:
    """Names the measure of a figure from the cue words of its clause."""

    def __init__(self, lexicon: _MeasureLexicon) -> None:
        self._arms = re.compile(r"\b(?:" + "|".join(lexicon.arms) + r")\b", re.IGNORECASE)
        self._order = list(lexicon.measures)
        self._cues = re.compile(
            "|".join(
                rf"(?P<{name}>\b(?:{'|'.join(patterns)})\b)"
                for name, patterns in lexicon.measures.items()
            ),
            re.IGNORECASE,
        )

    @classmethod
    def default(cls) -> MeasureReader:
        """The reader of the shipped lexicon, loaded once."""
        return _default_reader()

    def measure(self, text: str, start: int, end: int) -> Measure:
        """The measure of the figure at ``text[start:end]``."""
        before = text[max(0, start - _BEFORE) : start]
        ends = [m.end() for m in _CLAUSE_END.finditer(before)]
        lo = start - len(before) + (ends[-1] if ends else 0)
        after = _CLAUSE_END.search(text, end, min(len(text), end + _AFTER))
        hi = after.start() if after is not None else min(len(text), end + _AFTER)
        if self._arms.search(text, lo, hi):
            return "other"
        best: tuple[int, int, Measure] | None = None
        for match in self._cues.finditer(text, lo, hi):
            name = match.lastgroup
            assert name is not None  # every alternative is a named group
            distance = start - match.end() if match.end() <= start else match.start() - end
            key = (distance, self._order.index(name), name)  # type: ignore[arg-type]
            if best is None or key < best:
                best = key  # type: ignore[assignment]
        return "other" if best is None else best[2]


@cache
def _default_reader() -> MeasureReader:
    resource = resources.files("bilat.data").joinpath("measures.toml")
    path = Path(str(resource))
    return MeasureReader(load_lexicon(path, _MeasureLexicon, "measure lexicon"))
