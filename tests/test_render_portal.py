"""Portal pages: SVG charts, edition breaks, region and year pages, rankings, feeds, CSVs."""

from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import (
    HOSTILE,
    base_record,
    has_row,
    html_items,
    html_rows,
    page_text,
    render_content,
    requests_table,
)

from generator.render.charts import bar_chart, line_chart

JIANSHAN = {"province": "黑龙江省", "city": "双鸭山市", "county": "尖山区", "township": None}
ATOM = "{http://www.w3.org/2005/Atom}"
A = "ceshi-ju"


def _records() -> list[dict]:
    a2019 = base_record(f"{A}/2019", "测试局", 2019, "2019", JIANSHAN)
    a2019["requests"] = requests_table("2019", granted_total=2)
    a2019["requests"]["received"] = [12, 0, 0, 0, 0, 0, 12]
    a2019["proactive"] = {
        "normative_docs": {"made": 4, "published": 4, "total_published": 9},
        "licensing": {"previous": 1, "change": 0, "decisions": 30},
    }
    a2021 = base_record(f"{A}/2021", "测试局", 2021, "2021", JIANSHAN)  # 2020 is missing: a gap
    a2021["requests"] = requests_table("2021", granted_total=6)
    a2021["requests"]["received"] = [20, 0, 0, 0, 0, 0, 20]
    a2021["requests"]["handled_total"] = [20, 0, 0, 0, 0, 0, 20]
    a2021["appeals"]["review"] = {"upheld": 0, "corrected": 2, "other": 0, "pending": 0, "total": 2}
    a2021["proactive"] = {
        "normative_docs": {"issued": 5, "repealed": 0, "in_force": 10},
        "licensing": {"decisions": 40},
    }
    a2022 = base_record(f"{A}/2022", "测试局", 2022, "2021", JIANSHAN)
    a2022["requests"] = requests_table("2021")
    a2022["requests"]["received"] = [None, 0, 0, 0, 0, 0, None]  # blank: a gap, never 0
    a2022["proactive"] = {
        "normative_docs": {"issued": 1, "repealed": 0, "in_force": 11},
        "licensing": {"decisions": 41},
    }
    small = base_record("xiao-ju/2021", "小局", 2021, "2021", JIANSHAN)
    small["requests"] = requests_table("2021", granted_total=4)
    small["requests"]["received"] = [4, 0, 0, 0, 0, 0, 4]  # small sample: no share ranking
    small["requests"]["handled_total"] = [4, 0, 0, 0, 0, 0, 4]
    small["requests"]["unable_not_held"] = [0] * 7
    hostile_name = "恶意" + HOSTILE
    h2021 = base_record(
        "eyi-ju/2021",
        hostile_name,
        2021,
        "2021",
        {"province": "<script>省", "city": None, "county": None, "township": None},
    )
    h2021["requests"]["received"] = [30, 0, 0, 0, 0, 0, 30]
    h2021["corrections"] = [
        {
            "path": "requests.granted.total",
            "original": 20,
            "value": 2,
            "reason": "多印一个 0 " + HOSTILE,
            "by": "<b>张三</b>",
            "date": "2022-03-01",
        }
    ]
    h2021["previous_versions"] = [
        {
            "file": "old<script>.txt",
            "sha256": "1" * 64,
            "published": "2022-01-01",
            "table_changes": [{"where": "requests.received.total", "old": 31, "new": 30}],
            "text_diff": "--- a\n+++ b\n@@ -1 +1 @@\n-<script>alert(1)</script>\n\n+ 正文 {{ 7*7 }}\n",
        }
    ]
    h2022 = base_record("eyi-ju/2022", hostile_name, 2022, "2021", None)
    return [a2019, a2021, a2022, small, h2021, h2022]


FINDINGS = {
    f"{A}/2021": [
        {
            "rule": "T3-01",
            "level": "error",
            "message": "一 + 二 ≠ 三 + 四",
            "where": "requests",
            "line": 3,
            "status": "fail",
        }
    ],
    "eyi-ju/2021": [
        {
            "rule": "T3-01",
            "level": "error",
            "message": HOSTILE,
            "where": None,
            "line": None,
            "status": "fail",
        },
        {
            "rule": "T3-05",
            "level": "warning",
            "message": "空格",
            "where": None,
            "line": None,
            "status": "fail",
        },
    ],
}


def _render(tmp: Path, records: list[dict] | None = None) -> Path:
    return render_content(tmp, records or _records(), FINDINGS, [])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(tmp_path_factory.mktemp("portal"))


def _read(site: Path, rel: str) -> str:
    return page_text(site / rel)


def _figures(text: str) -> list[str]:
    return re.findall(r'<figure class="nb-chart">.*?</figure>', text)


def _figure(text: str, caption_part: str) -> str:
    return next(f for f in _figures(text) if caption_part in f.split("</figcaption>")[0])


def test_agency_page_has_accessible_svg_charts_with_tables(site: Path) -> None:
    page = _read(site, f"reports/{A}/index.md")
    figures = _figures(page)
    assert len(figures) == 4  # requests, appeals, proactive, compliance history
    for figure in figures:
        assert '<svg class="nb-chart-svg" role="img" aria-label="' in figure
        assert "<title>" in figure
        assert (
            "<details" in figure and '<th scope="col">' in figure and '<th scope="row">' in figure
        )
        # The chart is one raw HTML block: no blank line Markdown could split it at.
        assert "\n" not in figure
    assert "缺少 2020 年的报告" in page


def test_null_is_a_gap_never_zero(site: Path) -> None:
    figure = _figure(_read(site, f"reports/{A}/index.md"), "申请数量")
    # Points only where a value exists: 2019 and 2021 (2020 missing, 2022 blank).
    points = re.findall(r"<title>本年新收申请 (\d{4})：([^<]*)</title>", figure)
    assert points == [("2019", "12"), ("2021", "20")]
    row = re.search(r'<th scope="row">本年新收申请</th>(.*?)</tr>', figure).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["12", "—", "20", "—"]
    # No line joins 2019 to 2021 across the missing 2020, and nothing runs to 2022.
    assert "本年新收申请" in figure and not re.search(r">0</td>", row)


def test_edition_break_note_and_segments(site: Path) -> None:
    page = _read(site, f"reports/{A}/index.md")
    assert "表格格式变更" in page and "不能跨版比较" in page and "（六）其他处理" in page
    proactive = _figure(page, "主动公开")
    assert 'class="nb-break"' in proactive
    # 2019 stands alone (edition 2019), 2021–2022 are joined: one polyline per drawn series.
    polylines = re.findall(r'<polyline [^>]*points="([^"]*)"', proactive)
    assert len(polylines) == 2 and all(len(p.split()) == 2 for p in polylines)
    # Section 三 totals are comparable across editions: no break line in that chart.
    assert 'class="nb-break"' not in _figure(page, "申请数量")


def test_single_year_agency_has_no_trend_chart(site: Path) -> None:
    page = _read(site, "reports/xiao-ju/index.md")
    assert "只有一个年度的报告" in page
    # Only the one-year compliance bar chart: no trend line.
    assert len(_figures(page)) == 1 and "<polyline" not in page and "<circle" not in page
    assert "小局：2021年合规检查发现" in page
    assert line_chart([("a", [1])], [2021], "t") == ""


def test_chart_units() -> None:
    svg = bar_chart([("x", [3, None, 0])], ["甲", "乙", "丙"], "标题")
    assert svg.count('class="nb-bar"') == 2  # null: no bar; 0: a hairline bar
    assert "<title>x 乙" not in svg
    hostile = line_chart([(HOSTILE, [1, 2])], [2020, 2021], HOSTILE)
    assert "<script" not in hostile and "&lt;script&gt;" in hostile
    assert line_chart([("a", [1, 2])], [2020, 2021], "t") == line_chart(
        [("a", [1, 2])], [2020, 2021], "t"
    )


def test_region_pages_sum_with_null_as_dash(site: Path) -> None:
    county = _read(site, "regions/heilongjiangsheng/shuangyashanshi/jianshanqu/index.md")
    assert "[按地区](../../../../regions.md)" in county
    # 2021: 测试局 20 + 小局 4 received; 2022: 测试局 left it blank -> "—", not 0.
    # 2021 includes 测试局 2021, whose own T3-01 fails: the row is starred and the page says so
    assert has_row(county, "2021*", "2", "24", "24", "10")
    assert "合计含有自身不平衡的报告" in county
    assert "[测试局 2021年](../../../../reports/ceshi-ju/2021.md)" in county
    row_2022 = next(row for row in html_rows(county) if row[0] == "2022")
    assert row_2022[1] == "1" and row_2022[2].startswith('<span class="nb-null"')
    assert (
        "无法合计的项目" in county
        and "测试局 2022年](../../../../reports/ceshi-ju/2022.md)（本年新收申请）" in county
    )
    assert has_row(county, '<a href="../../../../reports/ceshi-ju/index.md">测试局</a>')
    province = _read(site, "regions/heilongjiangsheng/index.md")
    assert '<a href="shuangyashanshi/index.md">双鸭山市</a>（2 个机关）' in html_items(province)
    index = _read(site, "regions.md")
    # the tree as nested lists: the county is inside its city's item
    city = (
        '<li><a href="regions/heilongjiangsheng/shuangyashanshi/index.md">双鸭山市</a>（2）<ul>\n'
    )
    county_item = (
        '<li><a href="regions/heilongjiangsheng/shuangyashanshi/jianshanqu/index.md">尖山区</a>'
        "（2）</li>\n</ul>\n</li>\n"
    )
    assert city + county_item in index


def test_year_page_outcomes_and_rankings(site: Path) -> None:
    year = _read(site, "years/2021.md")
    # Hand-computed: granted 6 + 4 + 2; unable 3 + 0 + 3; the rest 0.
    assert has_row(year, "予以公开", "12", "0")
    assert has_row(year, "部分公开", "0", "0")
    assert has_row(year, "无法提供", "6", "0")
    assert has_row(year, "本年新收申请", "54", "0")
    bar = _figure(year, "办理结果")
    assert bar.count('class="nb-bar"') == 6 and 'role="img"' in bar
    share = year.split("### 予以公开比例最高")[1].split("###")[0]
    assert "测试局" in share and "小局" not in share  # 4 requests: excluded
    assert "30.0%" in share  # 6 / 20
    most = year.split("### 收到申请最多")[1].split("###")[0]
    assert most.index("恶意") < most.index("测试局") < most.index("小局")
    corrections = year.split("### 复议、诉讼被纠正最多")[1].split("##")[0]
    assert has_row(corrections, "1", '<a href="../reports/ceshi-ju/2021.md">测试局</a>', "2")
    assert '<a href="../reports/xiao-ju/2021.md">小局</a>（样本小）' in year
    assert has_row(
        _read(site, "years.md"), '<a href="years/2021.md">2021年</a>', *["3", "2", "2", "1", "0"]
    )


def test_home_headlines_problems_and_links(site: Path) -> None:
    home = _read(site, "index.md")
    assert "| 2022年新收申请 |" in home and "（1 份报告未填写，无法合计）" in home
    # the catalogue's title
    assert has_row(home, '<a href="compliance/rules/T3-01.md">T3-01</a>', "申请数勾稽关系", "2")
    assert "[新报告](feeds/reports.xml)" in home and "[错误级检查结果](feeds/errors.xml)" in home
    assert "[2021](years/2021.md)" in home


def _feed(site: Path, rel: str) -> ET.Element:
    return ET.fromstring((site / rel).read_bytes())


def test_feeds_parse_and_hold_the_right_entries(site: Path) -> None:
    reports = _feed(site, "feeds/reports.xml")
    ids = [e.findtext(f"{ATOM}id") for e in reports.findall(f"{ATOM}entry")]
    assert len(ids) == 6 and f"urn:nianbao:report:{A}/2021" in ids
    assert reports.findtext(f"{ATOM}updated") == "2023-01-20T00:00:00Z"  # newest published date
    errors = _feed(site, "feeds/errors.xml")
    entries = errors.findall(f"{ATOM}entry")
    assert len(entries) == 2  # the two error findings; the warning is not in it
    assert {e.find(f"{ATOM}link").get("href") for e in entries} == {
        f"../reports/{A}/2021/#checks",
        "../reports/eyi-ju/2021/#checks",
    }
    assert any(e.findtext(f"{ATOM}summary") == HOSTILE for e in entries)
    agency = _feed(site, f"feeds/agencies/{A}.xml")
    assert [e.findtext(f"{ATOM}updated") for e in agency.findall(f"{ATOM}entry")] == [
        "2023-01-20T00:00:00Z",
        "2022-01-20T00:00:00Z",
        "2020-01-20T00:00:00Z",
    ]
    assert "../../feeds/agencies/ceshi-ju.xml" in _read(site, f"reports/{A}/index.md")


def test_hostile_names_never_become_markup(site: Path) -> None:
    for path in list(site.rglob("*.md")) + list(site.rglob("*.xml")):
        assert "<script" not in page_text(path), path
    feed = _feed(site, "feeds/agencies/eyi-ju.xml")
    assert feed.findtext(f"{ATOM}title").startswith("恶意<script>")  # text, not markup
    assert any(p.name == "index.md" for p in (site / "regions").rglob("*"))


def test_corrections_and_previous_versions(site: Path) -> None:
    page = _read(site, "reports/eyi-ju/2021.md")
    assert "## 更正 {#corrections}" in page and "## 历史版本 {#previous-versions}" in page
    assert "| [第三部分（一）予以公开 · 总计](#requests-granted-total) | 20 | 2 |" in page
    # the corrected cell is marked, with the report's own value on hover
    assert 'class="nb-corrected" title="已更正：报告原文为“20”' in page
    assert "&lt;b&gt;张三&lt;/b&gt;" in page
    assert "| 第三部分一、本年新收政府信息公开申请数量 · 总计 | 31 | 30 |" in page
    pre = re.search(r'<pre class="nb-diff">(.*)</pre>', page).group(1)
    assert "\n" not in pre and "&lt;script&gt;" in pre and "&#10;&#10;" in pre
    assert "{{ 7*7 }}" not in pre  # braces are character references
    # Old records without the keys: no sections.
    assert "## 更正" not in _read(site, f"reports/{A}/2021.md")


def test_downloads_cells_and_agency_csv(site: Path) -> None:
    raw = (site / "data/cells.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["id", "agency", "year", "edition", "table", "row", "column", "value"]
    cell = next(
        r
        for r in rows
        if r["id"] == f"{A}/2022" and r["row"] == "received" and r["column"] == "total"
    )
    assert cell["value"] == "" and cell["edition"] == "2021" and cell["table"] == "requests"
    assert not any(r["row"] == "other" and r["id"] == f"{A}/2021" for r in rows)
    assert any(r["row"] == "other" and r["id"] == f"{A}/2019" for r in rows)
    agency = list(
        csv.DictReader(
            io.StringIO((site / f"data/agencies/{A}.csv").read_bytes().decode("utf-8-sig"))
        )
    )
    assert [r["year"] for r in agency] == ["2019", "2021", "2022"]
    assert "[cells.csv.gz](cells.csv.gz)" in _read(site, "data/index.md")


def test_portal_is_deterministic(tmp_path: Path) -> None:
    first = _render(tmp_path / "a")
    second = _render(tmp_path / "b")
    files_a = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    files_b = {p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.is_file()}
    assert files_a == files_b


def test_long_lists_are_cut_and_findings_csv_has_them_all(tmp_path: Path, monkeypatch) -> None:
    """At portal scale a rule page or the overview lists at most LIST_LIMIT reports (here 1)
    and says where the rest are; findings.csv has every finding."""
    from generator.render import compliance

    monkeypatch.setattr(compliance, "LIST_LIMIT", 1)
    site = _render(tmp_path)
    rule = _read(site, "compliance/rules/T3-01.md")
    failed = rule.split("{#failed}")[1].split("{#not-assessable}")[0]
    assert "## 未通过的报告（2）" in rule
    assert "以下列出前 1 份；全部 2 份见 [findings.csv.gz](../../data/findings.csv.gz)" in failed
    assert len(html_items(failed)) == 1
    overview = _read(site, "compliance/index.md")
    by_report = overview.split("{#by-report}")[1].split("{#by-agency}")[0]
    assert "共 6 份报告，以下是错误最多的 1 份" in by_report
    rows = html_rows(by_report)
    assert len(rows) == 2 and rows[0][2] == "错误"
    assert rows[1][1:3] == ["2021", "1"]  # an error report comes first
    assert "共 3 个机关，以下是错误最多的 1 个" in overview
    published = gzip.decompress((site / "data/findings.csv.gz").read_bytes())  # what is linked
    assert published == (site / "data/findings.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(published.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "id",
        "agency",
        "year",
        "rule",
        "level",
        "status",
        "where",
        "line",
        "message",
    ]
    assert sorted(r["rule"] for r in rows) == ["T3-01", "T3-01", "T3-05"]
    assert {r["id"] for r in rows} == set(FINDINGS)
    assert "[findings.csv.gz](findings.csv.gz)" in _read(site, "data/index.md")


def test_short_lists_are_whole(site: Path) -> None:
    overview = _read(site, "compliance/index.md")
    assert "以下是错误最多" not in overview
    assert "以下列出前" not in _read(site, "compliance/rules/T3-01.md")
