"""The text layer of a PDF, page by page (the ``pdf`` extra).

pypdf reads the text that a PDF's pages draw; bilat joins the pages with a
blank line, so a page break is a paragraph break and no sentence runs across
two pages, and remembers where each page starts so that every event can cite
its page. A scanned report has no text layer: there is nothing to read until
OCR has added one, and bilat says so rather than storing an empty document.

Hostile files: a damaged or truncated file, one that declares more than
:data:`MAX_PDF_PAGES` pages, and objects nested beyond Python's recursion
limit are refused with a message; pypdf's own ceilings on decompressed stream
sizes bound the memory a single page can take, and the page limit bounds the
time of the whole file.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilat.errors import InputError

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = ["MAX_PDF_BYTES", "MAX_PDF_PAGES", "PAGE_BREAK", "PdfText", "read_pdf"]

MAX_PDF_BYTES = 64 * 1024 * 1024
"""Largest PDF file bilat opens (64 MiB)."""

MAX_PDF_PAGES = 2000
"""Most pages a PDF may declare; longer ones (or page-count bombs) are refused."""

PAGE_BREAK = "\n\n"
"""What separates two pages in the extracted text."""

_EXTRA_HINT = "install the PDF reader: pip install 'bilat[pdf]'"


@dataclass(frozen=True, slots=True)
class PdfText:
    """The text of every page, joined by :data:`PAGE_BREAK`, and each page's start offset."""

    text: str
    page_starts: tuple[int, ...]


def read_pdf(raw: bytes, path: str) -> PdfText:
    """The text layer of the PDF in ``raw``; raises :class:`InputError` naming ``path``."""
    if len(raw) > MAX_PDF_BYTES:
        raise InputError(
            f"{path}: PDF of {len(raw) / 1024 / 1024:.0f} MiB, larger than the "
            f"{MAX_PDF_BYTES // 1024 // 1024} MiB bilat reads; skipped",
            hint="split it first, e.g. qpdf --split-pages=200 in.pdf out.pdf",
        )
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError
    except ImportError:
        raise InputError(
            f"{path}: PDF files need the optional 'pdf' extra; skipped", hint=_EXTRA_HINT
        ) from None
    try:
        with warnings.catch_warnings():  # pypdf's complaints about a file are not ours to raise
            warnings.simplefilter("ignore")
            return _join(_page_texts(PdfReader(io.BytesIO(raw)), path), path)
    except InputError:
        raise
    except DependencyError:
        raise InputError(
            f"{path}: encrypted PDF whose cipher needs the 'cryptography' package; skipped",
            hint="pip install cryptography, or decrypt it first with qpdf --decrypt",
        ) from None
    except RecursionError:
        raise _damaged(path, "objects nested too deeply") from None
    # pypdf raises many kinds of exception on malformed input (its own, but also
    # KeyError, ValueError, TypeError ... from deep inside the parser); any of
    # them means the same thing to a user: this file cannot be read.
    except Exception as error:
        raise _damaged(path, f"{type(error).__name__}: {error}") from None


def _page_texts(reader: PdfReader, path: str) -> list[str]:
    """Each page's text, once the file is decrypted and its page count is acceptable."""
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError(
            f"{path}: encrypted PDF that needs a password; skipped",
            hint="decrypt it first, e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf",
        )
    declared = _declared_pages(reader)
    if declared > MAX_PDF_PAGES:
        raise _too_many_pages(path, declared)
    pages = reader.pages
    if len(pages) > MAX_PDF_PAGES:
        raise _too_many_pages(path, len(pages))
    return [page.extract_text() for page in pages]


def _declared_pages(reader: PdfReader) -> int:
    """The page count the file's page tree claims, read before pypdf flattens the tree."""
    from pypdf.generic import DictionaryObject

    root = reader.trailer["/Root"].get_object()
    pages = root.get("/Pages") if isinstance(root, DictionaryObject) else None
    tree = None if pages is None else pages.get_object()
    count = tree.get("/Count") if isinstance(tree, DictionaryObject) else None
    return int(count) if isinstance(count, int) else 0


def _join(pages: list[str], path: str) -> PdfText:
    texts = [page.replace("\r\n", "\n").replace("\r", "\n") for page in pages]
    if not any(text.strip() for text in texts):
        what = "the file has no pages" if not texts else f"{len(texts)} pages, none with text"
        raise InputError(
            f"{path}: no text layer: run OCR first ({what}); skipped",
            hint="e.g. ocrmypdf in.pdf out.pdf, then extract out.pdf",
        )
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_BREAK)
    return PdfText(text=PAGE_BREAK.join(texts), page_starts=tuple(starts))


def _too_many_pages(path: str, count: int) -> InputError:
    return InputError(
        f"{path}: PDF declares {count} pages, more than the {MAX_PDF_PAGES} bilat reads; skipped",
        hint="split it first, e.g. qpdf --split-pages=200 in.pdf out.pdf",
    )


def _damaged(path: str, why: str) -> InputError:
    return InputError(
        f"{path}: damaged or truncated PDF ({why}); skipped",
        hint="re-download or re-export it; `qpdf --check` shows what is wrong",
    )
