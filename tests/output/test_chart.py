"""Charts: per-year counts, the trade series, their text and SVG drawings, and ``bilat chart``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bilat.cli.export import register
from bilat.cli.main import BilatGroup
from bilat.models import EVENT_TYPES, Event
from bilat.output.chart import (
    TYPE_COLOURS,
    TYPE_GLYPHS,
    compact_amount,
    events_per_year,
    trade_chart_svg,
    trade_chart_text,
    trade_series,
    year_chart_svg,
    year_chart_text,
)
from tests.conftest import build_event

SVG = "{http://www.w3.org/2000/svg}"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def year_event(year: int, type: str = "treaty", offset: int = 0) -> Event:
    return build_event(
        f"{type} {year} {offset}",
        start=f"{year}-01-01",
        end=f"{year}-12-31",
        precision="year",
        type=type,
        offset=offset,
    )


def trade_event(
    year: int,
    value: float,
    currency: str = "USD",
    offset: int = 0,
    measure: str = "trade_volume",
) -> Event:
    return build_event(
        f"Trade reached {value} {currency} in {year}",
        start=f"{year}-01-01",
        end=f"{year}-12-31",
        precision="year",
        type="trade",
        amount=(value, currency, f"{value} {currency}"),
        measure=measure,
        doc="seeds/trade.txt",
        offset=offset,
    )


# -- data -----------------------------------------------------------------------------------------


def test_events_per_year_fills_empty_years_and_orders_types() -> None:
    events = [year_event(2001, "visit"), year_event(2001, "treaty", 5), year_event(2003, "visit")]
    data = events_per_year(events)
    assert data.years == [2001, 2002, 2003]
    assert data.types == ["treaty", "visit"]
    assert data.counts == {"treaty": [1, 0, 0], "visit": [1, 0, 1]}
    assert [data.total(i) for i in range(3)] == [2, 0, 1]


def test_events_per_year_gives_decades_and_centuries_their_own_rows() -> None:
    decade = build_event(start="1990-01-01", end="1999-12-31", precision="decade")
    century = build_event(start="1501-01-01", end="1600-12-31", precision="century", offset=1)
    years = [year_event(1990, offset=2), year_event(1991, offset=3)]
    data = events_per_year([decade, century, *years])
    assert [data.label(i) for i in range(len(data.years))] == [
        "16th century",
        "1990s",
        "1990",
        "1991",
    ]
    assert [data.total(i) for i in range(4)] == [1, 1, 1, 1]
    text = year_chart_text(data, title="T", width=40)
    assert "16th century ┃█ 1" in text and "       1990s ┃█ 1" in text
    assert "1501" not in text


def test_events_per_year_of_nothing() -> None:
    data = events_per_year([])
    assert (data.years, data.types, data.counts) == ([], [], {})


def test_trade_series_keeps_the_largest_figure_per_year_and_currency() -> None:
    events = [
        trade_event(2005, 10e9, offset=1),
        trade_event(2005, 29e9, offset=2),
        trade_event(2007, 40e9, offset=3),
        trade_event(2014, 150e9, "CNY", offset=4),
        year_event(2006, "trade"),  # no amount: not a figure
        build_event("Loan", type="investment", amount=(5e9, "USD", "$5 billion")),
        trade_event(2005, 400e9, offset=5, measure="deal_value"),  # a deal is not trade
    ]
    series = trade_series(events)
    assert series.currency == "USD"
    assert [(p.year, p.value) for p in series.points] == [(2005, 29e9), (2007, 40e9)]
    assert [(p.year, p.currency) for p in series.others] == [(2014, "CNY")]


def test_trade_series_without_usd_plots_the_most_frequent_currency() -> None:
    events = [
        trade_event(2014, 1e9, "CNY"),
        trade_event(2015, 2e9, "CNY", 1),
        trade_event(2016, 3, "RUB", 2),
    ]
    series = trade_series(events)
    assert series.currency == "CNY" and len(series.points) == 2 and len(series.others) == 1


def test_trade_series_of_nothing() -> None:
    series = trade_series([year_event(2001)])
    assert (series.currency, series.points, series.others) == (None, [], [])


@pytest.mark.parametrize(
    ("value", "label"),
    [(400e9, "400 bn"), (21.2e9, "21.2 bn"), (5e8, "500 m"), (1.5e12, "1.5 tn"), (5300, "5,300")],
)
def test_compact_amount(value: float, label: str) -> None:
    assert compact_amount(value) == label


# -- text -----------------------------------------------------------------------------------------


def test_year_chart_text_exact() -> None:
    events = [
        year_event(2001, "treaty"),
        year_event(2001, "visit", 1),
        year_event(2001, "visit", 2),
        year_event(2002, "visit", 3),
    ]
    text = year_chart_text(events_per_year(events), title="T", width=40)
    assert text == "T\n\n█ treaty 1  ▓ visit 3\n\n2001 ┃█▓▓ 3\n2002 ┃▓ 1\n"


def test_year_chart_text_collapses_long_empty_runs() -> None:
    events = [year_event(1990), year_event(1995, offset=1), year_event(1997, offset=2)]
    lines = year_chart_text(events_per_year(events), title="T").splitlines()
    assert "1991–1994: no events" in lines[4 + 1]
    assert lines[-3:] == ["1995 ┃█ 1", "1996 ┃", "1997 ┃█ 1"]


def test_year_chart_text_scales_to_the_width() -> None:
    events = [year_event(2001, offset=i) for i in range(200)]
    text = year_chart_text(events_per_year(events), title="T", width=50)
    assert "each cell ≈" in text
    assert all(len(line) <= 50 for line in text.splitlines())


def test_year_chart_text_every_type_has_its_own_glyph_and_colour() -> None:
    events = [year_event(2001, name, i) for i, name in enumerate(EVENT_TYPES)]
    plain = year_chart_text(events_per_year(events), title="T", width=100)
    coloured = year_chart_text(events_per_year(events), title="T", width=100, colour=True)
    assert len(set(TYPE_GLYPHS.values())) == len(EVENT_TYPES) == len(set(TYPE_COLOURS.values()))
    assert "2001 ┃" + "".join(TYPE_GLYPHS[name] for name in EVENT_TYPES) + " 10" in plain
    assert not ANSI.search(plain)
    assert ANSI.sub("", coloured).count("█") == 2 * len(EVENT_TYPES)


def test_year_chart_text_with_no_events() -> None:
    assert year_chart_text(events_per_year([]), title="T") == "T\n\nno events\n"


def test_trade_chart_text_lists_each_point_with_its_source() -> None:
    events = [trade_event(2005, 29e9, offset=120), trade_event(2009, 58e9, offset=480)]
    events.append(trade_event(2014, 150e9, "CNY", offset=900))
    text = trade_chart_text(trade_series(events), title="T", width=60)
    lines = text.splitlines()
    assert "in USD" in lines[2]
    assert any(line.startswith("2005 ┃▒") and line.endswith("29 bn") for line in lines)
    assert "2006–2008: no figure" in text
    sources = lines[lines.index("Sources") + 1 :]
    assert sources[0].split()[:4] == ["2005", "29", "bn", "USD"]
    assert "trade.txt:120" in sources[0] and "trade.txt:480" in sources[1]
    assert "Not plotted (other currencies, not converted)" in text
    assert "150 bn CNY" in text


def test_trade_chart_text_strips_control_characters_from_titles() -> None:
    event = build_event(
        "Evil \x1b[31mred", type="trade", amount=(1e9, "USD", "$1 billion"), start="2001-01-01"
    )
    assert "\x1b" not in trade_chart_text(trade_series([event]), title="T")


def test_trade_chart_text_with_no_figures() -> None:
    assert "no trade volumes" in trade_chart_text(trade_series([]), title="T")


def test_trade_chart_text_of_a_schema_1_store_says_to_re_extract() -> None:
    old = build_event("Trade", type="trade", amount=(1e9, "USD", "$1 billion"))
    assert "re-run `bilat extract`" in trade_chart_text(trade_series([old]), title="T")


def test_exports_and_imports_are_series_of_their_own() -> None:
    events = [
        trade_event(2005, 777e6, offset=1),
        trade_event(2005, 560e6, offset=2, measure="exports"),
        trade_event(2006, 300e6, offset=3, measure="imports"),
        trade_event(2006, 9e9, offset=4, measure="loan"),
    ]
    series = trade_series(events)
    assert series.measures() == ["trade_volume", "exports", "imports"]
    assert [(p.year, p.measure) for p in series.points] == [
        (2005, "trade_volume"),
        (2005, "exports"),
        (2006, "imports"),
    ]
    text = trade_chart_text(series, title="T", width=60)
    assert "2005 ┃" in text and "     ┃▶" in text and "560 m exports" in text
    assert "2006 ┃◀" in text and "300 m imports" in text


# -- SVG ------------------------------------------------------------------------------------------


def test_year_chart_svg_draws_one_rect_per_year_and_type() -> None:
    events = [year_event(2001), year_event(2001, "visit", 1), year_event(2003, "visit", 2)]
    root = ET.fromstring(year_chart_svg(events_per_year(events), title="<b>x</b> & y"))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "<b>x</b> & y"  # type: ignore[union-attr]
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 3
    assert {rect.get("fill") for rect in bars} == {TYPE_COLOURS["treaty"], TYPE_COLOURS["visit"]}


def test_trade_chart_svg_has_a_point_and_a_source_line_per_figure() -> None:
    events = [trade_event(2005, 29e9), trade_event(2008, 58e9, offset=1)]
    events.append(trade_event(2010, 5e9, "EUR", offset=2))
    hostile = build_event(
        "</text><script>alert(1)</script>",
        type="trade",
        amount=(1e9, "USD", "$1bn"),
        measure="trade_volume",
        start="2009-05-01",
        offset=3,
    )
    svg = trade_chart_svg(trade_series([*events, hostile]), title="T")
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert any("(not plotted)" in text and "EUR" in text for text in texts)
    assert any("<script>" in text for text in texts)  # shown as text ...
    assert "<script>" not in svg  # ... because it was escaped


def test_trade_chart_svg_joins_only_consecutive_years() -> None:
    events = [
        trade_event(2001, 10e9, offset=1),
        trade_event(2002, 12e9, offset=2),
        trade_event(2011, 80e9, offset=3),
    ]
    root = ET.fromstring(trade_chart_svg(trade_series(events), title="T"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1  # 2001–2002; nothing crosses the nine years without a figure
    assert len(lines[0].get("points", "").split()) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def _boxes(svg: str) -> list[tuple[float, float, float, float]]:
    boxes = []
    for node in ET.fromstring(svg).iter(f"{SVG}text"):
        if node.get("class") == "value":
            x, y, text = float(node.get("x", 0)), float(node.get("y", 0)), node.text or ""
            half = 3.5 * len(text)
            boxes.append((x - half, y - 11, x + half, y + 3))
    return boxes


def test_trade_chart_svg_value_labels_never_overlap() -> None:
    # Many close figures in consecutive years, and exports just under the volumes.
    events = [trade_event(2000 + i, (50 + i) * 1e9, offset=i) for i in range(40)]
    events += [
        trade_event(2000 + i, (49 + i) * 1e9, offset=100 + i, measure="exports") for i in range(40)
    ]
    boxes = _boxes(trade_chart_svg(trade_series(events), title="T"))
    assert boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


@pytest.mark.parametrize("draw", [year_chart_svg, trade_chart_svg])
def test_svg_with_no_data_is_still_an_svg(draw: object) -> None:
    empty = events_per_year([]) if draw is year_chart_svg else trade_series([])
    svg = draw(empty, title="T")  # type: ignore[operator]
    assert ET.fromstring(svg).tag == f"{SVG}svg"


# -- the command ----------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer(cls=BilatGroup)
    register(application)
    return application


def test_cli_chart_text(app: typer.Typer, saved_store: Path) -> None:
    result = runner.invoke(app, ["chart", "china", "russia", "--width", "60"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Events per year by type: China–Russia (5 events)"
    assert "2014 ┃▒ 1" in lines
    assert not ANSI.search(result.stdout)


def test_cli_chart_filters_apply(app: typer.Typer, saved_store: Path) -> None:
    result = runner.invoke(app, ["chart", "china", "russia", "--type", "visit", "--to", "2023"])
    assert result.exit_code == 0
    assert "(1 event)" in result.stdout.splitlines()[0]


def test_cli_chart_trade_svg_to_file(app: typer.Typer, saved_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "trade"
    result = runner.invoke(
        app, ["chart", "china", "russia", "--trade", "-f", "svg", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"-> {target}.svg" in result.stderr  # the suffix is added, as export -o does
    root = ET.fromstring((tmp_path / "trade.svg").read_text(encoding="utf-8"))
    # The store's only figure is a 30-year gas deal's value: not a year's trade.
    assert list(root.iter(f"{SVG}circle")) == []
    assert "no trade volumes" in "".join(root.itertext())


def test_cli_chart_no_events_is_ok_with_a_note(app: typer.Typer, saved_store: Path) -> None:
    result = runner.invoke(app, ["chart", "china", "russia", "--from", "2100"])
    assert result.exit_code == 0
    assert "no events" in result.stdout and "no events match" in result.stderr


def test_cli_chart_unknown_country(app: typer.Typer, saved_store: Path) -> None:
    result = runner.invoke(app, ["chart", "narnia"])
    assert result.exit_code == 1 and "unknown country" in result.stderr


def test_cli_chart_bad_format_is_usage(app: typer.Typer, saved_store: Path) -> None:
    assert runner.invoke(app, ["chart", "china", "-f", "png"]).exit_code == 2
