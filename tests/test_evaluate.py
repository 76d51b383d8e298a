"""The evaluation command agrees with the reference scorer and scores the obvious cases right."""

import json
import random
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bilat.errors import InputError
from bilat.evaluate import (
    UNKNOWN_GENRE,
    EvaluationReport,
    evaluate_paths,
    load_gold,
    read_gold,
    score,
)
from bilat.extract.pipeline import extract_paths

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold"
REFERENCE = ROOT.parent / "shared" / "spec" / "score_events.py"
TYPES = ["treaty", "visit", "trade", "investment", "aid", "military", "diplomacy", "conflict"]


def _as_prediction(doc: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": event["date"],
        "countries": sorted(event["countries"]),
        "type": event["type"],
        "source": {"doc": f"seeds/{doc}", "sentence": event["sentence"]},
    }


def _perturbed_predictions(seed: int) -> list[dict[str, Any]]:
    """Gold turned into predictions, then damaged: dropped, shifted, retyped, spurious."""
    rng = random.Random(seed)
    preds: list[dict[str, Any]] = []
    for doc, events in sorted(load_gold(GOLD).items()):
        for event in events:
            roll = rng.random()
            if roll < 0.15:
                continue
            pred = _as_prediction(doc, event)
            if pred["date"] is None:
                pred["date"] = {"start": "2001-01-01", "end": "2001-12-31"}
            if roll < 0.3:
                pred["date"] = {"start": "1900-01-01", "end": "1900-12-31"}
            elif roll < 0.4:
                pred["countries"] = [*pred["countries"][:1], "USA"]
            elif roll < 0.5:
                pred["type"] = rng.choice(TYPES)
            preds.append(pred)
            if rng.random() < 0.1:
                extra = dict(pred, date={"start": "2030-01-01", "end": "2030-12-31"})
                preds.append(extra)
    return preds


def test_perfect_predictions_score_one() -> None:
    gold = load_gold(GOLD)
    preds = [_as_prediction(doc, e) for doc, events in gold.items() for e in events if e["date"]]
    report = score(gold, preds)
    assert report.detection.f1 == 1.0
    assert report.exact.f1 == 1.0
    assert report.pair_timeline.f1 == 1.0
    assert not report.errors


def test_nothing_predicted_scores_zero() -> None:
    report = score(load_gold(GOLD), [])
    assert report.detection.recall == 0.0
    assert report.matched == 0
    assert all(e.kind == "missed" for e in report.errors)


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/spec/score_events.py not present")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agrees_with_reference_scorer(tmp_path: Path, seed: int) -> None:
    preds = _perturbed_predictions(seed)
    pred_file = tmp_path / "pred.ndjson"
    pred_file.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(REFERENCE), str(GOLD), str(pred_file), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = json.loads(out.stdout)
    ours = score(load_gold(GOLD), preds).summary()
    assert ours == reference


def test_missing_gold_dir_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="gold directory not found"):
        load_gold(tmp_path / "nope")


def test_malformed_gold_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "x.gold.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.gold\.json"):
        load_gold(tmp_path)


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/spec/score_events.py not present")
def test_evaluate_paths_agrees_with_reference_on_real_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bilat evaluate` and the reference scorer give the same figures for the same run."""
    monkeypatch.chdir(ROOT)
    run = extract_paths(["seeds/"])
    pred_file = tmp_path / "pred.ndjson"
    pred_file.write_text(
        "".join(e.model_dump_json() + "\n" for r in run.results for e in r.events),
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(REFERENCE), str(GOLD), str(pred_file), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert evaluate_paths(GOLD, ["seeds/"]).summary() == json.loads(out.stdout)


# -- gold files and documents of one's own ---------------------------------------------------

DEVSET = Path(__file__).resolve().parents[1].parent / "shared" / "devset"

DEVSET_FLOORS: dict[str, float] = {
    "detection": 0.90,
    "strict": 0.80,
    "exact": 0.72,
    "pair_timeline": 0.82,
    "type_accuracy": 0.88,
    "exact_in_every_genre": 0.70,
}
"""Floors on the development set (F1 unless an accuracy); raise them as extraction improves."""

HARBOUR = (
    "Last week, the foreign ministers of Chile and Peru met in Lima to discuss fishing rights.\n"
    "\nIn March 2006, Cuba and China signed a trade agreement.\n"
)
RIVER = "Yesterday, Ghana and Togo agreed to reopen their shared border crossing.\n"
MOUNTAIN = "In June 2011, the presidents of Bolivia and Paraguay held a summit in Asuncion.\n"


def _gold_event(
    sentence: str, start: str | None, end: str | None, countries: list[str], kind: str
) -> dict[str, Any]:
    when = None if start is None else {"start": start, "end": end, "precision": "day", "mod": None}
    return {"sentence": sentence, "date": when, "countries": countries, "type": kind}


def _write_gold(
    folder: Path, doc: str, events: list[dict[str, Any]], published: str | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{Path(doc).stem}.gold.json"
    record = {"doc": doc, "published": published, "pair": [], "events": events}
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """docs/ with three documents, gold/ with a gold file for each, dated by ``published``."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("harbour.txt", HARBOUR), ("river.txt", RIVER), ("mountain.txt", MOUNTAIN)):
        (docs / name).write_text(text, encoding="utf-8")
    gold = tmp_path / "gold"
    harbour = HARBOUR.split("\n")
    _write_gold(
        gold,
        "harbour.txt",
        [
            _gold_event(harbour[0], "2024-05-06", "2024-05-12", ["CHL", "PER"], "visit"),
            _gold_event(harbour[2], "2006-03-01", "2006-03-31", ["CHN", "CUB"], "trade"),
        ],
        published="2024-05-15",
    )
    _write_gold(
        gold,
        "river.txt",
        [_gold_event(RIVER.strip(), "2023-09-09", "2023-09-09", ["GHA", "TGO"], "diplomacy")],
        published="2023-09-10",
    )
    _write_gold(
        gold,
        "mountain.txt",
        [_gold_event(MOUNTAIN.strip(), "2011-06-01", "2011-06-30", ["BOL", "PRY"], "visit")],
    )
    return tmp_path


def _index(folder: Path, entries: object) -> Path:
    path = folder / "index.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


GENRES = [
    {"file": "harbour.txt", "genre": "news", "published": "2024-05-15"},
    {"file": "river.txt", "genre": "news", "published": "2023-09-10"},
    {"file": "mountain.txt", "genre": "encyclopedia", "published": None},
]


def test_each_document_is_dated_by_its_own_gold_file(corpus: Path) -> None:
    report = evaluate_paths(corpus / "gold", [corpus / "docs"])
    published = {document.doc: document.published for document in report.documents}
    assert published == {
        "harbour.txt": date(2024, 5, 15),
        "mountain.txt": None,
        "river.txt": date(2023, 9, 10),
    }
    assert report.gold_events == report.matched == 4
    assert report.date_exact == 1.0


def test_the_command_line_date_wins_over_the_gold_files(corpus: Path) -> None:
    report = evaluate_paths(corpus / "gold", [corpus / "docs"], published=date(2020, 1, 1))
    assert {document.published for document in report.documents} == {date(2020, 1, 1)}
    # dated from 2020, "last week" and "yesterday" no longer overlap their gold dates
    assert report.matched == 2
    missed = {error.doc for error in report.errors if error.kind == "missed"}
    assert missed == {"harbour.txt", "river.txt"}


def test_only_the_documents_given_are_scored(corpus: Path) -> None:
    report = evaluate_paths(corpus / "gold", [corpus / "docs" / "river.txt"])
    assert [document.doc for document in report.documents] == ["river.txt"]
    assert report.gold_events == 1
    assert {error.doc for error in report.errors} <= {"river.txt"}
    assert report.unscored == []


def test_documents_without_gold_are_listed_not_scored(corpus: Path) -> None:
    stray = corpus / "docs" / "stray.txt"
    stray.write_text("In 1990, Chad and Niger signed a border treaty.\n", encoding="utf-8")
    report = evaluate_paths(corpus / "gold", [corpus / "docs" / "mountain.txt", stray])
    assert report.unscored == [stray.as_posix()]
    assert [document.doc for document in report.documents] == ["mountain.txt"]


def test_no_document_with_gold_is_an_input_error(corpus: Path) -> None:
    stray = corpus / "stray.txt"
    stray.write_text("In 1990, Chad and Niger signed a border treaty.\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no gold file"):
        evaluate_paths(corpus / "gold", [stray])
    with pytest.raises(InputError, match="no document could be read"):
        evaluate_paths(corpus / "gold", [corpus / "nope.txt"])


def test_two_documents_sharing_a_gold_file_is_an_input_error(corpus: Path) -> None:
    copy = corpus / "copy"
    copy.mkdir()
    (copy / "river.txt").write_text(RIVER, encoding="utf-8")
    with pytest.raises(InputError, match=r"share the name river\.txt"):
        evaluate_paths(corpus / "gold", [corpus / "docs", copy])


@pytest.mark.parametrize("inside", [True, False], ids=["in-gold-dir", "beside-gold-dir"])
def test_genres_come_from_the_index(corpus: Path, inside: bool) -> None:
    _index(corpus / "gold" if inside else corpus, GENRES)
    report = evaluate_paths(corpus / "gold", [corpus / "docs"])
    genres = report.breakdown("genre")
    assert [(group.group, group.documents, group.gold_events) for group in genres] == [
        ("encyclopedia", 1, 1),
        ("news", 2, 3),
    ]
    by_doc = report.breakdown("doc")
    assert [group.group for group in by_doc] == ["harbour.txt", "mountain.txt", "river.txt"]
    assert {d.doc: d.genre for d in report.documents}["river.txt"] == "news"


def test_without_an_index_the_genre_is_unknown(corpus: Path) -> None:
    report = evaluate_paths(corpus / "gold", [corpus / "docs"])
    assert [group.group for group in report.breakdown("genre")] == ["unknown"]
    assert report.breakdown("genre")[0].summary() == report.summary()


# -- breakdowns, confusion, errors on hand-made predictions -------------------------------------


def _pred(
    doc: str, sentence: str, start: str, end: str, countries: list[str], kind: str
) -> dict[str, Any]:
    return {
        "date": {"start": start, "end": end},
        "countries": countries,
        "type": kind,
        "source": {"doc": f"somewhere/{doc}", "sentence": sentence},
    }


def _hand_made() -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    s1 = "In 1994, Chad and Libya ended their dispute over the Aouzou Strip."
    s2 = "In May 1990, Chad and Libya opened talks in Rabat."
    s3 = "In 1987, Chad and Libya fought over the northern desert."
    s4 = "Chad and Libya restored diplomatic ties in November 1988."
    gold = {
        "one.txt": [
            _gold_event(s1, "1994-01-01", "1994-12-31", ["LBY", "TCD"], "treaty"),
            _gold_event(s2, "1990-05-01", "1990-05-31", ["LBY", "TCD"], "visit"),
            _gold_event(s3, "1987-01-01", "1987-12-31", ["LBY", "TCD"], "conflict"),
            _gold_event(s4, "1988-11-01", "1988-11-30", ["LBY", "TCD"], "diplomacy"),
        ]
    }
    preds = [
        _pred("one.txt", s1, "1994-01-01", "1994-12-31", ["LBY", "TCD"], "treaty"),  # exact
        _pred("one.txt", s2, "1990-05-01", "1990-05-31", ["LBY", "TCD"], "diplomacy"),  # type
        _pred("one.txt", s3, "1987-03-01", "1987-03-31", ["LBY", "TCD", "FRA"], "conflict"),
        _pred(
            "one.txt",
            "Libya and Chad are neighbours.",
            "2001-01-01",
            "2001-12-31",
            ["LBY", "TCD"],
            "cooperation",
        ),  # spurious; s4 is missed
        _pred("other.txt", s1, "1994-01-01", "1994-12-31", ["LBY", "TCD"], "treaty"),  # no gold
    ]
    return gold, preds


def test_wrong_matches_name_the_fields_that_differ() -> None:
    gold, preds = _hand_made()
    report = score(gold, preds)
    wrong = {
        error.gold["sentence"][:11]: error.fields
        for error in report.errors
        if error.kind == "wrong" and error.gold
    }
    assert wrong == {"In May 1990": ["type"], "In 1987, Ch": ["date", "countries"]}
    kinds = sorted(error.kind for error in report.errors)
    assert kinds == ["missed", "spurious", "wrong", "wrong"]
    missed = next(error for error in report.errors if error.kind == "missed")
    assert missed.fields == [] and missed.gold is not None and missed.gold["type"] == "diplomacy"


def test_confusion_matrix_is_gold_type_by_predicted_type() -> None:
    gold, preds = _hand_made()
    matrix = score(gold, preds).confusion
    assert matrix.labels == ["treaty", "visit", "diplomacy", "conflict"]
    assert matrix.count("visit", "diplomacy") == 1
    assert matrix.count("treaty", "treaty") == matrix.count("conflict", "conflict") == 1
    assert matrix.count("diplomacy", "diplomacy") == 0  # missed: not a match
    assert (matrix.total, matrix.correct) == (3, 2)
    assert matrix.counts == [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_per_document_and_per_genre_figures_add_up(seed: int) -> None:
    gold = load_gold(GOLD)
    preds = _perturbed_predictions(seed)
    docs = sorted(gold)
    genres = {doc: ("odd" if number % 2 else "even") for number, doc in enumerate(docs)}
    report = score(gold, preds, genres=genres)
    assert [document.doc for document in report.documents] == docs
    for key in ("gold_events", "predicted_events", "matched"):
        assert sum(getattr(group, key) for group in report.breakdown("doc")) == getattr(report, key)
        assert sum(getattr(group, key) for group in report.breakdown("genre")) == getattr(
            report, key
        )
    # each group scores as its own gold alone would
    for group in report.breakdown("doc"):
        assert group.summary() == score({group.group: gold[group.group]}, preds).summary()
    for group in report.breakdown("genre"):
        alone = {doc: events for doc, events in gold.items() if genres[doc] == group.group}
        assert group.documents == len(alone)
        assert group.summary() == score(alone, preds).summary()
    kinds = [error.kind for error in report.errors]
    assert kinds.count("missed") == report.gold_events - report.matched
    assert kinds.count("spurious") == report.predicted_events - report.matched
    assert report.confusion.total == report.matched
    assert round(report.confusion.correct / report.matched, 4) == report.type_accuracy


# -- bad gold files and indexes -----------------------------------------------------------------


def test_a_gold_dir_without_gold_files_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"no \*\.gold\.json files in"):
        read_gold(tmp_path)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"published": None, "events": []}, r"doc: Field required"),
        ({"doc": "a.txt", "published": "last spring", "events": []}, r"published: Input"),
        ({"doc": "a.txt", "events": {"sentence": "x"}}, r"events: Input should be a valid list"),
        (
            {"doc": "a.txt", "events": [{"sentence": "x", "countries": ["CHN"], "type": "party"}]},
            r"events\.0\.type: Input should be",
        ),
        (
            {
                "doc": "a.txt",
                "events": [
                    {
                        "sentence": "x",
                        "date": {"start": "2014-13-01", "end": "2014-12-31"},
                        "countries": ["CHN", "RUS"],
                        "type": "trade",
                    }
                ],
            },
            r"events\.0\.date\.start",
        ),
        ([1, 2], r"Input should be a valid dictionary"),
    ],
)
def test_a_malformed_gold_file_is_named_with_what_is_wrong(
    tmp_path: Path, record: object, message: str
) -> None:
    (tmp_path / "a.gold.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_gold(tmp_path)
    assert "a.gold.json" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"index\.json: not valid JSON"),
        ('{"file": "a.txt"}', r"index\.json: not a document index: a list is expected"),
        ('[{"file": "a.txt"}]', r"index\.json: entry 0: genre: Field required"),
        ('[{"file": "a.txt", "genre": "news", "published": "soon"}]', r"entry 0: published"),
    ],
)
def test_a_malformed_index_is_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    _write_gold(tmp_path / "gold", "a.txt", [])
    (tmp_path / "index.json").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_gold(tmp_path / "gold")
    assert read_gold(tmp_path / "gold", index=False).index is None


def test_gold_events_are_kept_as_written(tmp_path: Path) -> None:
    event = _gold_event("In 2014, a deal.", "2014-01-01", "2014-12-31", ["CHN", "RUS"], "trade")
    event["amount"] = {"value": 1, "currency": "USD", "text": "$1"}
    _write_gold(tmp_path, "seeds/a.txt", [event], published="2014-02-03")
    gold = read_gold(tmp_path)
    assert gold.documents["a.txt"].events == [event]
    assert gold.documents["a.txt"].published == date(2014, 2, 3)
    assert load_gold(tmp_path) == {"a.txt": [event]}


# -- the development set ------------------------------------------------------------------------

needs_devset = pytest.mark.skipif(
    not (DEVSET / "index.json").is_file(),
    reason=f"{DEVSET} not present (../shared beside the checkout)",
)


@pytest.fixture(scope="module")
def devset_report() -> EvaluationReport:
    return evaluate_paths(DEVSET / "gold", [DEVSET / "docs"])


@needs_devset
def test_devset_scores_stay_above_floors(devset_report: EvaluationReport) -> None:
    report = devset_report
    assert len(report.documents) == len(json.loads((DEVSET / "index.json").read_text("utf-8")))
    figures = {
        "detection": report.detection.f1,
        "strict": report.strict.f1,
        "exact": report.exact.f1,
        "pair_timeline": report.pair_timeline.f1,
        "type_accuracy": report.type_accuracy,
    }
    for key, value in figures.items():
        assert value >= DEVSET_FLOORS[key], (key, value)
    genres = report.breakdown("genre")
    assert UNKNOWN_GENRE not in {group.group for group in genres}
    for group in genres:
        assert group.exact.f1 >= DEVSET_FLOORS["exact_in_every_genre"], (group.group, group.exact)


@needs_devset
@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/spec/score_events.py not present")
def test_devset_genres_agree_with_reference_scorer_on_their_gold_alone(
    devset_report: EvaluationReport, tmp_path: Path
) -> None:
    """Each genre's figures are what the reference scorer gives on that genre's gold files."""
    index = json.loads((DEVSET / "index.json").read_text(encoding="utf-8"))
    published = {entry["file"]: entry["published"] for entry in index}
    run = [
        extract_paths([DEVSET / "docs" / doc], published=when and date.fromisoformat(when))
        for doc, when in published.items()
    ]
    pred_file = tmp_path / "pred.ndjson"
    pred_file.write_text(
        "".join(e.model_dump_json() + "\n" for r in run for d in r.results for e in d.events),
        encoding="utf-8",
    )
    for group in devset_report.breakdown("genre"):
        folder = tmp_path / group.group
        folder.mkdir()
        for entry in index:
            if entry["genre"] == group.group:
                name = Path(entry["file"]).stem + ".gold.json"
                (folder / name).write_bytes((DEVSET / "gold" / name).read_bytes())
        out = subprocess.run(
            [sys.executable, str(REFERENCE), str(folder), str(pred_file), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert group.summary() == json.loads(out.stdout), group.group
