"""Timeline headlines: the event's main clause, without its anchor, short."""

import pytest

from bilat.extract.titles import MAX_TITLE, make_title, table_row_title


def _span(sentence: str, anchor: str) -> tuple[int, int]:
    start = sentence.index(anchor)
    return start, start + len(anchor)


@pytest.mark.parametrize(
    ("sentence", "anchor", "title"),
    [
        (
            "In 2014, Russia and China signed a 30-year gas deal worth $400 billion, "
            "the largest in the history of the Russian gas industry.",
            "2014",
            "Russia and China signed a 30-year gas deal worth $400 billion",
        ),
        ("Cuba recognised the PRC in September 1960.", "September 1960", "Cuba recognised the PRC"),
        (
            "As of mid-2006, Cuba had purchased 100 locomotives from China for US$130 million.",
            "As of mid-2006",
            "Cuba had purchased 100 locomotives from China for US$130 million",
        ),
        (
            "Xi Jinping visited Moscow for talks; the two sides signed a statement.",
            None,
            "Xi Jinping visited Moscow for talks",
        ),
        (
            "Relations between China and Russia go back to the 16th century.",
            "the 16th century",
            "Relations between China and Russia go back to the 16th century",
        ),
        (
            "BEIJING, May 16 (Wire) - Russian President Vladimir Putin arrived in Beijing.",
            "May 16",
            "Russian President Vladimir Putin arrived in Beijing",
        ),
        (
            "- 2001: Treaty of Good-Neighborliness signed in Moscow",
            "2001",
            "Treaty of Good-Neighborliness signed in Moscow",
        ),
        (
            "| 2023 | Bilateral trade between the countries hits record | $240 billion |",
            "2023",
            "Bilateral trade between the countries hits record",
        ),
        (
            'Feb 2022: "No limits" joint statement issued',
            "Feb 2022",
            '"No limits" joint statement issued',
        ),
    ],
)
def test_titles(sentence: str, anchor: str | None, title: str) -> None:
    span = None if anchor is None else _span(sentence, anchor)
    assert make_title(sentence, span) == title


def test_long_sentences_are_cut_at_a_word() -> None:
    sentence = "China and Russia " + "agreed on many further things " * 10
    title = make_title(sentence)
    assert len(title) <= MAX_TITLE + 1
    assert title.endswith("…")
    assert not title[:-1].endswith(" ")


def test_an_anchor_heading_a_list_of_dates_stays() -> None:
    sentence = "The two countries fought wars in 1947–1948, 1965 and 1971."
    title = make_title(sentence, _span(sentence, "1947–1948"))
    assert title == "The two countries fought wars in 1947–1948, 1965 and 1971"


def test_a_clause_title_drops_its_connective() -> None:
    assert make_title("and a limited conflict in Kargil in mid-1999") == (
        "A limited conflict in Kargil in mid-1999"
    )


@pytest.mark.parametrize(
    ("header", "row", "title"),
    [
        (
            "Year | Exports to China | Imports from China",
            "2019 | 63.4 | 35.3",
            "Exports to China 63.4, Imports from China 35.3",
        ),
        ("Year | Event | Value", "2019 | Pipeline begins deliveries to China | $55 billion", None),
        ("Year | Exports", "2019 | 63.4 | 35.3", None),
    ],
)
def test_table_row_titles(header: str, row: str, title: str | None) -> None:
    assert table_row_title(header, row) == title
