"""The search index: Pagefind over the built site, with nianbao's own words for every page.

Each page is indexed with its words (generator/search_words.py: every character and every
pair of adjacent characters of its text) as Pagefind metadata, added to a staged copy of the
page: the published page carries no hidden word list, and search results show its text
only. The search box looks those words up without letting Pagefind cut the query again
(overrides/assets/javascripts/nianbao-search.js), so recall does not depend on two word
segmenters agreeing.

Layout of site/pagefind/: Pagefind's scripts and an index of one placeholder page, then one
bundle per batch of pages in pagefind/parts/<n>/, listed in pagefind/parts.json. The search
box merges the parts with language "und", Pagefind's documented way to search an index in a
language other than the page's; for "und" it does not segment the query. Pagefind holds a
whole index in memory, so a large site is indexed in batches (BATCH_COST), one Pagefind
process each.

Every part also indexes a sentinel page holding the two bare marks as words. Pagefind answers
a word it does not know with the longest word it knows that begins it; for a marked word that
is the bare mark, whose only page is the sentinel, which has no portal:nianbao filter: a word
no page of a part contains finds nothing there, as in one index of the whole site. The marks
get a word chunk of their own that is loaded with any query (see exact_chunk_ranges).

The search box's filter lists come from pagefind/filters.json (every value of the type, year
and province filters): asking Pagefind for them loads every filter chunk of every part.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import NianbaoError
from generator.incremental import link_or_copy
from generator.search_words import PAIR_MARK, UNIT_MARK, meta_value, page_words

SEARCH_DIR = "pagefind"
PARTS_FILE = "parts.json"
FILTERS_FILE = "filters.json"
FILTERS = ("type", "year", "province")
"""The search box's filters (overrides/main.html, report.md.j2): their values, for its lists."""
FILTER = re.compile(r'data-pagefind-filter="([a-z]+):([^"]*)"')
WORDS_FIELD = "w"
"""Metadata field with a page's words (the search box gives it weight 1)."""
TITLE_FIELD = "t"
"""Metadata field with the words of a page's first heading (weight 10: a page whose title
holds the query comes first)."""
KEY_FIELD = "k"
"""Metadata field with the words of the page's data-nb-key attributes: a report or agency
page names its agency and region there (report.md.j2, agency.md.j2), so agency and place
queries rank these pages above the rule and index pages that merely list them (weight 5)."""
EXCLUDED = ".headerlink, .nb-table-wrap, .nb-diff"
"""Not in Pagefind's own index of the page body (its text, used for result excerpts):
heading permalinks, the statistical tables and charts' data tables (row labels every report
shares, and numbers) and version diffs. Their words are still in the page's words."""
BATCH_COST = 1_800_000
"""Pages per Pagefind process, counted in page words plus a ninth of their characters of body
text: Pagefind 1.5.2 took about 790 bytes a page word and 86 bytes a character of text, and
at 10,000 synthetic reports a batch of 1.2 million peaked at 940 MB and one of 2 million at
1,542 MB (bench/README.md). Fewer, bigger parts answer a query with fewer requests."""
TEXT_PER_WORD = 9
BODY_START = re.compile(rb"<div data-pagefind-body[^>]*>")
BODY_END = b"</article>"
"""The page body Pagefind indexes: overrides/main.html's div up to the end of Material's
article (report text never holds a raw tag: it is escaped)."""
TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", re.S)
INLINE = frozenset(
    {
        *("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i"),
        *("ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup"),
        *("time", "tspan", "u", "var", "wbr"),
    }
)
"""Tags inside a line of text: 伊美<a>区</a> reads 伊美区. Any other tag separates text."""
KEY = re.compile(r'data-nb-key="([^"]*)"')
HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
PLACEHOLDER = (
    '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>nianbao</title></head>'
    "<body><div data-pagefind-body>nianbao{meta}</div></body></html>\n"
)
"""A page with no portal:nianbao filter, never a result: the primary index's only page and,
with the marks as words, the sentinel page of every part."""
CHUNK_SIGNATURE = b"pagefind_dcd"
"""Pagefind 1.5 and 1.6 data files (pf_meta, pf_index): gzip of this signature + CBOR."""


PART_TARGET = 0.6
"""The report pages' parts are cut where the content says (see _batches), on average at
this share of the batch cost: an added report changes the part of its agency only."""
SEARCH_VERSION = "2"
"""Part of every cached part's key: bumped when what a part holds changes for the same pages."""
COSTS_FILE = "costs.json"
"""In the search cache: each page's cost by the SHA-256 of its HTML."""


def build_search_index(
    site_dir: Path, batch_cost: int = BATCH_COST, *, cache_dir: Path | None = None
) -> None:
    """Write site_dir/pagefind/: Pagefind's scripts and placeholder index, then the parts.

    With a cache_dir, a part whose pages (paths and bytes) are those of a part of an earlier
    build is copied from the cache instead of being indexed again; the cache then keeps the
    parts and page costs of this build only."""
    site_dir = Path(site_dir).resolve()
    output = site_dir / SEARCH_DIR
    shutil.rmtree(output, ignore_errors=True)  # no part left from an earlier index
    cache = _PartCache(cache_dir) if cache_dir is not None else None
    primary = {"index.html": PLACEHOLDER.format(meta="")}
    _indexed(
        site_dir,
        cache,
        _key([("index.html", _sha256(primary["index.html"]))]),
        output,
        lambda: primary,
        exact=False,
    )
    sentinel = PLACEHOLDER.format(meta=_meta(WORDS_FIELD, {UNIT_MARK, PAIR_MARK}))
    parts: list[str] = []
    filters: dict[str, set[str]] = {name: set() for name in FILTERS}
    known = cache.costs() if cache is not None else {}
    costs: dict[str, int] = {}  # this site's pages
    batches = _batches(_site_pages(site_dir, filters, _Costs(known, costs)), batch_cost)
    for number, batch in enumerate(batches, start=1):
        part = output / "parts" / str(number)

        def staged(batch: list[_Page] = batch) -> dict[str, str]:
            pages = {page.rel: page.staged() for page in batch}
            pages["_nianbao-sentinel/index.html"] = sentinel
            return pages

        _indexed(site_dir, cache, _key([(p.rel, p.digest) for p in batch]), part, staged)
        parts.append(part.relative_to(output).as_posix() + "/")
    (output / PARTS_FILE).write_text(json.dumps(parts) + "\n", "utf-8")
    values = {name: sorted(found) for name, found in filters.items()}
    (output / FILTERS_FILE).write_text(json.dumps(values, ensure_ascii=False) + "\n", "utf-8")
    if cache is not None:
        cache.finish(costs)


@dataclass(frozen=True, slots=True)
class _Costs:
    """Page costs by the SHA-256 of the page: known from earlier builds, kept for this one."""

    known: dict[str, int]
    kept: dict[str, int]


class _Page:
    """One page of the site on its way into a part: its bytes, digest and cost."""

    __slots__ = ("_staged", "content", "cost", "digest", "rel")

    def __init__(self, rel: str, content: bytes, costs: _Costs) -> None:
        self.rel, self.content = rel, content
        self.digest = hashlib.sha256(content).hexdigest()
        self._staged: str | None = None
        cost = costs.known.get(self.digest)
        if cost is None:
            self._staged, cost = stage_page(content)
        costs.kept[self.digest] = cost
        self.cost = cost

    def staged(self) -> str:
        if self._staged is None:
            self._staged = stage_page(self.content)[0]
        return self._staged


def _site_pages(site_dir: Path, filters: dict[str, set[str]], costs: _Costs) -> Iterator[_Page]:
    """The site's pages (the index's own folder left out): every page outside reports/, then
    the report and agency pages, each sorted; adds the search box's filter values to filters.
    costs: known page costs, and those of this site's pages."""
    found = [
        path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*.html")
        if not path.relative_to(site_dir).as_posix().startswith(SEARCH_DIR + "/")
    ]
    for rel in sorted(found, key=lambda rel: (rel.startswith(REPORTS), rel)):
        content = (site_dir / rel).read_bytes()
        for name, value in FILTER.findall(content.decode("utf-8")):
            if name in filters:
                filters[name].add(html.unescape(value))
        yield _Page(rel, content, costs)


REPORTS = "reports/"
"""The report and agency pages (reports/<agency>/...): most of the index, cut by agency."""


def _batches(pages: Iterator[_Page], batch_cost: int) -> Iterator[list[_Page]]:
    """Pages in batches of at most batch_cost (a bigger page is a batch of its own).

    The pages outside reports/ (the corpus-wide pages, which a new report changes anyway)
    come first and are cut by cost alone. The report pages are cut before an agency's pages
    (reports/<agency>/) where a hash of the agency's folder says so, with a chance of the
    agency's cost over PART_TARGET of batch_cost, or where a batch would exceed batch_cost:
    a cut depends on the agencies just before it only, so adding, changing or removing a
    report changes its own part (and, when the cost limit moves a cut, the parts after it up
    to the next hash cut), and the other parts are reused from the cache."""
    batch: list[_Page] = []
    size = 0
    group: list[_Page] = []
    agency = None

    def cut(pages: list[_Page], by_hash: bool) -> Iterator[list[_Page]]:
        nonlocal batch, size
        cost = sum(page.cost for page in pages)
        if batch and (
            (by_hash and _hash_cut(pages[0].rel, cost, batch_cost * PART_TARGET))
            or (batch[0].rel.startswith(REPORTS) != pages[0].rel.startswith(REPORTS))
        ):
            yield batch
            batch, size = [], 0
        for page in pages:
            if batch and size + page.cost > batch_cost:
                yield batch
                batch, size = [], 0
            batch.append(page)
            size += page.cost

    for page in pages:
        if not page.rel.startswith(REPORTS):
            yield from cut([page], by_hash=False)
            continue
        folder = page.rel.split("/")[1]
        if folder != agency and group:
            yield from cut(group, by_hash=True)
            group = []
        agency = folder
        group.append(page)
    if group:
        yield from cut(group, by_hash=True)
    if batch:
        yield batch


def _hash_cut(rel: str, cost: int, target: float) -> bool:
    """Whether the report pages' batch is cut before the agency whose first page is rel."""
    folder = rel.split("/")[1]
    draw = int(hashlib.sha256(folder.encode("utf-8")).hexdigest()[:13], 16) / 16**13
    return draw < cost / target


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key(pages: list[tuple[str, str]]) -> str:
    """A part's cache key: its pages (path and SHA-256 of their HTML) and what indexes them."""
    from importlib import metadata

    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        version = "-"
    digest = hashlib.sha256(f"{SEARCH_VERSION}\0{version}\0{EXCLUDED}\0".encode())
    for rel, page in pages:
        digest.update(f"{rel}\0{page}\n".encode())
    return digest.hexdigest()


class _PartCache:
    """Indexed parts (bundle folders, keyed by _key) and page costs from earlier builds."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.used: set[str] = set()

    def costs(self) -> dict[str, int]:
        try:
            data = json.loads((self.folder / COSTS_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, int)}

    def get(self, key: str, target: Path) -> bool:
        """Copy the part stored under key to target; False when there is none."""
        self.used.add(key)
        stored = self.folder / "parts" / key
        if not (stored / "pagefind-entry.json").is_file():
            return False
        # hard links (no Pagefind file is written after it is made), as generator/incremental.py
        shutil.copytree(stored, target, copy_function=link_or_copy)
        return True

    def put(self, key: str, bundle: Path) -> None:
        """Keep a copy of a freshly indexed part (a cache that cannot be written is no error)."""
        stored = self.folder / "parts" / key
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=stored.parent))
            shutil.rmtree(temp)
            shutil.copytree(bundle, temp, copy_function=link_or_copy)
            shutil.rmtree(stored, ignore_errors=True)
            temp.rename(stored)
        except OSError:
            pass

    def finish(self, costs: dict[str, int]) -> None:
        """Keep only this build's parts and the costs of this build's pages."""
        parts = self.folder / "parts"
        if parts.is_dir():
            for stored in parts.iterdir():
                if stored.name not in self.used:
                    shutil.rmtree(stored, ignore_errors=True)
        try:
            text = json.dumps(costs, sort_keys=True, separators=(",", ":"))
            (self.folder / COSTS_FILE).write_text(text, "utf-8")
        except OSError:
            pass


def _indexed(
    site_dir: Path,
    cache: _PartCache | None,
    key: str,
    output: Path,
    pages: Callable[[], dict[str, str]],
    *,
    exact: bool = True,
) -> None:
    """Index the staged pages (made on demand) into the bundle folder output, or copy it
    from the cache when it holds the bundle of the same pages."""
    if cache is not None and cache.get(key, output):
        return
    _index(site_dir, pages(), output)
    if exact:
        exact_chunk_ranges(output)
        canonical_filters(output)
    if cache is not None:
        cache.put(key, output)


def stage_page(content: bytes) -> tuple[str, int]:
    """A page as Pagefind indexes it: its words added as metadata at the start of the page
    body. Returns the staged HTML and its cost (words + characters of body text)."""
    page = content.decode("utf-8")
    start = BODY_START.search(content)
    if start is None:  # not a page of the portal's layout (Pagefind skips it too)
        return page, 0
    end = content.rfind(BODY_END, start.end())
    body = content[start.end() : end if end > 0 else len(content)].decode("utf-8")
    text = body_text(body)
    words = page_words(text)
    meta = _meta(WORDS_FIELD, words)
    heading = HEADING.search(body)
    if heading:
        meta += _meta(TITLE_FIELD, page_words(body_text(heading.group(1))))
    keys = " ".join(html.unescape(key) for key in KEY.findall(body))
    if keys:
        meta += _meta(KEY_FIELD, page_words(keys))
    at = len(content[: start.end()].decode("utf-8"))
    return page[:at] + meta + page[at:], len(words) + len(text) // TEXT_PER_WORD


def body_text(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: inline tags join, others separate."""

    def tag(match: re.Match[str]) -> str:
        name = match.group(2)
        return "" if name and name.lower() in INLINE else " "

    return html.unescape(TAG.sub(tag, fragment))


def _meta(field: str, words: set[str]) -> str:
    value = html.escape(meta_value(words), quote=True)
    return f'<span data-pagefind-meta="{field}:{value}"></span>'


def exact_chunk_ranges(bundle: Path) -> None:
    """Give every word chunk of a bundle the range of the words it holds, and move the bare
    marks into a chunk of their own whose range holds every marked word.

    Pagefind loads, for a query word, the chunks whose [from, to] range holds it, but writes
    shortened ranges (["ǀ6", "ǀtot"] for a chunk ending at ǀtotalǂ) and relies on a looser
    second look when no range holds the word: a widened range would hold it and stop that
    look (ǀtotalǂ was then never loaded, as the old chunk-start rewrite lost total and org).
    With each range from its first to its last word, a word that exists is always in the
    range of its own chunk. The marks' chunk, [UNIT_MARK, PAIR_MARK + U+10FFFF], is loaded
    for every query word, so Pagefind's fallback for a word it does not know (the longest
    loaded word that begins it) always finds a bare mark, whose only page is the sentinel.
    It holds those two words only (a few hundred bytes): at 10,000 reports a widened chunk
    of ordinary size cost every query about 13 KB per part."""
    import cbor2

    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        # [version, pages, chunks [[from, to, hash]], filters, sorts, meta fields]
        meta = _read_pagefind(meta_file, "metadata file")
        chunks, marks = [], []
        for _start, _end, name in meta[2]:
            path = bundle / "index" / f"{name}.pf_index"
            # WordIndex [words: [PackedWord [word, pages, additional_variants]]], sorted
            index = _read_pagefind(path, "word chunk")
            kept = [word for word in index[0] if word[0] not in (UNIT_MARK, PAIR_MARK)]
            marks += [word for word in index[0] if word[0] in (UNIT_MARK, PAIR_MARK)]
            if len(kept) < len(index[0]):
                path.unlink()
                name = _write_chunk(bundle, [kept, *index[1:]])
            if kept:
                chunks.append([kept[0][0], kept[-1][0], name])
        if marks:
            chunks.append([UNIT_MARK, PAIR_MARK + "\U0010ffff", _write_chunk(bundle, [marks])])
        meta[2] = chunks
        meta_file.write_bytes(gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(meta), mtime=0))


def canonical_filters(bundle: Path) -> None:
    """Write a bundle's filters in one order: Pagefind 1.5 writes each filter's values, and
    the list of filters, in hash-map order, so two indexes of the same pages differed in
    their filter chunks and metadata file (and a sharded build could not equal a one-machine
    build byte for byte). Values and filters are sorted, each chunk named by a hash of its
    content as Pagefind names its own, and the metadata file too (pagefind-entry.json)."""
    import cbor2

    entry = bundle / "pagefind-entry.json"
    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        meta = _read_pagefind(meta_file, "metadata file")
        filters = []
        for name, chunk in meta[3]:
            path = bundle / "filter" / f"{chunk}.pf_filter"
            # [filter name, [[value, pages]]]
            data = _read_pagefind(path, "filter chunk")
            data[1] = sorted(data[1], key=lambda value: str(value[0]))
            packed = gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(data), mtime=0)
            path.unlink()
            renamed = chunk.split("_", 1)[0] + "_" + hashlib.sha256(packed).hexdigest()[:7]
            (bundle / "filter" / f"{renamed}.pf_filter").write_bytes(packed)
            filters.append([name, renamed])
        meta[3] = sorted(filters)
        packed = gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(meta), mtime=0)
        old = meta_file.name.split(".")[1]
        new = old.split("_", 1)[0] + "_" + hashlib.sha256(packed).hexdigest()[:10]
        meta_file.unlink()
        (bundle / f"pagefind.{new}.pf_meta").write_bytes(packed)
        if entry.is_file():
            entry.write_text(entry.read_text("utf-8").replace(f'"{old}"', f'"{new}"'), "utf-8")


def _write_chunk(bundle: Path, index: list[Any]) -> str:
    """Write a word chunk named, as Pagefind names its own, by a hash of its content."""
    import cbor2

    data = gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(index), mtime=0)
    name = "zh_" + hashlib.sha256(data).hexdigest()[:7]
    (bundle / "index" / f"{name}.pf_index").write_bytes(data)
    return name


def _read_pagefind(path: Path, what: str) -> list[Any]:
    """A Pagefind data file (gzip of CHUNK_SIGNATURE + CBOR), decoded."""
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(CHUNK_SIGNATURE):
        raise NianbaoError(f"search index failed: {path.name} is not a Pagefind {what}")
    decoded: list[Any] = cbor2.loads(data[len(CHUNK_SIGNATURE) :])
    return decoded


def bundle_words(bundle: Path) -> set[str]:
    """Every word in a Pagefind bundle's word chunks (for tests and benchmarks)."""
    words: set[str] = set()
    for chunk_file in sorted((bundle / "index").glob("*.pf_index")):
        # WordIndex [words: [PackedWord [word, pages, additional_variants [[form, pages]]]]]
        for packed in _read_pagefind(chunk_file, "word chunk")[0]:
            words.add(packed[0])
            words.update(variant[0] for variant in packed[2])
    return words


def _index(site_dir: Path, pages: dict[str, str], output: Path) -> None:
    """Index staged pages (relative path -> HTML) into the bundle folder output. They are
    written into an empty folder with the site's layout, so result URLs are the site's; the
    folder is removed afterwards."""
    staging = Path(tempfile.mkdtemp(prefix=".search-batch-", dir=site_dir.parent))
    try:
        for page, text in pages.items():
            target = staging / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        command = [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(staging),
            "--output-path",
            str(output),
            "--force-language",
            "zh",
            "--exclude-selectors",
            EXCLUDED,
            "--quiet",
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise NianbaoError(f"search index failed: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if result.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        text = (result.stderr or result.stdout).strip()
        if "No module named pagefind" in text:
            raise NianbaoError(
                "search index failed: Pagefind is not installed "
                '(pip install "pagefind[extended]==1.5.2")'
            )
        reason = " ".join(text.split())[-300:] or "no index written"
        raise NianbaoError(f"search index failed: {reason}")
