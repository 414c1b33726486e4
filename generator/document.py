"""The document model: what every reader (ingest) produces and the parser consumes.

A Document is the report as a flat list of blocks in reading order. A block is a Paragraph
(a line of running text, possibly a heading) or a Table (rows of cells). Readers place merged
cells in the column where they start and leave the covered positions as empty strings, so a
Table row is a list of cell texts; rows may have different lengths (text layouts lose spans).
Every block keeps where it came from (line in the text, page in a PDF) for warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.model.warning import ParseWarning


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    """The text with conversion debris removed; never empty."""
    line: int
    """1-based line in the source text (for PDF/DOCX/HTML: line in the extracted text)."""
    heading: int | None = None
    """Markdown/HTML/Word heading level when the source marked it as a heading, else None."""
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    """Cell text as printed, whitespace-trimmed; "" for an empty or covered (merged) cell."""
    line: int
    """1-based source line of the cell (first line if it wraps)."""
    confidence: float | None = None
    """The OCR engine's confidence (0..1) in this cell's text; None = not read by OCR."""
    page: int | None = None
    """Page the cell is on, when the reader knows it per cell (OCR)."""


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    line: int
    page: int | None = None
    grid: bool = False
    """True when the reader knows the exact column grid (DOCX, HTML, PDF ruling lines,
    Markdown tables): every row has all columns, merged positions as "". Text layouts (tabs,
    pipes, one cell per line) lose spans, so their rows are not aligned to a grid."""
    flat: bool = False
    """True when the layout printed one cell per line with no row boundaries (`规章 |`, `0 |`,
    a bare `|` for an empty cell): each of `rows` is a run of cells holding several table rows
    (a run ends where filler pipes `||` mark a row end); the parser finds the rows by their
    labels, which the official format fixes."""


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    """Source path as given (relative to the reports folder in a build)."""
    format: str
    """txt, md, pdf, docx or html."""
    sha256: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    """Page count for paged formats (PDF, DOCX when known), else None."""
    warnings: tuple[ParseWarning, ...] = field(default=())
    """Reader-level warnings (debris removed, encoding guessed); a reader knows no key paths,
    so `where` is None, and `line` is None for what concerns the whole file."""
    ocr: dict[str, Any] | None = None
    """How the text was read from page images (ingest/ocr.py): engine, version, dpi, pages,
    deskew angles; None when the file had text of its own."""
