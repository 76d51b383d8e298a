"""Loading the rule lexicons under ``data/``: TOML validated by a pydantic model.

Every lexicon fails the same way on a bad entry — a :class:`LexiconError`
naming the file, the dotted key and what is wrong — and every regex fragment
is checked the same way, so a typo in data never misbehaves silently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bilat.errors import LexiconError

_M = TypeVar("_M", bound=BaseModel)


def load_lexicon(path: Path, model: type[_M], what: str) -> _M:
    """Read the TOML file at ``path`` and validate it as ``model`` (``what`` names it)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read {what}: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LexiconError(f"{path}: {where}: {first['msg']}") from exc


def check_pattern(pattern: str) -> str:
    """``pattern`` if it compiles and has no capturing group; else a ValueError saying why.

    Lexicon patterns are joined into larger regexes with named groups, where a
    capturing group of their own would shift nothing but still costs and confuses.
    """
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r}: {exc}") from exc
    if compiled.groups:
        raise ValueError(f"use (?:...) instead of capturing groups in {pattern!r}")
    return pattern


def named_alternatives(named: Iterable[tuple[str, str]]) -> str:
    """``(name, pattern)`` pairs as regex alternatives, in order, each match naming its pattern.

    The name is an empty group closing the pattern (``match.lastgroup``) rather
    than a group around it: entering group number n makes the regex engine
    clear the marks of the groups before it, which with hundreds of groups was
    most of the cost of every failed attempt, while a group reached only once
    its pattern matched costs nothing on the way.
    """
    return "|".join(f"(?:{pattern}(?P<{name}>))" for name, pattern in named)
