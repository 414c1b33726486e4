"""Promises kept (generator/analysis/promises.py): section 五 items from the samples, the
ledger on corpora built for it (kept, repeated, silent), the corpus list of agencies that
repeat themselves, and the measured thresholds on the hand-labelled pairs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from generator.analysis.common import AgencyRef
from generator.analysis.promises import (
    DONE_THRESHOLD,
    REPEAT_THRESHOLD,
    PromiseReport,
    classify_pair,
    content_bigrams,
    done_marker,
    extract_items,
    is_generic,
    ledgers,
    match_year,
    repeating_agencies,
    report_sentences,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PAIRS = ROOT / "tests" / "fixtures" / "analysis" / "promise_pairs.yml"


def section_five(relative: str) -> str:
    """Section 五 of a sample as printed, cut by its heading (no parser involved)."""
    text = (REPORTS / relative).read_text("utf-8")
    start = text.index("五、存在的主要问题及改进情况")
    start = text.index("\n", start) + 1
    end = text.index("六、其他需要报告的事项", start)
    return text[start:end].rsplit("\n", 1)[0]


YIYANG = "河南省/洛阳市/宜阳县/宜阳县人民政府办公室-2021年报.txt"
JIANSHAN = "黑龙江省/双鸭山市/尖山区/尖山区人民政府-2021年报.txt"
YIJIA = "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt"
WEIDONG = "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"
YIMEI = "黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报.txt"


# ---- items ---------------------------------------------------------------------------------


def test_items_of_yiyang_problems_then_plans() -> None:
    items = extract_items(section_five(YIYANG))
    assert [(i.kind, i.marker, i.text) for i in items] == [
        ("problem", "一是", "县域政务新媒体较多，监管力度不够，存在有新媒体账号更新不及时的情况"),
        ("problem", "二是", "政务公开标准化规范化落实内容发布不够"),
        ("problem", "三是", "政策文件解读方式单一"),
        ("commitment", "一是", "加强领导，落实责任"),
        ("commitment", "二是", "坚持问题导向，抓好问题整改"),
        ("commitment", "三是", "持续推进基层政务公开平台规范化"),
        ("commitment", "四是", "创新方式方法，落实政策解读工作"),
    ]
    # the sentence is the whole item as printed; the line is where it starts in the section
    lines = section_five(YIYANG).splitlines()
    for item in items:
        assert item.sentence[:10] in lines[item.line - 1]
    assert items[6].sentence.startswith("创新方式方法，落实政策解读工作。按照政策文件和解读文本")
    assert items[6].sentence.endswith("多种方式进行解读。")


def test_items_of_jianshan_inline_cues_and_generic() -> None:
    items = extract_items(section_five(JIANSHAN))
    assert [(i.kind, i.marker, i.generic) for i in items] == [
        ("problem", "一是", True),  # 对政务信息工作认识有待提高: boilerplate
        ("problem", "二是", False),
        ("problem", "三是", False),
        ("commitment", "下一步", False),  # 在下一步工作中，尖山区政府将…
        ("commitment", "一是", False),
        ("commitment", "二是", False),
        ("commitment", "三是", False),
    ]
    assert items[2].text == "信息发布缺少时效性"
    assert items[3].line == items[4].line == items[0].line + 1


def test_items_of_yijia_bold_enumerators_and_headings() -> None:
    items = extract_items(section_five(YIJIA))
    assert [(i.kind, i.marker, i.text) for i in items] == [
        ("problem", "一是", "政务公开的组织建设仍需加改进"),
        ("problem", "二是", "信息公开类型及内容覆盖不够全面"),
        ("commitment", "一是", "加强政府信息公开工作理论学习和业务培训"),
        ("commitment", "二是", "规范提升主动公开工作"),
    ]


def test_items_aimed_at_a_problem_are_commitments() -> None:
    items = extract_items(section_five(WEIDONG))
    assert [(i.kind, i.marker) for i in items] == [("commitment", f"({n})") for n in "一二三"]
    assert items[0].text.startswith("针对政府信息公开深度不够的问题，要着力在")
    assert items[0].text.endswith("…") and len(items[0].text) == 40


def test_items_of_a_sentence_broken_across_lines() -> None:
    items = extract_items(section_five(YIMEI))
    first = items[0]
    assert first.kind == "problem" and first.text == "信息公开质量不高"
    assert "追求信息发布数量而忽略公开信息的必要性和实用性" in first.sentence
    assert [i.kind for i in items] == ["problem", "problem", "commitment", "commitment"]
    # each item's line is the physical line it starts on, inside a joined paragraph too
    assert [i.line for i in items] == [4, 6, 10, 12]
    assert section_five(YIMEI).splitlines()[5].startswith("量而忽略")


@pytest.mark.parametrize(
    ("text", "kind", "marker"),
    [
        ("下一步，我们将加强政务新媒体账号巡查，关停长期不更新的账号。", "commitment", "下一步"),
        ("今后将在各乡镇便民服务中心设立政务公开专区。", "commitment", "今后"),
        ("2023年将开通政府信息公开网上申请平台。", "commitment", "2023年将"),
        ("（一）存在问题\n依申请公开答复文书不够规范。", "problem", ""),
        ("1.政务公开专区建设不够规范。\n2.政策解读形式单一。", "problem", "1."),
    ],
)
def test_item_cues(text: str, kind: str, marker: str) -> None:
    first = extract_items(text)[0]
    assert (first.kind, first.marker) == (kind, marker)


def test_no_text_no_items() -> None:
    assert extract_items(None) == () and extract_items("") == () and extract_items("无。") == ()


# ---- similarity ----------------------------------------------------------------------------


def test_generic_words_years_and_numbers_are_not_content() -> None:
    assert content_bigrams("2022年进一步提高政务公开工作质量和水平。") == frozenset()
    assert content_bigrams("关停账号12个") == content_bigrams("关停账号3个")
    assert {"媒体", "新媒"} <= content_bigrams("加强政务新媒体监管")
    assert is_generic("一是加强领导，落实责任。进一步加强组织领导，压实责任。")
    assert not is_generic("加强政府信息公开保密审查。")


def test_done_markers() -> None:
    assert done_marker("全年开展政务新媒体季度巡查4次") == "4次"
    assert done_marker("清理结果已在政府网站集中公布") == "已"
    assert done_marker("政策解读形式较为单一") is None


def test_classify_pair_each_label() -> None:
    assert classify_pair(
        "三是政策文件解读方式单一。", "二是政策解读形式较为单一，解读方式单一。", "problems"
    ) == ("repeated", pytest.approx(6 / 9))  # 政策 解读 读方 方式 式单 单一 of 9 bigrams
    label, score = classify_pair(
        "二是推进政府网站适老化和无障碍改造。",
        "完成政府门户网站适老化和无障碍改造，上线长者模式和读屏功能。",
        "overview",
    )
    assert label == "done" and score >= DONE_THRESHOLD
    # boilerplate copied word for word is never a match
    assert classify_pair(
        "进一步提高政务公开工作质量和水平。", "进一步提高政务公开工作质量和水平。", "problems"
    ) == ("unrelated", 0.0)
    # a result reported in section 五 is done, not repeated
    label, _ = classify_pair(
        "加强对乡镇政务公开工作的业务指导。",
        "针对上年度报告中提出的问题，组织对各乡镇政务公开工作开展了专项业务指导。",
        "problems",
    )
    assert label == "done"


def test_report_sentences_split_at_enumerators_and_stops() -> None:
    sentences = report_sentences("problems", "存在问题：\n一是甲不够；二是乙不足。丙单一。")
    assert [(s.text, s.line) for s in sentences] == [
        ("甲不够；", 2),
        ("乙不足。", 2),
        ("丙单一。", 2),
    ]


# ---- the ledger on corpora built for it ----------------------------------------------------

YIYANG_AGENCY = AgencyRef.of("宜阳县人民政府办公室", ["河南省", "洛阳市", "宜阳县"])
KEPT_OVERVIEW_2022 = """2022年，宜阳县人民政府办公室认真落实《条例》要求，扎实做好政府信息公开工作。
（一）主动公开情况。全年通过政府网站发布各类信息6200余条。对全县政务新媒体开展季度检查4次，关停整合更新不及时的新媒体账号9个，政务新媒体监管常态化。
（二）政策解读。按照同步起草、同步审批、同步发布的要求，全年发布政策解读26篇，其中采取图解、视频、访谈等多种方式解读15篇。
（三）平台建设。对县政府网站政务公开栏目设置进行优化调整，新增标准化规范化专栏，集中发布政务公开标准化规范化落实情况。"""
KEPT_PROBLEMS_2022 = """存在的主要问题：
一是依申请公开答复文书格式还不够统一；二是对公共企事业单位信息公开的指导不够。
下一步工作打算：
一是统一依申请公开答复文书格式，制定答复文书模板。二是加强对教育、医疗、供水等公共企事业单位信息公开的指导。"""


def yiyang(year: int, overview: str | None, problems: str | None) -> PromiseReport:
    return PromiseReport(YIYANG_AGENCY, year, overview, problems, f"宜阳/{year}.txt")


def test_an_agency_that_kept_its_commitments() -> None:
    ledger = match_year(
        yiyang(2021, None, section_five(YIYANG)),
        yiyang(2022, KEPT_OVERVIEW_2022, KEPT_PROBLEMS_2022),
    )
    assert ledger.compared and ledger.next_year == 2022 and ledger.next_file == "宜阳/2022.txt"
    outcomes = {p.item.text: p.outcome for p in ledger.promises}
    assert outcomes["县域政务新媒体较多，监管力度不够，存在有新媒体账号更新不及时的情况"] == "done"
    assert outcomes["政务公开标准化规范化落实内容发布不够"] == "done"
    assert outcomes["持续推进基层政务公开平台规范化"] == "done"
    assert outcomes["创新方式方法，落实政策解读工作"] == "done"
    assert ledger.count("repeated") == 0
    # every match carries both sentences, where the second is, and why it counts as done
    media = ledger.promises[0]
    (evidence,) = media.evidence
    assert evidence.item_sentence.startswith("县域政务新媒体较多")
    assert evidence.sentence == (
        "对全县政务新媒体开展季度检查4次，关停整合更新不及时的新媒体账号9个，政务新媒体监管常态化。"
    )
    assert (evidence.section, evidence.line, evidence.file) == ("overview", 2, "宜阳/2022.txt")
    assert evidence.marker == "4次" and evidence.score >= DONE_THRESHOLD
    interpretation = ledger.promises[6]
    assert [e.sentence[:12] for e in interpretation.evidence] == ["按照同步起草、同步审批、"]
    # no sub-heading ("政策解读。") is ever evidence
    assert all(len(e.sentence) >= 10 for p in ledger.promises for e in p.evidence)


JIANSHAN_AGENCY = AgencyRef.of("尖山区人民政府", ["黑龙江省", "双鸭山市", "尖山区"])
REPEATED_PROBLEMS = {
    2022: "通过一年来的努力，我区政务公开工作取得了一定成绩，但也存在一些问题：一是对政务公开工作重要性的认识有待提高；二是政策解读方式仍然单一；三是信息发布时效性不强，缺少时效性。\n"
    "下一步，尖山区政府将围绕政策落地聚焦群众需求，做好政策解读。",
    2023: "存在的主要问题：一是政策解读方式单一；二是信息发布缺少时效性；三是依申请公开答复文书不够规范。\n"
    "下一步，我们将统一依申请公开答复文书格式。",
}


def jianshan(year: int) -> PromiseReport:
    problems = section_five(JIANSHAN) if year == 2021 else REPEATED_PROBLEMS[year]
    overview = "全年通过政府网站发布信息1500条。" if year > 2021 else None
    return PromiseReport(JIANSHAN_AGENCY, year, overview, problems, f"尖山/{year}.txt")


def test_an_agency_that_repeats_its_problems() -> None:
    ledger = match_year(jianshan(2021), jianshan(2022))
    by_text = {p.item.text: p for p in ledger.promises}
    assert by_text["对政务信息工作认识有待提高"].outcome == "generic"
    assert by_text["对政务信息工作认识有待提高"].evidence == ()
    single = by_text["政策解读方式单一"]
    assert single.outcome == "repeated"
    assert single.evidence[0].sentence == "政策解读方式仍然单一；"
    assert single.evidence[0].score >= REPEAT_THRESHOLD and single.evidence[0].marker is None
    assert by_text["信息发布缺少时效性"].outcome == "repeated"
    commitment = next(p for p in ledger.promises if p.item.text.startswith("围绕政策落地"))
    assert commitment.outcome == "repeated"  # the same commitment made again
    assert commitment.evidence[0].sentence.endswith("围绕政策落地聚焦群众需求，做好政策解读。")


def test_silent_and_not_compared() -> None:
    unrelated = PromiseReport(
        YIYANG_AGENCY,
        2022,
        "全年共受理政府信息公开申请12件，均按时答复。",
        "一是政府信息公开指南更新不及时。",
        "宜阳/2022.txt",
    )
    ledger = match_year(yiyang(2021, None, section_five(YIYANG)), unrelated)
    assert {p.outcome for p in ledger.promises} == {"silent"}
    assert all(p.evidence == () for p in ledger.promises)
    alone = match_year(yiyang(2021, None, section_five(YIYANG)), None)
    assert not alone.compared and alone.next_year is None
    assert {p.outcome for p in alone.promises} == {"silent"}


def test_match_year_needs_the_same_agency_one_year_later() -> None:
    with pytest.raises(ValueError, match="does not follow"):
        match_year(jianshan(2021), jianshan(2023))
    with pytest.raises(ValueError, match="does not follow"):
        match_year(yiyang(2021, None, "一是甲不够。"), jianshan(2022))


def test_ledgers_and_repeating_agencies_are_sorted_and_stable() -> None:
    corpus = [
        jianshan(2023),
        yiyang(2022, KEPT_OVERVIEW_2022, KEPT_PROBLEMS_2022),
        jianshan(2021),
        yiyang(2021, None, section_five(YIYANG)),
        jianshan(2022),
    ]
    first = ledgers(corpus)
    assert first == ledgers(list(reversed(corpus)))
    assert [(lg.agency.name, lg.year, lg.next_year) for lg in first] == [
        ("宜阳县人民政府办公室", 2021, 2022),
        ("宜阳县人民政府办公室", 2022, None),
        ("尖山区人民政府", 2021, 2022),
        ("尖山区人民政府", 2022, 2023),
        ("尖山区人民政府", 2023, None),
    ]
    repeating = repeating_agencies(first)
    assert [a.agency.name for a in repeating] == ["尖山区人民政府"]
    (jianshan_repeats,) = repeating
    assert jianshan_repeats.years == (2021, 2022) and jianshan_repeats.longest_run == 2
    assert all(r.evidence.outcome == "repeated" for r in jianshan_repeats.repetitions)
    texts = [(r.year, r.item.text, r.evidence.sentence) for r in jianshan_repeats.repetitions]
    assert (2022, "政策解读方式仍然单一", "政策解读方式单一；") in texts
    assert repeating_agencies(first, min_pairs=3) == ()


# ---- the labelled pairs --------------------------------------------------------------------


def labelled_pairs() -> list[dict[str, str]]:
    pairs: list[dict[str, str]] = yaml.safe_load(PAIRS.read_text("utf-8"))
    return pairs


def test_labelled_pairs_are_well_formed() -> None:
    pairs = labelled_pairs()
    assert len(pairs) >= 60
    assert len({p["id"] for p in pairs}) == len(pairs)
    for pair in pairs:
        assert pair["label"] in ("done", "repeated", "unrelated"), pair["id"]
        assert pair["section"] in ("overview", "problems"), pair["id"]
        assert pair["split"] in ("dev", "test"), pair["id"]
        assert pair["kind"] in ("commitment", "problem"), pair["id"]
        assert pair["commitment"].strip() and pair["next"].strip(), pair["id"]
    labels = [p["label"] for p in pairs]
    assert min(labels.count(label) for label in ("done", "repeated", "unrelated")) >= 20


def test_measured_precision_and_recall_hold() -> None:
    """The figures of bench/README.md at the module's thresholds (all 97 pairs)."""
    spec = importlib.util.spec_from_file_location("bench_promises", ROOT / "bench" / "promises.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    table = bench.scores(bench.load_pairs(), bench.module_classifier())
    assert table["done"] == (33, 34, 34)
    assert table["repeated"] == (28, 30, 30)
