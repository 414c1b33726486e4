"""The search index's page words, made on a second core while MkDocs builds the pages.

MkDocs builds on one core. The search index then stages every page's words (generator/search.py
page_meta: every character and pair of characters of its text), about a fifth of its time on a
first build. `WordsAhead` is a MkDocs plugin of one build: each page MkDocs has made
(`post_page`, after the portal's hooks: the bytes MkDocs then writes) goes to one forked
worker process, which stages its words into the search cache (search.keep_page_words); the
index then finds them there. The words are the ones the index would make (the same function
on the same bytes, keyed by their SHA-256): a page the worker did not get to, or got other
bytes of, is staged by the index itself.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from generator.search import keep_page_words


def _stage_pages(queue: Queue[tuple[str, bytes] | None], cache_dir: Path) -> None:
    """The worker: each page from the queue into the cache, until None."""
    while (page := queue.get()) is not None:
        try:
            keep_page_words(cache_dir, *page)
        except Exception:  # the index stages a page the worker could not
            continue


class WordsAhead(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Sends each page MkDocs makes to the worker; `finish` waits for it (or stops it)."""

    NAME = "nianbao-words-ahead"

    def __init__(self, cache_dir: Path) -> None:
        context = multiprocessing.get_context("fork")
        self.queue: Queue[tuple[str, bytes] | None] = context.Queue()
        self.worker = context.Process(
            target=_stage_pages, args=(self.queue, cache_dir), name="nianbao-words", daemon=True
        )
        self.worker.start()

    def install(self, config: MkDocsConfig) -> None:
        config.plugins[self.NAME] = self

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        # as MkDocs writes the page (mkdocs/commands/build.py _build_page)
        self.queue.put((page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace")))
        return output

    def finish(self, *, completed: bool) -> None:
        """After the build: wait for the worker to stage what it was sent (completed), or
        stop it (the build failed)."""
        if completed:
            self.queue.put(None)
            self.worker.join()
        else:
            self.worker.kill()
            self.worker.join()
        self.queue.close()
