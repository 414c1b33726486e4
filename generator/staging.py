"""A build goes into a temporary folder that replaces site/ only when it is complete.

A failed or interrupted build leaves the previous site/ as it was: MkDocs writes into a
staging folder beside site/, which is swapped in by two renames; SIGTERM during the build
(a cancelled CI job) stops it cleanly, and the next build undoes what a kill left behind.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from generator.errors import NianbaoError

STAGING_PREFIX = ".site-build-"


class BuildInterrupted(NianbaoError):
    """SIGTERM during the build (a cancelled CI job): stopped cleanly, previous site kept."""


@contextlib.contextmanager
def staged_site(site_dir: Path) -> Iterator[Path]:
    """A staging folder beside site_dir to build into; swapped in when the block ends without
    an exception, removed in any case. SIGTERM inside the block raises BuildInterrupted."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site_dir.parent))
    # mkdtemp makes a private (0700) folder; it becomes site/, which a web server must read.
    staging.chmod(0o755)
    try:
        with _terminate_as_interrupt():
            yield staging
            _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises BuildInterrupted, so the staging folder is removed and site/ is left as
    it was (the default action would kill the process mid-write). Main thread only."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise BuildInterrupted(
            "构建被中止（收到 SIGTERM）：已保留上一次构建的网站，下次构建会重新生成"
        )

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def recover_site(site_dir: Path) -> None:
    """Undo what an interrupted build left: staging folders, and a site/ moved aside (a kill
    between the two renames of _swap) is put back."""
    parent = site_dir.parent
    if not parent.is_dir():
        return
    for stale in parent.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    old = site_dir.with_name(site_dir.name + ".old")
    if old.is_dir() and not site_dir.exists():
        old.rename(site_dir)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
