"""MD rules: deadline, year consistency, period and contact, agency type, duplicates (§3, §5, §7)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence

from generator.check.access import Observation, fail, not_assessable
from generator.check.agency import (
    DEPARTMENT,
    GOVERNMENT,
    TOWNSHIP,
    TYPE_LABELS,
    agency_names,
    agency_type,
    classify_name,
    title_agency,
)
from generator.check.rule import SPEC, CorpusRule, ReportRule
from generator.model import Level, Record

DEADLINES = {DEPARTMENT: (1, 31), GOVERNMENT: (3, 31)}
"""条例 art. 49: departments by Jan 31, the government's own report by Mar 31 of year+1.
乡镇/街道 have no national date (local rules only)."""
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def as_date(value: str | None) -> dt.date | None:
    """The date of an ISO date text (a record's dates), else None."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def published_on_time(record: Record) -> Iterator[Observation]:
    """MD-01."""
    published, year, kind = as_date(record.published), record.year, agency_type(record)
    if published is None:
        yield not_assessable("未找到发布日期或落款日期，无法核对是否按时公布", "published")
        return
    if year is None or kind is None:
        yield not_assessable("报告年度或机关类型未知，无法核对公布时限", "published")
        return
    if kind == TOWNSHIP:
        yield not_assessable(
            f"乡镇/街道年报无全国统一公布时限（《条例》第四十九条只规定县级以上），"
            f"落款日期 {published.isoformat()}，请对照本地规定",
            "published",
        )
        return
    month, day = DEADLINES[kind]
    deadline = dt.date(year + 1, month, day)
    if published > deadline:
        yield fail(
            f"发布/落款日期 {published.isoformat()} 晚于{TYPE_LABELS[kind]}年报的法定时限 "
            f"{deadline.isoformat()}（《条例》第四十九条）",
            "published",
        )


def years_consistent(record: Record) -> Iterator[Observation]:
    """MD-02: title year, statistical period and publish date agree with `year`.

    A publish date later than year+1 is MD-01's (late), not a year mismatch.
    """
    year = record.year
    if year is None:
        return
    match = TITLE_YEAR.search(record.title or "")
    if match and int(match.group(1)) != year:
        yield fail(f"标题年份 {match.group(1)} 与报告年度 {year} 不一致", "title")
    period = record.period
    for key, name, value in (
        ("start", "起始", period.start if period else None),
        ("end", "截止", period.end if period else None),
    ):
        date = as_date(value)
        if date is not None and date.year != year:
            yield fail(
                f"统计期限{name}日期 {date.isoformat()} 不在报告年度 {year} 内", f"period.{key}"
            )
    published = as_date(record.published)
    if published is not None and published.year <= year:
        yield fail(
            f"发布/落款日期 {published.isoformat()} 早于{year}年度结束，"
            f"年报应在{year + 1}年发布，请核对报告年度或日期",
            "published",
        )


def period_and_contact(record: Record) -> Iterator[Observation]:
    """MD-03."""
    period = record.period
    if period is None or not (period.start or period.end):
        yield fail(
            "引言未说明统计期限（如“本报告所列数据的统计期限自1月1日起至12月31日止”）", "period"
        )
    contact = record.contact
    if contact is None or not any(contact.to_dict().values()):
        yield fail(
            "未提供联系方式（地址、邮编、电话、电子邮箱等），公众无法就年报提出疑问", "contact"
        )


def agency_type_known(record: Record) -> Iterator[Observation]:
    """MD-04: not assessable without a name; flagged when title and agency name disagree."""
    names = agency_names(record)
    if not names:
        yield not_assessable(
            "机关名称和标题均未找到，无法判断机关类型（公布时限、第五部分要求随之不同）",
            "agency.name",
        )
        return
    from_title, from_name = title_agency(record), record.agency.name
    if from_title and from_name is not None and from_name.strip():
        kinds = classify_name(from_title), classify_name(from_name)
        if kinds[0] != kinds[1]:
            yield fail(
                f"标题“{from_title}”按{TYPE_LABELS[kinds[0]]}、机关名称“{from_name}”按"
                f"{TYPE_LABELS[kinds[1]]}判断，类型不一致，已按机关名称处理，请确认",
                "agency.name",
            )


def _day(stamp: str | None) -> str:
    """2021-03-05T16:45:00+08:00 -> 2021年3月5日 (the day git recorded); 尚未提交 for None."""
    if not stamp or len(stamp) < 10:
        return "尚未提交"
    year, month, day = stamp[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def single_copy(group: Sequence[Record]) -> Iterator[tuple[Record, Observation]]:
    """MD-05 (corpus): two records with one id, one source file under two ids, or a report
    file whose content changed under its name after it was first published (record.edits,
    from the git history of reports/: a silent edit)."""
    for record in group:
        if record.edits:
            latest = record.edits[0]
            yield (
                record,
                fail(
                    f"报告文件首次收录后内容被替换{len(record.edits)}次（同一文件名，"
                    f"最近一次在{_day(latest.replaced)}），报告未说明修改；"
                    "各版本的差异见本页“文件修改记录”",
                    "source.sha256",
                ),
            )
    by_id: dict[str, list[Record]] = {}
    by_sha: dict[str, list[Record]] = {}
    for record in group:
        by_id.setdefault(str(record.id), []).append(record)
        sha = record.source.sha256
        if sha:
            by_sha.setdefault(sha, []).append(record)
    for record_id, records in by_id.items():
        if len(records) > 1:
            files = "、".join(r.source.file or "?" for r in records)
            for record in records:
                yield (
                    record,
                    fail(
                        f"记录 {record_id} 有{len(records)}份（来源：{files}），"
                        "应只保留一份规范副本",
                        "id",
                    ),
                )
    for records in by_sha.values():
        ids = sorted({str(r.id) for r in records})
        if len(ids) > 1:
            for record in records:
                yield (
                    record,
                    fail(f"同一来源文件被收录为多条记录：{'、'.join(ids)}", "source.sha256"),
                )


RULES = (
    ReportRule(
        id="MD-01",
        title="按时公布",
        level=Level.ERROR,
        what="发布或落款日期不晚于法定时限：部门次年1月31日，政府本级次年3月31日；乡镇/街道无全国时限；日期未知不作判断。",
        basis="《条例》第四十九条：“县级以上人民政府部门应当在每年1月31日前…”“…在每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告”[V]（"
        + SPEC
        + " §3）",
        certainty="V",
        check=published_on_time,
    ),
    ReportRule(
        id="MD-02",
        title="年份一致",
        level=Level.ERROR,
        what="标题年份、统计期限与报告年度一致，发布日期在报告年度之后。",
        basis="推断 [D]（" + SPEC + " §5）",
        certainty="D",
        check=years_consistent,
    ),
    ReportRule(
        id="MD-03",
        title="统计期限和联系方式",
        level=Level.INFO,
        what="引言写明统计期限，并提供联系方式。",
        basis="四川 DB51/T 2660—2019 §2.1：“统计时间段为上一年度1月1日至12月31日”[V]（"
        + SPEC
        + " §5）",
        certainty="V",
        check=period_and_contact,
    ),
    ReportRule(
        id="MD-04",
        title="机关类型",
        level=Level.INFO,
        what="按标题和机关名称判断机关类型（政府本级/部门/乡镇街道），决定 MD-01 时限和 TX-03 要求；无法判断或两者不一致时提示。",
        basis="《条例》第四十九条 [V]；“XX区政府办”按部门处理为推断 [D]（" + SPEC + " §3、§7）",
        certainty="V",
        check=agency_type_known,
    ),
    CorpusRule(
        id="MD-05",
        title="只保留一份规范副本",
        level=Level.INFO,
        what="同一 id 或同一来源文件不出现两条记录；报告文件发布后在同一文件名下被替换为不同内容（按本门户 git 历史发现的静默修改）时提示。",
        basis="中国社科院2016评估：“发布后有变动”“多平台发布”“可获取性不强”[V]（"
        + SPEC
        + " §5、§6）",
        certainty="V",
        check=single_copy,
    ),
)
