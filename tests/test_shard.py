"""Sharded builds (generator/shard.py): 3 shards + merge give the site a one-machine build gives,
byte for byte; the deal keeps a folder's reports together and covers every file once; the merge
refuses shards that do not fit together, in Chinese, naming the folder and what to do."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, commit_all, git, make_project

from generator import sources
from generator.analysis import edits
from generator.cache import RecordCache
from generator.cli import main
from generator.errors import NianbaoError
from generator.inputs import gather_inputs
from generator.pipeline import Settings, build_site
from generator.shard import (
    SHARD_FILE,
    build_shard,
    merge_shards,
    parse_spec,
    plan_shards,
)

VERSION_OF = "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"
VERSION = "河南省/平顶山市/卫东区/卫东区政府办-2021年报-更正.txt"
NAMESAKE = "黑龙江省/伊春市/乌翠区/卫东区政府办-2021年报.txt"
EDITED = "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt"
UNREADABLE = ("河南省/洛阳市/宜阳县/宜阳县财政局-2022年报.wps", "黑龙江省/空白-2021年报.txt")
IGNORED = ("福建省/说明.xlsx.bak", ".DS_Store")


def _scale():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_corpus(project: Path) -> None:
    """The samples, 30 synthetic reports in region folders (bench/scale.py), a newer version
    of a sample, a namesake of it in another province, an unreadable .wps, an empty report,
    ignored files, and (in git) a silent edit of a sample."""
    reports = project / "reports"
    _scale().write_reports(reports, 30, seed=7)
    git(project, "init", "-q")
    commit_all(project, "报告", "2022-03-01T09:00:00+08:00")
    path = reports / EDITED
    text = path.read_text("utf-8")
    changed = text.replace("规范性文件\t2\t2\t4", "规范性文件\t2\t2\t5")
    assert changed != text
    path.write_text(changed, "utf-8")
    commit_all(project, "重新上传", "2022-04-01T09:00:00+08:00")
    original = (reports / VERSION_OF).read_text("utf-8")
    (reports / VERSION).write_text(original + "\n本报告为更正版。\n", "utf-8")
    (reports / NAMESAKE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(reports / VERSION_OF, reports / NAMESAKE)
    (reports / UNREADABLE[0]).write_bytes(b"\xd0\xcf\x11\xe0 wps")
    (reports / UNREADABLE[1]).write_bytes(b"")
    for name in IGNORED:
        (reports / name).write_text("x", "utf-8")


def shard_all(project: Path, count: int, cache_dir: Path | None = None) -> list[Path]:
    folders = [project / "shards" / str(k) for k in range(1, count + 1)]
    for k, folder in enumerate(folders, start=1):
        build_shard(project / "reports", folder, parse_spec(f"{k}/{count}"), cache_dir=cache_dir)
    return folders


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    """The corpus in a project, built on one machine: (project, settings, summary, site
    digest, content digest)."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    project = make_project(tmp_path_factory.mktemp("shard"))
    make_corpus(project)
    settings = Settings(
        project_dir=project, reports_dir=project / "reports", site_dir=project / "site-one"
    )
    summary = build_site(settings)
    return (
        project,
        settings,
        summary,
        tree_digest(project / "site-one"),
        tree_digest(project / "content"),
    )


@pytest.mark.slow
def test_three_shards_merged_equal_one_build_byte_for_byte(one, monkeypatch):
    project, settings, summary, site, content = one
    # what the corpus holds is really there: a version pair, failures, ignored files
    assert summary.superseded == 1
    assert summary.unreadable == len(UNREADABLE)
    assert summary.ignored == len(IGNORED)
    assert summary.records == 30 + 5 + 1
    folders = shard_all(project, 3)
    assert all(json.loads((f / SHARD_FILE).read_text("utf-8"))["files"] for f in folders)

    def no_git_log(*args: object) -> None:
        raise AssertionError("the merge ran git log: the shards' history was not used")

    monkeypatch.setattr(edits, "_committed", no_git_log)
    merged = merge_shards(dataclasses.replace(settings, site_dir=project / "site-merged"), folders)
    assert merged == summary
    assert tree_digest(project / "content") == content
    assert tree_digest(project / "site-merged") == site
    packed = (project / "site-merged" / "data" / "records.json.gz").read_bytes()
    records = json.loads(gzip.decompress(packed))
    edited = [r for r in records if r["source"]["file"] == EDITED]
    assert edited and edited[0].get("edits"), "the silent edit is in the merged records"
    ids = {r["id"] for r in records if r["source"]["file"] in (VERSION_OF, NAMESAKE)}
    assert len(ids) == 2, "namesakes in two shards are told apart as on one machine"
    unreadable = (project / "site-merged" / "unreadable" / "index.html").read_text("utf-8")
    for name in UNREADABLE:
        assert unreadable.count(f">{name}<") == 1, name


@pytest.mark.slow
def test_shards_with_a_cache_merge_into_a_warm_cache_and_the_same_site(one, tmp_path):
    """Shards parse through their own parse cache; the merge fills its cache from theirs."""
    project, settings, _, site, _ = one
    settings = dataclasses.replace(
        settings, site_dir=tmp_path / "site", cache_dir=tmp_path / "merge-cache"
    )
    folders = shard_all(project, 2, cache_dir=tmp_path / "shard-cache")
    shutil.copytree(project / "shards", tmp_path / "first")
    again = shard_all(project, 2, cache_dir=tmp_path / "shard-cache")  # from the cache
    assert [tree_digest(f) for f in again] == [
        tree_digest(tmp_path / "first" / f.name) for f in folders
    ]
    merge_shards(settings, folders)
    assert len(list((tmp_path / "merge-cache" / "records").glob("*.json"))) >= 36
    assert tree_digest(tmp_path / "site") == site


@pytest.mark.slow
def test_a_merge_at_another_commit_reads_git_itself_and_gives_the_same_site(
    one, tmp_path, monkeypatch
):
    """Shards of one commit, merged after a commit that leaves reports/ as it was: the
    merge does not trust the shards' history (their HEAD is not its own) and asks git."""
    project, settings, summary, site, _ = one
    copy = Path(shutil.copytree(project, tmp_path / "copy", symlinks=True))
    shutil.rmtree(copy / "shards", ignore_errors=True)
    folders = shard_all(copy, 3)
    (copy / "说明.txt").write_text("与报告无关的提交", "utf-8")
    git(copy, "add", "说明.txt")  # only this: reports/ keeps its uncommitted files
    git(copy, "commit", "-q", "-m", "说明", when="2022-05-01T09:00:00+08:00")
    asked: list[str] = []
    committed = edits._committed

    def counted(repo: object, path: str) -> object:
        asked.append(path)
        return committed(repo, path)  # type: ignore[arg-type]

    monkeypatch.setattr(edits, "_committed", counted)
    merge_shards(
        dataclasses.replace(
            settings, project_dir=copy, reports_dir=copy / "reports", site_dir=copy / "site"
        ),
        folders,
    )
    assert len(asked) == summary.records  # git log of every published record's file
    assert tree_digest(copy / "site") == site


# ---- the deal ------------------------------------------------------------------------------


def test_the_deal_covers_every_file_once_and_keeps_a_folder_together(tmp_path):
    reports = tmp_path / "reports"
    _scale().write_reports(reports, 120, seed=3)
    inputs = gather_inputs(reports)
    for count in (1, 2, 3, 7):
        plan = plan_shards(reports, inputs.reports, count)
        files = [f for share in plan for f in share]
        assert sorted(files) == sorted(p.relative_to(reports).as_posix() for p in inputs.reports)
        assert len(files) == len(set(files))
        where = {f: k for k, share in enumerate(plan) for f in share}
        for f, k in where.items():
            folder = f.rsplit("/", 1)[0]
            assert all(where[g] == k for g in where if g.rsplit("/", 1)[0] == folder)
        assert plan == plan_shards(reports, list(reversed(inputs.reports)), count)
    # one province only (every report under one top folder) is still spread over 3 shards
    folders: dict[str, set[str]] = {}
    for path in inputs.reports:
        rel = path.relative_to(reports)
        folders.setdefault(rel.parts[0], set()).add(rel.parent.as_posix())
    province = max(folders, key=lambda name: len(folders[name]))
    assert len(folders[province]) >= 3
    shares = plan_shards(reports, [p for p in inputs.reports if province in p.parts], 3)
    assert all(shares)
    sizes = [len(share) for share in plan_shards(reports, inputs.reports, 3)]
    assert max(sizes) < 2 * min(sizes)


def test_spec_is_k_of_n():
    assert str(parse_spec("2/3")) == "2/3"
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(NianbaoError, match="应写成 K/N"):
            parse_spec(bad)


# ---- refusals ------------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path):
    """The samples (plus an unreadable file) in a project, parsed as 3 shards."""
    project = make_project(tmp_path)
    (project / "reports" / "河南省" / "坏文件-2021年报.wps").write_bytes(b"wps")
    folders = shard_all(project, 3)
    settings = Settings(
        project_dir=project, reports_dir=project / "reports", site_dir=project / "site"
    )
    return project, settings, folders


def refused(settings: Settings, folders: list[Path]) -> str:
    with pytest.raises(NianbaoError) as error:
        merge_shards(settings, folders)
    assert not (settings.site_dir).exists(), "nothing is built from shards that do not fit"
    return str(error.value)


def test_missing_shard_is_refused(small):
    _, settings, folders = small
    message = refused(settings, folders[:2])
    assert "缺少第 3/3 片" in message and "--shard 3/3" in message


def test_duplicate_shard_is_refused(small):
    project, settings, folders = small
    copy = project / "shards" / "copy-of-1"
    shutil.copytree(folders[0], copy)
    message = refused(settings, [*folders, copy])
    assert str(copy) in message and "都是第 1/3 片" in message


def test_shards_of_different_n_are_refused(small):
    project, settings, folders = small
    other = project / "shards" / "two"
    build_shard(project / "reports", other, parse_spec("2/2"))
    message = refused(settings, [folders[0], other, folders[2]])
    assert str(other) in message and "同一个片数" in message


def test_another_parser_version_is_refused(small):
    _, settings, folders = small
    manifest = folders[1] / SHARD_FILE
    data = json.loads(manifest.read_text("utf-8"))
    data["parser"] = "0.9"
    manifest.write_text(json.dumps(data), "utf-8")
    message = refused(settings, folders)
    assert str(folders[1]) in message and "解析器版本 0.9" in message


def test_another_reports_tree_is_refused(small):
    project, settings, folders = small
    added = project / "reports" / "河南省" / "新机关-2021年报.txt"
    shutil.copy(project / "reports" / VERSION_OF, added)
    message = refused(settings, folders)
    assert "读取的报告文件夹与" in message and "重新生成全部分片" in message


def test_a_file_changed_after_sharding_is_refused(small):
    project, settings, folders = small
    path = project / "reports" / VERSION_OF
    data = path.read_bytes()
    path.write_bytes(data.replace(b"1", b"2", 1))  # same size
    message = refused(settings, folders)
    assert VERSION_OF in message and "内容与第" in message


def test_a_shard_without_its_records_is_refused(small):
    _, settings, folders = small
    shard = next(f for f in folders if list(RecordCache(f).folder.glob("*.json")))
    shutil.rmtree(RecordCache(shard).folder)
    message = refused(settings, folders)
    assert str(shard) in message and "缺少" in message and "解析记录" in message


def test_a_folder_that_is_not_a_shard_is_refused(small):
    project, settings, folders = small
    message = refused(settings, [*folders[:2], project / "reports"])
    assert str(project / "reports") in message and "不是分片文件夹" in message


def test_shard_output_never_replaces_a_folder_that_is_not_a_shard(small):
    project, _, _ = small
    with pytest.raises(NianbaoError, match="不是分片文件夹"):
        build_shard(project / "reports", project / "content", parse_spec("1/3"))
    assert (project / "content" / "about.md").is_file()


def test_unreadable_file_is_in_exactly_one_shard(small):
    _, _, folders = small
    failures = [
        entry["file"]
        for folder in folders
        for entry in json.loads((folder / SHARD_FILE).read_text("utf-8"))["files"]
        if entry["failure"]
    ]
    assert failures == ["河南省/坏文件-2021年报.wps"]


# ---- the command ---------------------------------------------------------------------------


def test_cli_shards_and_refuses_in_one_chinese_line(small, capsys, monkeypatch):
    project, _, folders = small
    monkeypatch.chdir(project)
    assert main(["build", "--shard", "4/3", "--out", "x"]) == 1
    assert capsys.readouterr().err.strip() == (
        "nianbao: 错误：--shard 4/3：应写成 K/N（第 K 片，共 N 片，1 ≤ K ≤ N），例如 --shard 2/3"
    )
    assert main(["build", "--shard", "2/3", "--out", "again", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "第 2/3 片" in err and "nianbao merge" in err
    assert (project / "again" / SHARD_FILE).read_bytes() == (folders[1] / SHARD_FILE).read_bytes()
    assert main(["merge", str(folders[0]), "again", "--out", "site"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "nianbao: 错误：缺少第 3/3 片（共 3 片，已给出 2 片）："
        "请用 nianbao build --shard 3/3 生成后一并合并"
    ]
    assert not (project / "site").exists()


def test_a_failed_shard_leaves_the_earlier_shard_and_no_partial_folder(small, monkeypatch):
    project, _, folders = small
    before = tree_digest(folders[0])

    def fail(*args: object) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(sources, "attach_history", fail)
    with pytest.raises(OSError, match="磁盘已满"):
        build_shard(project / "reports", folders[0], parse_spec("1/3"))
    assert tree_digest(folders[0]) == before
    assert sorted(p.name for p in folders[0].parent.iterdir()) == ["1", "2", "3"]
