"""T2 rules on the 第二部分 table: value types per edition and plausibility (§2.1, §2.2, §4)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.access import (
    BAD_VALUE_CODES,
    Observation,
    fail,
    iter_cells,
    parse_warnings,
    proactive_row_label,
)
from generator.check.agency import county_or_below, has_rule_making_power
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, Record
from generator.model.tables import number
from generator.record import MONEY_FIELDS

FEE_CEILING_WAN = 10000
"""T2-02: 1 亿元 of 行政事业性收费 at county level or below suggests 元 written as 万元 [D]."""


def _value_problems(record: Record, allow_negative: set[str]) -> Iterator[Observation]:
    """Cells that are not integers >= 0 (money: numbers >= 0); `allow_negative` field names."""
    reported: set[str] = set()
    for warning in parse_warnings(record, *BAD_VALUE_CODES, under="proactive"):
        where = warning.where or "proactive"
        if warning.code == "negative-number" and where.rsplit(".", 1)[-1] in allow_negative:
            continue
        reported.add(where)
        yield fail(f"第二部分 {where}：“{warning.text}”不是有效的非负数", where)
    for where, label, value in iter_cells(record, "proactive"):
        if value is None or where in reported:
            continue
        _, row, field = where.split(".")
        money = (row, field) in MONEY_FIELDS
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (not money and not isinstance(value, int))
        ):
            kind = "数字" if money else "整数"
            yield fail(f"第二部分 {label}：“{value}”不是{kind}", where)
        elif value < 0 and field not in allow_negative:
            yield fail(f"第二部分 {label}：{value} 为负数，只有2019年版“本年增/减”可为负", where)


def values_valid_2021(record: Record) -> Iterator[Observation]:
    """T2-01: counts are integers >= 0; 行政事业性收费 a decimal >= 0 (万元)."""
    if record.table_edition == "2021":
        yield from _value_problems(record, allow_negative=set())


def fee_unit_plausible(record: Record) -> Iterator[Observation]:
    """T2-02: a 元 suffix in the 万元 cell, or >= 10000 万元 for a county/township body."""
    if record.table_edition != "2021":
        return
    where = "proactive.fees.amount"
    for warning in parse_warnings(record, "unit-suffix", under=where):
        yield fail(
            f"第二部分“行政事业性收费”金额写作“{warning.text}”，表头单位为万元，"
            "请确认是否把元当作万元填报",
            where,
        )
    amount = number(record.proactive_cell("fees", "amount"))
    if amount is not None and amount >= FEE_CEILING_WAN and county_or_below(record):
        yield fail(
            f"第二部分“行政事业性收费”本年收费金额为{amount}万元，对县级及以下机关偏大，"
            "请确认单位是否为万元",
            where,
        )


def negatives_only_in_change(record: Record) -> Iterator[Observation]:
    """T2-03 (2019): only 本年增/减 may be negative."""
    if record.table_edition == "2019":
        yield from _value_problems(record, allow_negative={"change"})


def issued_within_in_force(record: Record) -> Iterator[Observation]:
    """T2-04 (2021): 本年制发件数 <= 现行有效件数 + 本年废止件数."""
    if record.table_edition != "2021":
        return
    for row in ("rules", "normative_docs"):
        issued, repealed, in_force = (
            number(record.proactive_cell(row, f)) for f in ("issued", "repealed", "in_force")
        )
        if issued is None or repealed is None or in_force is None:
            continue
        if issued > in_force + repealed:
            yield fail(
                f"第二部分“{proactive_row_label(row, '2021')}”：本年制发件数{issued}大于"
                f"现行有效件数{in_force}（本年废止件数{repealed}），请核对",
                f"proactive.{row}.in_force",
            )


def published_within_total(record: Record) -> Iterator[Observation]:
    """T2-05 (2019): 本年新公开数量 <= 对外公开总数量."""
    if record.table_edition != "2019":
        return
    for row in ("rules", "normative_docs"):
        published = number(record.proactive_cell(row, "published"))
        total = number(record.proactive_cell(row, "total_published"))
        if published is not None and total is not None and published > total:
            yield fail(
                f"第二部分“{proactive_row_label(row, '2019')}”：本年新公开数量{published}"
                f"大于对外公开总数量{total}，请核对",
                f"proactive.{row}.total_published",
            )


def rules_row_needs_power(record: Record) -> Iterator[Observation]:
    """T2-06: a non-zero 规章 row from a body without rule-making power."""
    edition = record.table_edition
    if edition is None or has_rule_making_power(record) is not False:
        return
    fields = (
        ("made", "published", "total_published")
        if edition == "2019"
        else ("issued", "repealed", "in_force")
    )
    nonzero = {f: v for f in fields if (v := number(record.proactive_cell("rules", f)))}
    if nonzero:
        yield fail(
            "第二部分“规章”行不为0，但只有国务院部门和省级、设区的市、自治州人民政府"
            "可以制定规章，请核对是否应填入“规范性文件”行",
            "proactive.rules",
        )


RULES = (
    ReportRule(
        id="T2-01",
        title="第二部分数值合法（2021年版）",
        level=Level.ERROR,
        what="2021年版第二部分件数为非负整数，行政事业性收费为以万元计的非负数。",
        basis="表头“本年收费金额（单位：万元）”[V]（" + SPEC + " §2.1、§4）",
        certainty="V",
        check=values_valid_2021,
    ),
    ReportRule(
        id="T2-02",
        title="收费金额单位",
        level=Level.INFO,
        what="2021年版行政事业性收费带“元”后缀，或县级及以下机关填报≥10000万元，疑为单位错误。",
        basis="推断 [D]；实例“251000元”[V]（" + SPEC + " §4、§5）",
        certainty="D",
        check=fee_unit_plausible,
    ),
    ReportRule(
        id="T2-03",
        title="负数只见于本年增/减（2019年版）",
        level=Level.ERROR,
        what="2019年版第二部分只有“本年增/减”可以为负数。",
        basis="湖北注释：“减用负值表示，如-8”[V]（" + SPEC + " §2.2、§4）",
        certainty="V",
        check=negatives_only_in_change,
    ),
    ReportRule(
        id="T2-04",
        title="制发件数与现行有效件数",
        level=Level.INFO,
        what="2021年版：本年制发件数不大于现行有效件数（加本年废止件数）。",
        basis="推断 [D]；样本002制发1、现行有效0 [S]（" + SPEC + " §5）",
        certainty="D",
        check=issued_within_in_force,
    ),
    ReportRule(
        id="T2-05",
        title="新公开数量与公开总数（2019年版）",
        level=Level.INFO,
        what="2019年版：本年新公开数量不大于对外公开总数量。",
        basis="推断 [D]（" + SPEC + " §5）",
        certainty="D",
        check=published_within_total,
    ),
    ReportRule(
        id="T2-06",
        title="规章行与制定权限",
        level=Level.INFO,
        what="规章行不为0时，机关应有规章制定权（国务院部门，省级、设区的市、自治州人民政府）；按名称判断。",
        basis="湖北注释：规章“设区的市、自治州人民政府应提供相关数据”[V]（" + SPEC + " §2.2）",
        certainty="V",
        check=rules_row_needs_power,
    ),
)
