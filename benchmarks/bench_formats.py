"""Reading saved web pages and PDFs: time per megabyte or page, and the cost of refusing bombs.

    python benchmarks/bench_formats.py [--html-megabytes 2] [--pdf-pages 200]

Builds an HTML page (navigation, scripts and the seeds' paragraphs as the
article) and a PDF of the seeds' lines, times reading each into a document,
then times the refusal of the inputs the readers bound: an HTML page over
the size limit, a PDF declaring a billion pages, a deeply nested PDF object
and a truncated PDF. Prints the peak resident memory. Not a test: nothing
here asserts on time.
"""

from __future__ import annotations

import argparse
import html
import logging
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the hand-written PDF builder lives with the tests

from tests.extract.pdf_builder import build_pdf  # noqa: E402

from bilat.errors import InputError  # noqa: E402
from bilat.extract.documents import parse_document  # noqa: E402
from bilat.extract.html_reader import MAX_HTML_BYTES  # noqa: E402

_NAV = "<nav><ul>" + "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(40))
_NAV += "</ul></nav><script>var tracking = {'page': 'home'};</script>"


def _paragraphs() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 40]


def _page(megabytes: float) -> bytes:
    paragraphs = _paragraphs()
    body: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for paragraph in paragraphs:
            body.append(f"<p>{html.escape(paragraph)}</p>")
            size += len(body[-1]) + 1
    return (
        "<!DOCTYPE html><html><head><title>Bench</title></head><body>"
        f"{_NAV}<article>{''.join(body)}</article><footer>(c) Bench</footer></body></html>"
    ).encode()


def _pdf(pages: int) -> bytes:
    # Helvetica in a hand-written PDF has no glyphs beyond Latin-1; ASCII is enough here.
    lines = [line[:90].encode("ascii", "replace").decode() for line in _paragraphs()]
    per_page = 45
    return build_pdf(
        [[lines[(p * per_page + i) % len(lines)] for i in range(per_page)] for p in range(pages)]
    )


def _timed(label: str, run: Callable[[], str]) -> None:
    start = time.perf_counter()
    outcome = run()
    print(f"{label:<44} {time.perf_counter() - start:8.2f} s  {outcome}")


def _refused(raw: bytes, name: str) -> Callable[[], str]:
    def run() -> str:
        try:
            parse_document(raw, name)
        except InputError as error:
            return "refused: " + error.message.split(": ", 1)[1][:60]
        return "READ (not refused)"

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html-megabytes", type=float, default=2.0)
    parser.add_argument("--pdf-pages", type=int, default=200)
    args = parser.parse_args()
    logging.getLogger("pypdf").addHandler(logging.NullHandler())  # as the CLI does
    page = _page(args.html_megabytes)
    pdf = _pdf(args.pdf_pages)
    parse_document(_page(0.001), "warm-up.html")  # imports and first-call set-up untimed
    parse_document(_pdf(1), "warm-up.pdf")

    def read(raw: bytes, name: str, unit: float, per: str) -> Callable[[], str]:
        def run() -> str:
            start = time.perf_counter()
            document = parse_document(raw, name)
            seconds = time.perf_counter() - start
            return f"{len(document.text):,} chars, {seconds / unit:.3f} s per {per}"

        return run

    _timed(f"HTML page, {len(page) / 1e6:.2f} MB", read(page, "page.html", len(page) / 1e6, "MB"))
    _timed(f"PDF, {args.pdf_pages} pages", read(pdf, "report.pdf", args.pdf_pages, "page"))
    over = b"<html><body>" + b"<p>x</p>" * (MAX_HTML_BYTES // 8 + 1) + b"</body></html>"
    _timed(f"HTML page over the limit ({len(over) / 1e6:.0f} MB)", _refused(over, "big.html"))
    bomb = build_pdf([["China and Russia"]], declared_count=10**9)
    _timed("PDF declaring 10^9 pages", _refused(bomb, "bomb.pdf"))
    nested = build_pdf([["China and Russia"]], extra_object=b"[" * 200_000 + b"]" * 200_000)
    _timed("PDF with an array nested 200,000 deep", _refused(nested, "nested.pdf"))
    _timed("PDF truncated at half", _refused(pdf[: len(pdf) // 2], "truncated.pdf"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
