"""Hierarchies that add up: a place's reports side by side per year, and what cannot be true.

A county government's report covers its own level; its office, its departments and its
townships report separately. `group_places` puts, for each place and year, the government's
report beside the reports of the same place (office, departments) and of the places one level
down (townships; for a city, its counties' governments), with the totals of section 三 and 四.

The rules (RULES, candidates for the catalogue; the portal's own analysis, not a legal
requirement, certainty [D]):

    HI-01  the members' 行政复议 / 行政诉讼 totals add up to no more than the government's, where
           the government's report claims to count its whole area;
    HI-02  the same for 本年新收政府信息公开申请 (section 三, 总计列);
    HI-03  an agency's 四、结转下年度继续办理 of year Y equals its 二、上年结转 of Y+1.

The claim HI-01/HI-02 need: a county government's table counts its own cases unless its report
says otherwise, and nothing says the office's or the townships' cases are in it. So a sum is
only compared with a government's total when that report claims to count its whole area, in
a sentence found by `area_claims`: the area (全区, 全县, 全市, 全镇, 辖区…) with a number of
requests (全区共收到政府信息公开申请5件), or with 行政复议/行政诉讼 and a number or a nil
statement (全县未发生…行政复议), or a statement that its figures include the townships or
departments (本报告数据包括各乡镇、各部门). Counts are never negative and two agencies' reports
count different cases (each case has one respondent), so the members' sum, over whichever
members are present, cannot exceed a total that includes them all. A blank cell is left out of
the sum and named; a blank total is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from generator.analysis.common import (
    KIND_LABELS,
    AgencyRef,
    Kind,
    Region,
    RuleCandidate,
    agency_kind,
)
from generator.model.places import place_name
from generator.record import REQUEST_COLUMN_LABELS

Topic = Literal["requests", "appeals"]
TOPICS: Final[tuple[Topic, ...]] = ("requests", "appeals")


_OWN = "本门户的分析，不是法定要求"
RULES: Final[tuple[RuleCandidate, ...]] = (
    RuleCandidate(
        "HI-01",
        "下级复议诉讼数不超过全域数",
        "HI",
        "warning",
        "region",
        "政府本级报告声称统计全域（如“全县共发生行政复议…件”）时，同一年度本地区政府办公室、"
        "部门和下一级政府报告的行政复议、行政诉讼（未经复议直接起诉、复议后起诉）总计之和"
        "不超过该报告第四部分的相应总计。",
        f"{_OWN}：案件数非负，且每件案件只有一个被申请人（被告），各机关报告的案件互不重复，"
        "由此推断下级之和不能超过包含它们的全域总数 [D]；全域口径以政府本级报告自己的表述为准。",
        "D",
    ),
    RuleCandidate(
        "HI-02",
        "下级申请数不超过全域数",
        "HI",
        "warning",
        "region",
        "政府本级报告声称统计全域（如“全区共收到政府信息公开申请5件”）时，同一年度本地区"
        "政府办公室、部门和下一级政府报告第三部分“一、本年新收政府信息公开申请数量”总计列之和"
        "不超过该报告的相应数字。",
        f"{_OWN}：申请数非负，每件申请由收到它的机关统计，由此推断下级之和不能超过全域总数 [D]；"
        "全域口径以政府本级报告自己的表述为准。",
        "D",
    ),
    RuleCandidate(
        "HI-03",
        "结转链条连续",
        "HI",
        "warning",
        "agency",
        "同一机关第Y年第三部分“四、结转下年度继续办理”每列等于第Y+1年“二、上年结转政府信息公开"
        "申请数量”的同一列（在地区汇总核对中并列显示）。",
        f"{_OWN}：与 T3-07 同一推论，由表格设计推断 [D]（format-and-rules.md §4 推论5）。",
        "D",
    ),
)
RULES_BY_ID: Final = {rule.id: rule for rule in RULES}


# ---- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaClaim:
    """A sentence in which a report says it counts its whole area, for `topics`."""

    topics: tuple[Topic, ...]
    sentence: str
    section: str
    """The section key it is in (overview, requests, appeals)."""
    line: int
    """1-based line within that section's text."""


@dataclass(frozen=True, slots=True)
class HierarchyReport:
    """What the analysis needs of one report.

    `kind` None: classified from the name (common.agency_kind). The totals are the 总计 cells
    of section 四 (行政复议, 未经复议直接起诉, 复议后起诉) and section 三 (一、本年新收,
    总计列); `carried_over` / `carried_forward` the seven columns of 二、上年结转 and 四、结转
    下年度继续办理 (record order, None = blank or unreadable). `texts` are (section key,
    text) pairs searched for a whole-area claim (overview, requests, appeals)."""

    agency: AgencyRef
    year: int
    file: str
    kind: Kind | None = None
    review_total: int | None = None
    suit_direct_total: int | None = None
    suit_after_review_total: int | None = None
    received_total: int | None = None
    carried_over: tuple[int | None, ...] = (None,) * 7
    carried_forward: tuple[int | None, ...] = (None,) * 7
    texts: tuple[tuple[str, str], ...] = ()

    @property
    def agency_kind(self) -> Kind:
        return self.kind if self.kind is not None else agency_kind(self.agency.name)


_AREA = r"(?:全(?:省|自治区|市|州|盟|区|县|旗|镇|乡|街道)|本(?:行政)?区域内?|辖区内?)"
_COUNT = r"\d+\s*(?:件|起|宗|个)"
_NIL = r"(?:未(?:发生|出现|收到)|没有|无)"
_CLAIMS: Final[tuple[tuple[tuple[Topic, ...], re.Pattern[str]], ...]] = (
    (
        ("requests",),
        re.compile(
            _AREA
            + r"[^。；]{0,24}?(?:收到|受理|办理|新收|接收)[^。；]{0,24}?申请[^。；]{0,12}?"
            + _COUNT
        ),
    ),
    (
        ("appeals",),
        re.compile(
            _AREA + rf"[^。；]{{0,30}}?(?:{_COUNT}|{_NIL})[^。；]{{0,30}}?(?:行政复议|行政诉讼)"
            rf"|{_AREA}[^。；]{{0,30}}?(?:行政复议|行政诉讼)[^。；]{{0,20}}?(?:{_COUNT}|{_NIL})"
        ),
    ),
    (
        ("requests", "appeals"),
        re.compile(
            r"(?:本(?:年度)?报告|统计数据|报告数据|所列数据)[^。；]{0,24}?(?:包括|涵盖|含|汇总)"
            r"[^。；]{0,30}?(?:乡镇|街道|部门|单位)"
        ),
    ),
)


def area_claims(section: str, text: str | None) -> tuple[AreaClaim, ...]:
    """The sentences of a section text that claim to count the whole area."""
    if not text:
        return ()
    found: list[AreaClaim] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for sentence in re.split(r"(?<=[。；;！？!?])", line):
            topics: list[Topic] = []
            for claim_topics, pattern in _CLAIMS:
                if pattern.search(sentence):
                    topics += [t for t in claim_topics if t not in topics]
            if topics:
                ordered = tuple(t for t in TOPICS if t in topics)
                found.append(AreaClaim(ordered, sentence.strip(), section, number))
    return tuple(found)


def claims_of(report: HierarchyReport) -> tuple[AreaClaim, ...]:
    return tuple(claim for section, text in report.texts for claim in area_claims(section, text))


# ---- outputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell a flag compares: which report, which cell (record key path and its
    Chinese label), and its value (None = blank)."""

    agency: AgencyRef
    year: int
    file: str
    where: str
    label: str
    value: int | None


@dataclass(frozen=True, slots=True)
class Flag:
    """Something that cannot be true, with the cells it compares (and the claim it rests on)."""

    rule: str
    place: Region
    year: int
    agency: AgencyRef
    """The report the flag is about: the government for HI-01/02, the agency for HI-03."""
    message: str
    cells: tuple[Cell, ...]
    claim: AreaClaim | None = None


@dataclass(frozen=True, slots=True)
class MeasureSum:
    """One measure of a place and year: the government's value beside its members' sum."""

    measure: str
    """Record key path (appeals.review.total, requests.received.total, …)."""
    label: str
    government: int | None
    members_sum: int
    counted: tuple[AgencyRef, ...]
    blank: tuple[AgencyRef, ...]
    """Members whose cell is blank (left out of the sum)."""


@dataclass(frozen=True, slots=True)
class PlaceYear:
    """A place's reports of one year side by side.

    `government` is the place's own government (None when its report is not in the corpus),
    `departments` the office and departments at the same place, `children` the governments of
    the places one level down (townships of a county), `others` reports at the place that
    cannot be told apart (a second government report), each sorted by kind then name."""

    place: Region
    year: int
    government: HierarchyReport | None
    departments: tuple[HierarchyReport, ...]
    children: tuple[HierarchyReport, ...]
    others: tuple[HierarchyReport, ...] = ()
    sums: tuple[MeasureSum, ...] = ()

    @property
    def members(self) -> tuple[HierarchyReport, ...]:
        return self.departments + self.children


_MEASURED: Final[tuple[tuple[str, str, Topic], ...]] = (
    ("review_total", "appeals.review.total", "appeals"),
    ("suit_direct_total", "appeals.suit_direct.total", "appeals"),
    ("suit_after_review_total", "appeals.suit_after_review.total", "appeals"),
    ("received_total", "requests.received.total", "requests"),
)
MEASURES: Final[tuple[tuple[str, str, str, Topic], ...]] = tuple(
    (attribute, where, str(place_name(where)), topic) for attribute, where, topic in _MEASURED
)
"""(HierarchyReport attribute, record key path, the cell's official name, topic)."""
_RULE_OF_TOPIC: Final[dict[Topic, str]] = {"appeals": "HI-01", "requests": "HI-02"}
_KIND_ORDER: Final[dict[Kind, int]] = {"government": 0, "office": 1, "department": 2, "township": 3}


def _value(report: HierarchyReport, attribute: str) -> int | None:
    value = getattr(report, attribute)
    return value if isinstance(value, int) else None


def _place_of(report: HierarchyReport) -> Region:
    """Where a report belongs: its region; a township filed in its county's folder gets its
    own place one level down (named after itself)."""
    region = report.agency.region
    if report.agency_kind == "township" and region.depth == 3:
        return Region(region.province, region.city, region.county, report.agency.name)
    return region


def _is_government(report: HierarchyReport) -> bool:
    return report.agency_kind in ("government", "township")


def _order(report: HierarchyReport) -> tuple[int, str, str]:
    return (_KIND_ORDER[report.agency_kind], report.agency.name, report.file)


def group_places(reports: Iterable[HierarchyReport]) -> tuple[PlaceYear, ...]:
    """Every place and year with a government report, departments or child governments,
    sorted by place then year. Several reports of one agency and year: the first by file."""
    unique: dict[tuple[AgencyRef, int], HierarchyReport] = {}
    for report in sorted(reports, key=lambda r: (r.agency, r.year, r.file)):
        unique.setdefault((report.agency, report.year), report)
    at: dict[tuple[Region, int], list[HierarchyReport]] = {}
    for report in unique.values():
        if report.agency.region.depth:
            at.setdefault((_place_of(report), report.year), []).append(report)
    # the governments of each place, by the place one level up (one pass: at 10,000 reports
    # a scan of every place for each place's children is quadratic)
    below: dict[tuple[Region, int], list[HierarchyReport]] = {}
    for (child, child_year), rs in at.items():
        parent = child.parent()
        if child.depth != parent.depth + 1:
            continue
        for r in rs:
            if _is_government(r) and _place_of(r) == child:
                below.setdefault((parent, child_year), []).append(r)
    groups: list[PlaceYear] = []
    places = sorted(at, key=lambda k: (k[0].levels(), k[1]))
    for place, year in places:
        here = sorted(at[(place, year)], key=_order)
        governments = [r for r in here if _is_government(r) and _place_of(r) == place]
        departments = tuple(r for r in here if not _is_government(r))
        children = tuple(sorted(below.get((place, year), ()), key=_order))
        government = governments[0] if governments else None
        if (
            not departments
            and not children
            and (government is None or government.agency_kind == "township")
        ):
            continue
        members = departments + children
        groups.append(
            PlaceYear(
                place=place,
                year=year,
                government=government,
                departments=departments,
                children=children,
                others=tuple(governments[1:]),
                sums=tuple(
                    _sum(government, members, attribute, where, label)
                    for attribute, where, label, _ in MEASURES
                ),
            )
        )
    return tuple(groups)


def _sum(
    government: HierarchyReport | None,
    members: Sequence[HierarchyReport],
    attribute: str,
    where: str,
    label: str,
) -> MeasureSum:
    counted = [m for m in members if _value(m, attribute) is not None]
    return MeasureSum(
        measure=where,
        label=label,
        government=_value(government, attribute) if government is not None else None,
        members_sum=sum(_value(m, attribute) or 0 for m in counted),
        counted=tuple(m.agency for m in counted),
        blank=tuple(m.agency for m in members if _value(m, attribute) is None),
    )


def _cell(report: HierarchyReport, where: str, label: str, value: int | None) -> Cell:
    return Cell(report.agency, report.year, report.file, where, label, value)


def sum_flags(groups: Iterable[PlaceYear]) -> tuple[Flag, ...]:
    """HI-01 and HI-02: members' sums above a total that claims to count the whole area."""
    flags: list[Flag] = []
    for group in groups:
        government = group.government
        if government is None or not group.members:
            continue
        claims = claims_of(government)
        for (attribute, where, label, topic), measure in zip(MEASURES, group.sums, strict=True):
            claim = next((c for c in claims if topic in c.topics), None)
            total = measure.government
            if claim is None or total is None or measure.members_sum <= total:
                continue
            members = [m for m in group.members if _value(m, attribute) is not None]
            parts = "、".join(f"{m.agency.name} {_value(m, attribute)}" for m in members)
            blank = (
                f"；空白未计入：{'、'.join(a.name for a in measure.blank)}" if measure.blank else ""
            )
            message = (
                f"{government.agency.name}{group.year}年报告称“{claim.sentence.rstrip('。；;')}”，"
                f"其{label}为{total}；本地区{len(members)}份下级报告的同一栏目之和为"
                f"{measure.members_sum}（{parts}{blank}），大于全域总数，二者不能同时成立"
            )
            cells = (
                _cell(government, where, label, total),
                *(_cell(m, where, label, _value(m, attribute)) for m in members),
            )
            flags.append(
                Flag(
                    _RULE_OF_TOPIC[topic],
                    group.place,
                    group.year,
                    government.agency,
                    message,
                    cells,
                    claim,
                )
            )
    return tuple(flags)


def carry_over_flags(reports: Iterable[HierarchyReport]) -> tuple[Flag, ...]:
    """HI-03: for each agency and each pair of consecutive years present, the columns whose
    结转下年度 (Y) and 上年结转 (Y+1) differ (blank cells are not compared)."""
    unique: dict[tuple[AgencyRef, int], HierarchyReport] = {}
    for report in sorted(reports, key=lambda r: (r.agency, r.year, r.file)):
        unique.setdefault((report.agency, report.year), report)
    flags: list[Flag] = []
    for (agency, year), before in sorted(unique.items()):
        after = unique.get((agency, year + 1))
        if after is None:
            continue
        cells: list[Cell] = []
        differing: list[str] = []
        for index, (key, column) in enumerate(REQUEST_COLUMN_LABELS.items()):
            then = before.carried_forward[index] if index < len(before.carried_forward) else None
            now = after.carried_over[index] if index < len(after.carried_over) else None
            if then is None or now is None or then == now:
                continue
            differing.append(f"{column}列 {then}→{now}")
            cells += [
                _cell(
                    before,
                    f"requests.carried_forward.{key}",
                    str(place_name(f"requests.carried_forward.{key}")),
                    then,
                ),
                _cell(
                    after,
                    f"requests.carried_over.{key}",
                    str(place_name(f"requests.carried_over.{key}")),
                    now,
                ),
            ]
        if differing:
            message = (
                f"{agency.name}{year}年报告“四、结转下年度继续办理”与{year + 1}年报告"
                f"“二、上年结转政府信息公开申请数量”不一致：{'；'.join(differing)}"
            )
            flags.append(Flag("HI-03", agency.region, year + 1, agency, message, tuple(cells)))
    return tuple(flags)


def check_hierarchy(
    reports: Sequence[HierarchyReport],
) -> tuple[tuple[PlaceYear, ...], tuple[Flag, ...]]:
    """The side-by-side groups and every flag (HI-01, HI-02, HI-03), flags sorted by place,
    year, rule, agency and message."""
    groups = group_places(reports)
    flags = (*sum_flags(groups), *carry_over_flags(reports))
    ordered = sorted(flags, key=lambda f: (f.place.levels(), f.year, f.rule, f.agency, f.message))
    return groups, tuple(ordered)


def kind_label(report: HierarchyReport) -> str:
    """人民政府本级 / 政府办公室 / 政府部门 / 乡镇、街道, for the side-by-side table."""
    return KIND_LABELS[report.agency_kind]
