"""Section 四 table (政府信息公开行政复议、行政诉讼情况) -> record `appeals`.

The official table has one data row of 15 cells: 行政复议 (5), 未经复议直接起诉 (5),
复议后起诉 (5), each 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 (format-and-rules.md §2.6).
Some reports print one row per group instead; both are read. Leading empty cells carry
meaning (seed 000: five blanks, then the direct-suit numbers), so cells are never shifted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.model import ParseWarning, Value
from generator.parse.normalize import norm
from generator.parse.numbers import parse_cell
from generator.parse.rows import Row, place_values
from generator.parse.warnings import cell_warning, warning
from generator.record import APPEAL_FIELD_LABELS, APPEAL_FIELDS, APPEAL_GROUPS

GROUP_PATTERNS = (
    ("suit_after_review", re.compile(r"复议后起诉")),
    ("suit_direct", re.compile(r"未经复议|直接起诉")),
    ("review", re.compile(r"行政复议")),
)
GROUP_LABELS = dict(APPEAL_GROUPS)
WIDTH = len(APPEAL_GROUPS) * len(APPEAL_FIELDS)


@dataclass
class AppealsTable:
    groups: dict[str, dict[str, Value]] | None = None
    """Group id -> field -> cell, in the published shape (record.md `appeals`)."""
    warnings: list[ParseWarning] = field(default_factory=list)


def read_appeals(rows: list[Row]) -> AppealsTable:
    result = AppealsTable()
    if not rows:
        result.warnings.append(
            warning("missing-table", None, "appeals", "table 四 (行政复议、行政诉讼) not found")
        )
        return result
    data = [row for row in rows if row.has_values]
    per_group = {_group_of(row): row for row in data if _group_of(row)}
    if len(per_group) == len(APPEAL_GROUPS) and len(data) == len(APPEAL_GROUPS):
        result.groups = {
            key: _cells(per_group[key], key, len(APPEAL_FIELDS), result) for key, _ in APPEAL_GROUPS
        }
        return result
    if len(data) != 1:
        found = "no row of numbers" if not data else f"{len(data)} rows of numbers"
        result.warnings.append(
            warning(
                "ambiguous-row" if data else "missing-row",
                rows[0].line,
                "appeals",
                f"table 四: expected one row of 15 numbers, found {found}; cells left null",
            )
        )
        result.groups = {key: dict.fromkeys(APPEAL_FIELDS) for key, _ in APPEAL_GROUPS}
        return result
    values = _cells(data[0], None, WIDTH, result)
    result.groups = {}
    for index, (key, _) in enumerate(APPEAL_GROUPS):
        chunk = list(values.values())[index * 5 : index * 5 + 5]
        result.groups[key] = dict(zip(APPEAL_FIELDS, chunk, strict=True))
    return result


def _group_of(row: Row) -> str | None:
    text = norm("".join(row.labels))
    for key, pattern in GROUP_PATTERNS:
        if pattern.search(text):
            return key
    return None


def _cells(row: Row, group: str | None, width: int, result: AppealsTable) -> dict[str, Value]:
    placed = place_values(row.values, width, grid=row.grid)
    slots = (
        [(g, f) for g, _ in APPEAL_GROUPS for f in APPEAL_FIELDS]
        if group is None
        else [(group, f) for f in APPEAL_FIELDS]
    )
    if placed is None:
        found = [c.text for c in row.values if c.text.strip()]
        result.warnings.append(
            warning(
                "ambiguous-row",
                row.line,
                f"appeals.{group}" if group else "appeals",
                f"table 四: values {found} cannot be placed in {width} columns without guessing; cells left null",
            )
        )
        return {f"{g}.{f}": None for g, f in slots}
    values: dict[str, Value] = {}
    for (g, f), cell in zip(slots, placed, strict=True):
        parsed = parse_cell(cell.text, confidence=cell.confidence)
        if parsed.code:
            result.warnings.append(
                cell_warning(
                    parsed.code,
                    cell.line,
                    f"appeals.{g}.{f}",
                    "表四",
                    GROUP_LABELS[g],
                    APPEAL_FIELD_LABELS[f],
                    cell.text,
                    page=cell.page,
                )
            )
        values[f"{g}.{f}"] = parsed.value
    return values if group is None else {f: values[f"{group}.{f}"] for f in APPEAL_FIELDS}
