"""Regenerate the README's pictures from the shipped store.

    .venv/bin/python scripts/make_readme_images.py [--store data/events.json] [china russia]

writes ``docs/timeline.png`` and ``docs/timeline-phone.png`` (the HTML
timeline in headless Chromium, top of the page, at a desktop's and a phone's
width), ``docs/chart.txt`` (the terminal chart, without colour),
``docs/chart.svg`` (the same chart as SVG), ``docs/trade.svg`` and
``docs/trade.png`` (the trade chart, and that SVG drawn by Chromium),
``docs/trade.txt`` (the trade chart in the terminal, without colour) and
``docs/trade-terminal.png`` (the same in colour, as a terminal shows it).
When the store file does not exist, the events are extracted from ``seeds/``
in memory instead, which is what the shipped store is built from.

Needs Debian's ``chromium`` and the ``playwright`` Python package (never
``playwright install``: the system Chromium is used).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bilat.extract.gazetteer import Gazetteer
from bilat.models import Event
from bilat.output.chart import (
    events_per_year,
    trade_chart_svg,
    trade_chart_text,
    trade_series,
    year_chart_svg,
    year_chart_text,
)
from bilat.output.export import relations_title, to_html, write_atomic
from bilat.query import EventFilter, timeline
from bilat.store.json_store import EventStore

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def load_events(store: Path) -> list[Event]:
    if store.is_file():
        return EventStore(store).load().events
    from bilat.extract.pipeline import extract_paths

    sys.stderr.write(f"{store} not found: extracting {ROOT / 'seeds'} instead\n")
    run = extract_paths([ROOT / "seeds"], published=None)
    return [event for result in run.results for event in result.events]


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1360, "height": 1180}


def screenshot(html: str, target: Path, viewport: dict[str, int], *, ready: bool = True) -> None:
    """Draw ``html`` in headless Chromium at ``viewport`` and save the top of it as PNG."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as directory:
        page_path = Path(directory) / "page.html"
        page_path.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            phone = viewport["width"] < 500
            context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
            page = context.new_page()
            page.goto(page_path.as_uri())
            if ready:
                page.wait_for_selector("body[data-ready='true']")
            page.screenshot(path=str(target), full_page=not ready)
            browser.close()


def svg_page(svg: str, width: int) -> str:
    """An SVG alone on a white page, so Chromium draws it at its own size."""
    return (
        '<!doctype html><meta charset="utf-8"><style>html,body{margin:0;background:#fff}'
        f"body{{width:{width}px}}svg{{display:block}}</style>{svg}"
    )


def terminal_svg(ansi: str, title: str) -> str:
    """Text with colour escapes as rich draws a terminal window (Console.export_svg)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=100, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(Text.from_ansi(ansi))
    return console.export_svg(title=title)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries", nargs="*", default=["china", "russia"])
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "events.json")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    options = parser.parse_args()

    gazetteer = Gazetteer.default()
    codes = list(dict.fromkeys(gazetteer.resolve(name) for name in options.countries))
    pair = "–".join(gazetteer.name(code) for code in codes)
    events = timeline(load_events(options.store), EventFilter(countries=sorted(codes)))
    options.out.mkdir(parents=True, exist_ok=True)

    out = options.out
    page = to_html(events, title=relations_title([pair]))
    screenshot(page, out / "timeline.png", DESKTOP)
    screenshot(page, out / "timeline-phone.png", PHONE)
    counts = events_per_year(events)
    title = f"Events per year by type: {pair} ({len(events)} events)"
    write_atomic(out / "chart.txt", year_chart_text(counts, title=title, width=100))
    write_atomic(out / "chart.svg", year_chart_svg(counts, title=title))
    series = trade_series(events)
    trade_title = f"Trade figures by year: {pair}"
    trade_svg = trade_chart_svg(series, title=trade_title)
    write_atomic(out / "trade.svg", trade_svg)
    screenshot(
        svg_page(trade_svg, 900), out / "trade.png", {"width": 900, "height": 400}, ready=False
    )
    write_atomic(out / "trade.txt", trade_chart_text(series, title=trade_title, width=100))
    coloured = trade_chart_text(series, title=trade_title, width=100, colour=True)
    terminal = terminal_svg(
        f"$ bilat chart {' '.join(options.countries)} --trade\n{coloured}", "bilat"
    )
    screenshot(
        svg_page(terminal, 1000),
        out / "trade-terminal.png",
        {"width": 1000, "height": 400},
        ready=False,
    )
    for name in (
        "timeline.png",
        "timeline-phone.png",
        "chart.txt",
        "chart.svg",
        "trade.svg",
        "trade.png",
        "trade.txt",
        "trade-terminal.png",
    ):
        sys.stderr.write(f"wrote {out / name}\n")


if __name__ == "__main__":
    main()
