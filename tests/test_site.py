"""End to end: render the hand-made records, build with MkDocs + Material, inspect the HTML."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import built_cell, site_project

from generator.errors import NianbaoError
from generator.search import bundle_words
from generator.search_words import query_words
from generator.site import build_mkdocs

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    project = site_project(tmp)
    site = tmp / "out"
    # From another working directory: the jieba dictionary path must still resolve.
    cwd = Path.cwd()
    os.chdir(tmp)
    try:
        build_mkdocs(project, site, strict=True)
    finally:
        os.chdir(cwd)
    return site


def test_built_pages_have_their_white_space_folded(built: Path) -> None:
    """overrides/hooks/compact.py ran on every page (tests/test_compact.py: what it keeps)."""
    from test_compact import compact_hook

    pages = [p for p in sorted(built.rglob("*.html")) if "pagefind" not in p.parts]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text("utf-8")
        assert compact_hook.compact(text) == text, page
        assert not re.search(r'="[^"]*\n', text), page  # no attribute value spans lines
        outside = re.sub(r"<(pre|script|style|textarea)\b.*?</\1>", "", text, flags=re.S)
        assert not re.search(r"\n[ \t]+<", outside), page


def test_page_json_keeps_chinese_and_no_palette_script(built: Path) -> None:
    """overrides/hooks/compact.py on_env: the JSON in every page keeps Chinese as UTF-8 (not
    \\uXXXX) and still escapes what could end its <script>; overrides/partials/header.html:
    no palette-restoring script without a palette toggle."""
    page = (built / "reports/yimei-qu-renmin-zhengfu/2021/index.html").read_text("utf-8")
    found = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page)
    assert found
    assert "\\u" not in found.group(1) and "<" not in found.group(1)
    assert json.loads(found.group(1))["translations"]["clipboard.copy"] == "复制"
    assert "__palette" not in page


def test_the_search_box_is_drawn_by_its_script(built: Path) -> None:
    """The search box's form and result area are in nianbao-search.js, not in every page
    (issue 15); its filter of page types lists what overrides/main.html's page_type gives."""
    page = (built / "reports/yimei-qu-renmin-zhengfu/2021/index.html").read_text("utf-8")
    box = re.search(r"<div class=\"md-search\"[^>]*>(.*?)</div>", page, re.S)
    assert box and box.group(1) == ""
    assert "nb-search-strings" not in page and "md-search__input" not in page
    root = Path(__file__).parent.parent / "overrides"
    script = (root / "assets/javascripts/nianbao-search.js").read_text("utf-8")
    assert 'class="md-search__input"' in script and "data-nb-search-query" in script
    listed = re.search(r"types: \[([^\]]*)\]", script)
    assert listed
    macro = (root / "main.html").read_text("utf-8").split("{%- endmacro -%}")[0]
    assert json.loads(f"[{listed.group(1)}]") == re.findall(r"-%\}([^\s{]+)", macro)


def test_a_report_page_leaves_its_navigation_lists_to_the_script(built: Path) -> None:
    """overrides/partials/nav.html, toc.html, icon.html (issue 15): a page outside the nav
    carries no drawer items, no table-of-contents items and no icon paths; assets/js/nav.js
    draws the lists (tests/test_browser.py compares them with Material's), the icons come
    from assets/images/icons.svg. A page of the nav keeps Material's drawer."""
    page = (built / "reports/yimei-qu-renmin-zhengfu/2021/index.html").read_text("utf-8")
    assert 'class="md-nav__item' not in page and 'md-nav__title" for="__drawer"' not in page
    assert 'data-nb-drawer="5 6"></ul>' in page  # 合规检查 and 分析 are sections
    toc = re.search(r"data-nb-toc='([^']*)'></ul>", page)
    assert toc and json.loads(toc.group(1))[:3] == ["proactive", "requests", "appeals"]
    assert "<path" not in page.split('<div class="md-content"')[0]  # no inline icon
    assert page.count("assets/images/icons.svg#") == 4  # logo, menu, search, top
    icons = (built / "assets/images/icons.svg").read_text("utf-8")
    assert all(f'<svg id="{name}"' in icons for name in ("logo", "menu", "search", "top"))
    assert '<meta name="generator"' not in page  # overrides/main.html site_meta
    about = (built / "about/index.html").read_text("utf-8")
    assert 'class="md-nav__item md-nav__item--active' in about and "data-nb-drawer" not in about


def test_large_downloads_are_published_compressed_only(built: Path) -> None:
    """records.json, records.yaml and cells.csv grow with every report (about 45 KB a report):
    the site has them as .gz only (the bytes of content/ compressed), the data page links
    those, and the small downloads stay as they are (issue 15)."""
    import gzip

    content = built.parent / "project" / "content"
    page = (built / "data" / "index.html").read_text("utf-8")
    for name in ("records.json", "records.yaml", "cells.csv"):
        assert not (built / "data" / name).exists(), name
        packed = (built / "data" / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == (content / "data" / name).read_bytes()
        assert f'href="{name}.gz"' in page
    # the CSVs one row a report: compressed too, each link saves the CSV (downloads.js)
    spreadsheets = ["records.csv", "2021/records.csv", "agencies/yimei-qu-renmin-zhengfu.csv"]
    for name in spreadsheets:
        assert not (built / "data" / name).exists(), name
        packed = (built / "data" / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == (content / "data" / name).read_bytes(), name
        assert gzip.decompress(packed).startswith(b"\xef\xbb\xbf"), name
    assert 'class="nb-csv" href="records.csv.gz"' in page
    assert 'class="nb-csv" href="2021/records.csv.gz"' in page
    agency = (built / "reports/yimei-qu-renmin-zhengfu/index.html").read_text("utf-8")
    assert 'class="nb-csv" href="../../data/agencies/yimei-qu-renmin-zhengfu.csv.gz"' in agency
    assert "gzip" in page


class _Assets(HTMLParser):
    """Collects (tag, attribute, url) of everything a browser would fetch or run."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        for name in ("src", "href", "srcset", "data", "poster"):
            if a.get(name) and not (tag == "a" and name == "href"):
                self.urls.append((tag, name, a[name] or ""))


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_pages_exist(built: Path) -> None:
    for rel in (
        "index.html",
        "agencies/index.html",
        "regions/index.html",
        "years/index.html",
        "unreadable/index.html",
        "about/index.html",
        "compliance/index.html",
        "compliance/rules/index.html",
        "compliance/rules/T3-01/index.html",
        "data/index.html",
        "reports/yimei-qu-renmin-zhengfu/index.html",
        "reports/yimei-qu-renmin-zhengfu/2021/index.html",
        "reports/yimei-qu-renmin-zhengfu/2020/index.html",
        "reports/eyi-ju/2022/index.html",
    ):
        assert (built / rel).is_file(), rel
    for rel in (
        "data/records.csv.gz",
        "data/records.json.gz",
        "data/records.yaml.gz",
        "reports/yimei-qu-renmin-zhengfu/2021.txt",
        "assets/js/tablesort.js",
        "assets/css/nianbao.css",
        "js/cell-anchors.js",
    ):
        assert (built / rel).is_file(), rel
    # Dotfiles of the render stage are not published.
    assert not (built / ".generated").exists()


def test_report_page_html(built: Path) -> None:
    html = (built / "reports/yimei-qu-renmin-zhengfu/2021/index.html").read_text("utf-8")
    assert built_cell(built, html, "requests-granted-total") == "<td>2</td>"
    assert (
        built_cell(built, html, "requests-granted-commercial")
        == '<td class="nb-null" title="报告未填写">—</td>'
    )
    assert 'href="../../../compliance/rules/T3-05/"' in html
    assert 'href="../2021.txt"' in html
    # the tooltips of the heading links are Chinese, as everything a reader sees
    assert 'class="headerlink" href="#text" title="本节链接"' in html
    assert not [p for p in built.rglob("*.html") if "Permanent link" in p.read_text("utf-8")]


def test_compliance_tables_are_sortable(built: Path) -> None:
    html = (built / "compliance/index.html").read_text("utf-8")
    assert re.search(
        r'<div class="nb-sortable">\s*(<div class="md-typeset__scrollwrap">\s*'
        r'<div class="md-typeset__table">\s*)?<table>',
        html,
    )
    assert 'src="../assets/js/tablesort.js"' in html
    js = (built / "assets/js/tablesort.js").read_text("utf-8")
    assert "document$.subscribe" in js and ".nb-sortable table" in js


def test_html_lang_and_no_external_assets(built: Path) -> None:
    pages = _pages(built)
    assert len(pages) >= 20
    for page in pages:
        parser = _Assets()
        parser.feed(page.read_text("utf-8"))
        assert parser.html_lang == "zh", page
        external = [u for u in parser.urls if re.match(r"^\s*(https?:)?//", u[2], re.I)]
        assert not external, (page, external)


def test_no_script_from_report_text(built: Path) -> None:
    for page in _pages(built):
        html = page.read_text("utf-8")
        assert "alert(1)</script>" not in html and "alert(2)</script>" not in html, page
        assert not re.search(r"<img[^>]*onerror", html), page
        assert not re.search(r"href=\"javascript:", html, re.I), page


def _pagefind_text(site: Path) -> str:
    import gzip

    text = ""
    for fragment in sorted((site / "pagefind").glob("parts/*/fragment/*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        text += raw[raw.index(b"{") :].decode("utf-8").replace("\u200b", "") + "\n"
    return text


def test_pagefind_indexes_page_bodies_in_chinese(built: Path) -> None:
    # the site's pages are in the parts, each with a sentinel page (generator/search.py):
    # the pages outside reports/ in parts of their own, then the report and agency pages
    parts = json.loads((built / "pagefind/parts.json").read_text("utf-8"))
    assert len(parts) >= 2
    pages = 0
    for part in parts:
        entry = json.loads((built / "pagefind" / part / "pagefind-entry.json").read_text("utf-8"))
        assert list(entry["languages"]) == ["und"]  # search.py PART_LANGUAGE
        pages += entry["languages"]["und"]["page_count"] - 1
    assert pages == len(_pages(built)) - 1  # not 404.html
    words = set().union(*(bundle_words(built / "pagefind" / part) for part in parts))
    for phrase in ("行政复议", "依申请公开", "伊美区人民政府", "海淀区人民政府"):
        assert set(query_words(phrase)) <= words, phrase
    assert not any("¶" in word for word in words)  # heading permalinks are excluded
    for fragment in _pagefind_text(built).splitlines():  # a result: its title, not its text
        result = json.loads(fragment)
        assert result["content"].rstrip(".") == result["meta"]["title"], result
    assert not (built / "search").exists()  # no Material search index any more


def test_search_box_is_pagefind_without_material_search(built: Path) -> None:
    html = (built / "reports/yimei-qu-renmin-zhengfu/2021/index.html").read_text("utf-8")
    assert "data-pagefind-body" in html and "data-nb-search" in html
    assert 'data-md-component="search"' not in html  # Material's search code stays dormant
    script = re.search(r'<script src="([^"]*nianbao-search\.js)"', html)
    assert (
        script
        and (built / "reports/yimei-qu-renmin-zhengfu/2021" / script.group(1)).resolve().is_file()
    )
    assert (built / "pagefind/pagefind.js").is_file()


@pytest.mark.parametrize("link", ["missing.md", "#no-such-cell"])
def test_strict_build_failure_is_one_line(tmp_path: Path, link: str) -> None:
    project = site_project(tmp_path)
    (project / "content" / "about.md").write_text(f"# 关于\n\n[broken]({link})\n", "utf-8")
    with pytest.raises(NianbaoError) as info:
        build_mkdocs(project, tmp_path / "out", strict=True)
    message = str(info.value)
    assert "\n" not in message and link in message


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(NianbaoError, match="no MkDocs configuration"):
        build_mkdocs(tmp_path, tmp_path / "out")


def test_committed_config() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    features = config.theme["features"]
    assert "navigation.prune" in features and "navigation.instant" not in features
    assert config.theme["language"] == "zh" and config.theme["font"] is False
    assert config.extra["generator"] is False
    assert not config.site_url
    assert config.docs_dir == str(ROOT / "content") and config.site_dir == str(ROOT / "site")


def test_portal_pages_charts_and_feeds_survive_mkdocs(built: Path) -> None:
    for rel in (
        "years/2021/index.html",
        "regions/heilongjiangsheng/yichunshi/yimeiqu/index.html",
        "regions/unknown/index.html",
        "feeds/reports.xml",
        "feeds/errors.xml",
        "feeds/agencies/yimei-qu-renmin-zhengfu.xml",
        "data/cells.csv.gz",
        "data/agencies/yimei-qu-renmin-zhengfu.csv.gz",
    ):
        assert (built / rel).is_file(), rel
    html = (built / "reports/yimei-qu-renmin-zhengfu/index.html").read_text("utf-8")
    # The SVG passed through Markdown as markup (not escaped text, not wrapped in <p>).
    assert '<svg class="nb-chart-svg" role="img"' in html and "&lt;svg" not in html
    assert "<polyline" in html and '<th scope="row">本年新收申请</th>' in html
    year = (built / "years/2021/index.html").read_text("utf-8")
    assert year.count('class="nb-bar"') >= 1


def test_memory_mkdocs_held_is_given_back_before_the_index(monkeypatch, tmp_path) -> None:
    """build_mkdocs releases MkDocs' memory before the Pagefind processes start beside it
    (at 10,000 reports the two added up to more than 2 GB without it, bench/README.md)."""
    import generator.site

    calls: list[str] = []
    monkeypatch.setattr(generator.site, "run_mkdocs", lambda *a, **k: calls.append("mkdocs"))
    monkeypatch.setattr(generator.site, "build_search_index", lambda *a, **k: calls.append("index"))
    real = generator.site.release_memory
    monkeypatch.setattr(
        generator.site, "release_memory", lambda: (calls.append("release"), real())[1]
    )
    build_mkdocs(tmp_path, tmp_path / "site")
    assert calls == ["mkdocs", "release", "index"]
