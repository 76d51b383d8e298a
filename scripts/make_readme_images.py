"""Regenerate the README's pictures from the shipped store.

    .venv/bin/python scripts/make_readme_images.py [--store data/events.json] [china russia]

writes ``docs/timeline.png`` (the HTML timeline in headless Chromium, top of
the page), ``docs/chart.txt`` (the terminal chart, without colour) and
``docs/chart.svg`` (the same chart as SVG). When the store file does not
exist, the events are extracted from ``seeds/`` in memory instead, which is
what the shipped store is built from.

Needs Debian's ``chromium`` and the ``playwright`` Python package (never
``playwright install``: the system Chromium is used).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bilat.extract.gazetteer import Gazetteer
from bilat.models import Event
from bilat.output.chart import events_per_year, year_chart_svg, year_chart_text
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


def screenshot(html: str, target: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as directory:
        page_path = Path(directory) / "timeline.html"
        page_path.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 1180})
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-ready='true']")
            page.screenshot(path=str(target))
            browser.close()


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

    screenshot(to_html(events, title=relations_title([pair])), options.out / "timeline.png")
    counts = events_per_year(events)
    title = f"Events per year by type: {pair} ({len(events)} events)"
    write_atomic(options.out / "chart.txt", year_chart_text(counts, title=title, width=100))
    write_atomic(options.out / "chart.svg", year_chart_svg(counts, title=title))
    for name in ("timeline.png", "chart.txt", "chart.svg"):
        sys.stderr.write(f"wrote {options.out / name}\n")


if __name__ == "__main__":
    main()
