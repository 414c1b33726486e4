"""Silent edits (generator/analysis/edits.py): versions of report files from the git history
of reports/, in temporary repositories made here (commits dated by GIT_*_DATE)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import commit_all, git

from generator.analysis.edits import (
    FileHistory,
    FileVersion,
    file_history,
    histories,
    silent_edits,
    version_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (
    ROOT / "reports" / "福建省" / "三明市" / "建宁县" / "伊家乡" / "伊家乡人民政府-2020年报.txt"
)
FILE = "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    (root / "reports").mkdir(parents=True)
    git(root, "init", "-q")
    return root


def put(repo: Path, file: str, data: bytes) -> Path:
    path = repo / "reports" / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_silent_edit_detected_from_git_history(repo: Path) -> None:
    original = SAMPLE.read_bytes()
    corrected = original.replace("规范性文件\t2\t2\t4".encode(), "规范性文件\t2\t2\t5".encode())
    assert corrected != original
    put(repo, FILE, original)
    first = commit_all(repo, "伊家乡 2020 年报", "2021-01-12T09:30:00+08:00")
    put(repo, "other/说明.txt", b"unrelated")
    commit_all(repo, "another file", "2021-02-01T09:00:00+08:00")
    put(repo, FILE, corrected)
    second = commit_all(repo, "re-uploaded", "2021-03-05T16:45:00+08:00")

    history = file_history(repo / "reports", FILE)
    assert history == FileHistory(
        FILE,
        (
            FileVersion(digest(original), "2021-01-12T09:30:00+08:00", first, FILE),
            FileVersion(digest(corrected), "2021-03-05T16:45:00+08:00", second, FILE),
        ),
        complete=True,
    )
    assert history.edited and history.current.sha256 == digest(corrected)
    assert history.earlier == (history.versions[0],)
    assert history.first_seen == "2021-01-12T09:30:00+08:00"
    assert history.versions[0].first_seen_date == date(2021, 1, 12)
    (edit,) = silent_edits([history])
    assert (edit.file, edit.before, edit.after) == (FILE, *history.versions)
    assert edit.date == "2021-03-05T16:45:00+08:00" and not edit.renamed
    # the earlier content can be read back for a dated diff
    assert version_bytes(repo / "reports", edit.before) == original
    assert version_bytes(repo / "reports", edit.after) == corrected


def test_the_committer_date_is_first_seen_not_the_author_date(repo: Path) -> None:
    put(repo, "a.txt", b"v1")
    git(repo, "add", "-A")
    env_date = "2022-04-01T08:00:00+08:00"
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "late upload"],
        cwd=repo,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "a",
            "GIT_AUTHOR_EMAIL": "a@example.org",
            "GIT_COMMITTER_NAME": "a",
            "GIT_COMMITTER_EMAIL": "a@example.org",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_AUTHOR_DATE": "2022-01-20T08:00:00+08:00",
            "GIT_COMMITTER_DATE": env_date,
        },
        check=True,
    )
    history = file_history(repo / "reports", "a.txt")
    assert history is not None and history.first_seen == env_date


def test_unchanged_content_is_one_version(repo: Path) -> None:
    put(repo, "a.txt", b"same")
    commit_all(repo, "one", "2022-01-10T10:00:00+00:00")
    put(repo, "b.txt", b"x")
    commit_all(repo, "two", "2022-02-10T10:00:00+00:00")
    history = file_history(repo / "reports", "a.txt")
    assert history is not None and len(history.versions) == 1 and not history.edited
    assert silent_edits([history]) == ()


def test_content_that_comes_back_is_a_new_version(repo: Path) -> None:
    for day, data in ((10, b"A"), (11, b"B"), (12, b"A")):
        put(repo, "a.txt", data)
        commit_all(repo, f"day {day}", f"2022-01-{day}T10:00:00+00:00")
    history = file_history(repo / "reports", "a.txt")
    assert history is not None
    assert [v.sha256 for v in history.versions] == [digest(b"A"), digest(b"B"), digest(b"A")]
    edits = silent_edits([history])
    assert [e.date for e in edits] == ["2022-01-12T10:00:00+00:00", "2022-01-11T10:00:00+00:00"]


def test_renames_are_followed(repo: Path) -> None:
    text = SAMPLE.read_bytes()
    put(repo, "伊家乡-2020.txt", text)
    commit_all(repo, "flat", "2021-01-12T10:00:00+08:00")
    (repo / "reports" / FILE).parent.mkdir(parents=True)
    git(repo, "mv", "reports/伊家乡-2020.txt", f"reports/{FILE}")
    commit_all(repo, "into its region folder", "2021-02-01T10:00:00+08:00")
    put(repo, FILE, text + "\n更正说明。\n".encode())
    commit_all(repo, "edited", "2021-03-01T10:00:00+08:00")
    history = file_history(repo / "reports", FILE)
    assert history is not None
    assert [(v.path, v.first_seen) for v in history.versions] == [
        ("伊家乡-2020.txt", "2021-01-12T10:00:00+08:00"),
        (FILE, "2021-03-01T10:00:00+08:00"),
    ]
    (edit,) = silent_edits([history])
    assert edit.renamed  # the earlier content was published under another name
    assert version_bytes(repo / "reports", edit.before) == text


def test_uncommitted_content_has_no_date(repo: Path) -> None:
    put(repo, "a.txt", b"committed")
    commit_all(repo, "one", "2022-01-10T10:00:00+00:00")
    put(repo, "a.txt", b"edited on disk")
    history = file_history(repo / "reports", "a.txt")
    assert history is not None
    assert history.current == FileVersion(digest(b"edited on disk"), None, None, "a.txt")
    assert history.current.first_seen_date is None
    (edit,) = silent_edits([history])
    assert edit.date is None
    assert version_bytes(repo / "reports", history.current) == b"edited on disk"
    assert version_bytes(repo / "reports", history.versions[0]) == b"committed"
    forged = FileVersion("0" * 64, None, None, "a.txt")
    assert version_bytes(repo / "reports", forged) is None


def test_histories_of_a_folder_sorted_and_untracked_left_out(repo: Path) -> None:
    put(repo, "b.txt", b"1")
    put(repo, "a/甲.txt", b"1")
    commit_all(repo, "one", "2022-01-10T10:00:00+00:00")
    put(repo, "b.txt", b"2")
    commit_all(repo, "two", "2022-01-11T10:00:00+00:00")
    put(repo, "untracked.txt", b"new")
    found = histories(repo / "reports")
    assert list(found) == ["a/甲.txt", "b.txt"]
    assert [f for f, h in found.items() if h.edited] == ["b.txt"]
    assert file_history(repo / "reports", "untracked.txt") is None
    assert histories(repo / "reports", ["untracked.txt", "b.txt"]).keys() == {"b.txt"}
    # deterministic: the same repository gives the same histories
    assert histories(repo / "reports") == found


def test_no_repository_no_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_bytes(b"x")
    # keeps git from finding a repository above tmp_path
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert file_history(reports, "a.txt") is None
    assert histories(reports) == {}
    assert file_history(tmp_path / "missing", "a.txt") is None


def test_no_git_executable_no_history(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(repo, "a.txt", b"x")
    commit_all(repo, "one", "2022-01-10T10:00:00+00:00")
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    assert file_history(repo / "reports", "a.txt") is None


def test_a_shallow_clone_is_incomplete(repo: Path, tmp_path: Path) -> None:
    put(repo, "a.txt", b"1")
    commit_all(repo, "one", "2022-01-10T10:00:00+00:00")
    put(repo, "a.txt", b"2")
    commit_all(repo, "two", "2022-01-11T10:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    history = file_history(clone / "reports", "a.txt")
    assert history is not None and not history.complete
    assert [v.sha256 for v in history.versions] == [digest(b"2")]
    full = file_history(repo / "reports", "a.txt")
    assert full is not None and full.complete and len(full.versions) == 2
