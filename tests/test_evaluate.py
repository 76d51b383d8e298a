"""The evaluation command agrees with the reference scorer and scores the obvious cases right."""

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bilat.errors import InputError
from bilat.evaluate import evaluate_paths, load_gold, score
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
