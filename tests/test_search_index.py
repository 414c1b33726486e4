"""The batched Pagefind index (generator/search.py), with the real Pagefind binary.

The browser side (merged bundles answer like one index) is in tests/test_browser.py."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.errors import NianbaoError
from generator.search import (
    CHUNK_SIGNATURE,
    PARTS_FILE,
    build_search_index,
    bundle_words,
    search_batches,
    vocabulary_page,
    widen_chunk_starts,
)

pytestmark = pytest.mark.slow  # runs the Pagefind binary


def _page(site: Path, rel: str, body: str, title: str = "页") -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><nav>导航导航导航</nav><div data-pagefind-body "
        f'data-pagefind-filter="portal:nianbao"><h1>{title}</h1><p>{body}</p></div>'
        "</body></html>",
        "utf-8",
    )


def test_batches_cut_by_chinese_characters_of_the_body(tmp_path: Path) -> None:
    _page(tmp_path, "a/index.html", "一二三四五六七八九十", title="甲")  # 11 in the body
    _page(tmp_path, "b/index.html", "一二三", title="乙")  # 4
    _page(tmp_path, "c/index.html", "一" * 30, title="丙")  # 31: over the budget, alone
    _page(tmp_path, "d/index.html", "abc<table><tr><td>表格不计</td></tr></table>", title="丁")  # 1
    _page(tmp_path, "pagefind/old/index.html", "一二三")  # a bundle is never indexed
    assert search_batches(tmp_path, 15) == [
        ["a/index.html", "b/index.html"],
        ["c/index.html"],
        ["d/index.html"],
    ]
    assert search_batches(tmp_path, 1000) == [
        ["a/index.html", "b/index.html", "c/index.html", "d/index.html"]
    ]


def test_vocabulary_page_escapes_words() -> None:
    page = vocabulary_page({'a"b', "<x>", "伊美区"})
    assert 'data-pagefind-meta="vocabulary:&lt;x&gt; a&quot;b 伊美区"' in page
    assert "data-pagefind-filter" not in page  # never matches the search box's filter


def test_unknown_chunk_format_is_an_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "zh_1.pf_index").write_bytes(gzip.compress(b"something else"))
    with pytest.raises(NianbaoError, match=r"zh_1\.pf_index is not a Pagefind 1\.5 word chunk"):
        bundle_words(tmp_path)


@pytest.fixture(scope="module")
def batched_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("batched") / "site"
    _page(site, "reports/yimei/index.html", "伊美区人民政府办公室 行政复议", title="伊美区")
    _page(site, "reports/haidian/index.html", "海淀区人民政府 依申请公开", title="海淀区")
    _page(site, "reports/jianshan/index.html", "尖山区人民政府 疫情防控", title="尖山区")
    build_search_index(site, batch_characters=12)
    return site


def test_every_batch_is_a_bundle_listed_in_parts(batched_site: Path) -> None:
    bundle = batched_site / "pagefind"
    parts = json.loads((bundle / PARTS_FILE).read_text("utf-8"))
    assert parts == ["parts/1/", "parts/2/"]
    for part in parts:
        entry = json.loads((bundle / part / "pagefind-entry.json").read_text("utf-8"))
        assert entry["languages"]["zh"]["page_count"] == 2  # its page + the vocabulary page
    assert not list(batched_site.parent.glob(".search-*"))  # staging folders are removed


def test_every_bundle_knows_every_word_of_the_site(batched_site: Path, tmp_path: Path) -> None:
    bundle = batched_site / "pagefind"
    words = [
        bundle_words(bundle),
        *(bundle_words(bundle / part) for part in ("parts/1", "parts/2")),
    ]
    assert words[0] == words[1] == words[2]
    # each page's words, as Pagefind segments the page on its own, are in every bundle
    site_words: set[str] = set()
    for page in sorted(batched_site.glob("reports/*/index.html")):
        alone = tmp_path / page.parent.name
        _page(alone, "index.html", "")
        (alone / "index.html").write_bytes(page.read_bytes())
        build_search_index(alone)
        site_words |= bundle_words(alone / "pagefind")
    assert {"伊美区", "海淀区", "尖山区", "疫情"} <= site_words
    assert words[0] == site_words | {"vocabulary"}


def test_a_small_site_is_one_bundle_without_a_vocabulary_page(tmp_path: Path) -> None:
    _page(tmp_path, "a/index.html", "伊美区人民政府办公室")
    (tmp_path / "pagefind/parts/7").mkdir(parents=True)  # left by an earlier, bigger index
    build_search_index(tmp_path)
    assert not (tmp_path / "pagefind/parts").exists()
    assert json.loads((tmp_path / "pagefind" / PARTS_FILE).read_text("utf-8")) == []
    entry = json.loads((tmp_path / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["zh"]["page_count"] == 1
    assert "vocabulary" not in bundle_words(tmp_path / "pagefind")


def _meta(chunks: list) -> list:
    return ["1.5.2", [["zh_p1", 10]], chunks, [["portal", "zh_f1"]], [], ["title"]]


def test_word_chunks_start_at_their_first_character(tmp_path: Path) -> None:
    """Pagefind loads a chunk for a query word only if the word is inside the chunk's range:
    a chunk starting at 伊美长青镇人 was not loaded for 伊美, though it holds 伊美龙泉乡."""
    import cbor2

    chunks = [
        ["以免", "伊美长青镇", "zh_a"],
        ["伊美长青镇人", "位", "zh_b"],
        ["2019年", "2021", "zh_c"],
    ]
    meta_file = tmp_path / "pagefind.zh_123.pf_meta"
    meta_file.write_bytes(gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(_meta(chunks))))
    widen_chunk_starts(tmp_path)
    data = gzip.decompress(meta_file.read_bytes())
    assert data.startswith(CHUNK_SIGNATURE)
    widened = [["以", "伊美长青镇", "zh_a"], ["伊", "位", "zh_b"], ["2", "2021", "zh_c"]]
    assert cbor2.loads(data[len(CHUNK_SIGNATURE) :]) == _meta(widened)
    assert [c for c in widened if c[0] <= "伊美" <= c[1]] == widened[:2]  # both chunks load


def test_a_real_bundle_keeps_its_metadata_apart_from_chunk_starts(batched_site: Path) -> None:
    import cbor2

    meta_file = next((batched_site / "pagefind").glob("pagefind.*.pf_meta"))
    meta = cbor2.loads(gzip.decompress(meta_file.read_bytes())[len(CHUNK_SIGNATURE) :])
    assert meta[0] == "1.5.2" and meta[3][0][0] == "portal" and "vocabulary" in meta[5]
    assert all(len(start) == 1 and start <= end for start, end, _name in meta[2])
