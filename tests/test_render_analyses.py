"""The analyses of issue 17 on the rendered pages (no MkDocs: the Markdown and the feeds), on
a corpus made for them: an agency whose commitments were kept, one whose problems repeat
year after year, a silent edit, a hierarchy with an impossible sum, a late and a missing
report; the 引用本报告 box on every report page and the yearly downloads."""

from __future__ import annotations

import copy
import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ENGLISH_VOCABULARY,
    HOSTILE,
    base_record,
    has_row,
    html_rows,
    make_corpus,
    page_text,
    setp,
)

from generator.check import RULES
from generator.render import render_site

ATOM = "{http://www.w3.org/2005/Atom}"
WEIDONG = {"province": "河南省", "city": "平顶山市", "county": "卫东区", "township": None}
KEPT, REPEATS = "shounuo-ju", "chongfu-ju"

REPEATED = "存在的主要问题：一是政策解读形式比较单一，图解和视频解读数量偏少。"


def _record(slug: str, name: str, year: int, **texts: str) -> dict[str, Any]:
    record = base_record(f"{slug}/{year}", name, year, "2021", WEIDONG)
    record["sections"].update(texts)
    return record


def corpus_records() -> list[dict[str, Any]]:
    kept = [
        _record(
            KEPT,
            "守诺局",
            2021,
            problems="存在的主要问题：网站栏目更新不及时。\n"
            "下一步，我们将开设政策问答专栏，每月更新一期。",
        ),
        _record(
            KEPT,
            "守诺局",
            2022,
            overview="本年开设了政策问答专栏，全年更新12期，网站栏目更新及时。",
            problems="存在的主要问题：基层政务公开专区建设滞后。",
        ),
    ]
    kept[1]["published"] = "2023-03-01"  # after 2023-01-31: late
    kept[1]["edits"] = [
        {
            "file": kept[1]["source"]["file"],
            "sha256": "a" * 64,
            "first_seen": "2023-03-02T09:00:00+08:00",
            "replaced": "2023-04-10T16:45:00+08:00",
            "readable": True,
            "table_changes": [{"where": "requests.received.total", "old": 6, "new": 5}],
            "text_diff": "--- 旧\n+++ 新\n-全年更新10期\n+全年更新12期 <script>alert(1)</script>",
        }
    ]
    repeats = [
        _record(REPEATS, "重复局", 2021, problems=REPEATED + "二是答复文书格式不够规范。"),
        _record(REPEATS, "重复局", 2022, problems=REPEATED),
        _record(REPEATS, "重复局", 2023, problems=REPEATED),
    ]
    government = _record(
        "weidongqu-zhengfu", "卫东区人民政府", 2021, overview="全区共发生行政复议案件1件。"
    )
    education = _record("weidongqu-jiaoyu", "卫东区教育局", 2021)
    for record, total in ((government, 1), (education, 3)):
        for field in ("upheld", "corrected", "other", "pending"):
            setp(f"appeals.review.{field}", 0)(record)
        setp("appeals.review.total", total)(record)
        setp("appeals.review.upheld", total)(record)
    hostile = base_record("eyi-ju/2021", "恶意局" + HOSTILE, 2021, "2021", None)
    hostile["sections"]["problems"] = "存在的主要问题：" + HOSTILE + "。下一步，我们将" + HOSTILE
    return [*kept, *repeats, government, education, hostile]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("analyses")
    corpus = make_corpus(tmp, corpus_records(), {})
    render_site(corpus, RULES, tmp / "content")
    return tmp / "content"


def read(content: Path, rel: str) -> str:
    return page_text(content / rel)


def feed(content: Path, rel: str) -> ET.Element:
    return ET.fromstring(read(content, rel))


def csv_rows(content: Path, rel: str) -> list[dict[str, str]]:
    text = read(content, rel)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# ---- promises kept -------------------------------------------------------------------------


def test_an_agency_whose_commitments_were_kept(content: Path) -> None:
    page = read(content, f"reports/{KEPT}/index.md")
    section = page.split("## 承诺兑现 {#promises}")[1].split("## 订阅与下载")[0]
    block = section.split("### 2021年报告 → 2022年报告 {#promises-2021}")[1].split("###")[0]
    assert [r[1:4] for r in html_rows(block)].count(
        ["承诺", "下一步，我们将开设政策问答专栏，每月更新一期。", "已兑现"]
    ) == 1
    # the evidence is the next year's sentence, linked to its section, never a bare score
    assert "“本年开设了政策问答专栏，全年更新12期，网站栏目更新及时。”" in block
    assert '<a href="2022.md#section-overview">2022年报告第一部分</a>' in block
    assert '<a href="2021.md#section-problems">2021年报告</a>' in block
    assert "问题重复出现 0 项" in block
    assert "尚无 2023 年报告" in section  # the last year is not compared: nothing claimed


def test_an_agency_whose_problems_repeat_year_after_year(content: Path) -> None:
    page = read(content, "analysis/promises.md")
    listed = page.split("{#repeating}")[1].split("{#compared}")[0]
    assert f"[重复局](../reports/{REPEATS}/index.md#promises)" in listed
    assert "2021→2022、2022→2023" in listed and "连续 3 份报告" in listed
    sentence = "政策解读形式比较单一，图解和视频解读数量偏少。"
    assert has_row(
        listed,
        "2021→2022",
        "问题",
        f'<a href="../reports/{REPEATS}/2021.md#section-problems">{sentence}</a>',
        f'<a href="../reports/{REPEATS}/2022.md#section-problems">{sentence}</a>',
    )
    assert "守诺局" not in listed  # kept its commitments: not among the repeating
    agency = read(content, f"reports/{REPEATS}/index.md")
    assert "<td>问题重复出现</td>" in agency and "下一年未提及" in agency


def test_promises_feed_and_csv(content: Path) -> None:
    root = feed(content, "feeds/promises.xml")
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert f"urn:nianbao:promises:{REPEATS}:2021" in ids
    assert f"urn:nianbao:promises:{KEPT}:2021" in ids
    rows = csv_rows(content, "data/promises.csv")
    kept = [r for r in rows if r["id"] == f"{KEPT}/2021" and r["kind"] == "commitment"]
    assert [(r["outcome"], r["next_id"], r["evidence_section"]) for r in kept] == [
        ("done", f"{KEPT}/2022", "overview")
    ]
    assert {r["outcome"] for r in rows if r["agency"] == "重复局"} >= {"repeated"}


# ---- silent edits --------------------------------------------------------------------------


def test_a_silent_edit_on_the_report_page_and_portal_wide(content: Path) -> None:
    page = read(content, f"reports/{KEPT}/2022.md")
    edits = page.split("## 文件修改记录 {#edits}")[1].split("## 引用本报告")[0]
    assert "### 2023年4月10日替换（原内容首次收录于2023年3月2日）" in edits
    assert "原内容 SHA-256：" + "a" * 64 in edits
    assert (
        "| [第三部分一、本年新收政府信息公开申请数量 · 总计](#requests-received-total) | 6 | 5 |"
        in edits
    )
    assert "<script" not in edits and "&lt;script&gt;" in edits  # the diff is escaped
    listing = read(content, "analysis/edits.md")
    assert f"[守诺局 2022年](../reports/{KEPT}/2022.md#edits)" in listing
    (entry,) = feed(content, "feeds/edits.xml").findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == "2023-04-10T08:45:00Z"  # git's date, in UTC
    assert entry.find(f"{ATOM}link").get("href") == f"../reports/{KEPT}/2022/#edits"
    (row,) = csv_rows(content, "data/edits.csv")
    assert (row["id"], row["sha256"], row["replaced_by_sha256"]) == (
        f"{KEPT}/2022",
        "a" * 64,
        "0" * 64,
    )
    assert "## 文件修改记录" not in read(content, f"reports/{KEPT}/2021.md")


# ---- hierarchies ---------------------------------------------------------------------------


def test_a_hierarchy_with_an_impossible_sum(content: Path) -> None:
    page = read(content, "regions/henansheng/pingdingshanshi/weidongqu/index.md")
    section = page.split("## 汇总核对 {#hierarchy}")[1]
    assert "### 河南省/平顶山市/卫东区 2021年" in section
    gov = "../../../../reports/weidongqu-zhengfu/2021.md"
    edu = "../../../../reports/weidongqu-jiaoyu/2021.md"
    assert has_row(
        section,
        f'<a href="{gov}">卫东区人民政府</a>',
        "人民政府本级",
        f'<a href="{gov}#appeals-review-total">1</a>',
    )
    assert has_row(
        section,
        f'<a href="{edu}">卫东区教育局</a>',
        "政府部门",
        f'<a href="{edu}#appeals-review-total">3</a>',
    )
    flag = section.split('!!! warning "HI-01 数字不能同时成立"')[1].split("\n\n")[0]
    assert "全区共发生行政复议案件1件" in flag and "大于全域总数" in flag
    assert f"[卫东区教育局 第四部分 行政复议 · 总计 = 3]({edu}#appeals-review-total)" in flag
    assert "(../../../../compliance/rules/HI-01.md)" in flag
    corpus_page = read(content, "analysis/hierarchy.md")
    assert '<a href="../compliance/rules/HI-01.md">HI-01</a> 2021年' in corpus_page
    rows = csv_rows(content, "data/hierarchy.csv")
    assert {(r["rule"], r["cell_id"], r["value"]) for r in rows} >= {
        ("HI-01", "weidongqu-zhengfu/2021", "1"),
        ("HI-01", "weidongqu-jiaoyu/2021", "3"),
    }
    assert feed(content, "feeds/hierarchy.xml").findall(f"{ATOM}entry")


def test_a_hierarchy_that_adds_up_is_not_flagged(tmp_path: Path) -> None:
    records = [copy.deepcopy(r) for r in corpus_records() if "weidongqu" in r["id"]]
    records[1]["appeals"]["review"]["total"] = 1  # 1 <= 1
    records[1]["appeals"]["review"]["upheld"] = 1
    render_site(make_corpus(tmp_path, records, {}), RULES, tmp_path / "content")
    page = page_text(tmp_path / "content/regions/henansheng/pingdingshanshi/weidongqu/index.md")
    assert "## 汇总核对 {#hierarchy}" in page and "数字不能同时成立" not in page


def test_the_rule_pages_say_they_are_the_portals_own_analysis(content: Path) -> None:
    for rule in ("HI-01", "HI-02"):
        page = read(content, f"compliance/rules/{rule}.md")
        assert '!!! info "本门户的分析，不是法定要求"' in page
        assert "| 性质 | 本门户的分析，不是法定要求 |" in page
        assert "| 适用范围 | 同一地区各机关的同年度报告" in page
    assert "本门户的分析" not in read(content, "compliance/rules/T3-01.md")
    assert "HI-01" in read(content, "compliance/rules/index.md")


# ---- who has not published -----------------------------------------------------------------


def test_a_late_and_a_missing_report(content: Path) -> None:
    page = read(content, "analysis/timeliness/2022.md")
    assert "截至2024年1月20日" in page and "不是生成网页的日期" in page
    late = page.split("{#late}")[1].split("\n## ")[0]
    assert "守诺局" in late and "2023年1月31日" in late and "逾期发布" in late
    missing = page.split("{#missing}")[1].split("\n## ")[0]
    assert "卫东区教育局" in missing and "未发布2022年年报" in missing
    assert "上一年发布过" in missing  # inferred: no reports/agencies.yml
    index = read(content, "analysis/timeliness/index.md")
    assert (
        '<a href="2022.md">2022</a>' in index and "次年3月31日" in index and "无法定期限" in index
    )
    rows = csv_rows(content, "data/timeliness.csv")
    assert {(r["year"], r["agency"], r["status"]) for r in rows} >= {
        ("2022", "守诺局", "late"),
        ("2022", "卫东区教育局", "missing"),
    }
    assert all(r["status"] in ("missing", "late", "seen_late") for r in rows)
    titles = [e.findtext(f"{ATOM}title") for e in feed(content, "feeds/timeliness.xml")]
    assert any("卫东区教育局：未发布2022年" in (t or "") for t in titles)


# ---- extras --------------------------------------------------------------------------------


def test_every_report_page_has_a_citation(content: Path) -> None:
    pages = sorted((content / "reports").glob("*/[0-9][0-9][0-9][0-9].md"))
    assert len(pages) == len(corpus_records())
    for page in pages:
        text = page_text(page)
        assert "## 引用本报告 {#cite}" in text, page
        assert "[<span data-nb-accessed>引用日期</span>]" in text  # filled by the page
    page = read(content, f"reports/{KEPT}/2021.md")
    assert (
        "守诺局. 守诺局2021年政府信息公开工作年度报告&#91;R/OL&#93;. &#40;2022-01-20&#41;"
        "[<span data-nb-accessed>引用日期</span>]. "
        f"<span data-nb-url>reports/{KEPT}/2021/</span>. 源文件: reports/{KEPT}/2021.txt, "
        "SHA-256: " + "0" * 64 + "." in page
    )


def test_a_configured_address_makes_the_citation_absolute(tmp_path: Path) -> None:
    records = corpus_records()[:1]
    render_site(
        make_corpus(tmp_path, records, {}),
        RULES,
        tmp_path / "content",
        base_url="https://nianbao.example.org/portal/",
    )
    page = page_text(tmp_path / f"content/reports/{KEPT}/2021.md")
    assert (
        "<span data-nb-url data-nb-fixed>https://nianbao.example.org/portal/reports/"
        f"{KEPT}/2021/</span>" in page
    )


def test_yearly_downloads(content: Path) -> None:
    whole = csv_rows(content, "data/records.csv")
    for year in (2021, 2022, 2023):
        rows = csv_rows(content, f"data/{year}/records.csv")
        assert rows and {r["year"] for r in rows} == {str(year)}
        assert list(rows[0]) == list(whole[0])  # the columns of records.csv
        link = f"[{year}/records.csv]({year}/records.csv.gz){{: .nb-csv }}"
        assert link in read(content, "data/index.md")  # published compressed (downloads.js)
    assert sum(len(csv_rows(content, f"data/{y}/records.csv")) for y in (2021, 2022, 2023)) == len(
        whole
    )


def test_hostile_text_never_becomes_markup_on_analysis_pages(content: Path) -> None:
    for path in [*content.rglob("*.md"), *content.rglob("*.xml")]:
        assert "<script" not in page_text(path), path
    agency = next(p for p in (content / "reports").glob("eyi-ju/index.md"))
    assert "&lt;script&gt;" in agency.read_text("utf-8")
    assert not re.search(r"\]\(javascript:", agency.read_text("utf-8"))


def test_the_analysis_pages_are_deterministic(tmp_path: Path, content: Path) -> None:
    again = tmp_path / "again"
    render_site(make_corpus(tmp_path, corpus_records(), {}), RULES, again)
    for rel in (
        "analysis/index.md",
        "analysis/promises.md",
        "analysis/edits.md",
        "analysis/hierarchy.md",
        "analysis/timeliness/2022.md",
        "feeds/promises.xml",
        "feeds/edits.xml",
        "feeds/hierarchy.xml",
        "feeds/timeliness.xml",
        "data/promises.csv",
        "data/timeliness.csv",
        f"reports/{KEPT}/index.md",
    ):
        assert (again / rel).read_bytes() == (content / rel).read_bytes(), rel


# ---- the built site in a browser -------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
FEEDS = ("feeds/promises.xml", "feeds/edits.xml", "feeds/hierarchy.xml", "feeds/timeliness.xml")


def assert_valid_atom(data: bytes) -> ET.Element:
    """The requirements of RFC 4287 §4.1 a feed must meet: an atom:feed with exactly one id
    (an IRI), title and updated (RFC 3339), an author (or one in every entry), at most one
    alternate link; each entry with exactly one id, title and updated, unique ids, and a
    link or content."""
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"

    def one(element: ET.Element, name: str) -> str:
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{len(found)} atom:{name} in {element.tag}"
        return found[0].text or ""

    assert IRI.match(one(root, "id")) and one(root, "title")
    assert RFC3339.match(one(root, "updated"))
    entries = root.findall(f"{ATOM}entry")
    has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    assert has_author or all(e.find(f"{ATOM}author") is not None for e in entries)
    alternates = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert len(alternates) <= 1
    ids = []
    for entry in entries:
        ids.append(one(entry, "id"))
        assert IRI.match(ids[-1]) and one(entry, "title")
        assert RFC3339.match(one(entry, "updated"))
        assert entry.find(f"{ATOM}link") is not None or entry.find(f"{ATOM}content") is not None
        assert all(link.get("href") for link in entry.findall(f"{ATOM}link"))
    assert len(set(ids)) == len(ids)
    return root


@pytest.fixture(scope="module")
def analyses_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import ROOT

    from generator.site import build_mkdocs, copy_site_config

    project = copy_site_config(ROOT, tmp_path_factory.mktemp("analyses-site") / "project")
    render_site(make_corpus(project, corpus_records(), {}), RULES, project / "content")
    build_mkdocs(project, project / "site")
    return project / "site"


@pytest.mark.slow
def test_the_built_feeds_validate_as_atom(analyses_site: Path) -> None:
    for rel in FEEDS:
        root = assert_valid_atom((analyses_site / rel).read_bytes())
        assert root.findall(f"{ATOM}entry"), rel


ANALYSES_VOCABULARY = (
    *ENGLISH_VOCABULARY,
    "overview",
    "commitment",
    "repeated",
    "silent",
    "seen_late",
)
"""What a reader must never see on the analyses' pages (key paths, codes, English labels)."""


@pytest.mark.slow
def test_no_generator_vocabulary_on_the_analyses_pages(analyses_site: Path) -> None:
    checked = [
        analyses_site / "analysis",
        analyses_site / "reports" / KEPT,
        analyses_site / "reports" / REPEATS,
        analyses_site / "regions",
    ]
    found = {}
    for folder in checked:
        for page in folder.rglob("*.html"):
            html = re.sub(r"(?is)<(script|style|code)\b.*?</\1>", " ", page.read_text("utf-8"))
            text = re.sub(r"<[^>]+>", " ", html)
            found.update({page.as_posix(): w for w in ANALYSES_VOCABULARY if w in text})
    assert not found, found


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"needs the system Chromium at {CHROMIUM}")
def test_the_analyses_render_in_a_browser(analyses_site: Path) -> None:
    import datetime
    import functools
    import http.server
    import threading

    playwright = pytest.importorskip("playwright.sync_api")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(analyses_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages_and_texts = {
        "analysis/": "承诺兑现",
        "analysis/promises/": "问题年年重复的机关",
        "analysis/edits/": "修改记录",
        "analysis/hierarchy/": "不能同时成立的数字",
        "analysis/timeliness/": "法定期限",
        "analysis/timeliness/2022/": "未发布",
        f"reports/{KEPT}/": "承诺兑现",
        f"reports/{KEPT}/2022/": "文件修改记录",
        "regions/henansheng/pingdingshanshi/weidongqu/": "汇总核对",
        "compliance/rules/HI-01/": "本门户的分析，不是法定要求",
        "data/": "2022/records.csv",
    }
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            for path, text in pages_and_texts.items():
                response = page.goto(base + path)
                assert response is not None and response.ok, path
                playwright.expect(page.locator("article")).to_contain_text(text)
            # the citation's access date is the reader's day, filled in by the page
            page.goto(base + f"reports/{KEPT}/2021/")
            accessed = page.locator("[data-nb-cite] [data-nb-accessed]")
            today = page.evaluate(
                "() => { const d = new Date(); return [d.getFullYear(),"
                " String(d.getMonth() + 1).padStart(2, '0'),"
                " String(d.getDate()).padStart(2, '0')].join('-'); }"
            )
            playwright.expect(accessed).to_have_text(today)
            assert re.match(r"^\d{4}-\d{2}-\d{2}$", today)
            assert datetime.date.fromisoformat(today)
            url = page.locator("[data-nb-cite] [data-nb-url]")
            playwright.expect(url).to_have_text(base + f"reports/{KEPT}/2021/")
            # a cell link of the 汇总核对 lands on the report's cell
            page.goto(base + "regions/henansheng/pingdingshanshi/weidongqu/")
            page.locator("a[href$='weidongqu-jiaoyu/2021/#appeals-review-total']").first.click()
            page.wait_for_url(re.compile(r"weidongqu-jiaoyu/2021/#appeals-review-total$"))
            playwright.expect(page.locator("#appeals-review-total")).to_have_text("3")
            for rel in FEEDS:
                response = page.request.get(base + rel)
                assert response.ok
                assert_valid_atom(response.body())
            assert errors == []
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def test_the_portal_address_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    from conftest import ROOT

    from generator.site import portal_url

    assert portal_url(ROOT) is None  # site_url is unset on purpose: the pages cite their path
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        config.replace("extra:\n", "extra:\n  portal_url: https://nianbao.example.org/\n"), "utf-8"
    )
    assert portal_url(tmp_path) == "https://nianbao.example.org/"
    (tmp_path / "mkdocs.yml").write_text("site_url: javascript:alert(1)\n", "utf-8")
    assert portal_url(tmp_path) is None


def test_the_data_page_documents_every_analysis_column(content: Path) -> None:
    from generator.render import analyses

    data = read(content, "data/index.md")
    for anchor, title, columns in analyses.CSV_DOCS:
        names = [name for name, _ in columns]
        assert list(csv_rows(content, f"data/{anchor}.csv")[0]) == names, anchor
        assert f"## {title} {{#{anchor}}}" in data
        assert all(f"| `{name}` |" in data for name in names)


def test_the_sources_address_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    from conftest import ROOT

    from generator.errors import ConfigError
    from generator.site import sources_url

    assert sources_url(ROOT) is None  # the samples' site publishes copies of its sources
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    address = "https://github.com/org/portal/blob/main/reports/"
    (tmp_path / "mkdocs.yml").write_text(
        config.replace("extra:\n", f"extra:\n  sources_url: {address}\n"), "utf-8"
    )
    assert sources_url(tmp_path) == address
    for wrong in ("javascript:alert(1)/", "https://github.com/org/portal/blob/main/reports"):
        (tmp_path / "mkdocs.yml").write_text(f"extra:\n  sources_url: {wrong}\n", "utf-8")
        with pytest.raises(ConfigError, match="sources_url"):
            sources_url(tmp_path)


def test_the_sources_address_can_come_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    """The publish workflows set NIANBAO_SOURCES_URL for a public repository; mkdocs.yml's
    extra: sources_url, when set, comes first."""
    from generator.errors import ConfigError
    from generator.site import SOURCES_URL_VARIABLE, sources_url

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    monkeypatch.setenv(SOURCES_URL_VARIABLE, "")
    assert sources_url(tmp_path) is None  # a private repository: the workflow leaves it empty
    address = "https://github.com/org/portal/blob/main/reports/"
    monkeypatch.setenv(SOURCES_URL_VARIABLE, address)
    assert sources_url(tmp_path) == address
    own = "https://example.org/portal/reports/"
    (tmp_path / "mkdocs.yml").write_text(f"extra:\n  sources_url: {own}\n", "utf-8")
    assert sources_url(tmp_path) == own
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    monkeypatch.setenv(SOURCES_URL_VARIABLE, "ftp://example.org/")
    with pytest.raises(ConfigError, match=SOURCES_URL_VARIABLE):
        sources_url(tmp_path)


def test_linked_sources_are_not_copied(tmp_path: Path) -> None:
    """With extra: sources_url the report page links its source in the repository (each
    part of the path percent-encoded, no way above reports/) and no copy is written."""
    from conftest import FAILURES, make_corpus, make_findings, make_records, page_text

    from generator.check import RULES
    from generator.render import render_site
    from generator.render.reports import source_link

    records = make_records()
    address = "https://github.com/org/portal/blob/main/reports/"
    content = tmp_path / "content"
    corpus = make_corpus(tmp_path, records, make_findings(), FAILURES)
    render_site(corpus, RULES, content, sources_url=address)
    for record in records:
        written = {p.name for p in (content / "reports").glob(f"{record['id']}.*")}
        assert written == {f"{record['id'].split('/')[1]}.md"}, record["id"]  # the page only
    page = page_text(content / "reports/yimei-qu-renmin-zhengfu/2021.md")
    file = records[0]["source"]["file"]
    assert f'<a href="{source_link(address, file)}">原始文件（' in page
    assert "在本门户的代码仓库中）</a>" in page
    assert source_link(address, "../黑龙江省/a b#?.txt") == address + "黑龙江省/a%20b%23%3F.txt"
    assert source_link(address, "伊美区\u3000年报\u200b.txt") == address + (
        "伊美区%E3%80%80年报%E2%80%8B.txt"  # an ideographic space, a zero-width space
    )
