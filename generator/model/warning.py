"""A parse warning: something a reader or the parser could not read cleanly, with its place.

Readers (ingest) and the parser build warnings the same way, as a ParseWarning; the record
publishes them as `parse.warnings` (docs/contract.md lists every code, and
tests/test_contract.py checks that the list and WARNING_CODES agree).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WARNING_CODES = frozenset(
    {
        # one cell (docs/contract.md: the value is null, or read with a note)
        "blank-cell",
        "placeholder-cell",
        "bad-number",
        "unit-suffix",
        "negative-number",
        "decimal-count",
        "ocr-unconfirmed",
        # rows and tables
        "missing-row",
        "extra-row",
        "duplicate-row",
        "ambiguous-row",
        "truncated",
        "missing-table",
        "label-missing",
        # sections and edition
        "missing-section",
        "section-by-content",
        "mixed-edition",
        "no-edition",
        # the text itself
        "debris-removed",
        "label-variant",
        "traditional-chinese",
        "encoding-guessed",
        "pdf-truncated",
        "page-without-text",
        "page-furniture-removed",
        "ocr",
        "ocr-pages",
        "ocr-label-matched",
        # how a fact was found (informational)
        "agency-name-source",
        "year-source",
    }
)
"""Every code a reader or the parser emits. A new code goes here and into docs/contract.md."""


@dataclass(frozen=True, slots=True)
class ParseWarning:
    code: str
    """One of WARNING_CODES (a ValueError otherwise, so no undocumented code is published)."""
    message: str
    """English, for maintainers: what was found and what was done with it."""
    line: int | None = None
    """1-based source line, or None when the warning is about the whole file or a fact."""
    where: str | None = None
    """Key path it concerns (`requests.granted.total`, `sections.proactive`, `requests`)."""
    text: str | None = None
    """The raw text when relevant (the cell as printed, the debris removed, the label)."""

    def __post_init__(self) -> None:
        if self.code not in WARNING_CODES:
            raise ValueError(f"parse warning code {self.code!r} is not in WARNING_CODES")

    def to_dict(self) -> dict[str, Any]:
        """`{code, message, line, where[, text]}`; `text` only when there is one.

        A reader's warning has no key path, and records have always published it with `text`
        before `where` (the reader's keys came first): kept, so no published record changes."""
        item: dict[str, Any] = {"code": self.code, "message": self.message, "line": self.line}
        if self.where is None and self.text is not None:
            item["text"] = self.text
            item["where"] = None
            return item
        item["where"] = self.where
        if self.text is not None:
            item["text"] = self.text
        return item

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParseWarning:
        return cls(
            code=str(data["code"]),
            message=str(data["message"]),
            line=data.get("line"),
            where=data.get("where"),
            text=data.get("text"),
        )
