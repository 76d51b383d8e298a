"""The guide's rules that hold on real documents, each on sentences written for this test.

Every case here is a general rule of ANNOTATION.md (types by what was done,
venues and furniture are not participants or events, chronology layout, named
periods), checked on invented text so that no development-set sentence is
copied into the project.
"""

from __future__ import annotations

from datetime import date

import pytest

from bilat import extract_text
from bilat.extract.text import split_sentences, uncapitalised

Row = tuple[str, str, tuple[str, ...], str]


def _events(text: str, published: date | None = None) -> list[Row]:
    result = extract_text(text, published=published)
    return [
        (e.date.start.isoformat(), e.date.end.isoformat(), tuple(e.countries), e.type)
        for e in result.events
    ]


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        # A concluded agreement between governments is a treaty whatever its subject.
        ("On 3 May 2011, the ministers of Chile and Peru signed a fisheries agreement.", "treaty"),
        ("In June 2004, Brazil and Argentina concluded a trade agreement.", "treaty"),
        ("In 1998, a cultural cooperation accord was signed by Ghana and Togo.", "treaty"),
        ("On 2 July 2015, Japan and Mongolia issued a joint statement on tourism.", "treaty"),
        # A meeting, visit or talks is a visit even when it is about trade or security.
        ("In 2009, the Norwegian foreign minister visited Poland to discuss trade.", "visit"),
        ("On 5 March 1999, the presidents of Ghana and Togo held talks on security.", "visit"),
        ("In May 2012, Chile and Peru launched negotiations for a free trade agreement.", "visit"),
        # Tourists visiting are not officials meeting.
        ("In 2019, more than a million Chinese tourists visited Thailand.", "cooperation"),
        # Penalties and fighting.
        ("In March 1980, Ghana blockaded the ports of Togo.", "sanctions"),
        ("In 1961, Indian troops invaded Portuguese Goa.", "conflict"),
        ("On 2 March 1971, Togolese rebels kill a Ghanaian border official.", "conflict"),
        ("In 1795, Prussia and Austria conducted a partition of Poland.", "conflict"),
        ("In 1961, Syria seceded from its union with Egypt.", "conflict"),
        (
            "On 9 October 2009, Japan congratulated Mongolia on the anniversary of its founding.",
            "diplomacy",
        ),
        ("In 1955, Greece and Turkey both joined the alliance as members.", "cooperation"),
        ("On 4 June 1990, the Ghanaian envoy attends a ceremony in Togo.", "visit"),
        # An agreement coming into force is the treaty's happening, whatever its subject.
        ("The Chile–Peru trade agreement entered into force in 2009.", "treaty"),
        ("In 1910, Chilean firms acquired mining concessions in Peru.", "investment"),
    ],
)
def test_type_names_what_was_done(text: str, type_: str) -> None:
    events = _events(text)
    assert events, text
    assert events[0][3] == type_


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        # The date attaches to the blockade, not to the talks at the head of the sentence.
        (
            "The talks between Ghana and Togo reopened the sea lanes of the gulf, which had"
            " been closed to shipping and blockaded by Ghana in 1979.",
            "sanctions",
        ),
        # ... and to the war, far from the treaty's recognition clause.
        (
            "The accord between Chile and Peru provided for recognition of the border and"
            " ended the state of war that had existed since the border war of 1879.",
            "conflict",
        ),
    ],
)
def test_type_is_the_happening_the_date_attaches_to(text: str, type_: str) -> None:
    events = _events(text)
    assert events, text
    assert events[0][3] == type_


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        # The venue of a meeting or signing between others is its setting.
        (
            "On 4 May 2010, the foreign ministers of Chile and Peru met in Geneva, Switzerland.",
            ("CHL", "PER"),
        ),
        (
            "Ghana–Togo relations\n\nThe border treaty of Ghana and Togo was signed in Paris, "
            "France, on 2 June 1961.",
            ("GHA", "TGO"),
        ),
        # A host that takes part stays.
        ("In 2012, talks between Chile and Bolivia were hosted by Peru.", ("BOL", "CHL", "PER")),
        # A country named only to place a town.
        (
            "In 1880, Bolivia and Peru opened a consulate in Antofagasta, present-day Chile.",
            ("BOL", "PER"),
        ),
    ],
)
def test_setting_countries_do_not_take_part(text: str, countries: tuple[str, ...]) -> None:
    events = _events(text)
    assert events, text
    assert events[0][2] == countries


def test_date_led_lines_are_chronology_entries_of_their_own() -> None:
    text = (
        "Year Date Event\n"
        "1961 4 March Ghana and Togo sign a border treaty\n"
        "12 June Ghana and Togo open embassies in each other's capitals\n"
    )
    events = _events(text)
    assert [(e[0], e[3]) for e in events] == [("1961-03-04", "treaty"), ("1961-06-12", "diplomacy")]


@pytest.mark.parametrize(
    "text",
    [
        # A headline closing on its year, standing alone, over the narrating paragraph.
        "Summary\n\nRecognition of Togo by Ghana, 1961.\n\nNarrative follows below.\n",
        # The page's own title, carrying its date.
        "A History of Ghana and Togo Relations since 1957\n\nSummary\n",
        # A press release introducing itself.
        "ACCRA - The minister released the following statement on the Ghana and Togo "
        "border treaty of May 3, 2001:\n",
    ],
)
def test_document_furniture_is_not_an_event(text: str) -> None:
    assert _events(text) == []


def test_a_page_marker_inside_a_sentence_is_furniture() -> None:
    text = (
        "The ministers of Ghana and Togo signed a treaty on the\n\n[[Page 12]]\n\n"
        "border on 3 May 1961.\n"
    )
    sentences = [s for s in split_sentences(text) if s.kind == "prose"]
    assert len(sentences) == 1
    assert sentences[0].text.endswith("border on 3 May 1961.")
    assert _events(text)[0][:3] == ("1961-05-03", "1961-05-03", ("GHA", "TGO"))


def test_a_title_case_headline_does_not_wrap_into_the_story() -> None:
    text = (
        "Joint Statement Between the Republic of Ghana and the Togolese Republic\n"
        "The presidents of Ghana and Togo met today in Lome.\n"
    )
    sentences = split_sentences(text)
    assert sentences[-1].text == "The presidents of Ghana and Togo met today in Lome."


def test_year_less_day_range_takes_the_year_in_force() -> None:
    text = "1971\n\n25 March to 27 March: Ghanaian troops attack Togo.\n"
    assert _events(text)[0][:2] == ("1971-03-25", "1971-03-27")


def test_present_tense_sentences_do_not_inherit_the_episode_date() -> None:
    text = (
        "On 3 May 2001, the president of Ghana visited Togo. "
        "The two countries continue to support each other in trade."
    )
    assert len(_events(text)) == 1


def test_past_sentences_still_inherit_and_reported_present_does_not_block() -> None:
    text = (
        "On 3 May 2001, the president of Ghana visited Togo. "
        "Ghana stated that Togo is a close partner and the two sides signed a trade pact."
    )
    assert [e[0] for e in _events(text)] == ["2001-05-03", "2001-05-03"]


def test_a_dateline_is_neither_anchor_nor_participant() -> None:
    text = "LOME, May 4 (Agency) - Ghana and Chile signed a border treaty on 2 May 2001."
    assert _events(text, published=date(2001, 5, 4)) == [
        ("2001-05-02", "2001-05-02", ("CHL", "GHA"), "treaty")
    ]


def test_lines_in_capitals_are_read() -> None:
    assert _events("ON 4 MAY 2001, GHANA AND TOGO SIGNED A BORDER TREATY.") == [
        ("2001-05-04", "2001-05-04", ("GHA", "TGO"), "treaty")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GHANA AND TOGO SIGN PACT", "Ghana AND Togo Sign Pact"),
        ("US AND UAE TALKS", "US AND UAE Talks"),
        ("Ordinary text stays as it is.", "Ordinary text stays as it is."),
    ],
)
def test_uncapitalised_keeps_offsets(line: str, expected: str) -> None:
    out = uncapitalised(line)
    assert out == expected
    assert len(out) == len(line)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("During the Cold War, Ghana and Togo kept close ties.", "1947-01-01", "1991-12-31"),
        (
            "Ghanaian and Togolese soldiers had fought side by side in World War II.",
            "1939-01-01",
            "1945-12-31",
        ),
    ],
)
def test_named_periods_date_sentences_without_a_time_expression(
    text: str, start: str, end: str
) -> None:
    assert _events(text)[0][:2] == (start, end)


def test_a_press_release_whose_title_names_nobody_is_about_its_dominant_pair() -> None:
    text = (
        "For Immediate Release\nOffice of the Spokesman\n\n"
        "Ghana welcomed the delegation from Togo. Ghana's president spoke first. "
        "On 3 May 2001, the two nations renewed their friendship in Accra."
    )
    assert _events(text)[0][2] == ("GHA", "TGO")


def test_the_place_a_treaty_is_named_after_does_not_take_part() -> None:
    text = "In 1921, Poland and Lithuania signed the Treaty of Riga."
    assert _events(text)[0][2] == ("LTU", "POL")


def test_then_and_at_the_time_point_back_at_the_paragraphs_date() -> None:
    # The first sentence names one country pair's date without making their event.
    text = (
        "Ghana held elections in March 1979. Togo then closed its border with Ghana."
        "\n\nIn 1985, Chile recalled its ambassador from Peru. At the time, Peru"
        " expelled the Chilean consul."
    )
    events = _events(text)
    assert ("1979-03-01", "1979-03-31", ("GHA", "TGO")) in [e[:3] for e in events]
    assert [e[:3] for e in events].count(("1985-01-01", "1985-12-31", ("CHL", "PER"))) == 2


def test_then_after_a_date_of_the_same_sentence_adds_no_event() -> None:
    text = "In May 1990, Ghana signed an accord with Togo, then a second protocol."
    assert len(_events(text)) == 1


def test_then_naming_a_former_status_is_not_a_date() -> None:
    text = "In 1975, Ghana met Togo. The talks were held in Lome, then the capital of Togo."
    events = extract_text(text).events
    assert events
    assert all(e.date.text != "then" for e in events)


@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        ("Chile–Peru relations", "In 1972, Chile held a referendum on the new constitution."),
        ("Ghana–Togo relations", "From 1970 to 1975, Ghana experienced two military coups."),
        ("Ghana–Togo relations", "On 2 May 1990, a new cabinet of Togo was formed."),
    ],
)
def test_a_countrys_own_politics_is_not_completed_with_the_pair(title: str, sentence: str) -> None:
    # The document's pair does not stand in for a second country of a one-country happening.
    assert _events(f"{title}\n\n{sentence}") == []


def test_internal_politics_naming_two_countries_is_an_event() -> None:
    events = _events("In 1973, Ghana backed a military coup in Togo.")
    assert [e[2] for e in events] == [("GHA", "TGO")]


@pytest.mark.parametrize(
    "second",
    [
        # A standing policy: "United" is a name, not a past verb.
        "The United States continues to support the accord of Ghana and Togo.",
        # Background before the episode.
        "Togo had been a protectorate of Ghana's allies.",
        # A state reaching up to now.
        "Ghana and Togo have expanded their trade.",
        # A plan.
        "Ghana and Togo plan to build a bridge with Benin and Nigeria.",
    ],
)
def test_background_and_standing_states_do_not_inherit_the_date(second: str) -> None:
    text = f"On 3 May 1990, Ghana and Togo signed a border accord. {second}"
    assert len(_events(text)) == 1


@pytest.mark.parametrize(
    "line",
    [
        "This chronology of Ghana–Togo relations lists the main events from 1957 to 1990.",
        "Talks between Ghana and Togo before May 1990 are described in the next article.",
    ],
)
def test_a_page_describing_itself_or_pointing_elsewhere_is_not_an_event(line: str) -> None:
    assert _events(line) == []


def test_a_year_naming_a_thing_does_not_swallow_the_next_date() -> None:
    # "its 1960 border" names a border; the war of 1964 is a happening of its own.
    text = "Ghana sought to restore its 1960 border with Togo, leading to war with Togo in 1964."
    assert ("1964-01-01", "1964-12-31", ("GHA", "TGO"), "conflict") in _events(text)


def test_a_country_a_meeting_talks_about_does_not_attend_it() -> None:
    text = (
        "On 4 June 1990, the president of Ghana travelled to Lome to meet the Togolese"
        " president and discuss the dispute between Benin and Nigeria."
    )
    assert [e[2] for e in _events(text)] == [("GHA", "TGO")]


def test_a_century_named_as_an_aim_is_not_a_date() -> None:
    text = "Ghana and Togo signed a partnership for the 21st century."
    assert _events(text) == []


def test_one_country_joining_a_list_of_named_treaties_is_not_a_pair_event() -> None:
    title = "Ghana–Togo relations\n\n"
    listed = "In 1995, Ghana signed the Ocean Fisheries Convention and the Nuclear Test Ban Treaty."
    assert _events(title + listed) == []
    # One named treaty signed by one side is still the pair's treaty.
    single = "In 1995, Ghana signed the Volta Border Treaty."
    assert [e[2:] for e in _events(title + single)] == [(("GHA", "TGO"), "treaty")]


def test_a_date_told_in_a_relative_clause_opens_no_episode() -> None:
    text = (
        "The accord of Ghana and Togo reopened the Volta crossing, which had been closed"
        " by Ghana in 1971. Togo agreed to demilitarise the river bank."
    )
    # The 1971 closure is an event; the next sentence continues the accord, not 1971.
    assert [e[0] for e in _events(text)] == ["1971-01-01"]


def test_years_after_another_happening_are_no_date_of_their_own() -> None:
    text = "Ghana and Togo signed a border treaty in 1979, two years after the Togolese visit."
    assert [e[0] for e in _events(text)] == ["1979-01-01"]
    # Counted from the paragraph's date, "Two years later" is a date.
    text = "Ghana and Togo signed a border treaty in 1979. Two years later, they opened embassies."
    assert [e[0] for e in _events(text)] == ["1979-01-01", "1981-01-01"]


def test_a_happening_the_document_dated_dates_the_sentences_set_after_it() -> None:
    text = (
        "Ghana opened an embassy in Togo after its April 1960 independence from France.\n\n"
        "Since Togo's independence, Ghana and Togo have kept close ties."
    )
    events = _events(text)
    assert ("1960-04-01", "1960-04-30", ("GHA", "TGO"), "diplomacy") in events
    assert len(events) == 2
    # Unknown to the document, the happening dates nothing.
    assert _events("Since Togo's independence, Ghana and Togo have kept close ties.") == []


def test_a_country_in_a_concessive_phrase_does_not_take_part() -> None:
    text = "In 1990, despite Chilean objections, Peru and Bolivia signed a border accord."
    assert [e[2] for e in _events(text)] == [("BOL", "PER")]


def test_the_next_sentence_continues_the_main_happening_not_a_scene_setting_date() -> None:
    text = (
        "Ghana–Togo relations\n\nGhana and Togo signed the border treaty in Lomé on 4 May 1981,"
        " following the 1980 Volta talks. The treaty was signed by the Ghanaian and Togolese"
        " presidents and witnessed by Mali."
    )
    inherited = [e for e in extract_text(text).events if e.date.resolution == "inherited"]
    assert [(e.date.start.isoformat(), e.type) for e in inherited] == [("1981-05-04", "treaty")]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May 2004, Ghanaian troops shelled the positions of the separatists.",
        "On 3 May 2004, Ghana's army clashed with Ossetian militias near the border.",
        "On 3 May 2004, the Ghanaian president urged the rebels to lay down their arms.",
    ],
)
def test_one_side_against_a_non_state_party_is_not_the_pairs_event(sentence: str) -> None:
    assert _events("Ghana–Togo relations\n\n" + sentence) == []


def test_a_non_state_party_does_not_hide_two_named_countries() -> None:
    text = "On 3 May 2004, Ghana and Togo agreed to fight the rebels together."
    assert [e[2] for e in _events("Ghana–Togo relations\n\n" + text)] == [("GHA", "TGO")]


def test_a_date_leading_a_chronology_line_stays_in_force_after_a_line_with_no_event() -> None:
    text = (
        "Ghana–Togo relations\n\n"
        "- May 4 - Ghanaian troops shelled the rebels. Togo protested to Ghana and sent an"
        " envoy."
    )
    events = extract_text(text, published=date(2004, 12, 1)).events
    assert [(e.date.start.isoformat(), e.countries) for e in events] == [
        ("2004-05-04", ["GHA", "TGO"])
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May 2004, the Ghanaian army began an operation against Togo.",
        "In 2004, Ghana launched an offensive against Togo.",
    ],
)
def test_an_operation_against_a_country_is_conflict(sentence: str) -> None:
    assert [e[3] for e in _events(sentence)] == ["conflict"]


@pytest.mark.parametrize(
    "text",
    [
        # "it" is the country the previous sentence named first ...
        "Togo became a republic in 1960. In 1974, it invaded Benin.",
        # ... or the one named before it in its own sentence.
        "Although Togo had disputed the border for years, it invaded Benin in 1974.",
    ],
)
def test_a_subject_it_stands_for_the_country_named_before_it(text: str) -> None:
    events = _events("Ghana–Togo relations\n\n" + text)
    assert [e[2] for e in events if e[0] == "1974-01-01"] == [("BEN", "TGO")]


def test_it_without_a_country_before_it_stands_for_nothing() -> None:
    assert _events("The accord was drafted in 1974. In 1975, it reached Benin.") == []


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        # The precedence rules look at the anchor's own clause: the ties restored on
        # the date, not the accord of the clause before it.
        (
            "Upon the election of a new premier, a peace agreement was reached, and ties"
            " between Ghana and Togo were re-established on 3 May 2001.",
            "diplomacy",
        ),
        # "Renewed" alone renews anything: a friendship is no treaty.
        ("On 4 June 2010, Chile and Peru renewed their friendship.", "diplomacy"),
        # Allies fighting together are defence cooperation, not a war between them.
        ("In 1944, Brazilian and American soldiers fought side by side.", "military"),
        # Lobbying for sanctions is a stance; the sanctions are what it asked for.
        ("In 2003, the Ghanaian government lobbied for sanctions against Togo.", "diplomacy"),
        # A pledge is a statement: what it promises to prevent is its content.
        ("On 3 March 1961, Ghana pledged that it would repel any attack by Togo.", "diplomacy"),
        # Meeting a challenge is no meeting of officials.
        (
            "On 5 May 2005, Chile and Peru forged a partnership that meets the challenges"
            " of the century.",
            "diplomacy",
        ),
        # A military government is a form of rule, not a military happening.
        (
            "In 1985, ties between the military governments of Ghana and Togo grew closer.",
            "diplomacy",
        ),
        # A state of war is the fighting, however the sentence frames it.
        (
            "The accord of Ghana and Togo provided for recognition and ended the state of war"
            " that had existed since 1961.",
            "conflict",
        ),
        # A range standing before a happening's noun dates that happening.
        (
            "The summit agenda of Ghana and Togo included the ending of the 1960-62 war and"
            " the massive deployment of troops along the frontier.",
            "conflict",
        ),
    ],
)
def test_the_anchors_own_happening_types_the_event(text: str, type_: str) -> None:
    assert [e[3] for e in _events(text)] == [type_]


def test_a_name_year_gives_way_to_the_sentences_date_of_a_happening() -> None:
    text = (
        "Reforms leading to the Constitution of 1821 led Chile to a border war with Peru in 1879."
    )
    assert [e[0] for e in _events(text)] == ["1879-01-01"]
    # A year naming a happening ("the 1951 treaty") still dates an event of its own.
    text = "In 1970, Chile and Peru renewed the 1951 treaty on fisheries."
    assert [e[0] for e in _events(text)] == ["1951-01-01", "1970-01-01"]


def test_a_named_period_dates_its_own_clause_beside_another_dated_clause() -> None:
    text = (
        "Ghana and Togo fought a border war from 1960 to 1962, and during the Cold War,"
        " the two governments opposed each other."
    )
    assert [(e[0], e[1]) for e in _events(text)] == [
        ("1947-01-01", "1991-12-31"),
        ("1960-01-01", "1962-12-31"),
    ]


def test_a_when_clause_elaborates_and_does_not_type_the_main_happening() -> None:
    text = (
        "Ghana recognised Togo on 6 March 1961, when the Ghanaian envoy was empowered to"
        " conclude a treaty of commerce with Togo."
    )
    assert [e[3] for e in _events(text)] == ["diplomacy"]


def test_the_country_hosting_an_exercise_of_two_others_is_its_venue() -> None:
    text = "Ghana–Togo relations\n\nIn 2002, Ghana and Togo held joint naval drills in Benin."
    assert [e[2:] for e in _events(text)] == [(("GHA", "TGO"), "military")]


def test_an_agreement_between_state_media_takes_its_subjects_type() -> None:
    text = "In 2015, Xinhua and TASS signed a news sharing agreement."
    assert [e[2:] for e in _events(text)] == [(("CHN", "RUS"), "cooperation")]


def test_after_which_opens_a_happening_dated_by_the_date_before_it() -> None:
    text = (
        "Ghana–Togo relations\n\nTogo gained independence from France in 1960, after which"
        " Ghana and Togo exchanged ambassadors."
    )
    assert ("1960-01-01", "1960-12-31", ("GHA", "TGO"), "diplomacy") in _events(text)
    assert len(_events(text)) == 2


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        # A president's administration stands for the United States.
        ("In 1994, the Clinton administration praised the Ghanaian trade reform.", ("GHA", "USA")),
        # A state named under two names is one participant, the name nearest the date.
        (
            "Poland sought to restore its old border with Russia, leading to war with the"
            " Soviet Union in 1920.",
            ("POL", "SUN"),
        ),
        # "Our two countries" names the document's pair.
        (
            "Ghana–Togo relations\n\nSince 1994, the trade pact between our two countries and"
            " Benin has created jobs.",
            ("BEN", "GHA", "TGO"),
        ),
        # An envoy's posting is where the envoy serves, not who takes part.
        (
            "Ghana–Togo relations\n\nOn 6 March 1961, the Ghanaian Minister to France"
            " delivered a note recognising Togo.",
            ("GHA", "TGO"),
        ),
        # A currency named after a country is no participant.
        ("In 2019, Ghana and Togo priced their oil deal in Chinese yuan.", ("GHA", "TGO")),
    ],
)
def test_participants_are_the_countries_taking_part(text: str, countries: tuple[str, ...]) -> None:
    assert [e[2] for e in _events(text)] == [countries]
