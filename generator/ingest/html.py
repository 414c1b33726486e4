"""HTML reader (BeautifulSoup): a report page saved from a government site -> Document.

Steps: decode (BOM, then <meta> charset, then detection; GB2312/GBK -> gb18030), drop the
page chrome that has its own tags (script, style, nav, header, footer ...), find the report
body inside the remaining site layout, and walk it in order: block elements and <br> end a
paragraph, h1-h6 give heading levels, tables are expanded to a grid (rowspan/colspan text in
the first covered cell, "" in the others; &nbsp; cells are "").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, TypeAlias, cast

from generator.document import Cell, Document, Paragraph, Table
from generator.errors import SourceError
from generator.ingest.encoding import (
    bom_encoding,
    decode_text,
    join_wrapped,
    normalize_encoding,
    unstack_rows,
)
from generator.model import ParseWarning

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

_Event: TypeAlias = (
    tuple[Literal["text"], str, int | None]
    | tuple[Literal["break"]]
    | tuple[Literal["table"], "Tag"]
)
"""What walking the body yields (_walk): a text with its heading level, a paragraph break, or
a table (an innermost <table>, expanded to a grid when the blocks are assembled)."""

CHROME_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "iframe",
    "form",
    "select",
    "button",
    "template",
    "svg",
    "object",
    "head",
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "center",
        "address",
        "figure",
        "figcaption",
        "caption",
        "tr",
        "td",
        "th",
        "hr",
    ]
)
REPORT_TABLE = re.compile(r"第二十条|申请人情况|行政复议")
"""Text that marks one of the three statistical tables (format spec §2)."""
TITLE = re.compile(r"年度报告|年报")
TITLE_TAGS = frozenset(["h1", "h2", "h3", "h4", "p", "div", "td", "span", "strong", "b", "font"])
MAX_SPAN = 100
"""Cap on rowspan/colspan: a stray rowspan="9999" must not build a huge grid."""
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE)
BODY_SHARE = 0.5
"""The body found from the anchors must hold at least this share of the page's non-link text."""


def read(data: bytes, path: str) -> Document:
    from generator.ingest import sha256_of

    try:
        from bs4 import BeautifulSoup, Comment, Doctype, ProcessingInstruction
        from bs4.element import NavigableString
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SourceError(
            path, "读取 HTML 需要 beautifulsoup4：pip install beautifulsoup4"
        ) from exc

    text, warning = decode_html(data)
    if not text.strip():
        raise SourceError(path, "空网页（没有文字）：请保存包含报告正文的网页")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception:  # lxml missing: the standard library parser is slower but fine
        soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(None, {"role": "navigation"}):
        tag.decompose()
    for comment in soup.find_all(
        string=lambda s: isinstance(s, Comment | Doctype | ProcessingInstruction)
    ):
        comment.extract()

    root = find_body(soup)
    events: list[_Event] = []
    _walk(root, events, None, NavigableString)
    blocks = _assemble(events)
    if not blocks:
        raise SourceError(path, "网页正文中没有文字：请保存包含报告正文的网页")
    warnings = () if warning is None else (ParseWarning("encoding-guessed", warning),)
    return Document(path, "html", sha256_of(data), tuple(blocks), None, warnings)


def decode_html(data: bytes) -> tuple[str, str | None]:
    """bytes -> (text, warning or None): BOM, then the <meta> charset, then detection.

    A BOM wins over <meta> (as in browsers: a page re-saved by an editor keeps the old meta).
    A declared charset that does not decode the bytes is reported and detection takes over.
    """
    if bom_encoding(data):
        return decode_text(data)
    match = META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", errors="replace")
        encoding = normalize_encoding(declared)
        try:
            return data.decode(encoding), None
        except (UnicodeDecodeError, LookupError):
            text, guessed = decode_text(data)
            return (
                text,
                f"page declares charset {declared} but is not: {guessed or 'decoded as utf-8'}",
            )
    return decode_text(data)


# --- finding the report in the page --------------------------------------------------------------


def find_body(soup: BeautifulSoup) -> Tag:
    """The element holding the report: the nearest common ancestor of its title and statistical
    tables, widened until it holds at least half of the page's non-link text. No anchors: <body>."""
    body = soup.body or soup
    tables = [
        t
        for t in body.find_all("table")
        if REPORT_TABLE.search(t.get_text())
        and not any(REPORT_TABLE.search(inner.get_text()) for inner in t.find_all("table"))
    ]
    anchors = list(tables)
    title = _title(body, tables[0] if tables else None)
    if title is not None:
        anchors.append(title)
    if not anchors:
        return body
    node = _common_ancestor(anchors)
    if any(node is anchor for anchor in anchors) and node.parent is not None:
        node = node.parent  # a lone title or table: the report is around it
    total = _plain_len(body)
    while node is not body and node.parent is not None and _plain_len(node) < BODY_SHARE * total:
        node = node.parent
    return node


def _title(body: Tag, first_table: Tag | None) -> Tag | None:
    """The report's title: a short element saying 年度报告, not a link, before the first table."""
    best = None
    for el in body.find_all(True):
        if el is first_table:
            break
        if el.name not in TITLE_TAGS:
            continue
        if el.find_parent("a") is not None or el.find(["p", "div", "table", "a"]) is not None:
            continue
        text = el.get_text(strip=True)
        if TITLE.search(text) and len(text) <= 80:
            if el.name in ("h1", "h2", "h3"):
                return el  # a heading naming the report beats an intro sentence quoting it
            best = el
            if first_table is None:
                break
    return best


def _common_ancestor(nodes: list[Tag]) -> Tag:
    paths = [[n, *n.parents] for n in nodes]
    common = set(map(id, paths[0]))
    for path in paths[1:]:
        common &= set(map(id, path))
    return next(n for n in paths[0] if id(n) in common)


def _plain_len(node: Tag) -> int:
    """Characters of text in node outside links (menus and link lists are chrome)."""
    total = len("".join(node.get_text().split()))
    links = sum(len("".join(a.get_text().split())) for a in node.find_all("a"))
    return total - links


# --- walking the body ------------------------------------------------------------------------------


def _walk(
    node: Tag, events: list[_Event], heading: int | None, string_type: type[NavigableString]
) -> None:
    """Node -> events: ("text", str, heading), ("break",), ("table", element)."""
    for element in node.children:
        if isinstance(element, string_type):
            events.append(("text", str(element), heading))
            continue
        child = cast("Tag", element)  # an element that is not a string is a tag
        name = child.name
        if name == "br":
            events.append(("break",))
        elif name == "table" and child.find("table") is None:
            events.append(("break",))
            events.append(("table", child))
        else:
            level = int(name[1]) if re.fullmatch(r"h[1-6]", name) else heading
            block = name in BLOCK_TAGS or name == "table"
            if block:
                events.append(("break",))
            _walk(child, events, level, string_type)
            if block:
                events.append(("break",))


def _assemble(events: list[_Event]) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    counter = 0
    pieces: list[str] = []
    level: int | None = None

    def flush() -> None:
        nonlocal counter, level
        text = _clean("".join(pieces))
        if text:
            counter += 1
            blocks.append(Paragraph(text, counter, level))
        pieces.clear()
        level = None

    for event in events:
        if event[0] == "text":
            pieces.append(event[1])
            if event[2] is not None and event[1].strip():
                level = event[2]
        elif event[0] == "break":
            flush()
        else:
            flush()
            grid = unstack_rows(table_grid(event[1]))
            if not grid:
                continue
            rows: list[tuple[Cell, ...]] = []
            for row in grid:
                counter += 1
                rows.append(tuple(Cell(text, counter) for text in row))
            blocks.append(Table(tuple(rows), rows[0][0].line if rows[0] else counter))
    flush()
    return blocks


def _clean(text: str) -> str:
    """HTML text -> paragraph text: &nbsp; is a space, source line breaks are wraps, runs of
    spaces collapse (as a browser shows them)."""
    text = text.replace("\xa0", " ").replace("\u3000", " ")
    joined = join_wrapped(text.split("\n"))
    return re.sub(r"[ \t\r\f\v]+", " ", joined).strip()


def table_grid(table: Tag) -> list[list[str]]:
    """<table> -> rows of cell texts over the grid; rowspan/colspan text once, others ""."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid: dict[tuple[int, int], str] = {}
    starts: set[int] = set()
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            rowspan = _span(td.get("rowspan"))
            colspan = _span(td.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), "")
            grid[(r, c)] = _cell_text(td)
            starts.add(c)
            c += colspan
            width = max(width, c)
    height = max([len(rows), *(r + 1 for r, _ in grid)]) if grid else 0
    height = min(height, len(rows))  # a rowspan past the last row adds no row
    keep = [c for c in range(width) if c in starts]  # colspan-only columns hold no cell
    return [[grid.get((r, c), "") for c in keep] for r in range(height)]


def _span(value: object) -> int:
    try:
        return min(max(int(str(value).strip()), 1), MAX_SPAN)
    except (TypeError, ValueError):
        return 1


def _cell_text(td: Tag) -> str:
    """A cell's lines (paragraphs, <br>, source line breaks) joined as wrapped text."""
    from bs4.element import NavigableString

    events: list[_Event] = []
    _walk(td, events, None, NavigableString)
    lines: list[str] = []
    current: list[str] = []
    for event in [*events, ("break",)]:
        if event[0] == "text":
            current.append(event[1])
        elif event[0] == "break":
            lines.append(_clean("".join(current)))
            current = []
        else:  # a table nested in a cell: its cells as lines
            lines.extend(text for row in table_grid(event[1]) for text in row if text)
    return "\n".join(line for line in lines if line)  # lines: see unstack_rows
