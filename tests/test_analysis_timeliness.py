"""Who has not published (generator/analysis/timeliness.py): reports/agencies.yml checked with
messages a maintainer can act on; on-time, late, first-seen-late, missing, not yet due,
townships without a deadline, and expectations inferred from the previous year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.analysis.common import AgencyRef
from generator.analysis.timeliness import (
    CSV_COLUMNS,
    RULES,
    AgencyList,
    PublishedReport,
    csv_rows,
    deadline_for,
    feed_items,
    load_agencies,
    parse_agencies,
    timeliness,
)

WEIDONG = "河南省/平顶山市/卫东区"
AGENCIES = f"""
- {{name: 卫东区政府办, region: {WEIDONG}, level: county_dept}}
- {{name: 卫东区教育局, region: {WEIDONG}, level: county_dept}}
- {{name: 卫东区人民政府, region: {WEIDONG}, level: county_gov}}
- {{name: 东安路街道办事处, region: {WEIDONG}/东安路街道, level: township}}
- {{name: 宜阳县人民政府办公室, region: 河南省/洛阳市/宜阳县, level: county_dept, since: 2021}}
"""


def ref(name: str, region: str = WEIDONG) -> AgencyRef:
    return AgencyRef.of(name, region.split("/"))


def published(
    name: str,
    year: int,
    region: str = WEIDONG,
    signed: date | None = None,
    first_seen: date | None = None,
) -> PublishedReport:
    return PublishedReport(
        ref(name, region), year, f"{region}/{name}-{year}.txt", signed, first_seen
    )


# ---- agencies.yml --------------------------------------------------------------------------


def test_a_valid_list() -> None:
    agencies = parse_agencies(AGENCIES)
    assert agencies.problems == () and agencies.usable
    assert [(e.index, e.name, e.region.path, e.level) for e in agencies.entries] == [
        (1, "卫东区政府办", WEIDONG, "county_dept"),
        (2, "卫东区教育局", WEIDONG, "county_dept"),
        (3, "卫东区人民政府", WEIDONG, "county_gov"),
        (4, "东安路街道办事处", f"{WEIDONG}/东安路街道", "township"),
        (5, "宜阳县人民政府办公室", "河南省/洛阳市/宜阳县", "county_dept"),
    ]
    assert agencies.entries[4].since == 2021 and not agencies.entries[4].expected_in(2020)


def test_list_problems_name_the_entry_and_what_to_do() -> None:
    text = f"""
- {{name: 卫东区政府办, region: {WEIDONG}, level: county_dept}}
- 卫东区教育局
- {{region: {WEIDONG}, level: county_dept}}
- {{name: 卫东区财政局, region: {WEIDONG}}}
- {{name: 卫东区财政局, region: {WEIDONG}, level: county_depart}}
- {{name: 卫东区税务局, region: 河南省//卫东区, level: county_dept}}
- {{name: 卫东区政府办, region: {WEIDONG}, level: county_dept}}
- {{name: 卫东区人民政府, region: {WEIDONG}, level: county_dept}}
- {{name: 卫东区统计局, region: 河南省/平顶山市, level: county_dept, url: x}}
- {{name: 卫东区审计局, level: county_dept, since: 二〇二一}}
- {{name: 卫东区民政局, level: county_dept, since: 2022, until: 2021}}
- {{name: 卫东区商务局, level: county_dept}}
"""
    agencies = parse_agencies(text)
    assert [e.name for e in agencies.entries] == [
        "卫东区政府办",
        "卫东区人民政府",
        "卫东区统计局",
        "卫东区商务局",
    ]
    assert [(p.entry, p.severity) for p in agencies.problems] == [
        (2, "error"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "error"),
        (8, "warning"),
        (9, "warning"),
        (9, "warning"),
        (10, "warning"),
        (10, "error"),
        (11, "warning"),
        (11, "error"),
        (12, "warning"),
    ]
    messages = [p.message for p in agencies.problems]
    assert messages[0] == (
        "reports/agencies.yml 第2项：应为 {name, region, level} 形式的条目，实际是“卫东区教育局”，已忽略本项"
    )
    assert messages[1] == (
        "reports/agencies.yml 第3项：缺少 name（机关名称，如 name: 卫东区政府办），已忽略本项"
    )
    assert messages[2].startswith(
        "reports/agencies.yml 第4项（卫东区财政局）：缺少 level（层级），可用："
    )
    assert "county_dept（县级政府部门（含办公室））" in messages[2]
    assert messages[3].startswith(
        "reports/agencies.yml 第5项（卫东区财政局）：level “county_depart”不是已知层级，可用："
    )
    assert messages[4] == (
        "reports/agencies.yml 第6项（卫东区税务局）：region “河南省//卫东区”应为用“/”分隔的1至4级地区，"
        "如 河南省/平顶山市/卫东区；已忽略本项"
    )
    assert messages[5] == (
        "reports/agencies.yml 第7项（卫东区政府办）：与第1项重复（名称和地区相同），已忽略本项"
    )
    assert messages[6] == (
        "reports/agencies.yml 第8项（卫东区人民政府）：名称看起来是“人民政府本级”，但 level 为 "
        "county_dept（县级政府部门（含办公室）），两者的发布期限不同；请核对"
    )
    assert "未知字段 url" in messages[7] and "region “河南省/平顶山市”有2级" in messages[8]
    assert messages[10] == (
        "reports/agencies.yml 第10项（卫东区审计局）：since 应为四位年份（如 since: 2021），"
        "实际是“二〇二一”；已忽略本项"
    )
    assert messages[12] == (
        "reports/agencies.yml 第11项（卫东区民政局）：since 2022 晚于 until 2021；已忽略本项"
    )
    assert "只按名称匹配年报" in messages[13]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("- {name: 卫东区政府办\n  level: [", "reports/agencies.yml：不是有效的 YAML（第"),
        ("name: 卫东区政府办\nlevel: county_dept\n", "reports/agencies.yml：应为条目列表"),
    ],
)
def test_an_unusable_list_falls_back_to_inference(text: str, start: str) -> None:
    agencies = parse_agencies(text)
    assert not agencies.usable
    (problem,) = agencies.problems
    assert problem.entry is None and problem.message.startswith(start)
    assert problem.message.endswith("本次按上一年已发布的机关推断应发布名单")
    result = timeliness([published("卫东区政府办", 2021)], agencies)
    assert result.expected_from == "inferred" and result.problems == agencies.problems


def test_load_agencies_is_optional(tmp_path: Path) -> None:
    assert load_agencies(tmp_path) is None
    (tmp_path / "agencies.yml").write_text(AGENCIES, "utf-8")
    loaded = load_agencies(tmp_path)
    assert isinstance(loaded, AgencyList) and len(loaded.entries) == 5
    (tmp_path / "agencies.yml").write_bytes("- {name: 卫东区政府办}".encode("gbk"))
    broken = load_agencies(tmp_path)
    assert broken is not None and broken.problems[0].message.startswith(
        "reports/agencies.yml：无法读取"
    )


# ---- the ledger ----------------------------------------------------------------------------


def test_deadlines_by_kind() -> None:
    assert deadline_for("office", 2021) == deadline_for("department", 2021) == date(2022, 1, 31)
    assert deadline_for("government", 2021) == date(2022, 3, 31)
    assert deadline_for("township", 2021) is None


def listed_corpus() -> list[PublishedReport]:
    return [
        published("卫东区政府办", 2021, signed=date(2022, 1, 20)),
        published("卫东区人民政府", 2021, first_seen=date(2022, 5, 1)),
        published("东安路街道办事处", 2021, f"{WEIDONG}/东安路街道", signed=date(2022, 4, 2)),
        published("宜阳县人民政府办公室", 2021, "河南省/洛阳市/宜阳县", signed=date(2022, 2, 15)),
        published("卫东区财政局", 2021, first_seen=date(2022, 1, 10)),
    ]


def test_a_year_with_the_list_published_late_missing_and_unlisted() -> None:
    result = timeliness(listed_corpus(), parse_agencies(AGENCIES), today=date(2022, 6, 1))
    assert result.expected_from == "list"
    (ledger,) = result.years
    assert ledger.year == 2021
    assert [(e.agency.name, e.status, e.date_source, e.days_late) for e in ledger.entries] == [
        ("卫东区教育局", "missing", None, None),
        ("宜阳县人民政府办公室", "late", "signed", 15),
        ("卫东区人民政府", "seen_late", "first_seen", 31),
        ("卫东区政府办", "on_time", "signed", None),
        ("卫东区财政局", "on_time", "first_seen", None),
        ("东安路街道办事处", "no_deadline", "signed", None),
    ]
    assert [e.agency.name for e in ledger.missing] == ["卫东区教育局"]
    assert [e.agency.name for e in ledger.late] == ["宜阳县人民政府办公室", "卫东区人民政府"]
    assert [e.agency.name for e in ledger.unlisted] == ["卫东区财政局"]
    by_name = {e.agency.name: e for e in ledger.entries}
    assert by_name["宜阳县人民政府办公室"].message == (
        "逾期发布：落款日期2022年2月15日，晚于期限2022年1月31日 15 天"
    )
    assert by_name["卫东区人民政府"].message == (
        "首次收录日期2022年5月1日，晚于期限2022年3月31日 31 天；年报没有落款日期，实际发布日期可能更早"
    )
    assert by_name["卫东区教育局"].message == "未发布2021年年报，期限2022年1月31日已过（名单列出）"
    assert by_name["东安路街道办事处"].message == (
        "已发布，落款日期2022年4月2日；乡镇、街道无法定发布期限"
    )
    assert by_name["东安路街道办事处"].basis.startswith(
        "乡镇、街道：《条例》第四十九条未规定发布期限"
    )
    assert (
        by_name["卫东区政府办"].kind == "office" and by_name["卫东区人民政府"].kind == "government"
    )
    assert by_name["卫东区人民政府"].basis.startswith("《条例》第四十九条：县级以上地方人民政府")


def test_not_yet_due_before_the_deadline() -> None:
    corpus = [r for r in listed_corpus() if r.agency.name != "卫东区人民政府"]
    result = timeliness(corpus, parse_agencies(AGENCIES), today=date(2022, 2, 15))
    statuses = {e.agency.name: e.status for e in result.years[0].entries}
    assert statuses["卫东区人民政府"] == "not_due"  # 3月31日 not reached
    assert statuses["卫东区教育局"] == "missing"  # 1月31日 passed
    without_today = timeliness(corpus, parse_agencies(AGENCIES)).years[0]
    assert "卫东区人民政府" in {e.agency.name for e in without_today.missing}


def test_a_township_is_listed_missing_only_after_march() -> None:
    agencies = parse_agencies(AGENCIES)
    before = timeliness([], agencies, today=date(2022, 3, 31), years=[2021]).years[0]
    after = timeliness([], agencies, today=date(2022, 4, 1), years=[2021]).years[0]
    township = ref("东安路街道办事处", f"{WEIDONG}/东安路街道")
    assert next(e for e in before.entries if e.agency == township).status == "not_due"
    entry = next(e for e in after.entries if e.agency == township)
    assert entry.status == "missing" and entry.deadline is None
    assert entry.message == "未发布2021年年报（名单列出；乡镇、街道无法定期限，次年3月31日后列出）"


def test_an_inferred_expectation() -> None:
    corpus = [
        published("卫东区政府办", 2020, signed=date(2021, 1, 25)),
        published("卫东区政府办", 2021, signed=date(2022, 1, 28)),
        published("卫东区教育局", 2020, signed=date(2021, 1, 30)),
    ]
    result = timeliness(corpus, None, today=date(2022, 6, 1))
    assert result.expected_from == "inferred" and [y.year for y in result.years] == [2020, 2021]
    first, second = result.years
    assert {e.expected for e in first.entries} == {None}  # nothing before 2020
    assert [(e.agency.name, e.status, e.expected) for e in second.entries] == [
        ("卫东区教育局", "missing", "inferred"),
        ("卫东区政府办", "on_time", "inferred"),
    ]
    assert (
        second.missing[0].message == "未发布2021年年报，期限2022年1月31日已过（2020年发布过年报）"
    )


def test_years_extend_to_the_last_year_due() -> None:
    corpus = [published("卫东区政府办", 2021, signed=date(2022, 1, 28))]
    result = timeliness(corpus, None, today=date(2023, 6, 1))
    assert [y.year for y in result.years] == [2021, 2022]
    assert [(e.agency.name, e.status) for e in result.years[1].entries] == [
        ("卫东区政府办", "missing")
    ]


def test_undated_and_duplicate_reports() -> None:
    corpus = [
        published("卫东区政府办", 2021),
        PublishedReport(ref("卫东区政府办"), 2021, "b-later.txt", date(2022, 1, 30)),
        published("卫东区教育局", 2021),
    ]
    (ledger,) = timeliness(corpus).years
    by_name = {e.agency.name: e for e in ledger.entries}
    assert by_name["卫东区政府办"].file == "b-later.txt"  # the dated one is judged
    assert by_name["卫东区教育局"].status == "undated"


def test_feed_and_csv_are_ready_and_stable() -> None:
    agencies = parse_agencies(AGENCIES)
    result = timeliness(listed_corpus(), agencies, today=date(2022, 6, 1))
    assert timeliness(list(reversed(listed_corpus())), agencies, today=date(2022, 6, 1)) == result
    items = feed_items(result)
    assert [(i.id, i.date, i.title) for i in items] == [
        (
            f"seen_late/2021/{WEIDONG}/卫东区人民政府",
            date(2022, 5, 1),
            f"{WEIDONG} 卫东区人民政府：2021年年报首次收录晚于期限（晚31天）",
        ),
        (
            "late/2021/河南省/洛阳市/宜阳县/宜阳县人民政府办公室",
            date(2022, 2, 15),
            "河南省/洛阳市/宜阳县 宜阳县人民政府办公室：2021年年报逾期发布（晚15天）",
        ),
        (
            f"missing/2021/{WEIDONG}/卫东区教育局",
            date(2022, 1, 31),
            f"{WEIDONG} 卫东区教育局：未发布2021年政府信息公开工作年度报告",
        ),
    ]
    rows = csv_rows(result)
    assert len(rows) == 6 and all(tuple(row) == CSV_COLUMNS for row in rows)
    assert rows[1] == {
        "year": "2021",
        "region": "河南省/洛阳市/宜阳县",
        "agency": "宜阳县人民政府办公室",
        "kind": "office",
        "level": "county_dept",
        "status": "late",
        "status_label": "逾期发布",
        "deadline": "2022-01-31",
        "date": "2022-02-15",
        "date_source": "signed",
        "days_late": "15",
        "file": "河南省/洛阳市/宜阳县/宜阳县人民政府办公室-2021.txt",
        "expected": "list",
        "message": "逾期发布：落款日期2022年2月15日，晚于期限2022年1月31日 15 天",
    }


def test_rule_candidates_say_what_is_inferred() -> None:
    assert [r.id for r in RULES] == ["TL-01", "TL-02"]
    for rule in RULES:
        assert rule.certainty == "D" and "[D]" in rule.basis and "不是法定要求" in rule.basis
        assert "第四十九条" in rule.basis
