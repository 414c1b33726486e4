"""T4 rules on the 第四部分 table: the three 总计 identities and the 15 cells (§2.6, §4)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.access import Observation, fail, listing, not_assessable
from generator.check.rule import SPEC, ReportRule
from generator.check.rules.requests_table import bad_values, blank_cells, describe_blanks
from generator.model import Level, Record
from generator.model.tables import count
from generator.record import APPEAL_FIELD_LABELS, APPEAL_FIELDS, APPEAL_GROUPS

PARTS = APPEAL_FIELDS[:-1]
"""结果维持, 结果纠正, 其他结果, 尚未审结: their sum is the group's 总计."""
GROUP_LABELS = dict(APPEAL_GROUPS)


def totals_add_up(record: Record) -> Iterator[Observation]:
    """T4-01: total = upheld + corrected + other + pending, for each of the three groups."""
    appeals = record.appeals
    if appeals is None:
        return
    missing: list[str] = []
    for group, label in APPEAL_GROUPS:
        values = [count(value) for value in appeals.group(group).values()]
        if None in values:
            missing += [
                f"{label}·{APPEAL_FIELD_LABELS[f]}"
                for f, v in zip(APPEAL_FIELDS, values, strict=True)
                if v is None
            ]
            continue
        parts = sum(v for v in values[:-1] if v is not None)
        if parts != values[-1]:
            yield fail(
                f"第四部分 {label}：结果维持+结果纠正+其他结果+尚未审结={parts}，"
                f"总计={values[-1]}，不相等",
                f"appeals.{group}.total",
            )
    if missing:
        yield not_assessable(f"第四部分 有空白单元格，总计无法核对：{listing(missing)}", "appeals")


def cells_filled(record: Record) -> Iterator[Observation]:
    """T4-02: blank cells W (one per group), values that are not integers >= 0 E."""
    if record.appeals is None:
        return
    for group_where, fields in blank_cells(record, "appeals").items():
        label = GROUP_LABELS[group_where.split(".")[1]]
        yield fail(
            f"第四部分 {label}：{len(fields)}个单元格空白"
            f"（{describe_blanks(fields, APPEAL_FIELD_LABELS)}）；"
            "没有案件请填0",
            group_where,
        )
    for where, message in sorted(bad_values(record, "appeals").items()):
        yield fail(f"第四部分 {message}", where, level=Level.ERROR)


RULES = (
    ReportRule(
        id="T4-01",
        title="复议诉讼合计",
        level=Level.ERROR,
        what="第四部分三组各自：总计=结果维持+结果纠正+其他结果+尚未审结。",
        basis="由表格设计推断 [D]（" + SPEC + " §4 推论3）",
        certainty="D",
        check=totals_add_up,
    ),
    ReportRule(
        id="T4-02",
        title="复议诉讼表格填写完整",
        level=Level.WARNING,
        what="第四部分15个单元格都填写非负整数：空白为警告，非法数值为错误。",
        basis="推断 [D]；样本000行政复议栏空白 [S]（" + SPEC + " §5）",
        certainty="D",
        check=cells_filled,
    ),
)
