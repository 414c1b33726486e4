"""Section 三 table (收到和处理政府信息公开申请情况) -> record `requests`.

Rows are matched by what their label says, not by position: each row id has a keyword that
no other row's label contains (format-and-rules.md §2.4/§8 variants). The row's seven values
are placed by rows.place_values; anything else is null with a warning that names the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.model import ParseWarning, Value
from generator.parse.normalize import near_label, norm
from generator.parse.numbers import parse_cell
from generator.parse.rows import Row, merge_value_rows, place_values
from generator.parse.warnings import cell_warning, warning
from generator.record import (
    REQUEST_COLUMN_LABELS,
    REQUEST_COLUMNS,
    REQUEST_ROWS_2019,
    REQUEST_ROWS_2021,
    request_rows,
)

WIDTH = len(REQUEST_COLUMNS)

# Row id -> pattern on the normalised label. Checked on the most specific label cell first.
ROW_PATTERNS = (
    ("received", r"新收"),
    ("carried_over", r"上年结转|上年度结转"),
    ("partly_granted", r"部分公开"),
    ("denied_state_secret", r"国家秘密"),
    ("denied_law_prohibited", r"禁止公开"),
    ("denied_security", r"三安全|危及"),
    ("denied_third_party", r"第三方"),
    ("denied_internal", r"内部事务"),
    ("denied_process", r"过程性"),
    ("denied_enforcement_file", r"执法案卷"),
    ("denied_query", r"查询"),
    ("unable_not_held", r"不掌握"),
    ("unable_needs_creation", r"另行制作|没有现成"),
    ("unable_unclear", r"不明确"),
    ("rejected_petition", r"信访|举报投诉"),
    ("rejected_repeat", r"重复申请"),
    ("rejected_publication", r"出版物|公开出版|公开出$"),
    ("rejected_excessive", r"大量反复"),
    ("rejected_confirmation", r"重新出具|确认或"),
    ("other_no_correction", r"逾期不补正|不补正"),
    ("other_unpaid_fee", r"缴纳费用|收费通知"),
    ("handled_total", r"总计|合计"),
    ("carried_forward", r"结转下年|下年度继续|继续办理"),
    ("granted", r"予以公开"),
)
COMPILED = tuple((row_id, re.compile(pattern)) for row_id, pattern in ROW_PATTERNS)
GROUP_OTHER = re.compile(r"其他处理")
ITEM_OTHER = re.compile(r"^(\(?[0-9一二三]+[).、,]?)?其他$")
HEADER = re.compile(
    r"勾稽|申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会(公益)?组织|公益组织|法律服务机构"
)
HEADER_FRAGMENT = re.compile(
    r"商业|企业|科研|机构|社会|公益|组织|法律服务|其他|总计|合计|法人|法人或其他组织"
)
NUMBERING = re.compile(r"^(\(?[一二三四五六七八九十]+[)、.]|\(?\d+[).、,])")
COLUMN_VARIANTS = {"社会组织": "社会公益组织", "公益组织": "社会公益组织", "合计": "总计"}


CANONICAL_LABELS = dict(REQUEST_ROWS_2021 + REQUEST_ROWS_2019)
CANONICAL_CORES = {
    row_id: re.sub(r"\(.*\)$", "", NUMBERING.sub("", norm(label)))
    for row_id, label in CANONICAL_LABELS.items()
}


@dataclass
class RequestsTable:
    rows: dict[str, list[Value]] = field(default_factory=dict)
    """Row id -> its seven cells in REQUEST_COLUMNS order (the published shape)."""
    warnings: list[ParseWarning] = field(default_factory=list)
    saw_other_subrows: bool = False
    saw_single_other: bool = False


def match_row(row: Row, in_other_group: bool) -> str | None:
    """Row id of a labelled row, or None. The last label cell is the most specific."""
    candidates = [norm(row.labels[-1]), norm("".join(row.labels))] if row.labels else []
    for text in candidates:
        if ITEM_OTHER.match(text) and in_other_group:
            return "other_misc"
        for row_id, pattern in COMPILED:
            if pattern.search(text):
                return row_id
    if any(GROUP_OTHER.search(norm(label)) for label in row.labels):
        return "other"  # （六）其他处理 carrying its own values: the 2019 single row
    for text in candidates:
        near = near_label(NUMBERING.sub("", text), CANONICAL_CORES, min_length=4)
        if near:
            return near
    return None


def read_requests(rows: list[Row]) -> RequestsTable:
    """The rows the report printed; complete_rows() then adds the edition's missing ones."""
    result = RequestsTable()
    merged = _merge_split_rows(rows)
    in_other_group = False
    for row in merged:
        labels = norm("".join(row.labels))
        if GROUP_OTHER.search(labels):
            in_other_group = True
        elif re.search(r"总计|合计|结转下年", labels):
            in_other_group = False
        if not row.labels:
            if row.has_values:
                result.warnings.append(
                    warning(
                        "ambiguous-row",
                        row.line,
                        "requests",
                        "a row of numbers without a label that could not be attached to a row above; values not used",
                    )
                )
            continue
        if is_header(row):
            _note_column_variants(row, result)
            continue
        row_id = match_row(row, in_other_group)
        if row_id is None:
            if row.has_values or not NUMBERING.match(labels):
                result.warnings.append(
                    warning(
                        "extra-row",
                        row.line,
                        "requests",
                        f"row '{row.label}' is not a row of the official table; its values are not used",
                        row.label,
                    )
                )
            continue
        if row_id == "other":
            if not row.has_values and len(row.values) < WIDTH:
                continue  # the group label on a line of its own, sub-rows follow
            result.saw_single_other = True
        if row_id.startswith("other_"):
            result.saw_other_subrows = True
            in_other_group = (
                True  # a "3.其他" after （六）1./2. is （六）3. even without the group label
            )
        if row_id in result.rows:
            result.warnings.append(
                warning(
                    "duplicate-row",
                    row.line,
                    f"requests.{row_id}",
                    f"row '{row.label}' appears twice; the first one is used",
                    row.label,
                )
            )
            continue
        result.rows[row_id] = _values(row, row_id, result.warnings)
        _note_label_variant(row, row_id, result)
    _drop_blank_group_row(result)
    return result


def _drop_blank_group_row(result: RequestsTable) -> None:
    """A blank （六）其他处理 row followed by its sub-rows was the group label, not the 2019
    single row: forget it (and its blank-cell warnings)."""
    other = result.rows.get("other")
    if result.saw_other_subrows and other is not None and all(v is None for v in other):
        del result.rows["other"]
        result.saw_single_other = False
        result.warnings = [
            w for w in result.warnings if not (w.where or "").startswith("requests.other.")
        ]


def _note_label_variant(row: Row, row_id: str, result: RequestsTable) -> None:
    """A row read under a label that differs from the official one (社会组织, 合计, …)."""
    core = CANONICAL_CORES[row_id]
    if core not in norm("".join(row.labels)):
        result.warnings.append(
            warning(
                "label-variant",
                row.line,
                f"requests.{row_id}",
                f"row '{row.labels[-1]}' read as '{CANONICAL_LABELS[row_id]}'",
                row.labels[-1],
            )
        )


def is_header(row: Row) -> bool:
    """The column header rows (申请人情况 / 自然人 / 商业企业 …), possibly wrapped (商业 / 企业)."""
    labels = [norm(label) for label in row.labels]
    return (
        bool(labels)
        and not row.has_values
        and (
            any(HEADER.search(label) for label in labels)
            or all(HEADER_FRAGMENT.fullmatch(label) for label in labels)
        )
    )


def _merge_split_rows(rows: list[Row]) -> list[Row]:
    """Undo two text-layout splits: a label row whose numbers sit on the next line (seed 001
    予以公开), and a label wrapped onto a line with no values (seed 000 "公开出" + "版物")."""
    out: list[Row] = []
    for row in merge_value_rows(rows, is_header):
        previous = out[-1] if out else None
        if previous and row.labels and not row.has_values and _is_wrap(row, previous):
            labels = (*previous.labels[:-1], previous.labels[-1] + row.labels[-1])
            out[-1] = Row(labels, previous.values, previous.line, previous.grid)
            continue
        out.append(row)
    return out


def _is_wrap(row: Row, previous: Row) -> bool:
    text = norm("".join(row.labels))
    return (
        len(row.labels) == 1
        and len(text) <= 6
        and not NUMBERING.match(text)
        and not is_header(row)
        and match_row(row, False) is None
        and bool(previous.labels)
    )


def _values(row: Row, row_id: str, warnings: list[ParseWarning]) -> list[Value]:
    placed = place_values(row.values, WIDTH, grid=row.grid)
    if placed is None:
        found = [c.text for c in row.values if c.text.strip()]
        warnings.append(
            warning(
                "ambiguous-row",
                row.line,
                f"requests.{row_id}",
                f"row '{row.label}': {len(found)} value(s) {found} cannot be placed in the 7 columns without guessing; row left empty",
            )
        )
        return [None] * WIDTH
    values: list[Value] = []
    for column, cell in zip(REQUEST_COLUMNS, placed, strict=True):
        parsed = parse_cell(cell.text, confidence=cell.confidence)
        if parsed.code:
            warnings.append(
                cell_warning(
                    parsed.code,
                    cell.line,
                    f"requests.{row_id}.{column}",
                    "表三",
                    row.label,
                    REQUEST_COLUMN_LABELS[column],
                    cell.text,
                    page=cell.page,
                )
            )
        values.append(parsed.value)
    return values


def complete_rows(result: RequestsTable, edition: str | None) -> None:
    """Every row of the edition is present; a row the report lost is nulls + a warning.
    Rows of the other edition that the report printed are kept (mixed templates)."""
    ordered: dict[str, list[Value]] = {}
    for row_id, label in request_rows(edition):
        if row_id in result.rows:
            ordered[row_id] = result.rows[row_id]
        else:
            ordered[row_id] = [None] * WIDTH
            result.warnings.append(
                warning(
                    "missing-row",
                    None,
                    f"requests.{row_id}",
                    f"row '{label}' not found in table 三; its cells are null",
                )
            )
    for row_id, values in result.rows.items():
        if row_id not in ordered:
            ordered[row_id] = values
    result.rows = ordered


def _note_column_variants(row: Row, result: RequestsTable) -> None:
    for label in row.labels:
        text = norm(label)
        if text in COLUMN_VARIANTS:
            result.warnings.append(
                warning(
                    "label-variant",
                    row.line,
                    "requests",
                    f"column '{label}' read as '{COLUMN_VARIANTS[text]}'",
                    label,
                )
            )
