"""DOCX reader (python-docx): body paragraphs and tables, in body order, -> Document blocks.

The body XML is walked directly (w:p, w:tbl, and the contents of w:sdt content controls) so
tables stay where they are in the text. Merged cells are placed once: a w:gridSpan cell's text
goes in its first grid column, a w:vMerge continuation is "" and w:gridBefore skips columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator.document import Cell, Document, Paragraph, Table
from generator.errors import SourceError
from generator.ingest.encoding import unstack_rows

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element as Element  # python-docx's oxml elements are lxml's

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-6])$", re.IGNORECASE)


def read(data: bytes, path: str) -> Document:
    from generator.ingest import sha256_of

    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SourceError(path, "读取 .docx 需要 python-docx：pip install python-docx") from exc

    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise SourceError(
                path,
                "这是旧版 .doc（Word 97-2003）文件，却以 .docx 命名：请改名为 .doc，或重新另存为 .docx",
            )
        raise SourceError(
            path,
            "不是 Word 文档（不是 zip 文件）：请检查文件类型，或重新另存为 .docx",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            pages = _page_count(archive)
    except zipfile.BadZipFile as exc:
        raise SourceError(path, f".docx 文件已损坏（{exc}）：请重新下载或重新另存") from exc
    if "word/document.xml" not in names:
        raise SourceError(
            path,
            "不是 Word 文档（.docx 压缩包中没有 word/document.xml）：请检查文件类型，或重新另存为 .docx",
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx / lxml raise KeyError, XMLSyntaxError, ValueError ...
        raise SourceError(
            path,
            f".docx 文件已损坏（{type(exc).__name__}: {str(exc)[:100]}）：请重新下载或重新另存",
        ) from exc

    styles = _style_levels(document)
    blocks: list[Paragraph | Table] = []
    counter = 0
    for element in _body_children(document.element.body):
        if element.tag == W + "p":
            level = _heading_level(element, styles)
            for text in _paragraph_text(element).split("\n"):
                text = text.strip()
                if text:
                    counter += 1
                    blocks.append(Paragraph(text, counter, level))
        elif element.tag == W + "tbl":
            grid = unstack_rows(table_grid(element))
            if not grid:
                continue
            rows: list[tuple[Cell, ...]] = []
            for row in grid:
                counter += 1
                rows.append(tuple(Cell(text, counter) for text in row))
            blocks.append(Table(tuple(rows), rows[0][0].line if rows[0] else counter))
    return Document(path, "docx", sha256_of(data), tuple(blocks), pages, ())


def _body_children(parent: Element) -> Iterator[Element]:
    """w:p and w:tbl children in order, looking inside content controls (w:sdt)."""
    for child in parent:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _body_children(content)


def _paragraph_text(p: Element) -> str:
    """w:p -> text: runs (w:t), tabs, line breaks as "\\n"; deleted text (w:del) left out."""
    parts: list[str] = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "delText", W + "instrText"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        elif node.tag in (W + "br", W + "cr") and node.get(W + "type") in (None, "textWrapping"):
            parts.append("\n")  # a page or column break (w:type) is not a line of text
    return "".join(parts)


def _style_levels(document: WordDocument) -> dict[str, int]:
    """styleId -> heading level, from style names ("Heading 2", "标题 2") or outline levels."""
    levels: dict[str, int] = {}
    for style in document.styles.element.iter(W + "style"):
        style_id = style.get(W + "styleId") or ""
        name_el = style.find(W + "name")
        name = name_el.get(W + "val") if name_el is not None else ""
        match = HEADING_STYLE.match(name or "")
        if match:
            levels[style_id] = int(match.group(1))
            continue
        if (name or "").lower() == "title":
            levels[style_id] = 1
            continue
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        value = outline.get(W + "val") if outline is not None else None
        if value is not None and value.isdigit() and int(value) < 6:  # <w:outlineLvl/>: none
            levels[style_id] = int(value) + 1
    return levels


def _heading_level(p: Element, styles: dict[str, int]) -> int | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    outline = ppr.find(W + "outlineLvl")
    value = outline.get(W + "val") if outline is not None else None
    if value is not None and value.isdigit():
        level = int(value) + 1
        return level if level <= 6 else None
    style = ppr.find(W + "pStyle")
    if style is not None:
        return styles.get(style.get(W + "val") or "")
    return None


SLIVER_TWIPS = 30
"""Grid columns narrower than this (half a millimetre) are layout slivers, not columns."""


def table_grid(tbl: Element) -> list[list[str]]:
    """w:tbl -> rows of cell texts over the table grid; merged text placed once, others "".

    Grid columns in which no cell begins, and sliver columns (Word, WPS and LibreOffice add a
    column a few twips wide where cell edges in different rows almost line up: a LibreOffice
    round trip turned the §四 table's 15 columns into 16), are dropped so each cell lands in
    its logical column.
    """
    rows: list[list[tuple[int, int, str]]] = []  # per row: (first grid column, span, text)
    for tr in tbl.iter(W + "tr"):
        if _owner_table(tr) is not tbl:
            continue  # a row of a table nested in a cell: its text is in that cell
        col = 0
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            col = int(before.get(W + "val") or 0)
        cells: list[tuple[int, int, str]] = []
        for tc in tr.findall(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = 1
            continued = False
            if tcpr is not None:
                grid_span = tcpr.find(W + "gridSpan")
                if grid_span is not None:
                    span = max(1, int(grid_span.get(W + "val") or 1))
                vmerge = tcpr.find(W + "vMerge")
                continued = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
            cells.append((col, span, "" if continued else _cell_text(tc)))
            col += span
        rows.append(cells)
    width = max((c + n for cells in rows for c, n, _ in cells), default=0)
    widths = [int(g.get(W + "w") or 0) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    starts = {c for cells in rows for c, _, _ in cells}
    keep = [
        c
        for c in range(width)
        if c in starts and not (c < len(widths) and 0 < widths[c] < SLIVER_TWIPS)
    ]
    logical = {c: i for i, c in enumerate(keep)}
    grid: list[list[str]] = []
    for cells in rows:
        row = [""] * len(keep)
        for c, n, text in cells:
            covered = [logical[k] for k in range(c, c + n) if k in logical]
            if covered and not row[covered[0]]:
                row[covered[0]] = text
        grid.append(row)
    return grid


def _owner_table(tr: Element) -> Element | None:
    node = tr.getparent()
    while node is not None and node.tag != W + "tbl":
        node = node.getparent()
    return node


def _cell_text(tc: Element) -> str:
    """A cell's paragraphs (and nested tables' text) joined as one wrapped text."""
    lines: list[str] = []
    for p in tc.iter(W + "p"):
        lines.extend(_paragraph_text(p).split("\n"))
    return "\n".join(line.replace("\t", " ") for line in lines)  # lines: see unstack_rows


def _page_count(archive: zipfile.ZipFile) -> int | None:
    """Pages as Word last counted them (docProps/app.xml), when it did."""
    try:
        app = archive.read("docProps/app.xml").decode("utf-8", errors="replace")
    except KeyError:
        return None
    pages = re.search(r"<Pages>(\d+)</Pages>", app)
    words = re.search(r"<Words>(\d+)</Words>", app)
    # generators that never lay the document out (python-docx's template) leave Pages=1 and
    # Words=0 behind; Word and WPS refresh both on save
    if not pages or not words or int(words.group(1)) == 0:
        return None
    return int(pages.group(1)) or None
