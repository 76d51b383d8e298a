"""Document text written to a terminal cannot act on it; written to a file or pipe it is exact."""

from __future__ import annotations

import io
import json

from bilat.output.export import ics_text
from bilat.output.render import Format, terminal_safe, write_events
from tests.conftest import build_event

HOSTILE = "Pact\u2028signed\u2029in\x85Havana \x1b]0;pwned\x07 \x9b31m"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _written(fmt: Format, out: io.StringIO) -> str:
    write_events([build_event(HOSTILE)], fmt, out)
    return out.getvalue()


def test_terminal_safe_escapes_separators_and_c1_controls() -> None:
    assert terminal_safe("a\u2028b\u2029c\x85d\x9be") == "a\\u2028b\\u2029c\\x85d\\x9be"


def test_json_to_a_terminal_escapes_what_json_leaves_raw_and_still_parses() -> None:
    for fmt in (Format.json, Format.ndjson):
        text = _written(fmt, _Terminal())
        assert not any(c in text for c in "\u2028\u2029\x85\x9b\x1b\x07")
        first = json.loads(text)[0] if fmt is Format.json else json.loads(text.splitlines()[0])
        assert first["title"] == HOSTILE


def test_json_to_a_pipe_is_unchanged() -> None:
    assert "\u2028" in _written(Format.json, io.StringIO())


def test_csv_to_a_terminal_passes_no_escape_osc_or_bel() -> None:
    text = _written(Format.csv, _Terminal())
    assert not any(c in text for c in "\x1b\x07\x9b\u2028")
    assert "\\x1b]0;pwned\\x07" in text


def test_csv_to_a_file_is_exact() -> None:
    assert "\x1b]0;pwned\x07" in _written(Format.csv, io.StringIO())


def test_ics_text_escapes_unicode_line_breaks() -> None:
    assert ics_text("a\x85b\u2028c\u2029d") == "a\\nb\\nc\\nd"
