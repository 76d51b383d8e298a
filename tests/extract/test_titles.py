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


def test_long_clauses_end_at_a_phrase_boundary_without_an_ellipsis() -> None:
    sentence = (
        "China acquired two Sovremenny-class destroyers from Russia in a deal "
        "for its navy with surface-to-air and anti-ship missiles mounted on them "
        "for the defence of its coasts."
    )
    title = make_title(sentence)
    assert title == (
        "China acquired two Sovremenny-class destroyers from Russia in a deal for its navy"
    )
    assert len(title) <= MAX_TITLE
    assert "…" not in title


def test_a_clause_with_no_phrase_boundary_is_kept_whole() -> None:
    sentence = "China and Russia " + "agreed-on-many-further-things " * 6
    assert make_title(sentence) == sentence.strip()


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "During the visit of the Russian Prime Minister to Beijing, Russian and Chinese "
            "officials signed an agreement.",
            "Russian and Chinese officials signed an agreement",
        ),
        (
            "According to a 2019 survey by the Pew Research Center, 71% of Russians have a "
            "favorable view of China.",
            "71% of Russians have a favorable view of China",
        ),
        ("However, the two sides signed a new accord.", "The two sides signed a new accord"),
    ],
)
def test_a_scene_setting_opening_is_left_out(sentence: str, title: str) -> None:
    assert make_title(sentence) == title


def test_a_leading_pronoun_is_replaced_by_the_person_meant() -> None:
    title = make_title("He did not attend the summit in Beijing.", person="Vladimir Putin")
    assert title == "Vladimir Putin did not attend the summit in Beijing"
    assert make_title("He did not attend the summit.") == "He did not attend the summit"


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
