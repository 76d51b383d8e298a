"""Saved web pages, PDFs and standard input: what text is read, and every bad input."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilat.cli import app
from bilat.errors import InputError
from bilat.extract import html_reader, pdf_reader
from bilat.extract.documents import collect_documents, parse_document, read_document
from bilat.extract.pipeline import extract_document, extract_paths
from tests.extract.pdf_builder import build_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE = FIXTURES / "saved_page.html"
BOILERPLATE = ("Home", "Cuba", "Venezuela", "Brazil", "Chile", "Bangladesh", "China", "©")

PAGE_1 = [
    "China and Russia: a short history",
    "",
    "In 2001, China and Russia signed the Treaty of Good-Neighborliness in Moscow.",
]
PAGE_2 = [
    "On 16 May 2024, Xi Jinping and Vladimir Putin met in Beijing and signed a joint statement.",
]
TREATY = PAGE_1[2]
SUMMIT = PAGE_2[0]

runner = CliRunner()


@pytest.fixture
def two_pages() -> bytes:
    return build_pdf([PAGE_1, PAGE_2])


# -- HTML ----------------------------------------------------------------------------------


def test_a_saved_page_is_read_as_its_article_only() -> None:
    document = read_document(PAGE)
    assert document.format == "html"
    assert document.title == "Japan and South Korea agree to resume shuttle diplomacy"
    assert document.published == date(2023, 3, 17)  # from article:published_time
    assert document.sha256 == hashlib.sha256(PAGE.read_bytes()).hexdigest()
    assert "Yoon Suk Yeol met in Tokyo on 16 March 2023" in document.text
    for noise in (*BOILERPLATE, "<", "window.dataLayer", "font-family"):
        assert noise not in document.text, noise


def test_events_of_a_page_cite_the_extracted_text_and_never_its_boilerplate() -> None:
    document = read_document(PAGE)
    result = extract_document(document)
    assert result.info.format == "html"
    assert result.info.published == date(2023, 3, 17)
    sentences = [event.source.sentence for event in result.events]
    assert any(s.startswith("Japanese Prime Minister Fumio Kishida") for s in sentences)
    for event in result.events:
        assert document.text[event.source.start : event.source.end] == event.source.sentence
        assert event.source.page is None
        assert set(event.countries) == {"JPN", "KOR"}


def test_published_option_beats_the_page_metadata() -> None:
    assert read_document(PAGE, published=date(2024, 1, 2)).published == date(2024, 1, 2)


def test_a_page_without_main_text_is_refused() -> None:
    raw = b"<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
    raw += b"<script>var text = 'China and Russia signed a treaty in 2001';</script></body></html>"
    with pytest.raises(InputError, match="no main text in this HTML page"):
        parse_document(raw, "menu.html")


def test_a_page_over_the_limit_is_refused_before_parsing() -> None:
    raw = b"<html><body>" + b"<p>x</p>" * (html_reader.MAX_HTML_BYTES // 8) + b"</body></html>"
    with pytest.raises(InputError, match=r"HTML page of 8\.0 MiB, larger than the 8 MiB"):
        parse_document(raw, "huge.html")


def test_html_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    with pytest.raises(InputError) as caught:
        read_document(PAGE)
    assert "optional 'html' extra" in str(caught.value)
    assert "pip install 'bilat[html]'" in str(caught.value)


# -- PDF -----------------------------------------------------------------------------------


def test_pdf_text_is_read_per_page(two_pages: bytes) -> None:
    document = parse_document(two_pages, "report.pdf")
    assert document.format == "pdf"
    assert document.sha256 == hashlib.sha256(two_pages).hexdigest()
    assert document.title == "China and Russia: a short history"
    second = document.text.index(SUMMIT)
    assert document.page_starts == (0, second)
    assert document.page_at(0) == 1
    assert document.page_at(second - 1) == 1
    assert document.page_at(second) == 2


def test_pdf_events_carry_their_page_and_exact_offsets(two_pages: bytes) -> None:
    document = parse_document(two_pages, "report.pdf")
    events = {event.source.sentence: event for event in extract_document(document).events}
    assert set(events) == {TREATY, SUMMIT}
    assert events[TREATY].source.page == 1
    assert events[SUMMIT].source.page == 2
    assert str(events[TREATY].date.value) == "2001"
    assert str(events[SUMMIT].date.value) == "2024-05-16"
    for event in events.values():
        source = event.source
        assert document.text[source.start : source.end] == source.sentence


def test_pdf_without_the_extra_names_the_extra(
    two_pages: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(InputError, match=r"optional 'pdf' extra.*\n  hint: .*bilat\[pdf\]"):
        parse_document(two_pages, "report.pdf")


def _encrypted(raw: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_encrypted_with_an_owner_password_only_is_read(two_pages: bytes) -> None:
    assert TREATY in parse_document(_encrypted(two_pages, ""), "locked.pdf").text


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda raw: build_pdf([[], []]), "no text layer: run OCR first"),
        (lambda raw: _encrypted(raw, "secret"), "encrypted PDF that needs a password"),
        (lambda raw: raw[: len(raw) // 2], "damaged or truncated PDF"),
        (lambda raw: build_pdf([PAGE_1], declared_count=10**9), "declares 1000000000 pages"),
        (
            lambda raw: build_pdf([PAGE_1], extra_object=b"[" * 100_000 + b"]" * 100_000),
            "damaged or truncated PDF",
        ),
        (lambda raw: b"%PDF-1.7\n" + b"\x00" * 1000, "damaged or truncated PDF"),
    ],
    ids=["scanned", "encrypted", "truncated", "page-count-bomb", "deep-nesting", "garbage"],
)
def test_bad_pdfs_are_refused_with_what_to_do(two_pages: bytes, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        parse_document(make(two_pages), "bad.pdf")
    assert message in str(caught.value)
    assert "skipped" in caught.value.message
    assert caught.value.hint


def test_pdf_over_the_size_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, two_pages: bytes
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PDF_BYTES", 100)
    with pytest.raises(InputError, match="larger than the"):
        parse_document(two_pages, "big.pdf")


# -- content sniffing ------------------------------------------------------------------------


def test_content_decides_the_format(two_pages: bytes) -> None:
    page = PAGE.read_bytes()
    assert parse_document(two_pages, "report.txt").format == "pdf"
    assert parse_document(two_pages, "report").format == "pdf"
    assert parse_document(page, "notes.txt").format == "html"
    saved = b"<!-- saved from url=(0023)https://example.org/ -->\n" + page
    assert parse_document(saved, "page").format == "html"
    # markup inside plain text does not make it a page
    note = b"In 2001 China and Russia signed a treaty. <script>x</script> was in the feed.\n"
    assert parse_document(note, "note.txt").format == "text"


@pytest.mark.parametrize(
    ("name", "raw", "looks"),
    [
        ("report.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "an HTML page"),
        ("report.pdf", b"In 2001, China and Russia signed a treaty.\n", "plain text"),
        ("page.html", b"In 2001, China and Russia signed a treaty.\n", "plain text"),
        ("page.html", build_pdf([PAGE_1]), "a PDF"),
    ],
)
def test_a_name_that_lies_about_the_content_is_refused(name: str, raw: bytes, looks: str) -> None:
    with pytest.raises(InputError, match=f"named \\.(pdf|html) but is not .* looks like {looks}"):
        parse_document(raw, name)


# -- runs over many documents ----------------------------------------------------------------


def test_bad_documents_are_skipped_and_the_others_processed(
    tmp_path: Path, two_pages: bytes
) -> None:
    (tmp_path / "a_report.pdf").write_bytes(two_pages)
    (tmp_path / "b_scan.pdf").write_bytes(build_pdf([[]]))
    (tmp_path / "c_truncated.pdf").write_bytes(two_pages[:200])
    (tmp_path / "d_page.htm").write_bytes(PAGE.read_bytes())
    (tmp_path / "e_menu.html").write_bytes(b"<html><body><nav>Home</nav></body></html>")
    (tmp_path / "f_note.txt").write_text(SUMMIT + "\n", encoding="utf-8")
    files, problems = collect_documents([tmp_path])
    assert [f.name for f in files] == sorted(p.name for p in tmp_path.iterdir())
    assert problems == []
    run = extract_paths([tmp_path])
    assert sorted(Path(r.info.path).name for r in run.results) == [
        "a_report.pdf",
        "d_page.htm",
        "f_note.txt",
    ]
    assert {r.info.format for r in run.results} == {"pdf", "html", "text"}
    skipped = {Path(p.path).name: p.message for p in run.problems}
    assert set(skipped) == {"b_scan.pdf", "c_truncated.pdf", "e_menu.html"}
    assert "no text layer: run OCR first" in skipped["b_scan.pdf"]


# -- the command line ------------------------------------------------------------------------


def test_bilat_text_prints_what_the_extractor_reads(tmp_path: Path, two_pages: bytes) -> None:
    result = runner.invoke(app, ["text", str(PAGE)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == read_document(PAGE).text + "\n"
    path = tmp_path / "report.pdf"
    path.write_bytes(two_pages)
    result = runner.invoke(app, ["text", str(path)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(PAGE_1[0] + "\n")


def test_bilat_text_on_a_scan_exits_1_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(build_pdf([[]]))
    result = runner.invoke(app, ["text", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no text layer: run OCR first" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_reads_standard_input_under_its_name(isolated_store: Path) -> None:
    page = PAGE.read_bytes()
    result = runner.invoke(app, ["extract", "-", "--name", "page.html"], input=page)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("1 document, 2 events")
    stored = json.loads(isolated_store.read_text(encoding="utf-8"))
    assert stored["schema_version"] == 2
    (info,) = stored["documents"]
    assert (info["path"], info["format"]) == ("page.html", "html")
    assert info["sha256"] == hashlib.sha256(page).hexdigest()
    assert {event["source"]["doc"] for event in stored["events"]} == {"page.html"}


def test_extract_stdin_defaults_to_the_name_stdin(isolated_store: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(TREATY + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", str(other)], input=SUMMIT + "\n")
    assert result.exit_code == 0, result.stderr
    stored = json.loads(isolated_store.read_text(encoding="utf-8"))
    assert sorted(d["path"] for d in stored["documents"]) == sorted(["stdin", other.as_posix()])


def test_extract_of_bad_stdin_alone_exits_1() -> None:
    result = runner.invoke(app, ["extract", "-", "--name", "x.pdf"], input="not a pdf\n")
    assert result.exit_code == 1
    assert "x.pdf: named .pdf but is not a PDF" in result.stderr
    assert "no document could be read" in result.stderr


def test_dates_reads_standard_input() -> None:
    result = runner.invoke(app, ["dates", "-", "--format", "csv"], input=SUMMIT + "\n")
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[1].startswith("16 May 2024,3,14,absolute,2024-05-16")


def test_show_and_exports_name_the_page_of_a_pdf_event(tmp_path: Path, two_pages: bytes) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(two_pages)
    assert runner.invoke(app, ["extract", str(path)]).exit_code == 0
    result = runner.invoke(app, ["timeline", "--json"])
    events = {e["source"]["sentence"]: e for e in json.loads(result.stdout)}
    summit = events[SUMMIT]
    assert summit["source"]["page"] == 2
    shown = runner.invoke(app, ["show", summit["id"][:8]])
    assert shown.exit_code == 0, shown.stderr
    start, end = summit["source"]["start"], summit["source"]["end"]
    assert f"[{start}:{end}], page 2" in " ".join(shown.stdout.split())
    exported = runner.invoke(app, ["export", "china", "russia", "--format", "html"])
    assert exported.exit_code == 0, exported.stderr
    assert f"{start}–{end}, page 2" in exported.stdout
