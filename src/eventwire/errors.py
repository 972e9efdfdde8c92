"""The exceptions eventwire raises, each with a message that says what to do.

    EventwireError                 base: catch this to catch everything of ours
    ├── InputError                 one input (line, file, page) cannot be used
    ├── FetchError                 a URL could not be fetched (status, size, address, robots…)
    ├── ConfigError                a setting, model or data file is wrong or missing
    └── StoreError                 the database cannot be opened or written

Every error carries ``source`` (which input it concerns, or None) so that a
batch can report "SOURCE: what was wrong — what to do" on one line and go on.
"""
from __future__ import annotations


class EventwireError(Exception):
    """Base class of all eventwire errors."""

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}" if self.source else self.message
        return f"{text} — {self.hint}" if self.hint else text


class InputError(EventwireError):
    """An input record or file cannot be read as an article."""


class FetchError(EventwireError):
    """A URL could not be fetched, or fetching it was refused by policy."""


class ConfigError(EventwireError):
    """A setting, the spaCy model or a packaged data file is wrong or missing."""


class StoreError(EventwireError):
    """The database cannot be opened, migrated or written."""
