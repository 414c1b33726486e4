"""Who has not published: for each year, who published, who published late, who is missing.

Deadlines (《条例》第四十九条, format-and-rules.md §3, MD-01/MD-04): a department of a 县级以上
government, including the government's office, publishes by 1月31日 of the next year; a
government's own report by 3月31日; 乡镇/街道 have no statutory date (local rules set one).
A report's date is its 落款 date when it has one, else the date the portal first saw the file
(generator/analysis/edits.py). The first-seen date can prove a report was out by the deadline
but not that it was late (the portal may have collected it later): a report known only by a
first-seen date after the deadline is `seen_late`, not `late`.

Who is expected: the maintainer's optional reports/agencies.yml, a list of entries

    - {name: 卫东区政府办, region: 河南省/平顶山市/卫东区, level: county_dept}

(optional `since` / `until`: the first and last report years expected), checked by
`parse_agencies` with messages in Chinese naming the entry and what to change. Without a
usable list, an agency that published a report for year Y-1 is expected for year Y.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal, cast

import yaml

from generator.analysis.common import (
    AgencyRef,
    Kind,
    Region,
    RuleCandidate,
    agency_kind,
    clean_name,
)
from generator.inputs import AGENCIES_FILE

Level = Literal[
    "national_dept",
    "province_gov",
    "province_dept",
    "city_gov",
    "city_dept",
    "county_gov",
    "county_dept",
    "township",
]
LEVELS: Final[dict[str, str]] = {
    "national_dept": "国务院部门",
    "province_gov": "省级人民政府本级",
    "province_dept": "省级政府部门（含办公厅）",
    "city_gov": "市级人民政府本级",
    "city_dept": "市级政府部门（含办公室）",
    "county_gov": "县级人民政府本级",
    "county_dept": "县级政府部门（含办公室）",
    "township": "乡镇、街道",
}
_LEVEL_DEPTH: Final[dict[str, tuple[int, ...]]] = {
    "national_dept": (0,),
    "province_gov": (1,),
    "province_dept": (1,),
    "city_gov": (2,),
    "city_dept": (2,),
    "county_gov": (3,),
    "county_dept": (3,),
    "township": (3, 4),
}
FIELDS: Final = ("name", "region", "level", "since", "until")

Status = Literal["on_time", "late", "seen_late", "no_deadline", "undated", "missing", "not_due"]
STATUS_LABELS: Final[dict[Status, str]] = {
    "on_time": "按时发布",
    "late": "逾期发布",
    "seen_late": "首次收录晚于期限",
    "no_deadline": "已发布（无法定期限）",
    "undated": "已发布（日期不详）",
    "missing": "未发布",
    "not_due": "尚未到期",
}
LATE: Final[frozenset[Status]] = frozenset({"late", "seen_late"})

BASIS_DEPARTMENT: Final = "《条例》第四十九条：县级以上人民政府部门应当在每年1月31日前…向社会公布"
BASIS_GOVERNMENT: Final = (
    "《条例》第四十九条：县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前"
    "向社会公布本级政府上一年度政府信息公开工作年度报告"
)
BASIS_TOWNSHIP: Final = (
    "乡镇、街道：《条例》第四十九条未规定发布期限（只规定县级以上人民政府及其部门）；"
    "本门户在次年3月31日后才将未发布的乡镇、街道列为未发布"
)


RULES: Final[tuple[RuleCandidate, ...]] = (
    RuleCandidate(
        "TL-01",
        "应发布的年报未发布",
        "TL",
        "warning",
        "corpus",
        "维护者在 reports/agencies.yml 中列出的机关（无名单时：上一年发布过年报的机关）"
        "在法定期限后仍没有该年度的年报。",
        "《条例》第四十九条规定发布义务和期限 [V]；30号文件将“不按时发布”列为追责情形 [V]；"
        "哪些机关应当发布由名单给出或由上一年推断，是本门户的分析，不是法定要求 [D]",
        "D",
    ),
    RuleCandidate(
        "TL-02",
        "首次收录晚于法定期限",
        "TL",
        "info",
        "report",
        "年报没有落款日期，且本门户首次收录该文件（git 历史中的首次提交日期）晚于法定期限；"
        "实际发布日期可能更早。",
        "《条例》第四十九条期限 [V]；以收录日期代替发布日期是本门户的分析，不是法定要求 [D]",
        "D",
    ),
)


# ---- the list of expected agencies ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyEntry:
    """One valid entry of agencies.yml; `index` is its 1-based position in the list."""

    name: str
    region: Region
    level: Level
    index: int
    since: int | None = None
    until: int | None = None

    @property
    def agency(self) -> AgencyRef:
        return AgencyRef(self.name, self.region)

    def expected_in(self, year: int) -> bool:
        return (self.since is None or year >= self.since) and (
            self.until is None or year <= self.until
        )


@dataclass(frozen=True, slots=True)
class ListProblem:
    """A problem of agencies.yml: `entry` the 1-based entry (None: the whole file), `severity`
    error (the entry is skipped) or warning (kept), `message` in Chinese for the maintainer."""

    entry: int | None
    severity: Literal["error", "warning"]
    message: str


@dataclass(frozen=True, slots=True)
class AgencyList:
    source: str
    entries: tuple[AgencyEntry, ...]
    problems: tuple[ListProblem, ...]

    @property
    def usable(self) -> bool:
        """True when at least one entry is valid (otherwise expectations are inferred)."""
        return bool(self.entries)


def _kind_of_level(level: str) -> Kind:
    if level == "township":
        return "township"
    return "government" if level.endswith("_gov") else "department"


def _levels_hint() -> str:
    return "、".join(f"{key}（{label}）" for key, label in LEVELS.items())


def parse_agencies(text: str, source: str = "reports/agencies.yml") -> AgencyList:
    """Read and check the list; invalid entries are skipped with a problem naming them."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else "某处"
        return AgencyList(
            source,
            (),
            (
                ListProblem(
                    None,
                    "error",
                    f"{source}：不是有效的 YAML（{where}），请检查缩进、冒号和引号；"
                    "本次按上一年已发布的机关推断应发布名单",
                ),
            ),
        )
    if data is None:
        data = []
    if not isinstance(data, list):
        return AgencyList(
            source,
            (),
            (
                ListProblem(
                    None,
                    "error",
                    f"{source}：应为条目列表（每项以“- ”开头，如 - {{name: 卫东区政府办, region: "
                    "河南省/平顶山市/卫东区, level: county_dept}），实际是"
                    f"{type(data).__name__}；本次按上一年已发布的机关推断应发布名单",
                ),
            ),
        )
    entries: list[AgencyEntry] = []
    problems: list[ListProblem] = []
    seen: dict[AgencyRef, int] = {}
    for index, raw in enumerate(data, start=1):
        entry, entry_problems = _entry(raw, index, source)
        problems += entry_problems
        if entry is None:
            continue
        if entry.agency in seen:
            problems.append(
                ListProblem(
                    index,
                    "error",
                    f"{source} 第{index}项（{entry.name}）：与第{seen[entry.agency]}项重复"
                    "（名称和地区相同），已忽略本项",
                )
            )
            continue
        seen[entry.agency] = index
        entries.append(entry)
    return AgencyList(source, tuple(entries), tuple(problems))


def _entry(raw: Any, index: int, source: str) -> tuple[AgencyEntry | None, list[ListProblem]]:
    head = f"{source} 第{index}项"
    if not isinstance(raw, Mapping):
        shown = str(raw)[:30]
        return None, [
            ListProblem(
                index,
                "error",
                f"{head}：应为 {{name, region, level}} 形式的条目，实际是“{shown}”，已忽略本项",
            )
        ]
    problems: list[ListProblem] = []
    name = raw.get("name")
    if not isinstance(name, str) or not clean_name(name):
        return None, [
            ListProblem(
                index, "error", f"{head}：缺少 name（机关名称，如 name: 卫东区政府办），已忽略本项"
            )
        ]
    name = clean_name(name)
    head = f"{head}（{name}）"
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    if unknown:
        problems.append(
            ListProblem(
                index,
                "warning",
                f"{head}：未知字段 {'、'.join(unknown)}（可用：{', '.join(FIELDS)}），已忽略这些字段",
            )
        )
    level = raw.get("level")
    if level is None:
        return None, [
            *problems,
            ListProblem(
                index, "error", f"{head}：缺少 level（层级），可用：{_levels_hint()}；已忽略本项"
            ),
        ]
    if not isinstance(level, str) or level not in LEVELS:
        return None, [
            *problems,
            ListProblem(
                index,
                "error",
                f"{head}：level “{level}”不是已知层级，可用：{_levels_hint()}；已忽略本项",
            ),
        ]
    region_text = raw.get("region")
    region = Region()
    if region_text is None:
        problems.append(
            ListProblem(
                index,
                "warning",
                f"{head}：未写 region（地区，如 region: 河南省/平顶山市/卫东区），只按名称匹配年报",
            )
        )
    else:
        parts = str(region_text).split("/") if isinstance(region_text, str) else None
        if parts is None or any(not p.strip() for p in parts) or len(parts) > 4:
            return None, [
                *problems,
                ListProblem(
                    index,
                    "error",
                    f"{head}：region “{region_text}”应为用“/”分隔的1至4级地区，"
                    "如 河南省/平顶山市/卫东区；已忽略本项",
                ),
            ]
        region = Region.of(parts)
    since, until, year_problems = _years(raw, head, index)
    if year_problems:
        return None, [*problems, *year_problems]
    if region.depth and region.depth not in _LEVEL_DEPTH[level]:
        depths = "或".join(str(d) for d in _LEVEL_DEPTH[level])
        problems.append(
            ListProblem(
                index,
                "warning",
                f"{head}：level {level}（{LEVELS[level]}）的地区通常有{depths}级，"
                f"region “{region.path}”有{region.depth}级；请核对",
            )
        )
    by_name = agency_kind(name)
    if ("department" if by_name == "office" else by_name) != _kind_of_level(level):
        problems.append(
            ListProblem(
                index,
                "warning",
                f"{head}：名称看起来是“{_KIND_WORDS[by_name]}”，但 level 为 {level}"
                f"（{LEVELS[level]}），两者的发布期限不同；请核对",
            )
        )
    entry = AgencyEntry(name, region, cast(Level, level), index, since, until)
    return entry, problems


_KIND_WORDS: Final[dict[Kind, str]] = {
    "government": "人民政府本级",
    "office": "政府办公室",
    "department": "政府部门",
    "township": "乡镇、街道",
}


def _years(
    raw: Mapping[str, Any], head: str, index: int
) -> tuple[int | None, int | None, list[ListProblem]]:
    values: dict[str, int | None] = {}
    problems: list[ListProblem] = []
    for key in ("since", "until"):
        value = raw.get(key)
        if value is None:
            values[key] = None
        elif isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100:
            values[key] = value
        else:
            problems.append(
                ListProblem(
                    index,
                    "error",
                    f"{head}：{key} 应为四位年份（如 {key}: 2021），实际是“{value}”；已忽略本项",
                )
            )
    since, until = values.get("since"), values.get("until")
    if since is not None and until is not None and since > until:
        problems.append(
            ListProblem(index, "error", f"{head}：since {since} 晚于 until {until}；已忽略本项")
        )
    return since, until, problems


def load_agencies(reports_dir: Path) -> AgencyList | None:
    """reports/agencies.yml checked, or None when there is no such file (it is optional)."""
    path = Path(reports_dir) / AGENCIES_FILE
    if not path.is_file():
        return None
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = ListProblem(
            None,
            "error",
            f"reports/agencies.yml：无法读取（{type(error).__name__}），请保存为 UTF-8 文本",
        )
        return AgencyList("reports/agencies.yml", (), (problem,))
    return parse_agencies(text)


# ---- the ledger ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishedReport:
    """What the ledger needs of one report: who, which year, the file, its 落款 date
    (`signed`, None if the report has none), the date the portal first saw the file
    (`first_seen`, from git history, None if unknown) and the kind (None: from the name)."""

    agency: AgencyRef
    year: int
    file: str
    signed: date | None = None
    first_seen: date | None = None
    kind: Kind | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One agency in one year.

    `status` (STATUS_LABELS), `kind` the deadline's kind (from the list's level, else the
    name), `deadline` None for 乡镇/街道, `date` the date judged and `date_source` where it
    came from (signed = 落款, first_seen = the portal's first commit of the file), `days_late`
    for late and seen_late, `file` None when missing, `expected` why the agency was expected
    (list, inferred) or None for a report nobody expected (not on the list), `message` a
    sentence in Chinese, `basis` the deadline's basis."""

    agency: AgencyRef
    year: int
    status: Status
    kind: Kind
    level: Level | None
    deadline: date | None
    date: date | None
    date_source: Literal["signed", "first_seen"] | None
    days_late: int | None
    file: str | None
    expected: Literal["list", "inferred"] | None
    message: str
    basis: str


@dataclass(frozen=True, slots=True)
class YearLedger:
    """Every entry of one report year, sorted by status group (missing, late, the rest) then
    region and name."""

    year: int
    entries: tuple[Entry, ...]

    def with_status(self, *statuses: Status) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.status in statuses)

    @property
    def published(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.file is not None)

    @property
    def late(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.status in LATE)

    @property
    def missing(self) -> tuple[Entry, ...]:
        return self.with_status("missing")

    @property
    def unlisted(self) -> tuple[Entry, ...]:
        """Published reports of agencies the list does not name (add them to agencies.yml)."""
        return tuple(e for e in self.entries if e.file is not None and e.expected is None)


@dataclass(frozen=True, slots=True)
class Timeliness:
    """The ledger of every year, oldest first; `expected_from` says whether expectations came
    from the list or were inferred; `problems` the list's problems (to show to maintainers)."""

    years: tuple[YearLedger, ...]
    expected_from: Literal["list", "inferred"]
    problems: tuple[ListProblem, ...] = ()


def deadline_for(kind: Kind, year: int) -> date | None:
    """The statutory date for the report on `year` (Art. 49): 3月31日 for a government's own
    report, 1月31日 for a department or office, None for 乡镇/街道."""
    if kind == "township":
        return None
    return date(year + 1, 3, 31) if kind == "government" else date(year + 1, 1, 31)


def _basis(kind: Kind) -> str:
    if kind == "township":
        return BASIS_TOWNSHIP
    return BASIS_GOVERNMENT if kind == "government" else BASIS_DEPARTMENT


def _listed_kind(entry: AgencyEntry) -> Kind:
    """The kind the list's level gives (an office keeps its name's kind: a department's date)."""
    kind = _kind_of_level(entry.level)
    return "office" if kind == "department" and agency_kind(entry.name) == "office" else kind


def _kind(name: str, given: Kind | None = None) -> Kind:
    return given if given is not None else agency_kind(name)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _judge(
    report: PublishedReport,
    kind: Kind,
    level: Level | None,
    expected: Literal["list", "inferred"] | None,
) -> Entry:
    deadline = deadline_for(kind, report.year)
    basis = _basis(kind)
    source: Literal["signed", "first_seen"] | None
    if report.signed is not None:
        day, source = report.signed, "signed"
    elif report.first_seen is not None:
        day, source = report.first_seen, "first_seen"
    else:
        day, source = None, None
    shown = f"{'落款' if source == 'signed' else '首次收录'}日期{_cn(day)}" if day else ""
    late_by: int | None = None
    status: Status
    if deadline is None:
        status = "no_deadline"
        message = f"已发布{('，' + shown) if shown else ''}；乡镇、街道无法定发布期限"
    elif day is None:
        status = "undated"
        message = (
            f"已发布，但没有落款日期，也不知道首次收录日期，无法判断是否在{_cn(deadline)}前发布"
        )
    elif day <= deadline:
        status = "on_time"
        message = f"按时发布：{shown}，期限{_cn(deadline)}"
    else:
        late_by = (day - deadline).days
        if source == "signed":
            status = "late"
            message = f"逾期发布：{shown}，晚于期限{_cn(deadline)} {late_by} 天"
        else:
            status = "seen_late"
            message = (
                f"{shown}，晚于期限{_cn(deadline)} {late_by} 天；年报没有落款日期，"
                "实际发布日期可能更早"
            )
    return Entry(
        agency=report.agency,
        year=report.year,
        status=status,
        kind=kind,
        level=level,
        deadline=deadline,
        date=day,
        date_source=source,
        days_late=late_by,
        file=report.file,
        expected=expected,
        message=message,
        basis=basis,
    )


def _absent(
    agency: AgencyRef,
    year: int,
    kind: Kind,
    level: Level | None,
    expected: Literal["list", "inferred"],
    today: date | None,
) -> Entry:
    deadline = deadline_for(kind, year)
    listed_after = deadline if deadline is not None else date(year + 1, 3, 31)
    why = "名单列出" if expected == "list" else f"{year - 1}年发布过年报"
    if today is not None and today <= listed_after:
        status: Status = "not_due"
        message = (
            f"尚未发布{year}年年报，期限{_cn(deadline)}未到（{why}）"
            if deadline
            else (f"尚未发布{year}年年报（{why}；乡镇、街道无法定期限）")
        )
    else:
        status = "missing"
        message = (
            f"未发布{year}年年报，期限{_cn(deadline)}已过（{why}）"
            if deadline
            else f"未发布{year}年年报（{why}；乡镇、街道无法定期限，次年3月31日后列出）"
        )
    return Entry(
        agency=agency,
        year=year,
        status=status,
        kind=kind,
        level=level,
        deadline=deadline,
        date=None,
        date_source=None,
        days_late=None,
        file=None,
        expected=expected,
        message=message,
        basis=_basis(kind),
    )


_ORDER: Final[dict[Status, int]] = {
    "missing": 0,
    "late": 1,
    "seen_late": 2,
    "undated": 3,
    "not_due": 4,
    "on_time": 5,
    "no_deadline": 6,
}


def _match(entry: AgencyEntry, agency: AgencyRef) -> bool:
    if entry.name != agency.name:
        return False
    return entry.region == agency.region or not entry.region.path or not agency.region.path


def timeliness(
    reports: Iterable[PublishedReport],
    agencies: AgencyList | None = None,
    *,
    today: date | None = None,
    years: Sequence[int] | None = None,
) -> Timeliness:
    """The ledger of each year: `years` if given, else every year with a report, extended to
    the last year whose reports are due by `today` (today.year - 1). Several reports of one
    agency and year: the earliest dated is judged (the first by file name among equals).
    `today` (the build date) tells missing from not yet due; without it every absence is
    missing."""
    by_key: dict[tuple[AgencyRef, int], PublishedReport] = {}
    for report in sorted(
        reports, key=lambda r: (r.agency, r.year, r.signed or r.first_seen or date.max, r.file)
    ):
        by_key.setdefault((report.agency, report.year), report)
    report_years = {year for _, year in by_key}
    if years is None:
        chosen = set(report_years)
        if chosen and today is not None:
            chosen |= set(range(min(chosen), today.year))
        if chosen:
            chosen = set(range(min(chosen), max(chosen) + 1))
    else:
        chosen = set(years)
    use_list = agencies is not None and agencies.usable
    problems = agencies.problems if agencies is not None else ()
    # by year, then by name: each list entry looks at its namesakes only (the list and the
    # reports both grow with the portal; scanning every report for every entry was quadratic)
    by_year: dict[int, dict[AgencyRef, PublishedReport]] = {}
    for (agency, y), report in by_key.items():
        by_year.setdefault(y, {})[agency] = report
    ledgers: list[YearLedger] = []
    for year in sorted(chosen):
        entries: list[Entry] = []
        published = by_year.get(year, {})
        by_name: dict[str, list[AgencyRef]] = {}
        for agency in published:
            by_name.setdefault(agency.name, []).append(agency)
        claimed: set[AgencyRef] = set()
        if use_list:
            assert agencies is not None
            for entry in agencies.entries:
                if not entry.expected_in(year):
                    continue
                kind = _listed_kind(entry)
                found = sorted(
                    a for a in by_name.get(entry.name, ()) if a not in claimed and _match(entry, a)
                )
                exact = [a for a in found if a == entry.agency]
                if exact or found:
                    agency = (exact or found)[0]
                    claimed.add(agency)
                    entries.append(_judge(published[agency], kind, entry.level, "list"))
                else:
                    entries.append(_absent(entry.agency, year, kind, entry.level, "list", today))
            for agency, report in published.items():
                if agency not in claimed:
                    entries.append(_judge(report, _kind(agency.name, report.kind), None, None))
        else:
            before = by_year.get(year - 1, {})
            for agency, report in published.items():
                expected: Literal["inferred"] | None = "inferred" if agency in before else None
                entries.append(_judge(report, _kind(agency.name, report.kind), None, expected))
            for agency, report in before.items():
                if agency not in published:
                    kind = _kind(agency.name, report.kind)
                    entries.append(_absent(agency, year, kind, None, "inferred", today))
        entries.sort(
            key=lambda e: (_ORDER[e.status], e.agency.region.levels(), e.agency.name, e.file or "")
        )
        ledgers.append(YearLedger(year, tuple(entries)))
    return Timeliness(tuple(ledgers), "list" if use_list else "inferred", problems)


# ---- feed and CSV --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedItem:
    """A missing or late report for a feed: a stable `id`, the `date` it became news (the
    deadline for a missing report, the report's date for a late one), a Chinese `title`."""

    id: str
    date: date
    title: str
    entry: Entry


def feed_items(result: Timeliness) -> tuple[FeedItem, ...]:
    """Missing and late (including seen_late) entries, newest first, then by id."""
    items: list[FeedItem] = []
    for ledger in result.years:
        for entry in ledger.entries:
            label = entry.agency.label
            if entry.status == "missing":
                when = entry.deadline or date(entry.year + 1, 3, 31)
                title = f"{label}：未发布{entry.year}年政府信息公开工作年度报告"
            elif entry.status in LATE and entry.date is not None:
                when = entry.date
                title = f"{label}：{entry.year}年年报{STATUS_LABELS[entry.status]}（晚{entry.days_late}天）"
            else:
                continue
            ident = f"{entry.status}/{entry.year}/{entry.agency.region.path}/{entry.agency.name}"
            items.append(FeedItem(ident, when, title, entry))
    return tuple(sorted(items, key=lambda i: (-i.date.toordinal(), i.id)))


CSV_COLUMNS: Final = (
    "year",
    "region",
    "agency",
    "kind",
    "level",
    "status",
    "status_label",
    "deadline",
    "date",
    "date_source",
    "days_late",
    "file",
    "expected",
    "message",
)


def csv_rows(result: Timeliness) -> list[dict[str, str]]:
    """One row per entry in CSV_COLUMNS order, every value a string ("" for none)."""
    rows = []
    for ledger in result.years:
        for e in ledger.entries:
            rows.append(
                {
                    "year": str(e.year),
                    "region": e.agency.region.path,
                    "agency": e.agency.name,
                    "kind": e.kind,
                    "level": e.level or "",
                    "status": e.status,
                    "status_label": STATUS_LABELS[e.status],
                    "deadline": e.deadline.isoformat() if e.deadline else "",
                    "date": e.date.isoformat() if e.date else "",
                    "date_source": e.date_source or "",
                    "days_late": "" if e.days_late is None else str(e.days_late),
                    "file": e.file or "",
                    "expected": e.expected or "",
                    "message": e.message,
                }
            )
    return rows
