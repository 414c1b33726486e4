"""MkDocs hook: put the render stage's HTML fragments into the pages after Markdown.

The render stage writes the heavy blocks of a page (the statistical tables, the charts, the
narrative, the parse notes) as finished HTML into content/.fragments/<page>.json and leaves a
placeholder comment `<!--nb-fragment N DIGEST-->` in the page (generator/render/output.py), so
Python-Markdown does not parse thousands of tags again (issue 15). Headings stay Markdown, so
Material's table of contents and permalinks are unchanged.

When MkDocs has made a page (`on_post_page`: Markdown converted and the theme's template
rendered), each placeholder is replaced by its fragment, and the fragment gets what MkDocs
gives links in Markdown:

- every `<a href>` goes through MkDocs' own link resolution (the `_RelativePathTreeprocessor`
  of mkdocs 1.6.1, pinned in pyproject.toml): a link to a .md file becomes its directory URL,
  relative to the page, and a link to a missing file logs MkDocs' own warning naming the page
  and the link, which fails the `--strict` build;
- links with an anchor are added to the page's `links_to_anchors`, and the fragment's `id`s to
  its `present_anchor_ids`, so MkDocs' anchor validation (run after every page is built) sees
  them as it sees Markdown's;
- the value cells of a statistical table (`data-nb-cells`) lose their ids in the built page
  (the browser gives them back: content/js/cell-anchors.js), after they were counted above.

A placeholder without its fragment (none, or one whose SHA-256 does not start with DIGEST: a
sidecar from another build), or a fragment without a placeholder, is a warning too.

Not at `on_page_content`: MkDocs converts every page before it renders the first one and
keeps each page's content until the build ends, so the fragments of all pages were in memory
at once (with generator/incremental.py PageMemory, a page's content goes once it is made).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.structure.pages import _RelativePathTreeprocessor

log = logging.getLogger("mkdocs.hooks.fragments")

FRAGMENT_DIR = ".fragments"
"""As generator/render/output.py FRAGMENT_DIR (tests/test_fragments.py checks they agree)."""
PLACEHOLDER = re.compile(r"<!--nb-fragment (\d+) ([0-9a-f]{16})-->")
LINK = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
ANCHOR = re.compile(r'<[a-zA-Z][^>]*?\s(?:id|name)="([^"]*)"')


_files = None
"""This build's files (on_files): link resolution needs them, and post_page is not given them."""


def on_files(files, config):
    global _files
    _files = files
    return files


def on_post_page(output: str, page, config) -> str:
    return fill_page(output, page, config, _files)


def on_post_build(config) -> None:
    global _files
    _files = None  # not the pages of a finished build in memory


def fill_page(html_text: str, page, config, files) -> str:
    """The page's HTML with its fragments in place of their placeholders (see the module
    docstring)."""
    src = page.file.src_uri
    sidecar = Path(config["docs_dir"]) / FRAGMENT_DIR / f"{src}.json"
    if not sidecar.is_file():
        if PLACEHOLDER.search(html_text):
            log.warning(f"Doc file '{src}' has HTML fragment placeholders but no {sidecar.name}")
        return html_text
    fragments = json.loads(sidecar.read_text("utf-8"))
    links = _RelativePathTreeprocessor(page.file, files, config)
    used: set[int] = set()

    def put(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(fragments) or match.group(2) != digest(fragments[index]):
            log.warning(
                f"Doc file '{src}': its HTML fragment {index} is missing from or different in"
                f" {FRAGMENT_DIR}/{src}.json (content/ is not from one render; build again)"
            )
            return ""
        used.add(index)
        return resolve_links(without_cell_ids(fragments[index]), links)

    html_text = PLACEHOLDER.sub(put, html_text)
    if len(used) != len(fragments):
        unused = sorted(set(range(len(fragments))) - used)
        log.warning(f"Doc file '{src}': HTML fragments {unused} have no placeholder in the page")
    # interned: every report page has the same few hundred cell ids, and MkDocs keeps each
    # page's ids until the build ends (for its anchor checks)
    ids = {sys.intern(html.unescape(m)) for i in used for m in ANCHOR.findall(fragments[i])}
    page.present_anchor_ids = (page.present_anchor_ids or set()) | ids
    if links.links_to_anchors:
        if page.links_to_anchors is None:
            page.links_to_anchors = {}
        for target, anchors in links.links_to_anchors.items():
            known = page.links_to_anchors.setdefault(target, {})
            for anchor, url in anchors.items():
                known.setdefault(anchor, url)
    return html_text


CELL_TABLE = 'data-nb-cells="'
CELL_ID = re.compile(r'<td id="[^"]*"')


def without_cell_ids(fragment: str) -> str:
    """A statistical table (data-nb-cells) without its value cells' ids: about 8 KB a report
    page, given back in the reader's browser by content/js/cell-anchors.js. The links to them
    are still checked: the ids are taken from the fragment as the render stage wrote it."""
    return CELL_ID.sub("<td", fragment) if CELL_TABLE in fragment else fragment


def digest(fragment: str) -> str:
    """As generator/render/output.py fragment_digest."""
    return hashlib.sha256(fragment.encode("utf-8")).hexdigest()[:16]


def resolve_links(fragment: str, links: _RelativePathTreeprocessor) -> str:
    """The fragment with each <a href> as MkDocs makes a Markdown link (validated, rewritten)."""

    def one(match: re.Match[str]) -> str:
        url = links.path_to_url(html.unescape(match.group(2)))
        return match.group(1) + html.escape(url, quote=True) + match.group(3)

    return LINK.sub(one, fragment)
