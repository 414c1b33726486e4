"""The rule catalogue of format-and-rules.md §5: the table of contents of the rule modules.

Each module in generator/check/rules/ declares its rules (`RULES`) next to the functions that
implement them. Here they are put in catalogue order: by family as §5 lists them, then by
number (T3-07, a corpus rule in continuity.py, sits between T3-06 and T3-08). Adding a rule
to an existing family is an edit of its module only (docs/contract.md, "Adding a rule").
"""

from __future__ import annotations

from generator.check.rule import Rule
from generator.check.rules import (
    appeals_table,
    artefacts,
    continuity,
    edition,
    metadata,
    narrative,
    narrative_numbers,
    proactive_table,
    requests_table,
    similarity,
    structure,
)

FAMILIES = {
    "STR": "报告结构",
    "ED": "表格格式版本",
    "T3": "第三部分表格（依申请公开）",
    "T4": "第四部分表格（行政复议、行政诉讼）",
    "T2": "第二部分表格（主动公开）",
    "TX": "正文内容",
    "MD": "发布时间与基本信息",
    "PR": "文本预处理",
}
"""Rule families (the id prefixes of §5) in catalogue order, with their names on the pages."""


def _catalogue_order(rule: Rule) -> tuple[int, int]:
    family, number = rule.id.split("-")
    return list(FAMILIES).index(family), int(number)


RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *structure.RULES,
            *edition.RULES,
            *requests_table.RULES,
            *continuity.RULES,
            *appeals_table.RULES,
            *proactive_table.RULES,
            *narrative_numbers.RULES,
            *narrative.RULES,
            *similarity.RULES,
            *metadata.RULES,
            *artefacts.RULES,
        ),
        key=_catalogue_order,
    )
)
