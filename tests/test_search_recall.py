"""Search recall against the page text, in Chromium, through the search box's own code.

For every query of a list (every place name at every level, every agency name, the years,
narrative terms and a few Latin words), every report page whose visible text (innerText of
its indexed body, as the browser lays it out) contains the query must be among the results:
on the five samples and on 300 synthetic reports in province/city/county/township folders
(bench/scale.py's generator). Also: a word no page holds finds nothing, the filters narrow
results, reports rank above rule pages for agency and place queries, and a site indexed in
several parts answers like one index.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from test_browser import ROOT, _open_page, _serve, browser, make_project  # noqa: F401

from generator.pipeline import Settings, build_site
from generator.search_words import query_words

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNTHETIC_REPORTS = 300
NARRATIVE = [
    "行政复议",
    "行政诉讼",
    "依申请公开",
    "主动公开",
    "政策解读",
    "保密审查",
    "政务新媒体",
    "信息处理费",
    "门户网站",
    "政府信息公开指南",
    "征地拆迁",
    "社会保障",
    "绩效考核",
    "社会监督员",
    "规范性文件",
    "政务公开",
    "领导小组",
    "便民服务中心",
    "互联网协议第6版",
    "人民政府",
    "年度报告",
    "不予公开",
    "属于国家秘密",  # a row label of table 三
    "疫情防控",
    "公开",
]
LATIN = ["total", "org", "gov", "http", "2021年"]
ABSENT = ["石家庄", "石家庄市人民政府", "新冠肺炎", "伊美区疫苗", "xyzzy", "伊美区 xyzzy", "龘"]
"""Words no page of either corpus holds (the test checks the report pages)."""
REPORT_URL = re.compile(r"/reports/[^/]+/\d{4}/$")
RULE_URL = re.compile(r"/compliance/rules/[^/]+/$")

TEXTS = """async (urls) => {
  const box = document.createElement('div');
  document.body.appendChild(box);
  const out = {};
  for (const url of urls) {
    const html = await (await fetch(url)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    box.replaceChildren(...doc.querySelector('[data-pagefind-body]').childNodes);
    out[url] = box.innerText;
  }
  box.remove();
  return out;
}"""


def _load_scale():
    spec = importlib.util.spec_from_file_location("nianbao_scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("nianbao_scale", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["samples", "synthetic"])
def corpus(request, tmp_path_factory):
    """A built site (samples, or 300 synthetic reports in region folders), served."""
    project = make_project(tmp_path_factory.mktemp(request.param))
    if request.param == "synthetic":
        shutil.rmtree(project / "reports")
        _load_scale().write_reports(project / "reports", SYNTHETIC_REPORTS, seed=2026)
    site = project / "site"
    build_site(Settings(project_dir=project, reports_dir=project / "reports", site_dir=site))
    for url in _serve(site):
        yield request.param, site, url


def _queries(site: Path) -> dict[str, list[str]]:
    records = json.loads(gzip.decompress((site / "data" / "records.json.gz").read_bytes()))
    places = sorted(
        {
            name
            for record in records
            for name in ((record["agency"].get("region") or {}).values())
            if name
        }
    )
    return {
        "place": places,
        "agency": sorted({record["agency"]["name"] for record in records}),
        "year": sorted({str(r["year"]) for r in records} | {f"{r['year']}年" for r in records}),
        "narrative": NARRATIVE,
        "latin": LATIN,
    }


@pytest.fixture(scope="module")
def answers(corpus, browser):  # noqa: F811
    """(report page texts by URL, query lists, URLs found by query) for the corpus."""
    _name, site, base = corpus
    reports = sorted(
        "/" + path.parent.relative_to(site).as_posix() + "/"
        for path in site.glob("reports/*/*/index.html")
        if path.parent.name.isdigit()
    )
    queries = _queries(site)
    context, page, _requests = _open_page(browser)
    page.goto(base)
    texts = page.evaluate(TEXTS, reports)
    found = {
        query: page.evaluate("q => window.nianbaoSearch.urls(q)", query)
        for query in [q for group in queries.values() for q in group] + ABSENT
    }
    context.close()
    return texts, queries, found


def _holds(text: str, query: str) -> bool:
    """Whether a page's text holds the query as the search sees words: a query of Latin
    letters and digits is a whole word (generator/search_words.py), so 2019 is not in a
    source's SHA-256 ...6a2019b... (a synthetic corpus with the samples' narratives met one)."""
    if re.fullmatch(r"[0-9A-Za-z]+", query):
        return re.search(rf"(?<![0-9A-Za-z]){query}(?![0-9A-Za-z])", text) is not None
    return query in text


@pytest.mark.parametrize("group", ["place", "agency", "year", "narrative", "latin"])
def test_every_report_page_containing_the_query_is_found(answers, group):
    texts, queries, found = answers
    assert texts and queries[group]
    missed = {}
    for query in queries[group]:
        expected = {url for url, text in texts.items() if _holds(text, query)}
        lost = expected - set(found[query])
        if lost:
            missed[query] = (len(lost), len(expected), sorted(lost)[:3])
    assert not missed, missed


def test_the_query_lists_cover_the_corpus(answers):
    """Recall means something only where the queries hit pages: every place level and
    agency appears, and each text holds its agency's name."""
    texts, queries, found = answers
    hits = sum(any(q in t for t in texts.values()) for q in queries["place"])
    assert hits == len(queries["place"])
    assert all(found[q] for q in queries["agency"])


def test_a_word_no_page_holds_finds_nothing(answers):
    """Pagefind answers an unknown word with the longest known word that begins it (石家庄
    found 58 pages with 石 before the sentinel page, generator/search.py)."""
    texts, _queries, found = answers
    assert not [q for q in ABSENT for text in texts.values() if q.replace(" ", "") in text]
    assert {query: found[query] for query in ABSENT} == {query: [] for query in ABSENT}


def test_search_box_cuts_queries_as_the_index_does(corpus, browser):  # noqa: F811
    _name, _site, base = corpus
    context, page, _requests = _open_page(browser)
    page.goto(base)
    queries = [
        "伊美区2021年",
        "Total-ORG　２０２１",
        "𠀋〇乡",
        "  ，。",
        "a<b>\"'&",
        "伊美区 伊美区",
    ]
    for query in queries:
        assert page.evaluate("q => window.nianbaoSearch.words(q)", query) == query_words(query)
    context.close()


def test_reports_rank_above_rule_pages_for_agency_and_place_queries(answers):
    _texts, queries, found = answers
    wrong = {}
    for query in queries["agency"] + queries["place"]:
        urls = found[query]
        reports = [i for i, url in enumerate(urls) if REPORT_URL.search(url)]
        rules = [i for i, url in enumerate(urls) if RULE_URL.search(url)]
        if reports and rules and max(reports) > min(rules):
            wrong[query] = (max(reports), min(rules))
    assert not wrong, wrong


def test_filters_narrow_the_results(corpus, browser, answers):  # noqa: F811
    _name, _site, base = corpus
    texts, _queries, found = answers
    context, page, _requests = _open_page(browser)
    page.goto(base)

    def urls(filters):
        return page.evaluate("a => window.nianbaoSearch.urls(a[0], a[1])", ["行政复议", filters])

    everything = found["行政复议"]
    reports = urls({"type": "年度报告"})
    assert reports and set(reports) == {u for u in everything if REPORT_URL.search(u)}
    year = urls({"year": "2021"})
    assert year and set(year) == {u for u in reports if u.endswith("/2021/")}
    province = "黑龙江省"
    in_province = urls({"province": province, "type": "年度报告"})
    expected = {u for u in reports if re.search(rf"地区\s+{province}", texts[u])}
    assert in_province and set(in_province) == expected
    context.close()


def test_a_site_indexed_in_parts_answers_like_one_index(corpus, browser, answers, tmp_path):  # noqa: F811
    from generator.search import build_search_index

    name, site, _base = corpus
    _texts, queries, found = answers
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    build_search_index(copy, batch_cost=60_000 if name == "synthetic" else 8_000)
    parts = json.loads((copy / "pagefind/parts.json").read_text("utf-8"))
    assert len(parts) >= 3, parts
    sample = [*queries["place"][:8], *queries["agency"][:8], *NARRATIVE[:6], *ABSENT[:3]]
    for url in _serve(copy):
        context, page, _requests = _open_page(browser)
        page.goto(url)
        merged = {q: page.evaluate("q => window.nianbaoSearch.urls(q)", q) for q in sample}
        context.close()
    assert {q: sorted(merged[q]) for q in sample} == {q: sorted(found[q]) for q in sample}
