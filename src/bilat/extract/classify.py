"""Event detection and typing from the trigger lexicon in ``data/triggers.toml``.

A clause is scored against every type's weighted trigger patterns in one
regex pass; the best-scoring type wins. The lexicon is data so that new
trigger words need no code, and it is validated on load so a bad pattern
fails naming its type and position instead of misbehaving silently.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, field_validator

from bilat.extract.caseless import Caseless
from bilat.extract.lexicon import check_pattern, load_lexicon, named_alternatives
from bilat.models import EVENT_TYPES, EventType

_DEFAULT_LEXICON = "triggers.toml"
_ADJUNCT_WEIGHT = 0.25
"""Triggers in scene-setting adjuncts count a quarter: they date, not describe."""
_REPORTED_WEIGHT = 0.5
"""Triggers in reported speech count half: the saying is the happening."""
_DECIDED_SCORE = 2.0
"""The least score of a type a precedence rule decided, so its confidence is not nil."""
_NEAR_CHARS = 40
"""Triggers this close to the date count in full: they name the happening it dates."""
_DECAY_CHARS = 80
"""Beyond that, a trigger's weight halves every this many characters more."""
_RECENT_TEXTS = 16
"""Texts whose readings are kept: a few sentences with their clauses and parts."""


class _PatternList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patterns: list[str]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for index, pattern in enumerate(value):
            _check_pattern(pattern, f"patterns[{index}]")
        return value


class _Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    types: dict[EventType, list[tuple[str, float]]]
    domestic: _PatternList
    internal: _PatternList
    nonstate: _PatternList
    commercial: _PatternList
    business: _PatternList
    adjunct: _PatternList
    subordinate: _PatternList
    reported: _PatternList
    concluded: _PatternList
    meeting: _PatternList

    @field_validator("types")
    @classmethod
    def _all_types_compile(
        cls, value: dict[EventType, list[tuple[str, float]]]
    ) -> dict[EventType, list[tuple[str, float]]]:
        for type_, entries in value.items():
            for index, (pattern, _weight) in enumerate(entries):
                _check_pattern(pattern, f"{type_}[{index}]")
        return value


def _check_pattern(pattern: str, where: str) -> None:
    try:
        check_pattern(pattern)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from exc


class _Spans(NamedTuple):
    """Where a text sets the scene and where its reported content starts."""

    adjuncts: list[tuple[int, int]]
    background: list[tuple[int, int]]
    """The adjuncts and subordinate clauses: triggers in them count a quarter."""
    reported_from: int


class _Trigger(NamedTuple):
    """A trigger word found in a text, weighted for where it stands (focus aside)."""

    span: tuple[int, int]
    type: EventType
    weight: float
    word: str


class Classification(NamedTuple):
    """The type a clause was given, with the trigger words that decided it."""

    type: EventType
    score: float
    triggers: tuple[str, ...]


class TypeClassifier:
    """Scores clauses against the trigger lexicon; build once, reuse for every sentence."""

    def __init__(self, lexicon: _Lexicon) -> None:
        self._weights: dict[str, tuple[EventType, float]] = {}
        alternatives: list[tuple[str, str]] = []
        for type_ in EVENT_TYPES:
            for index, (pattern, weight) in enumerate(lexicon.types.get(type_, [])):
                name = f"{type_}_{index}"
                self._weights[name] = (type_, weight)
                alternatives.append((name, pattern))
        self._triggers = _dispatching_alternation(alternatives)
        # Each trigger pattern's branches are named "<pattern>__<branch>" in the regex.
        self._branch_weights = {
            name: self._weights[name.rpartition("__")[0]]
            for name in self._triggers.regex.groupindex
            if "__" in name
        }
        self._domestic = _alternation(lexicon.domestic.patterns)
        self._internal = _alternation(lexicon.internal.patterns)
        self._nonstate = _alternation(lexicon.nonstate.patterns)
        self._commercial = _alternation(lexicon.commercial.patterns)
        self._business = _alternation(lexicon.business.patterns)
        self._adjunct = _phrase(lexicon.adjunct.patterns)
        self._subordinate = _phrase(lexicon.subordinate.patterns)
        self._reported = _alternation(lexicon.reported.patterns)
        self._concluded = _alternation(lexicon.concluded.patterns)
        self._meeting = _alternation(lexicon.meeting.patterns)
        self._rank = {type_: rank for rank, type_ in enumerate(EVENT_TYPES)}
        # The pipeline reads a sentence several times (per anchor, for participants,
        # for its main anchor, then as the clause or part it types), so each text's
        # scans are kept for a few texts; a document's worth would only cost memory.
        self._spans = lru_cache(maxsize=_RECENT_TEXTS)(self._find_spans)
        self._triggers_in = lru_cache(maxsize=_RECENT_TEXTS)(self._find_triggers)

    @classmethod
    def from_file(cls, path: Path) -> TypeClassifier:
        """Load and validate a lexicon file; errors name the file and the bad entry."""
        return cls(load_lexicon(path, _Lexicon, "trigger lexicon"))

    @classmethod
    def default(cls) -> TypeClassifier:
        """The bundled lexicon, loaded once per process."""
        return _default_classifier()

    def classify(
        self,
        text: str,
        *,
        companies: bool = False,
        focus: tuple[int, int] | None = None,
        clause: tuple[int, int] | None = None,
    ) -> Classification | None:
        """The best type for ``text``, or None when no trigger word occurs in it.

        Not every trigger describes the happening: adjuncts that set the scene
        ("during a visit to Moscow", "after the annexation of Crimea") and
        reported content ("stated that ... defence ties") weigh less than the
        main predicate. ``companies`` says companies act in the clause: a signed
        agreement between companies is a commercial deal, not a treaty.
        """
        spans = self._spans(text)
        scores: dict[EventType, float] = {}
        words: dict[EventType, list[str]] = {}
        for trigger in self._triggers_in(text):
            weight = trigger.weight
            if focus is not None:
                weight *= _nearness(trigger.span, focus)
            scores[trigger.type] = scores.get(trigger.type, 0.0) + weight
            words.setdefault(trigger.type, []).append(trigger.word)
        if not scores:
            return None
        business = companies or self._business.search(text) is not None
        if business and "treaty" in scores and self._commercial.search(text):
            commercial: EventType = (
                "investment" if scores.get("investment", 0) > scores.get("trade", 0) else "trade"
            )
            _retype_treaty(scores, words, commercial)
        elif companies and "treaty" in scores and len(scores) > 1:
            # An agreement between companies or state media is no treaty between
            # governments: it takes its subject's type ("a news sharing agreement").
            others = [t for t in scores if t != "treaty"]
            _retype_treaty(scores, words, min(others, key=lambda t: (-scores[t], self._rank[t])))
        decided = self._precedence(text, spans.background, spans.reported_from, business, clause)
        if decided is not None:
            return Classification(
                decided.type,
                max(scores.get(decided.type, 0.0), _DECIDED_SCORE),
                (*words.get(decided.type, ()), *decided.triggers),
            )
        best = min(scores, key=lambda t: (-scores[t], self._rank[t]))
        return Classification(best, scores[best], tuple(words.get(best, ())))

    def _precedence(
        self,
        text: str,
        background: list[tuple[int, int]],
        reported_from: int,
        business: bool,
        clause: tuple[int, int] | None,
    ) -> Classification | None:
        """The guide's precedence rules, which outrank the summed weights (section 5).

        An agreement between governments that is signed, concluded or reached is a
        treaty whatever its subject; failing that, a clause whose own predicate is a
        meeting, visit or talks is a visit, even when the talks were about trade.
        Phrases in scene-setting adjuncts or reported speech do not decide.
        """

        def own(pattern: Caseless) -> str | None:
            """The first phrase of ``pattern`` in the clause's own predicate, as written."""
            for match in pattern.finditer_folded(text):
                inside = any(start <= match.start() < end for start, end in background)
                elsewhere = clause is not None and not clause[0] <= match.start() < clause[1]
                if not inside and not elsewhere and match.start() < reported_from:
                    return text[match.start() : match.end()]
            return None

        concluded = own(self._concluded)
        if concluded is not None and not business:
            return Classification("treaty", 0.0, (concluded,))
        meeting = own(self._meeting)
        if meeting is not None:
            return Classification("visit", 0.0, (meeting,))
        return None

    def reported_from(self, text: str) -> int:
        """Where reported content starts ("Politico reported that ..."), else ``len(text)``."""
        return self._spans(text).reported_from

    def adjuncts(self, text: str) -> list[tuple[int, int]]:
        """Spans of scene-setting phrases ("after the dissolution of the Soviet Union")."""
        return list(self._spans(text).adjuncts)

    def _find_spans(self, text: str) -> _Spans:
        adjuncts = [m.span() for m in self._adjunct.finditer_folded(text)]
        background = adjuncts + [m.span() for m in self._subordinate.finditer_folded(text)]
        reported = self._reported.search(text)
        return _Spans(adjuncts, background, reported.end() if reported else len(text))

    def _find_triggers(self, text: str) -> tuple[_Trigger, ...]:
        """The text's trigger words in order, weighted down in adjuncts and reported speech."""
        spans = self._spans(text)
        background, reported_from = spans.background, spans.reported_from
        weights = self._branch_weights
        found: list[_Trigger] = []
        for match in self._triggers.finditer_folded(text):
            name = match.lastgroup
            if name is None:
                continue
            type_, weight = weights[name]
            start, end = match.span()
            if background and any(a <= start < b for a, b in background):
                weight *= _ADJUNCT_WEIGHT
            elif start >= reported_from:
                weight *= _REPORTED_WEIGHT
            found.append(_Trigger((start, end), type_, weight, text[start:end]))
        return tuple(found)

    def is_domestic(self, text: str) -> bool:
        """True when the clause reports a one-country happening such as a succession."""
        return self._domestic.search(text) is not None

    def is_internal(self, text: str) -> bool:
        """True when the clause is about a country's own politics (a coup, an election).

        Such a clause takes part in relations only when it names another country.
        """
        return self._internal.search(text) is not None

    def names_nonstate(self, text: str) -> bool:
        """True when the text names a non-state party ("the South Ossetians", "rebels")."""
        return self._nonstate.search(text) is not None


def _retype_treaty(
    scores: dict[EventType, float], words: dict[EventType, list[str]], to: EventType
) -> None:
    """Move the treaty score and its trigger words to type ``to``: no treaty was made."""
    scores[to] = scores.get(to, 0.0) + scores.pop("treaty")
    words.setdefault(to, []).extend(words.pop("treaty", []))


def _nearness(span: tuple[int, int], focus: tuple[int, int]) -> float:
    """How much a trigger at ``span`` counts for the happening dated at ``focus``."""
    gap = max(focus[0] - span[1], span[0] - focus[1], 0)
    return 1.0 / (1.0 + max(0, gap - _NEAR_CHARS) / _DECAY_CHARS)


def _dispatching_alternation(alternatives: list[tuple[str, str]]) -> Caseless:
    """One regex for all named trigger patterns, grouped by the letter they start with.

    A flat alternation of ~200 patterns tries every one at every word start;
    behind lookaheads on the letter they start with, most are skipped at once,
    which makes classification several times faster. Top-level alternatives
    of a pattern are split apart (keeping its name as a prefix) so each lands
    under its own letter; within a letter, longer patterns come first so
    "joint statement" wins over "statement".
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, pattern in alternatives:
        for index, branch in enumerate(_top_level_branches(pattern)):
            letters = "".join(sorted(_first_letters(branch) or ""))
            groups.setdefault(letters, []).append((f"{name}__{index}", branch))
    lettered: list[tuple[str, str]] = []
    branches = []
    for letters, members in sorted(groups.items(), key=lambda item: (not item[0], item[0])):
        members.sort(key=lambda item: -len(item[1]))
        body = named_alternatives(members)
        if letters:
            lettered.append((letters, body))
        else:
            branches.append(body)
    if lettered:
        branches.insert(0, _lookahead_tree(lettered))
    return Caseless(r"\b(?:" + "|".join(branches) + r")\b")


def _lookahead_tree(groups: list[tuple[str, str]]) -> str:
    """The ``(letters, body)`` alternatives in order, behind lookaheads that halve the list.

    A word start tests about five lookaheads instead of one per letter, and any
    other position two; trying the halves in order keeps the alternatives' order.
    """
    if len(groups) <= 2:
        return "|".join(f"(?=[{letters}])(?:{body})" for letters, body in groups)
    half = len(groups) // 2
    parts = (groups[:half], groups[half:])
    return "|".join(
        f"(?=[{''.join(sorted({c for letters, _ in part for c in letters}))}])"
        f"(?:{_lookahead_tree(part)})"
        for part in parts
    )


def _top_level_branches(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` at nesting depth 0."""
    depth, branches, start = 0, [], 0
    escaped = in_class = False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
    branches.append(pattern[start:])
    return branches


def _first_letters(pattern: str) -> set[str] | None:
    """The lowercase letters a pattern's match can start with; None when unsure."""
    head = pattern[:1]
    if head.isalpha():
        return None if pattern[1:2] in ("?", "*", "{") else {head.lower()}
    if head == "[":
        end = pattern.find("]")
        members = pattern[1:end]
        if end < 0 or pattern[end + 1 : end + 2] in ("?", "*", "{") or not members.isalpha():
            return None
        return {c.lower() for c in members}
    if not pattern.startswith("(?:"):
        return None
    depth = 0
    for index in range(3, len(pattern)):
        if pattern[index] == "(":
            depth += 1
        elif pattern[index] == ")" and depth:
            depth -= 1
        elif pattern[index] == ")":
            if pattern[index + 1 : index + 2] in ("?", "*", "{"):
                return None
            letters: set[str] = set()
            for branch in _top_level_branches(pattern[3:index]):
                first = _first_letters(branch)
                if first is None:
                    return None
                letters |= first
            return letters
    return None


def _phrase(leads: list[str]) -> Caseless:
    """A phrase runs from one of its lead words to the next comma or semicolon."""
    return Caseless(r"(?:^|(?<=[\s,;(]))(?:" + "|".join(leads) + r")\b[^,;]*")


def _alternation(patterns: list[str]) -> Caseless:
    """The patterns as one alternation; branches opening with a group sit behind a lookahead.

    "(?:signed|concluded|ratified|...) ..." tries each of its words at every word
    start; a lookahead on the letters they begin with rules most positions out in
    one test (a branch opening with a letter already fails at its first). The
    branches stay in order, so every match is the one the plain alternation finds.
    """
    branches = [branch for pattern in patterns for branch in _top_level_branches(pattern)]
    return Caseless(r"\b(?:" + "|".join(map(_guarded, branches)) + r")\b")


def _guarded(branch: str) -> str:
    letters = None if branch[:1].isalpha() else _first_letters(branch)
    return branch if letters is None else f"(?=[{''.join(sorted(letters))}]){branch}"


@cache
def _default_classifier() -> TypeClassifier:
    resource = resources.files("bilat.data").joinpath(_DEFAULT_LEXICON)
    return TypeClassifier.from_file(Path(str(resource)))
