"""bilat: dated events between countries, extracted from documents into a queryable timeline.

Everything the command line does is available from here::

    import bilat

    run = bilat.extract_paths(["seeds/"])
    events = [event for result in run.results for event in result.events]
    flt = bilat.EventFilter(countries=["CHN", "RUS"], date_from="2001", date_to="2010")
    for event in bilat.timeline(events, flt):
        print(event.date.value, event.type, event.title)

The names are loaded on first use (PEP 562 ``__getattr__``) rather than at
``import bilat``: the CLI imports this package before it parses a single
argument, and importing the whole extractor eagerly would make every start-up,
``bilat --help`` included, take about half as long again. The ``TYPE_CHECKING``
block gives type checkers and IDEs the real names; a test checks that it,
``__all__`` and ``_HOMES`` list the same names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from bilat.dates_arg import parse_partial_date
    from bilat.errors import (
        BilatError,
        DateError,
        InputError,
        LexiconError,
        StoreError,
        UnknownCountryError,
    )
    from bilat.evaluate import (
        EvaluationReport,
        GoldSet,
        evaluate_paths,
        load_gold,
        read_gold,
        score,
    )
    from bilat.extract.amounts import MoneyMention, find_amounts
    from bilat.extract.documents import Document, InputProblem, read_document
    from bilat.extract.gazetteer import Country, Gazetteer, Mention
    from bilat.extract.parallel import CorpusRun, extract_corpus
    from bilat.extract.pipeline import (
        DocumentResult,
        ExtractionRun,
        extract_document,
        extract_paths,
        extract_text,
    )
    from bilat.extract.timex import TimeExpression, find_time_expressions
    from bilat.models import (
        EVENT_TYPES,
        SCHEMA_VERSION,
        Actor,
        Amount,
        DocumentInfo,
        Event,
        EventDate,
        Source,
        StoreData,
    )
    from bilat.output.export import export_events
    from bilat.output.formats import ExportFormat
    from bilat.query import (
        EventFilter,
        PairSummary,
        SearchHit,
        Stats,
        find_by_id,
        find_in,
        pairs,
        pairs_in,
        search,
        search_in,
        stats,
        stats_in,
        timeline,
        timeline_in,
    )
    from bilat.store.backends import copy_store, open_store
    from bilat.store.json_store import EventStore, consistency_problems, resolve_store_path
    from bilat.store.sqlite_store import SqliteStore

_HOMES: dict[str, tuple[str, ...]] = {
    "bilat.extract.pipeline": (
        "extract_paths",
        "extract_document",
        "extract_text",
        "DocumentResult",
        "ExtractionRun",
    ),
    "bilat.extract.parallel": ("extract_corpus", "CorpusRun"),
    "bilat.evaluate": (
        "evaluate_paths",
        "score",
        "load_gold",
        "read_gold",
        "EvaluationReport",
        "GoldSet",
    ),
    "bilat.store.json_store": ("EventStore", "resolve_store_path", "consistency_problems"),
    "bilat.store.sqlite_store": ("SqliteStore",),
    "bilat.store.backends": ("open_store", "copy_store"),
    "bilat.query": (
        "EventFilter",
        "timeline",
        "search",
        "pairs",
        "stats",
        "find_by_id",
        "timeline_in",
        "search_in",
        "pairs_in",
        "stats_in",
        "find_in",
        "SearchHit",
        "PairSummary",
        "Stats",
    ),
    "bilat.output.export": ("export_events",),
    "bilat.output.formats": ("ExportFormat",),
    "bilat.dates_arg": ("parse_partial_date",),
    "bilat.extract.timex": ("find_time_expressions", "TimeExpression"),
    "bilat.extract.gazetteer": ("Gazetteer", "Mention", "Country"),
    "bilat.extract.amounts": ("find_amounts", "MoneyMention"),
    "bilat.extract.documents": ("read_document", "Document", "InputProblem"),
    "bilat.models": (
        "SCHEMA_VERSION",
        "EVENT_TYPES",
        "Actor",
        "Amount",
        "DocumentInfo",
        "Event",
        "EventDate",
        "Source",
        "StoreData",
    ),
    "bilat.errors": (
        "BilatError",
        "InputError",
        "StoreError",
        "UnknownCountryError",
        "DateError",
        "LexiconError",
    ),
}
"""Which module defines each public name (``__all__`` lists the same names; a test checks)."""

_MODULE_OF: dict[str, str] = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "EVENT_TYPES",
    "SCHEMA_VERSION",
    "Actor",
    "Amount",
    "BilatError",
    "CorpusRun",
    "Country",
    "DateError",
    "Document",
    "DocumentInfo",
    "DocumentResult",
    "EvaluationReport",
    "Event",
    "EventDate",
    "EventFilter",
    "EventStore",
    "ExportFormat",
    "ExtractionRun",
    "Gazetteer",
    "GoldSet",
    "InputError",
    "InputProblem",
    "LexiconError",
    "Mention",
    "MoneyMention",
    "PairSummary",
    "SearchHit",
    "Source",
    "SqliteStore",
    "Stats",
    "StoreData",
    "StoreError",
    "TimeExpression",
    "UnknownCountryError",
    "__version__",
    "consistency_problems",
    "copy_store",
    "evaluate_paths",
    "export_events",
    "extract_corpus",
    "extract_document",
    "extract_paths",
    "extract_text",
    "find_amounts",
    "find_by_id",
    "find_in",
    "find_time_expressions",
    "load_gold",
    "open_store",
    "pairs",
    "pairs_in",
    "parse_partial_date",
    "read_document",
    "read_gold",
    "resolve_store_path",
    "score",
    "search",
    "search_in",
    "stats",
    "stats_in",
    "timeline",
    "timeline_in",
]


def __getattr__(name: str) -> Any:
    """Import the defining module on first access and cache the name in this namespace."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names too, before they are loaded, so completion in a REPL finds them."""
    return sorted({*globals(), *__all__})
