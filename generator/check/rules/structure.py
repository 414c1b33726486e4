"""STR rules: the six sections, their order, the three tables and the title (format-and-rules.md §1, §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.access import (
    TABLE_KEYS,
    TABLE_NAMES,
    Observation,
    fail,
    iter_cells,
    parse_warnings,
    section_name,
    section_text,
)
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, Record
from generator.record import SECTION_KEYS

TITLE_PATTERN = re.compile(r"(\d{4})\s*年(度)?\s*政府信息公开工作年度报告")
"""STR-04: the catalogue's title regex (§5)."""


def heading_found(record: Record, key: str) -> bool:
    """The parser saw this section's heading (parse.headings); without that list, its text."""
    where = f"sections.{key}"
    if any(
        w.where == where for w in parse_warnings(record, "section-by-content", "missing-section")
    ):
        return False
    found = record.parse.headings
    if found is None:
        return section_text(record, key) is not None
    return any(h.section == key for h in found)


def content_found(record: Record, key: str) -> bool:
    return bool(section_text(record, key)) or (key in TABLE_KEYS and record.table(key) is not None)


def sections_present(record: Record) -> Iterator[Observation]:
    """STR-01. A table section with neither heading nor table is STR-03's finding, not ours."""
    for key in SECTION_KEYS:
        if heading_found(record, key):
            continue
        where = f"sections.{key}"
        if content_found(record, key):
            yield fail(
                f"{section_name(key)}的标题未能识别（内容按正文或表格定位），请使用标准标题",
                where,
                level=Level.WARNING,
            )
        elif key not in TABLE_KEYS:
            yield fail(f"缺少{section_name(key)}：标题和内容均未找到", where)


def sections_in_order(record: Record) -> Iterator[Observation]:
    """STR-02: heading indices never decrease (a repeated heading, seed 001, is not disorder)."""
    highest = -1
    for heading in record.parse.headings or ():
        key = heading.section
        if key not in SECTION_KEYS:
            continue
        index = SECTION_KEYS.index(key)
        if index < highest:
            text = heading.text or section_name(key)
            yield fail(
                f"{section_name(key)}的标题“{text}”出现在{section_name(SECTION_KEYS[highest])}"
                "之后，六个部分应按一至六的顺序排列",
                f"sections.{key}",
                line=heading.line,
            )
        highest = max(highest, index)


def tables_present(record: Record) -> Iterator[Observation]:
    """STR-03: each of 二/三/四 has a table with at least one readable number."""
    for key in TABLE_KEYS:
        if record.table(key) is None:
            missing_heading = "" if content_found(record, key) else "，标题也未找到"
            yield fail(
                f"{section_name(key)}缺少表格（未找到可提取的数字{missing_heading}），"
                "请按统一格式填报该表",
                key,
            )
        elif all(value is None for _, _, value in iter_cells(record, key)):
            yield fail(f"{TABLE_NAMES[key]}没有任何可读取的数字（空白模板），请填写数字", key)


def title_standard(record: Record) -> Iterator[Observation]:
    """STR-04: title = agency + year + 政府信息公开工作年度报告."""
    title = record.title
    if title is None or not title.strip():
        yield fail("未找到报告标题，标题应为“机关名称+年份+政府信息公开工作年度报告”", "title")
        return
    match = TITLE_PATTERN.search(title)
    if match is None:
        yield fail(
            f"标题“{title.strip()}”不符合“机关名称+XXXX年政府信息公开工作年度报告”的格式", "title"
        )
    elif not re.sub(r"[\s#　]+", "", title[: match.start()]):
        yield fail(f"标题“{title.strip()}”未写明发布机关名称", "title")


RULES = (
    ReportRule(
        id="STR-01",
        title="六个部分齐全",
        level=Level.ERROR,
        what="一至六部分都在且标题可识别；缺失为错误，标题无法识别（按内容定位）为警告；二、三、四部分连表格也没有时由 STR-03 报告。",
        basis="《条例》第五十条（一）至（五）项；六部分结构见两版格式 [V]（" + SPEC + " §1、§5）",
        certainty="V",
        check=sections_present,
    ),
    ReportRule(
        id="STR-02",
        title="各部分顺序",
        level=Level.WARNING,
        what="各部分标题按一至六顺序出现（重复标题不算乱序）。",
        basis="两版格式的六部分顺序 [V]（" + SPEC + " §1）",
        certainty="V",
        check=sections_in_order,
    ),
    ReportRule(
        id="STR-03",
        title="三张表格齐全",
        level=Level.ERROR,
        what="第二、三、四部分各有一张能读出数字的表格。",
        basis="30号规定的表格格式 [V]（" + SPEC + " §2、§5）",
        certainty="V",
        check=tables_present,
    ),
    ReportRule(
        id="STR-04",
        title="标题规范",
        level=Level.WARNING,
        what="标题写明机关名称、年份和“政府信息公开工作年度报告”（正则 (\\d{4})年(度)?政府信息公开工作年度报告）。",
        basis="《条例》第四十九、五十条；“工作报告”写法曾被通报为不规范 [V]（" + SPEC + " §5、§6）",
        certainty="V",
        check=title_standard,
    ),
)
