"""End to end: the sample reports -> a built site in a temp project, as `make site` does it."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import ENGLISH_VOCABULARY, built_cell, copy_samples, make_project

from generator.errors import NianbaoError
from generator.pipeline import Settings, build_site
from generator.search import bundle_words
from generator.search_words import query_words

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("e2e"))
    settings = Settings(
        project_dir=project, reports_dir=project / "reports", site_dir=project / "site"
    )
    summary = build_site(settings)
    return project, settings, summary


def test_summary_accounts_for_every_input(built):
    _, _, summary = built
    assert summary.inputs == 5
    assert summary.records + summary.unreadable + summary.superseded == summary.inputs
    assert summary.superseded == 0
    assert summary.findings["error"] >= 2  # seed 000 STR-03, seed 004 T3-01


def test_one_page_per_report_and_agency(built):
    project, _, _ = built
    site = project / "site"
    records = json.loads((project / "content" / "data" / "records.json").read_text("utf-8"))
    assert len(records) == 5
    for record in records:
        assert (site / "reports" / record["id"] / "index.html").is_file(), record["id"]
        agency = record["id"].split("/")[0]
        assert (site / "reports" / agency / "index.html").is_file()
        assert (site / "reports" / f"{record['id']}.txt").is_file()  # the source, copied
        # the record is in the whole-corpus downloads, not in a file of its own
        assert not (site / "reports" / f"{record['id']}.yml").exists()


def test_indexes_compliance_downloads(built):
    project, _, _ = built
    site = project / "site"
    for page in (
        "index.html",
        "agencies/index.html",
        "regions/index.html",
        "years/index.html",
        "compliance/index.html",
        "compliance/rules/index.html",
        "compliance/rules/T3-01/index.html",
        "unreadable/index.html",
        "data/index.html",
        "about/index.html",
    ):
        assert (site / page).is_file(), page
    for download in ("records.json.gz", "records.yaml.gz", "records.csv.gz"):
        assert (site / "data" / download).stat().st_size > 0
    packed = (site / "data" / "records.csv.gz").read_bytes()
    assert gzip.decompress(packed).startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def test_report_page_shows_exact_cells(built):
    project, _, _ = built
    html = (
        project / "site" / "reports" / "jianshanqu-renminzhengfu" / "2021" / "index.html"
    ).read_text("utf-8")
    site = project / "site"
    assert built_cell(site, html, "requests-handled_total-total") == "<td>75</td>"
    assert built_cell(site, html, "proactive-licensing-decisions") == '<td colspan="3">7912</td>'
    assert "T3-01" in html
    assert 'id="requests-' not in html  # the browser gives the cells their ids


def test_blank_cells_are_not_zero_on_the_page(built):
    project, _, _ = built
    html = (
        project / "site" / "reports" / "yimeiqu-renminzhengfu" / "2021" / "index.html"
    ).read_text("utf-8")
    cell = built_cell(project / "site", html, "appeals-review-upheld")
    assert "0" not in re.sub(r"<[^>]+>", "", cell)


def test_chinese_terms_are_in_the_search_index(built):
    """Every page is in the search index with its words; the browser tests run real
    queries."""
    project, _, _ = built
    pagefind = project / "site" / "pagefind" / "parts" / "1"  # the site's pages (search.py)
    entry = json.loads((pagefind / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["und"]  # search.py PART_LANGUAGE
    assert entry["languages"]["und"]["page_count"] >= 5 + 5  # reports + agency pages at least
    parts = json.loads((project / "site" / "pagefind" / "parts.json").read_text("utf-8"))
    words = set().union(*(bundle_words(project / "site" / "pagefind" / p) for p in parts))
    for term in ("伊美区", "行政复议", "依申请公开"):
        assert set(query_words(term)) <= words, term
    assert not (project / "site" / "search" / "search_index.json").exists()


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_builds_are_byte_identical(built):
    project, settings, _ = built
    first = _tree_digest(project / "content")
    build_site(settings)
    assert _tree_digest(project / "content") == first


def test_build_with_cache_dir_caches_renders_and_gives_the_same_bytes(built):
    project, settings, _ = built
    first = _tree_digest(project / "content")
    cache = project / ".cache" / "nianbao"
    build_site(dataclasses.replace(settings, cache_dir=cache))
    assert _tree_digest(project / "content") == first
    assert len(list((cache / "render").glob("*.entry"))) == 10  # 5 reports, 5 agency pages
    assert len(list((cache / "records").glob("*.json"))) == 5


def test_failed_build_keeps_previous_site(built):
    project, settings, _ = built
    before = _tree_digest(project / "site")
    config = project / "mkdocs.yml"
    original = config.read_text("utf-8")
    config.write_text(original + "\nnot_a_mkdocs_option: [\n", "utf-8")
    try:
        with pytest.raises(NianbaoError):
            build_site(settings)
    finally:
        config.write_text(original, "utf-8")
    assert _tree_digest(project / "site") == before
    assert not list(project.glob(".site-build-*"))


def test_the_site_is_readable_by_a_web_server(built):
    """site/ is built in a temporary folder (private by default) and swapped in: the folder,
    its subfolders and its files must be readable by others (a web server's user)."""
    project, _, _ = built
    site = project / "site"
    for path in [site, *site.rglob("*")]:
        mode = path.stat().st_mode
        assert mode & 0o004, f"{path} is not readable by others ({oct(mode & 0o777)})"
        if path.is_dir():
            assert mode & 0o001, f"{path} cannot be entered by others ({oct(mode & 0o777)})"


GATHER_AND_RENDER = """
import sys
from pathlib import Path

from generator.check import RULES
from generator.pipeline import check_corpus_records, load_corpus
from generator.render import render_site

corpus = check_corpus_records(load_corpus(Path(sys.argv[1])), None)
render_site(corpus, RULES, Path(sys.argv[2]))
"""


def test_records_pages_and_downloads_do_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED (set and dict order, the parse cache off)
    parse, check and render the samples into the same bytes."""
    import os
    import subprocess
    import sys

    reports = copy_samples(tmp_path / "reports")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        content = tmp_path / seed / "content"
        subprocess.run(
            [sys.executable, "-c", GATHER_AND_RENDER, str(reports), str(content)],
            cwd=ROOT,
            env=env,
            check=True,
        )
    assert _tree_digest(tmp_path / "1" / "content") == _tree_digest(tmp_path / "2" / "content")


def _visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attributes; `<code>` spans are
    the download columns' own names, documented on the data page for data users."""
    html = re.sub(r"(?is)<(script|style|code)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_generator_vocabulary_on_public_pages(built):
    project, _, _ = built
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 20
    found = {
        page.relative_to(project / "site").as_posix(): word
        for page in pages
        for word in ENGLISH_VOCABULARY
        if word in _visible_text(page.read_text("utf-8"))
    }
    assert not found, found


def test_every_format_citation_of_a_rule_page_resolves(built):
    project, _, _ = built
    site = project / "site"
    anchors = set(re.findall(r'id="([^"]+)"', (site / "format" / "index.html").read_text("utf-8")))
    cited = [
        anchor
        for page in (site / "compliance" / "rules").glob("*/index.html")
        for anchor in re.findall(r'href="[^"]*format/#([^"]+)"', page.read_text("utf-8"))
    ]
    assert len(cited) > 30
    assert set(cited) <= anchors, set(cited) - anchors


def test_region_sums_say_when_a_report_in_them_does_not_add_up(built):
    """尖山区 2021 fails T3-01: the 黑龙江省 sums include it, and the page says so."""
    project, _, _ = built
    page = (project / "site" / "regions" / "heilongjiangsheng" / "index.html").read_text("utf-8")
    assert "合计含有自身不平衡的报告" in page and "尖山区人民政府 2021年" in page


def test_a_gbk_source_is_published_as_received_and_as_utf8_text(tmp_path):
    """GitHub Pages sends a .txt as UTF-8: a GBK source would show as mojibake. It is
    published byte for byte (its SHA-256 checks) and beside it as UTF-8 text, linked."""
    project = make_project(tmp_path)
    reports = project / "reports"
    original = next(reports.rglob("尖山区*.txt"))
    text = original.read_text("utf-8")
    gbk = text.encode("gb18030")
    for path in list(reports.rglob("*.txt")):
        path.unlink()
    original.write_bytes(gbk)
    build_site(Settings(project_dir=project, reports_dir=reports, site_dir=project / "site"))
    (folder,) = (project / "site" / "reports").glob("*/2021/")
    published = folder.parent / "2021.txt"
    assert published.read_bytes() == gbk  # as received: its SHA-256 is the record's
    utf8 = (folder.parent / "2021.utf8.txt").read_bytes()
    assert utf8.startswith(b"\xef\xbb\xbf") and utf8[3:].decode("utf-8") == text
    page = (folder / "index.html").read_text("utf-8")
    assert "原始文件（txt，GB18030 编码）" in page
    assert '<a href="../2021.utf8.txt">UTF-8 文本</a>' in page
    (record,) = json.loads((project / "content" / "data" / "records.json").read_text("utf-8"))
    assert record["source"]["sha256"] == hashlib.sha256(gbk).hexdigest()
