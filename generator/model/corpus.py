"""The corpus: every input under reports/ accounted for, as the stages pass it on.

Every file is a record, a superseded version of one, or a Failure (unreadable or ignored):
`inputs = records + failures + superseded` (a sidecar next to its report is part of the
report, not an input). The check stage attaches each record's findings (`Record.checks`);
render reads the corpus and the rules only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.model.failure import Failure
from generator.model.record import Record


@dataclass(frozen=True, slots=True)
class Superseded:
    """An older report of an agency, year and place, kept in the newer record's
    previous_versions instead of being published itself."""

    file: str
    format: str
    id: str
    superseded_by: str
    """The file of the record that replaces it."""


@dataclass(frozen=True, slots=True)
class Corpus:
    records: tuple[Record, ...] = ()
    """One per id, sorted by id."""
    failures: tuple[Failure, ...] = ()
    """Inputs that did not become a record (unreadable) and files skipped on purpose
    (ignored), sorted by file."""
    superseded: tuple[Superseded, ...] = ()
    """Sorted by file."""
    sources: Mapping[str, Path] = field(default_factory=dict)
    """Record id -> the report file it came from (its copy is published with the page)."""

    @property
    def inputs(self) -> int:
        return len(self.records) + len(self.failures) + len(self.superseded)

    @property
    def unreadable(self) -> list[Failure]:
        return [f for f in self.failures if f.kind == "unreadable"]

    @property
    def ignored(self) -> list[Failure]:
        return [f for f in self.failures if f.kind == "ignored"]

    def without(self, faults: Mapping[str, Failure]) -> Corpus:
        """The corpus with the records of these ids taken off, each listed as its Failure
        (a report on which a later stage failed)."""
        if not faults:
            return self
        return dataclasses.replace(
            self,
            records=tuple(r for r in self.records if r.key not in faults),
            failures=tuple(sorted([*self.failures, *faults.values()], key=lambda f: f.file)),
            sources={k: v for k, v in self.sources.items() if k not in faults},
        )
