"""The three statistical tables of a record as rows of label cells and value cells.

Shapes follow the official formats (format-and-rules.md §2): section 二 per edition in blocks
of 《条例》第二十条 items, section 三 with its three label columns and the 申请人情况 header,
section 四 with the 行政复议 / 行政诉讼 header groups. Labels come from generator/record.py;
only the block headers and a few column headers that differ per edition are defined here.
Every value cell has the anchor id of its key path with "." -> "-" (requests-granted-total); the
built page gets it in the browser (edition_anchors).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator import record as spec
from generator.model import Edition, Record
from generator.model import Value as CellValue


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Value:
    value: CellValue
    anchor: str
    """The cell's id on the page: its key path with "." -> "-"."""
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Row:
    labels: tuple[Label, ...]
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """One 第二十条 item of section 二: a header, its column headers and rows."""

    header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


# Section 二 blocks: (第二十条 item, row ids), §2.1 (2021) and §2.2 (2019).
PROACTIVE_BLOCKS = {
    "2021": (
        ("第二十条第（一）项", ("rules", "normative_docs")),
        ("第二十条第（五）项", ("licensing",)),
        ("第二十条第（六）项", ("penalty", "coercion")),
        ("第二十条第（八）项", ("fees",)),
    ),
    "2019": (
        ("第二十条第（一）项", ("rules", "normative_docs")),
        ("第二十条第（五）项", ("licensing", "other_services")),
        ("第二十条第（六）项", ("penalty", "coercion")),
        ("第二十条第（八）项", ("fees",)),
        ("第二十条第（九）项", ("procurement",)),
    ),
}
# Column headers as printed where they differ from record.PROACTIVE_FIELD_LABELS (§2.1/§2.2).
PRINTED_FIELD_LABELS = {
    ("2021", "amount"): "本年收费金额（单位：万元）",
    ("2019", "decisions"): "处理决定数量",
    ("2019", "amount"): "采购总金额",
}
PROACTIVE_WIDTH = 3  # value columns of the widest block
REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REQUESTS_RESULTS = "三、本年度办理结果"


def anchor(*parts: str) -> str:
    return "-".join(parts)


def layout_edition(record: Record) -> Edition:
    """The edition whose layout the page shows: the one the checks read the tables by
    (Record.table_edition), the current 2021 layout when nothing tells."""
    return record.table_edition or "2021"


def proactive_blocks(record: Record) -> list[Block]:
    edition = layout_edition(record)
    labels = {rid: (label, fields) for rid, label, fields in spec.proactive_rows(edition)}
    blocks = []
    for header, row_ids in PROACTIVE_BLOCKS[edition]:
        fields = labels[row_ids[0]][1]
        columns = tuple(
            PRINTED_FIELD_LABELS.get((edition, f), spec.PROACTIVE_FIELD_LABELS[f]) for f in fields
        )
        rows = []
        for rid in row_ids:
            label, row_fields = labels[rid]
            values = [
                Value(record.proactive_cell(rid, f), anchor("proactive", rid, f))
                for f in row_fields
            ]
            # The last cell of a narrow block spans the rest of the widest block.
            last = values[-1]
            values[-1] = Value(last.value, last.anchor, PROACTIVE_WIDTH - len(values) + 1)
            rows.append(Row((Label(label),), tuple(values)))
        blocks.append(Block(header, columns, tuple(rows)))
    return blocks


def proactive_colspans(block: Block) -> list[int]:
    """Column header spans of a block so that its headers fill PROACTIVE_WIDTH columns."""
    spans = [1] * len(block.columns)
    spans[-1] = PROACTIVE_WIDTH - len(block.columns) + 1
    return spans


def request_rows(record: Record) -> list[Row]:
    """Section 三 rows with their label cells (three label columns, rowspans for the groups)."""
    edition = layout_edition(record)
    rows_spec = spec.request_rows(edition)
    result_ids = set(spec.result_rows(edition)) | {"handled_total"}
    group_of = {
        rid: (gid, glabel, members)
        for gid, glabel, members in spec.REQUEST_GROUPS
        for rid in members
    }
    result_count = sum(1 for rid, _ in rows_spec if rid in result_ids)
    rows: list[Row] = []
    first_result = True
    seen_groups: set[str] = set()
    for rid, label in rows_spec:
        values = tuple(
            Value(record.request_cell(rid, i), anchor("requests", rid, column))
            for i, column in enumerate(spec.REQUEST_COLUMNS)
        )
        labels: list[Label] = []
        if rid not in result_ids:
            labels.append(Label(label, colspan=3))
        else:
            if first_result:
                labels.append(Label(REQUESTS_RESULTS, rowspan=result_count))
                first_result = False
            gid, glabel, members = group_of.get(rid, (rid, label, (rid,)))
            edition_members = [m for m, _ in rows_spec if m in members]
            if len(edition_members) <= 1:
                # A one-row group: its own label is the group label ((一), (二), 2019 (六), (七)).
                labels.append(Label(glabel if rid == "other" else label, colspan=2))
            else:
                if gid not in seen_groups:
                    labels.append(Label(glabel, rowspan=len(edition_members)))
                    seen_groups.add(gid)
                labels.append(Label(label))
        rows.append(Row(tuple(labels), values))
    return rows


def appeal_groups() -> list[tuple[str, str]]:
    """(group id, sub-header) for section 四: 行政复议 and the two 行政诉讼 groups."""
    return [(gid, label.split("·")[-1]) for gid, label in spec.APPEAL_GROUPS]


def appeal_values(record: Record) -> list[Value]:
    return [
        Value(record.appeal_cell(gid, f), anchor("appeals", gid, f))
        for gid, _label in spec.APPEAL_GROUPS
        for f in spec.APPEAL_FIELDS
    ]


@functools.cache
def edition_anchors(edition: Edition) -> dict[str, tuple[str, ...]]:
    """The value-cell anchors of each table of an edition's layout (proactive, requests,
    appeals: the table's class nb-<kind> and data-nb-cells), in the order of the table's
    <td>s. They depend on the edition only, not on the values: made once per edition, from a
    record of that edition with no tables. The built pages carry no cell ids (8 KB a report
    page, issue 15): overrides/hooks/fragments.py takes them out after checking the links to
    them, and content/js/cell-anchors.js (render_cell_anchors) gives each <td> its id back
    from these lists in the reader's browser."""
    blank = Record.from_dict({"edition": edition, "source": {"file": "", "format": "txt"}})
    return {
        "proactive": tuple(
            v.anchor for b in proactive_blocks(blank) for r in b.rows for v in r.values
        ),
        "requests": tuple(v.anchor for r in request_rows(blank) for v in r.values),
        "appeals": tuple(v.anchor for v in appeal_values(blank)),
    }


def anchors(record: Record) -> frozenset[str]:
    """Every value-cell anchor on the record's page (to link findings to their cell)."""
    return _anchor_set(layout_edition(record))


@functools.cache
def _anchor_set(edition: Edition) -> frozenset[str]:
    return frozenset(a for kind in edition_anchors(edition).values() for a in kind)
