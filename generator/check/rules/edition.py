"""ED rules: the table edition fits the year, is not a hybrid, and has exactly its rows (§1, §2)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.access import (
    Observation,
    fail,
    not_assessable,
    parse_warnings,
    proactive_row_label,
    request_row_label,
)
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, Record
from generator.record import PROACTIVE_2019, PROACTIVE_2021, proactive_rows, request_rows

EDITION_NAMES = {
    "2019": "2019年版格式（国办公开办函〔2019〕60号）",
    "2021": "2021年版格式（国办公开办函〔2021〕30号）",
}
LAST_2019_YEAR = 2020
"""Reports on 2019 and 2020 use the 2019 edition; 2021 on, the 2021 edition (§1)."""

OTHER_ROWS = {"other", "other_no_correction", "other_unpaid_fee", "other_misc"}
"""（六）其他处理 rows: their shape is T3-06's business, not ED-03's."""


def edition_matches_year(record: Record) -> Iterator[Observation]:
    """ED-01."""
    year, edition = record.year, record.edition
    if year is None:
        yield not_assessable("报告年度未知，无法核对表格版本", "year")
        return
    if edition is None:
        yield not_assessable(
            "未能识别表格版本（未找到版本特征），无法核对是否按年度选用格式", "edition"
        )
        return
    expected = "2019" if year <= LAST_2019_YEAR else "2021"
    if edition != expected:
        yield fail(
            f"{year}年度报告应使用{EDITION_NAMES[expected]}，实际使用{EDITION_NAMES[edition]}",
            "edition",
        )


def no_hybrid(record: Record) -> Iterator[Observation]:
    """ED-02: tokens of both editions (parse.fingerprint) or the parser's mixed-edition warning."""
    fingerprint = record.parse.fingerprint
    old, new = fingerprint.edition_2019, fingerprint.edition_2021
    warnings = parse_warnings(record, "mixed-edition")
    if old and new:
        yield fail(
            f"表格混用两版格式：2019年版特征“{'、'.join(old)}”与"
            f"2021年版特征“{'、'.join(new)}”同时出现，请统一使用一版格式",
            warnings[0].where if warnings else None,
        )
    elif warnings:
        text = warnings[0].message or warnings[0].text or ""
        yield fail(
            f"表格混用两版格式{('：' + text) if text else ''}，请统一使用一版格式",
            warnings[0].where,
        )


def rows_match_edition(record: Record) -> Iterator[Observation]:
    """ED-03: missing rows E (from missing-row warnings and absent keys), extra rows W."""
    edition = record.table_edition
    if edition is None:
        return
    name = EDITION_NAMES[edition]
    reported: set[str] = set()
    for warning in parse_warnings(record, "missing-row"):
        where = warning.where or ""
        if where.split(".")[-1] in OTHER_ROWS:
            continue
        reported.add(where)
        label = warning.text or where
        yield fail(f"缺少{name}规定的行：{label}", where or None)
    for warning in parse_warnings(record, "extra-row"):
        yield fail(
            f"多出{name}没有的行“{warning.text or ''}”，请删除或并入标准行",
            warning.where,
            level=Level.WARNING,
        )

    requests = record.requests
    if requests is not None:
        for row, _ in request_rows(edition):
            where = f"requests.{row}"
            if row not in OTHER_ROWS and row not in requests and where not in reported:
                yield fail(f"第三部分表格缺少{name}规定的行“{request_row_label(row)}”", where)
    proactive = record.proactive
    if proactive is not None:
        expected = {row for row, _, _ in proactive_rows(edition)}
        for row, label, _ in proactive_rows(edition):
            where = f"proactive.{row}"
            if row not in proactive and where not in reported:
                yield fail(f"第二部分表格缺少{name}规定的行“{label}”", where)
        other_edition = PROACTIVE_2019 if edition == "2021" else PROACTIVE_2021
        foreign = {row: label for row, label, _ in other_edition}
        for found in proactive:
            if found.key not in expected:
                label = foreign.get(found.key, proactive_row_label(found.key, edition))
                yield fail(
                    f"第二部分表格有{name}没有的行“{label}”",
                    f"proactive.{found.key}",
                    level=Level.WARNING,
                )


RULES = (
    ReportRule(
        id="ED-01",
        title="格式版本与年度相符",
        level=Level.ERROR,
        what="2020年及以前的年报用2019年版格式，2021年起用2021年版格式。",
        basis="国办公开办函〔2019〕60号、〔2021〕30号及地方通知 [V]（" + SPEC + " §1）",
        certainty="V",
        check=edition_matches_year,
    ),
    ReportRule(
        id="ED-02",
        title="不混用两版格式",
        level=Level.WARNING,
        what="表格中不同时出现两版格式的特征栏目（如本年制发件数与政府集中采购）。",
        basis="由两版格式的差异推断 [D]（" + SPEC + " §1、§5）",
        certainty="D",
        check=no_hybrid,
    ),
    ReportRule(
        id="ED-03",
        title="行与栏目完整",
        level=Level.ERROR,
        what="表格的行与所用版本一致：缺行为错误，多出的行为警告。",
        basis="两版格式的表格行 [V]（" + SPEC + " §2）",
        certainty="V",
        check=rows_match_edition,
    ),
)
