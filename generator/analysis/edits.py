"""Silent edits: the versions of each report file, from the git history of reports/.

An agency that re-uploads a corrected report under the same name leaves no trace on its own
site; the portal's repository does. For each file, `file_history` runs `git log --follow` on
it (renames are followed) and returns its versions, oldest first: the sha256 of the file's
content and the date that content was first committed (the committer date: when it entered
the repository, which is what a CI build of the portal saw; the author date can be older).
Consecutive commits with the same content are one version; content that comes back after a
change is a new version again. When the file on disk differs from its last commit, the last
version is that uncommitted content, with no date.

Nothing is claimed without history: outside a git repository, without a `git` executable, or
for a file git does not track, there is no history (None, or no entry). In a shallow clone
(CI checkouts default to depth 1) the oldest version shown may be older than its date says:
`FileHistory.complete` is False, and the earliest date is only an upper bound.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Final

GIT_TIMEOUT: Final = 60.0
"""Seconds one git command may take before the history is given up (nothing claimed)."""


@dataclass(frozen=True, slots=True)
class FileVersion:
    """One content of a report file.

    `sha256` is the hex digest of the file's bytes; `first_seen` the ISO 8601 committer date
    (with its offset, as git prints it) of the first commit that had this content, None when
    the content is not committed yet; `commit` that commit's id (None likewise); `path` the
    file's path under reports/ in that commit (an older name when the file was renamed)."""

    sha256: str
    first_seen: str | None
    commit: str | None
    path: str

    @property
    def first_seen_date(self) -> date | None:
        """The calendar day of `first_seen` in the committer's time zone (None if unknown)."""
        return datetime.fromisoformat(self.first_seen).date() if self.first_seen else None


@dataclass(frozen=True, slots=True)
class FileHistory:
    """The versions of one file (its path under reports/ now), oldest first; the last is the
    content on disk. `complete` is False when the repository is a shallow clone."""

    file: str
    versions: tuple[FileVersion, ...]
    complete: bool = True

    @property
    def current(self) -> FileVersion:
        return self.versions[-1]

    @property
    def earlier(self) -> tuple[FileVersion, ...]:
        """Every earlier content, most recent first (what a record lists as its history)."""
        return tuple(reversed(self.versions[:-1]))

    @property
    def edited(self) -> bool:
        """True when the file's content changed after it was first committed."""
        return len(self.versions) > 1

    @property
    def first_seen(self) -> str | None:
        """When the file first entered the repository (its oldest version's date)."""
        return self.versions[0].first_seen


@dataclass(frozen=True, slots=True)
class SilentEdit:
    """One change of content: `before` replaced by `after` in `file`. `renamed` when the
    change came with a new name (then it is not silent in the same sense: the name changed)."""

    file: str
    before: FileVersion
    after: FileVersion

    @property
    def renamed(self) -> bool:
        return self.before.path != self.after.path

    @property
    def date(self) -> str | None:
        """When the new content was first seen (None while it is uncommitted)."""
        return self.after.first_seen


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---- git -----------------------------------------------------------------------------------


def _git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    """stdout of `git args` in `cwd`, or None when git is missing or the command fails."""
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=false", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True, slots=True)
class _Repository:
    top: Path
    prefix: str
    """reports_dir relative to the top, with a trailing "/" ("" when it is the top)."""
    shallow: bool


def _repository(reports_dir: Path) -> _Repository | None:
    if not reports_dir.is_dir():
        return None
    out = _git(
        ["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"], reports_dir
    )
    if out is None:
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 3:
        return None
    top, prefix, shallow = lines[0], lines[1], lines[2]
    return _Repository(Path(top), prefix, shallow.strip() == "true")


@dataclass(frozen=True, slots=True)
class _Change:
    commit: str
    committed: str
    blob: str | None
    """The file's blob after the commit (None when the commit deleted it)."""
    path: str
    """Its path from the top of the repository after the commit."""


_NO_BLOB = "0" * 40


def _log(repo: _Repository, top_path: str) -> list[_Change]:
    """The commits that touched the file (following renames), oldest first."""
    out = _git(
        [
            "log",
            "--follow",
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-color",
            "--format=%x1e%H%x1f%cI",
            "--",
            top_path,
        ],
        repo.top,
    )
    if out is None:
        return []
    changes: list[_Change] = []
    for record in out.decode("utf-8", "surrogateescape").split("\x1e")[1:]:
        header, _, raw = record.partition("\0")
        commit, _, committed = header.partition("\x1f")
        tokens = [t.lstrip("\n") for t in raw.split("\0")]
        entry = next((i for i, t in enumerate(tokens) if t.startswith(":")), None)
        if entry is None:
            continue  # a merge commit: no diff of its own
        meta = tokens[entry].split()
        if len(meta) < 5 or entry + 1 >= len(tokens):
            continue
        new_blob, status = meta[3], meta[4]
        path = (
            tokens[entry + 2]
            if status[:1] in "RC" and entry + 2 < len(tokens)
            else tokens[entry + 1]
        )
        blob = None if status.startswith("D") or new_blob == _NO_BLOB else new_blob
        changes.append(_Change(commit.strip(), committed.strip(), blob, path))
    changes.reverse()
    return changes


def _blob_sha256(repo: _Repository, blobs: Iterable[str]) -> dict[str, str]:
    """sha256 of each blob's content, read in one `git cat-file --batch`."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    out = _git(["cat-file", "--batch"], repo.top, ("\n".join(wanted) + "\n").encode())
    if out is None:
        return {}
    digests: dict[str, str] = {}
    position = 0
    for blob in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "<id> missing"
        size = int(header[2])
        digests[blob] = hashlib.sha256(out[position : position + size]).hexdigest()
        position += size + 1
    return digests


def _relative(repo: _Repository, top_path: str) -> str:
    """A path from the top of the repository as a path under reports/ (unchanged if outside)."""
    return top_path[len(repo.prefix) :] if top_path.startswith(repo.prefix) else top_path


def _committed(repo: _Repository, file: str) -> tuple[FileVersion, ...]:
    """The committed versions of `file`, oldest first: a function of the commit checked out
    (HEAD) and the path only, so a caller may keep them per HEAD (`known` of histories)."""
    changes = _log(repo, repo.prefix + file)
    if not changes:
        return ()
    digests = _blob_sha256(repo, (c.blob for c in changes if c.blob))
    versions: list[FileVersion] = []
    last_blob: str | None = None
    for change in changes:
        if change.blob is None:
            last_blob = None  # deleted: content that comes back later is a new version
            continue
        if change.blob == last_blob or change.blob not in digests:
            continue
        last_blob = change.blob
        versions.append(
            FileVersion(
                sha256=digests[change.blob],
                first_seen=change.committed,
                commit=change.commit,
                path=_relative(repo, change.path),
            )
        )
    return tuple(versions)


def _history(
    repo: _Repository,
    reports_dir: Path,
    file: str,
    committed: tuple[FileVersion, ...] | None = None,
) -> FileHistory | None:
    versions = list(_committed(repo, file) if committed is None else committed)
    on_disk = reports_dir / file
    if on_disk.is_file() and versions:
        current = sha256_of(on_disk)
        if versions[-1].sha256 != current:
            versions.append(FileVersion(current, None, None, file))
    if not versions:
        return None  # not tracked: nothing is claimed
    return FileHistory(file, tuple(versions), complete=not repo.shallow)


def head_commit(reports_dir: Path) -> str | None:
    """The commit checked out in the repository reports_dir is in (None outside one)."""
    if _repository(Path(reports_dir)) is None:
        return None
    out = _git(["rev-parse", "HEAD"], Path(reports_dir))
    return out.decode("ascii", "replace").strip() if out else None


def file_history(reports_dir: Path, file: str) -> FileHistory | None:
    """The versions of `file` (a path under `reports_dir`, "/"-separated), or None when there
    is no git history for it (not a repository, no git, or not tracked)."""
    repo = _repository(Path(reports_dir))
    if repo is None:
        return None
    return _history(repo, Path(reports_dir), PurePosixPath(file).as_posix())


def histories(
    reports_dir: Path,
    files: Iterable[str] | None = None,
    *,
    known: dict[str, tuple[FileVersion, ...]] | None = None,
) -> dict[str, FileHistory]:
    """{file: history} for `files` (paths under reports_dir; default: every file git tracks
    there), in file order; files without history are left out. {} outside a repository.

    `known`: committed versions per file already read at the same HEAD (head_commit); the
    files not in it are read from git and added to it, so a caller can keep it between
    builds of one commit."""
    reports_dir = Path(reports_dir)
    repo = _repository(reports_dir)
    if repo is None:
        return {}
    if files is None:
        out = _git(["ls-files", "-z", "--", "."], reports_dir)
        if out is None:
            return {}
        files = [f for f in out.decode("utf-8", "surrogateescape").split("\0") if f]
    found: dict[str, FileHistory] = {}
    for file in sorted(set(files)):
        path = PurePosixPath(file).as_posix()
        committed = known.get(path) if known is not None else None
        if committed is None:
            committed = _committed(repo, path)
            if known is not None:
                known[path] = committed
        history = _history(repo, reports_dir, path, committed)
        if history is not None:
            found[file] = history
    return found


def version_bytes(reports_dir: Path, version: FileVersion) -> bytes | None:
    """The content of one version (for a dated diff of an earlier version: parse these bytes
    like the file itself): from git for a committed version, from disk for the uncommitted one;
    None when it cannot be read or its sha256 is not the version's."""
    reports_dir = Path(reports_dir)
    data: bytes | None = None
    if version.commit is None:
        on_disk = reports_dir / version.path
        data = on_disk.read_bytes() if on_disk.is_file() else None
    else:
        repo = _repository(reports_dir)
        if repo is None:
            return None
        for top_path in dict.fromkeys((repo.prefix + version.path, version.path)):
            data = _git(["cat-file", "blob", f"{version.commit}:{top_path}"], repo.top)
            if data is not None:
                break
    if data is None or hashlib.sha256(data).hexdigest() != version.sha256:
        return None
    return data


def silent_edits(file_histories: Iterable[FileHistory]) -> tuple[SilentEdit, ...]:
    """Every change of content in the histories, newest first (uncommitted changes first, then
    by date, file and before-sha256): the entries of a portal-wide feed."""
    edits = [
        SilentEdit(history.file, before, after)
        for history in file_histories
        for before, after in zip(history.versions, history.versions[1:], strict=False)
    ]
    return tuple(
        sorted(
            edits,
            key=lambda e: (
                e.after.first_seen is not None,
                _negated(e.after.first_seen),
                e.file,
                e.before.sha256,
            ),
        )
    )


def _negated(stamp: str | None) -> float:
    """Sort key that puts later timestamps first (0 for None)."""
    return -datetime.fromisoformat(stamp).timestamp() if stamp else 0.0
