"""Find the time expressions of a document and resolve each to an interval of whole days.

This is the stage that gives events their dates, so it follows ANNOTATION.md section 3:
an expression resolves to ``start..end`` (whole days), a precision and a modifier, and
modifiers never change the interval ("mid-2006" is the whole of 2006 with ``mod`` MID).

How it works, in four linear passes over the text:

1. **Recognise.** Each rule in :mod:`bilat.timex_rules` is one precompiled regex (no
   nested quantifiers over overlapping classes, so scanning stays linear) and a handler
   that turns a match into a *spec*: a calendar reading with or without a year, an offset
   from an anchor ("a month later"), an offset from the publication date ("last week"), or
   a fixed value (durations, "now", years BC).  Regexes are tried only where a match
   can begin (after a digit, a "the", or an opening word of the rule), which is what
   keeps this pass fast.  Overlapping candidates are settled by keeping the longest, so
   "23 November 2010" beats the "2010" inside it.
2. **Modifiers.** The words just before and after an expression are read for modifiers.
   Span choice (TIMEX3 style, consistently): the span is the expression proper, *plus*
   the modifier words that carry meaning — "as of", "by", "since", "from", "until",
   "before", "after", "around", "early/mid/late", "the end of", and trailing "on" /
   "onwards" — but *not* the bare prepositions "in", "on", "at", "during", which say
   nothing about the interval.  So "In 2014" gives "2014" and "As of mid-2006" gives
   "As of mid-2006".  When two modifiers apply, the inner one wins (early/mid/late over
   as-of/by: "By the end of 2023" is END), as the annotation guide requires.
3. **Ranges.** Two neighbouring calendar expressions joined by a dash, "to", "until" or
   (after "between", or for consecutive years) "and" become one range: "from 2000 to
   2006", "between June and December 2022", "1858–1860".  Its value is "A/B".
4. **Resolve**, in text order, keeping two pieces of state: the *year in force* (the year
   of the latest resolved date of year precision or finer, which is what a narrative's
   year-less "June 10" means), and the *paragraph anchor* (the latest resolved date in the
   current paragraph; a newline ends a paragraph), against which relative expressions are
   resolved.  An offset shifts the anchor only when its unit is at least as coarse as the
   anchor's precision ("a month later" after "in 2001" is still 2001; after "March 2006"
   it is April 2006).  Deictic expressions are resolved against ``published`` and stay
   unresolved (``date`` None) without it; nothing here ever reads the clock.

Resolution records how a date was obtained: "explicit" (the expression names its year),
"relative" (from an anchor or the year in force) or "published" (from the publication
date).  Weeks, for which the model has no precision, are given as a seven-day interval
of precision "day" with an ISO week value ("2023-W05").  Years BC and the references
"now" / "recently" / "the future" carry a TIMEX3 value but no date, since neither a
Python date nor a timeline can place them.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from datetime import date, timedelta
from typing import Literal, NamedTuple

from dateutil.relativedelta import relativedelta

from bilat.extract.caseless import fold_once
from bilat.extract.text import require_unicode
from bilat.extract.timex_rules import (
    Cal,
    Deictic,
    Fixed,
    Rel,
    Spec,
    Unit,
    between_before,
    find_matches,
    range_connector,
    read_inner_modifier,
    read_outer_modifier,
    read_suffix_modifier,
)
from bilat.models import EventDate, Mod, Precision, Resolution

__all__ = ["TimeExpression", "TimexKind", "find_time_expressions"]

TimexKind = Literal["absolute", "relative", "deictic", "duration"]

# Coarseness of precisions and offset units, finest first; a unit shifts an anchor only
# when it is at least as coarse as the anchor's precision.
_RANK: dict[str, int] = {
    "day": 0,
    "week": 1,
    "month": 2,
    "quarter": 3,
    "half": 4,
    "season": 5,
    "year": 6,
    "decade": 7,
    "century": 8,
}
_SEASON_CODE: dict[Mod, str] = {"SPRING": "SP", "SUMMER": "SU", "FALL": "FA", "WINTER": "WI"}
_MAX_GAP = 16  # characters between the two ends of a range


class TimeExpression(NamedTuple):
    """One time expression of a document, with the interval it resolves to (if any)."""

    text: str
    start: int
    end: int
    kind: TimexKind
    date: EventDate | None
    value: str | None


class _Range(NamedTuple):
    """Two calendar expressions read as one interval ("from 2000 to 2006")."""

    first: _Cand
    second: _Cand


class _Cand(NamedTuple):
    """A recognised expression before resolution: its span, spec and modifier."""

    start: int
    end: int
    spec: Spec | _Range
    mod: Mod | None = None


def find_time_expressions(
    text: str, *, published: date | None = None, split_ranges: bool = False
) -> list[TimeExpression]:
    """All time expressions of a whole document, in text order, resolved.

    ``published`` is the document's publication date; deictic expressions ("last week")
    and year-less dates in a document that names no year need it.  ``split_ranges``
    reports the two ends of a range as separate expressions, as TIMEX2/TIMEX3 corpora
    annotate them; bilat itself wants the range as one interval.
    """
    require_unicode(text)
    cands = _with_modifiers(text, _select(_recognise(text)))
    cands = _merge_ranges(text, cands)
    return _Resolver(text, published, split_ranges).run(cands)


# -- recognition ------------------------------------------------------------------------


def _recognise(text: str) -> list[_Cand]:
    found: list[_Cand] = []
    for rule, match in find_matches(text):
        spec = rule.handler(match, text)
        if spec is None:
            continue
        if isinstance(spec, Cal | Rel | Deictic | Fixed):
            found.append(_Cand(match.start(), match.end(), spec))
        else:  # a range: the two ends' spans
            first, second = spec
            found.append(
                _Cand(
                    first[0],
                    second[1],
                    _Range(_Cand(first[0], first[1], first[2]), _Cand(*second)),
                )
            )
    return found


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest of overlapping candidates (earliest rule on ties), in text order.

    A candidate can only lose to one overlapping it, so the choice is made apart in each
    cluster of candidates that overlap one another, found in one sweep by start.  Making
    it over the whole document at once costs time quadratic in its length.
    """
    order = sorted(range(len(cands)), key=lambda i: cands[i].start)
    kept: list[_Cand] = []
    cluster: list[int] = []
    reach = 0
    for i in order:
        if cluster and cands[i].start >= reach:
            kept.extend(_settle(cands, cluster))
            cluster = []
        cluster.append(i)
        reach = max(reach, cands[i].end)
    kept.extend(_settle(cands, cluster))
    return kept


def _settle(cands: list[_Cand], cluster: list[int]) -> list[_Cand]:
    """The candidates kept out of one cluster: longest first, then earliest rule."""
    if len(cluster) == 1:
        return [cands[cluster[0]]]
    starts: list[int] = []
    kept: list[_Cand] = []
    for i in sorted(cluster, key=lambda i: (cands[i].start - cands[i].end, i)):
        cand = cands[i]
        pos = bisect_left(starts, cand.start)
        if pos > 0 and kept[pos - 1].end > cand.start:
            continue
        if pos < len(kept) and kept[pos].start < cand.end:
            continue
        starts.insert(pos, cand.start)
        kept.insert(pos, cand)
    return kept


def _with_modifiers(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Extend each span over the modifier words around it and record the modifier."""
    folded = fold_once(text)
    out: list[_Cand] = []
    for i, cand in enumerate(cands):
        floor = out[-1].end if out else 0
        ceiling = cands[i + 1].start if i + 1 < len(cands) else len(text)
        if isinstance(cand.spec, Fixed) and cand.spec.kind == "duration":
            out.append(cand)
            continue
        start, end = cand.start, cand.end
        inner = read_inner_modifier(folded, floor, start)
        if inner is not None:
            start, inner_mod = inner
        else:
            inner_mod = None
        suffix = read_suffix_modifier(text, end, ceiling)
        suffix_mod: Mod | None = None
        if suffix is not None:
            end, suffix_mod = suffix
        outer = read_outer_modifier(folded, floor, start)
        outer_mod: Mod | None = None
        if outer is not None:
            start, outer_mod = outer
        own = cand.spec.mod if isinstance(cand.spec, Cal | Rel) else None
        mod = own or inner_mod or suffix_mod or outer_mod
        out.append(_Cand(start, end, cand.spec, mod))
    return out


def _merge_ranges(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Join "A to B", "between A and B", "A–B" into one range candidate."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        first = cands[i]
        second = cands[i + 1] if i + 1 < len(cands) else None
        merged = _try_merge(text, out[-1].end if out else 0, first, second)
        if merged is None:
            out.append(first)
            i += 1
        else:
            out.append(merged)
            i += 2
    return out


def _try_merge(text: str, floor: int, first: _Cand, second: _Cand | None) -> _Cand | None:
    if second is None or second.start - first.end > _MAX_GAP:
        return None
    a, b = first.spec, second.spec
    if not (isinstance(a, Cal) and isinstance(b, Cal)) or a.bc or b.bc:
        return None
    if first.mod is not None and first.mod not in ("SINCE", "START", "MID", "END"):
        return None
    gap = text[first.end : second.start]
    # A range never spans lines: "2015\n- December 28" is a heading and a list item.
    connector = None if "\n" in gap else range_connector(gap)
    if connector is None:
        return None
    between = between_before(text, floor, first.start)
    if connector == "and":
        consecutive = (
            a.precision == b.precision == "year" and a.year is not None and b.year == a.year + 1
        )
        if between is None and not consecutive:
            return None
    if a.year is not None and b.year is not None and a.year > b.year:
        return None
    # Two year-less ends ("25 March to 26 March") share the year in force.
    if a.year is None and b.year is None and (a.month is None or b.month is None):
        return None
    start = first.start if between is None else between
    # "from" was read as the SINCE modifier of the first end; in a range it only opens it.
    inner_first = first._replace(mod=None) if first.mod == "SINCE" else first
    mod = second.mod if second.mod in ("APPROX",) else None
    return _Cand(start, second.end, _Range(inner_first, second), mod)


# -- resolution -------------------------------------------------------------------------


_HEADING = 60  # a line this short is a heading, whose year sets the narrative's
_SENTENCE_OPENING = re.compile(
    r"(?:^|[.!?:;]\s+|\n\s*)(?:(?:[A-Z]\w*|and|but)\s+){0,2}(?:the\s+)?\Z"
)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a bare year opens its sentence ("In 1944, ..."), so sets the narrative year.

    A year mentioned in passing ("a campaign planned for 1976") is usually a look ahead or
    back and must not become the year of the following "June 10".
    """
    if _SENTENCE_OPENING.search(text, max(0, start - 30), start) is not None:
        return True
    line_start = text.rfind("\n", max(0, start - _HEADING), start)
    line_end = text.find("\n", start, start + _HEADING)
    return (line_start != -1 or start < _HEADING) and line_end != -1  # a heading line


def _interval(cal: Cal, year: int) -> tuple[date, date] | None:
    """The whole-day interval of a calendar reading whose year is known."""
    try:
        if cal.precision == "day":
            assert cal.month is not None and cal.day is not None
            day = date(year, cal.month, cal.day)
            return day, day
        if cal.precision == "month":
            assert cal.month is not None
            return _month_interval(year, cal.month)
        if cal.precision in ("quarter", "half"):
            assert cal.part is not None
            size = 3 if cal.precision == "quarter" else 6
            first = _month_interval(year, size * (cal.part - 1) + 1)
            last = _month_interval(year, size * cal.part)
            return first[0], last[1]
        if cal.precision == "decade":
            return date(year, 1, 1), date(year + 9, 12, 31)
        if cal.precision == "century":
            first_year = (year - 1) * 100 + 1
            return date(max(first_year, 1), 1, 1), date(year * 100, 12, 31)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def _month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _value(precision: Precision, start: date, mod: Mod | None, century: int | None) -> str:
    """TIMEX3-style value of an interval read at ``precision``."""
    if precision == "day":
        return start.isoformat()
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if precision == "half":
        return f"{start.year:04d}-H{(start.month - 1) // 6 + 1}"
    if precision == "decade":
        return f"{start.year // 10:03d}"
    if precision == "century":
        return f"{(century or start.year // 100 + 1) - 1:02d}"
    if mod in _SEASON_CODE:
        return f"{start.year:04d}-{_SEASON_CODE[mod]}"
    return f"{start.year:04d}"


def _coarsen(day: date, precision: Precision) -> tuple[date, date]:
    if precision == "day":
        return day, day
    if precision == "month":
        return _month_interval(day.year, day.month)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _unit_precision(unit: Unit) -> Precision:
    return "day" if unit == "week" else "year" if unit == "decade" else unit


def _delta(unit: Unit, n: int) -> relativedelta:
    if unit == "day":
        return relativedelta(days=n)
    if unit == "week":
        return relativedelta(weeks=n)
    if unit == "month":
        return relativedelta(months=n)
    if unit == "year":
        return relativedelta(years=n)
    return relativedelta(years=10 * n)


class _Resolver:
    """Resolves candidates in text order, tracking the year in force and paragraph anchor."""

    def __init__(self, text: str, published: date | None, split_ranges: bool) -> None:
        self.text = text
        self.published = published
        self.split_ranges = split_ranges
        self.year_in_force: int | None = None
        self.narrative_year_set = False  # whether this paragraph has set the year itself
        self.anchor: EventDate | None = None
        self.scanned = 0

    def run(self, cands: list[_Cand]) -> list[TimeExpression]:
        out: list[TimeExpression] = []
        for cand in cands:
            if self.text.find("\n", self.scanned, cand.start) != -1:
                self.anchor = None
                self.narrative_year_set = False
            self.scanned = max(self.scanned, cand.start)
            out.extend(self._resolve(cand))
        return out

    def _expr(
        self, cand: _Cand, kind: TimexKind, date_: EventDate | None, value: str | None
    ) -> TimeExpression:
        if date_ is not None:
            self.anchor = date_
            single_year = date_.start.year == date_.end.year
            # Dates read off the publication date ("this Wednesday") do not set the
            # narrative's year: the next year-less month is read off it again.
            narrated = kind != "deictic"
            if narrated and single_year and _RANK[date_.precision] <= _RANK["year"]:
                strong = _RANK[date_.precision] < _RANK["year"] or _opens_sentence(
                    self.text, cand.start
                )
                # A year named in passing ("a campaign planned for 1976") is often a look
                # ahead or back: it sets the year only until the paragraph sets its own.
                if strong or not self.narrative_year_set:
                    self.year_in_force = date_.start.year
                self.narrative_year_set = self.narrative_year_set or strong
        return TimeExpression(
            self.text[cand.start : cand.end], cand.start, cand.end, kind, date_, value
        )

    def _make(
        self,
        cand: _Cand,
        bounds: tuple[date, date],
        precision: Precision,
        resolution: Resolution,
        value: str | None = None,
        century: int | None = None,
    ) -> EventDate:
        mod = cand.mod
        return EventDate(
            start=bounds[0],
            end=bounds[1],
            precision=precision,
            mod=mod,
            text=self.text[cand.start : cand.end],
            value=value or _value(precision, bounds[0], mod, century),
            resolution=resolution,
        )

    def _resolve(self, cand: _Cand) -> list[TimeExpression]:
        spec = cand.spec
        if isinstance(spec, _Range):
            return self._range(cand, spec)
        if isinstance(spec, Cal):
            kind, date_ = self._calendar(cand, spec, None)
            return [self._expr(cand, kind, date_, date_.value if date_ else spec.bc)]
        if isinstance(spec, Rel):
            date_ = self._relative(cand, spec)
            return [self._expr(cand, "relative", date_, date_.value if date_ else None)]
        if isinstance(spec, Deictic):
            date_ = self._deictic(cand, spec)
            value = date_.value if date_ else spec.unresolved
            return [self._expr(cand, "deictic", date_, value)]
        return [self._expr(cand, spec.kind, None, spec.value)]

    def _calendar(
        self, cand: _Cand, cal: Cal, year_hint: int | None
    ) -> tuple[TimexKind, EventDate | None]:
        if cal.bc is not None:
            return "absolute", None
        if cal.year is not None:
            bounds = _interval(cal, cal.year)
            if bounds is None:
                return "absolute", None
            return "absolute", self._make(
                cand,
                bounds,
                cal.precision,
                "explicit",
                century=cal.year if cal.precision == "century" else None,
            )
        if year_hint is not None:  # the other end of the same range names the year
            bounds = _interval(cal, year_hint)
            return "absolute", (
                None if bounds is None else self._make(cand, bounds, cal.precision, "explicit")
            )
        if self.year_in_force is not None:
            bounds = _interval(cal, self.year_in_force)
            return "relative", (
                None if bounds is None else self._make(cand, bounds, cal.precision, "relative")
            )
        if self.published is None:
            return "deictic", None
        bounds = _interval(cal, self.published.year)
        if bounds is not None and bounds[0] > self.published:
            bounds = _interval(cal, self.published.year - 1)
        if bounds is None:
            return "deictic", None
        return "deictic", self._make(cand, bounds, cal.precision, "published")

    def _range(self, cand: _Cand, rng: _Range) -> list[TimeExpression]:
        first, second = rng.first, rng.second
        a, b = first.spec, second.spec
        assert isinstance(a, Cal) and isinstance(b, Cal)
        _, b_date = self._calendar(second, b, None)
        hint = None
        if a.year is None and b_date is not None:
            hint = b_date.start.year
            if a.month is not None and b.month is not None and a.month > b.month:
                hint -= 1
        _, a_date = self._calendar(first, a, hint)
        if self.split_ranges:
            return [
                self._expr(
                    first,
                    "absolute" if a.year else "relative",
                    a_date,
                    a_date.value if a_date else None,
                ),
                self._expr(
                    second,
                    "absolute" if b.year else "relative",
                    b_date,
                    b_date.value if b_date else None,
                ),
            ]
        if a_date is None or b_date is None:
            return [self._expr(cand, "absolute", None, None)]
        precision = max(a_date.precision, b_date.precision, key=_RANK.__getitem__)
        resolution: Resolution = (
            "explicit"
            if a_date.resolution == b_date.resolution == "explicit"
            else b_date.resolution
            if b_date.resolution != "explicit"
            else a_date.resolution
        )
        date_ = EventDate(
            start=min(a_date.start, b_date.start),
            end=max(a_date.end, b_date.end),
            precision=precision,
            mod=cand.mod,
            text=self.text[cand.start : cand.end],
            value=f"{a_date.value}/{b_date.value}",
            resolution=resolution,
        )
        kind: TimexKind = "absolute" if resolution == "explicit" else "relative"
        return [self._expr(cand, kind, date_, date_.value)]

    def _relative(self, cand: _Cand, rel: Rel) -> EventDate | None:
        anchor = self.anchor
        if anchor is None:
            return None
        if rel.month is not None or rel.season is not None:
            if _RANK[anchor.precision] > _RANK["year"]:
                return None
            year = (anchor.end if rel.offset > 0 else anchor.start).year + rel.offset
            if rel.season is not None:
                return self._make(
                    cand._replace(mod=cand.mod or rel.season),
                    (date(year, 1, 1), date(year, 12, 31)),
                    "year",
                    "relative",
                )
            cal = Cal("day" if rel.day is not None else "month", year, rel.month, rel.day)
            bounds = _interval(cal, year)
            return None if bounds is None else self._make(cand, bounds, cal.precision, "relative")
        target = _unit_precision(rel.unit)
        if rel.vague:
            coarser: dict[Unit, Precision | None] = {
                "day": "month",
                "week": "month",
                "month": "year",
                "year": None,
                "decade": None,
            }
            wanted = coarser[rel.unit]
            if _RANK[anchor.precision] >= _RANK[rel.unit] and (
                wanted is None or _RANK[anchor.precision] >= _RANK[wanted]
            ):
                return self._keep(cand, anchor)
            if wanted is None:
                return None
            base = anchor.end if rel.offset > 0 else anchor.start
            return self._make(cand, _coarsen(base, wanted), wanted, "relative")
        if _RANK[rel.unit] < _RANK[anchor.precision]:
            return self._keep(cand, anchor)
        base = anchor.end if rel.offset > 0 else anchor.start
        try:
            moved = base + _delta(rel.unit, rel.offset)
        except (OverflowError, ValueError):
            return None
        if not date.min < moved < date.max:
            return None
        return self._make(cand, _coarsen(moved, target), target, "relative")

    def _keep(self, cand: _Cand, anchor: EventDate) -> EventDate:
        return EventDate(
            start=anchor.start,
            end=anchor.end,
            precision=anchor.precision,
            mod=cand.mod,
            text=self.text[cand.start : cand.end],
            value=anchor.value,
            resolution="relative",
        )

    def _deictic(self, cand: _Cand, dei: Deictic) -> EventDate | None:
        today = self.published
        if today is None:
            return None
        try:
            if dei.weekday is not None:
                return self._weekday(cand, today, dei)
            if dei.unit == "week":
                monday = today - timedelta(days=today.weekday()) + timedelta(weeks=dei.offset)
                iso = monday.isocalendar()
                return self._make(
                    cand,
                    (monday, monday + timedelta(days=6)),
                    "day",
                    "published",
                    value=f"{iso.year:04d}-W{iso.week:02d}",
                )
            if dei.vague:
                wanted: Precision = "month" if dei.unit in ("day", "week") else "year"
                if dei.unit in ("year", "decade"):
                    return None
                moved = today + _delta(dei.unit, dei.offset)
                return self._make(cand, _coarsen(moved, wanted), wanted, "published")
            moved = today + _delta(dei.unit, dei.offset)
        except (OverflowError, ValueError):
            return None
        if dei.season is not None:
            return self._make(
                cand._replace(mod=cand.mod or dei.season),
                (date(moved.year, 1, 1), date(moved.year, 12, 31)),
                "year",
                "published",
            )
        target = _unit_precision(dei.unit)
        return self._make(cand, _coarsen(moved, target), target, "published")

    def _weekday(self, cand: _Cand, today: date, dei: Deictic) -> EventDate:
        weekday, offset = dei.weekday or 0, dei.offset
        if dei.same_week:
            day = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
        elif offset > 0:
            day = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        elif offset < 0:
            day = today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
        else:
            day = today - timedelta(days=(today.weekday() - weekday) % 7)
        return self._make(cand, (day, day), "day", "published")
