"""What happened to a record after parsing: corrections from its sidecar, and the older
versions of the same report (docs/contract.md, "Record extensions written by the pipeline")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.model.tables import Value

CorrectedValue = str | int | float | None
"""A table cell (number or null), a date or text (title, agency name) or the year."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One applied entry of the report's sidecar `X.txt.corrections.yml`."""

    path: str
    """Key path corrected: `requests.granted.total`, `title`, `period.end`, …"""
    original: CorrectedValue
    """The parsed value (the first one, when several entries correct the same path)."""
    value: CorrectedValue
    """The value now in the record (None: a cell or date the report leaves blank)."""
    reason: str
    by: str
    date: str
    """ISO date of the correction."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "original": self.original,
            "value": self.value,
            "reason": self.reason,
            "by": self.by,
            "date": self.date,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Correction:
        return cls(
            data["path"], data["original"], data["value"], data["reason"], data["by"], data["date"]
        )


@dataclass(frozen=True, slots=True)
class RejectedCorrection:
    """A sidecar entry that was not applied (the valid entries still are)."""

    sidecar: str
    """The sidecar's path under reports/."""
    entry: int | None
    """1-based entry number; None when the whole file cannot be read."""
    path: str | None
    """The entry's key path, when it named one."""
    problem: str
    """Chinese: what was expected."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "sidecar": self.sidecar,
            "entry": self.entry,
            "path": self.path,
            "problem": self.problem,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RejectedCorrection:
        return cls(data["sidecar"], data.get("entry"), data.get("path"), data["problem"])


@dataclass(frozen=True, slots=True)
class TableChange:
    where: str
    """Key path of the cell (`requests.granted.total`)."""
    old: Value
    """In the older report."""
    new: Value
    """In this record."""

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "old": self.old, "new": self.new}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TableChange:
        return cls(data["where"], data.get("old"), data.get("new"))


@dataclass(frozen=True, slots=True)
class PreviousVersion:
    """An older report of the same agency, year and place, kept with the newest."""

    file: str
    sha256: str
    published: str | None
    table_changes: tuple[TableChange, ...]
    """Every differing cell of the three tables, in table order."""
    text_diff: str
    """Unified diff of the title and the six sections (older -> this), "" when equal."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "published": self.published,
            "table_changes": [change.to_dict() for change in self.table_changes],
            "text_diff": self.text_diff,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PreviousVersion:
        return cls(
            data["file"],
            data["sha256"],
            data.get("published"),
            tuple(TableChange.from_dict(c) for c in data.get("table_changes") or ()),
            data.get("text_diff") or "",
        )


@dataclass(frozen=True, slots=True)
class SourceEdit:
    """An earlier content of the report's own file, replaced under the same name (a silent
    edit), from the git history of reports/ (generator/sources.py; docs/contract.md `edits`)."""

    file: str
    """The file's path under reports/ when it had this content (the record's file, unless the
    file was renamed since)."""
    sha256: str
    """Of the earlier content."""
    first_seen: str
    """When that content was first committed (ISO 8601 committer date with its offset)."""
    replaced: str | None
    """When the content that replaced it was first committed; None when the replacing
    content is not committed yet (the file on disk differs from its last commit)."""
    readable: bool
    """False when the earlier content could not be read back or parsed (no diff then)."""
    table_changes: tuple[TableChange, ...]
    """Every differing cell of the three tables: `old` in this content, `new` in the content
    that replaced it, in table order."""
    text_diff: str
    """Unified diff of the title and the six sections, this content -> the one that replaced
    it ("" when equal)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "first_seen": self.first_seen,
            "replaced": self.replaced,
            "readable": self.readable,
            "table_changes": [change.to_dict() for change in self.table_changes],
            "text_diff": self.text_diff,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceEdit:
        return cls(
            data["file"],
            data["sha256"],
            str(data["first_seen"]),
            None if data.get("replaced") is None else str(data["replaced"]),
            bool(data.get("readable", True)),
            tuple(TableChange.from_dict(c) for c in data.get("table_changes") or ()),
            data.get("text_diff") or "",
        )
