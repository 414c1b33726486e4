"""Figures the portal pages sum or chart: null-aware sums and the main series of a record.

A sum with any null operand is None ("—" on the page), never a sum that counts null as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from generator.model import Record, Value
from generator.record import REQUEST_GROUPS

Getter = Callable[[Record], Value]


def strict_sum(values: Iterable[Value]) -> Value:
    """The sum, or None when any value is None (or there is none at all)."""
    items = list(values)
    if not items or any(v is None for v in items):
        return None
    return sum(v for v in items if v is not None)


def suit_total(record: Record) -> Value:
    return strict_sum(
        [
            record.appeal_cell("suit_direct", "total"),
            record.appeal_cell("suit_after_review", "total"),
        ]
    )


def corrected_total(record: Record) -> Value:
    return strict_sum(
        [record.appeal_cell(g, "corrected") for g in ("review", "suit_direct", "suit_after_review")]
    )


def _total(row: str) -> Getter:
    return lambda record: record.request_total(row)


def _appeals(group: str) -> Getter:
    return lambda record: record.appeal_cell(group, "total")


# The main comparable series (sections 三 and 四 rows are the same in both editions).
MAIN_SERIES: tuple[tuple[str, Getter], ...] = (
    ("本年新收申请", _total("received")),
    ("办理结果总计", _total("handled_total")),
    ("予以公开", _total("granted")),
)
APPEAL_SERIES: tuple[tuple[str, Getter], ...] = (
    ("行政复议总计", _appeals("review")),
    ("行政诉讼总计", suit_total),
)
# Region and year sums: (key, label, getter).
SUM_ITEMS: tuple[tuple[str, str, Getter], ...] = (
    ("received", "本年新收申请", _total("received")),
    ("handled", "办理结果总计", _total("handled_total")),
    ("granted", "予以公开", _total("granted")),
    ("review", "行政复议总计", _appeals("review")),
    ("suit", "行政诉讼总计", suit_total),
)
# The agency page's table rows. Group rows sum the 总计 of their sub-rows.
KEY_FIGURES: tuple[tuple[str, Getter], ...] = (
    ("本年新收申请", _total("received")),
    ("上年结转", _total("carried_over")),
    ("予以公开", _total("granted")),
    ("部分公开", _total("partly_granted")),
    ("不予公开", lambda r: r.request_group_total("denied")),
    ("无法提供", lambda r: r.request_group_total("unable")),
    ("不予处理", lambda r: r.request_group_total("rejected")),
    ("其他处理", lambda r: r.request_group_total("other")),
    ("办理结果总计", _total("handled_total")),
    ("结转下年度", _total("carried_forward")),
    ("行政复议总计", _appeals("review")),
    ("行政诉讼总计（未经复议直接起诉）", _appeals("suit_direct")),
    ("行政诉讼总计（复议后起诉）", _appeals("suit_after_review")),
)


def _proactive(row: str, fields: Sequence[str]) -> Getter:
    """The first of `fields` the row has (制发 in 2021, 新制作 in 2019)."""

    def get(record: Record) -> Value:
        cells = record.proactive.row(row) if record.proactive is not None else None
        for f in fields:
            if cells is not None and f in cells:
                return cells.get(f)
        return None

    return get


# Section 二 differs between editions: the figures are charted per edition, never joined.
PROACTIVE_SERIES: tuple[tuple[str, Getter], ...] = (
    ("规范性文件（制发/新制作）", _proactive("normative_docs", ("issued", "made"))),
    ("行政许可决定", _proactive("licensing", ("decisions",))),
    ("行政处罚决定", _proactive("penalty", ("decisions",))),
    ("行政强制决定", _proactive("coercion", ("decisions",))),
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One result group (REQUEST_GROUPS) summed over a year's reports."""

    id: str
    label: str
    total: Value
    """The strict sum (None when a report left the group blank)."""
    missing: int
    """Reports that left it blank."""


def outcome_totals(records: Sequence[Record]) -> list[Outcome]:
    """Per result group (REQUEST_GROUPS): the strict sum and how many reports left it blank."""
    out = []
    for gid, label, _rows in REQUEST_GROUPS:
        values = [r.request_group_total(gid) for r in records]
        out.append(
            Outcome(
                gid, label.split("）")[-1], strict_sum(values), sum(1 for v in values if v is None)
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Sums:
    """SUM_ITEMS summed over some records, with the records that left each item blank."""

    values: dict[str, Value]
    missing: dict[str, list[Record]]

    def __getitem__(self, key: str) -> Value:
        return self.values[key]


def sums(records: Sequence[Record]) -> Sums:
    """{key: strict sum} over records for SUM_ITEMS, and the reports that left each blank."""
    values: dict[str, Value] = {}
    missing: dict[str, list[Record]] = {}
    for key, _label, get in SUM_ITEMS:
        got = [get(r) for r in records]
        values[key] = strict_sum(got)
        missing[key] = [r for r, v in zip(records, got, strict=True) if v is None]
    return Sums(values, missing)
