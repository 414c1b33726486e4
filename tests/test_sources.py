"""The pipeline reads the git history of reports/ (generator/sources.py): a silent edit
detected in a temporary repository becomes the record's `edits`, dated by git; a build
outside git claims nothing and the records do not change by a byte; reports/agencies.yml is
configuration, its problems shown by `nianbao check` (IN-04) and the build summary."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import REPORTS, commit_all, copy_samples, git

from generator.cli import input_findings, main
from generator.model import Record
from generator.pipeline import load_corpus, summarize
from generator.record import record_to_yaml, validate_record

FILE = "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt"
OTHER = "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def edited(text: str) -> str:
    """The 伊家乡 report with one cell and one sentence changed (a corrected re-upload)."""
    changed = text.replace("规范性文件\t2\t2\t4", "规范性文件\t2\t2\t5")
    assert changed != text
    return changed.replace("政府信息公开工作", "政府信息公开工作（修订）", 1)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    copy_samples(root / "reports", [FILE, OTHER])
    git(root, "init", "-q")
    commit_all(root, "年报", "2021-01-12T09:30:00+08:00")
    path = root / "reports" / FILE
    path.write_text(edited(path.read_text("utf-8")), "utf-8")
    commit_all(root, "重新上传", "2021-03-05T16:45:00+08:00")
    return root


@needs_git
def test_a_silent_edit_from_git_history_is_in_the_record(repo: Path) -> None:
    corpus = load_corpus(repo / "reports")
    assert corpus.history == "complete"
    by_file = {r.source.file: r for r in corpus.records}
    record = by_file[FILE]
    (edit,) = record.edits
    original = (REPORTS / FILE).read_bytes()
    assert edit.sha256 == hashlib.sha256(original).hexdigest() != record.source.sha256
    assert (edit.first_seen, edit.replaced) == (
        "2021-01-12T09:30:00+08:00",
        "2021-03-05T16:45:00+08:00",
    )
    assert edit.readable and edit.file == FILE
    changes = {c.where: (c.old, c.new) for c in edit.table_changes}
    assert changes == {"proactive.normative_docs.total_published": (4, 5)}
    assert "+" in edit.text_diff and "（修订）" in edit.text_diff
    assert "2021-01-12" in edit.text_diff and "2021-03-05" in edit.text_diff
    # the unchanged report has no such key; both were first seen with the first commit
    assert by_file[OTHER].edits == () and "edits" not in by_file[OTHER].to_dict()
    assert set(corpus.first_seen.values()) == {"2021-01-12T09:30:00+08:00"}
    # the newest date the reports carry: the year after the newest report year (2021) here
    assert corpus.as_of == "2022-01-01"
    data = record.to_dict()
    assert list(data)[-1] == "edits"
    assert validate_record(data) == []
    assert Record.from_dict(data) == record


@needs_git
def test_uncommitted_content_is_an_edit_not_yet_dated(repo: Path) -> None:
    path = repo / "reports" / FILE
    path.write_text(path.read_text("utf-8").replace("规范性文件\t2\t2\t5", "规范性文件\t2\t2\t6"))
    record = next(r for r in load_corpus(repo / "reports").records if r.source.file == FILE)
    latest, older = record.edits
    assert latest.replaced is None and latest.first_seen == "2021-03-05T16:45:00+08:00"
    assert [(c.old, c.new) for c in latest.table_changes] == [(5, 6)]
    assert older.replaced == "2021-03-05T16:45:00+08:00"


@needs_git
def test_the_history_is_kept_per_commit(repo: Path, tmp_path: Path, monkeypatch) -> None:
    """A second build of one commit asks git for no file's log; the records are the same;
    an uncommitted change is still seen; a new commit reads git again."""
    from generator.analysis import edits

    cache = tmp_path / "cache"
    first = load_corpus(repo / "reports", cache_dir=cache)
    assert len(list((cache / "history").glob("*.json"))) == 1
    calls: list[str] = []
    real = edits._log
    monkeypatch.setattr(edits, "_log", lambda repo_, path: calls.append(path) or real(repo_, path))
    second = load_corpus(repo / "reports", cache_dir=cache)
    assert calls == [] and second.records == first.records
    assert second.first_seen == first.first_seen
    path = repo / "reports" / FILE
    path.write_text(path.read_text("utf-8").replace("规范性文件\t2\t2\t5", "规范性文件\t2\t2\t6"))
    changed = next(
        r for r in load_corpus(repo / "reports", cache_dir=cache).records if r.source.file == FILE
    )
    assert calls == [] and len(changed.edits) == 2 and changed.edits[0].replaced is None
    commit_all(repo, "再次上传", "2021-04-01T10:00:00+08:00")
    again = next(
        r for r in load_corpus(repo / "reports", cache_dir=cache).records if r.source.file == FILE
    )
    assert calls and again.edits[0].replaced == "2021-04-01T10:00:00+08:00"
    assert len(list((cache / "history").glob("*.json"))) == 1  # the old commit's is gone


def test_outside_git_nothing_is_claimed(tmp_path: Path) -> None:
    reports = copy_samples(tmp_path / "reports", [FILE])
    corpus = load_corpus(reports)
    (record,) = corpus.records
    assert (corpus.history, dict(corpus.first_seen), record.edits) == ("none", {}, ())
    assert "edits" not in record.to_dict()
    assert "edits:" not in record_to_yaml(record)


@needs_git
def test_the_build_is_the_same_in_git_and_outside_for_an_unchanged_file(
    repo: Path, tmp_path: Path
) -> None:
    inside = next(r for r in load_corpus(repo / "reports").records if r.source.file == OTHER)
    outside = next(
        r
        for r in load_corpus(copy_samples(tmp_path / "plain", [OTHER])).records
        if r.source.file == OTHER
    )
    assert record_to_yaml(inside) == record_to_yaml(outside)


# ---- reports/agencies.yml ------------------------------------------------------------------

LIST = """\
- {name: 卫东区政府办, region: 河南省/平顶山市/卫东区, level: county_dept}
- {name: 卫东区教育局, region: 河南省/平顶山市/卫东区}
- {name: 卫东区人民政府, region: 河南省/平顶山市/卫东区, level: county_dept}
"""


def test_agencies_yml_is_configuration_with_its_problems_listed(tmp_path: Path, capsys) -> None:
    reports = copy_samples(tmp_path / "reports", [OTHER])
    (reports / "agencies.yml").write_text(LIST, "utf-8")
    corpus = load_corpus(reports)
    assert [f.file for f in corpus.failures] == []  # not an ignored file any more
    assert corpus.agencies is not None and len(corpus.agencies.entries) == 2
    rows = [row for row in input_findings(corpus) if row[1] == "IN-04"]
    assert [(row[0], row[2].value) for row in rows] == [
        ("reports/agencies.yml", "error"),
        ("reports/agencies.yml", "warning"),
    ]
    assert "第2项（卫东区教育局）：缺少 level" in rows[0][3]
    assert summarize(corpus).list_problems == tuple(p.message for p in corpus.agencies.problems)
    assert main(["check", "--reports", str(reports), "--no-cache", "--fail-on", "error"]) == 1
    out = capsys.readouterr().out
    assert "IN-04" in out and "缺少 level" in out


@needs_git
@pytest.mark.slow
def test_a_build_in_git_publishes_the_silent_edit(tmp_path: Path) -> None:
    """The whole pipeline in a temporary repository: the report page of the edited file has
    its dated diff, the edits feed its entry dated by git, the timeliness pages use the list."""
    import xml.etree.ElementTree as ET

    from conftest import ROOT

    from generator.pipeline import Settings, build_site
    from generator.site import copy_site_config

    project = copy_site_config(ROOT, tmp_path / "project")
    copy_samples(project / "reports", [FILE, OTHER])
    (project / "reports" / "agencies.yml").write_text(LIST, "utf-8")
    git(project, "init", "-q")
    commit_all(project, "年报", "2021-01-12T09:30:00+08:00")
    path = project / "reports" / FILE
    path.write_text(edited(path.read_text("utf-8")), "utf-8")
    commit_all(project, "重新上传", "2021-03-05T16:45:00+08:00")
    summary = build_site(
        Settings(project_dir=project, reports_dir=project / "reports", site_dir=project / "site")
    )
    assert len(summary.list_problems) == 2
    site = project / "site"
    page = (site / "reports/yi-jiaxiang-renminzhengfu/2020/index.html").read_text("utf-8")
    assert "文件修改记录" in page and "2021年3月5日替换（原内容首次收录于2021年1月12日）" in page
    atom = "{http://www.w3.org/2005/Atom}"
    (entry,) = ET.parse(site / "feeds/edits.xml").getroot().findall(f"{atom}entry")
    assert entry.findtext(f"{atom}updated") == "2021-03-05T08:45:00Z"
    timeliness = (site / "analysis/timeliness/index.html").read_text("utf-8")
    assert "reports/agencies.yml" in timeliness and "缺少 level" in timeliness
