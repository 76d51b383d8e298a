"""Dates typed on the command line: ``2001``, ``2001-05`` or ``2001-05-12``.

A user asking for ``--from 2001 --to 2003`` means whole years, so a partial
date is read as the interval of days it covers and filters compare intervals.
Parsing lives in the library (not the CLI) so scripts get the same errors.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from bilat.errors import DateError

_ACCEPTED = "YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2001, 2001-05 or 2001-05-12)"
_PARTIAL = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")


def parse_partial_date(value: str) -> tuple[date, date]:
    """The first and last day covered by ``value``.

    Raises :class:`DateError` naming the value and the accepted forms.
    """
    text = value.strip()
    match = _PARTIAL.fullmatch(text)
    if match is None:
        raise DateError(f"invalid date {value!r}", hint=f"use {_ACCEPTED}")
    year = int(match["year"])
    try:
        if match["month"] is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(match["month"])
        if match["day"] is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        day = date(year, month, int(match["day"]))
    except ValueError as error:
        raise DateError(f"invalid date {value!r}: {error}", hint=f"use {_ACCEPTED}") from None
    return day, day


def parse_day(value: str) -> date:
    """A full calendar date, as needed for a publication date that anchors relative dates."""
    start, end = parse_partial_date(value)
    if start != end:
        raise DateError(
            f"invalid date {value!r}: a full day is needed",
            hint="use YYYY-MM-DD (e.g. 2023-03-21)",
        )
    return start
