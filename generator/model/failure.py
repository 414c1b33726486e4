"""An input that did not become a published record, and why (listed on the unreadable page).

Every file under reports/ is accounted for: it becomes a record, a previous version of one, or
a Failure. `kind` says which list it goes on: `unreadable` (a report the portal could not
publish: it counts against `nianbao check --fail-on error`) or `ignored` (a file that is not a
report, skipped on purpose: hidden files, editor backups, other file types, .nianbaoignore).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FailureKind = Literal["unreadable", "ignored"]


@dataclass(frozen=True, slots=True)
class Failure:
    file: str
    """Path relative to the reports folder (POSIX), as the maintainer sees it."""
    format: str
    """The file's extension without the dot (`pdf`, `wps`), `corrections` for a sidecar,
    `folder` for an ignored hidden folder, "" when there is none."""
    reason: str
    """Chinese, for the people who publish reports: what is wrong and what to do."""
    kind: FailureKind = "unreadable"
    stage: str = "read"
    """Where it happened: read, parse, year, corrections, check, render, ignore."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "reason": self.reason,
            "kind": self.kind,
            "stage": self.stage,
        }


BUG_HINT = (
    "这是门户程序的缺陷，不是报告的问题；其他报告照常发布。请把此文件和这条说明报告给门户维护者"
)


def bug_failure(file: str, stage: str, doing: str, error: BaseException) -> Failure:
    """The Failure of a report on which the program itself failed (an exception, not a bad
    file): named as the program's fault, so nobody edits a good report to make it go away."""
    detail = f"{type(error).__name__}: {str(error)[:160]}"
    suffix = file.rsplit(".", 1)[-1].lower() if "." in file.rsplit("/", 1)[-1] else ""
    return Failure(file, suffix, f"{doing}时程序出错（{detail}）：{BUG_HINT}", stage=stage)
