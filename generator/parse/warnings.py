"""Parse warnings: what the parser could not read cleanly, with the place in the source.

A warning is a `generator.model.ParseWarning`, as a reader's is; `warning` is the parser's
positional shorthand for one, `cell_warning` the one for a cell that names its table, row and
column. Every code is in docs/contract.md (and in model.WARNING_CODES).
"""

from __future__ import annotations

from generator.model import ParseWarning

CELL_PROBLEMS = {
    "blank-cell": "is blank (read as null, not 0)",
    "placeholder-cell": "holds '{text}' (read as null)",
    "bad-number": "holds '{text}', which is not a number (read as null)",
    "decimal-count": "holds '{text}', a decimal in a count (read as null)",
    "unit-suffix": "holds '{text}' (number read, unit ignored)",
    "negative-number": "holds a negative count '{text}'",
    "ocr-unconfirmed": "was read by OCR as '{text}' without enough confidence (read as null: OCR 未能确认)",
}


def warning(
    code: str, line: int | None, where: str | None, message: str, text: str | None = None
) -> ParseWarning:
    return ParseWarning(code, message, line, where, text)


def cell_warning(
    code: str,
    line: int,
    where: str,
    table: str,
    row_label: str,
    column_label: str,
    text: str,
    page: int | None = None,
) -> ParseWarning:
    """A warning for one cell that names the table, row and column as printed (and the page,
    when the reader knows each cell's page: a scan)."""
    problem = CELL_PROBLEMS[code].format(text=text)
    place = f"page {page}: " if page else ""
    return warning(
        code, line, where, f"{place}{table} {row_label} / {column_label} {problem}", text
    )
