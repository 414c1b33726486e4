"""引用本报告: a GB/T 7714-2015 reference for a report page.

GB/T 7714-2015 §4.8 (electronic resources) gives

    主要责任者. 题名[文献类型标识/文献载体标识]. (更新或修改日期)[引用日期]. 获取和访问路径.

with R (报告) for a report and OL for a resource online: [R/OL]. The 主要责任者 is the agency,
the 题名 the report's title as printed (spaces between Chinese and digits removed; the
standard title built from agency and year when the report has none), the date in round
brackets its 落款 date (left out when unknown), the date in square brackets the access date,
the path the portal's page. The standard has no element for a file's hash; the portal adds the
source file and its SHA-256 after the reference, so a reader can tell which version of a
silently edited report was cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from generator.analysis.common import clean_name

_GAP = re.compile(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])")


@dataclass(frozen=True, slots=True)
class CitedReport:
    """What a reference needs: the agency's name, the title as printed (None: none), the
    report year, the 落款 date (None: unknown), the source file under reports/ and its sha256,
    and the absolute URL of the report's page on the portal."""

    agency: str
    title: str | None
    year: int
    published: date | None
    file: str
    sha256: str
    url: str


def reference_title(agency: str, title: str | None, year: int) -> str:
    """The title as printed without the spaces PDF and web text put around digits
    (伊家乡 2020 年… -> 伊家乡2020年…); the standard title when there is none."""
    if title and title.strip():
        return _GAP.sub("", " ".join(title.split()))
    return f"{clean_name(agency)}{year}年政府信息公开工作年度报告"


def cite(report: CitedReport, accessed: date) -> str:
    """The reference in GB/T 7714-2015 style, then the source file and its SHA-256."""
    creator = clean_name(report.agency)
    title = reference_title(report.agency, report.title, report.year)
    when = f"({report.published.isoformat()})" if report.published else ""
    return (
        f"{creator}. {title}[R/OL]. {when}[{accessed.isoformat()}]. {report.url}. "
        f"源文件: {report.file}, SHA-256: {report.sha256}."
    )
