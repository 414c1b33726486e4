"""The Pagefind index (generator/search.py), with the real Pagefind binary.

What the browser finds with it (recall against the page text, filters, ranking, merged
parts) is in tests/test_search_recall.py."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from generator.errors import NianbaoError
from generator.search import (
    CHUNK_SIGNATURE,
    INLINE,
    NOT_TEXT,
    PARTS_FILE,
    StagedPage,
    _read_pagefind,
    body_text,
    build_search_index,
    bundle_words,
    exact_chunk_ranges,
    stage_page,
)
from generator.search_words import PAIR_MARK, UNIT_MARK, page_words

pytestmark = pytest.mark.slow  # runs the Pagefind binary


def _page(site: Path, rel: str, body: str, title: str = "页") -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
        "</head><body><nav>导航导航导航</nav><article><div data-pagefind-body "
        f'data-pagefind-filter="portal:nianbao"><h1>{title}</h1><p>{body}</p></div></article>'
        "<footer>页脚文字</footer></body></html>",
        "utf-8",
    )


def test_body_text_joins_inline_tags_and_separates_the_others() -> None:
    assert body_text("<p>伊美<a href='x'>区</a></p><p>人民</p>") == " 伊美区  人民 "
    assert body_text("<td>地区</td><td>黑龙江省</td><!-- 注释 -->&lt;b&gt;") == (
        " 地区  黑龙江省  <b>"
    )


def test_a_staged_page_carries_its_words_title_and_key_as_metadata(tmp_path: Path) -> None:
    _page(
        tmp_path,
        "a.html",
        '伊美<strong>区</strong>人民政府<span data-nb-key="伊春市 伊美区"></span>'
        '<span data-pagefind-filter="year:2021"></span>',
        title="伊美区年报",
    )
    page = stage_page((tmp_path / "a.html").read_bytes())
    staged = page.html
    head, rest = staged.split('data-pagefind-filter="portal:nianbao">', 1)
    assert "data-pagefind-meta" not in head  # inside the indexed body, at its start
    fields = dict(
        part.split(":", 1)
        for part in rest.split('<span data-pagefind-meta="')[1:]
        for part in [part.split('"', 1)[0]]
    )
    assert set(fields) == {"w", "t", "k"}
    words = set(fields["w"].split())
    assert {PAIR_MARK + "美区", PAIR_MARK + "区人", UNIT_MARK + "府"} <= words  # 伊美<strong>区
    assert words.isdisjoint({PAIR_MARK + "航页", PAIR_MARK + "页脚"})  # nav and footer are not body
    assert set(fields["t"].split()) == page_words("伊美区年报")
    assert set(fields["k"].split()) == page_words("伊春市 伊美区")
    assert page.cost == len(words)
    # the filters and the title are there; the text is not (Pagefind would cut it into words
    # of its own that no query asks for): the search box takes an excerpt from the page
    assert '<span data-pagefind-filter="year:2021"></span>' in rest
    assert "<h1>伊美区年报</h1>" in rest
    assert "人民政府" not in staged and "导航" not in staged


def test_a_staged_title_leaves_out_the_permalink() -> None:
    page = (
        b'<html><body><article><div data-pagefind-body data-pagefind-filter="portal:nianbao">'
        b'<h1 id="a">\xe5\xb9\xb4\xe6\x8a\xa5<a class="headerlink" href="#a">\xc2\xb6</a></h1>'
        b"<p>\xe6\xad\xa3\xe6\x96\x87</p></div></article></body></html>"
    )
    staged = stage_page(page).html
    assert staged.endswith("<h1>年报 </h1></div></body></html>\n")  # no ¶, no body text


def test_a_page_outside_the_layout_is_staged_unchanged() -> None:
    page = b"<html><body><p>\xe4\xbc\x8a</p></body></html>"
    assert stage_page(page) == StagedPage(page.decode("utf-8"), 0)


@pytest.fixture(scope="module")
def indexed_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("indexed") / "site"
    _page(site, "reports/yimei/index.html", "伊美区人民政府办公室 行政复议 total", title="伊美区")
    _page(site, "reports/haidian/index.html", "海淀区人民政府 依申请公开 org", title="海淀区")
    _page(site, "reports/jianshan/index.html", "尖山区人民政府 疫情防控", title="尖山区")
    (site / "pagefind/parts/7").mkdir(parents=True)  # left by an earlier, bigger index
    build_search_index(site)
    return site


def test_the_primary_bundle_holds_the_placeholder_and_the_parts_the_pages(
    indexed_site: Path,
) -> None:
    bundle = indexed_site / "pagefind"
    assert json.loads((bundle / PARTS_FILE).read_text("utf-8")) == ["parts/1/"]
    assert not (bundle / "parts/7").exists()
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["zh"]["page_count"] == 1  # the placeholder
    assert (bundle / "pagefind.js").is_file()
    part = json.loads((bundle / "parts/1/pagefind-entry.json").read_text("utf-8"))
    assert part["languages"]["und"]["page_count"] == 4  # three pages and the sentinel
    words = bundle_words(bundle / "parts/1")
    assert {UNIT_MARK, PAIR_MARK} <= words  # the sentinel page's words
    assert {PAIR_MARK + "伊美", UNIT_MARK + "total\u01c2", PAIR_MARK + "疫情"} <= words
    contents = {}
    for path in (bundle / "parts/1/fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(CHUNK_SIGNATURE) :])
        contents[fragment["url"]] = (fragment["content"], fragment["meta"])
    # a result holds its title, not its page's text (the search box fetches the page for
    # an excerpt) and no page words
    assert contents["/reports/yimei/"] == ("伊美区.", {"title": "伊美区"})  # Pagefind's own
    assert all("人民政府" not in text for text, _ in contents.values())
    assert not list(indexed_site.parent.glob(".search-*"))  # staging folders are removed


def _chunks(bundle: Path) -> list[tuple[str, str, list[str]]]:
    meta = _read_pagefind(next(bundle.glob("pagefind.*.pf_meta")), "metadata file")
    return [
        (start, end, [w[0] for w in _read_pagefind(bundle / "index" / f"{name}.pf_index", "")[0]])
        for start, end, name in meta[2]
    ]


def test_every_word_is_in_the_range_of_its_own_chunk(indexed_site: Path) -> None:
    """Pagefind shortens chunk ranges (the last word ǀtotalǂ gave a range ending at ǀtot) and
    looks further only when no range holds a query word; nianbao's words are looked up by
    their range, so every range holds every word of its chunk, the ranges tile the words,
    and the bare marks have a small chunk of their own whose range holds every marked word."""
    part = indexed_site / "pagefind/parts/1"
    chunks = _chunks(part)
    marks = [c for c in chunks if c[2] == [UNIT_MARK, PAIR_MARK]]
    assert len(marks) == 1 and marks[0][:2] == (UNIT_MARK, PAIR_MARK + "\U0010ffff")
    ordinary = [c for c in chunks if c[2] != [UNIT_MARK, PAIR_MARK]]
    assert len(ordinary) >= 1
    for number, (start, end, words) in enumerate(ordinary):
        assert all(start <= word <= end for word in words)
        assert UNIT_MARK not in words and PAIR_MARK not in words
        if number + 1 < len(ordinary):
            following = ordinary[number + 1]
            assert end == following[0] and words[-1] < following[2][0]
    names = {p.stem for p in (part / "index").glob("*.pf_index")}
    meta = _read_pagefind(next(part.glob("pagefind.*.pf_meta")), "metadata file")
    assert names == {name for _s, _e, name in meta[2]}  # no chunk file left unlisted


def test_chunk_ranges_are_rewritten_from_the_chunks(tmp_path: Path) -> None:
    import cbor2

    def write(path: Path, data: object) -> None:
        path.write_bytes(gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(data)))

    (tmp_path / "index").mkdir()
    chunks = {
        "zh_a": ["a", "ǀ", "ǀ6ǂ", "ǀtotalǂ"],
        "zh_b": ["ǀ伊", "ǀ美", "ǁ", "ǁ伊美"],
        "zh_c": ["ǁ美区", "伊美区"],
    }
    for name, words in chunks.items():
        write(tmp_path / "index" / f"{name}.pf_index", [[[w, [[7, []]], []] for w in words]])
    ranges = [["a", "ǀtot", "zh_a"], ["ǀ伊", "ǁ伊", "zh_b"], ["ǁ美", "伊美", "zh_c"]]
    meta = ["1.5.2", [["zh_p1", 10]], ranges, [["portal", "zh_f1"]], [], ["title"]]
    write(tmp_path / "pagefind.zh_1.pf_meta", meta)
    exact_chunk_ranges(tmp_path)
    rewritten = _read_pagefind(tmp_path / "pagefind.zh_1.pf_meta", "")
    assert [c[:2] for c in rewritten[2]] == [
        ["a", "ǀ伊"],  # up to the next chunk's start: holds ǀtotalǂ, beyond Pagefind's ǀtot
        ["ǀ伊", "ǁ美"],
        ["ǁ美", "伊美\U0010ffff"],  # the last: its end and every word it begins
        [UNIT_MARK, PAIR_MARK + "\U0010ffff"],
    ]
    assert rewritten[2][2][2] == "zh_c"  # a chunk without a bare mark keeps its file, unread
    assert rewritten[:2] == meta[:2] and rewritten[3:] == meta[3:]
    words = {
        name: [w[0] for w in _read_pagefind(tmp_path / "index" / f"{name}.pf_index", "")[0]]
        for _s, _e, name in rewritten[2]
    }
    assert list(words.values()) == [
        ["a", "ǀ6ǂ", "ǀtotalǂ"],
        ["ǀ伊", "ǀ美", "ǁ伊美"],
        ["ǁ美区", "伊美区"],
        [UNIT_MARK, PAIR_MARK],
    ]
    assert not (tmp_path / "index" / "zh_a.pf_index").exists()  # replaced by its new content


def test_a_large_site_is_indexed_in_parts(tmp_path: Path) -> None:
    for n in range(6):
        _page(tmp_path, f"p{n}/index.html", "伊美区人民政府" * (n + 1), title=f"页{n}")
    build_search_index(tmp_path, batch_cost=40)
    bundle = tmp_path / "pagefind"
    parts = json.loads((bundle / PARTS_FILE).read_text("utf-8"))
    assert len(parts) >= 3
    pages = 0
    for part in parts:
        entry = json.loads((bundle / part / "pagefind-entry.json").read_text("utf-8"))
        pages += entry["languages"]["und"]["page_count"] - 1  # less the sentinel
        assert {UNIT_MARK, PAIR_MARK} <= bundle_words(bundle / part)
    assert pages == 6


def test_unknown_chunk_format_is_an_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "zh_1.pf_index").write_bytes(gzip.compress(b"something else"))
    with pytest.raises(NianbaoError, match=r"zh_1\.pf_index is not a Pagefind word chunk"):
        bundle_words(tmp_path)


def test_the_search_box_leaves_out_what_the_index_leaves_out() -> None:
    """The excerpt text (nianbao-search.js pageText) and the staged title leave out the same
    elements, and join the same inline tags."""
    script = (
        Path(__file__).parent.parent / "overrides/assets/javascripts/nianbao-search.js"
    ).read_text("utf-8")
    left_out = re.search(r'var NOT_TEXT = "([^"]*)"', script)
    assert left_out, "NOT_TEXT not found in nianbao-search.js"
    assert left_out.group(1).split(", ") == ["svg", "script", "style"] + [
        "." + name for name in NOT_TEXT
    ]
    inline = re.search(r"var INLINE = /\^\(([A-Z|]*)\)\$/;", script)
    assert inline, "INLINE not found in nianbao-search.js"
    assert set(inline.group(1).lower().split("|")) == INLINE - {"tspan"}  # svg: left out
