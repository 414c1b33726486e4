"""T3 rules on the 第三部分 table: identities, cell values, the （六） rows, fees (§2.3-2.5, §4).

Identities are evaluated per column / row with tolerance 0. An identity with a null operand
is not evaluated; the rule reports one not-assessable finding naming the missing cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.access import (
    BAD_VALUE_CODES,
    UNREAD_CODES,
    Observation,
    cell_text,
    column_label,
    fail,
    iter_cells,
    listing,
    missing_cells,
    not_assessable,
    parse_warnings,
    request_cell,
    request_row_label,
    section_text,
)
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, Record
from generator.record import REQUEST_COLUMN_LABELS, REQUEST_COLUMNS, request_rows, result_rows

LEDGER = ("received", "carried_over", "handled_total", "carried_forward")
FEE_MENTION = re.compile(r"信息处理费|109号")


def ledger_balances(record: Record) -> Iterator[Observation]:
    """T3-01: 第一项 + 第二项 = 第三项（七）总计 + 第四项, each of the 7 columns."""
    if record.requests is None:
        return
    missing: list[tuple[str, int]] = []
    for i, column in enumerate(REQUEST_COLUMNS):
        values = [request_cell(record, row, i) for row in LEDGER]
        if None in values:
            missing += [(row, i) for row, v in zip(LEDGER, values, strict=True) if v is None]
            continue
        received, carried_over, handled, forward = (v for v in values if v is not None)
        if received + carried_over != handled + forward:
            yield fail(
                f"第三部分 {column_label(i)}列：第一项+第二项={received + carried_over}，"
                f"第三项（七）总计+第四项={handled + forward}，不相等",
                f"requests.received.{column}",
            )
    if missing:
        yield not_assessable(
            f"第三部分 勾稽关系（第一项+第二项=第三项+第四项）有空白单元格，"
            f"无法核对：{missing_cells(missing)}",
            "requests",
        )


def results_add_up(record: Record) -> Iterator[Observation]:
    """T3-02: （七）总计 = sum of the edition's result rows (2019: the single （六）其他处理)."""
    if record.requests is None:
        return
    rows = result_rows(record.table_edition)
    missing: list[tuple[str, int]] = []
    for i, column in enumerate(REQUEST_COLUMNS):
        total = request_cell(record, "handled_total", i)
        parts = [request_cell(record, row, i) for row in rows]
        if total is None or None in parts:
            missing += [
                (row, i)
                for row, v in zip(("handled_total", *rows), (total, *parts), strict=True)
                if v is None
            ]
            continue
        found = sum(v for v in parts if v is not None)
        if found != total:
            yield fail(
                f"第三部分 {column_label(i)}列：（七）总计={total}，"
                f"（一）至（六）各项之和={found}，不相等",
                f"requests.handled_total.{column}",
            )
    if missing:
        yield not_assessable(
            f"第三部分 （七）总计与各办理结果之和有空白单元格，无法核对：{missing_cells(missing)}",
            "requests.handled_total",
        )


def columns_add_up(record: Record) -> Iterator[Observation]:
    """T3-03: 总计列 = the six applicant columns, every row."""
    requests = record.requests
    if requests is None:
        return
    missing: list[str] = []
    for row, _ in request_rows(record.table_edition):
        if row not in requests:
            continue
        values = [request_cell(record, row, i) for i in range(len(REQUEST_COLUMNS))]
        if None in values:
            missing.append(f"“{request_row_label(row)}”")
            continue
        parts = sum(v for v in values[:-1] if v is not None)
        if parts != values[-1]:
            yield fail(
                f"第三部分“{request_row_label(row)}”行：六类申请人之和={parts}，"
                f"总计列={values[-1]}，不相等",
                f"requests.{row}.total",
            )
    if missing:
        yield not_assessable(
            f"第三部分 以下行有空白单元格，总计列无法核对：{listing(missing)}", "requests"
        )


def bad_values(record: Record, table: str, allow_negative: bool = False) -> dict[str, str]:
    """where -> message for cells that are not non-negative integers (warnings, then values)."""
    problems: dict[str, str] = {}
    labels = {where: label for where, label, _ in iter_cells(record, table)}
    for warning in parse_warnings(record, *BAD_VALUE_CODES, under=table):
        where = warning.where or table
        if allow_negative and warning.code == "negative-number":
            continue
        text = warning.text
        problems.setdefault(
            where,
            f"{labels.get(where, where)}：“{text}”不是非负整数"
            if text is not None
            else f"{labels.get(where, where)}不是非负整数",
        )
    for where, label, value in iter_cells(record, table):
        if value is None or where in problems:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems[where] = f"{label}：“{value}”不是整数"
        elif value < 0 and not allow_negative:
            problems[where] = f"{label}：{value} 为负数，件数不能为负"
    return problems


def counts_are_integers(record: Record) -> Iterator[Observation]:
    """T3-04."""
    for where, message in sorted(bad_values(record, "requests").items()):
        yield fail(f"第三部分{message}", where)


def blank_cells(record: Record, table: str) -> dict[str, list[tuple[str, str | None]]]:
    """Row/group where -> (column or field key, raw text) of blank or placeholder cells.

    Cells nulled for a bad value (T3-04/T4-02), that OCR could not confirm (our reading, not
    the report's blank) or inside a lost row (ED-03) are left out.
    """
    codes = (*BAD_VALUE_CODES, *UNREAD_CODES)
    skip = {str(w.where) for w in parse_warnings(record, *codes, under=table)}
    lost_rows = {str(w.where) for w in parse_warnings(record, "missing-row", under=table)}
    rows: dict[str, list[tuple[str, str | None]]] = {}
    for where, _, value in iter_cells(record, table):
        row, key = where.rsplit(".", 1)
        if value is None and where not in skip and row not in lost_rows:
            rows.setdefault(row, []).append((key, cell_text(record, where)))
    return rows


def describe_blanks(cells: list[tuple[str, str | None]], labels: dict[str, str]) -> str:
    """自然人（“/”）、总计: which cells are blank, with the placeholder text when there was one."""
    return listing(
        f"{labels.get(key, key)}（“{text}”）" if text else labels.get(key, key)
        for key, text in cells
    )


def no_blank_cells(record: Record) -> Iterator[Observation]:
    """T3-05: blank or placeholder cells, one finding per row."""
    for row_where, cells in blank_cells(record, "requests").items():
        row = row_where.split(".")[1]
        yield fail(
            f"第三部分“{request_row_label(row)}”行有{len(cells)}个单元格空白或为占位符"
            f"（{describe_blanks(cells, REQUEST_COLUMN_LABELS)}）；空白不等于0，没有申请请填0",
            row_where,
        )


def other_rows_shape(record: Record) -> Iterator[Observation]:
    """T3-06: 2021 has three （六） sub-rows, 2019 one （六）其他处理 row."""
    requests, edition = record.requests, record.edition
    if requests is None or edition is None:
        return
    subrows = ("other_no_correction", "other_unpaid_fee", "other_misc")
    if edition == "2021":
        absent = [request_row_label(r) for r in subrows if r not in requests]
        if absent:
            yield fail(
                f"2021年版“（六）其他处理”应有3个子项，缺少：{listing(absent)}",
                "requests.other_misc",
            )
        if "other" in requests:
            yield fail("2021年版“（六）其他处理”应分3个子项填报，不应为单行", "requests.other")
    else:
        if "other" not in requests:
            yield fail("2019年版“（六）其他处理”应为单行，表中未找到该行", "requests.other")
        extra = [request_row_label(r) for r in subrows if r in requests]
        if extra:
            yield fail(
                f"2019年版“（六）其他处理”不分子项，表中有：{listing(extra)}", "requests.other_misc"
            )


def unpaid_fee_explained(record: Record) -> Iterator[Observation]:
    """T3-08: applications dropped for unpaid fees imply 信息处理费 was charged: say so in §六."""
    values = [request_cell(record, "other_unpaid_fee", i) for i in range(len(REQUEST_COLUMNS))]
    count = values[-1] if values[-1] is not None else max((v for v in values if v), default=0)
    if not count or count <= 0:
        return
    if not FEE_MENTION.search(section_text(record, "other") or ""):
        yield fail(
            f"第三部分“{request_row_label('other_unpaid_fee')}”为{count}件，"
            "但第六部分未说明信息处理费的收取情况",
            "sections.other",
        )


RULES = (
    ReportRule(
        id="T3-01",
        title="申请数勾稽关系",
        level=Level.ERROR,
        what="第三部分每一列：第一项+第二项=第三项（七）总计+第四项，容差0。",
        basis="表头原文：“（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）”[V]（两版格式第三部分表头，"
        + SPEC
        + " §2.3、§4）",
        certainty="V",
        check=ledger_balances,
    ),
    ReportRule(
        id="T3-02",
        title="办理结果合计",
        level=Level.ERROR,
        what="第三部分每一列：（七）总计=（一）至（六）各项之和（2019年版（六）为单行）。",
        basis="“区分处理的，只计这一情形，不计其他情形”，每件申请只计入一种结果；由表格设计推断 [D]（"
        + SPEC
        + " §4 推论1）",
        certainty="D",
        check=results_add_up,
    ),
    ReportRule(
        id="T3-03",
        title="申请人合计",
        level=Level.ERROR,
        what="第三部分每一行：总计列=六类申请人之和。",
        basis="由表格设计推断 [D]（" + SPEC + " §4 推论2）",
        certainty="D",
        check=columns_add_up,
    ),
    ReportRule(
        id="T3-04",
        title="件数为非负整数",
        level=Level.ERROR,
        what="第三部分每个单元格是非负整数。",
        basis="由表格设计推断 [D]（" + SPEC + " §4 推论4）",
        certainty="D",
        check=counts_are_integers,
    ),
    ReportRule(
        id="T3-05",
        title="无空白单元格",
        level=Level.WARNING,
        what="第三部分没有空白或占位符（/、-、—、无）单元格；空白不等于0，相关勾稽关系无法核对。",
        basis="实践中常见空白表格 [V]（熊县、岳阳南湖等年报，" + SPEC + " §4）",
        certainty="V",
        check=no_blank_cells,
    ),
    ReportRule(
        id="T3-06",
        title="（六）其他处理的行数",
        level=Level.ERROR,
        what="2021年版（六）其他处理分3个子项，2019年版为单行。",
        basis="两版格式第三部分 [V]（" + SPEC + " §2.4、§2.5）",
        certainty="V",
        check=other_rows_shape,
    ),
    ReportRule(
        id="T3-08",
        title="逾期未缴费须说明信息处理费",
        level=Level.WARNING,
        what="（六）2.逾期未缴纳费用的申请数大于0时，第六部分应提到信息处理费。",
        basis="推断 [D]；《政府信息公开信息处理费管理办法》国办函〔2020〕109号 [V]（"
        + SPEC
        + " §3、§5）",
        certainty="D",
        check=unpaid_fee_explained,
    ),
)
