"""Reading a record for the rules: cells with their official labels, parse warnings, lines.

The tables' own accessors (generator/model/tables.py) return None for a missing table, row or
cell, so a rule only decides what a null means (never 0). Rules yield Observations made with
`fail` / `not_assessable`; the runner in `generator.check` adds the rule id, the configured
level and the source line, and makes the Finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.model import Level, ParseWarning, Record, Status, Value
from generator.model.tables import count
from generator.record import (
    APPEAL_FIELD_LABELS,
    APPEAL_FIELDS,
    APPEAL_GROUPS,
    PROACTIVE_FIELD_LABELS,
    REQUEST_COLUMN_LABELS,
    REQUEST_COLUMNS,
    REQUEST_GROUPS,
    REQUEST_ROWS_2021,
    SECTION_KEYS,
    SECTION_NUMERALS,
    SECTION_TITLES,
    proactive_rows,
    request_rows,
)

TABLE_KEYS = ("proactive", "requests", "appeals")
"""Sections 二, 三, 四 carry a fixed table (format-and-rules.md §2)."""

TABLE_NAMES = {"proactive": "第二部分表格", "requests": "第三部分表格", "appeals": "第四部分表格"}

BAD_VALUE_CODES = ("bad-number", "negative-number", "decimal-count")
UNREAD_CODES = ("ocr-unconfirmed",)
"""A cell the portal could not read (OCR unsure): null, but not left blank by the report."""


# ---- what a rule yields ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Observation:
    """What a rule found on a record, before the runner makes it a Finding."""

    message: str
    where: str | None = None
    status: Status = "fail"
    level: Level | None = None
    """Only a rule's documented secondary level (ED-03 extra row W); None = the rule's."""
    line: int | None = None
    """Only when the rule knows it; else the runner looks it up from `where`."""


def fail(
    message: str, where: str | None = None, *, level: Level | None = None, line: int | None = None
) -> Observation:
    """A failed check. `level` only for a rule's documented secondary level (e.g. ED-03 W)."""
    return Observation(message, where, "fail", level, line)


def not_assessable(
    message: str, where: str | None = None, *, line: int | None = None
) -> Observation:
    """A check that could not run (a null operand, an unknown date); always level info."""
    return Observation(message, where, "not-assessable", None, line)


# ---- record facts ----------------------------------------------------------------------------


def section_text(record: Record, key: str) -> str | None:
    """Narrative of a section, stripped; None when missing."""
    text = record.sections.get(key)
    return text.strip() if text is not None else None


def narrative_sections(record: Record) -> Iterator[tuple[str, str]]:
    """(section key, text) for every section with narrative text, in order."""
    for key in SECTION_KEYS:
        text = section_text(record, key)
        if text:
            yield key, text


def parse_warnings(record: Record, *codes: str, under: str | None = None) -> list[ParseWarning]:
    """Parse warnings with one of `codes` (any, when none) whose `where` is `under` or below."""
    return record.parse.warnings_with(codes, under=under)


def line_for(record: Record, where: str | None) -> int | None:
    """Source line for a finding: a parse warning at or below `where`, else its section heading."""
    if not where:
        return None
    lines = [w.line for w in parse_warnings(record, under=where) if w.line is not None]
    if lines:
        return min(lines)
    parts = where.split(".")
    section = parts[1] if parts[0] == "sections" and len(parts) > 1 else parts[0]
    return record.parse.heading_line(section) if section in SECTION_KEYS else None


def request_cell(record: Record, row: str, column: int) -> int | None:
    """A 第三部分 cell as an integer count (what the identities add up); None when blank,
    absent or not a count (T3-04 reports those)."""
    return count(record.request_cell(row, column))


# ---- labels ----------------------------------------------------------------------------------


_GROUP_OF_ROW = {row: (label, members) for _, label, members in REQUEST_GROUPS for row in members}
_ROW_LABELS_2021 = dict(REQUEST_ROWS_2021)


def request_row_label(row: str) -> str:
    """Official label of a 第三部分 row, with its group number: （三）1.属于国家秘密."""
    if row == "other":
        return "（六）其他处理"
    label = _ROW_LABELS_2021.get(row, row)
    group = _GROUP_OF_ROW.get(row)
    if group is None:
        return label
    group_label, members = group
    return group_label if len(members) == 1 else group_label[:3] + label


def column_label(column: int | str) -> str:
    key = REQUEST_COLUMNS[column] if isinstance(column, int) else column
    return REQUEST_COLUMN_LABELS[key]


def proactive_row_label(row: str, edition: str | None) -> str:
    for key, label, _ in proactive_rows(edition):
        if key == row:
            return label
    return row


def field_label(field: str) -> str:
    return PROACTIVE_FIELD_LABELS.get(field, field)


def section_name(key: str) -> str:
    return f"第{SECTION_NUMERALS[key]}部分“{SECTION_TITLES[key]}”"


# ---- table cells ---------------------------------------------------------------------------


def iter_cells(record: Record, table: str) -> Iterator[tuple[str, str, Value]]:
    """(where, readable label, value) of every cell of a table the edition defines."""
    edition = record.table_edition
    if table == "requests":
        requests = record.requests
        if requests is None:
            return
        for row, _ in request_rows(edition):
            found = requests.row(row)
            if found is None:
                continue
            for i, column in enumerate(REQUEST_COLUMNS):
                yield (
                    f"requests.{row}.{column}",
                    f"“{request_row_label(row)}”行{column_label(i)}列",
                    found.cell(i),
                )
    elif table == "proactive":
        proactive = record.proactive
        if proactive is None:
            return
        for row, label, fields in proactive_rows(edition):
            cells = proactive.row(row)
            if cells is None:
                continue
            for field in fields:
                yield f"proactive.{row}.{field}", f"“{label}”{field_label(field)}", cells.get(field)
    else:
        appeals = record.appeals
        if appeals is None:
            return
        for group, label in APPEAL_GROUPS:
            cells_of = appeals.group(group)
            for field in APPEAL_FIELDS:
                yield (
                    f"appeals.{group}.{field}",
                    f"{label}·{APPEAL_FIELD_LABELS[field]}",
                    cells_of.get(field),
                )


def cell_text(record: Record, where: str) -> str | None:
    """The raw text a parse warning recorded for a cell, if any."""
    for warning in parse_warnings(record, under=where):
        if warning.where == where and warning.text is not None:
            return warning.text
    return None


# ---- messages --------------------------------------------------------------------------------


def listing(items: Iterable[str], limit: int = 8) -> str:
    """A、B、C 等N处: a short list for a message."""
    items = list(dict.fromkeys(items))
    shown = "、".join(items[:limit])
    return shown + (f" 等{len(items)}处" if len(items) > limit else "")


def missing_cells(cells: Iterable[tuple[str, int]]) -> str:
    """“（六）3.其他”行（自然人、总计列）: blank 第三部分 cells grouped by row."""
    rows: dict[str, list[str]] = {}
    for row, column in cells:
        rows.setdefault(row, []).append(column_label(column))
    return "；".join(
        f"“{request_row_label(row)}”行（{'、'.join(cols)}列）"
        if len(cols) < len(REQUEST_COLUMNS)
        else f"“{request_row_label(row)}”行（全部列）"
        for row, cols in rows.items()
    )
