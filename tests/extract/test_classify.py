"""Event typing from the trigger lexicon: one table row per rule of ANNOTATION.md section 5."""

import re
import tomllib
from pathlib import Path

import pytest

from bilat.errors import LexiconError
from bilat.extract.classify import TypeClassifier, _first_letters, _top_level_branches

ROOT = Path(__file__).resolve().parents[2]
EMPTY_TABLES = "".join(
    f"[{table}]\npatterns = []\n"
    for table in ("domestic", "commercial", "business", "adjunct", "subordinate", "reported")
)


@pytest.fixture(scope="module")
def classifier() -> TypeClassifier:
    return TypeClassifier.default()


@pytest.mark.parametrize(
    ("text", "companies", "expected"),
    [
        ("the two countries signed the Treaty of Good-Neighborliness", False, "treaty"),
        ("Russia and China issued a joint communique pledging partnership", False, "treaty"),
        ("Yeltsin visited Beijing", False, "visit"),
        ("Putin told Xi during a phone call that", False, "visit"),
        ("Bilateral trade between China and Cuba totaled US$777 million", False, "trade"),
        ("Cuba had purchased 100 locomotives from China", False, "trade"),
        (
            "CNPC signed a memorandum of understanding with Gazprom for the delivery of gas",
            True,
            "trade",
        ),
        (
            "CNPC and Sakhalin Energy signed a frame agreement on exploration and joint ventures",
            True,
            "investment",
        ),
        (
            "China had agreed to invest US$500 million in the completion of a plant",
            False,
            "investment",
        ),
        ("Chinese banks provided loans to Rosneft", False, "investment"),
        ("the Vietnamese government donated 15 million dollars to Cuba", False, "aid"),
        ("Xi approved an emergency aid package for Cuba", False, "aid"),
        ("the countries held their first joint exercise", False, "military"),
        ("Russia and China flew joint bomber patrols over the Pacific", False, "military"),
        ("Cuba recognised the PRC", False, "diplomacy"),
        (
            "the two countries upgraded their relationship to a strategic partnership",
            False,
            "diplomacy",
        ),
        ("a brief border war took place", False, "conflict"),
        ("Rostec officials accused China of intellectual property theft", False, "conflict"),
        (
            "the Russian scientist was arrested on suspicion of passing information",
            False,
            "conflict",
        ),
        ("the US added 42 Chinese companies to the Entity List", False, "sanctions"),
        ("the EU proposed sanctions that would target Chinese companies", False, "sanctions"),
        ("2007 was declared as the Year of China in Russia", False, "cooperation"),
        ("China opened a local Confucius Institute in Havana", False, "cooperation"),
        ("Chinese tourists visited Russia, the tourism boom", False, "cooperation"),
    ],
)
def test_types(classifier: TypeClassifier, text: str, companies: bool, expected: str) -> None:
    result = classifier.classify(text, companies=companies)
    assert result is not None
    assert result.type == expected
    assert result.triggers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The scene-setting phrase names a visit; the happening is the communique.
        (
            "At the end of Li Peng's visit to Moscow, Russia and China issued a joint communique.",
            "treaty",
        ),
        # Reported content weighs less than the saying.
        ("Shoigu stated that the defense ties are not aimed at third parties.", "diplomacy"),
        # A relative clause is secondary to the main verb.
        ("Xi Jinping visited Russia, where both leaders signed a joint statement.", "visit"),
    ],
)
def test_main_predicate_outweighs_background(
    classifier: TypeClassifier, text: str, expected: str
) -> None:
    result = classifier.classify(text)
    assert result is not None
    assert result.type == expected


def test_no_trigger_gives_none(classifier: TypeClassifier) -> None:
    assert classifier.classify("The weather was mild and the harvest plentiful.") is None


@pytest.mark.parametrize(
    ("text", "domestic"),
    [
        ("Xi Jinping succeeded Hu Jintao as the CCP General Secretary", True),
        ("Putin was re-elected president", True),
        ("Putin visited Beijing", False),
    ],
)
def test_domestic(classifier: TypeClassifier, text: str, domestic: bool) -> None:
    assert classifier.is_domestic(text) is domestic


def test_bad_lexicon_names_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.toml"
    bad.write_text('[types]\ntreaty = [["sign(ed", 2]]\n' + EMPTY_TABLES, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"triggers\.toml.*treaty\[0\]"):
        TypeClassifier.from_file(bad)


def test_capturing_groups_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.toml"
    bad.write_text('[types]\nvisit = [["(visit)", 2]]\n' + EMPTY_TABLES, encoding="utf-8")
    with pytest.raises(LexiconError, match="capturing"):
        TypeClassifier.from_file(bad)


@pytest.mark.parametrize(
    ("pattern", "letters"),
    [
        ("(?:treat(?:y|ies))", {"t"}),
        ("(?:stated|declared|said)", {"s", "d"}),
        ("(?:[sz]ome)", {"s", "z"}),
        ("(?:(?:joint |naval )?exercises?)", None),
        ("(?:\\d+ troops)", None),
        ("(?:a?id)", None),
    ],
)
def test_first_letters(pattern: str, letters: set[str] | None) -> None:
    assert _first_letters(pattern) == letters


def test_dispatching_regex_finds_what_a_flat_alternation_finds(
    classifier: TypeClassifier,
) -> None:
    """The per-letter grouping is an optimisation only: same triggers on real sentences."""
    flat = re.compile(
        r"\b(?:" + "|".join(f"(?:{p})" for p in _trigger_patterns()) + r")\b", re.IGNORECASE
    )
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found = {m.span() for m in classifier._triggers.finditer(line)}
            starts = {m.start() for m in flat.finditer(line)}
            assert {start for start, _ in found} == starts, line


def _trigger_patterns() -> list[str]:
    lexicon = tomllib.loads((ROOT / "src/bilat/data/triggers.toml").read_text(encoding="utf-8"))
    patterns = [
        branch
        for entries in lexicon["types"].values()
        for pattern, _ in entries
        for branch in _top_level_branches(pattern) or [pattern]
    ]
    return sorted(patterns, key=len, reverse=True)
