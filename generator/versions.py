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

import dataclasses
import difflib

from generator.model import PreviousVersion, Record, TableChange, Value
from generator.model.corpus import Superseded
from generator.record import APPEAL_FIELDS, REQUEST_COLUMNS, SECTION_KEYS, SECTION_TITLES

MAX_DIFF_LINES = 400


def sort_key(record: Record) -> tuple[str, str]:
    return (record.published or "", record.source.file)


def merge_versions(records: list[Record]) -> tuple[list[Record], list[Superseded]]:
    """(one record per id sorted by id, the superseded inputs sorted by file)."""
    by_id: dict[str, list[Record]] = {}
    for record in records:
        by_id.setdefault(record.key, []).append(record)
    kept: list[Record] = []
    superseded: list[Superseded] = []
    for record_id in sorted(by_id):
        versions = sorted(by_id[record_id], key=sort_key, reverse=True)
        current, older = versions[0], versions[1:]
        if older:
            current = dataclasses.replace(
                current, previous_versions=tuple(previous_version(o, current) for o in older)
            )
            superseded += [
                Superseded(o.source.file, o.source.format, record_id, current.source.file)
                for o in older
            ]
        kept.append(current)
    superseded.sort(key=lambda s: s.file)
    return kept, superseded


def previous_version(older: Record, current: Record) -> PreviousVersion:
    return PreviousVersion(
        file=older.source.file,
        sha256=older.source.sha256 or "",
        published=older.published,
        table_changes=tuple(table_changes(older, current)),
        text_diff=text_diff(older, current),
    )


def table_changes(old: Record, new: Record) -> list[TableChange]:
    """Every differing cell of the three tables (value or type: 1 is not 1.0)."""
    old_cells, new_cells = table_cells(old), table_cells(new)
    order = list(new_cells) + [where for where in old_cells if where not in new_cells]
    changes = []
    for where in order:
        before, after = old_cells.get(where), new_cells.get(where)
        if before != after or type(before) is not type(after):
            changes.append(TableChange(where, before, after))
    return changes


def table_cells(record: Record) -> dict[str, Value]:
    """{key path: value} of every cell of proactive, requests and appeals, in table order."""
    cells: dict[str, Value] = {}
    if record.proactive is not None:
        for prow in record.proactive:
            for field, value in prow.cells:
                cells[f"proactive.{prow.key}.{field}"] = value
    if record.requests is not None:
        for rrow in record.requests:
            for column, value in zip(REQUEST_COLUMNS, rrow.values, strict=False):
                cells[f"requests.{rrow.key}.{column}"] = value
    if record.appeals is not None:
        for group, cells_of in record.appeals.groups():
            for field in APPEAL_FIELDS:
                cells[f"appeals.{group}.{field}"] = cells_of.get(field)
    return cells


def report_text(record: Record, chinese: bool = False) -> list[str]:
    """The title and the six sections as diff lines, each section under `## <key>` (the
    published previous_versions' form) or, `chinese`, under its official title (the silent
    edits' diffs, generator/sources.py)."""
    lines = [f"# {record.title or ''}"]
    for key in SECTION_KEYS:
        text = record.sections.get(key)
        lines.append("")
        if chinese:
            missing = "" if text is not None else "（报告中未找到本部分）"
            lines.append(f"## {SECTION_TITLES[key]}{missing}")
        else:
            lines.append(f"## {key}" if text is not None else f"## {key} (missing)")
        if text:
            lines += text.splitlines()
    return lines


def text_diff(
    old: Record,
    new: Record,
    fromfile: str | None = None,
    tofile: str | None = None,
    chinese: bool = False,
) -> str:
    """The unified diff of the title and the six sections, old -> new, labelled with the two
    files (or `fromfile` / `tofile`: two contents of one file are told apart by date), the
    sections under their keys or (`chinese`) their official titles."""
    lines = list(
        difflib.unified_diff(
            report_text(old, chinese),
            report_text(new, chinese),
            fromfile=old.source.file if fromfile is None else fromfile,
            tofile=new.source.file if tofile is None else tofile,
            lineterm="",
            n=3,
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        note = (
            f"……差异过长，另有 {more} 行未显示"
            if chinese
            else f"… diff truncated: {more} more lines not shown"
        )
        lines = [*lines[:MAX_DIFF_LINES], note]
    return "\n".join(lines)
