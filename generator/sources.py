"""The history of each report file, from the git history of reports/ (silent edits, issue 17).

`attach_history` runs `generator.analysis.edits.histories` over the published records' files
and gives back:

    each record whose file changed content under its name, with `edits` (model.SourceEdit):
        every earlier content, most recent first, with its sha256, when it was first
        committed, when it was replaced, and what changed (the cells and a diff of the text,
        generator/versions.py), each content parsed afresh without corrections;
    first_seen: record id -> when its file first entered the repository (the date the
        timeliness ledger falls back on when a report has no 落款 date);
    the state of the history: complete, shallow (a CI checkout without fetch-depth: 0), none.

Outside a git repository (or without git) nothing is claimed: no record changes, first_seen
is empty. Dates are committer dates from git, never the clock, so two builds of one commit
give the same bytes.

`git log --follow` costs about 8 ms a file (8 s at 1,000 reports). A file's committed
versions depend on the commit checked out only, so with a cache folder they are kept in
`<cache>/history/<key>.json` per HEAD commit (and reports folder): a second build of one
commit reads git once; an uncommitted change is still seen (the file on disk is hashed each
time). Entries of other commits are deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.analysis.edits import (
    FileHistory,
    FileVersion,
    head_commit,
    histories,
    version_bytes,
)
from generator.cache import RecordCache, write_text_atomic
from generator.model import Failure, Record, SourceEdit
from generator.model.corpus import HistoryState
from generator.versions import table_changes, text_diff

HISTORY_DIR = "history"
"""The history cache's folder inside the cache folder (.cache/nianbao/history; a shard's
history/ beside its records/)."""
HISTORY_CACHE_VERSION = 1
"""Of the cached committed versions' format (part of the cache key)."""

Parse = Callable[[tuple[Path, str]], "Record | Failure"]


@dataclass(frozen=True, slots=True)
class History:
    records: tuple[Record, ...]
    first_seen: dict[str, str]
    state: HistoryState


def attach_history(
    records: Sequence[Record],
    parsed: Mapping[str, Record],
    reports_dir: Path,
    parse: Parse,
    cache: RecordCache | None = None,
    history_dir: Path | None = None,
) -> History:
    """The records with their `edits` (see the module doc). `parsed` holds each file's
    record as parsed (before corrections: a diff compares contents, not corrections); `parse`
    reads one (path, relative) like the pipeline; `cache` is the parse cache, `history_dir`
    the folder of the committed versions per HEAD (None: git is asked every time)."""
    files = [r.source.file for r in records]
    if history_dir is None:
        found = histories(reports_dir, files)
    else:
        head = head_commit(reports_dir)
        key = _history_key(head, reports_dir) if head else None
        known = _read_known(history_dir, key) if key else None
        before = dict(known) if known is not None else None
        found = histories(reports_dir, files, known=known)
        if key and known is not None and known != before:
            _write_known(history_dir, key, known)
    if not found:
        return History(tuple(records), {}, "none")
    state: HistoryState = "complete" if all(h.complete for h in found.values()) else "shallow"
    first_seen: dict[str, str] = {}
    out: list[Record] = []
    for record in records:
        history = found.get(record.source.file)
        if history is None:
            out.append(record)
            continue
        if history.first_seen is not None:
            first_seen[record.key] = history.first_seen
        if history.edited:
            current = parsed.get(record.source.file, record)
            edits = _edits(history, current, reports_dir, parse, cache)
            record = dataclasses.replace(record, edits=edits)
        out.append(record)
    return History(tuple(out), first_seen, state)


def _edits(
    history: FileHistory,
    current: Record,
    reports_dir: Path,
    parse: Parse,
    cache: RecordCache | None,
) -> tuple[SourceEdit, ...]:
    versions = history.versions
    contents: list[Record | None] = [
        _parsed(reports_dir, v, current.source.file, parse, cache) for v in versions[:-1]
    ]
    contents.append(current)
    edits: list[SourceEdit] = []
    for index, before in enumerate(versions[:-1]):
        after = versions[index + 1]
        old, new = contents[index], contents[index + 1]
        readable = old is not None and new is not None
        edits.append(
            SourceEdit(
                file=before.path,
                sha256=before.sha256,
                first_seen=str(before.first_seen),
                replaced=after.first_seen,
                readable=readable,
                table_changes=tuple(table_changes(old, new)) if old and new else (),
                text_diff=(
                    text_diff(old, new, _label(before), _label(after), chinese=True)
                    if old and new
                    else ""
                ),
            )
        )
    return tuple(reversed(edits))


def _label(version: FileVersion) -> str:
    """A diff side's name: the file and the day its content was first committed."""
    day = version.first_seen[:10] if version.first_seen else "未提交"
    return f"{version.path}（{day}）"


def _parsed(
    reports_dir: Path,
    version: FileVersion,
    relative: str,
    parse: Parse,
    cache: RecordCache | None,
) -> Record | None:
    """One earlier content parsed as the file itself would be (same name, same place)."""
    if cache is not None:
        hit = cache.get(version.sha256, relative)
        if hit is not None:
            return hit
    data = version_bytes(reports_dir, version)
    if data is None:
        return None
    with tempfile.TemporaryDirectory(prefix="nianbao-version-") as folder:
        path = Path(folder) / PurePosixPath(relative).name
        path.write_bytes(data)
        outcome = parse((path, relative))
    if not isinstance(outcome, Record):
        return None
    if cache is not None and outcome.source.sha256 == version.sha256:
        cache.put(version.sha256, relative, outcome)
    return outcome


def read_history_folder(folder: Path) -> dict[str, tuple[FileVersion, ...]]:
    """Every file's committed versions kept in a history folder (a shard's: generator/shard.py
    reads what the shard's git log found, at the shard's HEAD)."""
    known: dict[str, tuple[FileVersion, ...]] = {}
    for entry in sorted(Path(folder).glob("*.json")):
        known.update(_read_known(folder, entry.stem))
    return known


def seed_history(
    history_dir: Path, reports_dir: Path, known: Mapping[str, tuple[FileVersion, ...]]
) -> None:
    """Add committed versions read at the same HEAD elsewhere (by the shards of a sharded
    build) to the history cache of reports_dir's HEAD, so git log is not run again for them."""
    head = head_commit(reports_dir)
    if not head or not known:
        return
    key = _history_key(head, reports_dir)
    _write_known(history_dir, key, {**known, **_read_known(history_dir, key)})


def _history_key(head: str, reports_dir: Path) -> str:
    where = Path(reports_dir).resolve().as_posix()
    return hashlib.sha256(f"{HISTORY_CACHE_VERSION}\0{head}\0{where}".encode()).hexdigest()


def _read_known(folder: Path, key: str) -> dict[str, tuple[FileVersion, ...]]:
    """The committed versions kept for this HEAD ({} when none or unreadable)."""
    try:
        data = json.loads((folder / f"{key}.json").read_text("utf-8"))
        return {
            file: tuple(FileVersion(v[0], v[1], v[2], v[3]) for v in versions)
            for file, versions in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def _write_known(folder: Path, key: str, known: Mapping[str, tuple[FileVersion, ...]]) -> None:
    """Keep the versions for this HEAD and delete the other HEADs' (a cache that cannot be
    written is not an error)."""
    payload = {
        "files": {
            file: [[v.sha256, v.first_seen, v.commit, v.path] for v in versions]
            for file, versions in sorted(known.items())
        }
    }
    if not write_text_atomic(folder / f"{key}.json", json.dumps(payload, ensure_ascii=False)):
        return
    with contextlib.suppress(OSError):
        for other in folder.iterdir():
            if other.name != f"{key}.json":
                with contextlib.suppress(OSError):
                    other.unlink()
