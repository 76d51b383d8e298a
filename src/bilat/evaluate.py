"""Scoring extracted events against gold files, with the reference scorer's semantics.

The reference is ``spec/score_events.py`` (shared with every developer): a
prediction matches a gold event of the same document when their sentences are
the same (one contains the other, or their word sets overlap by 60%) and
their date intervals overlap; matching is one-to-one, best candidates first.
Gold events without a date are neither rewarded nor penalised. A test runs
both scorers on the same predictions and requires identical figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from bilat.errors import InputError
from bilat.extract.pipeline import ExtractionRun, ProgressCallback, extract_paths
from bilat.models import Event

_WORD = re.compile(r"\w+")
_SAME_SENTENCE_OVERLAP = 0.6

Interval = tuple[str, str]


class PRF(BaseModel):
    """Precision, recall and F1, rounded to four places like the reference scorer."""

    model_config = ConfigDict(frozen=True)
    precision: float
    recall: float
    f1: float


class ScoreError(BaseModel):
    """A gold event missed, a prediction matching nothing, or a match that is not exact."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["missed", "spurious", "wrong"]
    doc: str
    gold: dict[str, Any] | None = None
    pred: dict[str, Any] | None = None


class EvaluationReport(BaseModel):
    """Every figure the reference scorer prints, plus the errors behind them."""

    model_config = ConfigDict(frozen=True)
    gold_events: int
    predicted_events: int
    matched: int
    detection: PRF
    date_exact: float
    countries_exact: float
    type_accuracy: float
    strict: PRF
    exact: PRF
    pair_timeline: PRF
    errors: list[ScoreError]

    def summary(self) -> dict[str, Any]:
        """The figures alone, in the reference scorer's key order."""
        return self.model_dump(mode="json", exclude={"errors"})


def load_gold(gold_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Gold events per document base name, from every ``*.gold.json`` in ``gold_dir``."""
    if not gold_dir.is_dir():
        raise InputError(
            f"gold directory not found: {gold_dir}",
            hint="pass --gold with a directory of *.gold.json files (the project ships gold/)",
        )
    gold: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(gold_dir.glob("*.gold.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            doc, events = Path(str(data["doc"])).name, list(data["events"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}: not a gold file: {exc}",
                hint='a gold file is {"doc": ..., "events": [...]} (see ANNOTATION.md section 6)',
            ) from exc
        gold.setdefault(doc, []).extend(events)
    if not gold:
        raise InputError(f"no *.gold.json files in {gold_dir}")
    return gold


def evaluate_paths(
    gold_dir: Path,
    paths: Sequence[Path | str],
    *,
    published: date | None = None,
    on_progress: ProgressCallback | None = None,
) -> EvaluationReport:
    """Extract ``paths`` and score the events against the gold files in ``gold_dir``."""
    gold = load_gold(gold_dir)
    run = extract_paths(paths, published=published, on_progress=on_progress)
    return score(gold, _run_events(run))


def _run_events(run: ExtractionRun) -> list[Event]:
    return [event for result in run.results for event in result.events]


def score(
    gold: dict[str, list[dict[str, Any]]], events: Iterable[Event | dict[str, Any]]
) -> EvaluationReport:
    """Score predicted events (models or their JSON dicts) against gold events per document."""
    predictions: dict[str, list[dict[str, Any]]] = {doc: [] for doc in gold}
    for event in events:
        data = event.model_dump(mode="json") if isinstance(event, Event) else event
        doc = Path(str(data.get("source", {}).get("doc", ""))).name
        if doc in predictions:
            predictions[doc].append(data)
    return _score(gold, predictions)


def _score(
    gold: dict[str, list[dict[str, Any]]], predictions: dict[str, list[dict[str, Any]]]
) -> EvaluationReport:
    n_gold = n_pred = matched = date_ok = countries_ok = type_ok = strict = exact = 0
    pairs_gold = pairs_pred = pairs_shared = 0
    errors: list[ScoreError] = []
    for doc, gold_events in gold.items():
        preds = predictions.get(doc, [])
        links = _match(gold_events, preds)
        undated = {i for i, g in enumerate(gold_events) if _interval(g) is None}
        ignored = {p for g, p in links if g in undated}
        n_gold += len(gold_events) - len(undated)
        n_pred += len(preds) - len(ignored)
        for g, p in links:
            if g in undated:
                continue
            ge, pe = gold_events[g], preds[p]
            matched += 1
            d_ok = _interval(ge) == _interval(pe)
            c_ok = set(ge["countries"]) == set(pe.get("countries", []))
            t_ok = ge["type"] == pe.get("type")
            date_ok += d_ok
            countries_ok += c_ok
            type_ok += t_ok
            strict += d_ok and c_ok
            exact += d_ok and c_ok and t_ok
            pairs_shared += len(_pair_keys(ge) & _pair_keys(pe))
            if not (d_ok and c_ok and t_ok):
                errors.append(ScoreError(kind="wrong", doc=doc, gold=ge, pred=pe))
        linked_gold = {g for g, _ in links}
        linked_pred = {p for _, p in links}
        for i, ge in enumerate(gold_events):
            if i not in undated:
                pairs_gold += len(_pair_keys(ge))
                if i not in linked_gold:
                    errors.append(ScoreError(kind="missed", doc=doc, gold=ge))
        for i, pe in enumerate(preds):
            if i not in ignored:
                pairs_pred += len(_pair_keys(pe))
            if i not in linked_pred:
                errors.append(ScoreError(kind="spurious", doc=doc, pred=pe))
    return EvaluationReport(
        gold_events=n_gold,
        predicted_events=n_pred,
        matched=matched,
        detection=_prf(matched, n_pred, n_gold),
        date_exact=_ratio(date_ok, matched),
        countries_exact=_ratio(countries_ok, matched),
        type_accuracy=_ratio(type_ok, matched),
        strict=_prf(strict, n_pred, n_gold),
        exact=_prf(exact, n_pred, n_gold),
        pair_timeline=_prf(pairs_shared, pairs_pred, pairs_gold),
        errors=errors,
    )


def _match(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold, prediction) links, best candidates first (reference order)."""
    ranked: list[tuple[int, int, int]] = []
    for gi, ge in enumerate(gold):
        g_iv = _interval(ge)
        anchor = _norm(str(ge.get("anchor") or ge.get("inherited") or ""))
        for pi, pe in enumerate(preds):
            if not _same_sentence(ge["sentence"], str(pe.get("source", {}).get("sentence", ""))):
                continue
            p_iv = _interval(pe)
            if g_iv is not None and (p_iv is None or not _overlap(g_iv, p_iv)):
                continue
            same_date = g_iv is not None and g_iv == p_iv
            same_countries = set(ge["countries"]) == set(pe.get("countries", []))
            written = _norm(str((pe.get("date") or {}).get("text", "")))
            anchor_hit = bool(anchor) and anchor in written
            ranked.append((-(same_date * 4 + same_countries * 2 + anchor_hit), gi, pi))
    links: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, gi, pi in sorted(ranked):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            links.append((gi, pi))
    return links


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _same_sentence(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    if na and nb and (na in nb or nb in na):
        return True
    wa = {w.lower() for w in _WORD.findall(a)}
    wb = {w.lower() for w in _WORD.findall(b)}
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= _SAME_SENTENCE_OVERLAP


def _interval(event: dict[str, Any]) -> Interval | None:
    d = event.get("date")
    if not d or not d.get("start") or not d.get("end"):
        return None
    return str(d["start"])[:10], str(d["end"])[:10]


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _pair_keys(event: dict[str, Any]) -> set[tuple[str, ...]]:
    codes = sorted(set(event.get("countries", [])))
    return {tuple(pair) for pair in combinations(codes, 2)}


def _prf(tp: int, n_pred: int, n_gold: int) -> PRF:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(precision=round(p, 4), recall=round(r, 4), f1=round(f, 4))


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
