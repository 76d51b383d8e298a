"""Reading input documents safely: formats, encodings, binary files, front matter, directories.

Formats: plain text (below), saved web pages (:mod:`bilat.extract.html_reader`,
the ``html`` extra) and PDF (:mod:`bilat.extract.pdf_reader`, the ``pdf``
extra). The content decides the format, not the name: a file that starts
with ``%PDF-`` is a PDF and one that starts with ``<!DOCTYPE html>`` or
``<html>`` (after comments, an XML declaration or a BOM) is a page, whatever
they are called when the name promises nothing else (``.txt``, no
extension, ``--name stdin``), so a page saved as ``notes.txt`` is read as a
page. A name that promises PDF or HTML for other content is refused: a
``report.pdf`` holding an HTML error page is a failed download, not a
report. For pages and PDFs, :attr:`Document.text` is the text the reader
extracted — offsets refer to it, ``bilat text FILE`` prints it — and
:attr:`Document.sha256` is still the digest of the original file's bytes.

The rest of this docstring is about plain text.

Offsets everywhere in bilat (sentences, events' ``source.start``/``end``)
are offsets into :attr:`Document.text`, the *decoded* text. Two things make
that text differ from the bytes on disk, and only these two:

* a byte-order mark is not part of the text (UTF-8, UTF-16 and UTF-32 BOMs
  are dropped by decoding);
* line endings are normalised: ``"\\r\\n"`` and a lone ``"\\r"`` both become
  ``"\\n"``, so a document reads the same whatever system wrote it.

Nothing else is stripped or rewritten: markup, odd punctuation, control
sequences and text that looks like instructions are all kept as data.

Encodings: UTF-8 (with or without BOM) is read as is; UTF-16/32 with a BOM
(or UTF-16 recognisable by its NUL pattern) is decoded. Anything else is
handed to charset-normalizer and accepted only when it is confidently one of
a list of real text encodings; ties between Western code pages go to
cp1252, the most common non-UTF-8 encoding of English text. Otherwise the
file is refused with the ``iconv`` command that converts it. Text that is
UTF-8 but for a few bad byte sequences (at most :data:`_MAX_BAD_UTF8`, beside
at least one valid multi-byte character), or UTF-8 cut in the middle of its
last character, stays UTF-8: each bad sequence becomes U+FFFD and
:attr:`Document.notes` says how many and where.

Publication date: a document may start with a front-matter block::

    ---
    published: 2026-01-28
    title: Optional title
    ---

``published`` must be ``YYYY-MM-DD``. The block is blanked in
:attr:`Document.text` — every character except newlines becomes a space —
so offsets into the text remain offsets into the file. A ``published``
argument (the CLI's ``--published``) overrides the front matter, which is
then not consulted for the date at all.

Without either, a date line near the top of the document is taken as its
publication date, as news pages print it: a short line among the first few
that holds nothing but one full date, optionally labelled and timed
("Published: 12 February 2026", "Feb 12, 2026 10:41 GMT", "2026-02-12").
A date inside prose ("On 23 December 1992, Yeltsin ...") never counts.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from bilat.errors import InputError
from bilat.extract.html_reader import read_html
from bilat.extract.pdf_reader import read_pdf
from bilat.extract.text import document_title
from bilat.models import DocumentFormat

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_STREAM_BYTES",
    "TEXT_SUFFIXES",
    "Document",
    "InputProblem",
    "collect_documents",
    "dateline",
    "parse_document",
    "read_document",
    "read_stream",
    "sniff_format",
]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ""})
"""File name endings of plain-text documents (``""``: no extension)."""
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
"""File name endings that directory expansion treats as documents."""

MAX_STREAM_BYTES = 64 * 1024 * 1024
"""Most bytes read from standard input (64 MiB, the size of the largest PDF bilat opens)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input document; ``path`` is what events cite as ``source.doc``.

    ``page_starts`` holds the offset in :attr:`text` where each page begins
    (PDF only; empty for other formats).
    """

    path: str
    text: str
    sha256: str
    published: date | None
    title: str
    format: DocumentFormat = "text"
    page_starts: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    """What reading changed, for the user to hear (bytes replaced by U+FFFD)."""

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for a document without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A path that was skipped, with what was wrong and what to do about it."""

    path: str
    message: str


# --- decoding ----------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Encodings accepted from detection: real text encodings, not EBCDIC or exotic DOS pages.
_TEXT_ENCODINGS = frozenset(
    {f"cp125{i}" for i in range(9)}
    | {f"iso8859_{i}" for i in range(2, 17)}
    | {
        "latin_1",
        "koi8_r",
        "koi8_u",
        "mac_roman",
        "gb18030",
        "gb2312",
        "gbk",
        "big5",
        "big5hkscs",
        "shift_jis",
        "cp932",
        "euc_jp",
        "euc_kr",
        "cp949",
        "cp874",
        "tis_620",
    }
)
_LATIN_ENCODINGS = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "mac_roman"}
    | {f"iso8859_{i}" for i in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)
_MAX_CHAOS = 5.0
"""Highest charset-normalizer "chaos" percentage still taken as a confident detection."""
_MAX_CONTROL_RATIO = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
_ICONV_NAMES = {
    "latin_1": "ISO-8859-1",
    "mac_roman": "MACINTOSH",
    "utf_16_le": "UTF-16LE",
    "utf_16_be": "UTF-16BE",
    "utf_32_le": "UTF-32LE",
    "utf_32_be": "UTF-32BE",
}


def _iconv_name(encoding: str) -> str:
    """The name ``iconv`` knows an encoding by (Python ``iso8859_15`` is ``ISO-8859-15``)."""
    if encoding in _ICONV_NAMES:
        return _ICONV_NAMES[encoding]
    if encoding.startswith("iso8859_"):
        return "ISO-8859-" + encoding.removeprefix("iso8859_")
    return encoding.upper().replace("_", "-")


def _binary(path: str, why: str) -> InputError:
    return InputError(
        f"{path}: binary file ({why}); skipped",
        hint="bilat reads plain text, HTML pages and PDFs; convert other formats to text first "
        "(e.g. pandoc -t plain)",
    )


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text with no BOM, recognised by NUL bytes all on one side of each pair."""
    if len(raw) % 2:
        return None
    pairs = len(raw) // 2
    even_nuls, odd_nuls = raw[0::2].count(0), raw[1::2].count(0)
    if even_nuls == 0 and odd_nuls >= pairs // 2:
        codec = "utf-16-le"
    elif odd_nuls == 0 and even_nuls >= pairs // 2:
        codec = "utf-16-be"
    else:
        return None
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def _detect(raw: bytes, path: str) -> str:
    """Decode non-UTF-8 bytes when charset-normalizer is confident, else explain the fix."""
    results = charset_normalizer.from_bytes(raw)
    good = [
        m.encoding
        for m in results
        if m.encoding in _TEXT_ENCODINGS and m.percent_chaos <= _MAX_CHAOS
    ]
    if good:
        encoding = good[0]
        if "cp1252" in good:
            encoding = "cp1252"
        elif encoding in _LATIN_ENCODINGS:
            try:
                if raw.decode("cp1252") == raw.decode(encoding):
                    encoding = "cp1252"  # identical here; name the common code page
            except UnicodeDecodeError:
                pass
        return raw.decode(encoding)
    best = results.best()
    if best is None:
        raise InputError(
            f"{path}: not UTF-8 text, and its encoding could not be recognised; skipped",
            hint="convert it to UTF-8 first, e.g. iconv -f <encoding> -t UTF-8",
        )
    name = _iconv_name(best.encoding)
    raise InputError(
        f"{path}: not UTF-8 text (looks like {name}); skipped",
        hint=f"convert it with iconv -f {name} -t UTF-8",
    )


def _decode(raw: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """Bytes to text and notes, by the rules in the module docstring; raises :class:`InputError`."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _mostly_text(raw.decode(codec), path), ()
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{path}: starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (byte {error.start})",
                    hint=f"re-save it as UTF-8, e.g. iconv -f {codec.upper()} -t UTF-8",
                ) from None
    if b"\x00" in raw:
        text = _utf16_without_bom(raw)
        if text is None:
            raise _binary(path, "NUL bytes")
        return _mostly_text(text, path), ()
    # Bytes below 0x20 never occur inside multi-byte UTF-8 or legacy text characters, so
    # counting them on the raw bytes is exact for every encoding that can reach this point.
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_RATIO * len(raw):
        raise _binary(path, "control characters")
    try:
        return raw.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(raw)
    if mostly is not None:
        text, offsets = mostly
        return text, (_replacement_note(raw, offsets),)
    return _detect(raw, path), ()


_MAX_BAD_UTF8 = 8
"""More bad sequences than this and a file is another encoding, not damaged UTF-8."""


def _bad_utf8(raw: bytes) -> list[tuple[int, bool]] | None:
    """Byte offsets of invalid UTF-8 sequences (and whether each is a cut at the end).

    ``None`` when there are more than :data:`_MAX_BAD_UTF8`; the scan stops there,
    so its cost is bounded by that many passes over the bytes.
    """
    bad: list[tuple[int, bool]] = []
    position = 0
    while len(bad) <= _MAX_BAD_UTF8:
        try:
            raw[position:].decode("utf-8")
        except UnicodeDecodeError as error:
            cut = error.reason == "unexpected end of data"
            bad.append((position + error.start, cut))
            position += error.end
        else:
            return bad
    return None


def _mostly_utf8(raw: bytes) -> tuple[str, list[int]] | None:
    """Text and bad offsets for damaged UTF-8, ``None`` for another encoding.

    UTF-8 it is when the bad sequences are few and the rest holds a valid multi-byte
    character (a cp1252 file has none), or the only one is a character cut off at
    the end of the file.
    """
    bad = _bad_utf8(raw)
    if not bad:
        return None
    text = raw.decode("utf-8", errors="replace")
    multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - text.count("\ufffd")
    if multibyte > 0 or (len(bad) == 1 and bad[0][1]):
        return text, [offset for offset, _ in bad]
    return None


def _replacement_note(raw: bytes, offsets: list[int]) -> str:
    """``2 invalid UTF-8 byte sequences replaced by U+FFFD: line 3 (byte 120), ...``"""
    lines = [raw.count(b"\n", 0, offset) + 1 for offset in offsets]
    where = ", ".join(
        f"line {line} (byte {offset})" for line, offset in zip(lines, offsets, strict=True)
    )
    count = len(offsets)
    return (
        f"{count} invalid UTF-8 byte sequence{'s' if count > 1 else ''} replaced by U+FFFD: {where}"
    )


def _mostly_text(text: str, path: str) -> str:
    """Refuse decoded text that is mostly control characters (binary that decoded by luck)."""
    controls = sum(1 for _ in _CONTROL.finditer(text))
    if controls > _MAX_CONTROL_RATIO * len(text):
        raise _binary(path, "control characters")
    return text


# --- front matter ------------------------------------------------------------------------

_FRONT_MATTER_MAX_LINES = 64
_FRONT_MATTER_FIELD = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,40})[ \t]*:[ \t]*(?P<value>.*)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class _FrontMatter:
    end: int  # offset just after the closing delimiter line's newline (or end of text)
    published: tuple[str, int] | None  # value and 1-based line number
    title: str | None


def _front_matter(text: str) -> _FrontMatter | None:
    """The leading ``---`` ... ``---`` block, if the text starts with a closed one."""
    lines = text.split("\n", _FRONT_MATTER_MAX_LINES + 1)
    if not lines or lines[0].rstrip() != "---":
        return None
    published: tuple[str, int] | None = None
    title: str | None = None
    offset = len(lines[0]) + 1
    for number, line in enumerate(lines[1 : _FRONT_MATTER_MAX_LINES + 1], start=2):
        offset += len(line) + 1
        if line.rstrip() in ("---", "..."):
            return _FrontMatter(min(offset, len(text)), published, title)
        m = _FRONT_MATTER_FIELD.fullmatch(line.strip())
        if m is None:
            continue
        key, value = m.group("key").lower(), _unquote(m.group("value").strip())
        if key == "published":
            published = (value, number)
        elif key == "title" and value:
            title = value
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _parse_published(value: str, line: int, path: str) -> date:
    error = InputError(
        f"{path}, line {line}: published date {value!r} is not a date in the form YYYY-MM-DD",
        hint="write it as e.g. `published: 2026-01-28`, or pass --published YYYY-MM-DD",
    )
    if _ISO_DATE.fullmatch(value) is None:
        raise error
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise error from None


def _blank(text: str, end: int) -> str:
    """Replace ``text[:end]`` by spaces, newlines kept, so later offsets do not move."""
    head = "".join("\n" if c == "\n" else " " for c in text[:end])
    return head + text[end:]


# --- public API --------------------------------------------------------------------------


def read_document(path: Path | str, *, published: date | None = None) -> Document:
    """Read, decode and check one document; raises :class:`bilat.errors.InputError`."""
    shown = Path(path).as_posix()
    if Path(path).exists() and not Path(path).is_file() and not Path(path).is_dir():
        raise InputError(  # a FIFO or device would block or never end
            f"{shown}: not a regular file; skipped", hint="pass a text file or a directory"
        )
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"{shown}: no such file", hint="check the path; directories are searched too"
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"{shown}: is a directory", hint="pass it to `bilat extract`, which expands it"
        ) from None
    except OSError as error:
        raise InputError(
            f"{shown}: cannot be read ({error.strerror or error})",
            hint="check the file's permissions",
        ) from None
    return parse_document(raw, shown, published=published)


def read_stream(stream: BinaryIO, name: str, *, published: date | None = None) -> Document:
    """A document read from ``stream`` (standard input), cited as ``name``.

    At most :data:`MAX_STREAM_BYTES` are accepted; the name's extension counts
    as a file's would (``--name page.html``), the content still decides.
    """
    raw = stream.read(MAX_STREAM_BYTES + 1)
    if len(raw) > MAX_STREAM_BYTES:
        raise InputError(
            f"{name}: more than {MAX_STREAM_BYTES // 1024 // 1024} MiB on standard input; skipped",
            hint="save it to a file and pass the file, or split it",
        )
    return parse_document(raw, name, published=published)


_LEADING_NOISE = re.compile(
    rb"(?:\xef\xbb\xbf|\s+|<\?xml[^>]{0,200}\?>|<!--.{0,2000}?-->)*", re.DOTALL
)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_SNIFF_BYTES = 4096


def sniff_format(raw: bytes, name: str) -> DocumentFormat:
    """The format of ``raw`` by its content, checked against the extension of ``name``.

    Raises :class:`InputError` when the name promises PDF or HTML and the
    content is something else.
    """
    head = raw[:_SNIFF_BYTES]
    lead = _LEADING_NOISE.match(head)
    rest = head[lead.end() if lead else 0 :]
    found: DocumentFormat = "text"
    if b"%PDF-" in head[:1024]:
        found = "pdf"
    elif _HTML_START.match(rest):
        found = "html"
    suffix = Path(name).suffix.lower()
    promised: DocumentFormat | None = (
        "pdf" if suffix in PDF_SUFFIXES else "html" if suffix in HTML_SUFFIXES else None
    )
    if promised == "html" and found == "text" and rest.startswith(b"<"):
        return "html"  # a fragment saved as a page: markup without <html>
    if promised is None or promised == found:
        return found
    kinds = {"pdf": "a PDF", "html": "an HTML page", "text": "plain text or something else"}
    raise InputError(
        f"{name}: named {suffix} but is not {kinds[promised]} (it looks like {kinds[found]}); "
        "skipped",
        hint="check the download (an error page saved under the document's name?), or "
        "rename the file to what it holds",
    )


def parse_document(raw: bytes, name: str, *, published: date | None = None) -> Document:
    """A document from the bytes of a file (or stream) cited as ``name``.

    ``published`` (the CLI's ``--published``) wins over front matter and page
    metadata; without either, a date line near the top is used.
    """
    fmt = sniff_format(raw, name)
    title: str | None = None
    page_starts: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    if fmt == "pdf":
        pdf = read_pdf(raw, name)
        text, page_starts = pdf.text, pdf.page_starts
    elif fmt == "html":
        page = read_html(raw, name)
        text, title = page.text, page.title
        published = published or page.published
    else:
        text, decoding = _decode(raw, name)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes = tuple(f"{name}: {note}" for note in decoding)
        front = _front_matter(text)
        if front is not None:
            text = _blank(text, front.end)
            title = front.title
            if published is None and front.published is not None:
                value, line = front.published
                published = _parse_published(value, line, name)
    if not text.strip():
        raise InputError(f"{name}: empty document; skipped", hint="the file has no text")
    if published is None:
        published = dateline(text)
    return Document(
        path=name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        published=published,
        title=title or document_title(text),
        format=fmt,
        page_starts=page_starts,
        notes=notes,
    )


_DATELINE_LABEL = re.compile(
    r"^\s*(?:(?:first |last )?(?:published|updated|posted|date[d]?)(?: on)?\s*:?\s*)?",
    re.IGNORECASE,
)
_DATELINE_TIME = re.compile(
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?)?\s*$",
    re.IGNORECASE,
)
_DATELINE_LINES = 8
_DATELINE_WIDTH = 60


def dateline(text: str) -> date | None:
    """The publication date a news page prints near its top, or None.

    Only a short line among the first few non-empty ones qualifies, and only
    when, label and time of day aside, it is one full date and nothing else.
    """
    from bilat.extract.timex import find_time_expressions

    lines = [line for line in text.split("\n", 40)[:40] if line.strip()][:_DATELINE_LINES]
    for line in lines:
        if len(line.strip()) > _DATELINE_WIDTH:
            continue
        core = _DATELINE_TIME.sub("", _DATELINE_LABEL.sub("", line)).strip(" .,|-–—")
        if not core:
            continue
        found = find_time_expressions(core)
        if len(found) != 1:
            continue
        (only,) = found
        day = only.date
        if day is not None and day.precision == "day" and only.text.strip() == core:
            return day.start
    return None


def _is_document_name(name: str) -> bool:
    lower = name.lower()
    if lower.startswith(".") or lower.endswith(".json"):
        return False
    return Path(lower).suffix in DOCUMENT_SUFFIXES


def _expand(directory: Path, problems: list[InputProblem]) -> list[Path]:
    """Text-like files under ``directory``, sorted, hidden files and folders skipped."""

    def report(error: OSError) -> None:
        where = Path(error.filename).as_posix() if error.filename else directory.as_posix()
        problems.append(InputProblem(where, f"cannot be listed ({error.strerror or error})"))

    found: list[Path] = []
    for root, dirs, files in os.walk(directory, onerror=report):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root, name) for name in sorted(files) if _is_document_name(name))
    if not found:
        problems.append(
            InputProblem(
                directory.as_posix(),
                "no documents found (looked for "
                + ", ".join(sorted(s or "no extension" for s in DOCUMENT_SUFFIXES))
                + ")",
            )
        )
    return found


def collect_documents(paths: Sequence[Path | str]) -> tuple[list[Path], list[InputProblem]]:
    """The files to read, in a deterministic order, and the paths that cannot be used.

    Directories are searched recursively (sorted; hidden entries and JSON skipped);
    a file named explicitly is taken whatever its extension, except JSON — gold and
    store files live beside documents and are never documents themselves.
    """
    files: list[Path] = []
    problems: list[InputProblem] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        shown = path.as_posix()
        if path.is_dir():
            candidates = _expand(path, problems)
        elif not path.exists():
            problems.append(InputProblem(shown, "no such file or directory"))
            continue
        elif not path.is_file():
            problems.append(InputProblem(shown, "not a regular file; skipped"))
            continue
        elif path.name.lower().endswith(".json"):
            problems.append(
                InputProblem(shown, "JSON file; skipped — bilat reads text, HTML and PDF documents")
            )
            continue
        else:
            candidates = [path]
        for candidate in candidates:
            if not os.access(candidate, os.R_OK):
                problems.append(
                    InputProblem(candidate.as_posix(), "not readable; check its permissions")
                )
                continue
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, problems
