"""Text reports (.txt, .md) -> Document.

Text is what a PDF, Word file or web page became after someone copied or converted it, so
tables arrive in several layouts. This reader recognises them and turns each into Table rows
without losing empty cells (a run of separators marks empty cells; never collapse it):
  - tab rows:        `label<TAB><TAB>5<TAB>0…`          one row per line
  - pipe rows:       `label | 5 | 0 |`, Markdown `| a | b |` (separator rows dropped)
  - one cell a line: `<TAB>label` / `<TAB>5` …, rows separated by blank lines; a line without
                     the tab continues the cell above (`商业` + `企业`)
  - one cell a line with pipes: `label |`, `5 |`, a bare `|` is an empty cell
Everything else is a Paragraph, one per non-blank line, with Markdown heading levels kept.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from generator.document import Block, Cell, Document, Paragraph, Table
from generator.ingest import sha256_of
from generator.ingest.encoding import decode_text, join_wrapped
from generator.model import ParseWarning

# Conversion debris seen in real reports (format-and-rules.md §8, PR-01).
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
HTML_ENTITY = re.compile(r"&(nbsp|ensp|emsp|amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
PAGE_NUMBER = re.compile(
    r"^(?:\d{1,3}|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?|[-—–]\s*\d{1,3}\s*[-—–])$"
)
MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
MD_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
SECTION_HEADING = re.compile(r"^[#\s]*[一二三四五六七八九十]+[、.．]")
SPACE_VALUE = r"(?:[-+]?\d[\d,]*(?:\.\d+)?|/|—|-|无)"
SPACE_ROW = re.compile(
    rf"^(?P<label>[^\t|]*?[\u4e00-\u9fff)）”\"])(?P<values>(?:[ \u3000]+{SPACE_VALUE})+)\s*$"
    rf"|^\s*(?P<bare>{SPACE_VALUE}(?:[ \u3000]+{SPACE_VALUE})+)\s*$"
)
SPACE_ROW_MAX = 120
"""Space-separated rows (PDF text): a label then numbers. Longer lines are running text."""
CONTINUATION_MAX = 12
"""A tab-less line directly under a one-cell-a-line cell continues it only if it is this short
(cells wrap after a few characters; a longer line is running text)."""


def read(data: bytes, path: str) -> Document:
    text, encoding_warning = decode_text(data)
    warnings: list[ParseWarning] = []
    if encoding_warning:
        warnings.append(ParseWarning("encoding-guessed", encoding_warning))
    if "\x00" in text or _looks_binary(text):
        from generator.errors import SourceError

        raise SourceError(
            path, "不是文本文件（内容为二进制）：请把报告保存为 .txt、.docx、.pdf 或 .html"
        )
    lines = [
        _clean_line(line, number, warnings) for number, line in enumerate(text.splitlines(), 1)
    ]
    blocks = tuple(_blocks(lines, warnings))
    fmt = "md" if path.lower().endswith(".md") else "txt"
    return Document(
        path=path,
        format=fmt,
        sha256=sha256_of(data),
        blocks=blocks,
        pages=None,
        warnings=tuple(warnings),
    )


CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""Control characters other than white space (\\t \\n \\v \\f \\r): a sign of a binary file."""


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = len(CONTROL.findall(sample))
    replacement = sample.count("\ufffd")
    return (control + replacement) / len(sample) > 0.05


def _clean_line(line: str, number: int, warnings: list[ParseWarning]) -> str:
    """Remove conversion debris from one line, keeping tabs and pipes (they are structure)."""
    removed = BOOKMARK.findall(line)
    if removed:
        line = BOOKMARK.sub("", line)
    entities = HTML_ENTITY.findall(line)
    if entities:
        line = HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), line)
        removed.extend(f"&{e};" for e in entities)
    line = INVISIBLE.sub("", line).replace("\u00a0", " ").replace("\u3000", " ")
    for item in removed:
        warnings.append(
            ParseWarning("debris-removed", f"removed conversion debris {item!r}", number, text=item)
        )
    return line.rstrip("\r\n")


# ---- line classification -------------------------------------------------------------------


def _is_tab_row(line: str) -> bool:
    """Several cells on one line separated by tabs (a lone leading tab is one-cell-a-line)."""
    return (
        "\t" in line.lstrip("\t")
        or line.count("\t") >= 2
        or ("\t" in line and not line.startswith("\t"))
    )


def _is_cell_line(line: str) -> bool:
    """One tab-started cell on its own line: `<TAB>text` (rows separated by blank lines)."""
    return line.startswith("\t") and "\t" not in line[1:]


class _PipeCell(NamedTuple):
    text: str | None
    """The cell this line closes ("" for a bare `|`), None for a filler-only line."""
    row_end: bool
    """Filler pipes follow (`0 | ||`, `||||`): colspan remnants, which end a printed row."""


def _pipe_cell(line: str) -> _PipeCell | None:
    """A line of the one-cell-a-line pipe layout, or None: `text |`, a bare `|`, `text | ||`
    or a filler-only line `||||`. A line with cells after its first pipe is a pipe row."""
    stripped = line.strip()
    if "|" not in stripped:
        return None
    head, _, tail = stripped.partition("|")
    if tail.replace("|", "").strip() or (head.strip() and re.search(r"\|\s+\|", tail)):
        return None  # cells after the first pipe, or empty cells `label |  |  |`: a pipe row
    fillers = tail.count("|")
    head = head.strip()
    if not head and fillers:
        return _PipeCell(None, True)  # `||`, `| |||`: fillers only
    return _PipeCell(head, fillers > 0)


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    if stripped.count("|") < 2:
        return False
    return len([c for c in _split_pipes(stripped) if c.strip()]) >= 1


def _space_row(line: str) -> list[str] | None:
    """Cells of a space-separated row (`规章 0 0 0`, `0 0 0 0 0`), or None. Space rows have
    no empty cells, so a row with fewer numbers than columns stays ambiguous downstream."""
    if len(line) > SPACE_ROW_MAX or "|" in line:
        return None
    match = SPACE_ROW.match(line)
    if not match:
        return None
    if match.group("bare"):
        return match.group("bare").split()
    label = match.group("label").strip()
    if label[-1:] in "。；;：:，,":
        return None
    return [label, *match.group("values").split()]


class _PipeLine(NamedTuple):
    text: str
    line: int


_Row = tuple[Cell, ...] | _PipeLine
"""A table row while the table is read: its cells, or a pipe row to split once the whole
table is known (_resolve_pipe_rows)."""


def _has_value(line: str) -> bool:
    return any(re.fullmatch(r"[\d,.０-９]+", c.strip()) for c in line.split("|"))


def _resolve_pipe_rows(rows: list[_Row]) -> tuple[tuple[Cell, ...], ...]:
    """Split pipe rows once the whole table is known. In a Markdown table every row starts
    with `|`; in the `a | b |` style a row starting with `|` has an empty first cell."""
    pipe_rows = [r for r in rows if isinstance(r, _PipeLine)]
    markdown_style = all(r.text.startswith("|") for r in pipe_rows)
    return tuple(
        tuple(Cell(c.strip(), r.line) for c in _split_pipes(r.text, leading=markdown_style))
        if isinstance(r, _PipeLine)
        else r
        for r in rows
    )


def _split_pipes(line: str, *, leading: bool = True) -> list[str]:
    stripped = line.strip()
    if leading and stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return stripped.split("|")


def _cell_line_text(line: str) -> str:
    return line[1:]


SECTION_TITLE = re.compile(
    r"^[#\s]*[一二三四五六][、.．]\s*(?:总体情况|.{0,6}主动公开|收到和处理|.{0,12}行政复议|.{0,6}存在的主要问题|其他需要报告)"
)
"""A section heading (format-and-rules.md §1): never a table cell, even between cell lines."""
VALUE_LINE = re.compile(r"^[\d.,+\-]+$")


def _starts_flat_run(lines: list[str], i: int) -> bool:
    return _pipe_cell(lines[i]) is not None or _pipe_less_cell(lines, i)


def _next_content(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None


def _pipe_less_cell(lines: list[str], i: int) -> bool:
    """A line without a pipe closed by a bare `|` on the next line (the `cell`, `|`, `cell`
    layout): a cell, unless it is a section heading."""
    stripped = lines[i].strip()
    nxt = _next_content(lines, i)
    return (
        bool(stripped)
        and "|" not in stripped
        and len(stripped) <= 100
        and not SECTION_TITLE.match(stripped)
        and nxt is not None
        and lines[nxt].strip() == "|"
    )


def _flat_run(lines: list[str], i: int) -> tuple[Table, int]:
    """The one-cell-a-line pipe layouts as one Table(flat=True). Every `|` closes the cell
    written since the previous one, so `0 |` and `0` + `|` are both a cell "0" and a bare `|`
    after a closed cell is an empty cell; a short pipe-less line continues the cell it
    precedes (`商业` + `企业 |`); filler pipes end a printed row. Blank lines inside are
    ignored. The run ends at a section heading or any other text."""
    rows: list[tuple[Cell, ...]] = []
    cells: list[Cell] = []
    pending: list[str] = []
    pending_line = 0
    start = i
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        cell = _pipe_cell(line)
        if cell is not None:
            if cell.text is not None or pending:
                text = join_wrapped((*pending, cell.text or "")) if pending else cell.text or ""
                cells.append(Cell(text.strip(), pending_line or i + 1))
                pending, pending_line = [], 0
            if cell.row_end and cells:
                rows.append(tuple(cells))
                cells = []
            i += 1
            continue
        nxt = _next_content(lines, i)
        continues = (
            len(stripped) <= CONTINUATION_MAX
            and not VALUE_LINE.match(stripped)
            and not SECTION_TITLE.match(stripped)
            and not stripped.startswith("#")
            and nxt is not None
            and _pipe_cell(lines[nxt]) is not None
        )
        # the text ends with a value the cut left without its pipe: it is still a cell
        last_value = nxt is None and bool(cells) and bool(VALUE_LINE.match(stripped))
        if _pipe_less_cell(lines, i) or continues or last_value:
            pending.append(stripped)
            pending_line = pending_line or i + 1
            i += 1
            continue
        break
    if pending:
        cells.append(Cell(join_wrapped(tuple(pending)).strip(), pending_line))
    if cells:
        rows.append(tuple(cells))
    return Table(rows=tuple(rows), line=start + 1, flat=True), i


# ---- blocks --------------------------------------------------------------------------------


def _blocks(lines: list[str], warnings: list[ParseWarning]) -> list[Block]:
    """Group lines into paragraphs and tables. A table is a run of table rows; blank lines
    and stray page numbers inside the run do not end it."""
    blocks: list[Block] = []
    rows: list[_Row] = []
    table_line = 0
    i = 0
    n = len(lines)

    def flush_table() -> None:
        nonlocal rows
        if len(rows) == 1 and isinstance(rows[0], _PipeLine) and not _has_value(rows[0].text):
            # One line with pipes and no number among running text is a sentence, not a table.
            if rows[0].text.strip("|-: "):
                blocks.append(_paragraph(rows[0].text, rows[0].line))
        elif rows:
            blocks.append(Table(rows=_resolve_pipe_rows(rows), line=table_line))
        rows = []

    while i < n:
        line = lines[i]
        number = i + 1
        stripped = line.strip()
        if not stripped and not _is_cell_line(line):
            i += 1
            continue
        if PAGE_NUMBER.match(stripped) and not _is_cell_line(line) and _blank_around(lines, i):
            warnings.append(
                ParseWarning(
                    "debris-removed",
                    f"removed stray page number {stripped!r}",
                    number,
                    text=stripped,
                )
            )
            i += 1
            continue
        if MD_SEPARATOR_ROW.match(stripped) and "|" in stripped:
            i += 1
            continue
        if _is_cell_line(line):
            row, i = _cell_per_line_row(lines, i)
            if not rows:
                table_line = number
            rows.append(row)
            continue
        if _starts_flat_run(lines, i):
            flush_table()
            table, i = _flat_run(lines, i)
            if table.rows:
                blocks.append(table)
            continue
        if _is_tab_row(line):
            if not rows:
                table_line = number
            rows.append(tuple(Cell(c.strip(), number) for c in line.split("\t")))
            i += 1
            continue
        space_row = _space_row(stripped)
        if space_row:
            if not rows:
                table_line = number
            rows.append(tuple(Cell(c, number) for c in space_row))
            i += 1
            continue
        if _is_pipe_row(line):
            if not rows:
                table_line = number
            rows.append(_PipeLine(line.strip(), number))
            i += 1
            continue
        flush_table()
        blocks.append(_paragraph(stripped, number))
        i += 1
    flush_table()
    return blocks


def _blank_around(lines: list[str], i: int) -> bool:
    """A bare number is a page number only when it stands alone between blank lines and is
    not one cell among others: it ends the text, or the lines around it are table rows or
    running text. In the layout that prints every cell as a line of its own between blank
    lines (`规章`, `0`, `0`, …) a bare number is a cell, never debris."""
    before = i == 0 or (not lines[i - 1].strip() and not _is_cell_line(lines[i - 1]))
    after = i + 1 >= len(lines) or (not lines[i + 1].strip() and not _is_cell_line(lines[i + 1]))
    if not (before and after):
        return False
    stripped = lines[i].strip()
    if not re.fullmatch(r"\d{1,3}", stripped):
        return True  # "- 3 -", "第 3 页": page furniture whatever surrounds it
    neighbours = [_content_near(lines, i, step) for step in (-1, 1)]
    return all(n is None or not _is_cell_paragraph(n) for n in neighbours)


def _content_near(lines: list[str], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].strip():
            return lines[j]
        j += step
    return None


def _is_cell_paragraph(line: str) -> bool:
    """A short line without tabs or pipes: a cell of a table printed one cell a line."""
    stripped = line.strip()
    return (
        len(stripped) <= 40
        and "\t" not in line
        and "|" not in stripped
        and not stripped.endswith("。")
    )


def _cell_per_line_row(lines: list[str], i: int) -> tuple[tuple[Cell, ...], int]:
    """Read one row of the one-cell-a-line layout: cells until a blank line."""
    cells: list[tuple[str, int]] = []  # (text, line)
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_cell_line(line):
            cells.append((_cell_line_text(line).strip(), i + 1))
        elif line.strip() and cells and _continues_cell(line):
            text, number = cells[-1]
            cells[-1] = (join_wrapped((text, line)), number)  # the PDF/DOCX/HTML rule
        else:
            break
        i += 1
    return tuple(Cell(text, number) for text, number in cells), i


def _continues_cell(line: str) -> bool:
    stripped = line.strip()
    return (
        "\t" not in line
        and len(stripped) <= CONTINUATION_MAX
        and not SECTION_HEADING.match(stripped)
        and not stripped.startswith("#")
    )


def _paragraph(text: str, number: int) -> Paragraph:
    match = MD_HEADING.match(text)
    if match and match.group(2):
        return Paragraph(text=match.group(2), line=number, heading=len(match.group(1)))
    return Paragraph(text=text, line=number)
