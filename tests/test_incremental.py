"""Incremental builds (generator/incremental.py, the part cache of generator/search.py): after
a report is added, changed or removed, a build with the cache makes the same site, byte for
byte, as a clean build, and it reuses the unchanged pages and search index parts."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from conftest import make_project

import generator.incremental
import generator.search
import generator.site
from generator.pipeline import Settings, build_site

pytestmark = pytest.mark.slow  # builds the site seven times

ADDED = "河南省/平顶山市/卫东区/卫东区政府办-2022年报.txt"
CHANGED = "河南省/洛阳市/宜阳县/宜阳县人民政府办公室-2021年报.txt"
REMOVED = "黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报.txt"


def _tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


class _Spy:
    """Which pages the incremental build reused and how many Pagefind runs it made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reused: list[str] = []
        self.indexed = 0
        reuse = generator.incremental.Reuse._reuse
        start = generator.search._Run.__init__

        def spy_reuse(plugin: generator.incremental.Reuse, file) -> None:  # type: ignore[no-untyped-def]
            reuse(plugin, file)
            if file.src_uri in plugin.reused:
                self.reused.append(file.src_uri)

        def spy_index(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            self.indexed += 1
            start(*args, **kwargs)

        monkeypatch.setattr(generator.incremental.Reuse, "_reuse", spy_reuse)
        monkeypatch.setattr(generator.search._Run, "__init__", spy_index)

    def reset(self) -> None:
        self.reused, self.indexed = [], 0


def _parts(site: Path) -> int:
    return len(list((site / "pagefind" / "parts").iterdir()))


def test_incremental_builds_equal_clean_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small parts, so that a change leaves parts of other agencies unchanged
    small = functools.partial(generator.search.build_search_index, batch_cost=8_000)
    monkeypatch.setattr(generator.site, "build_search_index", small)
    monkeypatch.setattr(generator.search, "LEAST_TARGET", 1)  # a part per agency or city
    monkeypatch.setenv("NIANBAO_SITE_URL", "https://example.org/nianbao/")  # sitemap, feeds
    project = make_project(tmp_path)
    reports = project / "reports"
    site = project / "site"
    cached = Settings(project, reports, site, cache_dir=project / ".cache" / "nianbao")
    clean = Settings(project, reports, site)
    spy = _Spy(monkeypatch)
    build_site(cached)
    assert spy.reused == []  # nothing to reuse yet
    assert spy.indexed == _parts(site) + 1
    before = _tree(site)
    spy.reset()
    build_site(cached)  # nothing changed
    assert _tree(site) == before
    assert spy.indexed == 0
    assert "index.md" in spy.reused  # in the navigation under a title of its own: reused
    assert "compliance/index.md" not in spy.reused  # its title in the navigation is read
    assert "analysis/index.md" not in spy.reused
    pages = [p for p in (project / "content").rglob("*.md") if ".fragments" not in p.parts]
    assert len([p for p in spy.reused if p.endswith(".md")]) == len(pages) - 2
    assert "data/records.csv.gz" in spy.reused  # static files too

    def check(changed_page: str) -> None:
        spy.reset()
        build_site(cached)
        incremental = _tree(site)
        reused, indexed, parts = spy.reused, spy.indexed, _parts(site)
        build_site(clean)
        assert incremental == _tree(site)
        assert reused, "no page was reused"
        assert changed_page not in reused
        assert "compliance/index.md" not in reused  # its nav title comes from the page: built
        assert 1 <= indexed < parts, (indexed, parts)  # the other parts came from the cache

    source = (reports / "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt").read_text("utf-8")
    (reports / ADDED).write_text(source.replace("2021年", "2022年"), "utf-8")
    check("reports/weidongqu-zhengfuban/2022.md")

    text = (reports / CHANGED).read_text("utf-8")
    (reports / CHANGED).write_text(text.replace("。", "。本年度另行补充说明一项。", 1), "utf-8")
    check("reports/yiyangxian-renminzhengfu-bangongshi/2021.md")

    (reports / REMOVED).unlink()
    spy.reset()
    build_site(cached)
    incremental = _tree(site)
    build_site(clean)
    assert incremental == _tree(site)
    assert spy.reused == []  # a page has gone: every page is built again


def test_a_site_that_is_not_the_one_the_state_describes_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    reports = project / "reports"
    site = project / "site"
    cached = Settings(project, reports, site, cache_dir=project / ".cache" / "nianbao")
    spy = _Spy(monkeypatch)
    build_site(cached)
    page = next(site.glob("reports/*/2021/index.html"))
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<p>tampered</p></body>"))
    spy.reset()
    build_site(cached)
    assert spy.reused  # the other pages are reused
    assert page.read_bytes() == original  # this one is built again
    shutil.rmtree(project / ".cache" / "nianbao" / "search")
    spy.reset()
    build_site(cached)  # without the part cache, every part is indexed again
    assert spy.indexed == _parts(site) + 1


def test_unchanged_files_are_known_by_their_stamp_and_hashed_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    site = project / "site"
    cached = Settings(project, project / "reports", site, cache_dir=project / ".cache" / "nianbao")
    build_site(cached)
    hashed: list[str] = []
    digest, sha256 = generator.incremental.source_digest, generator.incremental._sha256

    def spy_digest(path: Path, src_uri: str, docs_dir: Path) -> str:
        hashed.append(src_uri)
        return digest(path, src_uri, docs_dir)

    def spy_sha256(data: bytes) -> str:
        hashed.append("output")
        return sha256(data)

    monkeypatch.setattr(generator.incremental, "source_digest", spy_digest)
    monkeypatch.setattr(generator.incremental, "_sha256", spy_sha256)
    spy = _Spy(monkeypatch)
    build_site(cached)  # the first build with stamps in the state: dated anew when reused
    build_site(cached)
    before = _tree(site)
    hashed.clear()
    spy.reset()
    build_site(cached)  # nothing changed: no source and no reused output is read
    assert spy.reused
    reused_pages = {p for p in spy.reused if p.endswith(".md")}
    assert not reused_pages & set(hashed)
    built = {"compliance/index.md", "analysis/index.md"}  # read for their nav titles: built
    assert set(hashed) <= built | {"output"}
    assert hashed.count("output") == len(built)  # the two built pages' outputs, for the state
    assert _tree(site) == before

    page = next(site.glob("reports/*/2021/index.html"))
    source = project / "content" / page.relative_to(site).parent.with_suffix(".md")
    os.utime(page, ns=(1, 1))  # a site file with another date: hashed, same bytes, reused
    source.touch()  # a source with another date: hashed, same digest, reused
    hashed.clear()
    spy.reset()
    build_site(cached)
    assert source.relative_to(project / "content").as_posix() in hashed
    assert source.relative_to(project / "content").as_posix() in spy.reused
    assert _tree(site) == before


def test_the_page_words_are_staged_while_mkdocs_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cache, a worker stages each built page's words (generator/words_ahead.py): the
    index finds every page's words in the cache and stages none itself, and the site is the
    one a build without the worker makes."""
    search = generator.search
    project = make_project(tmp_path)
    site = project / "site"
    build_site(Settings(project, project / "reports", site))  # no cache: no worker
    plain = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    staged_here: list[int] = []
    page_meta = search.page_meta

    def counted(content: bytes, *, lists: bool = True):  # type: ignore[no-untyped-def]
        found = page_meta(content, lists=lists)
        if found is not None:  # a page of the portal's layout (404.html is not)
            staged_here.append(len(content))  # in this process (the worker has its own list)
        return found

    original_index = search.build_search_index

    def index(*args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(search, "page_meta", counted)
        return original_index(*args, **kwargs)

    monkeypatch.setattr(generator.site, "build_search_index", index)
    build_site(Settings(project, project / "reports", site, cache_dir=project / ".cache"))
    assert staged_here == []  # every page's words came from the worker
    words = project / ".cache" / "search" / search.WORDS_DIR / search.code_version()
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]  # 404: not indexed
    assert len(list(words.iterdir())) == len(pages)
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == plain


def test_a_build_keeps_no_page_in_memory_after_mkdocs(tmp_path: Path) -> None:
    """MkDocs' configuration class keeps the last build's plugins; the incremental plugin
    lets go of the build's pages, which otherwise stayed in memory through the search index
    (generator/incremental.py Reuse.forget)."""
    import gc

    from mkdocs.structure.pages import Page

    project = make_project(tmp_path)
    cached = Settings(project, project / "reports", project / "site", cache_dir=tmp_path / "c")
    build_site(cached)
    gc.collect()
    alive = [
        o
        for o in gc.get_objects()
        if isinstance(o, Page) and str(o.file.abs_src_path or "").startswith(str(tmp_path))
    ]
    assert alive == []


def test_a_page_lets_go_of_its_html_once_it_is_made() -> None:
    """MkDocs keeps every page's HTML until the build ends; PageMemory lets it go once the
    page is written (its output is what the later post_page steps and the file get)."""
    from types import SimpleNamespace

    from generator.incremental import PageMemory

    page = SimpleNamespace(content="<p>页</p>", markdown="页")
    output = "<html><p>页</p></html>"
    assert PageMemory().on_post_page(output, page=page, config=None) == output  # type: ignore[arg-type]
    assert page.content is None and page.markdown is None
    assert PageMemory.on_post_page.mkdocs_priority < 0  # type: ignore[attr-defined]  # last


def test_a_build_without_the_words_worker_is_the_same_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A words worker that cannot start (generator/words_ahead.py) costs only time: the index
    stages every page itself."""
    import generator.words_ahead

    refused: list[object] = []

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        refused.append(args)
        raise OSError("no process here")

    project = make_project(tmp_path)
    site = project / "site"
    build_site(Settings(project, project / "reports", site))
    plain = _tree(site)
    monkeypatch.setattr(generator.words_ahead, "Popen", refuse)  # Pagefind still starts
    build_site(Settings(project, project / "reports", site, cache_dir=tmp_path / "c"))
    assert refused  # the worker was asked for, and could not start
    assert _tree(site) == plain
