"""Many reports at once: the parse cache around the parse step, and a process pool when many
need parsing. The same outcomes, in the same order, as parsing each report in turn.

The cache holds parser output only (generator/cache.py), keyed by the file's bytes, its path
under reports/ and the parser version; a file changed while it was being parsed is not
cached. The progress bar (tqdm in the CLI) advances once per report, cached or parsed, also
in the parallel path.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from generator.cache import RecordCache, file_sha256
from generator.ingest import MAX_BYTES, needs_ocr
from generator.model import Failure, Record

PARALLEL_THRESHOLD = 50
"""More uncached reports than this are parsed in a process pool (same records, same order)."""
OCR_WEIGHT = 30
"""A scan read by OCR (seconds a page) counts as this many text reports (milliseconds) toward
PARALLEL_THRESHOLD: two or more scans are read in parallel."""

Parsed = Record | Failure
T = TypeVar("T")


class Progress(Protocol):
    """Wraps an iterable with a length (e.g. tqdm) and yields its items as they come."""

    def __call__(self, items: Iterable[T], /) -> Iterable[T]: ...


@dataclass(frozen=True, slots=True)
class Task:
    path: Path
    relative: str
    """The path under reports/ (POSIX): what the record says and what the cache is keyed by."""
    sha256: str | None
    """Of the file's bytes when it can be cached (None when the reader will refuse it)."""


def parse_reports(
    paths: list[Path],
    reports_dir: Path,
    parse: Callable[[tuple[Path, str]], Parsed],
    progress: Progress | None = None,
    *,
    cache: RecordCache | None = None,
    parallel: int = PARALLEL_THRESHOLD,
    workers: int | None = None,
) -> list[Parsed]:
    """`parse((path, relative))` for every path, in order, from the cache when it has the
    record; in a process pool when more than `parallel` files need parsing."""
    tasks = [
        Task(p, p.relative_to(reports_dir).as_posix(), _cacheable_sha256(p) if cache else None)
        for p in paths
    ]
    cached = [cache.get(t.sha256, t.relative) if cache and t.sha256 else None for t in tasks]
    pending = [t for t, hit in zip(tasks, cached, strict=True) if hit is None]
    fresh = iter(
        _map(
            parse,
            [(t.path, t.relative) for t in pending],
            progress,
            done=len(tasks) - len(pending),
            total=len(tasks),
            # every weight is at least 1: the count alone often decides, and needs_ocr reads a
            # whole PDF
            parallel=len(pending) > parallel
            or sum(OCR_WEIGHT if needs_ocr(t.path) else 1 for t in pending) > parallel,
            workers=workers,
        )
    )
    outcomes: list[Parsed] = []
    for task, hit in zip(tasks, cached, strict=True):
        if hit is not None:
            outcomes.append(hit)
            continue
        outcome = next(fresh)
        # cache only what was parsed from the bytes hashed (not a file changed meanwhile)
        if cache and isinstance(outcome, Record) and outcome.source.sha256 == task.sha256:
            assert task.sha256 is not None
            cache.put(task.sha256, task.relative, outcome)
        outcomes.append(outcome)
    return outcomes


def _cacheable_sha256(path: Path) -> str | None:
    """The file's sha256, or None when the reader will refuse it anyway (empty, too large)."""
    try:
        size = path.stat().st_size
        return file_sha256(path) if 0 < size <= MAX_BYTES else None
    except OSError:
        return None


class _Counted(Iterable[T]):
    """An iterable with a length, so a progress bar (tqdm) knows the total."""

    def __init__(self, items: Iterable[T], length: int) -> None:
        self._items, self._length = items, length

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __len__(self) -> int:
        return self._length


def _map(
    parse: Callable[[tuple[Path, str]], Parsed],
    tasks: list[tuple[Path, str]],
    progress: Progress | None,
    *,
    done: int,
    total: int,
    parallel: bool,
    workers: int | None,
) -> list[Parsed]:
    """Outcomes in task order, serially or in a process pool; the progress bar counts the
    `done` (cached) reports first, then advances per report."""

    def advance(results: Iterable[Parsed]) -> Iterator[Parsed]:
        items: Iterable[Parsed | None] = itertools.chain(itertools.repeat(None, done), results)
        counted = _Counted(items, total)
        for item in progress(counted) if progress else counted:
            if item is not None:
                yield item

    if not tasks:
        list(advance(()))
        return []
    if parallel:
        count = workers or os.cpu_count() or 1
        chunksize = max(1, len(tasks) // (count * 4))
        try:
            with ProcessPoolExecutor(max_workers=count) as pool:
                return list(advance(pool.map(parse, tasks, chunksize=chunksize)))
        except (OSError, BrokenProcessPool):
            pass  # no process pool here (sandbox, killed worker): parse serially instead
    return list(advance(parse(task) for task in tasks))
