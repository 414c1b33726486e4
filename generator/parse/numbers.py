"""Cell text -> value. Exact or nothing: a cell that is not plainly a number is null with a
reason; blank is null, never 0 (record.md "Values")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.parse.normalize import FULLWIDTH

PLACEHOLDERS = {
    "/",
    "／",
    "-",
    "－",
    "—",
    "——",
    "–",
    "－－",
    "--",
    "无",
    "空",
    "\\",
    "*",
    "×",
    "x",
    "X",
}
NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
UNITS = (
    "万元",
    "元",
    "万",
    "件",
    "个",
    "条",
    "项",
    "批次",
    "人次",
    "次",
    "批",
    "笔",
    "宗",
    "户",
    "份",
    "篇",
    "人",
    "家",
)
"""Units printed inside a cell (`31批次`, `2601.953875万`): the number is read, the unit noted."""
OCR_MIN_CONFIDENCE = 0.9
"""A cell read by OCR with less confidence than this is null with an `ocr-unconfirmed`
warning, never a number (bench/README.md: where the wrong readings of the scanned fixtures
lie, and why this line)."""


@dataclass(frozen=True, slots=True)
class CellValue:
    value: int | float | None
    code: str | None = None
    """Parse warning code (docs/contract.md) when the cell was not a clean number."""


TEXT_IN_NUMBER_CELL = re.compile(
    r"^(?:[增减]\s*\d+(?:\.\d+)?|未增未减|无增减|持平|无变化|[?？]\s*[\d.]+)$"
)
"""Text printed in a number cell (`增1558`, `减4`, `未增未减`, `? 0`): a cell of the row, read
as null with a bad-number warning, never a label (it must not split the row)."""


def is_value_text(text: str) -> bool:
    """True if the cell holds a value (number, placeholder, blank, or text printed in a
    number cell), not a label."""
    return parse_cell(text, money=True).code != "bad-number" or bool(
        TEXT_IN_NUMBER_CELL.match(text.strip())
    )


def parse_cell(
    text: str, *, money: bool = False, signed: bool = False, confidence: float | None = None
) -> CellValue:
    """Read one cell. money: decimals allowed (万元 amounts); signed: negatives expected
    (2019 本年增/减). Glued units are read with a `unit-suffix` note. confidence: the OCR
    engine's, for a cell read from a scan (Cell.confidence); None for text."""
    raw = text.strip()
    if not raw:
        return CellValue(None, "blank-cell")
    if confidence is not None and confidence < OCR_MIN_CONFIDENCE:
        return CellValue(None, "ocr-unconfirmed")
    return _read_cell(raw, money, signed)


@functools.lru_cache(maxsize=1 << 16)
def _read_cell(raw: str, money: bool, signed: bool) -> CellValue:
    """parse_cell of a stripped, non-blank text. Cached: a corpus repeats the same few
    thousand cell texts (0, 1, 12 ...), and each cell is read more than once while the rows
    are found (512,432 calls for 1,000 reports of about 200 cells, bench/README.md).
    CellValue is frozen, so one answer can be shared."""
    if raw in PLACEHOLDERS:
        return CellValue(None, "placeholder-cell")
    compact = raw.translate(FULLWIDTH).replace(" ", "")
    code = None
    for unit in UNITS:
        if compact.endswith(unit) and len(compact) > len(unit):
            compact = compact[: -len(unit)]
            code = "unit-suffix"
            break
    match = NUMBER.match(compact)
    if not match:
        return CellValue(None, "bad-number")
    sign, digits, fraction = match.groups()
    digits = digits.replace(",", "")
    if fraction:
        if not money:
            return CellValue(None, "decimal-count")
        value: int | float = float(f"{sign}{digits}{fraction}")
    else:
        value = int(f"{sign}{digits}")
    if sign == "-" and value != 0 and not signed:
        code = code or "negative-number"
    return CellValue(value, code)
