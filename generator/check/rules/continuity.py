"""T3-07: one agency's consecutive reports continue each other (format-and-rules.md §4 items 5-6).

Corpus rule: takes the records of one agency (see `generator.check.group_by_agency`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.check.access import (
    Observation,
    column_label,
    fail,
    listing,
    not_assessable,
    proactive_row_label,
    request_cell,
)
from generator.check.rule import SPEC, CorpusRule
from generator.model import Level, Record
from generator.model.tables import number
from generator.record import REQUEST_COLUMNS


def previous_year_pairs(group: Sequence[Record]) -> Iterator[tuple[Record, Record]]:
    """(record of year Y, record of year Y-1) for every such pair in the group."""
    by_year: dict[int, list[Record]] = {}
    for record in group:
        if record.year is not None:
            by_year.setdefault(record.year, []).append(record)
    for year in sorted(by_year):
        for previous in by_year.get(year - 1, ())[:1]:
            for record in by_year[year]:
                yield record, previous


def _carry_over(record: Record, previous: Record) -> Iterator[Observation]:
    if record.requests is None or previous.requests is None:
        return
    before = previous.year
    missing: list[str] = []
    for i, column in enumerate(REQUEST_COLUMNS):
        now = request_cell(record, "carried_over", i)
        then = request_cell(previous, "carried_forward", i)
        if now is None or then is None:
            missing.append(f"{column_label(i)}列")
            continue
        if now != then:
            yield fail(
                f"第三部分 {column_label(i)}列：本年“二、上年结转”={now}，与{before}年报告"
                f"“四、结转下年度继续办理”={then}不一致",
                f"requests.carried_over.{column}",
            )
    if missing:
        yield not_assessable(
            f"第三部分 与{before}年报告的结转数有空白单元格，无法核对：{listing(missing)}",
            "requests.carried_over",
        )


def _in_force(record: Record, previous: Record) -> Iterator[Observation]:
    """2021 edition: 现行有效(Y) = 现行有效(Y-1) + 本年制发(Y) - 本年废止(Y); plausibility, info."""
    if record.edition != "2021" or previous.edition != "2021":
        return
    for row in ("rules", "normative_docs"):
        now = record.proactive.row(row) if record.proactive is not None else None
        then = previous.proactive.row(row) if previous.proactive is not None else None
        issued, repealed, in_force = (
            number(now.get(f)) if now is not None else None
            for f in ("issued", "repealed", "in_force")
        )
        before = number(then.get("in_force")) if then is not None else None
        if issued is None or repealed is None or in_force is None or before is None:
            continue
        expected = before + issued - repealed
        if expected != in_force:
            yield fail(
                f"第二部分“{proactive_row_label(row, '2021')}”现行有效件数{in_force}，按上年"
                f"{before} + 本年制发{issued} − 本年废止{repealed}应为{expected}，请核对",
                f"proactive.{row}.in_force",
                level=Level.INFO,
            )


def carried_over_matches_previous(group: Sequence[Record]) -> Iterator[tuple[Record, Observation]]:
    """T3-07 (corpus)."""
    for record, previous in previous_year_pairs(group):
        for finding in (*_carry_over(record, previous), *_in_force(record, previous)):
            yield record, finding


RULES = (
    CorpusRule(
        id="T3-07",
        title="跨年度结转衔接",
        level=Level.WARNING,
        what="本年“上年结转”每列等于同一机关上一年报告的“结转下年度继续办理”；2021年版另核对现行有效件数=上年现行有效+本年制发−本年废止（提示）。",
        basis="由表格设计推断 [D]（" + SPEC + " §4 推论5、6）",
        certainty="D",
        check=carried_over_matches_previous,
    ),
)
