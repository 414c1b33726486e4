"""Agency type and level from the title and agency name (MD-04), for MD-01, TX-03, T2-02, T2-06.

Heuristics from format-and-rules.md §5 MD-04: `人民政府` without 办公室/办/局/委 is the
government's own report; 乡/镇/街道 is a township; everything else is a department. A
"XX区政府办" report is the 办公室's own report, a department (§7; seed 001).
"""

from __future__ import annotations

import re

from generator.model import Record

GOVERNMENT = "government"
DEPARTMENT = "department"
TOWNSHIP = "township"
TYPE_LABELS = {
    GOVERNMENT: "人民政府本级",
    DEPARTMENT: "政府部门（含政府办公室）",
    TOWNSHIP: "乡镇/街道",
}

# The reporting body is the township itself (not a 城乡建设局 that merely contains 乡).
_TOWNSHIP = re.compile(r"(乡|镇|街道)(人民政府|政府|办事处|党政办公室|办公室)?$")
# The government's own report: ends in (人民)政府, or is a bare place name (尖山区, seed 004).
_GOVERNMENT = re.compile(r"(人民政府|政府)$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(省|自治区|市|自治州|州|盟|地区|县|自治县|旗|区)$")
_TITLE_YEAR = re.compile(r"(19|20)\d{2}\s*年")
# Below the level of a 设区的市: no rule-making power (T2-06) and small fee budgets (T2-02).
_COUNTY_OR_BELOW = re.compile(r"(县|旗|(?<!自治)区|乡|镇|街道)")
_NATIONAL = re.compile(r"^(国务院|国家|中华人民共和国)")


def _clean(text: str) -> str:
    return re.sub(r"[\s#　]+", "", text)


def title_agency(record: Record) -> str | None:
    """The part of the title before the year: 伊美区人民政府 in "伊美区人民政府 2021 年…"."""
    title = record.title
    if title is None:
        return None
    match = _TITLE_YEAR.search(title)
    name = _clean(title[: match.start()] if match else "")
    return name or None


def classify_name(name: str) -> str:
    name = _clean(name)
    if _TOWNSHIP.search(name):
        return TOWNSHIP
    if _GOVERNMENT.search(name) or _PLACE.match(name):
        return GOVERNMENT
    return DEPARTMENT


def agency_names(record: Record) -> list[str]:
    """Agency name from the record, then from the title; both when they differ."""
    names = [record.agency.name, title_agency(record)]
    return list(dict.fromkeys(_clean(n) for n in names if n is not None and _clean(n)))


def agency_type(record: Record) -> str | None:
    """government, department or township; None when neither name nor title is known."""
    names = agency_names(record)
    return classify_name(names[0]) if names else None


def county_or_below(record: Record) -> bool | None:
    """True for a 县/区/乡/镇/街道 body, False for higher ones, None when unknown."""
    names = agency_names(record)
    region = record.agency.region
    if region is not None and (region.township or region.county):
        return True
    if not names:
        return None
    return bool(_COUNTY_OR_BELOW.search(names[0]))


def has_rule_making_power(record: Record) -> bool | None:
    """国务院部门 and 省级/设区的市/自治州 governments may make 规章 (湖北 annotation, §2.2).

    A 县级市 government cannot be told from a 设区的市 by its name; it passes ([D]).
    """
    names = agency_names(record)
    if not names:
        return None
    name = names[0]
    if _NATIONAL.match(name):
        return True
    return agency_type(record) == GOVERNMENT and county_or_below(record) is False
