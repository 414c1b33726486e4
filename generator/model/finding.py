"""A compliance finding and its level: what the check stage says about one record.

A finding is `{rule, level, message, where, line, status}` in the published record (`checks`)
and in findings.csv (docs/contract.md, "Findings"). Levels are ordered most serious first, the
order pages list them in; `nianbao check --fail-on` counts a level and every level above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

Status = Literal["fail", "not-assessable"]
"""`fail`: the report breaks the rule. `not-assessable`: the rule could not be evaluated (a
null operand, an unknown date); such a finding is always level info."""
STATUSES: tuple[Status, ...] = ("fail", "not-assessable")


class Level(StrEnum):
    """How serious a finding is. A StrEnum, so `Level.ERROR == "error"` (templates, YAML)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The Chinese word pages and `nianbao check` print: 错误, 警告, 提示."""
        return _LABELS[self]

    @property
    def order(self) -> int:
        """0 for the most serious (error), then warning 1, info 2: the order of listing."""
        return _ORDER.index(self)

    def at_least(self, threshold: Level) -> bool:
        """As serious as threshold or more (error is at least warning)."""
        return self.order <= threshold.order


_ORDER = (Level.ERROR, Level.WARNING, Level.INFO)
_LABELS = {Level.ERROR: "错误", Level.WARNING: "警告", Level.INFO: "提示"}
LEVELS: tuple[Level, ...] = _ORDER
"""Every level, most serious first."""


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    """Catalogue id of the rule (`T3-01`, format-and-rules.md §5)."""
    level: Level
    """After the levels file: the rule's level, or its documented secondary level."""
    message: str
    """A sentence a clerk can act on: table, row, column, expected vs found, or the quote."""
    where: str | None = None
    """Key path of what it is about (`requests.granted.total`, `sections.other`), or None."""
    line: int | None = None
    """1-based line in the source report, when known."""
    status: Status = "fail"

    @property
    def failed(self) -> bool:
        """A real finding (not a check that could not run): these are the ones counted."""
        return self.status == "fail"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "message": self.message,
            "where": self.where,
            "line": self.line,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        status = data.get("status", "fail")
        if status not in STATUSES:
            raise ValueError(f"finding status {status!r} is not one of {STATUSES}")
        return cls(
            rule=str(data["rule"]),
            level=Level(data["level"]),
            message=str(data["message"]),
            where=data.get("where"),
            line=data.get("line"),
            status=status,
        )


def count_levels(findings: Iterable[Finding]) -> dict[Level, int]:
    """Failed findings per level (not-assessable ones are reported apart, not counted)."""
    counts = dict.fromkeys(LEVELS, 0)
    for finding in findings:
        if finding.failed:
            counts[finding.level] += 1
    return counts
