"""The ``bilat`` command line: parse arguments, call the library, pick a renderer.

Output rules, for every command: data (JSON, NDJSON, CSV, Markdown, tables)
goes to stdout, and everything said *about* the run — progress, warnings,
counts, errors — goes to stderr, so ``bilat timeline china russia --json | jq``
only ever sees JSON. Exit codes: 0 ok (an empty result too), 1 bad input or
data (any :class:`~bilat.errors.BilatError`), 2 usage, 130 interrupted.
Library errors are turned into messages in exactly one place,
:class:`~bilat.cli.main.BilatGroup`. Heavy modules (rich, the extractor, the
gazetteer) are imported inside the commands that need them so that start-up
stays short.

:mod:`~bilat.cli.main` holds the app; :mod:`~bilat.cli.build`,
:mod:`~bilat.cli.query`, :mod:`~bilat.cli.export` and :mod:`~bilat.cli.check`
one command group each; :mod:`~bilat.cli.common` what they all share (options,
store loading, the filter builder, messages). Command modules import only
``common``, never each other nor ``main``.
"""

from bilat.cli.main import app

__all__ = ["app"]
