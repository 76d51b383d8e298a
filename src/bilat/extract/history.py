"""Historical states that present-day countries stood inside (ISO 3166-3).

The extractor records the state of the time: "the two countries" in a
China–Russia article means China and the Soviet Union in 1969 (SUN). A
reader asking for the China–Russia timeline wants those years too, so
queries for a country also match the states it succeeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bilat.models import EventDate

PREDECESSORS: dict[str, tuple[str, date, date]] = {
    "RUS": ("SUN", date(1922, 12, 30), date(1991, 12, 25)),
}
"""Present-day code -> (code of the state it stood inside, from, until)."""
RENAMED_STATES = frozenset(
    code
    for successor, (predecessor, _since, _until) in PREDECESSORS.items()
    for code in (successor, predecessor)
)
"""The codes :func:`same_state` relates to another code: checked first, they spare the others."""


def same_state(code: str) -> set[str]:
    """The codes standing for the same side as ``code`` in some period (RUS <-> SUN)."""
    related = {code}
    for successor, (predecessor, _since, _until) in PREDECESSORS.items():
        if code == successor:
            related.add(predecessor)
        elif code == predecessor:
            related.add(successor)
    return related


def lineage(code: str) -> set[str]:
    """``code`` and the states it succeeded: what a query for ``code`` should match."""
    entry = PREDECESSORS.get(code)
    return {code} if entry is None else {code, entry[0]}


def involves_all(requested: Sequence[str], countries: Sequence[str]) -> bool:
    """Whether each requested code is matched by its own country of the event.

    A code matches itself or a state it succeeded, and one country answers one
    request only: "russia ussr" wants both the Russian Federation and the
    Soviet Union, which a single SUN cannot be.
    """

    def assign(index: int, used: frozenset[str]) -> bool:
        if index == len(requested):
            return True
        return any(
            assign(index + 1, used | {country})
            for country in countries
            if country not in used and country in lineage(requested[index])
        )

    return assign(0, frozenset())


def in_period(codes: list[str], when: EventDate) -> list[str]:
    """``codes`` as they were at the event's date (RUS -> SUN within the Soviet period)."""
    result = set(codes)
    for code, (predecessor, since, until) in PREDECESSORS.items():
        if code in result and since <= when.start and when.end <= until:
            result.discard(code)
            result.add(predecessor)
    return sorted(result) if len(result) >= 2 else codes
