"""The corpus: every input under reports/ accounted for, as the stages pass it on.

Every file is a record, a superseded version of one, or a Failure (unreadable or ignored):
`inputs = records + failures + superseded` (a sidecar next to its report is part of the
report, not an input). The check stage attaches each record's findings (`Record.checks`);
render reads the corpus and the rules only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator.model.failure import Failure
from generator.model.record import Record

if TYPE_CHECKING:
    from generator.analysis.timeliness import AgencyList

HistoryState = Literal["complete", "shallow", "none"]
"""What the build knows of the history of reports/: a full git history, a shallow clone (the
oldest dates are only upper bounds, earlier contents may be missing), or none (not a git
repository, no git: nothing is claimed about edits or first-seen dates)."""
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


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
    first_seen: Mapping[str, str] = field(default_factory=dict)
    """Record id -> when its file first entered the repository (ISO 8601 committer date of
    its first commit, generator/sources.py); absent for a file without git history."""
    history: HistoryState = "none"
    """Whether first_seen and the records' `edits` come from a full git history."""
    agencies: AgencyList | None = None
    """reports/agencies.yml checked (the agencies expected to report); None without the file."""

    @property
    def as_of(self) -> str | None:
        """The date the corpus speaks for (ISO date), never the clock: the newest of the
        dates its reports carry: when a report file or a new content of one was first
        committed, a 落款 date, and 1 January after each report year (a report on a year is
        out after it). Pages that say what is missing "as of" a date change when the
        reports change, not every day."""
        stamps = [*self.first_seen.values()]
        stamps += [e.replaced for r in self.records for e in r.edits if e.replaced]
        stamps += [r.published for r in self.records if r.published]
        dates = [stamp[:10] for stamp in stamps if _ISO_DATE.match(stamp)]
        dates += [f"{r.year + 1:04d}-01-01" for r in self.records if r.year is not None]
        return max(dates, default=None)

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
            first_seen={k: v for k, v in self.first_seen.items() if k not in faults},
        )
