"""HI-01 / HI-02 in the check stage (region rules, issue 17) and MD-05 on a silent edit: a
hierarchy with an impossible sum is flagged on the government's report, at its cell; a
government that does not claim its whole area, or whose members add up, is not."""

from __future__ import annotations

from typing import Any

from conftest import make_record, setp

from generator.check import check_corpus, group_by_region
from generator.model import Record

COUNTY = {"province": "河南省", "city": "平顶山市", "county": "卫东区", "township": None}
OTHER_PROVINCE = {"province": "福建省", "city": "三明市", "county": "建宁县", "township": None}


def report(
    slug: str,
    name: str,
    region: dict[str, Any],
    review: int,
    received: int,
    overview: str | None = None,
    year: int = 2021,
) -> dict[str, Any]:
    record = make_record("2021", year)
    record["id"] = f"{slug}/{year}"
    record["agency"] = {"name": name, "region": dict(region)}
    record["source"]["file"] = f"{slug}-{year}.txt"
    record["source"]["sha256"] = slug.ljust(64, "0")[:64]
    setp("appeals.review.total", review)(record)
    setp("appeals.review.upheld", review)(record)
    setp("requests.received.0", received)(record)
    setp("requests.received.6", received)(record)
    if overview is not None:
        record["sections"]["overview"] = overview
    return record


CLAIM = "全区共收到政府信息公开申请2件，全区共发生行政复议案件1件。"


def hierarchy(
    claim: str | None = CLAIM, education_review: int = 3, received: int = 2
) -> list[Record]:
    return [
        Record.from_dict(r)
        for r in (
            report("weidong-qu", "卫东区人民政府", COUNTY, 1, received, claim),
            report("weidong-jiaoyu", "卫东区教育局", COUNTY, education_review, 1),
            report(
                "dongan-jiedao",
                "东安路街道办事处",
                {**COUNTY, "township": "东安路街道"},
                1,
                1,
            ),
            report("jianning-xian", "建宁县人民政府", OTHER_PROVINCE, 0, 0),
        )
    ]


def hi_findings(records: list[Record]) -> dict[str, list[tuple[str, str | None, str]]]:
    found = check_corpus(records)
    return {
        rid: [(f.rule, f.where, f.message) for f in findings if f.rule.startswith("HI-")]
        for rid, findings in found.items()
        if any(f.rule.startswith("HI-") for f in findings)
    }


def test_an_impossible_sum_is_flagged_on_the_governments_report() -> None:
    found = hi_findings(hierarchy())
    assert list(found) == ["weidong-qu/2021"]
    (rule, where, message), *_ = found["weidong-qu/2021"]
    assert (rule, where) == ("HI-01", "appeals.review.total")
    assert "全区共发生行政复议案件1件" in message
    assert "卫东区教育局 3" in message and "东安路街道办事处 1" in message
    assert "之和为4" in message and "不能同时成立" in message


def test_the_requests_sum_is_compared_too() -> None:
    records = hierarchy(claim="全区共收到政府信息公开申请1件。", education_review=0, received=1)
    found = hi_findings(records)
    assert [(rule, where) for rule, where, _ in found["weidong-qu/2021"]] == [
        ("HI-02", "requests.received.total")
    ]


def test_no_claim_of_the_whole_area_no_flag() -> None:
    """The county's table counts its own cases unless its report says otherwise."""
    assert hi_findings(hierarchy(claim="本机关认真贯彻落实《条例》。")) == {}


def test_members_within_the_total_no_flag() -> None:
    assert hi_findings(hierarchy(education_review=0)) == {}  # 0 + 1 <= 1 and 1 + 1 <= 2


def test_regions_are_checked_by_province() -> None:
    groups = group_by_region(hierarchy())
    assert [[r.agency.name for r in g] for g in groups] == [
        ["卫东区人民政府", "卫东区教育局", "东安路街道办事处"],  # 河南省
        ["建宁县人民政府"],  # 福建省
    ]


def test_md_05_notes_a_silent_edit() -> None:
    data = report("weidong-qu", "卫东区人民政府", COUNTY, 0, 0)
    data["edits"] = [
        {
            "file": data["source"]["file"],
            "sha256": "a" * 64,
            "first_seen": "2022-01-10T09:00:00+08:00",
            "replaced": "2022-03-05T16:45:00+08:00",
            "readable": True,
            "table_changes": [{"where": "requests.received.total", "old": 1, "new": 0}],
            "text_diff": "",
        }
    ]
    record = Record.from_dict(data)
    (finding,) = [f for f in check_corpus([record])[record.key] if f.rule == "MD-05"]
    assert finding.level.value == "info" and finding.where == "source.sha256"
    assert "被替换1次" in finding.message and "2022年3月5日" in finding.message
