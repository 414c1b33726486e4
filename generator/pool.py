"""Work made in a pool of processes, when there is much of it: the render stage's pages,
the check stage's report findings.

A report's page and files, an agency's page and a record's report findings are pure
functions of what the stage already holds (the render and check caches rely on it), and
making them is most of a first build's time in those stages. With more than
PARALLEL_THRESHOLD jobs, they are made in forked worker processes, which inherit the
catalog (or the records) and the Jinja environment instead of receiving them pickled; each
returns texts (for pages memo.ARTEFACTS; for findings their JSON). A job that raises in a
worker comes back as None and is made again in the parent, which reports the fault as it
would have anyway. The texts are the same bytes as made one by one
(tests/test_render_pool.py, tests/test_check_pool.py).

Without the fork start method (not Linux) the jobs are left to the parent.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Generator, Sequence
from typing import Any

PARALLEL_THRESHOLD = 64
"""More jobs than this are made in a pool of processes (one per core); more pages than this
to read are converted partly in a forked child (generator/convert_ahead.py)."""

Texts = dict[str, str]
_WORK: tuple[Callable[[Any], Texts], Sequence[Any]] | None = None
"""The job function and the jobs, in a worker (set by _start from what the fork inherited)."""


def made_in_processes(
    make: Callable[[Any], Texts],
    jobs: Sequence[Any],
    *,
    workers: int | None = None,
    threshold: int | None = None,
) -> Generator[Texts | None, None, None]:
    """make(job) for every job, in order, as they are made (the caller takes each as it
    comes: the texts of a whole corpus are never held at once): made in worker processes
    when pays_to_fork, else all None (the caller makes them). A job that raised is None.
    The pool ends when the iterator is exhausted or closed."""
    workers = workers or os.cpu_count() or 1
    if not pays_to_fork(len(jobs), workers=workers, threshold=threshold):
        yield from (None for _ in jobs)
        return
    context = multiprocessing.get_context("fork")
    gc.collect()
    gc.freeze()  # the inherited objects stay shared: the collector does not touch them
    try:
        with context.Pool(workers, initializer=_start, initargs=(make, jobs)) as pool:
            chunk = max(1, len(jobs) // (workers * 8))
            yield from pool.imap(_work, range(len(jobs)), chunksize=chunk)
    finally:
        gc.unfreeze()


def pays_to_fork(jobs: int, *, workers: int | None = None, threshold: int | None = None) -> bool:
    """Whether work of `jobs` jobs is worth forking for: more than `threshold` (default
    PARALLEL_THRESHOLD) jobs, more than one core (`workers`, default the machine's), and
    the fork start method (Linux). Also asked by generator/convert_ahead.py."""
    workers = workers or os.cpu_count() or 1
    return (
        jobs > (PARALLEL_THRESHOLD if threshold is None else threshold)
        and workers >= 2
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _start(make: Callable[[Any], Texts], jobs: Sequence[Any]) -> None:
    global _WORK
    _WORK = (make, jobs)


def _work(index: int) -> Texts | None:
    assert _WORK is not None
    make, jobs = _WORK
    try:
        return make(jobs[index])
    except Exception:
        return None  # made again in the parent, which reports the fault
