"""MkDocs hook: published text files that read correctly on any web server.

Runs after the build, on site/ only (content/ keeps the render stage's bytes):

- A text download (.txt, .yml, .yaml, .csv) that is UTF-8 gets a UTF-8 byte-order mark.
  Many servers (`python -m http.server`, intranet servers) send text/plain without a
  charset, and browsers then read it as windows-1252 or GBK: the Chinese became mojibake. A
  browser honours the mark over any guess. The SHA-256 a record gives for its source is
  that of the file as received, without the mark. A source that is not UTF-8 (a GBK .txt)
  is published as it is, and the render stage publishes it beside that as UTF-8 text
  (<year>.utf8.txt, linked from the report page), which gets the mark here.
- Material's files that no page loads are not published (on_files, UNUSED_THEME_FILES): its
  search's worker and language files (the portal's search is Pagefind) and the source maps
  of its scripts, 2.2 MB of every site.
- With site_url set (mkdocs.yml, NIANBAO_SITE_URL), each Atom feed gets xml:base, so the
  links of its entries, relative to the feed, resolve to the site's address wherever a
  reader copies them; and sitemap.xml lists the pages (MkDocs writes it from site_url)
  without MkDocs' <lastmod>, which is the day of the build for every page: same inputs,
  same bytes.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

BOM = b"\xef\xbb\xbf"
TEXT_SUFFIXES = (".txt", ".yml", ".yaml", ".csv")
SKIPPED = ("pagefind", "assets")
"""Folders of the site that hold no download (the search index, the theme's files)."""
UNUSED_THEME_FILES = re.compile(r"assets/javascripts/(?:lunr/.*|workers/.*|.*\.map)")
"""Theme files no page loads (Material's search and the scripts' source maps)."""
FEED = re.compile(rb"<feed\b[^>]*>")
LASTMOD = re.compile(rb"\s*<lastmod>[^<]*</lastmod>")


def on_files(files, config):
    """The theme's files without UNUSED_THEME_FILES (the pages' own files are all kept); all
    of them when Material's search plugin is on after all (it loads its worker)."""
    if "search" in config["plugins"]:
        return files
    for file in list(files):
        if not file.is_documentation_page() and UNUSED_THEME_FILES.fullmatch(file.src_uri):
            if not Path(config["docs_dir"], file.src_uri).exists():  # a theme file
                files.remove(file)
    return files


def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"])
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site)
        if relative.parts[0] in SKIPPED or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        mark_utf8(path)
    drop_build_dates(site / "sitemap.xml")
    if config.get("site_url"):
        for feed in sorted((site / "feeds").rglob("*.xml")):
            base = urljoin(config["site_url"], feed.parent.relative_to(site).as_posix() + "/")
            add_xml_base(feed, base)


def mark_utf8(path: Path) -> None:
    """Give a UTF-8 text file a byte-order mark (once; other encodings stay as they are)."""
    data = path.read_bytes()
    if data.startswith(BOM):
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    path.write_bytes(BOM + data)


def add_xml_base(feed: Path, base: str) -> None:
    """Set xml:base on the feed element (its links are relative to the feed's folder)."""
    data = feed.read_bytes()
    match = FEED.search(data)
    if match is None or b"xml:base=" in match.group():
        return
    attribute = b' xml:base="' + base.replace("&", "&amp;").replace('"', "&quot;").encode() + b'"'
    tag = match.group()[:-1] + attribute + b">"
    feed.write_bytes(data[: match.start()] + tag + data[match.end() :])


def drop_build_dates(sitemap: Path) -> None:
    """sitemap.xml (and MkDocs' sitemap.xml.gz beside it) without <lastmod> elements."""
    if not sitemap.is_file():
        return
    data = LASTMOD.sub(b"", sitemap.read_bytes())
    sitemap.write_bytes(data)
    sitemap.with_name(sitemap.name + ".gz").write_bytes(gzip.compress(data, mtime=0))
