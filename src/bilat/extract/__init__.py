"""Extraction: documents in, dated events out, one module per pipeline stage.

:mod:`~bilat.extract.pipeline` runs a document through the stages in order:
:mod:`~bilat.extract.documents` (reading files), :mod:`~bilat.extract.text`
(sentences and offsets), :mod:`~bilat.extract.timex` (time expressions, rules in
:mod:`~bilat.extract.timex_rules`), :mod:`~bilat.extract.gazetteer` (countries
and actors), :mod:`~bilat.extract.amounts` (sums of money),
:mod:`~bilat.extract.classify` (event types), :mod:`~bilat.extract.named_events`
(well-known events as dates) and :mod:`~bilat.extract.titles` (headlines), with
:mod:`~bilat.extract.history` (states and their successors) and
:mod:`~bilat.extract.lexicon` (loading the TOML rule data under ``bilat/data``).

Nothing is imported here, so importing one stage never loads the others.
"""
