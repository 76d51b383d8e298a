"""Typed errors raised by the library and translated once, at the CLI edge, into messages.

Every error carries what was wrong, where, and what to do, so the CLI never
has to show a traceback.
"""

from __future__ import annotations


class BilatError(Exception):
    """Base class: ``str(error)`` is a complete message for a user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class InputError(BilatError):
    """A document cannot be read: binary, undecodable, empty or unreadable."""


class StoreError(BilatError):
    """The event store is missing, malformed or fails validation."""


class UnknownCountryError(BilatError):
    """A country name that the gazetteer does not know."""

    def __init__(self, name: str, suggestions: list[str], *, hint: str | None = None) -> None:
        hint = hint or (
            f"did you mean {', '.join(suggestions)}?"
            if suggestions
            else "run `bilat countries` to list the names bilat knows"
        )
        super().__init__(f"unknown country: {name!r}", hint=hint)
        self.name = name
        self.suggestions = suggestions


class DateError(BilatError):
    """A date argument that will not parse."""


class LexiconError(BilatError):
    """A bundled or user lexicon data file is malformed."""
