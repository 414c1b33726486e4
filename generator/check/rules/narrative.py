"""TX-02..TX-06: what the narrative sections must say (条例 art. 50; 30号; format-and-rules.md §1, §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.access import Observation, fail, section_name, section_text
from generator.check.agency import GOVERNMENT, agency_type
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, Record

OVERVIEW_AREAS = (
    ("主动公开", re.compile(r"主动公开")),
    ("依申请公开", re.compile(r"依申请|公开申请|申请公开")),
    ("政府信息管理", re.compile(r"信息管理|规范性文件|保密审[查核]|公开审查|发布审查|公开属性")),
    ("政府信息公开平台建设", re.compile(r"平台|网站|新媒体|公开栏|公开专栏")),
    ("监督保障", re.compile(r"监督|考核|考评|问责|责任追究|督查|督促")),
)
"""TX-02: the five areas 30号 asks §一 to cover, each with the words that show it is covered."""

GOVERNMENT_DUTIES = (
    ("工作考核", re.compile(r"考核|考评")),
    ("社会评议", re.compile(r"评议")),
    ("责任追究", re.compile(r"责任追究|问责")),
)
"""TX-03: 条例 art. 50(四) for 各级人民政府."""

MIN_PROBLEMS_CHARS = 30
FEE_STATEMENT = re.compile(r"信息处理费|109号")
FEE_FROM_YEAR = 2021
BARE_NONE = re.compile(r"^(本(机关|单位))?无(其他)?(需要)?(报告)?(的)?(事项)?[。.]?$")
MARKUP = re.compile(r"[\s#*>　]+")


def _plain(text: str | None) -> str:
    return MARKUP.sub("", text or "")


def overview_covers_areas(record: Record) -> Iterator[Observation]:
    """TX-02: one finding per area §一 does not mention."""
    text = section_text(record, "overview")
    if text is None:
        return
    for area, pattern in OVERVIEW_AREAS:
        if not pattern.search(text):
            yield fail(
                f"{section_name('overview')}未写到“{area}”方面的情况"
                "（30号要求综述主动公开、依申请公开、政府信息管理、平台建设、监督保障）",
                "sections.overview",
            )


def government_duties_reported(record: Record) -> Iterator[Observation]:
    """TX-03: government reports name 考核, 评议 and 责任追究 in §一 or §五."""
    if agency_type(record) != GOVERNMENT:
        return
    text = (section_text(record, "overview") or "") + (section_text(record, "problems") or "")
    for duty, pattern in GOVERNMENT_DUTIES:
        if not pattern.search(text):
            yield fail(
                f"人民政府年报未说明“{duty}”结果情况（《条例》第五十条第（四）项：工作考核、"
                "社会评议和责任追究结果情况），第一或第五部分均未提及",
                "sections.problems",
            )


def problems_substantive(record: Record) -> Iterator[Observation]:
    """TX-04."""
    text = section_text(record, "problems")
    if text is None:
        return
    plain = _plain(text)
    if len(plain) < MIN_PROBLEMS_CHARS or plain in ("无", "无。"):
        yield fail(
            f"{section_name('problems')}只有“{plain}”，应写明存在的主要问题和改进措施",
            "sections.problems",
        )


def fee_statement(record: Record) -> Iterator[Observation]:
    """TX-05 (2021+): §六 says whether 信息处理费 was collected (109号)."""
    year = record.year
    if (year if year is not None else 0) < FEE_FROM_YEAR and record.table_edition != "2021":
        return
    text = section_text(record, "other")
    if not FEE_STATEMENT.search(text or ""):
        found = f"只有“{_plain(text)[:40]}”" if text else "缺失"
        yield fail(
            f"{section_name('other')}{found}，未说明信息处理费收取情况"
            "（《政府信息公开信息处理费管理办法》国办函〔2020〕109号）",
            "sections.other",
        )


def other_not_empty(record: Record) -> Iterator[Observation]:
    """TX-06: §六 not empty; a bare 无 is acceptable only in 2019-edition reports."""
    text = section_text(record, "other")
    plain = _plain(text)
    if not plain:
        yield fail(f"{section_name('other')}为空", "sections.other")
    elif BARE_NONE.match(plain) and record.table_edition != "2019":
        yield fail(
            f"{section_name('other')}只写“{plain}”；2021年版年报应报告信息处理费等事项",
            "sections.other",
        )


RULES = (
    ReportRule(
        id="TX-02",
        title="总体情况五个方面",
        level=Level.WARNING,
        what="第一部分写到主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面。",
        basis="30号：“主要包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障”[V]（"
        + SPEC
        + " §1）",
        certainty="V",
        check=overview_covers_areas,
    ),
    ReportRule(
        id="TX-03",
        title="政府年报的考核评议追责",
        level=Level.WARNING,
        what="人民政府本级年报在第一或第五部分写到工作考核、社会评议、责任追究（每缺一项一条）。",
        basis="《条例》第五十条第（四）项：“各级人民政府的…年度报告还应当包括工作考核、社会评议和责任追究结果情况”[V]（"
        + SPEC
        + " §3）",
        certainty="V",
        check=government_duties_reported,
    ),
    ReportRule(
        id="TX-04",
        title="问题与改进有实质内容",
        level=Level.WARNING,
        what="第五部分不是“无”，也不少于30个字。",
        basis="《条例》第五十条第（四）项“存在的主要问题及改进情况”[V]（" + SPEC + " §3）",
        certainty="V",
        check=problems_substantive,
    ),
    ReportRule(
        id="TX-05",
        title="说明信息处理费（2021年起）",
        level=Level.WARNING,
        what="2021年起的年报在第六部分写明信息处理费收取情况（提到“信息处理费”或“109号”）。",
        basis="30号对第六部分的要求未能核实 [U]；国办函〔2020〕109号 [V]（" + SPEC + " §1、§10）",
        certainty="U",
        check=fee_statement,
    ),
    ReportRule(
        id="TX-06",
        title="其他需要报告的事项不为空",
        level=Level.INFO,
        what="第六部分不为空；只写“无”仅2019年版可接受。",
        basis="《条例》第五十条第（五）项；推断 [D]（" + SPEC + " §5）",
        certainty="D",
        check=other_not_empty,
    ),
)
