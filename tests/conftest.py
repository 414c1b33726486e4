"""Shared helpers for the tests (imported as `from conftest import ...`; no test module
imports another)."""

from __future__ import annotations

from pathlib import Path

from generator.ingest import read_document
from generator.model import Record
from generator.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent


def parse_file(path: Path, relative: str | None = None) -> Record:
    """Read and parse one report file, as the pipeline does (without corrections)."""
    return parse_document(read_document(path, relative))
