"""The main text of a saved web page, with its title and publication date (the ``html`` extra).

A page saved from a browser is mostly navigation, menus, footers, scripts and
styles; only its article is a document. trafilatura finds that article and
reads the page's metadata (``<title>``, Open Graph and schema.org tags,
``<time>`` elements), so bilat does not guess at markup itself. The text it
returns is what bilat extracts from, and what ``bilat text`` prints: events'
offsets point into it, not into the HTML.

Publication date: only the page's own metadata counts (htmldate's header
search, ``original_date`` so a later "updated" stamp does not win); the
extensive search of free text is off, because a date in a paragraph is an
event's date, not the page's.

Limits: a page larger than :data:`MAX_HTML_BYTES` is refused before parsing —
trafilatura needs 2 to 5 s per megabyte on the benchmark machine, so the
limit bounds a run's time and memory (the parsed tree is several times the
file's size).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date

from bilat.errors import InputError

__all__ = ["MAX_HTML_BYTES", "MIN_MAIN_WORDS", "HtmlText", "read_html"]

MAX_HTML_BYTES = 8 * 1024 * 1024
"""Largest HTML file bilat parses (8 MiB); bigger pages are refused with a hint."""

MIN_MAIN_WORDS = 10
"""Fewer words than this in the extracted text means the page has no main text (a menu)."""

_EXTRA_HINT = "install the HTML reader: pip install 'bilat[html]'"
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


@dataclass(frozen=True, slots=True)
class HtmlText:
    """What a page yields: its main text, and its title and date when its metadata has them."""

    text: str
    title: str | None
    published: date | None


def read_html(raw: bytes, path: str) -> HtmlText:
    """The main text of the page in ``raw``; raises :class:`InputError` naming ``path``."""
    if len(raw) > MAX_HTML_BYTES:
        raise InputError(
            f"{path}: HTML page of {len(raw) / 1024 / 1024:.1f} MiB, larger than the "
            f"{MAX_HTML_BYTES // 1024 // 1024} MiB bilat reads; skipped",
            hint="save only the article (e.g. the browser's reader view, or `bilat text` on a "
            "trimmed copy) or copy its text into a .txt file",
        )
    try:
        import trafilatura
    except ImportError:
        raise InputError(
            f"{path}: HTML pages need the optional 'html' extra; skipped", hint=_EXTRA_HINT
        ) from None
    try:
        with warnings.catch_warnings():  # the libraries' complaints about a page are not ours
            warnings.simplefilter("ignore")
            page = trafilatura.bare_extraction(
                raw,
                with_metadata=True,
                include_comments=False,
                include_images=False,
                include_links=False,
                date_extraction_params=dict(_DATE_PARAMS),
            )
    except RecursionError:  # markup nested beyond what lxml's tree walkers can follow
        raise _no_main_text(path, "its markup is nested too deeply") from None
    text = "" if page is None or isinstance(page, dict) else (page.text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text.split()) < MIN_MAIN_WORDS:
        raise _no_main_text(path, "only menus, links or scripts were found")
    assert page is not None and not isinstance(page, dict)
    return HtmlText(text=text, title=(page.title or "").strip() or None, published=_day(page.date))


def _no_main_text(path: str, why: str) -> InputError:
    return InputError(
        f"{path}: no main text in this HTML page ({why}); skipped",
        hint="if the page is drawn by JavaScript, save it from the browser once it has loaded, "
        "or paste its text into a .txt file",
    )


def _day(value: str | None) -> date | None:
    """The metadata date as a day; anything else is ignored rather than guessed at."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
