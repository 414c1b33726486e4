"""Which rows belong to which statistical table (二 proactive, 三 requests, 四 appeals).

Tables are split by page breaks, blank lines and lost headings, and a heading may be missing
(seed 000 has no 二/三 headings), so rows are classified by their own labels; a row without
a telling label (a bare row of numbers) belongs to the table of the row above, and a section
heading sets the table that follows it.
"""

from __future__ import annotations

import re

from generator.document import Block, Cell, Paragraph
from generator.parse.normalize import norm
from generator.parse.numbers import is_value_text
from generator.parse.rows import Row, label_row, segment, table_rows

KIND_MARKERS = (
    ("appeals", re.compile(r"行政复议|行政诉讼|结果维持|结果纠正|复议后起诉|直接起诉|尚未审结")),
    (
        "requests",
        re.compile(
            r"勾稽|申请人情况|自然人|商业企业|科研机构|本年新收|上年结转|本年度办理结果|予以公开|部分公开|不予公开"
            r"|无法提供|不予处理|其他处理|结转下年度|国家秘密|三安全|第三方合法|内部事务|过程性信息|执法案卷"
            r"|查询事项|不掌握|另行制作|仍不明确|信访|重复申请|出版物|大量反复|重新出具|逾期不补正|缴纳费用|总计|合计"
        ),
    ),
    (
        "proactive",
        re.compile(
            r"第二十条|信息内容|规章|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|政府集中采购|对外管理服务"
            r"|本年制发|本年废止|现行有效|处理决定|收费金额|新制作|新公开|对外公开总|上一年项目|本年增|采购"
        ),
    ),
)
LABEL_LINE_MAX = 60
"""A paragraph directly above a row of bare numbers is that row's label if it is this short."""
SECTION_TABLE = {"proactive": "proactive", "requests": "requests", "appeals": "appeals"}
CELL_PARAGRAPH_MAX = 60
"""A paragraph this short without sentence punctuation may be one table cell (the layouts
that print every cell as a line of its own, separated by blank lines)."""
SENTENCE = re.compile(r"[。；;！？]")
GLUED = re.compile(r"^(?P<label>.*[\u4e00-\u9fff)）])(?P<digits>0+)$")
"""A label with its cells glued on (`规章000`, separators lost): only a run of zeros splits
without guessing (a count has no leading zero, so `000` is 0, 0, 0)."""


COLUMN_WORDS = {"总计", "合计", "其他", "小计"}


def is_row_label(text: str) -> bool:
    """True if the text is (the tail of) a data row's label in any of the three tables."""
    from generator.parse import appeals, proactive, requests

    key = norm(text)
    if key in COLUMN_WORDS:
        return False  # 总计, 其他 alone are column headers in all three tables
    return (
        any(p.search(key) for _, p in proactive.COMPILED_ROWS)
        or any(p.search(key) for _, p in requests.COMPILED)
        or bool(requests.ITEM_OTHER.match(key))
        or any(p.search(key) for _, p in appeals.GROUP_PATTERNS)
    )


def row_kind(row: Row) -> str | None:
    text = norm(" ".join(row.labels))
    for kind, pattern in KIND_MARKERS:
        if pattern.search(text):
            return kind
    return None


def paragraph_cells(paragraph: Paragraph) -> list[Cell] | None:
    """The table cells a paragraph holds when it is part of a table printed as lines, or
    None when it reads as running text. A line may hold one cell, several space-separated
    cells (`规 章 0 0 0 行政规范性文件 0 0 0`), or a label with glued zeros (`规章000`)."""
    text = paragraph.text.strip()
    line = paragraph.line
    words = text.split()
    if (
        len(words) > 1
        and sum(1 for w in words if is_value_text(w)) >= 2
        and (any(is_row_label(w) for w in words) or all(is_value_text(w) for w in words))
    ):
        return [Cell(w, line) for w in words]
    if len(text) > CELL_PARAGRAPH_MAX or SENTENCE.search(text):
        return None
    glued = GLUED.match(norm(text))
    if glued and is_row_label(glued.group("label")):
        return [Cell(glued.group("label"), line)] + [Cell("0", line)] * len(glued.group("digits"))
    return [Cell(text, line)]


def classify_rows(
    blocks: tuple[Block, ...], section_at: list[str | None]
) -> tuple[dict[str, list[Row]], set[int]]:
    """Rows of each statistical table in document order, and the positions of the paragraphs
    that were table cells (they are not narrative).

    section_at: the section each block lies in (from the headings), used for rows that have
    no telling label of their own. Paragraphs are read as cells (layouts that print one cell
    a line) while a table section is open; a run of them counts only if it holds at least
    one labelled row with values.
    """
    tables: dict[str, list[Row]] = {"proactive": [], "requests": [], "appeals": []}
    consumed: set[int] = set()
    current: str | None = None
    open_table: str | None = None  # the table whose section we are in (for paragraph cells)
    last_section: str | None = None
    pending: list[tuple[int, list[Cell]]] = []

    def add(rows: list[Row]) -> None:
        nonlocal current
        for row in rows:
            kind = row_kind(row) if row.labels else None
            current = kind or current
            if current:
                tables[current].append(row)

    def flush() -> None:
        nonlocal pending
        if pending:
            cells = [cell for _, found in pending for cell in found]
            rows = segment(cells, is_row_label)
            if _is_table(rows):
                add(rows)
                consumed.update(index for index, _ in pending)
        pending = []

    for index, block in enumerate(blocks):
        section = section_at[index]
        if section != last_section:
            flush()
            current = SECTION_TABLE.get(section or "", current)
            open_table = SECTION_TABLE.get(section or "")
            last_section = section
        if isinstance(block, Paragraph):
            found = paragraph_cells(block) if open_table or pending else None
            if found is None and not pending:
                found = _space_row_cells(block)
            if found is not None:
                pending.append((index, found))
            else:
                flush()
            continue
        flush()
        rows = table_rows(block, is_row_label)
        previous = blocks[index - 1] if index else None
        if (
            rows
            and not rows[0].labels
            and isinstance(previous, Paragraph)
            and len(previous.text) <= LABEL_LINE_MAX
            and index - 1 not in consumed
        ):
            rows.insert(0, label_row(previous.text, previous.line))
        add(rows)
    flush()
    return tables, consumed


HEADER_WORDS = re.compile(
    r"信息内容|本年制发|本年新制作|本年新公开|上一年项目|处理决定数量|申请人情况|勾稽"
)


def _is_table(rows: list[Row]) -> bool:
    """Paragraphs read as cells are a table when a labelled row has values, or (an empty
    template: labels, no numbers) when they hold the table's own header and two row labels."""
    if any(r.labels and r.has_values and is_row_label(r.label) for r in rows):
        return True
    labels = [label for r in rows for label in r.labels]
    return sum(1 for label in labels if is_row_label(label)) >= 2 and any(
        HEADER_WORDS.search(norm(label)) for label in labels
    )


def _space_row_cells(paragraph: Paragraph) -> list[Cell] | None:
    """A whole table flattened onto one line, outside any table section (its section
    heading is inside the same line)."""
    words = paragraph.text.split()
    values = sum(1 for w in words if is_value_text(w))
    labels = sum(1 for w in words if is_row_label(w))
    if values >= 6 and labels >= 2 and values >= 0.4 * len(words):
        return [Cell(w, paragraph.line) for w in words]
    return None
