"""Render cache: a report's page, YAML, JSON and CSV rows (and an agency's page) are reused
while exactly their inputs are unchanged, so one new report in a large corpus renders one page.

Entries are `<cache_dir>/render/<key>.entry`. A record's key is the sha256 of everything its
artefacts are made from: the record as rendered (incl. its `checks`), its sorted findings as the
page shows them (cross-report findings such as near-copies or year-to-year checks included),
the source file's published suffix, the rule titles the page links, and `code_fingerprint()`
(the render package's code and templates, the generator modules it imports, and the versions
of the libraries whose output ends up in the files). A report page never shows the agency's
other years; an agency page's key is made of its records' keys.

A changed input gives a new key, so a stale entry is never read. An entry whose checksum, key
or shape does not match is a miss (made again, then overwritten). Writes are atomic (temporary
file, rename); a cache that cannot be written is not an error. After a build, the entries it
did not use are deleted, so the folder holds one build's worth.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from generator.cache import files_fingerprint
from generator.model import Finding, Record

RENDER_CACHE_VERSION = "1"
"""The entry format. (This file is itself fingerprinted, so any edit here invalidates too.)"""
ARTEFACTS = ("page", "yaml", "json", "csv", "cells")
"""Per record: report page, record YAML, records.json item, records.csv row, cells.csv rows."""
ENTRY_SUFFIX = ".entry"
TEMP_PREFIX = ".tmp-"
# Generator modules outside render/ that render/ imports (tests/test_render_cache.py checks
# that this list covers every such import).
CODE_OUTSIDE_RENDER = (
    "analysis/__init__.py",
    "analysis/cite.py",
    "analysis/common.py",
    "analysis/hierarchy.py",
    "analysis/promises.py",
    "analysis/records.py",
    "analysis/timeliness.py",
    "cache.py",
    "check/agency.py",
    "record.py",
    "errors.py",
    "ingest/encoding.py",
    "check/rule.py",
    "model/__init__.py",
    "model/agency.py",
    "model/corpus.py",
    "model/failure.py",
    "model/finding.py",
    "model/history.py",
    "model/identity.py",
    "model/parse_info.py",
    "model/places.py",
    "model/record.py",
    "model/tables.py",
    "model/warning.py",
    "pool.py",
)
# Libraries whose output is cached (Jinja/MarkupSafe pages, YAML, jieba search terms).
LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "jieba", "pypinyin")


def _library_versions() -> list[str]:
    import yaml

    versions = [f"libyaml={getattr(yaml, '__with_libyaml__', False)}", f"python={sys.version}"]
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return versions


def code_files() -> dict[str, Path]:
    """The render package (code and templates) and every generator module it imports, by
    their path in the package."""
    import generator

    root = Path(generator.__file__).resolve().parent
    files = [
        p for p in (root / "render").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    files += [root / name for name in CODE_OUTSIDE_RENDER]
    return {path.relative_to(root).as_posix(): path for path in sorted(files)}


@cache
def code_fingerprint() -> str:
    """sha256 of the code that makes the artefacts and of the library versions: a code or
    template change invalidates every entry, without a constant someone must remember to bump.
    (Only these files: other work on the package, e.g. site.py, keeps the cache warm.)"""
    seed = "\0".join([f"render-cache {RENDER_CACHE_VERSION}", *_library_versions()])
    return files_fingerprint(seed, sorted(code_files().items()))


def artefact_key(
    record: Record,
    findings: Sequence[Finding],
    suffix: str | None,
    rule_titles: dict[str, str],
    base_url: str | None = None,
    sources_url: str | None = None,
) -> str:
    """The key of one record's artefacts (base_url: the portal's address in its citation;
    sources_url: where its source is linked). The dataclasses' repr has every field in order
    (the YAML follows it) and tells apart what JSON would merge (1/1.0/True/"1")."""
    parts = (
        code_fingerprint(),
        repr(record),
        repr(list(findings)),
        repr(suffix),
        repr(list(rule_titles.items())),
        repr(base_url),
        repr(sources_url),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()  # repr escapes surrogates


def agency_key(slug: str, record_keys: Sequence[str]) -> str:
    """The key of an agency page: its records' artefact keys (records and findings) in page order."""
    parts = (code_fingerprint(), "agency", slug, *record_keys)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class RenderCache:
    """Per-record render artefacts on disk; see the module docstring.

    An entry file is the sha256 of its payload on the first line, then the payload: JSON
    {"key": key, name: text, ...}. The digest makes any damaged or edited entry a miss."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = Path(cache_dir) / "render"
        self.used: set[str] = set()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}{ENTRY_SUFFIX}"

    def has(self, key: str) -> bool:
        """Whether an entry is stored under key (get may still find it damaged)."""
        return self._file(key).is_file()

    def get(self, key: str, names: Sequence[str] = ARTEFACTS) -> dict[str, str] | None:
        """The entry's texts by name, or None (missing, damaged, or not a complete entry)."""
        self.used.add(key)
        try:
            digest, _, payload = self._file(key).read_bytes().partition(b"\n")
            if digest.decode("ascii") != hashlib.sha256(payload).hexdigest():
                return None
            entry = json.loads(payload.decode("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        texts = {name: entry.get(name) for name in names}
        if not all(isinstance(value, str) for value in texts.values()):
            return None
        return texts  # type: ignore[return-value]

    def put(self, key: str, texts: dict[str, str]) -> None:
        """Store an entry; a cache that cannot be written is not an error (the build goes on)."""
        self.used.add(key)
        try:
            payload = json.dumps({"key": key, **texts}, ensure_ascii=False).encode("utf-8")
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=ENTRY_SUFFIX, dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(
                        hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
                    )
                os.replace(temp, self._file(key))
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, ValueError):  # ValueError: text that is not UTF-8 (lone surrogates)
            pass

    def prune(self) -> None:
        """Delete the entries this build did not use (old versions of changed reports, old
        code) and temporary files left by an interrupted build; nothing else in the folder."""
        try:
            names = [p.name for p in self.folder.iterdir()]
        except OSError:
            return
        for name in names:
            stale = name.startswith(TEMP_PREFIX) or (
                name.endswith(ENTRY_SUFFIX) and name[: -len(ENTRY_SUFFIX)] not in self.used
            )
            if stale:  # a read-only cache, or a folder of that name: left alone
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink(missing_ok=True)
