"""Section 二 table (主动公开政府信息情况) -> record `proactive`.

The table is a series of blocks, each with its own header row (信息内容 | column names), so
a row's fields come from the header above it; the header names also tell the edition
(2019: 本年新制作数量 …; 2021: 本年制发件数 …; format-and-rules.md §1, §2.1, §2.2).
Never map 2019 columns onto 2021 ones: they mean different things (§2.2 note).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.parse.normalize import norm
from generator.parse.numbers import parse_cell
from generator.parse.rows import Row, merge_value_rows, place_values
from generator.parse.warnings import cell_warning, warning
from generator.record import MONEY_FIELDS, PROACTIVE_2019, PROACTIVE_2021, PROACTIVE_FIELD_LABELS

ROW_PATTERNS = (
    ("other_services", r"其他对外管理服务"),
    ("normative_docs", r"规范性文件"),
    ("rules", r"^规章|^\(?[一二三四五六七八九十\d]+[)、.]?规章"),
    ("licensing", r"行政许可"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("fees", r"行政事业性收费|事业性收费"),
    ("procurement", r"集中采购"),
)
COMPILED_ROWS = tuple((key, re.compile(p)) for key, p in ROW_PATTERNS)

# Header text -> field, with the edition the header belongs to.
FIELD_PATTERNS = (
    ("issued", "2021", r"本年制发"),
    ("repealed", "2021", r"本年废止"),
    ("in_force", "2021", r"现行有效"),
    ("amount", "2021", r"本年收费金额|收费金额"),
    ("made", "2019", r"新制作"),
    ("published", "2019", r"新公开"),
    ("total_published", "2019", r"对外公开总"),
    ("previous", "2019", r"上一年项目|上年项目"),
    ("change", "2019", r"本年增|增/减|增减"),
    ("projects", "2019", r"采购项目"),
    ("amount", "2019", r"采购总金额|总金额"),
    ("decisions", None, r"处理决定"),
)
COMPILED_FIELDS = tuple((f, ed, re.compile(p)) for f, ed, p in FIELD_PATTERNS)
EDITION_ONLY_ROWS = {"other_services": "2019", "procurement": "2019"}
DEFAULT_FIELDS = {
    **{key: fields for key, _, fields in PROACTIVE_2021},
    **{key: fields for key, _, fields in PROACTIVE_2019 if key in EDITION_ONLY_ROWS},
}
LABELS = {key: label for key, label, _ in (*PROACTIVE_2021, *PROACTIVE_2019)}


@dataclass
class ProactiveTable:
    rows: dict[str, dict] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)
    fingerprint: dict[str, list[str]] = field(default_factory=lambda: {"2019": [], "2021": []})


def match_row(row: Row) -> str | None:
    text = norm(row.labels[-1]) if row.labels else ""
    for key, pattern in COMPILED_ROWS:
        if pattern.search(text):
            return key
    return None


@dataclass(frozen=True)
class Header:
    fields: tuple[str, ...]
    positions: tuple[int, ...]
    """Cell index of each field in the header row: data rows with the same number of cells
    are read by position (a blank cell stays in its column)."""
    width: int


def read_header(row: Row, table: ProactiveTable) -> Header | None:
    """The fields named by a header row (信息内容 | 本年制发件数 | …), or None if not a header."""
    fields, positions = [], []
    for index, cell in enumerate(row.cells or tuple(row.values)):
        text = norm(cell.text)
        if not text:
            continue
        for name, edition, pattern in COMPILED_FIELDS:
            if pattern.search(text):
                fields.append(name)
                positions.append(index)
                if edition and text not in table.fingerprint[edition]:
                    table.fingerprint[edition].append(text)
                break
    if not fields:
        return None
    return Header(tuple(fields), tuple(positions), len(row.cells))


def read_proactive(rows: list[Row]) -> ProactiveTable:
    table = ProactiveTable()
    header: Header | None = None
    for row in merge_value_rows(rows, lambda r: read_header(r, ProactiveTable()) is not None):
        if not row.has_values:
            found = read_header(row, table)
            if found:
                header = found
            elif match_row(row) and row.labels:
                _read_row(row, match_row(row), header, table)  # a data row left all blank
            continue
        key = match_row(row)
        if key is None:
            table.warnings.append(
                warning(
                    "extra-row",
                    row.line,
                    "proactive",
                    f"row '{row.label}' is not a row of table 二; its values are not used",
                    row.label,
                )
            )
            continue
        _read_row(row, key, header, table)
    return table


def _read_row(row: Row, key: str, header: Header | None, table: ProactiveTable) -> None:
    if key in EDITION_ONLY_ROWS:
        table.fingerprint[EDITION_ONLY_ROWS[key]].append(LABELS[key])
    if key in table.rows:
        table.warnings.append(
            warning(
                "duplicate-row",
                row.line,
                f"proactive.{key}",
                f"row '{row.label}' appears twice in table 二; the first one is used",
                row.label,
            )
        )
        return
    names = header.fields if header else DEFAULT_FIELDS[key]
    if header and len(row.cells) == header.width:
        placed = tuple(row.cells[i] for i in header.positions)
    else:
        placed = place_values(row.values, len(names), grid=row.grid)
    if placed is None:
        found = [c.text for c in row.values if c.text.strip()]
        table.warnings.append(
            warning(
                "ambiguous-row",
                row.line,
                f"proactive.{key}",
                f"row '{row.label}': values {found} cannot be placed in {len(names)} column(s) without guessing; row left empty",
            )
        )
        table.rows[key] = dict.fromkeys(names)
        return
    values = {}
    for name, cell in zip(names, placed, strict=True):
        parsed = parse_cell(
            cell.text,
            money=(key, name) in MONEY_FIELDS,
            signed=name == "change",
            confidence=cell.confidence,
        )
        if parsed.code:
            table.warnings.append(
                cell_warning(
                    parsed.code,
                    cell.line,
                    f"proactive.{key}.{name}",
                    "表二",
                    row.label,
                    PROACTIVE_FIELD_LABELS[name],
                    cell.text,
                    page=cell.page,
                )
            )
        values[name] = parsed.value
    table.rows[key] = values


def complete_rows(table: ProactiveTable, edition: str | None) -> dict | None:
    """The record's `proactive`: every row of the edition, in order (nulls + a warning for a
    row the report lacks); None when the report has no table 二 at all."""
    if not table.rows:
        return None
    spec = PROACTIVE_2019 if edition == "2019" else PROACTIVE_2021
    result: dict[str, dict] = {}
    for key, label, names in spec:
        if key in table.rows:
            result[key] = table.rows[key]
        else:
            result[key] = dict.fromkeys(names)
            table.warnings.append(
                warning(
                    "missing-row",
                    None,
                    f"proactive.{key}",
                    f"row '{label}' not found in table 二; its cells are null",
                )
            )
    for key, values in table.rows.items():
        result.setdefault(key, values)
    return result
