"""Report findings kept between builds.

A report rule looks at one record only, so a record's report findings stay the same while
the record, the code and the level settings do; a build after adding one report runs the
report rules on that report alone (the corpus and region rules, which compare records, still
run on every build).

`<cache_dir>/checks.json`: {"fingerprint": F, "findings": {R: [finding, ...]}}, where R is
the SHA-256 of the record's repr (every field in order, as the render cache keys records:
repr tells apart what JSON would merge, 1/1.0/True/"1") and F the SHA-256 of every source
file of the generator package and of the level settings. Another fingerprint, or a damaged
file, is an empty cache. The file keeps the records of the last build only and is written
atomically (generator/cache.py write_text_atomic).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from generator.cache import files_fingerprint, write_text_atomic
from generator.model import Finding, Level, Record

CHECKS_FILE = "checks.json"


@cache
def code_fingerprint() -> str:
    """SHA-256 of the generator package's source files (the rules, the model they read and
    everything they import), by path."""
    import generator

    root = Path(generator.__file__).resolve().parent
    files = [
        (path.relative_to(root).as_posix(), path)
        for path in sorted(root.rglob("*"))
        if path.suffix in (".py", ".yml") and "__pycache__" not in path.parts
    ]
    return files_fingerprint("report findings 1", files)


def record_digest(record: Record) -> str:
    return hashlib.sha256(repr(record).encode()).hexdigest()  # repr escapes surrogates


class ReportFindingsCache:
    """The report findings of earlier builds, and those of this build to keep."""

    def __init__(self, cache_dir: Path, settings: Mapping[str, str]) -> None:
        self.path = Path(cache_dir) / CHECKS_FILE
        levels = json.dumps(sorted(settings.items()))
        self.fingerprint = hashlib.sha256(f"{code_fingerprint()}\0{levels}".encode()).hexdigest()
        self.known = self._load()
        self.kept: dict[str, list[dict[str, object]]] = {}

    def _load(self) -> dict[str, list[dict[str, object]]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("fingerprint") != self.fingerprint:
            return {}
        findings = data.get("findings")
        return findings if isinstance(findings, dict) else {}

    def get(self, key: str) -> list[Finding] | None:
        """The report findings of the record of this record_digest from an earlier build
        (kept for this one), or None."""
        stored = self.known.get(key)
        if not isinstance(stored, list):
            return None
        try:
            findings = [_finding(item) for item in stored]
        except (KeyError, TypeError, ValueError):
            return None
        self.kept[key] = stored
        return findings

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        """Keep the findings of the record of this record_digest."""
        self.kept[key] = [finding.to_dict() for finding in findings]

    def save(self) -> None:
        """Keep this build's findings (a cache that cannot be written is no error)."""
        data = {"fingerprint": self.fingerprint, "findings": dict(sorted(self.kept.items()))}
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False))


def findings_json(findings: Sequence[Finding]) -> str:
    """Findings as the JSON text the cache keeps (and a check worker sends back)."""
    return json.dumps([finding.to_dict() for finding in findings], ensure_ascii=False)


def findings_from_json(text: str) -> list[Finding]:
    """The findings of a findings_json text."""
    items = json.loads(text)
    if not isinstance(items, list):
        raise TypeError("not a list of findings")
    return [_finding(item) for item in items]


def _finding(item: object) -> Finding:
    if not isinstance(item, dict):
        raise TypeError("not a finding")
    line = item["line"]
    if line is not None and not isinstance(line, int):
        raise TypeError("line")
    status = item["status"]
    if status not in ("fail", "not-assessable"):
        raise ValueError("status")
    return Finding(
        str(item["rule"]),
        Level(item["level"]),
        str(item["message"]),
        None if item["where"] is None else str(item["where"]),
        line,
        status,
    )
