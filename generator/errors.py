"""Errors a person can act on. Turned into one line of text only in the CLI."""

from __future__ import annotations

from pathlib import Path


class NianbaoError(Exception):
    """Base class: every error the generator raises on purpose."""


class ConfigError(NianbaoError):
    """A settings file or option is wrong; the message names the key."""


class SourceError(NianbaoError):
    """An input report cannot be read at all (it is listed as unreadable, never guessed at)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnsupportedFormat(SourceError):
    """No reader for this file type."""
