"""The HTML timeline in a real headless browser: no errors, filters, details, screenshots.

Runs Debian's Chromium (``apt-get install chromium``) through Python Playwright
(``pip install playwright``; never ``playwright install``, which downloads a
browser); skips cleanly when either is missing.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bilat.models import EVENT_TYPES, Event
from bilat.output.export import to_html
from bilat.query import EventFilter, timeline
from bilat.store.json_store import EventStore
from tests.conftest import build_event

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]
SHIPPED_STORE = ROOT / "data" / "events.json"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

DESKTOP = (1360, 1000)
PHONE = (390, 844)
"""An iPhone 12–15's CSS viewport."""
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) out.push("page " + page);
  for (const node of document.querySelectorAll("body *")) {
    const box = node.getBoundingClientRect();
    if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
      const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
      out.push(`${node.tagName}.${node.className} ${where}`);
    }
  }
  return out;
}"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


@dataclass
class Page:
    """A loaded timeline page and everything it complained about."""

    page: Any
    problems: list[str] = field(default_factory=list)

    def visible_rows(self) -> int:
        return int(
            self.page.eval_on_selector_all(
                "details.ev", "rows => rows.filter(r => !r.hidden).length"
            )
        )

    def wait_visible(self, count: int) -> None:
        self.page.wait_for_function(
            "n => document.getElementById('list').getAttribute('data-visible') === String(n)",
            arg=count,
            timeout=5000,
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Any] = []

    def load(
        events: list[Event],
        title: str = "Timeline of China–Russia relations",
        viewport: tuple[int, int] = DESKTOP,
    ) -> Page:
        path = tmp_path / "timeline.html"
        path.write_text(to_html(events, title=title), encoding="utf-8")
        width, height = viewport
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=width < 500,
            has_touch=width < 500,
        )
        page = context.new_page()
        pages.append(context)
        loaded = Page(page)
        page.on(
            "console",
            lambda message: (
                loaded.problems.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda error: loaded.problems.append(f"page error: {error}"))
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith("file:")
                else loaded.problems.append(f"request: {request.url}")
            ),
        )
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='true']", timeout=10000)
        return loaded

    yield load
    for context in pages:
        context.close()


def factory_events() -> list[Event]:
    """Thirty hand-made events: every type, every precision shape, one hostile sentence."""
    events: list[Event] = []
    shapes = [
        ("day", "{y}-03-14", None),
        ("month", "{y}-06-01", "{y}-06-30"),
        ("year", "{y}-01-01", "{y}-12-31"),
        ("day", "{y}-09-20", "{y}-09-22"),
    ]
    for index in range(30):
        precision, start, end = shapes[index % len(shapes)]
        year = 1995 + index
        events.append(
            build_event(
                f"Event number {index} between China and Russia",
                start=start.format(y=year),
                end=end.format(y=year) if end else None,
                precision=precision,
                type=EVENT_TYPES[index % len(EVENT_TYPES)],
                sentence=f"In {year}, China and Russia did thing {index}.",
                actors=[("Vladimir Putin", "RUS", "person")] if index % 3 == 0 else [],
                amount=(1e9 * index, "USD", f"${index} billion") if index % 5 == 0 else None,
                offset=index * 200,
            )
        )
    events.append(
        build_event(
            "Hostile <script>alert(1)</script> title",
            start="2010-05-05",
            type="conflict",
            sentence=f"Zanzibar sentence {XSS} </script> ends here.",
            offset=99999,
        )
    )
    return sorted(events, key=Event.sort_key)


def test_timeline_page_filters_details_and_screenshot(open_page: Any, tmp_path: Path) -> None:
    events = factory_events()
    loaded: Page = open_page(events)
    page = loaded.page
    assert loaded.visible_rows() == len(events)
    assert page.locator("#chart .mark").count() == len(events)
    assert page.locator("#chart circle.mark").count() == sum(
        1 for e in events if e.date.precision == "day" and e.date.start == e.date.end
    )

    # Type filter: hiding "treaty" removes exactly the treaty events, showing it brings them back.
    treaties = sum(1 for event in events if event.type == "treaty")
    page.click("#types .chip[data-type='treaty']")
    loaded.wait_visible(len(events) - treaties)
    assert page.get_attribute("#types .chip[data-type='treaty']", "aria-pressed") == "false"
    assert page.locator("#chart .mark").count() == len(events) - treaties
    page.click("#types .chip[data-type='treaty']")
    loaded.wait_visible(len(events))

    # Double-click shows one type only.
    page.dblclick("#types .chip[data-type='visit']")
    loaded.wait_visible(sum(1 for event in events if event.type == "visit"))
    page.click("#reset")
    loaded.wait_visible(len(events))

    # Text filter: one word that only the hostile sentence holds.
    page.fill("#q", "zanzibar")
    loaded.wait_visible(1)
    assert "Showing 1 of" in page.inner_text("#count")
    page.fill("#q", "")
    loaded.wait_visible(len(events))

    # Opening the hostile event shows its text as text; nothing in it ran.
    hostile = next(event for event in events if event.title.startswith("Hostile"))
    row = page.locator(f"details.ev[data-id='{hostile.id}']")
    row.locator("summary").click()
    assert row.locator(".sentence").inner_text() == hostile.source.sentence
    assert row.locator(".ev-title").inner_text() == hostile.title
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2

    # Clicking a mark on the axis opens its event with its details.
    target = next(event for event in events if event.amount is not None and event.actors)
    page.click(f"#chart .mark[data-id='{target.id}']")
    details = page.locator(f"details.ev[data-id='{target.id}']")
    assert details.get_attribute("open") is not None
    facts = details.locator(".facts").inner_text()
    assert "Vladimir Putin" in facts and target.source.doc in facts and "USD" in facts

    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
    assert (tmp_path / "timeline.png").stat().st_size > 10_000
    assert loaded.problems == []


def test_zooming_into_a_period_filters_the_list(open_page: Any) -> None:
    events = factory_events()
    loaded: Page = open_page(events)
    page = loaded.page
    box = page.locator("#chart svg").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_selector("#zoom-out:not([hidden])")
    assert 0 < loaded.visible_rows() < len(events)
    page.click("#zoom-out")
    loaded.wait_visible(len(events))
    assert loaded.problems == []


def test_five_thousand_events_stay_readable(open_page: Any, tmp_path: Path) -> None:
    events = [
        build_event(
            f"Dense event {index}",
            start=f"{2000 + index % 20}-{index % 12 + 1:02d}-01",
            end=f"{2000 + index % 20}-{index % 12 + 1:02d}-28",
            precision="month",
            type=EVENT_TYPES[index % len(EVENT_TYPES)],
            offset=index,
        )
        for index in range(5000)
    ]
    loaded: Page = open_page(sorted(events, key=Event.sort_key))
    page = loaded.page
    assert loaded.visible_rows() == 5000
    marks = page.locator("#chart .mark").count()
    hidden = page.eval_on_selector_all(
        "#chart .more", "nodes => nodes.reduce((n, g) => n + Number(g.dataset.count), 0)"
    )
    # Crowded stretches are clustered into "+N" badges, and every event is either drawn or counted.
    assert marks + hidden == 5000 and hidden > 0
    page.screenshot(path=str(tmp_path / "dense.png"))
    assert loaded.problems == []


def test_empty_timeline_page(open_page: Any) -> None:
    loaded: Page = open_page([])
    assert loaded.visible_rows() == 0
    assert "No events in this timeline." in loaded.page.inner_text("#list")
    assert loaded.problems == []


@pytest.mark.skipif(not SHIPPED_STORE.is_file(), reason="no shipped store data/events.json")
def test_shipped_store_china_russia(open_page: Any, tmp_path: Path) -> None:
    events = timeline(
        EventStore(SHIPPED_STORE).load().events, EventFilter(countries=["CHN", "RUS"])
    )
    loaded: Page = open_page(events)
    assert loaded.visible_rows() == len(events)
    loaded.page.screenshot(path=str(tmp_path / "china-russia.png"))
    assert loaded.problems == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_page_fits_the_viewport(open_page: Any, tmp_path: Path, viewport: tuple[int, int]) -> None:
    events = factory_events()
    if SHIPPED_STORE.is_file():
        events = timeline(
            EventStore(SHIPPED_STORE).load().events, EventFilter(countries=["CHN", "RUS"])
        )
    loaded: Page = open_page(events, viewport=viewport)
    page = loaded.page
    assert page.evaluate(OVERFLOWING) == []
    chart = page.locator("#chart svg").bounding_box()
    assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= viewport[0]
    # The axis keeps readable year ticks, none overlapping.
    ticks = page.eval_on_selector_all(
        "#chart .tick", "nodes => nodes.map(n => { const b = n.getBBox(); return [b.x, b.width]; })"
    )
    assert len(ticks) >= 2
    for (x, w), (next_x, _) in itertools.pairwise(ticks):
        assert x + w <= next_x
    if page.locator("#outside button").count():
        assert page.locator("#outside button").is_visible()
    shots = os.environ.get("BILAT_SCREENSHOTS")  # scripts/ regenerates the README's pictures
    target = Path(shots) if shots else tmp_path
    page.screenshot(path=str(target / f"timeline-{viewport[0]}.png"), full_page=False)
    assert loaded.problems == []
