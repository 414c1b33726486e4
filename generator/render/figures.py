"""Figures the portal pages sum or chart: null-aware sums and the main series of a record.

A sum with any null operand is None ("—" on the page), never a sum that counts null as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from generator.render.catalog import appeal_total, group_total, request_total

Getter = Callable[[dict[str, Any]], Any]


def strict_sum(values: Iterable[Any]) -> Any:
    """The sum, or None when any value is None (or there is none at all)."""
    items = list(values)
    if not items or any(v is None for v in items):
        return None
    return sum(items)


def suit_total(record: dict[str, Any]) -> Any:
    return strict_sum(
        [appeal_total(record, "suit_direct"), appeal_total(record, "suit_after_review")]
    )


def corrected_total(record: dict[str, Any]) -> Any:
    appeals = record.get("appeals") or {}
    return strict_sum(
        [
            (appeals.get(g) or {}).get("corrected")
            for g in ("review", "suit_direct", "suit_after_review")
        ]
    )


# The main comparable series (sections 三 and 四 rows are the same in both editions).
MAIN_SERIES: tuple[tuple[str, Getter], ...] = (
    ("本年新收申请", lambda r: request_total(r, "received")),
    ("办理结果总计", lambda r: request_total(r, "handled_total")),
    ("予以公开", lambda r: request_total(r, "granted")),
)
APPEAL_SERIES: tuple[tuple[str, Getter], ...] = (
    ("行政复议总计", lambda r: appeal_total(r, "review")),
    ("行政诉讼总计", suit_total),
)
# Region and year sums: (key, label, getter).
SUM_ITEMS: tuple[tuple[str, str, Getter], ...] = (
    ("received", "本年新收申请", lambda r: request_total(r, "received")),
    ("handled", "办理结果总计", lambda r: request_total(r, "handled_total")),
    ("granted", "予以公开", lambda r: request_total(r, "granted")),
    ("review", "行政复议总计", lambda r: appeal_total(r, "review")),
    ("suit", "行政诉讼总计", suit_total),
)


def _proactive(row: str, fields: Sequence[str]) -> Getter:
    def get(record: dict[str, Any]) -> Any:
        values = (record.get("proactive") or {}).get(row) or {}
        for f in fields:
            if f in values:
                return values[f]
        return None

    return get


# Section 二 differs between editions: the figures are charted per edition, never joined.
PROACTIVE_SERIES: tuple[tuple[str, Getter], ...] = (
    ("规范性文件（制发/新制作）", _proactive("normative_docs", ("issued", "made"))),
    ("行政许可决定", _proactive("licensing", ("decisions",))),
    ("行政处罚决定", _proactive("penalty", ("decisions",))),
    ("行政强制决定", _proactive("coercion", ("decisions",))),
)


def outcome_totals(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per result group (REQUEST_GROUPS): the strict sum and how many reports left it blank."""
    from generator.record import REQUEST_GROUPS

    out = []
    for gid, label, _rows in REQUEST_GROUPS:
        values = [group_total(r, gid) for r in records]
        out.append(
            {
                "id": gid,
                "label": label.split("）")[-1],
                "total": strict_sum(values),
                "missing": sum(1 for v in values if v is None),
            }
        )
    return out


def sums(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """{key: strict sum} over records for SUM_ITEMS, plus the reports that left each blank."""
    out: dict[str, Any] = {}
    for key, _label, get in SUM_ITEMS:
        values = [get(r) for r in records]
        out[key] = strict_sum(values)
        out[f"{key}_missing"] = [r for r, v in zip(records, values, strict=True) if v is None]
    return out
