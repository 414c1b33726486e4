"""Incremental MkDocs builds: an unchanged page is taken from the previous site, not rebuilt.

MkDocs' dirty build (`build(config, dirty=True)`) skips a page whose output is newer than its
source. nianbao builds into an empty staging folder (generator/staging.py), so before MkDocs
reads the pages (its `nav` event) this module puts there, for each page (and each static file:
downloads, assets) that can be reused, its output from the previous build, dated like its
source and hard-linked, not copied: MkDocs then skips it and builds the rest, and deleting
the previous site after the swap frees only what was built again (on this machine's disk,
deleting a whole 1,000-report site took 20 s). A page is reused only when all of this holds:

- the build state (`<cache>/site-state.json`, written after the last build that ended
  without a single warning) has the page, made under the same build signature: the same
  mkdocs.yml, site_url, theme overrides and hooks (every file under the theme's custom_dir),
  and versions of MkDocs, Material, Markdown and the extensions;
- the page's source and its sidecars (PAGE_SIDECARS) have the SHA-256 the state records;
- the previous site's file has the SHA-256 the state records for it (any other site/, one a
  failed swap or a person left, is never trusted);
- the page is not one the navigation lists without a title (compliance/index.md,
  analysis/index.md): MkDocs takes such a nav title from the page itself. With
  navigation.indexes Material shows the section's title there instead, and a test build
  that reused them too gave the same bytes, so building these two is caution;
- no page of the last build has gone since (a removed page: everything is built again, as
  a page that linked to it must then fail the strict build).

A page's output depends on nothing else: the portal's navigation is fixed in mkdocs.yml,
navigation.footer (previous/next links) is off, and pages not in the navigation have no
previous/next page. MkDocs validates the anchors of links after the build; for a reused page
the state gives its anchors and its links to anchors, so a changed page that loses an anchor
an unchanged page links to still fails the strict build. tests/test_incremental.py checks
that an incremental build equals a clean one byte for byte after reports are added, changed
and removed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from generator.cache import write_text_atomic

STATE_VERSION = "2"
"""Part of the build signature: bumped when what the state records, or how, changes."""
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
"""Versions in the build signature: a new one may change every page."""
PAGE_SIDECARS = (".fragments/{page}.json",)
"""Files beside a page's source (paths inside docs_dir, {page} its path there) that its
output depends on: the HTML fragments a hook puts into the page after Markdown (issue 15)."""
PLUGIN_NAME = "nianbao-incremental"


@dataclass(frozen=True, slots=True)
class PageState:
    """What one build made of one page."""

    source: str
    """SHA-256 of the source and its sidecars."""
    dest: str
    """The output's path in the site."""
    output: str
    """SHA-256 of the output file."""
    anchors: tuple[str, ...] | None
    """The ids the page has (MkDocs' present_anchor_ids), sorted; None when not known."""
    links: dict[str, dict[str, str]]
    """Links to anchors: target page's source path -> {anchor: link as written}."""
    source_stamp: str
    """file_stamp of the source and its sidecars when `source` was computed."""
    output_stamp: str
    """file_stamp of the output file when the state was saved."""


def build_signature(config: MkDocsConfig) -> str:
    """SHA-256 of what every page's output depends on besides its own source."""
    digest = hashlib.sha256(f"nianbao-site-state {STATE_VERSION}\0".encode())
    digest.update(Path(config.config_file_path).read_bytes())
    digest.update(f"\0site_url={config.site_url}\0".encode())
    for package in PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{package}={version}\0".encode())
    custom = config.theme.custom_dir
    if custom:
        root = Path(custom)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_stamp(path: Path) -> str:
    """Size, modification time (ns) and inode of a file: while they are unchanged, so is the
    file (the render stage does not rewrite an unchanged page, nothing writes a built one),
    and its SHA-256 is taken from the state instead of being computed again (as make and git
    trust a file's stat). "" when there is no such file."""
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"


def source_stamp(path: Path, src_uri: str, docs_dir: Path) -> str:
    """file_stamp of a source and of each sidecar it has (source_digest's files)."""
    stamps = [file_stamp(path)]
    for pattern in PAGE_SIDECARS:
        stamps.append(file_stamp(docs_dir / pattern.format(page=src_uri)))
    return " ".join(stamps)


def source_digest(path: Path, src_uri: str, docs_dir: Path) -> str:
    """SHA-256 of a file's source and of each sidecar it has in docs_dir (with its path)."""
    digest = hashlib.sha256(path.read_bytes())
    for pattern in PAGE_SIDECARS:
        sidecar = pattern.format(page=src_uri)
        try:
            data = (docs_dir / sidecar).read_bytes()
        except FileNotFoundError:
            continue
        digest.update(f"\0{sidecar}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def load_state(path: Path, signature: str) -> dict[str, PageState]:
    """The pages of the last build's state, if it was made under signature; else none."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("signature") != signature:
        return {}
    pages: dict[str, PageState] = {}
    try:
        for src_uri, entry in data["pages"].items():
            anchors = entry["anchors"]
            pages[str(src_uri)] = PageState(
                str(entry["source"]),
                str(entry["dest"]),
                str(entry["output"]),
                None if anchors is None else tuple(str(a) for a in anchors),
                {str(k): {str(a): str(u) for a, u in v.items()} for k, v in entry["links"].items()},
                str(entry["source_stamp"]),
                str(entry["output_stamp"]),
            )
    except (KeyError, TypeError, AttributeError):
        return {}
    return pages


def save_state(path: Path, signature: str, pages: dict[str, PageState]) -> None:
    """Write the state atomically; a cache that cannot be written is not an error."""
    data = {
        "signature": signature,
        "pages": {
            src_uri: {
                "source": page.source,
                "dest": page.dest,
                "output": page.output,
                "anchors": None if page.anchors is None else list(page.anchors),
                "links": page.links,
                "source_stamp": page.source_stamp,
                "output_stamp": page.output_stamp,
            }
            for src_uri, page in sorted(pages.items())
        },
    }
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def titled_nav_pages(nav: object) -> set[str]:
    """The pages that mkdocs.yml's nav lists with a title of their own (`标题: page.md`):
    the navigation does not need them read. None (a navigation from the folders) gives none."""
    titled: set[str] = set()
    items = nav if isinstance(nav, list) else []
    for item in items:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    titled.add(value)
                else:
                    titled |= titled_nav_pages(value)
    return titled


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Reuse(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The incremental build as a MkDocs plugin of this one build: puts reusable pages into
    the (empty) site folder in `nav`, gives them their anchors in `env`; `save` records the
    state after a build without warnings."""

    def __init__(self, config: MkDocsConfig, state_file: Path, previous: Path | None) -> None:
        self.state_file = state_file
        self.previous = previous
        self.docs_dir = Path(config.docs_dir)
        self.site_dir = Path(config.site_dir)
        self.signature = build_signature(config)
        self.old = load_state(state_file, self.signature)
        self.reused: dict[str, PageState] = {}
        self.sources: dict[str, str] = {}
        self.stamps: dict[str, str] = {}  # src_uri -> source_stamp when self.sources was made
        self.folders: set[Path] = set()  # made in the site folder
        self.files: Files | None = None

    def install(self, config: MkDocsConfig) -> None:
        config.plugins[PLUGIN_NAME] = self

    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        for file in files:
            # an excluded file (the fragments, the uncompressed downloads) is not published
            if (
                file.abs_src_path is not None
                and not file.generated_by
                and not file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
            ):
                path, src_uri = Path(file.abs_src_path), file.src_uri
                stamp = source_stamp(path, src_uri, self.docs_dir)
                entry = self.old.get(src_uri)
                if entry is not None and stamp == entry.source_stamp:
                    self.sources[src_uri] = entry.source
                else:
                    self.sources[src_uri] = source_digest(path, src_uri, self.docs_dir)
                self.stamps[src_uri] = stamp
        if self.previous is None or not self.old or not set(self.old) <= set(self.sources):
            return nav  # nothing to reuse, or a file has gone: build everything
        titled = titled_nav_pages(config.nav)
        # every page shows the navigation, with the titles MkDocs reads from these pages
        read = {page.file.src_uri for page in nav.pages} - titled
        for file in files:
            if file.src_uri in self.sources and file.src_uri not in read:
                self._reuse(file)
        return nav

    def _reuse(self, file: File) -> None:
        """Link the previous site's output of file into the site folder when it may be
        reused (a hard link: nothing writes a reused file, and the previous site is deleted
        once the new one is in place, which then frees nothing of it)."""
        entry = self.old.get(file.src_uri)
        if entry is None or entry.source != self.sources[file.src_uri]:
            return
        if entry.dest != file.dest_uri:
            return
        if file.is_documentation_page() and entry.anchors is None:
            return
        assert self.previous is not None
        old = self.previous / entry.dest
        try:
            if file_stamp(old) != entry.output_stamp and _sha256(old.read_bytes()) != entry.output:
                return
        except OSError:
            return
        target = Path(file.abs_dest_path)
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        link_or_copy(old, target)
        source = os.stat(file.abs_src_path or "")
        # not older than its source: MkDocs' dirty build then skips the file
        os.utime(target, ns=(source.st_atime_ns, source.st_mtime_ns))
        self.reused[file.src_uri] = entry

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Reused pages were not read: give them the anchors and links MkDocs validates."""
        self.files = files
        for src_uri, entry in self.reused.items():
            page = files.src_uris[src_uri].page
            if page is None:  # a static file
                continue
            page.present_anchor_ids = set(entry.anchors or ())
            links = {}
            for target, anchors in entry.links.items():
                to_file = files.src_uris.get(target)
                if to_file is not None:
                    links[to_file] = dict(anchors)
            page.links_to_anchors = links
        return env

    def save(self, warnings: int) -> None:
        """Record what this build made (only after a build without warnings: a warning may
        be a link that another page's change would resolve)."""
        if warnings or self.files is None:
            return
        pages: dict[str, PageState] = {}
        for file in self.files:
            if file.src_uri not in self.sources:
                continue
            stamp = file_stamp(Path(file.abs_dest_path))  # reused: dated anew, so stamped anew
            entry = self.reused.get(file.src_uri)
            if entry is not None:
                pages[file.src_uri] = dataclasses.replace(
                    entry, source_stamp=self.stamps[file.src_uri], output_stamp=stamp
                )
                continue
            try:
                output = _sha256(Path(file.abs_dest_path).read_bytes())
            except OSError:
                continue
            anchors = None
            links: dict[str, dict[str, str]] = {}
            page = file.page
            if page is not None and page.present_anchor_ids is not None:
                anchors = tuple(sorted(page.present_anchor_ids))
                for to_file, found in (page.links_to_anchors or {}).items():
                    links[to_file.src_uri] = dict(sorted(found.items()))
            pages[file.src_uri] = PageState(
                self.sources[file.src_uri],
                file.dest_uri,
                output,
                anchors,
                links,
                self.stamps[file.src_uri],
                stamp,
            )
        save_state(self.state_file, self.signature, pages)

    def forget(self) -> None:
        """Let go of the build's files and pages. MkDocs' configuration class keeps the last
        build's plugins (mkdocs 1.6.1: its `plugins` option holds the plugin collection), and
        with them every page this plugin saw: 77 MB at 1,000 reports, held through the
        search index."""
        self.files = None
        self.old, self.reused, self.sources, self.stamps = {}, {}, {}, {}
        self.folders = set()


class PageMemory(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Lets each page's HTML and Markdown go once MkDocs has made the page. MkDocs keeps them
    for every page until the build ends, and no later step reads them (the anchor checks
    read each page's anchors and links; the hooks read the output): at 10,000 reports
    MkDocs held all 14,000 pages' HTML at once."""

    NAME = "nianbao-page-memory"

    @event_priority(-100)  # after every other post_page: they may read the page
    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        page.content = None
        page.markdown = None
        return output


class TemplateCache(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The theme's templates compiled once, kept in a folder (Jinja's bytecode cache, which
    compiles a template again when its source differs from the one the cached code came
    from). MkDocs gives its template environment no cache; its `env` event comes before the
    first template is loaded."""

    NAME = "nianbao-template-cache"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        import jinja2

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return env  # a cache that cannot be written is not an error
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(self.folder))
        return env


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """A hard link to source at target; a copy where the folders cannot share files."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
