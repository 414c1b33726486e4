"""Section 二 table (主动公开政府信息情况) -> record `proactive`.

The table is a series of blocks, each with its own header row (信息内容 | column names), so
a row's fields come from the header above it; the header names also tell the edition
(2019: 本年新制作数量 …; 2021: 本年制发件数 …; format-and-rules.md §1, §2.1, §2.2).
Never map 2019 columns onto 2021 ones: they mean different things (§2.2 note).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.document import Cell
from generator.model import ParseWarning, Value
from generator.parse.normalize import near_label, norm
from generator.parse.numbers import parse_cell
from generator.parse.rows import Row, merge_value_rows, place_values
from generator.parse.warnings import cell_warning, warning
from generator.record import MONEY_FIELDS, PROACTIVE_2019, PROACTIVE_2021, PROACTIVE_FIELD_LABELS

ROW_PATTERNS = (
    ("other_services", r"其他对外管理服务"),
    ("normative_docs", r"规范性(?:文件|档案)"),  # 檔案: a 繁體 conversion of 文件
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
    rows: dict[str, dict[str, Value]] = field(default_factory=dict)
    """Row key -> field -> cell, the fields in the order read (the published shape)."""
    warnings: list[ParseWarning] = field(default_factory=list)
    fingerprint: dict[str, list[str]] = field(default_factory=lambda: {"2019": [], "2021": []})


def match_row(row: Row) -> str | None:
    """Row key of a labelled row: the last label cell first (the most specific), then the
    label cells joined (a label split over cells: `规` + `章`)."""
    candidates = [norm(row.labels[-1]), norm("".join(row.labels))] if row.labels else []
    for text in candidates:
        for key, pattern in COMPILED_ROWS:
            if pattern.search(text):
                return key
    for text in candidates:
        near = near_label(NUMBERING.sub("", text), NEAR_LABELS)
        if near:
            return near
    return None


NUMBERING = re.compile(r"^\(?[一二三四五六七八九十\d]+[)、.]")
NEAR_LABELS = {key: norm(label) for key, label, _ in (*PROACTIVE_2021, *PROACTIVE_2019)}
NEAR_LABELS["normative_docs"] = "规范性文件"  # both 规范性文件 and 行政规范性文件 are official


@dataclass(frozen=True)
class Header:
    fields: tuple[str, ...]
    positions: tuple[int, ...]
    """Cell index of each field in the header row: data rows with the same number of cells
    are read by position (a blank cell stays in its column)."""
    width: int
    segmented: bool = False
    """The header came from a run of cells (segment()): no positions to map by."""


def read_header(row: Row, table: ProactiveTable) -> Header | None:
    """The fields named by a header row (信息内容 | 本年制发件数 | …), or None if not a header.

    Fields are found in each cell and, for a header split into fragments (`本年新` +
    `制作数量`, from a layout printing one cell a line), in the cells joined."""
    cells = row.cells or tuple(row.values)
    fields, positions = [], []
    for index, cell in enumerate(cells):
        for name in _fields_in(norm(cell.text), table):
            fields.append(name)
            positions.append(index)
    joined = _fields_in(norm("".join(c.text for c in cells)), table)
    if len(joined) > len(fields):  # fragments: no positions to map by
        return Header(tuple(joined), (), len(cells), True)
    if not fields:
        return None
    return Header(tuple(fields), tuple(positions), len(cells), row.segmented)


def _fields_in(text: str, table: ProactiveTable) -> list[str]:
    """The fields a header text names, in order (one text may name several when the
    separators were lost: `本年新制作数量本年新公开数量对外公开总数量`)."""
    found: list[tuple[int, str, str | None, str]] = []
    taken: list[tuple[int, int]] = []
    for name, edition, pattern in COMPILED_FIELDS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found.append((span[0], name, edition, match.group(0)))
    found.sort()
    for _, _, edition, token in found:
        if edition and token not in table.fingerprint[edition]:
            table.fingerprint[edition].append(token)
    return [name for _, name, _, _ in found]


def read_proactive(rows: list[Row]) -> ProactiveTable:
    table = ProactiveTable()
    rows = merge_value_rows(rows, lambda r: read_header(r, ProactiveTable()) is not None)
    # The edition the headers speak for, so a row under a header that cannot be read (a
    # typo, a truncation) still gets its edition's fields.
    probe = ProactiveTable()
    for row in rows:
        if not row.has_values:
            read_header(row, probe)
    majority = "2019" if len(probe.fingerprint["2019"]) > len(probe.fingerprint["2021"]) else "2021"
    header: Header | None = None
    unlabelled: Row | None = None  # values printed without their label, under a header
    for row in rows:
        if not row.has_values:
            found = read_header(row, table)
            if found:
                header, unlabelled = found, None
            elif (blank := match_row(row)) and row.labels:
                _read_row(row, blank, header, table, majority)  # a row left blank
            continue
        key = match_row(row)
        if key is None and (not row.labels or read_header(row, ProactiveTable())):
            # a header whose first row lost its label (a blank or cut label cell): the
            # values wait for the next row to tell, by the template's order, whose they are
            if row.labels:
                header = read_header(row, table)
            unlabelled = Row((), row.values, row.line, row.grid, segmented=True)
            continue
        if key is not None and unlabelled is not None:
            _read_unlabelled(unlabelled, key, header, table, majority)
        unlabelled = None
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
        _read_row(row, key, header, table, majority)
    return table


BLOCKS = (
    ("rules", "normative_docs"),
    ("licensing", "other_services"),
    ("penalty", "coercion"),
    ("fees",),
    ("procurement",),
)
"""The rows of each block (第二十条第（一）（五）（六）（八）（九）项), in the official order."""


def _read_unlabelled(
    values: Row, following: str, header: Header | None, table: ProactiveTable, majority: str
) -> None:
    """Values printed under a block's header without their row label: they are the block's
    row before `following` when the template has exactly that row there and it is not read
    yet (`   ` / `0 0 0` / `行政规范性文件 …` -> 规章); else they are not used."""
    block = next((b for b in BLOCKS if following in b), ())
    position = block.index(following) if block else 0
    key = block[position - 1] if position > 0 else None
    if key is None or key in table.rows:
        table.warnings.append(
            warning(
                "ambiguous-row",
                values.line,
                "proactive",
                f"values {[c.text for c in values.values if c.text.strip()]} without a row label; not used",
            )
        )
        return
    table.warnings.append(
        warning(
            "label-missing",
            values.line,
            f"proactive.{key}",
            f"a row without its label before '{LABELS[following]}': read as '{LABELS[key]}', the row the official table has there",
        )
    )
    labelled = Row((LABELS[key],), values.values, values.line, values.grid, segmented=True)
    _read_row(labelled, key, header, table, majority)


TEMPLATE: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {key: fields for key, _, fields in PROACTIVE_2019},
    "2021": {key: fields for key, _, fields in PROACTIVE_2021},
}
FIELD_EDITION = {name: edition for name, edition, _ in FIELD_PATTERNS if edition}


def row_fields(key: str, header: Header | None, majority: str) -> tuple[str, ...]:
    """The fields of a row: the header's when they are the row's fields in either edition;
    else the fields of the edition the header (or, without one, the whole table) speaks for.
    The official format fixes each row's fields, so a header typo (`本年数量`) or a header
    split into fragments does not lose the row."""
    if header is not None:
        for edition in ("2021", "2019"):
            if TEMPLATE[edition].get(key) == header.fields:
                return header.fields
        editions = {FIELD_EDITION[f] for f in header.fields if f in FIELD_EDITION}
        if len(editions) == 1:
            (edition,) = editions
            if key in TEMPLATE[edition]:
                return TEMPLATE[edition][key]
    if key in TEMPLATE[majority]:
        return TEMPLATE[majority][key]
    return DEFAULT_FIELDS[key]


def _read_row(
    row: Row, key: str, header: Header | None, table: ProactiveTable, majority: str
) -> None:
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
    names = row_fields(key, header, majority)
    if (
        header
        and names == header.fields
        and not row.segmented
        and not header.segmented
        and len(row.cells) == header.width
    ):
        placed: tuple[Cell, ...] | None = tuple(row.cells[i] for i in header.positions)
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
    values: dict[str, Value] = {}
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


def complete_rows(table: ProactiveTable, edition: str | None) -> dict[str, dict[str, Value]] | None:
    """The record's `proactive`: every row of the edition, in order (nulls + a warning for a
    row the report lacks); None when the report has no table 二 at all."""
    if not table.rows:
        return None
    spec = PROACTIVE_2019 if edition == "2019" else PROACTIVE_2021
    result: dict[str, dict[str, Value]] = {}
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
