"""Hierarchies that add up (generator/analysis/hierarchy.py): a county's reports side by side,
an impossible sum and one that adds up, the claim a sum needs, and carry-over chains."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.analysis.common import AgencyRef, Region, agency_kind
from generator.analysis.hierarchy import (
    RULES,
    RULES_BY_ID,
    HierarchyReport,
    area_claims,
    carry_over_flags,
    check_hierarchy,
    group_places,
    kind_label,
)

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ("河南省", "平顶山市", "卫东区")


def report(
    name: str,
    year: int,
    *,
    region: tuple[str, ...] = COUNTY,
    review: int | None = 0,
    received: int | None = 0,
    text: str = "",
    carried_over: tuple[int | None, ...] = (0,) * 7,
    carried_forward: tuple[int | None, ...] = (0,) * 7,
) -> HierarchyReport:
    return HierarchyReport(
        agency=AgencyRef.of(name, region),
        year=year,
        file=f"{'/'.join(region)}/{name}-{year}.txt",
        review_total=review,
        suit_direct_total=0,
        suit_after_review_total=0,
        received_total=received,
        carried_over=carried_over,
        carried_forward=carried_forward,
        texts=(("overview", text),) if text else (),
    )


CLAIM = "2021年，全区共收到政府信息公开申请12件，全区共发生政府信息公开行政复议案件1件。"


def county_2021(
    government_text: str = CLAIM, township_review: int | None = 1
) -> list[HierarchyReport]:
    return [
        report("卫东区人民政府", 2021, review=1, received=12, text=government_text),
        report("卫东区政府办", 2021, review=0, received=3),
        report("卫东区教育局", 2021, review=2, received=5),
        report(
            "东安路街道办事处",
            2021,
            region=(*COUNTY, "东安路街道"),
            review=township_review,
            received=2,
        ),
    ]


def test_kinds_from_names() -> None:
    assert [
        agency_kind(n)
        for n in (
            "卫东区人民政府",
            "尖山区",
            "卫东区政府办",
            "宜阳县人民政府办公室",
            "卫东区教育局",
        )
    ] == ["government", "government", "office", "office", "department"]
    assert agency_kind("东安路街道办事处") == agency_kind("伊家乡人民政府") == "township"


def test_a_county_side_by_side() -> None:
    (group,) = group_places(county_2021())
    assert group.place == Region.of(COUNTY) and group.year == 2021
    assert group.government is not None and group.government.agency.name == "卫东区人民政府"
    assert [kind_label(r) for r in group.departments] == ["政府办公室", "政府部门"]
    assert [r.agency.name for r in group.departments] == ["卫东区政府办", "卫东区教育局"]
    assert [r.agency.name for r in group.children] == ["东安路街道办事处"]
    review = next(s for s in group.sums if s.measure == "appeals.review.total")
    assert (review.government, review.members_sum, review.blank) == (1, 3, ())
    received = next(s for s in group.sums if s.measure == "requests.received.total")
    assert (received.government, received.members_sum) == (12, 10)


def test_an_impossible_sum_is_flagged_with_its_cells_and_claim() -> None:
    _, flags = check_hierarchy(county_2021())
    (flag,) = flags  # the requests add up (3 + 5 + 2 <= 12); the 复议 cases do not
    assert flag.rule == "HI-01" and flag.year == 2021 and flag.agency.name == "卫东区人民政府"
    assert flag.claim is not None and flag.claim.topics == ("requests", "appeals")
    assert flag.claim.sentence == CLAIM and (flag.claim.section, flag.claim.line) == ("overview", 1)
    assert [(c.agency.name, c.where, c.value) for c in flag.cells] == [
        ("卫东区人民政府", "appeals.review.total", 1),
        ("卫东区政府办", "appeals.review.total", 0),
        ("卫东区教育局", "appeals.review.total", 2),
        ("东安路街道办事处", "appeals.review.total", 1),
    ]
    assert flag.cells[0].file == "河南省/平顶山市/卫东区/卫东区人民政府-2021.txt"
    assert flag.message == (
        "卫东区人民政府2021年报告称“2021年，全区共收到政府信息公开申请12件，全区共发生政府信息公开"
        "行政复议案件1件”，其第四部分 行政复议 · 总计为1；本地区3份下级报告的同一栏目之和为3"
        "（卫东区政府办 0、卫东区教育局 2、东安路街道办事处 1），大于全域总数，二者不能同时成立"
    )


def test_a_hierarchy_that_adds_up() -> None:
    reports = county_2021(township_review=0)
    reports[0] = report("卫东区人民政府", 2021, review=2, received=12, text=CLAIM)
    groups, flags = check_hierarchy(reports)
    assert flags == () and len(groups) == 1


def test_no_claim_no_comparison() -> None:
    """Without a whole-area claim the county's table counts its own level: nothing to add up."""
    own_level = "2021年，区政府共收到政府信息公开申请12件，均按时答复。"
    _, flags = check_hierarchy(county_2021(government_text=own_level))
    assert flags == ()


def test_a_blank_member_cell_is_left_out_and_named() -> None:
    reports = county_2021(township_review=None)
    reports[2] = report("卫东区教育局", 2021, review=3, received=5)
    _, (flag,) = check_hierarchy(reports)
    assert "之和为3" in flag.message and flag.message.endswith(
        "；空白未计入：东安路街道办事处），大于全域总数，二者不能同时成立"
    )
    assert [c.agency.name for c in flag.cells] == ["卫东区人民政府", "卫东区政府办", "卫东区教育局"]


def test_a_township_in_the_county_folder_is_a_child() -> None:
    reports = county_2021()
    reports[3] = report("东安路街道办事处", 2021, review=4, received=2)  # no township folder
    (group,) = group_places(reports)
    assert [r.agency.name for r in group.children] == ["东安路街道办事处"]
    _, flags = check_hierarchy(reports)
    assert [f.rule for f in flags] == ["HI-01"]


def test_a_city_groups_its_counties_and_a_lone_county_has_no_members() -> None:
    city = ("河南省", "平顶山市")
    reports = [
        report("平顶山市人民政府", 2021, region=city, review=0, text="全市未发生行政复议案件。"),
        report("卫东区人民政府", 2021, review=1),
        report("平顶山市教育局", 2021, region=city, review=0),
    ]
    groups, flags = check_hierarchy(reports)
    assert [(g.place.path, [r.agency.name for r in g.members]) for g in groups] == [
        ("河南省/平顶山市", ["平顶山市教育局", "卫东区人民政府"]),
        ("河南省/平顶山市/卫东区", []),
    ]
    assert [(f.rule, f.agency.name) for f in flags] == [("HI-01", "平顶山市人民政府")]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("2021年，全区共收到政府信息公开申请5件，办结5件。", ("requests",)),
        ("全县未发生因政府信息公开引发的行政复议、行政诉讼案件。", ("appeals",)),
        ("本报告数据包括各乡镇、各部门。", ("requests", "appeals")),
        ("2021年度，尖山区共办理依申请公开1件。", None),
        ("指导全区各单位规范办理依申请公开。", None),
        ("区政府未发生行政复议案件。", None),
    ],
)
def test_area_claims(text: str, topics: tuple[str, ...] | None) -> None:
    claims = area_claims("overview", "第一行。\n" + text)
    if topics is None:
        assert claims == ()
    else:
        (claim,) = claims
        assert (claim.topics, claim.line, claim.sentence) == (topics, 2, text)


def test_the_yimei_sample_claims_its_whole_area() -> None:
    text = (ROOT / "reports/黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报.txt").read_text("utf-8")
    (claim,) = area_claims("overview", text)
    assert claim.topics == ("requests",)
    assert claim.sentence.startswith("2021年，全区共收到政府信息公开申请5件")


def test_a_carry_over_chain_that_breaks() -> None:
    forward = (1, 0, 0, 0, 0, 1, 2)
    reports = [
        report("卫东区政府办", 2021, carried_forward=forward),
        report("卫东区政府办", 2022, carried_over=(1, 0, 0, 0, 0, 0, 1), carried_forward=(0,) * 7),
        report("卫东区政府办", 2023, carried_over=(0,) * 7),
        report("卫东区教育局", 2021, carried_forward=(0,) * 7),
        report("卫东区教育局", 2022, carried_over=(0, None, 0, 0, 0, 0, None)),
    ]
    (flag,) = carry_over_flags(reports)
    assert (flag.rule, flag.year, flag.agency.name) == ("HI-03", 2022, "卫东区政府办")
    assert flag.message == (
        "卫东区政府办2021年报告“四、结转下年度继续办理”与2022年报告“二、上年结转政府信息公开申请数量”"
        "不一致：其他列 1→0；总计列 2→1"
    )
    assert [(c.year, c.where, c.value) for c in flag.cells] == [
        (2021, "requests.carried_forward.other_org", 1),
        (2022, "requests.carried_over.other_org", 0),
        (2021, "requests.carried_forward.total", 2),
        (2022, "requests.carried_over.total", 1),
    ]
    # a gap year is not a break, and the whole check is stable
    assert carry_over_flags([reports[0], reports[2]]) == ()
    assert check_hierarchy(reports) == check_hierarchy(list(reversed(reports)))


def test_rule_candidates_carry_basis_and_certainty() -> None:
    assert [r.id for r in RULES] == ["HI-01", "HI-02", "HI-03"] == list(RULES_BY_ID)
    for rule in RULES:
        assert rule.certainty == "D" and "[D]" in rule.basis
        assert rule.basis.startswith("本门户的分析，不是法定要求")
        assert rule.title and rule.what and rule.level in ("error", "warning", "info")
