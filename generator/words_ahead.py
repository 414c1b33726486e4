"""The search index's page words, made on a second core while MkDocs builds the pages.

MkDocs builds on one core. The search index then stages every page's words
(generator/search.py page_meta: every character and pair of characters of its text), about
half of its own Python time on a first build (under the profiler, 1,000 reports).
`WordsAhead` is a MkDocs plugin of one build: each page MkDocs has made (`post_page`, after
the portal's hooks: the bytes MkDocs then writes) goes down a pipe to a worker process
(`python -m generator.words_ahead CACHE`), which stages its words into the search cache
(search.keep_page_words); the index then finds them there. The words are the ones the index
would make (the same function on the same bytes, keyed by their SHA-256): a page the worker
did not get to, or got other bytes of, is staged by the index itself.

The worker is a new process, not a fork: a fork of the build shares its memory until the
build writes to it, and at 10,000 reports the two then held 2,357 MiB between them. The
pipe holds a few pages: when the worker is behind, MkDocs waits for it rather than the
pages piling up.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from subprocess import DEVNULL, PIPE, Popen
from typing import IO, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin


class WordsAhead(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Sends each page MkDocs makes to the worker; `finish` waits for it (or stops it)."""

    NAME = "nianbao-words-ahead"

    def __init__(self, cache_dir: Path) -> None:
        package_root = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, path]))}
        self.worker: Popen[bytes] | None
        try:
            self.worker = Popen(
                [sys.executable, "-m", "generator.words_ahead", str(cache_dir)],
                stdin=PIPE,
                stdout=DEVNULL,
                stderr=DEVNULL,
                env=env,
            )
        except OSError:  # no worker: the index stages every page itself
            self.worker = None

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        if self.worker is not None and self.worker.stdin is not None:
            # as MkDocs writes the page (mkdocs/commands/build.py _build_page)
            content = output.encode("utf-8", errors="xmlcharrefreplace")
            try:
                _send(self.worker.stdin, page.file.dest_uri, content)
            except OSError:  # the worker has gone: the index stages the pages itself
                self.finish(completed=False)
        return output

    def finish(self, *, completed: bool) -> None:
        """After the build: wait for the worker to stage what it was sent (completed), or
        stop it (the build failed)."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        if not completed:
            worker.kill()
        if worker.stdin is not None:
            with contextlib.suppress(OSError):  # a worker that has gone
                worker.stdin.close()
        worker.wait()


def _send(pipe: IO[bytes], rel: str, content: bytes) -> None:
    name = rel.encode("utf-8")
    pipe.write(b"%d %d\n" % (len(name), len(content)) + name + content)


def _receive(pipe: IO[bytes]) -> tuple[str, bytes] | None:
    header = pipe.readline()
    if not header:
        return None
    name_length, length = (int(n) for n in header.split())
    name = pipe.read(name_length).decode("utf-8")
    return name, pipe.read(length)


def main(argv: list[str]) -> int:
    """The worker: each page from standard input into the search cache, until it closes."""
    from generator.search import keep_page_words

    cache_dir = Path(argv[0])
    while (page := _receive(sys.stdin.buffer)) is not None:
        try:
            keep_page_words(cache_dir, *page)
        except Exception:  # the index stages a page the worker could not
            continue
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
