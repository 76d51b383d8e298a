"""Orchestration: documents in, validated events out (ANNOTATION.md sections 1–3).

Each stage is its own module — sentences (:mod:`bilat.text`), time expressions
(:mod:`bilat.timex`), participants (:mod:`bilat.gazetteer`), money
(:mod:`bilat.amounts`), types (:mod:`bilat.classify`) — and this module only
decides which (sentence, time anchor) pairs carry a happening between two or
more countries, and assembles the events.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from bilat.errors import InputError
from bilat.extract.amounts import MoneyMention, find_amounts, to_model
from bilat.extract.caseless import Caseless, fold
from bilat.extract.classify import Classification, TypeClassifier
from bilat.extract.documents import Document, InputProblem, collect_documents, read_document
from bilat.extract.gazetteer import Gazetteer, Mention
from bilat.extract.history import RENAMED_STATES, in_period, same_state
from bilat.extract.named_events import NamedEventFinder
from bilat.extract.text import (
    Sentence,
    document_title,
    require_unicode,
    split_sentences,
    uncapitalised,
)
from bilat.extract.timex import TimeExpression, find_time_expressions
from bilat.extract.titles import make_title, table_row_title
from bilat.models import Actor, DocumentInfo, Event, EventDate, Mod, Source, event_id

ProgressCallback = Callable[[int, int, str], None]
"""Called after each document with (documents done, documents in all, path)."""

# Phrases that stand for the document's main pair ("the two countries").
_PAIR_PHRASE = Caseless(
    r"\b(?:(?:the|our) two (?:countries|nations|sides|states|governments|leaders|neighbou?rs|powers"
    r"|militaries)"
    r"|both (?:countries|nations|sides|states|governments|leaders)"
    r"|the (?:countries|pair)\b|bilateral(?:ly)?|each other)",
)
# Sections whose lines are references, not narrative.
_SKIPPED_SECTIONS = Caseless(
    r"^\W*(?:see also|references|notes|further reading|external links|bibliography|sources"
    r"|citations|footnotes)\W*$",
)
_RECENT_SECTIONS = 64
"""Section headings whose verdict is kept: each is asked for by every sentence under it."""
# Boundaries between clauses that can each carry their own happening.
_CLAUSE_BREAK = Caseless(
    r";|,\s+(?:while|whereas|but|and|which|compared|further|followed|after which)\b"
    r"|\s+while\s+|\s+(?:compared (?:to|with))\s+",
)

# A sentence continuing a dated episode narrates it in the past tense; generic
# openings ("Although ...", "For Russia, ...") introduce analysis instead.
_NARRATIVE_VERB = re.compile(
    r"\b(?:was|were|had|did|could not|would|(?-i:[a-z]\w{2,}ed)|held|met|made|said|took|gave"
    r"|sold|bought|built|began|sent|led|won|told|saw|found|became|came|went|brought|paid|spent|wrote"
    r"|spoke|withdrew|fought|grew|rose|fell|struck|drew|chose|broke|stood|undertook)\b",
    re.IGNORECASE,
)
_GENERIC_OPENING = Caseless(
    r"^(?:although|though|for (?:\w+ ){0,2}\w+,|given|as |while|whereas|most|more than|many"
    r"|some|it is|it was|this is|there (?:is|are)|according to analysts|analysts|experts"
    r"|industry experts|observers|critics|in general|overall|however,? (?:some|many))",
)
# Habits, trends, hypotheticals and standing states are not one dated happening.
_NOT_AN_EPISODE = Caseless(
    r"\b(?:regularly|usually|often|generally|typically|traditionally|increasingly|gradually"
    r"|annually|every year|a year|would|could(?! not)|might|may|is designed|is the|are the|has been"
    r"|have been|have both|had been|possibility|suggested|argued|admitted)\b",
)
_PRESENT_OR_FUTURE = Caseless(
    r"\b(?:is|are|am|will|shall|must|continues|remains|supports|reflects|seeks|aims|looks"
    r"|(?:plan|intend|expect|hope|aim|seek|want)s? to"
    r"|ha(?:s|ve) (?:\w+ly )?[a-z]\w+(?:ed|en|wn))\b",
)
# A news dateline: a place in capitals, perhaps a date and an agency, then a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][\w.' -]{1,30})?,?\s+"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*)?(?:\([^)]{1,40}\)\s*)?[-–—]{1,2}\s+"
)
# A text about itself or pointing to another: a press release introducing itself
# ("released the following statement on ..."), a page or list saying what it
# covers ("This timeline details ...") or where the rest is told ("Events
# before 2008 are described in ...").
# Before and after the date leading a chronology line ("- August 8 - ...", "12 May: ...").
_LINE_MARKER = re.compile(r"[-–•*\s]*")
_AFTER_LEADING_DATE = re.compile(r"\s*[-–—:]")
# "it" as the subject of a past-tense verb, opening the sentence or a clause.
_SUBJECT_IT = re.compile(
    r"(?:^|,\s+)(?P<it>[Ii]t)\s+(?:also\s+|then\s+|later\s+)?"
    r"(?:[a-z]{3,}ed|became|began|won|fought|broke|sent|signed|joined|left)\b"
)
_ABOUT_THE_DOCUMENT = Caseless(
    r"\b(?:released|issued|made|delivered) the following\b"
    r"|\bthe following (?:joint )?(?:statement|remarks|fact sheet|communiqu[eé])\b"
    r"|\b(?:is|are) (?:described|covered|detailed|discussed|listed) (?:in|at|under|below)\b"
    r"|\b(?:this|the) (?:timeline|chronology|article|page|list|section|table)(?: of [^,.]{1,60})?"
    r" (?:details|describes|lists|covers|presents|gives|shows)\b",
)
# Words that point back at the date in force ("France then declared war", "since
# then", "at the time", "after which"): the guide resolves them against the
# paragraph's nearest earlier anchor. Not "then-President" or "(then Transjordan)".
_ANAPHORIC_TIME = re.compile(
    r"(?i:\b(?:(?P<since>since then)|(?P<by>by then)|(?P<until>until then)"
    r"|at (?:that|the) time|on (?:this|that) (?:date|day)|after which|(?:has|have|had) since"
    r"|(?<![(\-–])then\b))(?![-–]|\s+(?:[A-Z]|(?i:the|an?)\b))"
)
_AFTER_WHICH = re.compile(r", (?P<w>after which)\b")
_ANAPHORIC_WORDS = ("then", "time", "date", "day", "which", "since")
"""A word of each of :data:`_ANAPHORIC_TIME`'s alternatives, as :func:`fold` folds text:
most sentences have none, and are ruled out without the regex."""
# A treaty known by its own name: "the Non-Proliferation Treaty", "the Chemical
# Weapons Convention" (not "the Treaty of ..." or "a treaty with ...").
_NAMED_TREATY = re.compile(
    r"\b(?:[A-Z][\w-]*\s+){1,6}(?:Treaty|Convention)\b(?!\s+(?:of|with|between)\b)"
)
# "the Treaty of Riga", "the Congress of Vienna": a place inside the name of a treaty.
_NAMED_AFTER_PLACE = re.compile(
    r"\b(?:Treaty|Peace|Congress|Conference|Convention|Protocol|Accords?|Declaration)"
    r" (?:of|in) (?:the )?$"
)
_NAMED_AFTER_PLACE_ENDINGS = ("of ", "in ", "the ", " \n")
"""How a text before a match of :data:`_NAMED_AFTER_PLACE` ends (``$`` also matches
before a final newline): a cheap test that rules out most mentions."""
# "an anti-U.S. alliance", "pro-Russian media": an attitude towards a country.
_ATTITUDE_BEFORE = re.compile(r"\b(?:anti|pro|non)-$", re.IGNORECASE)
_ATTITUDE_ENDINGS = ("-", "-\n")
"""How a text before a match of :data:`_ATTITUDE_BEFORE` ends."""
_CURRENCY_AFTER = re.compile(
    r"\s*(?:dollars?|yuan|renminbi|rubles?|roubles?|euros?|pounds?|yen|rupees?|pesos?)\b",
    re.IGNORECASE,
)

# Between an earlier anchor and a later one, these mark the later date as a term
# of the first happening ("signed contracts ... to sell oil to China in 1999"),
# not a happening of its own.
_QUALIFYING = re.compile(
    r"\b(?:would|will|shall|to (?!the\b|a\b|an\b)[a-z]+|onwards|adding|planned|expected)\b"
)

# Capitalised words running up to a surname: the rest of a person's name.
_GIVEN_NAMES = re.compile(r"(?:\b[A-Z][a-z]+\s){1,3}$")
# Words before a surname that are titles or sentence words, not given names.
_NOT_A_NAME = re.compile(
    r"(?:President|Premier|Minister|Chairman|Chairwoman|Secretary|General|Leader|Prime"
    r"|Chancellor|King|Queen|Prince|Emperor|Ambassador|Envoy|Senator|Governor|Mayor|Director"
    r"|Spokesman|Spokeswoman|Mr|Mrs|Ms|Dr|The|In|On|At|By|As|When|After|Before|And|But)$"
)
_PAST_PARTICIPLE = re.compile(r"\b[a-z]{3,}ed\b")
_RELATIVE_OPENING = Caseless(r"[\s,;]*(?:which|who|whom|whose|that|where)\b")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
# Happenings a document dates once and refers back to ("since Kenya's independence",
# "in the immediate aftermath of the earthquake").
_HAPPENING_WORDS = (
    r"independence|earthquake|tsunami|hurricane|cyclone|invasion|annexation|revolution|coup"
    r"|armistice|ceasefire|partition|dissolution|reunification|unification|withdrawal"
)
_HAPPENING = Caseless(rf"\b(?:{_HAPPENING_WORDS})\b")
_HAPPENING_WINDOW = 60
_AFTER_HAPPENING = Caseless(
    r"\b(?P<lead>since|after|following|until|in the (?:immediate )?aftermath of"
    r"|in the (?:years|months|decades) since)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:[A-Z][\w.-]*(?:['’]s)?\s+){0,3}(?:[a-z][\w.-]*\s+){0,2}?"
    rf"(?P<head>{_HAPPENING_WORDS})\b",
)
_FROM_ANOTHER = re.compile(r"\b(?:after|before|prior)\Z", re.IGNORECASE)
_OBJECT_AFTER = re.compile(r"\s+(?:to\s+)?[\w'’]")
_AIM_BEFORE = re.compile(r"\bfor\s+\Z", re.IGNORECASE)
# A year that tells which thing a noun names ("its 1772 boundaries", "the
# Constitution of 1791") rather than when a happening took place.
_BARE_YEAR = re.compile(r"\d{4}")
_THE_BEFORE = re.compile(r"\bthe\s+\Z", re.IGNORECASE)
_YEARS = re.compile(r"\d{4}(?:[–-]\d{2,4})?")
_MODIFIER_YEAR_BEFORE = re.compile(
    r"(?:\b(?:the|its|their|his|her|our)(?:\s+[a-z]+)?|['’]s)\s+\Z|\b[A-Z][a-z]+\s+of\s+\Z"
)
_NAMED_BEFORE_OF = re.compile(r"(\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+of\s+\Z")
_WORDS_AFTER = re.compile(r"\s*((?:[\w’'.-]+\s*){0,3})")
_NOUN_AFTER = re.compile(r"\s+(?!and\b|or\b|to\b|with\b|by\b|when\b)\w")

# "in Deauville, France", "at Camp David in", "in Washington, D.C., United States":
# a place preposition, then at most a few capitalised place words, then the country.
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside)\s+(?:(?:the\s+)?[A-Z][\w.'’-]*,?\s+){0,4}\Z")
# "the American Minister to England", "Ghana's ambassador to the United Nations":
# an envoy's posting says where the envoy serves, not who takes part.
_POSTING = re.compile(
    r"\b(?:[Aa]mbassadors?|[Mm]inisters?|[Ee]nvoys?|[Cc]onsuls?(?:-[Gg]eneral)?|[Cc]harg[eé]"
    r" d['’]affaires|[Rr]epresentatives?)\s+(?:to|in)\s+(?:the\s+)?\Z"
)
_PRESENT_DAY = re.compile(r"\bpresent-day\s+(?:[A-Z][\w.'’-]*,?\s+){0,3}\Z")
# "met ... to discuss the dispute between Kuwait and Iraq", "discussions on the
# North Korean nuclear issue": a country a meeting talks about does not attend it.
_TOPIC = re.compile(
    r"\b(?:discuss(?:ed|es|ing)?|discussions?\s+(?:on|of|about)|talks\s+on|on\s+the\s+issue\s+of"
    r"|regarding|concerning)\b(?:(?!\bwith\b|\band\s+(?:met|held|signed|agreed)\b)[^;.:])*\Z",
    re.IGNORECASE,
)
_TOPIC_WORDS = ("discuss", "talks", "issue", "regarding", "concerning")
"""A word of each of :data:`_TOPIC`'s alternatives, folded as :func:`fold` folds text."""
_LOCATIVE_WINDOW = 60
_TOPIC_WINDOW = 200
_VENUE_TYPES = frozenset({"visit", "treaty", "military"})
"""Happenings with a venue: meetings, summits, talks, signings and exercises."""

_DOMINANT_MENTIONS = 3
"""Mentions that make a country the subject of a document whose title names none."""

_INHERIT_LIMIT = 3
"""How many following sentences may inherit one anchor: episodes are short."""


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The events of one document and what the store records about the document."""

    info: DocumentInfo
    events: list[Event]
    undated: tuple[str, ...] = ()
    """Relative dates ("last Tuesday", "this month") left unresolved for want of a
    publication date: the CLI names them and the flag to pass."""
    notes: tuple[str, ...] = ()
    """What reading changed on the way (bad UTF-8 bytes replaced): one line each, for stderr."""
    records: tuple[str, ...] = ()
    """Each event's :meth:`~bilat.models.Event.record`, when the process that extracted
    the document rendered them for the store's writer (a corpus run's workers do)."""


@dataclass(frozen=True, slots=True)
class ExtractionRun:
    """The outcome of extracting several paths: results, and the inputs that were skipped."""

    results: list[DocumentResult] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Read but changed on the way (bad UTF-8 bytes replaced): one line each, for stderr."""


@dataclass(frozen=True, slots=True)
class _Table:
    """A flattened table's header row (and the caption before it, if it ends with ":").

    Rows such as "2019 | 63.4 | 35.3" name neither countries nor a happening:
    the header and caption do, for every row.
    """

    header: str
    text: str
    mentions: list[Mention]


class _Anchor(NamedTuple):
    """A resolved time anchor in force for a sentence."""

    date: EventDate
    key: str


def extract_paths(
    paths: Sequence[Path | str],
    *,
    published: date | None = None,
    on_progress: ProgressCallback | None = None,
    max_chars: int | None = None,
) -> ExtractionRun:
    """Extract every readable document under ``paths``; unreadable ones become problems.

    A document longer than ``max_chars`` characters is a problem too, so that one
    huge file cannot hold up a run for minutes.
    """
    files, problems = collect_documents(paths)
    results: list[DocumentResult] = []
    notes: list[str] = []
    for done, path in enumerate(files, start=1):
        try:
            document = read_document(path, published=published)
            check_length(document, max_chars)
        except InputError as exc:
            problems.append(InputProblem(path=path.as_posix(), message=str(exc)))
        else:
            notes.extend(document.notes)
            results.append(extract_document(document))
        if on_progress is not None:
            on_progress(done, len(files), path.as_posix())
    return ExtractionRun(results=results, problems=problems, notes=notes)


def check_length(document: Document, max_chars: int | None) -> None:
    """Refuse a document longer than ``max_chars`` characters (None: no limit).

    One huge file must not hold up a run for minutes; the CLI's ``--max-chars``.
    """
    if max_chars is not None and len(document.text) > max_chars:
        raise InputError(
            f"{document.path}: {len(document.text):,} characters, more than the "
            f"limit of {max_chars:,}; skipped",
            hint="split the document, or raise the limit with --max-chars",
        )


def extract_text(
    text: str, *, doc: str = "<text>", published: date | None = None
) -> DocumentResult:
    """Extract events from a string, as if it were a document at path ``doc``.

    Raises :class:`InputError` for text that is not valid Unicode (a lone surrogate).
    """
    require_unicode(text)
    document = Document(
        path=doc,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        published=published,
        title=document_title(text),
    )
    return extract_document(document)


def extract_document(document: Document) -> DocumentResult:
    """All events of one document, sorted, with the document's store entry."""
    with collector_paused():
        extractor = _DocumentExtractor(document, Gazetteer.default(), TypeClassifier.default())
        events = sorted(extractor.run(), key=Event.sort_key)
    info = DocumentInfo(
        path=document.path,
        sha256=document.sha256,
        title=document.title,
        published=document.published,
        pair=list(extractor.pair),
        events=len(events),
        format=document.format,
    )
    # "now", "the past" (PRESENT_REF, PAST_REF) stay vague whatever the date: not counted.
    undated = tuple(
        t.text
        for t in extractor.timexes
        if t.kind == "deictic" and t.date is None and not (t.value or "").endswith("_REF")
    )
    return DocumentResult(info=info, events=events, undated=undated, notes=tuple(document.notes))


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while extracting, then as it was.

    Extraction builds many objects that live until it ends (sentences, time
    expressions, events), and the collector would walk them over and over (a
    twentieth of the time on a long document). It makes next to no reference
    cycles (10 unreachable objects after 300 documents), so reference counting
    frees what it drops meanwhile.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _DocumentExtractor:
    """One pass over one document; holds the per-document indexes the rules consult."""

    def __init__(
        self, document: Document, gazetteer: Gazetteer, classifier: TypeClassifier
    ) -> None:
        self.doc = document
        self.gazetteer = gazetteer
        self.classifier = classifier
        text = document.text
        self.sentences = split_sentences(text)
        self.timexes = [
            t
            for t in find_time_expressions(text, published=document.published)
            if t.kind != "duration"
        ]
        self.named, spans = NamedEventFinder.default().scan(text)
        self.named_spans = [_Span(start, end) for start, end in spans]
        # Names are matched case-sensitively; lines in capitals are read in title case.
        self.mentions = gazetteer.find_mentions(uncapitalised(text))
        self.last_person: str | None = None
        self.last_country: Mention | None = None
        """The first country of the last sentence that named one: what "it" points back at."""
        self.person_before: str | None = None
        self.amounts = find_amounts(text)
        self.pair = self._infer_pair()
        self.series: Classification | None = None
        """The paragraph's last classification of an event that stated a sum of money."""
        self.happenings: dict[str, EventDate] = {}
        """Happenings the document has dated so far ("independence" -> December 1963)."""

    # -- document level -------------------------------------------------------------

    def _infer_pair(self) -> tuple[str, ...]:
        """The document's main pair: from its title, else its two dominant countries.

        A press release whose title names nobody ("For Immediate Release") is
        about the country it names most and the one other country it names.
        """
        title_codes = _ordered_codes(self.gazetteer.find_mentions(uncapitalised(self.doc.title)))
        if len(title_codes) == 2:
            return tuple(sorted(title_codes))
        counts = Counter(m.code for m in self.mentions if m.code is not None)
        if len(title_codes) > 2:
            ranked = sorted(title_codes, key=lambda c: -counts[c])
            return tuple(sorted(ranked[:2]))
        top = counts.most_common(2)
        one_sided = not title_codes and top[0][1] >= _DOMINANT_MENTIONS if top else False
        if len(top) == 2 and (top[1][1] >= 2 or one_sided):
            return tuple(sorted(code for code, _ in top))
        return ()

    # -- sentence level ---------------------------------------------------------------

    def run(self) -> list[Event]:
        events: list[Event] = []
        timex_i = named_i = span_i = mention_i = amount_i = 0
        in_force: _Anchor | None = None
        # The paragraph's latest resolved date, which "then" and "at the time" point back at.
        last_dated: _Anchor | None = None
        inherited_run = 0
        paragraph = -1
        table: _Table | None = None
        caption: tuple[str, list[Mention]] | None = None
        for sentence in self.sentences:
            if sentence.paragraph != paragraph:
                paragraph, in_force, inherited_run = sentence.paragraph, None, 0
                last_dated = None
                self.series = None
            timex_i, timexes = _within(self.timexes, timex_i, sentence)
            named_i, named = _within(self.named, named_i, sentence)
            span_i, settings = _within(self.named_spans, span_i, sentence)
            mention_i, mentions = _within(self.mentions, mention_i, sentence)
            # "He" opening this sentence is the person last named before it.
            self.person_before, self.last_person = (
                self.last_person,
                _last_person(mentions, self.last_person),
            )
            mentions, self.last_country = _resolve_it(sentence, mentions, self.last_country)
            amount_i, amounts = _within(self.amounts, amount_i, sentence)
            dateline = _DATELINE.match(sentence.text)
            if dateline is not None:
                # "OSLO, May 4 (Reuters) -": where and when the story was filed.
                cut = sentence.start + dateline.end()
                timexes = [t for t in timexes if t.start >= cut]
                mentions = [m for m in mentions if m.start >= cut]
            self._remember_happenings(sentence, timexes)
            if sentence.kind == "heading" or _skipped(sentence):
                in_force = table = caption = None
                continue
            row_of = table
            if sentence.kind != "table":
                table = None
                caption = (sentence.text, mentions) if sentence.text.endswith(":") else None
            elif table is None:
                lead, lead_mentions = caption or ("", [])
                table = _Table(sentence.text, f"{lead} {sentence.text}", lead_mentions + mentions)
                row_of = None
            # A named event ("the Russian invasion of Ukraine") dates only undated sentences.
            anchors = [t for t in timexes if t.date is not None]
            # Read once here for the named events, the anchored events and the main anchor.
            clauses = _clauses(sentence) if anchors or named else None
            if last_dated is not None:
                anaphors = _anaphoric_anchors(sentence, last_dated, timexes)
                anchors = sorted([*anchors, *anaphors], key=lambda t: t.start)
            if anchors and ", after which" in sentence.text:
                anchors = sorted(
                    [*anchors, *_after_which(sentence, anchors)], key=lambda t: t.start
                )
            if anchors and named:
                assert clauses is not None
                dated = {next(c for c in clauses if c[0] <= a.start < c[1]) for a in anchors}
                undated = [n for n in named if not any(c[0] <= n.start < c[1] for c in dated)]
                anchors = sorted([*anchors, *undated], key=lambda t: t.start)
            anchors = anchors or named or self._referenced_happenings(sentence)
            # A sentence with no anchor and no episode in force changes nothing either way.
            if (anchors or in_force is not None) and _ABOUT_THE_DOCUMENT.search(sentence.text):
                in_force = None
            elif anchors:
                if clauses is None:
                    clauses = _clauses(sentence)
                mentions = _participant_mentions(
                    mentions, [*anchors, *settings], amounts, self.doc.text
                )
                made = self._anchored_events(sentence, clauses, anchors, mentions, amounts, row_of)
                events.extend(made)
                last = self._main_anchor(sentence, anchors)
                assert last.date is not None
                # Only a sentence that made an event opens an episode others can continue,
                # and not with a date told in passing (", which had been blockaded in 1967");
                # a date leading a chronology line ("August 8 - ...") heads it whatever.
                last_dated = _Anchor(last.date, f"{last.start}:{last.text}")
                aside = _in_relative_clause(sentence, clauses, last)
                leads = _leads_line(sentence, anchors[0])
                in_force = last_dated if (made or leads) and not aside else None
                inherited_run = 0
            elif timexes:
                # An unresolvable time expression starts a new episode we cannot date.
                in_force = None
            elif in_force is not None and inherited_run < _INHERIT_LIMIT:
                mentions = _participant_mentions(mentions, settings, amounts, self.doc.text)
                event = self._inherited_event(sentence, in_force, mentions, amounts)
                if event is None:
                    in_force = None
                else:
                    events.append(event)
                    inherited_run += 1
        return events

    def _anchored_events(
        self,
        sentence: Sentence,
        clauses: list[tuple[int, int]],
        anchors: list[TimeExpression],
        mentions: list[Mention],
        amounts: list[MoneyMention],
        table: _Table | None = None,
    ) -> list[Event]:
        """The events the sentence's anchors date; ``clauses`` is :func:`_clauses` of it."""
        events: list[Event] = []
        dating = _not_aims(_outside_quotes(anchors, sentence), self.doc.text)
        dating = _not_measured_from_others(dating, self.doc.text)
        dating = _not_names_beside_dates(dating, self.doc.text, self.classifier)
        kept = _own_happenings(_distinct_anchors(dating, clauses), clauses, self.doc.text)
        # "In March 2023, Politico reported that Norinco shipped rifles between June and
        # December 2022": the report's date gives way to the dated happening it reports.
        reported = sentence.start + self.classifier.reported_from(sentence.text)
        if reported < sentence.end and any(a.start >= reported for a in kept):
            kept = [a for a in kept if a.start >= reported]
        # Several dated happenings: a third country belongs to the nearest date
        # ("... in May 2015 in the Mediterranean, in November 2019 off South Africa").
        nearest = _nearest_anchors(kept, [m.start for m in mentions]) if len(kept) > 1 else []
        for index, anchor in enumerate(kept):
            assert anchor.date is not None
            clause = next(c for c in clauses if c[0] <= anchor.start < c[1])
            clause_text = self.doc.text[clause[0] : clause[1]]
            own = mentions
            if nearest:
                own = [
                    m
                    for m, at in zip(mentions, nearest, strict=True)
                    if m.code in self.pair or at == index
                ]
            if table is not None:
                own = own + table.mentions
            codes = _one_code_per_state(self._participants(sentence, own, anchor.date), own, anchor)
            # A semicolon joins separate statements: the anchor's own one names the
            # participants when it can ("ties were lacking; Russian media preferred Japan").
            part = _semicolon_part(self.doc.text, sentence, anchor.start)
            if part != (sentence.start, sentence.end):
                in_part = [m for m in own if part[0] <= m.start < part[1]]
                part_codes = self._participants(sentence, in_part, anchor.date)
                if len(part_codes) >= 2:
                    codes = part_codes
            if len(codes) < 2 or self._internal_affair(self.doc.text[part[0] : part[1]], own):
                continue
            # Several dated happenings: each clause is typed on its own. One: the main
            # predicate of its statement (up to a semicolon) types it. Else the sentence.
            scope_text = clause_text if len(kept) > 1 else self.doc.text[part[0] : part[1]]
            scope_start = clause[0] if len(kept) > 1 else part[0]
            focus = (anchor.start - scope_start, anchor.end - scope_start)
            # "the 1950–53 war": a year before a happening's noun dates that happening.
            named = _attributive_noun(anchor, self.doc.text)
            classification = (
                (None if named is None else self._classify(named, mentions))
                or self._classify(
                    scope_text, mentions, focus, (clause[0] - scope_start, clause[1] - scope_start)
                )
                or self._classify(sentence.text, mentions)
                or (None if table is None else self._classify(table.text, table.mentions))
            )
            if classification is None and self.series is not None and amounts:
                # A figure continuing a series ("In 2025, it decreased to $234 billion.")
                classification = self.series
            if classification is None or self.classifier.is_domestic(clause_text):
                continue
            codes = _without_venues(codes, own, self.doc.text, self.pair, classification.type)
            amount = _nearest(amounts, (anchor.start, anchor.end), clause)
            # Several happenings in one sentence: each headline comes from its own clause,
            # unless the clause has no subject of its own ("..., which is present on ...").
            own_clause = len(kept) > 1 and not _RELATIVE_OPENING.match(clause_text)
            scope = clause if own_clause else (sentence.start, sentence.end)
            title = (None if table is None else table_row_title(table.header, sentence.text)) or (
                make_title(
                    self.doc.text[scope[0] : scope[1]],
                    (anchor.start - scope[0], anchor.end - scope[0]),
                    person=self.person_before if scope[0] == sentence.start else None,
                )
            )
            if amount is not None:
                self.series = classification
            events.append(
                self._event(
                    sentence,
                    anchor.date,
                    f"{anchor.start}:{anchor.text}",
                    codes,
                    classification,
                    mentions,
                    amount,
                    title=title,
                    confidence=0.55 + 0.1 * (len(kept) == 1) + _strength(classification),
                )
            )
        return events

    def _main_anchor(self, sentence: Sentence, anchors: list[TimeExpression]) -> TimeExpression:
        """The last anchor outside scene-setting adjuncts: the date the next sentence continues.

        In "signed on 26 March 1979, following the 1978 Camp David Accords", the
        signing goes on in the next sentence, not the accords.
        """
        setting = [
            (sentence.start + a, sentence.start + b)
            for a, b in self.classifier.adjuncts(sentence.text)
        ]
        main = [a for a in anchors if not any(s <= a.start < e for s, e in setting)]
        return (main or anchors)[-1]

    def _inherited_event(
        self,
        sentence: Sentence,
        anchor: _Anchor,
        mentions: list[Mention],
        amounts: list[MoneyMention],
    ) -> Event | None:
        if not _continues_episode(sentence.text):
            return None
        classification = self._classify(sentence.text, mentions)
        if classification is None or self.classifier.is_domestic(sentence.text):
            return None
        if self._internal_affair(sentence.text, mentions):
            return None
        codes = _without_venues(
            self._participants(sentence, mentions, anchor.date),
            mentions,
            self.doc.text,
            self.pair,
            classification.type,
        )
        if len(codes) < 2:
            return None
        date_ = anchor.date.model_copy(update={"resolution": "inherited"})
        start = sentence.start
        amount = _nearest(amounts, (start, start), (start, sentence.end))
        return self._event(
            sentence,
            date_,
            f"inherited:{anchor.key}",
            codes,
            classification,
            mentions,
            amount,
            title=make_title(sentence.text, person=self.person_before),
            confidence=0.4 + _strength(classification),
        )

    def _remember_happenings(self, sentence: Sentence, timexes: list[TimeExpression]) -> None:
        """Record the dates the sentence gives happenings ("its December 1963 independence")."""
        dated = [t for t in timexes if t.date is not None]
        if not dated:
            return
        for match in _HAPPENING.finditer_folded(sentence.text):
            at = sentence.start + match.start()
            nearest = min(dated, key=lambda t: min(abs(t.start - at), abs(t.end - at)))
            if min(abs(nearest.start - at), abs(nearest.end - at)) <= _HAPPENING_WINDOW:
                assert nearest.date is not None
                word = sentence.text[match.start() : match.end()]
                self.happenings[word.lower()] = nearest.date

    def _referenced_happenings(self, sentence: Sentence) -> list[TimeExpression]:
        """Dates of happenings the document dated before ("since Kenya's independence").

        The guide resolves "four days before Wen's visit" against the visit's
        date when the text gives it; a sentence with no date of its own takes
        the date of the happening it is set after.
        """
        found: list[TimeExpression] = []
        for match in _AFTER_HAPPENING.finditer(sentence.text):
            known = self.happenings.get(match["head"].lower())
            if known is None:
                continue
            since = match["lead"].lower().startswith(("since", "in the"))
            mod: Mod | None = "SINCE" if since else None
            start = sentence.start + match.start()
            found.append(_pointing_back(match.group(0), start, known, mod))
        return found

    def _participants(
        self, sentence: Sentence, mentions: list[Mention], when: EventDate
    ) -> list[str]:
        """Countries taking part, with the document's pair standing in for "the two countries".

        A sentence naming one side of the document's pair is about the pair: in
        "China–Russia relations", "Deliveries to China started in late 2019" is
        a Russia–China event. Countries named only in a scene-setting phrase
        ("after the dissolution of the Soviet Union") are the setting, not
        participants, unless the main clause names nobody at all.
        """
        text = sentence.text
        offset = sentence.start
        setting = [(offset + a, offset + b) for a, b in self.classifier.adjuncts(text)]
        named = {m.code for m in mentions if m.code is not None}
        main = (
            {
                m.code
                for m in mentions
                if m.code is not None and not any(a <= m.start < b for a, b in setting)
            }
            if setting
            else named
        )
        codes = main or named
        # One country signing a list of named treaties ("Kazakhstan signed the
        # START Treaty, the Chemical Weapons Convention, ...") joins multilateral
        # treaties with their other parties, not with the pair.
        multilateral = len(codes) == 1 and len(_NAMED_TREATY.findall(text)) >= 2
        # One side acting against a non-state party ("Georgia shelled the South
        # Ossetian militias") is not the pair's event: the other party is named.
        nonstate = len(codes) < 2 and self.classifier.names_nonstate(text)
        # The set test first: when it holds, the phrase need not be looked for.
        if self.pair and (
            (codes <= set(self.pair) and not multilateral and not nonstate)
            or _PAIR_PHRASE.search(text)
        ):
            for code in in_period(list(self.pair), when):
                # "Russia" named in a Soviet-era sentence already stands for its side;
                # only the implicit pair is moved to the state of the time.
                if not codes & same_state(code):
                    codes.add(code)
        return sorted(codes)

    def _internal_affair(self, text: str, mentions: list[Mention]) -> bool:
        """A country's own politics ("Kenyans adopted a new constitution"), naming no other.

        The document's pair would otherwise stand in for the missing second country.
        """
        named = {m.code for m in mentions if m.code is not None}
        return len(named) < 2 and self.classifier.is_internal(text)

    def _classify(
        self,
        text: str,
        mentions: list[Mention],
        focus: tuple[int, int] | None = None,
        clause: tuple[int, int] | None = None,
    ) -> Classification | None:
        companies = any(_signs_for_no_government(m) for m in mentions)
        return self.classifier.classify(text, companies=companies, focus=focus, clause=clause)

    def _event(
        self,
        sentence: Sentence,
        date_: EventDate,
        anchor_key: str,
        codes: list[str],
        classification: Classification,
        mentions: list[Mention],
        amount: MoneyMention | None,
        *,
        title: str,
        confidence: float,
    ) -> Event:
        return Event(
            id=event_id(self.doc.path, sentence.start, sentence.end, anchor_key),
            date=date_,
            countries=codes,
            type=classification.type,
            title=title,
            actors=_actors(mentions, self.doc.text),
            amount=None if amount is None else to_model(amount),
            source=Source(
                doc=self.doc.path,
                start=sentence.start,
                end=sentence.end,
                sentence=sentence.text,
                page=self.doc.page_at(sentence.start),
            ),
            confidence=round(min(confidence, 0.95), 2),
        )


def _signs_for_no_government(mention: Mention) -> bool:
    """A company, or a party or state medium of a country ("People's Daily", "TASS")."""
    actor = mention.actor
    if actor is None:
        return False
    return actor.kind == "company" or (actor.kind == "organisation" and actor.country is not None)


def _ordered_codes(mentions: list[Mention]) -> list[str]:
    seen: list[str] = []
    for mention in mentions:
        if mention.code is not None and mention.code not in seen:
            seen.append(mention.code)
    return seen


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...


_S = TypeVar("_S", bound=_Spanned)


def _within(items: list[_S], index: int, sentence: Sentence) -> tuple[int, list[_S]]:
    """Items starting inside the sentence; ``index`` walks forward so the scan stays linear."""
    while index < len(items) and items[index].start < sentence.start:
        index += 1
    end = index
    while end < len(items) and items[end].start < sentence.end:
        end += 1
    return end, items[index:end]


def _anaphoric_anchors(
    sentence: Sentence, in_force: _Anchor, timexes: list[TimeExpression]
) -> list[TimeExpression]:
    """The sentence's words pointing back at the date in force, as anchors with that date.

    After a date of the sentence's own, "then" points back at that date, which
    already anchors the happening.
    """
    found: list[TimeExpression] = []
    folded = fold(sentence.text)
    if not any(word in folded for word in _ANAPHORIC_WORDS):
        return found
    for match in _ANAPHORIC_TIME.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if any(t.start < end for t in timexes):
            break
        mod: Mod | None = "SINCE" if match["since"] else "BY" if match["by"] else None
        mod = "UNTIL" if match["until"] else mod
        found.append(_pointing_back(match.group(0), start, in_force.date, mod))
    return found


def _after_which(sentence: Sentence, anchors: list[TimeExpression]) -> list[TimeExpression]:
    """ ", after which ..." opens a happening of its own, dated by the date told before it.

    "Eritrea became independent in 1993, after which relations were cordial":
    the cordial relations are a second event of 1993.
    """
    found: list[TimeExpression] = []
    for match in _AFTER_WHICH.finditer(sentence.text):
        start = sentence.start + match.start("w")
        before = [a for a in anchors if a.end <= start and a.date is not None]
        if not before:
            continue
        told = before[-1].date
        assert told is not None
        found.append(_pointing_back(match["w"], start, told, None))
    return found


def _pointing_back(words: str, start: int, known: EventDate, mod: Mod | None) -> TimeExpression:
    """An anchor at ``start`` whose words point back at a date the text gave before."""
    date_ = known.model_copy(update={"text": words, "resolution": "relative", "mod": mod})
    return TimeExpression(words, start, start + len(words), "relative", date_, date_.value)


def _continues_episode(text: str) -> bool:
    """Whether a sentence narrates more of the dated episode before it.

    A sentence whose first verb is in the present or future tense ("The United
    States continues to support ...", "Our work will be coordinated ...")
    states a standing policy or a plan, not more of the episode; a present
    tense after a past verb is reported content ("Russia stated that Taiwan
    is ..."). An opening participle ("Based on ...") is not the verb.
    """
    past = next((m for m in _NARRATIVE_VERB.finditer(text) if m.start() > 0), None)
    if past is None or _GENERIC_OPENING.match(text) or _NOT_AN_EPISODE.search(text):
        return False
    present = _PRESENT_OR_FUTURE.search(text)
    return present is None or past.start() < present.start()


class _Span(NamedTuple):
    start: int
    end: int


class _Coverage:
    """Positions covered by any of a set of spans, answered by bisection.

    Overlapping spans are merged once, so checking every mention of a long
    sentence against every date in it costs a logarithm, not a product.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(s for s in spans if s[1] > s[0]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def covers(self, position: int) -> bool:
        at = bisect.bisect_right(self._starts, position) - 1
        return at >= 0 and position < self._ends[at]


def _participant_mentions(
    mentions: list[Mention],
    anchors: Sequence[TimeExpression | _Span],
    amounts: list[MoneyMention],
    text: str,
) -> list[Mention]:
    """Mentions that can name a participant.

    Countries inside a time anchor or a named historical event ("after the
    dissolution of the Soviet Union", "the Russian invasion of Ukraine"),
    inside a sum of money ("US$777 million"), naming a currency ("the U.S.
    dollar"), an attitude ("an anti-U.S. bloc") or the place a treaty is named
    after ("the Treaty of Riga") are not taking part in the event.
    """
    inside = _Coverage([(a.start, a.end) for a in anchors] + [(m.start, m.end) for m in amounts])
    # The two look-behinds end where the mention starts (or before a newline there), so
    # a text not ending in their last characters is passed without a regex search.
    return [
        m
        for m in mentions
        if not inside.covers(m.start)
        and not _CURRENCY_AFTER.match(text, m.end, min(len(text), m.end + 12))
        and not (
            text.endswith(_ATTITUDE_ENDINGS, 0, m.start)
            and _ATTITUDE_BEFORE.search(text, max(0, m.start - 5), m.start)
        )
        and not (
            text.endswith(_NAMED_AFTER_PLACE_ENDINGS, 0, m.start)
            and _NAMED_AFTER_PLACE.search(text, max(0, m.start - 30), m.start)
        )
    ]


def _one_code_per_state(
    codes: list[str], mentions: list[Mention], anchor: TimeExpression
) -> list[str]:
    """One code for a state named under two of its names ("Russia" and "the Soviet Union").

    A sentence naming a state and its predecessor or successor speaks of one
    side; the name nearest the date is the one of its time ("secure its
    boundaries with Russia, leading to war with the Soviet Union in 1920").
    """
    kept = set(codes)
    for code in codes:
        if code not in RENAMED_STATES:
            continue  # the state has no other code
        for other in same_state(code) - {code}:
            if other not in kept or code not in kept:
                continue
            named = [m for m in mentions if m.code in (code, other)]
            if named:
                nearest = min(named, key=lambda m: abs(m.start - anchor.start))
                kept.discard(other if nearest.code == code else code)
    return sorted(kept) if len(kept) >= 2 else codes


def _without_venues(
    codes: list[str],
    mentions: list[Mention],
    text: str,
    pair: tuple[str, ...],
    type_: str,
) -> list[str]:
    """Drop countries named only to locate the happening (ANNOTATION.md section 4).

    A country outside the document's pair that is named only as the place of a
    meeting or signing ("met in Deauville, France", "signed in Washington, D.C.,
    United States"), or only to place a town ("Ezerum (present-day Erzurum,
    Turkey)") or an envoy's posting ("the American Minister to England"), or
    only as what a meeting discussed ("to discuss the dispute between Kuwait
    and Iraq"), is the setting, not a participant: unless
    dropping it would leave fewer than two countries.
    """
    located: set[str] = set()
    talked_about: set[str] = set()
    acting: set[str] = set()
    for mention in mentions:
        if mention.code is None:
            continue
        before = text[max(0, mention.start - _LOCATIVE_WINDOW) : mention.start]
        # Each pattern ends in whitespace at the mention; the cheap tests before the
        # searches are necessary conditions that rule out most mentions.
        spaced = before[-1:].isspace()
        places = spaced and (
            ("present-day" in before and _PRESENT_DAY.search(before))
            or (before.rstrip().endswith(("to", "in", "the")) and _POSTING.search(before))
        )
        venue = spaced and type_ in _VENUE_TYPES and _LOCATIVE.search(before) is not None
        topic_from = max(0, mention.start - _TOPIC_WINDOW)
        if (
            type_ == "visit"
            and _names_topic_word(text[topic_from : mention.start])
            and _TOPIC.search(text, topic_from, mention.start)
        ):
            talked_about.add(mention.code)
        else:
            (located if places or venue else acting).add(mention.code)
    setting = {c for c in (located | talked_about) - acting if c not in pair}
    kept = [c for c in codes if c not in setting]
    if len(kept) < 2:
        return codes
    # One of the pair only talked about is left out too, when two others take part.
    fewer = [c for c in kept if c not in talked_about - acting]
    return fewer if len(fewer) >= 2 else kept


def _names_topic_word(text: str) -> bool:
    """Whether ``text`` has a word every match of :data:`_TOPIC` holds, in any case."""
    folded = fold(text)
    return any(word in folded for word in _TOPIC_WORDS)


def _skipped(sentence: Sentence) -> bool:
    return sentence.section is not None and _skipped_section(sentence.section)


@lru_cache(maxsize=_RECENT_SECTIONS)
def _skipped_section(section: str) -> bool:
    """Whether a section's lines are references; asked once per section, not per sentence."""
    return _SKIPPED_SECTIONS.match(section) is not None


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Absolute spans of the sentence's clauses, covering it without gaps."""
    cuts = [sentence.start]
    cuts.extend(sentence.start + m.start() for m in _CLAUSE_BREAK.finditer_folded(sentence.text))
    cuts.append(sentence.end)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a] or [
        (sentence.start, sentence.end)
    ]


def _distinct_anchors(
    anchors: list[TimeExpression], clauses: list[tuple[int, int]]
) -> list[TimeExpression]:
    """One anchor per happening: within a clause, drop anchors repeating or containing another.

    "In September 2018, ... the Vostok 2018 exercise" is one event in September 2018.
    """
    kept: list[TimeExpression] = []
    for anchor in anchors:
        assert anchor.date is not None
        clause = next((c for c in clauses if c[0] <= anchor.start < c[1]), None)
        duplicate = False
        for other in anchors:
            if other is anchor or other.date is None:
                continue
            same_clause = clause is not None and clause[0] <= other.start < clause[1]
            if not same_clause:
                continue
            contains = other.date.start >= anchor.date.start and other.date.end <= anchor.date.end
            equal = other.date.start == anchor.date.start and other.date.end == anchor.date.end
            # Only a year repeats a finer date of that year; a century holding a year
            # frames a different happening ("in the 19th century, after ... (1858–1860)").
            one_year = anchor.date.start.year == anchor.date.end.year
            if (equal and other.start < anchor.start) or (contains and one_year and not equal):
                duplicate = True
                break
        if not duplicate:
            kept.append(anchor)
    return kept


def _outside_quotes(anchors: list[TimeExpression], sentence: Sentence) -> list[TimeExpression]:
    """Anchors outside quoted titles and speech, when the sentence has any.

    "a strategic partnership for the 21st century" names an aim, not a date.
    """
    if '"' not in sentence.text and "“" not in sentence.text:
        return anchors  # nothing quoted
    quoted = [
        (sentence.start + m.start(), sentence.start + m.end())
        for m in _QUOTED.finditer(sentence.text)
    ]
    outside = [a for a in anchors if not any(s <= a.start < e for s, e in quoted)]
    return outside or anchors


def _not_measured_from_others(anchors: list[TimeExpression], text: str) -> list[TimeExpression]:
    """Drop "N years after <something>" following a date of the same sentence.

    "signed in 1979, two years after the president's visit" says how far the
    1979 signing was from another happening; it is no date of its own, and
    counting from 1979 would put it in 1981.
    """
    kept: list[TimeExpression] = []
    for anchor in anchors:
        measured = anchor.kind == "relative" and _FROM_ANOTHER.search(anchor.text)
        if measured and kept and _OBJECT_AFTER.match(text, anchor.end):
            continue
        kept.append(anchor)
    return kept


def _not_names_beside_dates(
    anchors: list[TimeExpression], text: str, classifier: TypeClassifier
) -> list[TimeExpression]:
    """Drop years that name a thing when the sentence dates a happening otherwise.

    "the Constitution of 1791 led Russia and Prussia to a partition in 1793":
    the constitution is what the partition followed, and 1793 dates the
    happening. Alone, a name's year still dates its sentence ("the Treaty of
    1921 ended the war").
    """
    if len(anchors) < 2:
        return anchors  # one anchor is kept whatever it names
    naming = [
        a
        for a in anchors
        if _names_a_thing(a, text) and not _names_a_happening(a, text, classifier)
    ]
    if not naming or len(naming) == len(anchors):
        return anchors
    return [a for a in anchors if a not in naming]


def _names_a_happening(anchor: TimeExpression, text: str, classifier: TypeClassifier) -> bool:
    """Whether a year names a happening ("the 1951 treaty", "its 2014 annexation").

    Not a thing such as "its 1772 boundaries" or "the Constitution of 1791". A
    capitalised name after the year ("the 1994 NAFTA") may name an agreement or
    a war, so it counts as a happening.
    """
    before = text[max(0, anchor.start - 40) : anchor.start]
    named = _NAMED_BEFORE_OF.search(before) if before.rstrip().endswith("of") else None
    if named is not None:
        noun = named.group(1)
    else:
        noun = _words_after(text, anchor.end)
        if noun[:1].isupper():
            return True
    return classifier.classify(noun) is not None


def _attributive_noun(anchor: TimeExpression, text: str) -> str | None:
    """The words a year or year range stands before as a modifier ("the 1950–53 war")."""
    if not _YEARS.fullmatch(anchor.text):
        return None
    if not _THE_BEFORE.search(text, max(0, anchor.start - 5), anchor.start):
        return None
    noun = _words_after(text, anchor.end)
    return noun if noun[:1].islower() else None


def _words_after(text: str, end: int) -> str:
    """The (at most three) words that follow a date ending at ``end``."""
    words = _WORDS_AFTER.match(text, end)
    return words.group(1) if words else ""


def _not_aims(anchors: list[TimeExpression], text: str) -> list[TimeExpression]:
    """Anchors that date something: "an alliance for the 21st century" names an aim."""
    return [
        a
        for a in anchors
        if a.date is None
        or a.date.precision not in ("century", "decade")
        or not _AIM_BEFORE.search(text, max(0, a.start - 10), a.start)
    ]


def _own_happenings(
    anchors: list[TimeExpression], clauses: list[tuple[int, int]], text: str
) -> list[TimeExpression]:
    """Drop later anchors that only qualify an earlier happening (ANNOTATION.md section 2)."""
    kept = anchors[:1]
    for anchor in anchors[1:]:
        if _names_a_thing(kept[-1], text):
            # Only a happening has terms: a year naming a thing qualifies nothing.
            kept.append(anchor)
            continue
        clause_start = next((c[0] for c in clauses if c[0] <= anchor.start < c[1]), anchor.start)
        window = text[max(clause_start, kept[-1].end) : anchor.start]
        # A phrase with its own past verb is its own happening ("..., with the sale
        # finalized in December 1996"), whatever came before it.
        tail = window[window.rfind(", ") + 1 :]
        if _PAST_PARTICIPLE.search(tail):
            window = tail
        if _QUALIFYING.search(window) is None:
            kept.append(anchor)
    return kept


def _names_a_thing(anchor: TimeExpression, text: str) -> bool:
    """True for a bare year used to name a thing ("its 1772 boundaries", "the Act of 1934")."""
    if not _BARE_YEAR.fullmatch(anchor.text):
        return False
    before = text[max(0, anchor.start - 40) : anchor.start]
    if not _MODIFIER_YEAR_BEFORE.search(before):
        return False
    return before.rstrip().endswith("of") or bool(_NOUN_AFTER.match(text, anchor.end))


def _leads_line(sentence: Sentence, anchor: TimeExpression) -> bool:
    """True when ``anchor`` heads a chronology line ("August 8 - Georgian troops ...")."""
    start, end = anchor.start - sentence.start, anchor.end - sentence.start
    return (
        _LINE_MARKER.fullmatch(sentence.text, 0, max(start, 0)) is not None
        and _AFTER_LEADING_DATE.match(sentence.text, end) is not None
    )


def _in_relative_clause(
    sentence: Sentence, clauses: list[tuple[int, int]], anchor: TimeExpression
) -> bool:
    """True when ``anchor`` lies in one of ``clauses`` opening with "which", "who" or "where"."""
    clause = next((c for c in clauses if c[0] <= anchor.start < c[1]), None)
    if clause is None or clause[0] == sentence.start:
        return False
    start, end = clause[0] - sentence.start, clause[1] - sentence.start
    return _RELATIVE_OPENING.match(sentence.text[start:end]) is not None


def _semicolon_part(text: str, sentence: Sentence, position: int) -> tuple[int, int]:
    """The span of the semicolon-separated part of the sentence holding ``position``."""
    start = text.rfind(";", sentence.start, position) + 1 or sentence.start
    end = text.find(";", position, sentence.end)
    return max(start, sentence.start), sentence.end if end < 0 else end


def _nearest_anchors(anchors: list[TimeExpression], positions: list[int]) -> list[int]:
    """For each position, the index of the nearest anchor (sorted by start; first of equals).

    Only the anchors either side of a position can be nearest, so one bisection
    each finds it: a sentence with many dates and many countries stays linear.
    """
    starts = [a.start for a in anchors]

    def gap(index: int, position: int) -> tuple[int, int]:
        anchor = anchors[index]
        return min(abs(anchor.start - position), abs(anchor.end - position)), index

    nearest = []
    for position in positions:
        at = bisect.bisect_right(starts, position)
        candidates = range(max(0, at - 1), min(len(anchors), at + 1))
        nearest.append(min(candidates, key=lambda index: gap(index, position)))
    return nearest


def _nearest(
    amounts: list[MoneyMention], anchor: tuple[int, int], clause: tuple[int, int]
) -> MoneyMention | None:
    """The money mention of the clause closest to the anchor, else the sentence's first.

    Distance is the gap between the two spans, so in "from US$2 billion in 1990 to
    nearly US$40 billion in 2011" each year gets the figure just before it.
    """
    in_clause = [a for a in amounts if clause[0] <= a.start < clause[1]]
    pool = in_clause or amounts[:1]

    def gap(mention: MoneyMention) -> int:
        if mention.end <= anchor[0]:
            return anchor[0] - mention.end
        return max(mention.start - anchor[1], 0)

    return min(pool, key=gap, default=None)


def _resolve_it(
    sentence: Sentence, mentions: list[Mention], before: Mention | None
) -> tuple[list[Mention], Mention | None]:
    """The sentence's mentions with a subject "it" standing for a country, and its first country.

    "Vietnam was reunified in 1976. In 1978, it invaded Cambodia": "it" is the
    country the sentence names before it, else the first one the last sentence
    naming a country named (as "he" is the person last named).
    """
    countries = [m for m in mentions if m.code is not None and m.kind != "organisation"]
    subject = _subject_it(sentence.text)
    first = countries[0] if countries else None
    if subject is None:
        return mentions, first or before
    at = sentence.start + subject.start("it")
    antecedent = next((m for m in countries if m.start < at), before)
    if antecedent is None:
        return mentions, first
    it = Mention(at, at + 2, subject["it"], antecedent.code, antecedent.kind, antecedent.actor)
    return sorted([*mentions, it], key=lambda m: m.start), first or antecedent


def _subject_it(text: str) -> re.Match[str] | None:
    """``_SUBJECT_IT.search(text)``, tried only where a match can start: at 0 and at commas.

    Trying the pattern at every character cost several times more; the first
    of these positions that matches is the leftmost match, which ``search`` gives.
    """
    position = 0
    while position >= 0:
        found = _SUBJECT_IT.match(text, position)
        if found is not None:
            return found
        position = text.find(",", position + 1)
    return None


def _last_person(mentions: list[Mention], default: str | None) -> str | None:
    """The name of the last person among ``mentions``, else ``default``."""
    people = [m.actor.name for m in mentions if m.actor is not None and m.actor.kind == "person"]
    return people[-1] if people else default


def _actors(mentions: list[Mention], text: str) -> list[Actor]:
    """The actors named, each once.

    A surname alias inside a longer name the gazetteer does not know ("Bilawal
    Bhutto Zardari" matching "Zardari") stands for the same country but not the
    same person: the actor is named as written.
    """
    actors: dict[str, Actor] = {}
    for mention in mentions:
        actor = mention.actor
        if actor is None:
            continue
        if actor.kind == "person" and mention.text != actor.name:
            given = _GIVEN_NAMES.search(text, max(0, mention.start - 60), mention.start)
            if given is not None and not _NOT_A_NAME.match(given.group(0).split()[-1]):
                actor = actor.model_copy(update={"name": given.group(0) + mention.text})
        actors.setdefault(actor.name, actor)
    return list(actors.values())


def _strength(classification: Classification) -> float:
    return min(classification.score, 8.0) / 40.0
