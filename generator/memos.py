"""Memos of pure functions kept between builds: what a function returned for an argument,
reused while the code (and the libraries) that computed it are unchanged.

Two functions cost an incremental build more than their results are worth recomputing: the
agency slug (generator/model/identity.py slugify; its first call loads jieba's dictionary,
0.48 s under the profiler) and TX-07's text similarity (generator/check/rules/similarity.py,
a Jaccard index over every pair of consecutive reports). Each keeps a `PureMemo`; the build
loads every memo from `<cache_dir>/memos/<name>.json` before it starts (`loaded_memos`) and
writes each back afterwards with only the entries it used, so stale ones drop out.

A memo changes no output: the function returns what it would have computed (the entries
were computed by the same code, under a version that fingerprints it). An entry file that is
unreadable, of another version or holding a value the memo's check refuses is ignored whole.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

V = TypeVar("V")

MEMOS_DIR = "memos"
"""In the cache folder: one JSON file per memo."""
MEMO_MODULES = ("generator.model.identity", "generator.check.rules.similarity")
"""The modules that keep a memo, imported before the memos are loaded (a memo made after the
load would start empty and its file would be written back with this build's entries only)."""


class PureMemo(Generic[V]):
    """Values by argument key for one pure function. `get` and `put` are what the function
    uses; `load` and `save` are the build's (through loaded_memos)."""

    def __init__(self, name: str, version: Callable[[], str], valid: Callable[[object], bool]):
        self.name = name
        self._version = version
        self._valid = valid
        self._values: dict[str, V] = {}
        self._used: set[str] = set()
        self._loaded: dict[str, V] = {}
        _REGISTRY[name] = self

    def get(self, key: str) -> V | None:
        value = self._values.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: str, value: V) -> V:
        self._values[key] = value
        self._used.add(key)
        return value

    def load(self, folder: Path) -> None:
        """The entries of the memo's file, when it is of this version and every value passes
        the check; else none (the function computes each value once more)."""
        self._used = set()
        self._loaded = {}  # another folder's (an earlier build's): this one's file is written
        try:
            entry = json.loads((folder / f"{self.name}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(entry, dict) or entry.get("version") != self._version():
            return
        values = entry.get("values")
        if not isinstance(values, dict) or not all(self._valid(v) for v in values.values()):
            return
        self._loaded = dict(values)
        for key, value in values.items():
            self._values.setdefault(key, value)

    def save(self, folder: Path) -> None:
        """The entries used since load, when they differ from the file's."""
        from generator.cache import write_text_atomic  # not at import: the model imports this

        used = {key: self._values[key] for key in sorted(self._used)}
        if used == self._loaded:
            return
        text = json.dumps(
            {"version": self._version(), "values": used}, ensure_ascii=False, sort_keys=True
        )
        if write_text_atomic(folder / f"{self.name}.json", text):
            self._loaded = used


_REGISTRY: dict[str, PureMemo[Any]] = {}


@contextlib.contextmanager
def loaded_memos(cache_dir: Path | None) -> Iterator[None]:
    """Every memo loaded from cache_dir for the block, and saved after it when it ends
    without an exception; None = no cache (the memos still serve this process)."""
    if cache_dir is None:
        yield
        return
    folder = Path(cache_dir) / MEMOS_DIR
    for module in MEMO_MODULES:
        importlib.import_module(module)
    for memo in _REGISTRY.values():
        memo.load(folder)
    yield
    for memo in _REGISTRY.values():
        memo.save(folder)
