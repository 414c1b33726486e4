"""Reading a record for the rules: cells with their official labels, parse warnings, lines.

Rules never index the record dict directly for tables: the helpers here return None for a
missing table, row, cell or a value that is not a number, so a rule only decides what a
null means (never 0). Rules yield *partial* findings built with `fail` / `not_assessable`;
the runner in `generator.check` adds the rule id, the configured level and the source line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

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
    proactive_rows,
    request_rows,
)

Finding = dict[str, Any]
Record = dict[str, Any]

TABLE_KEYS = ("proactive", "requests", "appeals")
"""Sections 二, 三, 四 carry a fixed table (format-and-rules.md §2)."""

SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
TABLE_NAMES = {"proactive": "第二部分表格", "requests": "第三部分表格", "appeals": "第四部分表格"}

BAD_VALUE_CODES = ("bad-number", "negative-number", "decimal-count")
BLANK_CODES = ("blank-cell", "placeholder-cell")


# ---- partial findings ----------------------------------------------------------------------


def fail(
    message: str, where: str | None = None, *, level: str | None = None, line: int | None = None
) -> Finding:
    """A failed check. `level` only for a rule's documented secondary level (e.g. ED-03 W)."""
    finding: Finding = {"message": message, "where": where, "status": "fail"}
    if level is not None:
        finding["level"] = level
    if line is not None:
        finding["line"] = line
    return finding


def not_assessable(message: str, where: str | None = None, *, line: int | None = None) -> Finding:
    """A check that could not run (a null operand, an unknown date); always level info."""
    finding: Finding = {"message": message, "where": where, "status": "not-assessable"}
    if line is not None:
        finding["line"] = line
    return finding


# ---- record facts ----------------------------------------------------------------------------


def edition_of(record: Record) -> str | None:
    """The record's edition, else the one its table keys imply (2019 has the single `other`)."""
    edition = record.get("edition")
    if edition in ("2019", "2021"):
        return str(edition)
    requests = record.get("requests") or {}
    proactive = record.get("proactive") or {}
    if "other" in requests or "procurement" in proactive or "other_services" in proactive:
        return "2019"
    if "other_misc" in requests or "issued" in (proactive.get("rules") or {}):
        return "2021"
    return None


def year_of(record: Record) -> int | None:
    year = record.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def section_text(record: Record, key: str) -> str | None:
    """Narrative of a section, stripped; None when missing."""
    text = (record.get("sections") or {}).get(key)
    return text.strip() if isinstance(text, str) else None


def narrative_sections(record: Record) -> Iterator[tuple[str, str]]:
    """(section key, text) for every section with narrative text, in order."""
    for key in SECTION_KEYS:
        text = section_text(record, key)
        if text:
            yield key, text


def parse_warnings(record: Record, *codes: str, under: str | None = None) -> list[dict[str, Any]]:
    """Parse warnings with one of `codes` whose `where` is `under` or below it."""
    found = []
    for warning in (record.get("parse") or {}).get("warnings") or ():
        if not isinstance(warning, dict) or (codes and warning.get("code") not in codes):
            continue
        if under is not None and not is_under(warning.get("where"), under):
            continue
        found.append(warning)
    return found


def is_under(where: str | None, prefix: str) -> bool:
    return isinstance(where, str) and (where == prefix or where.startswith(prefix + "."))


def headings(record: Record) -> list[dict[str, Any]] | None:
    """parse.headings, or None when the parser did not record headings at all."""
    found = (record.get("parse") or {}).get("headings")
    return [h for h in found if isinstance(h, dict)] if isinstance(found, list) else None


def heading_line(record: Record, section: str) -> int | None:
    for heading in headings(record) or ():
        if heading.get("section") == section and isinstance(heading.get("line"), int):
            return int(heading["line"])
    return None


def line_for(record: Record, where: str | None) -> int | None:
    """Source line for a finding: a parse warning at or below `where`, else its section heading."""
    if not where:
        return None
    lines = [
        w["line"] for w in parse_warnings(record, under=where) if isinstance(w.get("line"), int)
    ]
    if lines:
        return min(lines)
    parts = where.split(".")
    section = parts[1] if parts[0] == "sections" and len(parts) > 1 else parts[0]
    return heading_line(record, section) if section in SECTION_KEYS else None


# ---- table cells ---------------------------------------------------------------------------


def count(value: Any) -> int | None:
    """An integer count, or None (blank, or not a clean integer: T3-04/T2-01 report those)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def request_cell(record: Record, row: str, column: int) -> int | None:
    values = (record.get("requests") or {}).get(row)
    if not isinstance(values, list) or column >= len(values):
        return None
    return count(values[column])


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


def iter_cells(record: Record, table: str) -> Iterator[tuple[str, str, Any]]:
    """(where, readable label, raw value) of every cell of a table the edition defines."""
    edition = edition_of(record)
    data = record.get(table)
    if not isinstance(data, dict):
        return
    if table == "requests":
        for row, _ in request_rows(edition):
            if row not in data:
                continue
            values = data[row] if isinstance(data[row], list) else []
            for i, column in enumerate(REQUEST_COLUMNS):
                value = values[i] if i < len(values) else None
                yield (
                    f"requests.{row}.{column}",
                    f"“{request_row_label(row)}”行{column_label(i)}列",
                    value,
                )
    elif table == "proactive":
        for row, label, fields in proactive_rows(edition):
            if row not in data:
                continue
            cells = data[row] if isinstance(data[row], dict) else {}
            for field in fields:
                yield f"proactive.{row}.{field}", f"“{label}”{field_label(field)}", cells.get(field)
    else:
        for group, label in APPEAL_GROUPS:
            cells = data.get(group) if isinstance(data.get(group), dict) else {}
            for field in APPEAL_FIELDS:
                yield (
                    f"appeals.{group}.{field}",
                    f"{label}·{APPEAL_FIELD_LABELS[field]}",
                    cells.get(field),
                )


def cell_text(record: Record, where: str) -> str | None:
    """The raw text a parse warning recorded for a cell, if any."""
    for warning in parse_warnings(record, under=where):
        if warning.get("where") == where and isinstance(warning.get("text"), str):
            return str(warning["text"])
    return None


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


def section_name(key: str) -> str:
    return f"第{SECTION_NUMERALS[key]}部分“{SECTION_TITLES[key]}”"
