"""What a compliance rule is: a report rule (one record), a corpus rule (the records of one
agency) or a region rule (the records of the agencies of one region, to compare a government's
report with its departments' and lower governments'), with the catalogue entry that pages
show next to its findings.

Each family module in generator/check/rules/ declares its rules as a `RULES` tuple next to
the functions that implement them, with keyword fields; generator/check/catalogue.py lists
the modules (the table of contents). The default level is the rule's own `level`;
generator/check/levels.yml only overrides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from generator.check.access import Observation
from generator.model import Level, Record

Certainty = Literal["V", "D", "U", "S"]
"""The catalogue's tag: V seen in a source, D inferred, U unconfirmed, S seen in seeds only."""
Scope = Literal["report", "corpus", "region"]

SPEC = "格式说明"
"""The portal page that publishes the format and the texts rules cite (render: format.md):
the basis of each rule cites its section."""

FAMILIES = {
    "STR": "报告结构",
    "ED": "表格格式版本",
    "T3": "第三部分表格（依申请公开）",
    "T4": "第四部分表格（行政复议、行政诉讼）",
    "T2": "第二部分表格（主动公开）",
    "TX": "正文内容",
    "MD": "发布时间与基本信息",
    "PR": "文本预处理",
    "HI": "地区汇总核对",
}
"""Rule families (the id prefixes of §5) in catalogue order, with their names on the pages."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Entry:
    id: str
    """Stable catalogue id, e.g. T3-01 (format-and-rules.md §5); the family is its prefix."""
    title: str
    """Short Chinese title for pages."""
    level: Level
    """Default level (the catalogue's suggestion); levels.yml may override it."""
    what: str
    """One sentence: what the rule checks."""
    basis: str
    """Legal basis or table instruction, quoted from format-and-rules.md, with its source."""
    certainty: Certainty
    own_analysis: bool = False
    """True for a rule that is the portal's own analysis, not a legal requirement or a table
    instruction (the HI family, issue 17): its page says so, its certainty is D."""

    @property
    def family(self) -> str:
        """STR, ED, T2, T3, T4, TX, MD or PR: the id's prefix."""
        return self.id.split("-")[0]

    @property
    def family_name(self) -> str:
        """The family's name on the pages (报告结构, …)."""
        return FAMILIES[self.family]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportRule(_Entry):
    """A rule on one record."""

    check: Callable[[Record], Iterable[Observation]]
    scope: ClassVar[Scope] = "report"


@dataclass(frozen=True, slots=True, kw_only=True)
class CorpusRule(_Entry):
    """A rule on the records of one agency (generator.check.group_by_agency): it yields the
    record each observation is about."""

    check: Callable[[Sequence[Record]], Iterable[tuple[Record, Observation]]]
    scope: ClassVar[Scope] = "corpus"


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionRule(_Entry):
    """A rule on the records of one region (generator.check.group_by_region: one province, or
    the records without a region): it compares agencies' reports with each other and yields
    the record each observation is about."""

    check: Callable[[Sequence[Record]], Iterable[tuple[Record, Observation]]]
    scope: ClassVar[Scope] = "region"


Rule = ReportRule | CorpusRule | RegionRule

OWN_ANALYSIS = "本门户的分析，不是法定要求"
"""What a rule page and its basis say of a rule with own_analysis."""
