"""PDF reader (pdfplumber): text lines and ruled tables -> Document blocks in reading order.

Per page: tables are found by their ruling lines (`find_tables`, lines strategy), the characters
inside them are kept out of the running text, and the remaining text lines are grouped into
paragraphs. Then, over the whole document: page numbers and running headers/footers are
removed, and a table cut by a page break is joined back into one Table.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.document import Cell, Document, Paragraph, Table
from generator.errors import SourceError
from generator.ingest.encoding import join_wrapped, unstack_rows
from generator.model import ParseWarning

if TYPE_CHECKING:
    from pdfplumber.page import Page
    from pdfplumber.table import Table as PdfTable

SameRow = Callable[[list[str], list[str]], bool]
"""Whether a row at the top of a page repeats a header row of the table above (cell texts)."""

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}

MARGIN = 0.1
"""Top and bottom tenth of a page: where page numbers and running headers/footers live."""

PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]?\s*\d{1,4}\s*[-—–－]?"  # 3, - 3 -, —3—
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页, 第3页 共12页
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"  # 3/12
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
HEADING_RATIO = 1.2
"""A line whose font is this much larger than the body text is a heading."""
NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])"
)
"""Numbering at the start of a line: it starts a new paragraph, never continues one."""


@dataclass
class _Line:
    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page_height: float


@dataclass
class _PageTable:
    grid: list[list[str]]
    page: int
    top: float
    confidence: list[list[float | None]] | None = None
    """Per cell, the OCR engine's confidence (ingest/ocr.py); None for a text layer. A table
    read by OCR is the full ruled grid (every cell read): Table.grid."""


@dataclass(frozen=True, slots=True)
class ScannedPages:
    """What OCR read from the pages of a PDF that have no text layer (ingest/ocr.py), to be
    put in page order among the text pages' lines and tables."""

    lines: list[_Line]
    tables: list[_PageTable]
    removed: list[str]
    """Page numbers and running headers/footers removed from those pages."""
    warnings: list[ParseWarning]
    info: dict[str, Any]
    """Document.ocr: engine, version, dpi, pages (how many were read by OCR), deskew."""
    same_row: SameRow
    """Two readings of one header row (a table split over a scanned page repeats it)."""


def read(data: bytes, path: str) -> Document:
    from generator.ingest import sha256_of

    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SourceError(path, "读取 PDF 需要 pdfplumber：pip install pdfplumber") from exc

    if b"%PDF-" not in data[:1024]:
        raise SourceError(path, "不是 PDF 文件（缺少 %PDF- 文件头）：请检查文件类型")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            items = [_read_page(page) for page in pdf.pages]
    except SourceError:
        raise
    except Exception as exc:  # pdfminer raises many types (PSEOF, PDFSyntaxError, KeyError ...)
        cause = _unwrap(exc)
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise SourceError(
                path, "PDF 已加密：请向发布机关索取未加密的版本，或去除密码后重新放入"
            ) from exc
        raise SourceError(path, f"PDF 文件已损坏（{_short_reason(cause)}）：请重新下载") from exc
    if page_count == 0:
        raise SourceError(path, "PDF 文件已损坏（没有页面）：请重新下载")
    if not any(has_text for _, _, has_text in items):
        from generator.ingest import ocr

        return ocr.read_scanned_pdf(data, path)

    warnings: list[ParseWarning] = []
    if b"%%EOF" not in data[-2048:] and b"%%EOF" not in data:
        warnings.append(
            _warning("pdf-truncated", "no %%EOF end marker: the file may be cut short", 1)
        )
    text_pages = [i + 1 for i, (_, _, has_text) in enumerate(items) if has_text]
    lines = [line for page_lines, _, _ in items for line in page_lines]
    tables = [table for _, page_tables, _ in items for table in page_tables]
    lines, removed = _remove_furniture(lines, len(text_pages))
    empty = [i + 1 for i, (_, _, has_text) in enumerate(items) if not has_text]
    scanned = _read_scanned_pages(data, path, empty) if empty else None
    same_row: SameRow | None = None
    if scanned is not None:
        # A report printed, signed and scanned, with its text pages exported: the scanned pages
        # are read by OCR and take their place in page order.
        lines += scanned.lines
        tables += scanned.tables
        removed += scanned.removed
        warnings += scanned.warnings
        same_row = scanned.same_row
    elif empty:
        pages = ", ".join(map(str, empty))
        warnings.append(
            _warning(
                "page-without-text",
                f"page(s) {pages} have no text layer (scanned?) and no OCR engine is "
                "installed: their content is missing",
                1,
                "、".join(map(str, empty)),
            )
        )
    blocks = _to_blocks(lines, tables, same_row)
    if removed:
        shown = ", ".join(f"'{text}'" for text in list(dict.fromkeys(removed))[:3])
        warnings.append(
            _warning(
                "page-furniture-removed",
                f"removed {len(removed)} page numbers or running headers/footers (e.g. {shown})",
                1,
            )
        )
    ocr_info = scanned.info if scanned is not None else None
    return Document(
        path, "pdf", sha256_of(data), tuple(blocks), page_count, tuple(warnings), ocr=ocr_info
    )


def _read_scanned_pages(data: bytes, path: str, pages: list[int]) -> ScannedPages | None:
    """The pages without a text layer of a PDF that has text elsewhere, read by OCR; None when
    no OCR engine is installed (the pages are then reported missing, never guessed)."""
    from generator.ingest import ocr, ocr_engines

    try:
        engine = ocr_engines.engine()
    except ocr_engines.EngineMissing:
        return None
    return ocr.read_pdf_pages(engine, data, path, pages)


# --- one page ----------------------------------------------------------------------------------


def _read_page(page: Page) -> tuple[list[_Line], list[_PageTable], bool]:
    """A pdfplumber page -> (text lines outside tables, tables, whether it has any text)."""
    has_text = bool(page.chars)
    found = [t for t in page.find_tables(TABLE_SETTINGS) if _is_grid(t)]
    bboxes = [t.bbox for t in found]
    tables = [_PageTable(_grid(t), page.page_number, t.bbox[1]) for t in found]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(
            x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in bboxes
        )

    text_page = page.filter(outside) if bboxes else page
    lines: list[_Line] = []
    for line in text_page.extract_text_lines(layout=False, strip=True, return_chars=True):
        text = line["text"].strip()
        if not text:
            continue
        sizes = [c["size"] for c in line["chars"] if c["text"].strip()]
        size = statistics.median(sizes) if sizes else 0.0
        lines.append(
            _Line(
                text,
                page.page_number,
                line["x0"],
                line["x1"],
                line["top"],
                line["bottom"],
                size,
                float(page.height),
            )
        )
    return lines, tables, has_text


def _is_grid(table: PdfTable) -> bool:
    """A real table has at least two cells; a single ruled box around text is just a frame."""
    cells = sum(1 for row in table.rows for cell in row.cells if cell is not None)
    return cells >= 2


def _grid(table: PdfTable) -> list[list[str]]:
    """pdfplumber table -> rows of cell texts; merged cells hold text once, covered ones ""."""
    return unstack_rows([[cell or "" for cell in row] for row in table.extract()])


# --- the whole document --------------------------------------------------------------------------


def _remove_furniture(lines: list[_Line], page_count: int) -> tuple[list[_Line], list[str]]:
    """Drop page numbers and running headers/footers in the top/bottom margins.

    A margin line is furniture if it is only a page number ("3", "- 3 -", "第 3 页") or if the
    same text in the same size, digits ignored, is in the margin of most pages (at least two).
    """
    in_margin = [
        ln
        for ln in lines
        if ln.top < MARGIN * ln.page_height or ln.bottom > (1 - MARGIN) * ln.page_height
    ]
    pages_with: dict[tuple[str, float], set[int]] = {}
    for ln in in_margin:
        pages_with.setdefault(_shape(ln), set()).add(ln.page)
    needed = max(2, (page_count + 1) // 2)
    repeated = {shape for shape, pages in pages_with.items() if len(pages) >= needed}
    kept: list[_Line] = []
    removed: list[str] = []
    margin_ids = {id(ln) for ln in in_margin}
    for ln in lines:
        if id(ln) in margin_ids and (PAGE_NUMBER.match(ln.text) or _shape(ln) in repeated):
            removed.append(ln.text)
        else:
            kept.append(ln)
    return kept, removed


def _shape(line: _Line) -> tuple[str, float]:
    """Text with digits masked, and font size: a running header repeats both (the title on
    page 1 may have the header's words, but not its size)."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text)), round(line.size)


def _to_blocks(
    lines: list[_Line],
    tables: list[_PageTable],
    same_row: SameRow | None = None,
) -> list[Paragraph | Table]:
    """Lines and tables in page order -> Paragraphs (wrapped lines joined) and Tables (a table
    continued at the top of the next page joined to the one above). same_row(a, b) tells a
    repeated header row (OCR reads the same header twice a little differently); default ==.
    A table read by OCR (with confidences) is a full grid (Table.grid)."""
    body_size = _body_size(lines)
    heading_sizes = sorted(
        {round(ln.size, 1) for ln in lines if ln.size >= body_size * HEADING_RATIO}, reverse=True
    )
    left = min((ln.x0 for ln in lines), default=0.0)
    right = max((ln.x1 for ln in lines), default=0.0)
    items: list[tuple[int, float, _Line | _PageTable]] = [(ln.page, ln.top, ln) for ln in lines]
    items += [(t.page, t.top, t) for t in tables]
    items.sort(key=lambda item: (item[0], item[1]))

    blocks: list[Paragraph | Table] = []
    counter = 0
    para: list[_Line] = []
    last_page_of_table: dict[int, int] = {}  # id(Table) -> page it ended on

    def flush() -> None:
        nonlocal counter
        if not para:
            return
        level = None
        if round(para[0].size, 1) in heading_sizes:
            level = min(heading_sizes.index(round(para[0].size, 1)) + 1, 6)
        counter += 1
        blocks.append(
            Paragraph(join_wrapped([ln.text for ln in para]), counter, level, para[0].page)
        )
        counter += len(para) - 1
        para.clear()

    for index, (page, _, obj) in enumerate(items):
        if isinstance(obj, _Line):
            if para and not _continues(para[-1], obj, body_size, left, right, heading_sizes):
                flush()
            para.append(obj)
            continue
        flush()
        previous = blocks[-1] if blocks else None
        first_on_page = index == 0 or items[index - 1][0] != page
        if (
            isinstance(previous, Table)
            and first_on_page
            and last_page_of_table.get(id(previous)) == page - 1
            and len(previous.rows[0]) == len(obj.grid[0])
        ):
            above = [[c.text for c in row] for row in previous.rows]
            dropped = _repeated_header(above, obj.grid, same_row or _equal)
            rows = list(previous.rows)
            for r in range(dropped, len(obj.grid)):
                counter += 1
                rows.append(_cells(obj, r, counter))
            blocks[-1] = Table(tuple(rows), previous.line, previous.page, previous.grid)
            last_page_of_table[id(blocks[-1])] = page
            continue
        rows = []
        for r in range(len(obj.grid)):
            counter += 1
            rows.append(_cells(obj, r, counter))
        line = rows[0][0].line if rows and rows[0] else counter
        table = Table(tuple(rows), line, page, obj.confidence is not None)
        blocks.append(table)
        # a table "ends at the bottom" of its page when nothing follows it there
        next_page = items[index + 1][0] if index + 1 < len(items) else None
        last_page_of_table[id(table)] = page if next_page != page else -1
    flush()
    return blocks


def _continues(
    prev: _Line,
    line: _Line,
    body_size: float,
    left: float,
    right: float,
    heading_sizes: list[float],
) -> bool:
    """True if `line` is the wrapped continuation of the paragraph ending with `prev`."""
    size = prev.size or body_size
    if abs(line.size - prev.size) > 0.5 or NUMBERED.match(line.text):
        return False
    if round(prev.size, 1) in heading_sizes:
        return False  # headings are one line each; the parser finds a section by its heading
    # the previous line filled the width, less room for the unbreakable run ("2021年" or an
    # e-mail address) that the layout engine pushed to this line, and this one is not indented
    run = re.match(r"[\x21-\x7e]*", line.text)
    slack = 2 * size + 0.6 * size * len(run.group(0) if run else "")
    full = prev.x1 >= right - slack and line.x0 <= left + size / 2
    if line.page != prev.page:
        return full
    return full and -0.5 * size <= (line.top - prev.bottom) < 0.9 * size


def _cells(table: _PageTable, r: int, line: int) -> tuple[Cell, ...]:
    if table.confidence is None:
        return tuple(Cell(text, line) for text in table.grid[r])
    return tuple(
        Cell(text, line, confidence, table.page)
        for text, confidence in zip(table.grid[r], table.confidence[r], strict=True)
    )


def _equal(a: list[str], b: list[str]) -> bool:
    return a == b


def _repeated_header(above: list[list[str]], grid: list[list[str]], same_row: SameRow) -> int:
    """How many rows at the top of a continuation repeat the first rows of the table above."""
    k = 0
    while k < len(grid) and k < len(above) and any(grid[k]) and same_row(grid[k], above[k]):
        k += 1
    return k


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size, 1)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _warning(code: str, message: str, line: int, text: str | None = None) -> ParseWarning:
    return ParseWarning(code, message, line, text=text)


def _unwrap(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in PdfminerException(original)."""
    while (
        type(exc).__name__ == "PdfminerException"
        and exc.args
        and isinstance(exc.args[0], BaseException)
    ):
        exc = exc.args[0]
    return exc


def _short_reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    reason = f"{name}: {text}" if text else name
    return reason[:120]
