"""The search index: Pagefind over the built site, in batches that fit in memory.

Pagefind holds a whole index in memory, about 180 bytes per Chinese character of page body
(7.2 GB in one run over a 10,000-report site). A large site is therefore indexed in batches,
one Pagefind process each, written as separate bundles that the search box merges in the
browser: pagefind/ and pagefind/parts/<n>/, listed in pagefind/parts.json
(overrides/assets/javascripts/nianbao-search.js).

Merged bundles answer like one index only if each knows every word of the site: Pagefind
drops a query word its index lacks and searches the rest, so a bundle without 伊美 would
answer 伊美区 with every page containing 区. With more than one batch, a first pass reads
the site's vocabulary from each bundle's word chunks, and every bundle then also indexes a
vocabulary page holding all of it. Real pages carry the filter portal:nianbao
(overrides/main.html) and the search box asks for it, so the vocabulary page is never a result.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.errors import NianbaoError

SEARCH_DIR = "pagefind"
PARTS_FILE = "parts.json"
BATCH_CHARACTERS = 4_000_000
"""Indexed Chinese characters (page body outside tables) per Pagefind process: about 1 GB of
memory each (measured 242 bytes a character), leaving room below 2 GB for pages denser than
the benchmark's. A synthetic report page has about 1,800, a real one with a long text
several thousand. Smaller batches also answer broad queries faster (bench/README.md)."""
EXCLUDED = ".headerlink, table, .nb-diff"
"""Not indexed: heading permalinks, tables (row labels every report shares, and numbers) and
version diffs. They were half of a report page's words and most of a broad query's work; the
labels stay findable through the page's search terms (generator/render/searchterms.py)."""
CJK_LEAD_BYTES = [bytes([lead]) for lead in range(0xE3, 0xEA)]
"""UTF-8 lead bytes of U+3000..U+9FFF: CJK punctuation, kana and the unified ideographs."""
BODY_MARKER = b"data-pagefind-body"
TABLE = re.compile(rb"<table\b.*?</table>", re.S)
"""Tables are not indexed (EXCLUDED), so their characters do not count."""
VOCABULARY_PAGE = "_nianbao-vocabulary/index.html"
"""Where the vocabulary page sits in each batch's staging folder (never a page of the site)."""
CHUNK_SIGNATURE = b"pagefind_dcd"
"""Pagefind 1.5's word chunks (index/*.pf_index): gzip of this signature + CBOR."""


def build_search_index(site_dir: Path, batch_characters: int = BATCH_CHARACTERS) -> None:
    """Write site_dir/pagefind/ (and pagefind/parts/<n>/ for a large site) with Pagefind; the
    extended binary segments Chinese."""
    site_dir = Path(site_dir).resolve()
    batches = search_batches(site_dir, batch_characters)
    output = site_dir / SEARCH_DIR
    shutil.rmtree(output, ignore_errors=True)  # no bundle or part left from an earlier index
    targets = [output, *(output / "parts" / str(n) for n in range(1, len(batches)))]
    extra: dict[str, str] = {}
    if len(batches) > 1:
        vocabulary: set[str] = set()
        with tempfile.TemporaryDirectory(prefix=".search-words-", dir=site_dir.parent) as scratch:
            for number, batch in enumerate(batches):
                bundle = Path(scratch) / str(number)
                _run_pagefind(site_dir, batch, bundle, {})
                vocabulary |= bundle_words(bundle)
                shutil.rmtree(bundle)
        extra = {VOCABULARY_PAGE: vocabulary_page(vocabulary)}
    for batch, target in zip(batches, targets, strict=True):
        _run_pagefind(site_dir, batch, target, extra)
        widen_chunk_starts(target)
    parts = [target.relative_to(output).as_posix() + "/" for target in targets[1:]]
    (output / PARTS_FILE).write_text(json.dumps(parts) + "\n", "utf-8")


def search_batches(site_dir: Path, batch_characters: int) -> list[list[str]]:
    """The site's HTML pages (relative POSIX paths, sorted) cut into consecutive batches of at
    most batch_characters Chinese characters of indexed page body each (a bigger page is a
    batch of its own)."""
    batches: list[list[str]] = [[]]
    size = 0
    for page in sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")):
        if page.startswith(SEARCH_DIR + "/"):
            continue
        content = (site_dir / page).read_bytes()
        start = content.find(BODY_MARKER)
        body = TABLE.sub(b"", content[start:]) if start >= 0 else b""
        characters = sum(body.count(lead) for lead in CJK_LEAD_BYTES)
        if batches[-1] and size + characters > batch_characters:
            batches.append([])
            size = 0
        batches[-1].append(page)
        size += characters
    return batches


def _read_pagefind(path: Path, what: str) -> Any:
    """A Pagefind 1.5 data file (gzip of CHUNK_SIGNATURE + CBOR), decoded (Pagefind's own
    nested lists: the callers index them as its format says)."""
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(CHUNK_SIGNATURE):
        raise NianbaoError(
            f"search index failed: {path.name} is not a Pagefind 1.5 {what}; "
            "nianbao reads it with pagefind==1.5.2"
        )
    return cbor2.loads(data[len(CHUNK_SIGNATURE) :])


def bundle_words(bundle: Path) -> set[str]:
    """Every word (and diacritic variant) in a Pagefind bundle's word chunks."""
    words: set[str] = set()
    for chunk_file in sorted((bundle / "index").glob("*.pf_index")):
        # WordIndex [words: [PackedWord [word, pages, additional_variants [[form, pages]]]]]
        for packed in _read_pagefind(chunk_file, "word chunk")[0]:
            words.add(packed[0])
            words.update(variant[0] for variant in packed[2])
    return words


def widen_chunk_starts(bundle: Path) -> None:
    """Make every word chunk of a bundle start at its first word's first character.

    Pagefind 1.5.2 loads, for a query word, only the chunks whose [from, to] range holds the
    word itself, so words that merely start with it but sit in the next chunk are not
    searched: 伊美区 (伊美|区) missed the region page of 伊美龙泉乡 when a chunk ended at
    伊美长青镇. A chunk holds no word below its first word, so starting its range at that
    word's first character loads it for every prefix of its words (and at worst for a few
    queries that find nothing in it)."""
    import cbor2

    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        # [version, pages, chunks [[from, to, hash]], filters, sorts, meta fields]
        meta = _read_pagefind(meta_file, "metadata file")
        meta[2] = [[start[:1], end, name] for start, end, name in meta[2]]
        meta_file.write_bytes(gzip.compress(CHUNK_SIGNATURE + cbor2.dumps(meta), mtime=0))


def vocabulary_page(words: set[str]) -> str:
    """An HTML page that indexes every word once (no portal filter: never a result).

    The words are the value of a metadata attribute: Pagefind indexes metadata split at spaces
    only, while page text (attributes named in data-pagefind-index-attrs too) is segmented
    again, and 伊美区 alone would become 伊|美|区. The one word of text keeps the page from
    being dropped as empty."""
    value = html.escape(" ".join(sorted(words)), quote=True)
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>-</title></head>'
        "<body><div data-pagefind-body>vocabulary"
        f'<span data-pagefind-meta="vocabulary:{value}"></span></div></body></html>\n'
    )


def _run_pagefind(site_dir: Path, pages: list[str], output: Path, extra: dict[str, str]) -> None:
    """Index some pages (plus extra pages given as text) into the bundle folder output. The
    pages are linked into an empty folder with the site's layout, so result URLs are the
    site's; the folder is removed afterwards."""
    staging = Path(tempfile.mkdtemp(prefix=".search-batch-", dir=site_dir.parent))
    try:
        for page in pages:
            target = staging / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / page, target)
            except OSError:  # no hard links on this file system
                shutil.copyfile(site_dir / page, target)
        for page, text in extra.items():
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
