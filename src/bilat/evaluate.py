"""Scoring extracted events against gold files, with the reference scorer's semantics.

The reference is ``spec/score_events.py`` (shared with every developer): a
prediction matches a gold event of the same document when their sentences are
the same (one contains the other, or their word sets overlap by 60%) and
their date intervals overlap; matching is one-to-one, best candidates first.
Gold events without a date are neither rewarded nor penalised. A test runs
both scorers on the same predictions and requires identical figures.

Beyond the reference's figures, a report keeps each document's raw counts
(:class:`Tally`), so it breaks down by document or by genre with figures
that add up to the totals, a type confusion matrix over the matched events,
and errors that name the fields a match got wrong. A document's genre comes
from an ``index.json`` beside the gold files (the development set has one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bilat.errors import InputError
from bilat.extract.documents import collect_documents, read_document
from bilat.extract.pipeline import ProgressCallback, extract_document
from bilat.models import EVENT_TYPES, Event, EventType

_WORD = re.compile(r"\w+")
_SAME_SENTENCE_OVERLAP = 0.6
_GOLD_HINT = (
    'a gold file is {"doc": ..., "published": ..., "pair": [...], "events": [...]} '
    "(see ANNOTATION.md section 6)"
)
_INDEX_HINT = 'index.json is a list of {"file": ..., "genre": ..., "published": ...} objects'

Interval = tuple[str, str]
ScoredField = Literal["date", "countries", "type"]
"""What a matched prediction can get wrong."""
Breakdown = Literal["doc", "genre"]
"""How a report can be broken down."""
UNKNOWN_GENRE = "unknown"
"""The genre shown for documents that no ``index.json`` describes."""
INDEX_FILE = "index.json"


# -- gold files and the index ------------------------------------------------------------


class _Open(BaseModel):
    """Validation models for files written by annotators: known keys checked, others kept."""

    model_config = ConfigDict(extra="allow", frozen=True)


class _GoldDate(_Open):
    start: date
    end: date


class _GoldEvent(_Open):
    sentence: str
    date: _GoldDate | None = None
    countries: list[str]
    type: EventType
    anchor: str | None = None
    inherited: str | None = None


class _GoldFile(_Open):
    doc: str
    published: date | None = None
    pair: list[str] = Field(default_factory=list)
    events: list[_GoldEvent]


class IndexEntry(_Open):
    """One document of an ``index.json``: its file name, genre and publication date."""

    file: str
    genre: str
    published: date | None = None


class GoldDocument(BaseModel):
    """The gold events of one document, keyed by the document's base name."""

    model_config = ConfigDict(frozen=True)
    doc: str
    files: list[Path]
    published: date | None = None
    pair: list[str] = Field(default_factory=list)
    genre: str | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)


class GoldSet(BaseModel):
    """Every gold file of a directory, with the genres of the index beside it, if any."""

    model_config = ConfigDict(frozen=True)
    directory: Path
    index: Path | None = None
    documents: dict[str, GoldDocument]

    def events(self) -> dict[str, list[dict[str, Any]]]:
        """Gold events per document base name, as :func:`score` takes them."""
        return {doc: list(gold.events) for doc, gold in self.documents.items()}

    def subset(self, docs: Iterable[str]) -> GoldSet:
        """The same gold restricted to the documents named (base names), in gold order."""
        wanted = {Path(doc).name for doc in docs}
        kept = {doc: gold for doc, gold in self.documents.items() if doc in wanted}
        return self.model_copy(update={"documents": kept})


def _validation_message(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems[:3]) + (
        f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    )


def _read_json(path: Path, hint: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})", hint=hint) from exc
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON: {exc}", hint=hint) from exc


def _read_gold_file(path: Path) -> tuple[_GoldFile, list[dict[str, Any]]]:
    """The validated gold file, and its events exactly as written (what the scorer reads)."""
    data = _read_json(path, _GOLD_HINT)
    try:
        return _GoldFile.model_validate(data), list(data["events"])
    except ValidationError as exc:
        raise InputError(
            f"{path}: not a gold file: {_validation_message(exc)}", hint=_GOLD_HINT
        ) from exc


def find_index(gold_dir: Path) -> Path | None:
    """The ``index.json`` describing ``gold_dir``'s documents: inside it, or beside it."""
    for candidate in (gold_dir / INDEX_FILE, gold_dir.parent / INDEX_FILE):
        if candidate.is_file():
            return candidate
    return None


def load_index(path: Path) -> dict[str, IndexEntry]:
    """The entries of an ``index.json``, keyed by document base name."""
    data = _read_json(path, _INDEX_HINT)
    if not isinstance(data, list):
        raise InputError(
            f"{path}: not a document index: a list is expected, not {type(data).__name__}",
            hint=_INDEX_HINT,
        )
    entries: dict[str, IndexEntry] = {}
    for number, item in enumerate(data):
        try:
            entry = IndexEntry.model_validate(item)
        except ValidationError as exc:
            raise InputError(
                f"{path}: entry {number}: {_validation_message(exc)}", hint=_INDEX_HINT
            ) from exc
        entries[Path(entry.file).name] = entry
    return entries


def read_gold(gold_dir: Path, *, index: Path | Literal[False] | None = None) -> GoldSet:
    """Every ``*.gold.json`` of ``gold_dir``, validated, with genres from an index.

    ``index`` is the ``index.json`` to take genres from; by default the one in
    or beside ``gold_dir`` if there is one (:func:`find_index`), ``False`` for none.
    """
    if not gold_dir.is_dir():
        raise InputError(
            f"gold directory not found: {gold_dir}",
            hint="pass --gold with a directory of *.gold.json files (the project ships gold/)",
        )
    files = sorted(gold_dir.glob("*.gold.json"))
    if not files:
        raise InputError(
            f"no *.gold.json files in {gold_dir}",
            hint="pass --gold with the directory holding the gold files",
        )
    index_path = find_index(gold_dir) if index is None else (index or None)
    entries = load_index(index_path) if index_path is not None else {}
    documents: dict[str, GoldDocument] = {}
    for path in files:
        gold, events = _read_gold_file(path)
        doc = Path(gold.doc).name
        entry = entries.get(doc)
        earlier = documents.get(doc)
        if earlier is None:
            documents[doc] = GoldDocument(
                doc=doc,
                files=[path],
                published=gold.published,
                pair=list(gold.pair),
                genre=entry.genre if entry is not None else None,
                events=events,
            )
        else:  # two gold files for one document: their events are pooled
            documents[doc] = earlier.model_copy(
                update={
                    "files": [*earlier.files, path],
                    "published": earlier.published or gold.published,
                    "events": [*earlier.events, *events],
                }
            )
    return GoldSet(directory=gold_dir, index=index_path, documents=documents)


def load_gold(gold_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Gold events per document base name, from every ``*.gold.json`` in ``gold_dir``."""
    return read_gold(gold_dir, index=False).events()


# -- the report ---------------------------------------------------------------------------


class PRF(BaseModel):
    """Precision, recall and F1, rounded to four places like the reference scorer."""

    model_config = ConfigDict(frozen=True)
    precision: float
    recall: float
    f1: float


class ScoreError(BaseModel):
    """A gold event missed, a prediction matching nothing, or a match that is not exact.

    ``fields`` names what a ``wrong`` match got wrong: its date interval, its
    country set, its type (empty for missed and spurious events).
    """

    model_config = ConfigDict(frozen=True)
    kind: Literal["missed", "spurious", "wrong"]
    doc: str
    gold: dict[str, Any] | None = None
    pred: dict[str, Any] | None = None
    fields: list[ScoredField] = Field(default_factory=list)


class Tally(BaseModel):
    """The raw counts behind the figures; tallies add up, so groups can be scored."""

    model_config = ConfigDict(frozen=True)
    gold_events: int = 0
    predicted_events: int = 0
    matched: int = 0
    date_exact: int = 0
    countries_exact: int = 0
    type_right: int = 0
    strict: int = 0
    exact: int = 0
    pairs_gold: int = 0
    pairs_predicted: int = 0
    pairs_matched: int = 0

    def __add__(self, other: Tally) -> Tally:
        mine, theirs = self.model_dump(), other.model_dump()
        return Tally(**{key: value + theirs[key] for key, value in mine.items()})

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        result = cls()
        for tally in tallies:
            result = result + tally
        return result


class Figures(BaseModel):
    """Every figure the reference scorer prints, in its order."""

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

    @staticmethod
    def of(tally: Tally) -> dict[str, Any]:
        """The figures of ``tally``, as keyword arguments for a :class:`Figures` model."""
        return {
            "gold_events": tally.gold_events,
            "predicted_events": tally.predicted_events,
            "matched": tally.matched,
            "detection": _prf(tally.matched, tally.predicted_events, tally.gold_events),
            "date_exact": _ratio(tally.date_exact, tally.matched),
            "countries_exact": _ratio(tally.countries_exact, tally.matched),
            "type_accuracy": _ratio(tally.type_right, tally.matched),
            "strict": _prf(tally.strict, tally.predicted_events, tally.gold_events),
            "exact": _prf(tally.exact, tally.predicted_events, tally.gold_events),
            "pair_timeline": _prf(tally.pairs_matched, tally.pairs_predicted, tally.pairs_gold),
        }

    def summary(self) -> dict[str, Any]:
        """The figures alone, in the reference scorer's key order."""
        return self.model_dump(mode="json", include=set(Figures.model_fields))


class DocumentScore(BaseModel):
    """One scored document: its genre, the publication date it was extracted with, its counts."""

    model_config = ConfigDict(frozen=True)
    doc: str
    genre: str | None = None
    published: date | None = None
    tally: Tally

    def figures(self) -> Figures:
        return Figures(**Figures.of(self.tally))


class GroupScore(Figures):
    """The figures of a group of documents (one document, or one genre)."""

    group: str
    documents: int


class ConfusionMatrix(BaseModel):
    """Gold type (rows) against predicted type (columns), over the matched dated events."""

    model_config = ConfigDict(frozen=True)
    labels: list[str] = Field(default_factory=list)
    counts: list[list[int]] = Field(default_factory=list)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> ConfusionMatrix:
        """The matrix of (gold type, predicted type) pairs; labels in the guide's type order."""
        pairs = list(pairs)
        seen = {label for pair in pairs for label in pair}
        known = [label for label in EVENT_TYPES if label in seen]
        labels = known + sorted(seen - set(known))
        position = {label: number for number, label in enumerate(labels)}
        counts = [[0] * len(labels) for _ in labels]
        for gold, pred in pairs:
            counts[position[gold]][position[pred]] += 1
        return cls(labels=labels, counts=counts)

    def count(self, gold: str, pred: str) -> int:
        """How many matched events of gold type ``gold`` were predicted as ``pred``."""
        if gold not in self.labels or pred not in self.labels:
            return 0
        return self.counts[self.labels.index(gold)][self.labels.index(pred)]

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))

    @property
    def correct(self) -> int:
        return sum(self.counts[n][n] for n in range(len(self.labels)))


class SkippedDocument(BaseModel):
    """A document given to :func:`evaluate_paths` that could not be read."""

    model_config = ConfigDict(frozen=True)
    path: str
    message: str


class EvaluationReport(Figures):
    """Every figure the reference scorer prints, plus the errors and the counts behind them.

    ``documents`` holds each scored document's counts (:meth:`breakdown` groups
    them by document or genre); ``unscored`` the documents given that have no
    gold file, ``skipped`` those that could not be read.
    """

    errors: list[ScoreError]
    documents: list[DocumentScore] = Field(default_factory=list)
    confusion: ConfusionMatrix = Field(default_factory=ConfusionMatrix)
    unscored: list[str] = Field(default_factory=list)
    skipped: list[SkippedDocument] = Field(default_factory=list)

    def breakdown(self, by: Breakdown) -> list[GroupScore]:
        """Figures per document (gold order) or per genre (alphabetical, unknown last)."""
        groups: dict[str, list[DocumentScore]] = {}
        for document in self.documents:
            key = document.doc if by == "doc" else (document.genre or UNKNOWN_GENRE)
            groups.setdefault(key, []).append(document)
        keys = list(groups)
        if by == "genre":
            keys.sort(key=lambda genre: (genre == UNKNOWN_GENRE, genre))
        return [
            GroupScore(
                group=key,
                documents=len(groups[key]),
                **Figures.of(Tally.total(d.tally for d in groups[key])),
            )
            for key in keys
        ]


# -- scoring ------------------------------------------------------------------------------


def evaluate_paths(
    gold_dir: Path,
    paths: Sequence[Path | str],
    *,
    published: date | None = None,
    index: Path | Literal[False] | None = None,
    on_progress: ProgressCallback | None = None,
) -> EvaluationReport:
    """Extract the documents under ``paths`` and score them against their gold files.

    Each document is extracted with ``published`` when it is given, else with
    its gold file's ``published``. Only the gold files of the documents given
    are scored (matched by base name); documents without one are listed in
    ``unscored`` and not extracted. ``index`` is as for :func:`read_gold`.
    Raises :class:`InputError` for unusable gold files or index, two documents
    sharing a base name, and when no document given has a gold file.
    """
    gold = read_gold(gold_dir, index=index)
    files, problems = collect_documents(paths)
    skipped = [SkippedDocument(path=p.path, message=p.message) for p in problems]
    chosen: dict[str, Path] = {}
    unscored: list[str] = []
    for path in files:
        if path.name not in gold.documents:
            unscored.append(path.as_posix())
        elif path.name in chosen:
            raise InputError(
                f"{chosen[path.name].as_posix()} and {path.as_posix()} share the name "
                f"{path.name}, so both would be scored against one gold file",
                hint="evaluate them in separate runs",
            )
        else:
            chosen[path.name] = path
    events: list[Event] = []
    used: dict[str, date | None] = {}
    for done, (name, path) in enumerate(chosen.items(), start=1):
        when = published or gold.documents[name].published
        try:
            document = read_document(path, published=when)
        except InputError as exc:
            skipped.append(SkippedDocument(path=path.as_posix(), message=str(exc)))
        else:
            events.extend(extract_document(document).events)
            used[name] = document.published  # a dateline may date an undated document
        if on_progress is not None:
            on_progress(done, len(chosen), path.as_posix())
    if not used:
        _nothing_scored(gold, files, chosen, skipped)
    scored = gold.subset(used)
    report = _score(
        scored.events(),
        _by_doc(events, scored.documents),
        genres={doc: g.genre for doc, g in scored.documents.items()},
        published=used,
    )
    return report.model_copy(update={"unscored": unscored, "skipped": skipped})


def _nothing_scored(
    gold: GoldSet, files: list[Path], chosen: dict[str, Path], skipped: list[SkippedDocument]
) -> NoReturn:
    """Why no document could be scored, as an :class:`InputError`."""
    reasons = "; ".join(f"{problem.path}: {problem.message}" for problem in skipped[:3])
    if chosen or (skipped and not files):
        what = "no document with a gold file" if files else "no document"
        raise InputError(
            f"{what} could be read ({reasons})", hint="pass text files, or directories holding them"
        )
    if not files:
        raise InputError("no documents given", hint="pass text files, or directories holding them")
    if len(files) == 1:
        message = f"{files[0].as_posix()} has no gold file in {gold.directory}"
    else:
        message = f"none of the {len(files)} documents given has a gold file in {gold.directory}"
    raise InputError(
        message,
        hint="gold files are matched by the document's file name, "
        f"e.g. {next(iter(gold.documents))}",
    )


def score(
    gold: Mapping[str, list[dict[str, Any]]],
    events: Iterable[Event | dict[str, Any]],
    *,
    genres: Mapping[str, str | None] | None = None,
    published: Mapping[str, date | None] | None = None,
) -> EvaluationReport:
    """Score predicted events (models or their JSON dicts) against gold events per document.

    Every document of ``gold`` is scored; predictions for other documents are
    ignored. ``genres`` and ``published`` (per document base name) only label
    the report's per-document entries.
    """
    return _score(gold, _by_doc(events, gold), genres=genres or {}, published=published or {})


def _by_doc(
    events: Iterable[Event | dict[str, Any]], docs: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    predictions: dict[str, list[dict[str, Any]]] = {doc: [] for doc in docs}
    for event in events:
        data = event.model_dump(mode="json") if isinstance(event, Event) else event
        doc = Path(str(data.get("source", {}).get("doc", ""))).name
        if doc in predictions:
            predictions[doc].append(data)
    return predictions


def _score(
    gold: Mapping[str, list[dict[str, Any]]],
    predictions: Mapping[str, list[dict[str, Any]]],
    *,
    genres: Mapping[str, str | None],
    published: Mapping[str, date | None],
) -> EvaluationReport:
    errors: list[ScoreError] = []
    documents: list[DocumentScore] = []
    types: list[tuple[str, str]] = []
    for doc, gold_events in gold.items():
        tally, doc_errors, doc_types = _score_document(doc, gold_events, predictions.get(doc, []))
        errors.extend(doc_errors)
        types.extend(doc_types)
        documents.append(
            DocumentScore(doc=doc, genre=genres.get(doc), published=published.get(doc), tally=tally)
        )
    return EvaluationReport(
        **Figures.of(Tally.total(d.tally for d in documents)),
        errors=errors,
        documents=documents,
        confusion=ConfusionMatrix.of(types),
    )


def _score_document(
    doc: str, gold_events: list[dict[str, Any]], preds: list[dict[str, Any]]
) -> tuple[Tally, list[ScoreError], list[tuple[str, str]]]:
    """One document's counts, errors and (gold type, predicted type) pairs."""
    counts = dict.fromkeys(Tally.model_fields, 0)
    errors: list[ScoreError] = []
    types: list[tuple[str, str]] = []
    links = _match(gold_events, preds)
    undated = {i for i, g in enumerate(gold_events) if _interval(g) is None}
    ignored = {p for g, p in links if g in undated}
    counts["gold_events"] = len(gold_events) - len(undated)
    counts["predicted_events"] = len(preds) - len(ignored)
    for g, p in links:
        if g in undated:
            continue
        ge, pe = gold_events[g], preds[p]
        wrong: list[ScoredField] = []
        if _interval(ge) != _interval(pe):
            wrong.append("date")
        if set(ge["countries"]) != set(pe.get("countries", [])):
            wrong.append("countries")
        if ge["type"] != pe.get("type"):
            wrong.append("type")
        counts["matched"] += 1
        counts["date_exact"] += "date" not in wrong
        counts["countries_exact"] += "countries" not in wrong
        counts["type_right"] += "type" not in wrong
        counts["strict"] += "date" not in wrong and "countries" not in wrong
        counts["exact"] += not wrong
        counts["pairs_matched"] += len(_pair_keys(ge) & _pair_keys(pe))
        types.append((str(ge["type"]), str(pe.get("type"))))
        if wrong:
            errors.append(ScoreError(kind="wrong", doc=doc, gold=ge, pred=pe, fields=wrong))
    linked_gold = {g for g, _ in links}
    linked_pred = {p for _, p in links}
    for i, ge in enumerate(gold_events):
        if i not in undated:
            counts["pairs_gold"] += len(_pair_keys(ge))
            if i not in linked_gold:
                errors.append(ScoreError(kind="missed", doc=doc, gold=ge))
    for i, pe in enumerate(preds):
        if i not in ignored:
            counts["pairs_predicted"] += len(_pair_keys(pe))
        if i not in linked_pred:
            errors.append(ScoreError(kind="spurious", doc=doc, pred=pe))
    return Tally(**counts), errors, types


def _match(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold, prediction) links, best candidates first (reference order)."""
    ranked: list[tuple[int, int, int]] = []
    pred_sentences = [_sentence(str(pe.get("source", {}).get("sentence", ""))) for pe in preds]
    pred_intervals = [_interval(pe) for pe in preds]
    for gi, ge in enumerate(gold):
        g_sentence = _sentence(ge["sentence"])
        g_iv = _interval(ge)
        anchor = _norm(str(ge.get("anchor") or ge.get("inherited") or ""))
        for pi, pe in enumerate(preds):
            if not _same_sentence(g_sentence, pred_sentences[pi]):
                continue
            p_iv = pred_intervals[pi]
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


_Sentence = tuple[str, frozenset[str]]
"""A sentence as compared: normalised text and its set of lower-cased words."""


def _sentence(text: str) -> _Sentence:
    return _norm(text), frozenset(w.lower() for w in _WORD.findall(text))


def _same_sentence(a: _Sentence, b: _Sentence) -> bool:
    (na, wa), (nb, wb) = a, b
    if na and nb and (na in nb or nb in na):
        return True
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
