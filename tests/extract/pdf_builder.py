"""Tiny PDFs written byte by byte for the reader's tests: text pages, blank pages, bombs.

Only what the tests need of the PDF format: a catalog, a page tree, pages
drawing lines of Helvetica text (or nothing, like a scan without OCR), and a
cross-reference table with exact byte offsets.
"""

from __future__ import annotations

from collections.abc import Sequence

_LEADING = 14


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: Sequence[str]) -> bytes:
    """A content stream drawing ``lines`` top-down; no lines draws a filled box (an 'image')."""
    if not lines:
        return b"0.5 g 72 72 468 648 re f"
    shown = " ".join(f"({_escape(line)}) Tj T*" for line in lines)
    return f"BT /F1 11 Tf {_LEADING} TL 72 740 Td {shown} ET".encode("latin-1")


def build_pdf(
    pages: Sequence[Sequence[str]],
    *,
    declared_count: int | None = None,
    extra_object: bytes | None = None,
) -> bytes:
    """A PDF whose page ``i`` draws the lines ``pages[i]`` (an empty list: no text layer).

    ``declared_count`` overrides the page tree's ``/Count`` (a page-count bomb);
    ``extra_object`` is put into the catalog under ``/Extra`` (deep nesting).
    """
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    count = len(pages) if declared_count is None else declared_count
    extra = b"" if extra_object is None else b" /Extra " + extra_object
    objects.append(b"<< /Type /Catalog /Pages 2 0 R" + extra + b" >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        stream = _content(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
