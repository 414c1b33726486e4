"""Parse cache: a parsed record is reused while the file, its place and the parser are unchanged.

Records are stored as `<cache_dir>/records/<key>.json`, where key = sha256 of (file sha256,
generator.parse.PARSER_VERSION and CACHE_VERSION, path relative to the reports folder). The relative path is part
of the key because the record holds it (source.file, the region from the folders). A changed
file or a bumped PARSER_VERSION gives a new key, so a stale entry is simply never read again.

Only the parser's output is cached: corrections sidecars are applied after the cache, checks
run after that, so editing a sidecar or a rule level never needs a re-parse. A record is stored
in its published form (Record.to_dict) and read back with Record.from_dict. Writes are atomic
(temporary file in the same folder, then rename); an unreadable or mismatching entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.model import Record

CACHE_VERSION = "2"
"""Part of every key beside PARSER_VERSION: bumped when what the parser returns changes
without a PARSER_VERSION bump, which would change every published record (parse.version).
2: warnings built one way (an HTML reader's encoding-guessed has line null), an appeals
group read by its five fields (issue 18)."""


def parser_version() -> str:
    """The version the entries are keyed by: the parser's and the OCR reader's (a change to
    either can alter a record), then the cache's own."""
    import generator.ingest
    import generator.parse

    return f"{generator.parse.PARSER_VERSION}+ocr{generator.ingest.OCR_VERSION}/{CACHE_VERSION}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_key(sha256: str, version: str, relative: str) -> str:
    return hashlib.sha256(f"{sha256}\0{version}\0{relative}".encode()).hexdigest()


class RecordCache:
    """Parsed records on disk, keyed by (file sha256, parser version, relative path)."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = Path(cache_dir) / "records"

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, sha256: str, relative: str) -> Record | None:
        version = parser_version()
        try:
            entry = json.loads(self._file(cache_key(sha256, version, relative)).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != {
            "sha256": sha256,
            "parser": version,
            "file": relative,
        }:
            return None
        try:
            return Record.from_dict(entry["record"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # not a record (an entry of another shape): parse again

    def put(self, sha256: str, relative: str, record: Record) -> None:
        """Store a record; a cache that cannot be written is not an error (the build goes on)."""
        version = parser_version()
        entry = {
            "key": {"sha256": sha256, "parser": version, "file": relative},
            "record": record.to_dict(),
        }
        text = json.dumps(entry, ensure_ascii=False, sort_keys=False)
        write_text_atomic(self._file(cache_key(sha256, version, relative)), text)


def files_fingerprint(seed: str, files: Iterable[tuple[str, Path]]) -> str:
    """SHA-256 of a seed and of named files (each name, then its bytes): the part of a cache
    key that changes with the code that makes what is cached (the render, check and search
    caches), so that no constant has to be bumped by hand."""
    digest = hashlib.sha256(f"{seed}\0".encode())
    for name, path in files:
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def write_text_atomic(path: Path, text: str) -> bool:
    """Write a cache file whole or not at all (a temporary file in its folder, then a rename);
    False when it cannot be written, which is not an error: the build goes on without it."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """write_text_atomic for bytes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
