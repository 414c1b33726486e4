"""Which rows belong to which statistical table (二 proactive, 三 requests, 四 appeals).

Tables are split by page breaks, blank lines and lost headings, and a heading may be missing
(seed 000 has no 二/三 headings), so rows are classified by their own labels; a row without
a telling label (a bare row of numbers) belongs to the table of the row above, and a section
heading sets the table that follows it.
"""

from __future__ import annotations

import re

from generator.document import Block, Paragraph, Table
from generator.parse.normalize import norm
from generator.parse.rows import Row, label_row, table_rows

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


def row_kind(row: Row) -> str | None:
    text = norm(" ".join(row.labels))
    for kind, pattern in KIND_MARKERS:
        if pattern.search(text):
            return kind
    return None


def classify_rows(blocks: tuple[Block, ...], section_at: list[str | None]) -> dict[str, list[Row]]:
    """Rows of each statistical table in document order.

    section_at: the section each block lies in (from the headings), used for rows that have
    no telling label of their own.
    """
    tables: dict[str, list[Row]] = {"proactive": [], "requests": [], "appeals": []}
    current: str | None = None
    last_section: str | None = None
    for index, block in enumerate(blocks):
        section = section_at[index]
        if section != last_section:
            current = SECTION_TABLE.get(section or "", current)
            last_section = section
        if not isinstance(block, Table):
            continue
        rows = table_rows(block)
        previous = blocks[index - 1] if index else None
        if (
            rows
            and not rows[0].labels
            and isinstance(previous, Paragraph)
            and len(previous.text) <= LABEL_LINE_MAX
        ):
            rows.insert(0, label_row(previous.text, previous.line))
        for row in rows:
            kind = row_kind(row) if row.labels else None
            current = kind or current
            if current:
                tables[current].append(row)
    return tables
