"""Several reports for the same agency and year: the newest is the record, the others its history.

The newest is chosen by publication date (落款), then by file name (a later upload sorts later).
Every older report is attached to the record as `previous_versions` (most recent first):

    {file, sha256, published, table_changes: [{where, old, new}], text_diff}

`table_changes` lists every cell of proactive/requests/appeals whose value differs between
that older report (`old`) and the current record (`new`), by key path (requests.granted.total,
proactive.fees.amount, appeals.review.upheld), in table order. `text_diff` is a unified diff
(difflib, from the older report to the current one) of the title and the six section texts,
capped at MAX_DIFF_LINES lines with a closing note; "" when the texts are the same.
"""

from __future__ import annotations

import difflib
from typing import Any

from generator.record import REQUEST_COLUMNS, SECTION_KEYS

MAX_DIFF_LINES = 400


def sort_key(record: dict[str, Any]) -> tuple[str, str]:
    return (record.get("published") or "", record["source"]["file"])


def merge_versions(
    records: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one record per id sorted by id, superseded inputs [{file, format, id, superseded_by}])."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_id.setdefault(record["id"], []).append(record)
    kept, superseded = [], []
    for record_id in sorted(by_id):
        versions = sorted(by_id[record_id], key=sort_key, reverse=True)
        current = versions[0]
        if len(versions) > 1:
            current["previous_versions"] = [
                previous_version(older, current) for older in versions[1:]
            ]
            superseded += [
                {
                    "file": older["source"]["file"],
                    "format": older["source"]["format"],
                    "id": record_id,
                    "superseded_by": current["source"]["file"],
                }
                for older in versions[1:]
            ]
        kept.append(current)
    superseded.sort(key=lambda s: s["file"])
    return kept, superseded


def previous_version(older: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    return {
        "file": older["source"]["file"],
        "sha256": older["source"]["sha256"],
        "published": older.get("published"),
        "table_changes": table_changes(older, current),
        "text_diff": text_diff(older, current),
    }


def table_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every differing cell of the three tables, as {where, old, new}."""
    old_cells, new_cells = table_cells(old), table_cells(new)
    order = list(new_cells) + [where for where in old_cells if where not in new_cells]
    changes = []
    for where in order:
        before, after = old_cells.get(where), new_cells.get(where)
        if before != after or type(before) is not type(after):
            changes.append({"where": where, "old": before, "new": after})
    return changes


def table_cells(record: dict[str, Any]) -> dict[str, Any]:
    """{key path: value} of every cell of proactive, requests and appeals, in table order."""
    cells: dict[str, Any] = {}
    for table in ("proactive", "requests", "appeals"):
        rows = record.get(table) or {}
        for row, values in rows.items():
            if isinstance(values, list):
                for column, value in zip(REQUEST_COLUMNS, values, strict=False):
                    cells[f"{table}.{row}.{column}"] = value
            elif isinstance(values, dict):
                for field, value in values.items():
                    cells[f"{table}.{row}.{field}"] = value
            else:
                cells[f"{table}.{row}"] = values
    return cells


def report_text(record: dict[str, Any]) -> list[str]:
    lines = [f"# {record.get('title') or ''}"]
    sections = record.get("sections") or {}
    for key in SECTION_KEYS:
        text = sections.get(key)
        lines.append("")
        lines.append(f"## {key}" if text is not None else f"## {key} (missing)")
        if text:
            lines += text.splitlines()
    return lines


def text_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    lines = list(
        difflib.unified_diff(
            report_text(old),
            report_text(new),
            fromfile=old["source"]["file"],
            tofile=new["source"]["file"],
            lineterm="",
            n=3,
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"… diff truncated: {more} more lines not shown"]
    return "\n".join(lines)
