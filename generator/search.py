"""The search index: Pagefind over the built site, with nianbao's own words for every page.

Each page is indexed with its words (generator/search_words.py: every character and every
pair of adjacent characters of its text) as Pagefind metadata, in a staged page that holds
the page body's start tag, the words, the filters and the title (its h1), not the text: the
search box looks only those words up, without letting Pagefind cut the query again
(overrides/assets/javascripts/nianbao-search.js), so recall does not depend on two word
segmenters agreeing, and Pagefind's own cutting of the text (40 % of its time and a quarter
of its memory on 400 report pages, bench/README.md) was never used. The published page
carries no hidden word list. The index holds no page text either: the search box cuts a
result's excerpt from the page itself, fetched when the result is shown (the text a reader
sees of the page body, without NOT_TEXT), so the site does not publish every page's text a
second time in the result fragments (49 MB of 671 at 10,000 reports, bench/README.md).

Layout of site/pagefind/: Pagefind's scripts and an index of one placeholder page, then one
bundle per batch of pages in pagefind/parts/<n>/, listed in pagefind/parts.json. The parts
are indexed, and the search box merges them, with language "und" (PART_LANGUAGE): Pagefind's
documented way to search an index in a language other than the page's; for "und" it does
not segment the query. Pagefind holds a
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

import functools
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cache import files_fingerprint, write_bytes_atomic
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
queries rank these pages above the rule and index pages that merely list them (weight 10, as the title)."""
NOT_TEXT = ("headerlink", "nb-table-wrap", "nb-diff")
"""Classes of the elements left out of a result's excerpt and of its title, with svg, script
and style: heading permalinks, the statistical tables and charts' data tables (row labels
every report shares, and numbers) and version diffs. Their words are still in the page's
words. The search box leaves out the same (NOT_TEXT in nianbao-search.js)."""
_NOT_TEXT_START = re.compile(
    r"<(svg|script|style)\b[^>]*>|<([a-z][a-z0-9]*)\b[^>]*\sclass=\"(?:[^\"]*\s)?(?:"
    + "|".join(NOT_TEXT)
    + r")(?:\s[^\"]*)?\"[^>]*>",
    re.IGNORECASE,
)
BATCH_COST = 1_000_000
"""Pages per Pagefind process, counted in page words (metadata words of the staged page).
Fewer, bigger parts answer a query with fewer requests; a smaller part is indexed again
sooner when a report is added, and Pagefind processes run side by side up to this cost in
all (_Indexer). Measured peaks of a Pagefind process are in bench/README.md."""
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
LIST = re.compile(r"<(table|ul|ol)\b[^>]*>(?:(?!<(?:table|ul|ol)\b).)*?</\1>", re.S | re.IGNORECASE)
"""A table or list holding no other (removed innermost first). The pages outside reports/
(compliance, analyses, regions, years, the indexes) list reports and agencies in tables and
lists: those names are not such a page's words, so a query for an agency finds its own
pages, not every list it is on (a report's and an agency's tables are their figures and
stay in their words)."""
HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
PLACEHOLDER = (
    '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>nianbao</title></head>'
    "<body><div data-pagefind-body>nianbao{meta}</div></body></html>\n"
)
"""A page with no portal:nianbao filter, never a result: the primary index's only page and,
with the marks as words, the sentinel page of every part."""
CHUNK_SIGNATURE = b"pagefind_dcd"
"""Pagefind 1.5 and 1.6 data files (pf_meta, pf_index): gzip of this signature + CBOR."""


SEARCH_VERSION = "5"
"""Part of every cached part's key (with the staging code, code_version): bumped when what a
part holds changes for the same pages and code, e.g. with the Pagefind command."""
COSTS_FILE = "costs.json"
"""In the search cache: each page's cost by the SHA-256 of its HTML."""
WORDS_DIR = "words"
"""In the search cache: each page's staged words (page_meta), by the SHA-256 of its HTML, so
that a part indexed again stages only its changed pages (gzip level 1: every page's words
are written on a cold build)."""


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
    primary = {"index.html": StagedPage(PLACEHOLDER.format(meta=""), 0)}
    sentinel = StagedPage(PLACEHOLDER.format(meta=_meta(WORDS_FIELD, {UNIT_MARK, PAIR_MARK})), 0)
    parts: list[str] = []
    filters: dict[str, set[str]] = {name: set() for name in FILTERS}
    known = cache.costs() if cache is not None else {}
    costs: dict[str, int] = {}  # this site's pages
    files = _site_files(site_dir)
    pages = _site_pages(site_dir, files, filters, _Costs(known, costs, cache))
    batches = _batches(pages, batch_cost, part_targets(files))
    with _Indexer(site_dir, cache, batch_cost) as indexer:
        key = _key([("index.html", _sha256(primary["index.html"].html))])
        indexer.index(key, output, lambda: primary, 0, primary=True)
        indexer.wait_all()  # Pagefind writes the primary bundle over pagefind/, parts and all
        for number, batch in enumerate(batches, start=1):
            part = output / "parts" / str(number)

            def staged(batch: list[_Page] = batch) -> dict[str, StagedPage]:
                pages = {page.rel: page.staged() for page in batch}
                pages["_nianbao-sentinel/index.html"] = sentinel
                return pages

            cost = sum(page.cost for page in batch)
            indexer.index(_key([(p.rel, p.digest) for p in batch]), part, staged, cost)
            parts.append(part.relative_to(output).as_posix() + "/")
    (output / PARTS_FILE).write_text(json.dumps(parts) + "\n", "utf-8")
    values = {name: sorted(found) for name, found in filters.items()}
    (output / FILTERS_FILE).write_text(json.dumps(values, ensure_ascii=False) + "\n", "utf-8")
    if cache is not None:
        cache.finish(costs)


@dataclass(frozen=True, slots=True)
class _Costs:
    """Page costs by the SHA-256 of the page: known from earlier builds, kept for this one;
    and the cache that also keeps each page's staged words (None: no cache)."""

    known: dict[str, int]
    kept: dict[str, int]
    cache: _PartCache | None = None


@dataclass(frozen=True, slots=True)
class StagedPage:
    """A page as Pagefind indexes it."""

    html: str
    cost: int
    """Its words (BATCH_COST); 0 for a page outside the portal's layout."""


class _Page:
    """One page of the site on its way into a part: its bytes, digest and cost."""

    __slots__ = ("_staged", "content", "cost", "costs", "digest", "rel")

    def __init__(self, rel: str, content: bytes, costs: _Costs) -> None:
        self.rel, self.content, self.costs = rel, content, costs
        self.digest = hashlib.sha256(content).hexdigest()
        self._staged: StagedPage | None = None
        cost = costs.known.get(self.digest)
        if cost is None:
            self._staged = self._from_cache() or self._stage()
            cost = self._staged.cost
        costs.kept[self.digest] = cost
        self.cost = cost

    def staged(self) -> StagedPage:
        """The staged page (made once: not kept after)."""
        staged, self._staged = self._staged, None
        return staged or self._from_cache() or self._stage()

    def _from_cache(self) -> StagedPage | None:
        cache = self.costs.cache
        kept = cache.words(self._words_key()) if cache is not None else None
        if kept is None:
            return None
        html = staged_html(self.content, kept[0])
        return StagedPage(html, kept[1]) if html is not None else None

    @property
    def _lists(self) -> bool:
        """Whether the words of the page's tables and lists count (page_meta)."""
        return self.rel.startswith(REPORTS)

    def _words_key(self) -> str:
        return self.digest if self._lists else self.digest + "-lists"

    def _stage(self) -> StagedPage:
        staged = _stage(self.content, self._lists)
        if staged is None:  # outside the portal's layout: as it is (Pagefind skips it too)
            return StagedPage(self.content.decode("utf-8"), 0)
        page, meta = staged
        if self.costs.cache is not None:
            self.costs.cache.keep_words(self._words_key(), meta, page.cost)
        return page


def keep_page_words(cache_dir: Path, rel: str, content: bytes) -> None:
    """Stage a built page's words into the search cache before the index is made
    (generator/words_ahead.py: on a second core while MkDocs builds the other pages). rel:
    its path in the site; content: its bytes as MkDocs writes them."""
    _Page(rel, content, _Costs({}, {}, _PartCache(cache_dir)))


def _site_files(site_dir: Path) -> list[str]:
    """The site's pages (the index's own folder left out) in the order of their parts: the
    corpus-wide pages, the region pages, then the report and agency pages (see _group), each
    sorted."""
    found = [
        path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*.html")
        if not path.relative_to(site_dir).as_posix().startswith(SEARCH_DIR + "/")
    ]
    return sorted(found, key=lambda rel: (_section(rel), rel))


def _site_pages(
    site_dir: Path, files: list[str], filters: dict[str, set[str]], costs: _Costs
) -> Iterator[_Page]:
    """The pages of files, read one by one; adds the search box's filter values to filters.
    costs: known page costs, and those of this site's pages."""
    for rel in files:
        content = (site_dir / rel).read_bytes()
        for name, value in FILTER.findall(content.decode("utf-8")):
            if name in filters:
                filters[name].add(html.unescape(value))
        yield _Page(rel, content, costs)


REPORTS = "reports/"
"""The report and agency pages (reports/<agency>/...): most of the index, cut by agency."""
REGIONS = "regions/"
"""The region pages (regions/<province>/<city>/...), cut by province and city."""
SECTIONS = ("", REGIONS, REPORTS)


def _group(rel: str) -> str | None:
    """The folder whose pages a new report changes together: an agency's folder under
    reports/, a province's page or a city's folder under regions/; None for the corpus-wide
    pages (home, indexes, compliance, analyses, the region list), which change with any
    report and are cut by cost alone."""
    parts = rel.split("/")
    if rel.startswith(REPORTS) and len(parts) > 2:
        return "/".join(parts[:2])
    if rel.startswith(REGIONS) and len(parts) > 2:
        return "/".join(parts[: min(3, len(parts) - 1)])
    return None


def _section(rel: str) -> int:
    group = _group(rel)
    return 0 if group is None else SECTIONS.index(group.split("/")[0] + "/")


SECTION_PARTS = {REGIONS: 2, REPORTS: 16}
"""About how many parts the region and the report pages are cut into (part_targets)."""
LEAST_TARGET = 64
"""Pages per part at least (part_targets): Pagefind ranks a part's pages by the part's own
word statistics, and in a part of a few pages an agency's words are in most pages (a low
inverse document frequency), so its reports ranked below the region page of its place."""


def part_targets(files: list[str]) -> dict[str, int]:
    """Pages per part of the region and report sections: the power of two (LEAST_TARGET at
    least) that cuts the section's pages into at most SECTION_PARTS[section] and more than
    half as many parts.
    A power of two, so that adding or removing a report changes it only where the section's
    size crosses one (and with it every cut of the section)."""
    counts = dict.fromkeys(SECTION_PARTS, 0)
    for rel in files:
        section = SECTIONS[_section(rel)]
        if section in counts:
            counts[section] += 1
    targets = {}
    for section, parts in SECTION_PARTS.items():
        target = LEAST_TARGET
        while target * parts < counts[section]:
            target *= 2
        targets[section] = target
    return targets


def _batches(
    pages: Iterator[_Page], batch_cost: int, targets: dict[str, int]
) -> Iterator[list[_Page]]:
    """Pages in batches of at most batch_cost (a bigger page is a batch of its own).

    The corpus-wide pages (which a new report changes anyway) come first and are cut by cost
    alone. The region pages and then the report pages are cut before a group of pages
    (_group: an agency's, a city's) where a hash of the group's folder says so, once the
    batch holds half the section's target (part_targets), with a chance of the group's pages
    over that half (so a part holds about the target), or where a batch would exceed
    batch_cost or hold twice the target; each section starts a batch. A cut depends on the
    groups just before it, so adding, changing or removing a report changes the parts of its
    own pages (and, when it moves a cut, the parts after them until the cuts meet the same
    hash cuts again), and the other parts are reused from the cache. The parts stay
    small enough that a rebuild indexes little again, and few enough that a query (one
    request per part and word) stays cheap."""
    batch: list[_Page] = []
    size = 0
    pending: list[_Page] = []
    current: str | None = None

    def cut(pages: list[_Page], group: str | None) -> Iterator[list[_Page]]:
        nonlocal batch, size
        section = SECTIONS[_section(pages[0].rel)]
        target = targets.get(section)
        least = (target or 0) // 2
        if batch and (
            (
                (group is not None and target and len(batch) >= least)
                and _hash_cut(group, len(pages), max(1, least))
            )
            or _section(batch[0].rel) != _section(pages[0].rel)
        ):
            yield batch
            batch, size = [], 0
        for page in pages:
            if batch and (size + page.cost > batch_cost or (target and len(batch) >= 2 * target)):
                yield batch
                batch, size = [], 0
            batch.append(page)
            size += page.cost

    for page in pages:
        group = _group(page.rel)
        if pending and group != current:
            yield from cut(pending, current)
            pending = []
        if group is None:
            yield from cut([page], None)
            continue
        current = group
        pending.append(page)
    if pending:
        yield from cut(pending, current)
    if batch:
        yield batch


def _hash_cut(group: str, pages: int, target: int) -> bool:
    """Whether the batch is cut before the group of pages (its folder, _group)."""
    draw = int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:13], 16) / 16**13
    return draw < pages / target


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def code_version() -> str:
    """SEARCH_VERSION and the SHA-256 of the code that stages pages (this module and
    search_words.py): part of every cached part's key and of the staged words' folder, so a
    change to either code is never served from the cache."""
    from generator import search_words

    modules = [
        (name, Path(module))
        for name, module in (("search", __file__), ("search_words", search_words.__file__))
    ]
    return files_fingerprint(f"search {SEARCH_VERSION}", modules)[:16]


def _key(pages: list[tuple[str, str]]) -> str:
    """A part's cache key: its pages (path and SHA-256 of their HTML) and what indexes them."""
    from importlib import metadata

    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        version = "-"
    digest = hashlib.sha256(f"{code_version()}\0{version}\0".encode())
    for rel, page in pages:
        digest.update(f"{rel}\0{page}\n".encode())
    return digest.hexdigest()


class _PartCache:
    """Indexed parts (bundle folders, keyed by _key) and page costs from earlier builds."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.used: set[str] = set()

    def words(self, digest: str) -> tuple[str, int] | None:
        """The staged words (page_meta's metadata) and the cost of the page with this
        SHA-256, if kept."""
        try:
            data = gzip.decompress(
                (self.folder / WORDS_DIR / code_version() / f"{digest}.gz").read_bytes()
            )
            kept = json.loads(data)
        except (OSError, EOFError, gzip.BadGzipFile, ValueError):
            return None
        if not (
            isinstance(kept, list)
            and len(kept) == 2
            and isinstance(kept[0], str)
            and isinstance(kept[1], int)
        ):
            return None
        return kept[0], kept[1]

    def keep_words(self, digest: str, meta: str, cost: int) -> None:
        """Keep a page's staged words and cost for the next build (a part it is in may be
        indexed again while the page is unchanged)."""
        path = self.folder / WORDS_DIR / code_version() / f"{digest}.gz"
        if path.is_file():
            return
        data = json.dumps([meta, cost], ensure_ascii=False).encode("utf-8")
        write_bytes_atomic(path, gzip.compress(data, 1, mtime=0))

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
        """Keep only this build's parts, and the costs and words of this build's pages."""
        parts = self.folder / "parts"
        if parts.is_dir():
            for stored in parts.iterdir():
                if stored.name not in self.used:
                    shutil.rmtree(stored, ignore_errors=True)
        words = self.folder / WORDS_DIR
        if words.is_dir():
            for version in words.iterdir():
                if version.name != code_version():
                    shutil.rmtree(version, ignore_errors=True)
                    continue
                for stored in version.iterdir():
                    digest = stored.name.removesuffix(".gz").removesuffix("-lists")
                    if digest not in costs:  # not a page of this build
                        stored.unlink(missing_ok=True)
        try:
            text = json.dumps(costs, sort_keys=True, separators=(",", ":"))
            (self.folder / COSTS_FILE).write_text(text, "utf-8")
        except OSError:
            pass


class _Indexer:
    """Pagefind runs, overlapped with each other and with nianbao's own work.

    Pagefind uses about one core and holds its whole index in memory, so runs go on side by
    side while there is a core for each and their costs (the memory they hold) add up to at
    most one batch's (budget): the small parts a rebuild indexes again run together, the
    large parts of a first build mostly one at a time. While Pagefind runs, the next batch is
    staged (its page words) and the bundles that are done are finished (finish_bundle). Each
    part is indexed on its own, so its bytes do not depend on what ran beside it."""

    def __init__(self, site_dir: Path, cache: _PartCache | None, budget: int) -> None:
        self.site_dir, self.cache, self.budget = site_dir, cache, budget
        self.slots = max(1, os.cpu_count() or 1)
        self.running: list[_Run] = []  # in the order they started
        self.done: list[_Run] = []  # indexed, not yet finished

    def __enter__(self) -> _Indexer:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self.wait_all()
        else:
            for run in self.running:
                run.stop()

    def index(
        self,
        key: str,
        output: Path,
        pages: Callable[[], dict[str, StagedPage]],
        cost: int,
        *,
        primary: bool = False,
    ) -> None:
        """Index the staged pages (made on demand) into the bundle folder output, or copy it
        from the cache when it holds the bundle of the same pages. cost: the pages' cost."""
        if self.cache is not None and self.cache.get(key, output):
            return
        staged = pages()
        staging = _write_staging(self.site_dir, staged)
        urls = {_url(rel) for rel, page in staged.items() if page.cost}
        while self.running and (
            len(self.running) >= self.slots
            or sum(run.cost for run in self.running) + cost > self.budget
        ):
            self._wait_oldest()
        self.running.append(_Run(staging, output, key, cost, primary, urls))
        self._finish()

    def wait_all(self) -> None:
        """Wait for every run and finish its bundle."""
        while self.running:
            self._wait_oldest()
        self._finish()

    def _wait_oldest(self) -> None:
        run = self.running.pop(0)
        run.wait()
        self.done.append(run)

    def _finish(self) -> None:
        while self.done:
            run = self.done.pop(0)
            finish_bundle(run.output, run.urls, primary=run.primary)
            if self.cache is not None:
                self.cache.put(run.key, run.output)


PRIMARY_LANGUAGE = "zh"
"""The primary bundle's language: the pages' (html lang), which pagefind.js loads."""
PART_LANGUAGE = "und"
"""The parts' language, the one the search box merges them with. Pagefind cuts no text into
words for it: a staged page holds the page words, split at spaces, and its title, whose
Chinese words no query asks for. For "zh" every Pagefind process first loaded its Chinese
dictionary (0.2 s of CPU), and cut the title again."""


@functools.cache
def _pagefind_command() -> tuple[str, ...]:
    """Pagefind's executable (the pagefind[extended] package's), else its Python wrapper,
    which then says that Pagefind is not installed."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError:
        return (sys.executable, "-m", "pagefind")
    executable = get_executable()
    return (str(executable),) if executable is not None else (sys.executable, "-m", "pagefind")


class _Run:
    """One Pagefind process indexing a staging folder into a bundle folder."""

    def __init__(
        self,
        staging: Path,
        output: Path,
        key: str,
        cost: int,
        primary: bool,
        urls: set[str],
    ) -> None:
        self.staging, self.output, self.key, self.primary = staging, output, key, primary
        self.cost, self.urls = cost, urls
        command = [
            *_pagefind_command(),
            "--site",
            str(staging),
            "--output-path",
            str(output),
            "--force-language",
            PRIMARY_LANGUAGE if primary else PART_LANGUAGE,
            "--quiet",
        ]
        try:
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise NianbaoError(f"search index failed: {error}") from error

    def wait(self) -> None:
        try:
            stdout, stderr = self.process.communicate()
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self.process.returncode != 0 or not (self.output / "pagefind-entry.json").is_file():
            text = (stderr or stdout).strip()
            if "No module named pagefind" in text:
                raise NianbaoError(
                    "search index failed: Pagefind is not installed "
                    '(pip install "pagefind[extended]==1.5.2")'
                )
            reason = " ".join(text.split())[-300:] or "no index written"
            raise NianbaoError(f"search index failed: {reason}")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.staging, ignore_errors=True)


def finish_bundle(bundle: Path, urls: set[str], *, primary: bool = False) -> None:
    """What nianbao changes in a bundle Pagefind wrote: exact chunk ranges and canonical
    filters (a part's), the result fragments without the page words (urls: the pages that
    must have one), and Pagefind's own user interfaces left out (the portal's search box
    uses pagefind.js alone)."""
    if not primary:
        exact_chunk_ranges(bundle)
        canonical_filters(bundle)
        slim_fragments(bundle, urls)
    for name in UNUSED_FILES if primary else (*UNUSED_FILES, *PRIMARY_ONLY_FILES):
        (bundle / name).unlink(missing_ok=True)
    if not primary:
        for wasm in bundle.glob("wasm.*.pagefind"):
            wasm.unlink()


UNUSED_FILES = (
    *("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css"),
    *("pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"),
)
"""Pagefind's own search interfaces: the portal has its own search box."""
PRIMARY_ONLY_FILES = ("pagefind.js", "pagefind-worker.js")
"""Loaded from the primary bundle only: the search box imports its pagefind.js, whose one
web worker and one WebAssembly module (wasm.*.pagefind) serve every merged part (mergeIndex
initialises a part with load_wasm false); a part needs its entry, metadata and chunks."""


FRAGMENT_COMPRESSION = 6
"""gzip level of a slimmed fragment: level 9 took twice the time for 2 % fewer bytes."""


def slim_fragments(bundle: Path, urls: set[str]) -> None:
    """Leave the page-word metadata out of a bundle's result fragments. Pagefind copies
    every metadata field into the page's fragment, which the browser loads to show a
    result; the search box shows the title (and an excerpt of the page, which it fetches),
    and the words are already in the word chunks that find the page. A fragment keeps its
    name (the metadata file refers to it by that name). urls: the pages that must have a
    fragment."""
    drop = (WORDS_FIELD, TITLE_FIELD, KEY_FIELD)
    given: set[str] = set()
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(CHUNK_SIGNATURE):
            raise NianbaoError(f"search index failed: {path.name} is not a Pagefind fragment")
        fragment = json.loads(data[len(CHUNK_SIGNATURE) :])
        given.add(fragment.get("url"))
        meta = fragment.get("meta")
        if not isinstance(meta, dict) or not any(f in meta for f in drop):
            continue
        fragment["meta"] = {k: v for k, v in meta.items() if k not in drop}
        text = json.dumps(fragment, ensure_ascii=False, separators=(",", ":"))
        data = CHUNK_SIGNATURE + text.encode("utf-8")
        path.write_bytes(gzip.compress(data, FRAGMENT_COMPRESSION, mtime=0))
    if not urls <= given:  # a page no search could show
        missing = sorted(urls - given)[0]
        raise NianbaoError(f"search index failed: Pagefind wrote no result for {missing}")


def stage_page(content: bytes, *, lists: bool = True) -> StagedPage:
    """A page as Pagefind indexes it (staged_html); a page outside the portal's layout as it
    is (Pagefind skips it too). lists: whether the words of the page's tables and lists
    count (see LIST)."""
    staged = _stage(content, lists)
    return staged[0] if staged is not None else StagedPage(content.decode("utf-8"), 0)


def _stage(content: bytes, lists: bool) -> tuple[StagedPage, str] | None:
    """The staged page and its metadata (what the words cache keeps)."""
    found = page_meta(content, lists=lists)
    if found is None:
        return None
    meta, cost = found
    html = staged_html(content, meta)
    assert html is not None  # page_meta found the body
    return StagedPage(html, cost), meta


def page_meta(content: bytes, *, lists: bool = True) -> tuple[str, int] | None:
    """The metadata that holds a page's words and the page's cost (its words); None for a
    page outside the portal's layout."""
    body = _body(content)
    if body is None:
        return None
    text = body_text(body[1] if lists else _without_lists(body[1]))
    words = page_words(text)
    meta = _meta(WORDS_FIELD, words)
    heading = HEADING.search(body[1])
    if heading:
        meta += _meta(TITLE_FIELD, page_words(body_text(heading.group(1))))
    keys = " ".join(html.unescape(key) for key in KEY.findall(body[1]))
    if keys:
        meta += _meta(KEY_FIELD, page_words(keys))
    return meta, len(words)


STAGED_PAGE = (
    '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"></head><body>{start}{meta}'
    "{filters}{title}</div></body></html>\n"
)
"""A staged page: the page body's start tag (its portal filter), the words, the body's
filters, and its first heading, from which Pagefind takes the result's title."""


def staged_html(content: bytes, meta: str) -> str | None:
    """The page as Pagefind indexes it (STAGED_PAGE) with the words' metadata; None for a
    page outside the portal's layout."""
    body = _body(content)
    if body is None:
        return None
    start, inner = body
    filters = "".join(
        f'<span data-pagefind-filter="{name}:{value}"></span>'
        for name, value in FILTER.findall(inner)
    )
    heading = HEADING.search(inner)
    title = f"<h1>{_without_not_text(heading.group(1))}</h1>" if heading else ""
    return STAGED_PAGE.format(start=start, meta=meta, filters=filters, title=title)


def _without_not_text(body: str) -> str:
    """The body without the NOT_TEXT, svg, script and style elements (each up to its own
    end tag, the same elements nested inside counted)."""
    kept: list[str] = []
    position = 0
    while (start := _NOT_TEXT_START.search(body, position)) is not None:
        kept.append(body[position : start.start()])
        name = (start.group(1) or start.group(2)).lower()
        same = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
        depth, end = 1, len(body)
        for tag in same.finditer(body, start.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        kept.append(" ")
        position = end
    kept.append(body[position:])
    return "".join(kept)


def _without_lists(body: str) -> str:
    while True:
        shorter = LIST.sub(" ", body)
        if shorter == body:
            return body
        body = shorter


def _body(content: bytes) -> tuple[str, str] | None:
    """The page body's start tag and what follows it up to the end of the article."""
    start = BODY_START.search(content)
    if start is None:
        return None
    end = content.rfind(BODY_END, start.end())
    inner = content[start.end() : end if end > 0 else len(content)]
    return start.group(0).decode("utf-8"), inner.decode("utf-8")


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
    """Give every word chunk of a bundle a range that holds each of its words, and move the
    bare marks into a chunk of their own whose range holds every marked word.

    Pagefind loads, for a query word, the chunks whose [from, to] range holds it, but writes
    shortened ranges: `from` and `to` are prefixes of the chunk's first and last words
    (["ǀ6", "ǀtot"] for a chunk ending at ǀtotalǂ), and it relies on a looser second look
    when no range holds the word. A chunk's range here runs from its `from` to the next
    chunk's `from` (the last one's to its `to` followed by U+10FFFF), so a word that exists
    is always in the range of its own chunk; the ranges come from the metadata file alone,
    and only a chunk whose range may hold a bare mark is read. (A word no chunk holds falls
    in the range of one chunk, as it almost always did within a chunk's first and last
    words: the ranges tile the words.) The marks' chunk, [UNIT_MARK, PAIR_MARK + U+10FFFF],
    is loaded for every query word, so Pagefind's fallback for a word it does not know (the
    longest loaded word that begins it) always finds a bare mark, whose only page is the
    sentinel. It holds those two words only (a few hundred bytes): at 10,000 reports a
    widened chunk of ordinary size cost every query about 13 KB per part."""
    import cbor2

    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        # [version, pages, chunks [[from, to, hash]], filters, sorts, meta fields]
        meta = _read_pagefind(meta_file, "metadata file")
        ranges = meta[2]
        chunks, marks = [], []
        for number, (start, end, name) in enumerate(ranges):
            stop = ranges[number + 1][0] if number + 1 < len(ranges) else end + "\U0010ffff"
            if any(start <= mark <= stop for mark in (UNIT_MARK, PAIR_MARK)):
                path = bundle / "index" / f"{name}.pf_index"
                # WordIndex [words: [PackedWord [word, pages, additional_variants]]], sorted
                index = _read_pagefind(path, "word chunk")
                kept = [word for word in index[0] if word[0] not in (UNIT_MARK, PAIR_MARK)]
                marks += [word for word in index[0] if word[0] in (UNIT_MARK, PAIR_MARK)]
                if len(kept) < len(index[0]):
                    path.unlink()
                    if not kept:
                        continue
                    name = _write_chunk(bundle, [kept, *index[1:]])
            chunks.append([start, stop, name])
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


def _url(rel: str) -> str:
    """A page's URL in Pagefind's fragments: "/" + its path, without a final index.html."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _write_staging(site_dir: Path, pages: dict[str, StagedPage]) -> Path:
    """Staged pages (relative path -> page) written into an empty folder with the site's
    layout, so result URLs are the site's; the Pagefind run removes it afterwards."""
    staging = Path(tempfile.mkdtemp(prefix=".search-batch-", dir=site_dir.parent))
    try:
        for page, staged in pages.items():
            target = staging / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(staged.html, "utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging
