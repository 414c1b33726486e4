"""Markdown converted on a second core while MkDocs reads the pages.

MkDocs reads and converts every page (`_populate_page`) on one core before it renders the
first; at 1,000 reports that phase took 2.7-3.1 s of its 10 s, with the other core idle (the
words worker, generator/words_ahead.py, starts only with the rendered pages). `ConvertAhead`
is a MkDocs plugin of one build: in its `nav` event (after the incremental build has
linked the pages it reuses, so the pages MkDocs will read are known) it forks one child,
which converts every other one of those pages (page.read_source + page.render, MkDocs' own
code) and sends back, page by page and in MkDocs' order, what rendering sets on a page: its
HTML, table of contents, title, anchors and links to anchors, and what MkDocs logged
meanwhile. When MkDocs then reads such a page, the page's render takes those instead of
converting again, and logs what the child logged at the same point: a warning there (a
broken link) still fails the strict build.

The child's page is MkDocs' page from the same source, converted by the same function: the
parent checks the Markdown's SHA-256 and converts itself where it differs or the child
stopped. No fork is made with another plugin on the page events before rendering (their
effect on the page would have to be repeated in the child), with few pages (an incremental
build: generator/pool.py pays_to_fork), on one core or without fork.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import logging
import os
import pickle
from collections.abc import Iterator
from typing import IO, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.pool import pays_to_fork

PAGE_EVENTS = ("pre_page", "page_markdown")
"""The events before rendering: a plugin on them (other than this one) stops the fork."""


class ConvertAhead(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Forks the converting child in `nav`; pages it converts take its results in render."""

    NAME = "nianbao-convert-ahead"

    def __init__(self, *, dirty: bool) -> None:
        self.dirty = dirty
        self.child: int | None = None
        self.results: IO[bytes] | None = None
        self.share: set[str] = set()  # src_uri of the pages the child converts

    @event_priority(-100)  # after the incremental build has linked the pages it reuses
    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        if any(
            getattr(handler, "__self__", None) is not self
            for event in PAGE_EVENTS
            for handler in config.plugins.events[event]
        ):
            return nav
        # the pages MkDocs will read, in its order (mkdocs/commands/build.py build)
        to_read = [
            file.src_uri
            for file in files.documentation_pages()
            if not self.dirty or file.is_modified()
        ]
        if not pays_to_fork(len(to_read)):  # few pages (an incremental build), one core
            return nav
        share = child_share(to_read)
        read_fd, write_fd = os.pipe()
        gc.collect()
        gc.freeze()  # the inherited objects stay shared: the child's collector leaves them
        try:
            pid = os.fork()
        finally:
            gc.unfreeze()
        if pid == 0:  # the child: convert, send, and never return into MkDocs
            os.close(read_fd)
            status = 1
            try:
                with os.fdopen(write_fd, "wb") as out:
                    _convert(share, config, files, out)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        self.child, self.results = pid, os.fdopen(read_fd, "rb")
        self.share = set(share)
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        if page.file.src_uri in self.share:
            # an instance attribute: this page's render, for this build only
            take = functools.partial(self._take, page)
            page.render = take  # type: ignore[method-assign]
        return page

    def _take(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """The child's conversion of page when it is the next one the child sent and of the
        same Markdown; else MkDocs' own."""
        del page.render  # the class's render again
        frame = self._next()
        src_uri = page.file.src_uri
        markdown = page.markdown or ""
        if (
            frame is None
            or "error" in frame
            or frame["src_uri"] != src_uri
            or frame["markdown"] != _digest(markdown)
        ):
            self.stop()  # out of step: every page left is converted here
            page.render(config, files)
            return
        for name, level, message in frame["logged"]:
            logging.getLogger(name).log(level, message)
        page.content = frame["content"]
        page.toc = frame["toc"]
        page._title_from_render = frame["title"]
        page.present_anchor_ids = frame["anchors"]
        links = frame["links"]
        if links is not None:
            links = {files.src_uris[uri]: found for uri, found in links.items()}
        page.links_to_anchors = links

    def _next(self) -> dict[str, Any] | None:
        if self.results is None:
            return None
        try:
            frame: dict[str, Any] = pickle.load(self.results)
        except (EOFError, pickle.UnpicklingError, OSError):
            return None
        return frame

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.stop()  # every page has been read
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self.stop()

    def stop(self) -> None:
        """End the child (it has sent everything when every page has been read) and let go
        of its results."""
        self.share = set()
        results, self.results = self.results, None
        child, self.child = self.child, None
        if results is not None:
            results.close()  # a child still sending then ends on a broken pipe
        if child is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)


def child_share(pages: list[str]) -> list[str]:
    """The pages the child converts, in MkDocs' order: every other one (two thirds to the
    child took 2.3 s against 1.6 s at 1,000 reports: the parent also reads every page)."""
    return pages[1::2]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Logged(logging.Handler):
    """What MkDocs logs in the child, kept to be logged again by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _convert(share: list[str], config: MkDocsConfig, files: Files, out: IO[bytes]) -> None:
    """In the child: convert each page of share as MkDocs' _populate_page would and send
    what rendering set on it; after a page that raised, stop (the parent converts it, and
    raises as MkDocs would)."""
    with _logs_kept() as logged:
        for src_uri in share:
            file = files.src_uris[src_uri]
            page = file.page if file.page is not None else Page(None, file, config)
            config._current_page = page
            frame: dict[str, Any] = {"src_uri": src_uri}
            try:
                page.read_source(config)
                frame["markdown"] = _digest(page.markdown or "")
                page.render(config, files)
            except Exception as error:  # the parent converts it again and reports it
                frame["error"] = repr(error)
                pickle.dump(frame, out)
                return
            links = page.links_to_anchors
            frame |= {
                "content": page.content,
                "toc": page.toc,
                "title": page._title_from_render,
                "anchors": page.present_anchor_ids,
                "links": None if links is None else {f.src_uri: a for f, a in links.items()},
                "logged": list(logged.records),
            }
            logged.records.clear()
            pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
            page.content = page.markdown = None  # sent: not kept in the child
            page.toc = []  # type: ignore[assignment]


@contextlib.contextmanager
def _logs_kept() -> Iterator[_Logged]:
    """MkDocs' log in the child goes only to the kept records (not the terminal twice)."""
    logger = logging.getLogger("mkdocs")
    kept = _Logged()
    logger.handlers, logger.propagate = [kept], False
    yield kept
