"""Key paths as readers name them: `requests.other_unpaid_fee.natural_person` ->
"第三部分（六）2. 申请人逾期未按收费通知要求缴纳费用 · 自然人".

Pages never show a key path or a warning code; they show the official format's own names of
the part, the row and the column (format-and-rules.md §2), in the report's edition.
"""

from __future__ import annotations

import re

from generator.record import (
    APPEAL_FIELD_LABELS,
    APPEAL_GROUPS,
    PROACTIVE_FIELD_LABELS,
    REQUEST_COLUMN_LABELS,
    REQUEST_GROUPS,
    SECTION_NUMERALS,
    SECTION_TITLES,
    proactive_rows,
    request_rows,
)

PART = {"proactive": "第二部分", "requests": "第三部分", "appeals": "第四部分"}
TABLE_NAMES = {"proactive": "第二部分表格", "requests": "第三部分表格", "appeals": "第四部分表格"}
FACTS = {
    "title": "标题",
    "year": "年度",
    "edition": "格式版本",
    "published": "发布日期（落款）",
    "agency": "机关名称",
    "agency.name": "机关名称",
    "period": "统计期限",
    "period.start": "统计期限起始日",
    "period.end": "统计期限截止日",
}
PROACTIVE_BLOCKS = {
    "rules": "第二十条第（一）项",
    "normative_docs": "第二十条第（一）项",
    "licensing": "第二十条第（五）项",
    "other_services": "第二十条第（五）项",
    "penalty": "第二十条第（六）项",
    "coercion": "第二十条第（六）项",
    "fees": "第二十条第（八）项",
    "procurement": "第二十条第（九）项",
}
FIELD_NAMES = {**PROACTIVE_FIELD_LABELS, "amount": "金额"}
MONEY_NAMES = {"fees": "本年收费金额（万元）", "procurement": "采购总金额"}
NUMBERED = re.compile(r"^(?:[一二三四]、|（[一二三四五六七]）)")


def request_row_name(row: str, edition: str | None) -> str:
    """（六）2. 申请人逾期未按收费通知要求缴纳费用, as the table prints it: a sub-row with its
    group's numeral, the long （六） labels without their closing clause."""
    labels = {
        **dict(request_rows("2019")),
        **dict(request_rows("2021")),
        **dict(request_rows(edition)),
    }
    label = labels.get(row, row)
    if NUMBERED.match(label):
        return label
    group = next((g for _, g, rows in REQUEST_GROUPS if row in rows), "")
    label = label.split("、行政机关不再处理")[0]
    number, _, rest = label.partition(".")
    return f"{group[:3]}{number}. {rest}" if rest else f"{group[:3]}{label}"


def place_name(where: str | None, edition: str | None = None) -> str | None:
    """The official name of the place a finding, warning or correction is about; None when
    it names none. Unknown paths come back as a plain phrase, never as the path itself."""
    if not where:
        return None
    if where in FACTS:
        return FACTS[where]
    parts = where.split(".")
    head = parts[0]
    if head == "sections" and len(parts) == 2 and parts[1] in SECTION_TITLES:
        return f"第{SECTION_NUMERALS[parts[1]]}部分“{SECTION_TITLES[parts[1]][2:]}”"
    if head not in PART:
        return "报告"
    if len(parts) == 1:
        return TABLE_NAMES[head]
    row = parts[1]
    if head == "requests":
        name = f"{PART[head]}{request_row_name(row, edition)}"
        if len(parts) > 2:
            name += f" · {REQUEST_COLUMN_LABELS.get(parts[2], '')}"
        return name
    if head == "proactive":
        labels = {key: label for key, label, _ in proactive_rows(edition)}
        labels.update({key: label for key, label, _ in proactive_rows("2019") if key not in labels})
        name = f"{PART[head]}{PROACTIVE_BLOCKS.get(row, '')} {labels.get(row, '')}".rstrip()
        if len(parts) > 2:
            field = MONEY_NAMES[row] if parts[2] == "amount" and row in MONEY_NAMES else None
            name += f" · {field or FIELD_NAMES.get(parts[2], '')}"
        return name
    groups = dict(APPEAL_GROUPS)
    name = f"{PART[head]} {groups.get(row, '')}".rstrip()
    if len(parts) > 2:
        name += f" · {APPEAL_FIELD_LABELS.get(parts[2], '')}"
    return name
