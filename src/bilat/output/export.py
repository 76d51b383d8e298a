"""Timelines for other tools and for people: HTML page, TimelineJS, iCalendar, Markdown, CSV.

Each format is built from a plain ``list[Event]`` (already filtered and
ordered by :func:`bilat.query.timeline`) and returned as one string, so the
CLI decides where it goes and writes it atomically with :func:`write_atomic`.

Document text is hostile until proven otherwise. Every format escapes it for
its own syntax: the HTML page carries events only as JSON inside a
``<script type="application/json">`` block with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped, and its script builds the DOM with
``textContent``; a Content-Security-Policy with the hashes of the page's own
script and style forbids anything else from running or loading. TimelineJS
renders its ``text`` fields as HTML, so they are HTML-escaped; iCalendar TEXT
values are escaped per RFC 5545; Markdown and CSV reuse :mod:`bilat.output.render`'s
escaping (no markup, no spreadsheet formulas).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from bilat import __version__
from bilat.errors import BilatError
from bilat.models import EVENT_TYPES, Event, EventDate
from bilat.output.chart import TYPE_COLOURS
from bilat.output.formats import ExportFormat, Format, plural
from bilat.output.render import date_label, markdown_safe, period_heading, write_events
from bilat.store.atomic import write_text_atomic


def relations_title(names: Sequence[str]) -> str:
    """The Wikipedia-style page title: "Timeline of China–Russia relations"."""
    if not names:
        return "Timeline of international relations"
    return f"Timeline of {'–'.join(names)} relations"


def summary_line(events: Sequence[Event]) -> str:
    """One line saying what a timeline holds: "42 events, 1949–2023, from 3 documents"."""
    if not events:
        return "no events"
    # Periods as people say them: "16th century–2025", not "1501–2100".
    first = period_heading(min(events, key=Event.sort_key).date)
    last = period_heading(max(events, key=lambda event: event.date.start).date)
    span = first if first == last else f"{first}–{last}"
    documents = len({event.source.doc for event in events})
    return f"{plural(len(events), 'event')}, {span}, from {plural(documents, 'document')}"


def export_events(
    events: Sequence[Event], fmt: ExportFormat, *, title: str, stamp: datetime
) -> str:
    """``events`` in ``fmt``; ``stamp`` is the iCalendar DTSTAMP (ignored by other formats).

    The stamp is an argument, not "now", so that the same events give the
    same file; the CLI takes it from ``SOURCE_DATE_EPOCH`` when set.
    """
    if fmt is ExportFormat.html:
        return to_html(events, title=title)
    if fmt is ExportFormat.timelinejs:
        return json.dumps(to_timelinejs(events, title=title), ensure_ascii=False, indent=2) + "\n"
    if fmt is ExportFormat.ics:
        return to_ics(events, title=title, stamp=stamp)
    if fmt is ExportFormat.markdown:
        return to_markdown(events, title=title)
    return to_csv(events)


# -- TimelineJS ---------------------------------------------------------------------------------

_MONTH_PRECISIONS = frozenset({"month", "quarter", "half", "season"})


def _timelinejs_date(day: date, precision: str) -> dict[str, int]:
    """A TimelineJS date object with only the parts the precision vouches for."""
    parts = {"year": day.year}
    if precision == "day" or precision in _MONTH_PRECISIONS:
        parts["month"] = day.month
    if precision == "day":
        parts["day"] = day.day
    return parts


def to_timelinejs(events: Sequence[Event], *, title: str) -> dict[str, Any]:
    """The Knight Lab TimelineJS JSON object: a title slide and one slide per event.

    A year-only date gives ``{"year": 2001}``, a month-only one adds the month,
    decades and centuries become start and end years. TimelineJS renders
    ``headline`` and ``text`` as HTML, so both are escaped here, and autolink is
    off so that nothing in a document becomes a link.
    """
    slides: list[dict[str, Any]] = []
    for event in events:
        when = event.date
        start = _timelinejs_date(when.start, when.precision)
        end = _timelinejs_date(when.end, when.precision)
        slide: dict[str, Any] = {"start_date": start}
        if end != start:
            slide["end_date"] = end
        slide["display_date"] = _h(date_label(when))
        slide["text"] = {"headline": _h(event.title), "text": _timelinejs_body(event)}
        slide["group"] = event.type
        slide["unique_id"] = event.id
        slide["autolink"] = False
        slides.append(slide)
    return {
        "title": {"text": {"headline": _h(title), "text": _h(summary_line(events))}},
        "events": slides,
    }


def _timelinejs_body(event: Event) -> str:
    lines = [f"<p>{_h(event.source.sentence)}</p>"]
    details = [("Countries", ", ".join(event.countries))]
    if event.actors:
        details.append(("Actors", "; ".join(actor.name for actor in event.actors)))
    if event.amount is not None:
        details.append(("Amount", amount_label(event)))
    details.append(("Source", f"{event.source.doc}, characters {_span(event)}"))
    lines += [f"<p><b>{name}:</b> {_h(value)}</p>" for name, value in details]
    return "".join(lines)


# -- iCalendar (RFC 5545) -----------------------------------------------------------------------

_ICS_TEXT_SPECIAL = re.compile(r"(?P<char>[\\;,])")
_ICS_NEWLINE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks, Unicode's too: a parser splitting lines at U+2028 must not see a new line."""
_ICS_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ICS_LINE_OCTETS = 75


def ics_text(value: str) -> str:
    """A TEXT property value (RFC 5545 3.3.11): ``\\``, ``;``, ``,`` and newlines escaped.

    Control characters other than newlines are not allowed in TEXT and become spaces.
    """
    escaped = _ICS_TEXT_SPECIAL.sub(r"\\\g<char>", value)
    return _ICS_CONTROLS.sub(" ", _ICS_NEWLINE.sub(r"\\n", escaped))


def fold_line(line: str) -> str:
    """``line`` folded into CRLF-terminated lines of at most 75 octets (RFC 5545 3.1).

    Continuation lines start with a space; a UTF-8 sequence is never split.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = _ICS_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, _ICS_LINE_OCTETS - 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks) + "\r\n"


def to_ics(events: Sequence[Event], *, title: str, stamp: datetime) -> str:
    """An iCalendar file of all-day events spanning each event's whole date interval.

    DTEND is exclusive (the day after the last day), so a year-precision event
    covers its year and a day event its day. The UID is the event id, stable
    across exports, so re-importing updates rather than duplicates.
    """
    stamp_text = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//bilat//bilat {__version__}//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_text(title)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.id}@bilat",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{_ics_date(event.date.start)}",
            f"DTEND;VALUE=DATE:{_ics_date(_day_after(event.date.end))}",
            f"SUMMARY:{ics_text(event.title)}",
            f"DESCRIPTION:{ics_text(_plain_description(event))}",
            f"CATEGORIES:{ics_text(event.type)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) for line in lines)


def _day_after(day: date) -> date:
    return day if day == date.max else day + timedelta(days=1)


def _plain_description(event: Event) -> str:
    parts = [f"{date_label(event.date)} ({event.type})", event.source.sentence]
    if event.actors:
        parts.append("Actors: " + "; ".join(actor.name for actor in event.actors))
    if event.amount is not None:
        parts.append(f"Amount: {amount_label(event)}")
    parts.append(f"Source: {event.source.doc}, characters {_span(event)}")
    return "\n".join(parts)


# -- Markdown and CSV ---------------------------------------------------------------------------


def to_markdown(events: Sequence[Event], *, title: str) -> str:
    """A Wikipedia-style "Timeline of A–B relations": a heading per year, a bullet per event."""
    out = io.StringIO()
    out.write(f"# {markdown_safe(title)}\n\n")
    if events:
        out.write(f"{summary_line(events)}.\n\n")
        write_events(events, Format.markdown, out)
    else:
        out.write("No events.\n")
    return out.getvalue()


def to_csv(events: Sequence[Event]) -> str:
    """The same CSV as ``bilat timeline --format csv`` (cells safe from formula injection)."""
    out = io.StringIO()
    write_events(events, Format.csv, out)
    return out.getvalue()


# -- the HTML page ------------------------------------------------------------------------------

_TEMPLATE = "timeline.html"
_PLACEHOLDER = re.compile(r"\{\{(?P<name>[A-Z_]+)\}\}")
_INLINE_BLOCK = re.compile(r"<(?P<tag>script|style)>(?P<body>.*?)</(?P=tag)>", re.DOTALL)
_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: object) -> str:
    """JSON that can sit inside ``<script type="application/json">`` and stay data.

    Escaping ``<`` means no ``</script>`` or ``<!--`` can end or change the
    block; ``>``, ``&`` and U+2028/U+2029 are escaped too so the text is also
    safe to paste into a JavaScript string or an HTML attribute.
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def html_payload(events: Sequence[Event], *, title: str) -> dict[str, Any]:
    """What the page's script reads: the events, flattened for display, and the types legend."""
    counts = {name: 0 for name in EVENT_TYPES}
    for event in events:
        counts[event.type] += 1
    return {
        "title": title,
        "summary": summary_line(events),
        "generator": f"bilat {__version__}",
        "types": [
            {"name": name, "colour": TYPE_COLOURS[name], "count": counts[name]}
            for name in EVENT_TYPES
        ],
        "events": [_html_event(event) for event in events],
    }


def _html_event(event: Event) -> dict[str, Any]:
    when: EventDate = event.date
    written = f"“{when.text}”" + (f", {when.resolution}" if when.resolution != "explicit" else "")
    return {
        "id": event.id,
        "type": event.type,
        "title": event.title,
        "when": date_label(when),
        "period": period_heading(when),
        "start": when.start.isoformat(),
        "end": when.end.isoformat(),
        "precision": when.precision,
        "written": written,
        "countries": list(event.countries),
        "actors": [actor.name for actor in event.actors],
        "amount": amount_label(event) if event.amount is not None else None,
        "doc": event.source.doc,
        "span": _span(event),
        "sentence": event.source.sentence,
        "confidence": round(event.confidence, 2),
    }


def to_html(events: Sequence[Event], *, title: str) -> str:
    """One self-contained page: no network, the data inline, filters and details offline."""
    template = resources.files("bilat.output").joinpath(_TEMPLATE).read_text(encoding="utf-8")
    values = {
        "CSP": _content_security_policy(template),
        "TITLE": html.escape(title, quote=True),
        "SUMMARY": html.escape(summary_line(events), quote=True),
        "DATA": script_json(html_payload(events, title=title)),
    }
    # One pass: a substituted value is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda match: values[match["name"]], template)


def _content_security_policy(template: str) -> str:
    """Allow exactly the page's own inline script and style, and no loads from anywhere.

    The template's ``<script>`` and ``<style>`` bodies hold no placeholders, so
    their hashes are those of the final page; the data block has a ``type``
    attribute, is never executed, and needs no hash.
    """
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for match in _INLINE_BLOCK.finditer(template):
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes[match["tag"]].append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    if not hashes["script"] or not hashes["style"]:
        raise BilatError("the HTML template has lost its inline <script> or <style>")
    return (
        "default-src 'none'; "
        f"script-src {' '.join(hashes['script'])}; "
        f"style-src {' '.join(hashes['style'])}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


# -- shared bits ----------------------------------------------------------------------------------


def amount_label(event: Event) -> str:
    """The amount as written, with its value in units: "$400 billion (400,000,000,000 USD)"."""
    amount = event.amount
    if amount is None:
        return ""
    return f"{amount.text} ({amount.value:,.0f} {amount.currency})"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half.

    Raises :class:`BilatError` naming the path when the directory cannot be written.
    """
    try:
        write_text_atomic(path, text)
    except OSError as error:
        raise BilatError(
            f"cannot write {path}: {error.strerror or error}",
            hint="check that the directory exists and is writable",
        ) from None


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _span(event: Event) -> str:
    """The sentence's characters in the extracted text, and its page when read from a PDF."""
    page = "" if event.source.page is None else f", page {event.source.page}"
    return f"{event.source.start}–{event.source.end}{page}"


def _ics_date(day: date) -> str:
    """YYYYMMDD with a four-digit year: strftime does not pad years before 1000."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
