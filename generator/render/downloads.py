"""The downloadable dataset: records.json, records.yaml, records.csv and the column list.

CSV columns are record key paths (requests.granted.total), in the order of the record contract
(generator/record.py); both editions' section 二 columns are present, blank where not used.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TextIO

from generator import record as spec
from generator.model import Finding, Level, Record, Value
from generator.model.places import place_name

CSV_BOM = "\ufeff"
# Leading characters a spreadsheet would run as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_META_COLUMNS = (
    ("id", "报告编号 `<机关拼音>/<年度>`，也是报告页面的路径"),
    ("agency.name", "机关名称（照录报告）"),
    ("agency.region.province", "省"),
    ("agency.region.city", "市"),
    ("agency.region.county", "县（区）"),
    ("agency.region.township", "乡镇（街道）"),
    ("year", "报告年度"),
    ("edition", "表格格式：2019（国办公开办函〔2019〕60号）或 2021（国办公开办函〔2021〕30号）"),
    ("title", "报告标题"),
    ("published", "发布日期（报告落款）"),
    ("period.start", "统计期间起"),
    ("period.end", "统计期间止"),
    ("contact.address", "联系地址"),
    ("contact.postcode", "邮政编码"),
    ("contact.phone", "联系电话"),
    ("contact.email", "电子邮箱"),
    ("contact.website", "网站"),
    ("source.file", "原始文件"),
    ("source.sha256", "原始文件的 SHA-256"),
    ("source.format", "原始文件格式"),
    ("source.pages", "原始文件页数"),
)


def _proactive_columns() -> list[tuple[str, str]]:
    columns: list[tuple[str, str]] = []
    seen: set[str] = set()
    for edition, rows in (("2021", spec.PROACTIVE_2021), ("2019", spec.PROACTIVE_2019)):
        for rid, label, fields in rows:
            for f in fields:
                path = f"proactive.{rid}.{f}"
                if path in seen:
                    continue
                seen.add(path)
                unit = "（万元）" if (edition, rid, f) == ("2021", "fees", "amount") else ""
                columns.append(
                    (path, f"二、{label} · {spec.PROACTIVE_FIELD_LABELS[f]}{unit}（{edition} 版）")
                )
    return columns


def _request_row_ids() -> list[tuple[str, str]]:
    rows = list(spec.REQUEST_ROWS_2021)
    at = [r for r, _ in rows].index("handled_total")
    rows.insert(at, next(row for row in spec.REQUEST_ROWS_2019 if row[0] == "other"))
    return rows


def columns() -> list[tuple[str, str]]:
    """(column name, meaning) of records.csv, in order."""
    cols = list(_META_COLUMNS)
    cols += _proactive_columns()
    for rid, _label in _request_row_ids():
        only = {
            "other": "（仅 2019 版）",
            "other_no_correction": "（仅 2021 版）",
            "other_unpaid_fee": "（仅 2021 版）",
            "other_misc": "（仅 2021 版）",
        }.get(rid, "")
        for col in spec.REQUEST_COLUMNS:
            path = f"requests.{rid}.{col}"
            cols.append((path, f"{place_name(path, '2019' if rid == 'other' else '2021')}{only}"))
    for gid, _glabel in spec.APPEAL_GROUPS:
        for f in spec.APPEAL_FIELDS:
            path = f"appeals.{gid}.{f}"
            cols.append((path, str(place_name(path))))
    cols += [
        ("checks.error", "合规检查：错误条数"),
        ("checks.warning", "合规检查：警告条数"),
        ("checks.info", "合规检查：提示条数"),
        ("parse.warnings", "解析提示条数"),
    ]
    return cols


def _value(published: dict[str, Any], path: str, counts: dict[Level, int]) -> Any:
    """A column's value from the record's published form (its dict): a CSV column is a key
    path of it."""
    head, _, rest = path.partition(".")
    if head == "checks":
        return counts[Level(rest)]
    if path == "parse.warnings":
        return len(published["parse"]["warnings"])
    if head == "requests":
        rid, col = rest.split(".")
        row = (published.get("requests") or {}).get(rid)
        index = spec.REQUEST_COLUMNS.index(col)
        return row[index] if isinstance(row, list) and index < len(row) else None
    value: Any = published
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@cache
def _column_names() -> tuple[str, ...]:
    return tuple(name for name, _ in columns())


def _csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def record_csv_row(published: dict[str, Any], counts: dict[Level, int]) -> str:
    """One record's records.csv line (from its published form, Record.to_dict); made once and
    shared by records.csv and its agency's CSV."""
    return _csv_lines([[_csv_text(_value(published, n, counts)) for n in _column_names()]])


def csv_file(rows: Iterable[str]) -> str:
    """records.csv (or an agency's CSV) from record_csv_row lines."""
    return CSV_BOM + _csv_lines([_column_names()]) + "".join(rows)


def record_json_item(published: dict[str, Any]) -> str:
    """One record (its published form) as a line of records.json: compact JSON, no spaces
    between its tokens (the download was a quarter larger indented, 16.8 MB at 10,000 reports
    gzip-compressed; the CLI's `nianbao parse` still indents), UTF-8 kept."""
    return json.dumps(published, ensure_ascii=False, separators=(",", ":"))


CELL_COLUMNS = ("id", "agency", "year", "edition", "table", "row", "column", "value")


def _cells(record: Record) -> list[tuple[str, str, str, Value]]:
    """(table, row, column, value) of every statistical cell the record has, in the order of
    the table layout of its edition (record.table_edition, else 2021)."""
    edition = record.table_edition
    out: list[tuple[str, str, str, Value]] = []
    proactive = record.proactive
    for rid, _label, fields in spec.proactive_rows(edition):
        cells = proactive.row(rid) if proactive is not None else None
        if cells is not None:
            out += [("proactive", rid, f, cells.get(f)) for f in fields]
    requests = record.requests
    for rid, _label in spec.request_rows(edition):
        row = requests.row(rid) if requests is not None else None
        if row is not None:
            out += [
                ("requests", rid, col, row.cell(i)) for i, col in enumerate(spec.REQUEST_COLUMNS)
            ]
    if record.appeals is not None:
        for gid, group in record.appeals.groups():
            out += [("appeals", gid, f, group.get(f)) for f in spec.APPEAL_FIELDS]
    return out


def record_cells_rows(record: Record) -> str:
    """One record's cells.csv lines (one per statistical cell; a null cell has an empty value)."""
    head = [
        _csv_text(record.key),
        _csv_text(record.agency.name),
        _csv_text(record.year),
        _csv_text(record.edition),
    ]
    return _csv_lines(
        [*head, table, row, column, _csv_text(value)]
        for table, row, column, value in _cells(record)
    )


FINDING_COLUMNS = ("id", "agency", "year", "rule", "level", "status", "where", "line", "message")


def record_findings_rows(record: Record, findings: Sequence[Finding]) -> str:
    """One record's findings.csv lines (one per compliance finding, in the record's order)."""
    head = [_csv_text(record.key), _csv_text(record.agency.name), _csv_text(record.year)]
    return _csv_lines(
        [*head, *(_csv_text(f.to_dict()[key]) for key in FINDING_COLUMNS[3:])] for f in findings
    )


class CorpusFiles:
    """records.json, records.yaml, cells.csv and findings.csv written record by record, in
    record order, into open text handles (at 10,000 reports they are 400 MB: never held in
    memory whole).

    records.json is one JSON list of the records, a record a line (record_json_item); it
    parses to what record_to_json(list) gives. records.yaml is one YAML document per record;
    cells.csv has one line per statistical cell, findings.csv one per compliance finding."""

    def __init__(
        self, json_out: TextIO, yaml_out: TextIO, cells_out: TextIO, findings_out: TextIO
    ) -> None:
        self.json_out, self.yaml_out = json_out, yaml_out
        self.cells_out, self.findings_out = cells_out, findings_out
        self.count = 0
        cells_out.write(CSV_BOM + _csv_lines([CELL_COLUMNS]))
        findings_out.write(CSV_BOM + _csv_lines([FINDING_COLUMNS]))

    def add(self, json_item: str, yaml_text: str, cells_rows: str, findings_rows: str) -> None:
        """One record: its record_json_item, YAML, record_cells_rows, record_findings_rows."""
        self.json_out.write(("[\n" if self.count == 0 else ",\n") + json_item)
        self.yaml_out.write("---\n" + yaml_text)
        self.cells_out.write(cells_rows)
        self.findings_out.write(findings_rows)
        self.count += 1

    def finish(self) -> None:
        self.json_out.write("\n]\n" if self.count else "[]\n")


def csv_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV download (BOM, CRLF, formula starts neutralised) from plain values."""
    return CSV_BOM + _csv_lines([header]) + _csv_lines([_csv_text(v) for v in row] for row in rows)
