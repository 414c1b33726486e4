"""The memos of pure functions kept between builds (generator/memos.py): an entry is reused
only under the version that made it and only when every value passes the memo's check; a
build saves only what it used; the slug and similarity memos spare a build that parses no new
agency jieba and the similarity of unchanged pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_project

import generator.check.rules.similarity as similarity
import generator.memos as memos
import generator.model.identity as identity
from generator.pipeline import Settings, build_site


def _memo(monkeypatch: pytest.MonkeyPatch, version: str = "v1") -> memos.PureMemo[str]:
    memo: memos.PureMemo[str] = memos.PureMemo(
        "test-memo", lambda: version, lambda value: isinstance(value, str)
    )
    monkeypatch.delitem(memos._REGISTRY, "test-memo")  # not the build's: loaded by hand here
    return memo


def test_a_memo_keeps_what_was_used_and_reads_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _memo(monkeypatch)
    first.load(tmp_path)
    assert first.get("a") is None
    first.put("a", "x")
    first.put("b", "y")
    first.save(tmp_path)
    saved = json.loads((tmp_path / "test-memo.json").read_text("utf-8"))
    assert saved == {"version": "v1", "values": {"a": "x", "b": "y"}}

    second = _memo(monkeypatch)
    second.load(tmp_path)
    assert second.get("a") == "x"  # only "a" is used by this build
    second.save(tmp_path)
    saved = json.loads((tmp_path / "test-memo.json").read_text("utf-8"))
    assert saved["values"] == {"a": "x"}  # "b" went out of use: dropped


def test_a_memo_moved_to_a_new_cache_folder_writes_its_file_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one process, two cache folders (a deleted cache, or tests): the second folder's file
    # was once skipped because the entries equalled what the first folder's file held
    memo = _memo(monkeypatch)
    first, second = tmp_path / "first", tmp_path / "second"
    memo.load(first)
    memo.put("a", "x")
    memo.save(first)
    memo.load(second)  # no file there
    assert memo.get("a") == "x"  # still known in this process
    memo.save(second)
    saved = json.loads((second / "test-memo.json").read_text("utf-8"))
    assert saved == {"version": "v1", "values": {"a": "x"}}


@pytest.mark.parametrize(
    "entry",
    [
        {"version": "v0", "values": {"a": "x"}},  # made by other code
        {"version": "v1", "values": {"a": 3}},  # a value the check refuses
        {"version": "v1", "values": ["a"]},
        "not an object",
    ],
)
def test_an_entry_file_of_another_version_or_with_a_bad_value_is_ignored_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: object
) -> None:
    (tmp_path / "test-memo.json").write_text(json.dumps(entry), "utf-8")
    memo = _memo(monkeypatch)
    memo.load(tmp_path)
    assert memo.get("a") is None


def test_an_unreadable_entry_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "test-memo.json").write_bytes(b"\xff{")
    memo = _memo(monkeypatch)
    memo.load(tmp_path)
    assert memo.get("a") is None


def test_the_slug_memo_refuses_a_value_that_is_not_a_slug(tmp_path: Path) -> None:
    folder = tmp_path / memos.MEMOS_DIR
    folder.mkdir()
    entry = {"version": identity._slug_version(), "values": {"某局": "../../etc"}}
    (folder / "slugs.json").write_text(json.dumps(entry), "utf-8")
    identity.SLUGS.load(folder)
    assert identity.SLUGS.get("某局") is None  # the file was not trusted
    assert identity.SLUG.match(identity.slugify("某局"))  # computed instead


def test_a_second_build_needs_no_slug_and_no_similarity_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    earlier = project / "reports" / "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"
    text = earlier.read_text("utf-8")  # a next year, so that TX-07 compares a pair
    earlier.with_name("卫东区政府办-2022年报.txt").write_text(
        text.replace("2021年", "2022年"), "utf-8"
    )
    site = project / "site"
    cache = project / ".cache" / "nianbao"
    settings = Settings(project, project / "reports", site, cache_dir=cache)
    # every process memo empty, as in a new process
    monkeypatch.setattr(identity.SLUGS, "_values", {})
    monkeypatch.setattr(similarity.SCORES, "_values", {})
    build_site(settings)
    slugs = json.loads((cache / memos.MEMOS_DIR / "slugs.json").read_text("utf-8"))["values"]
    assert "伊美区人民政府" in slugs  # an agency, and the region names
    assert "黑龙江省" in slugs
    scores = json.loads((cache / memos.MEMOS_DIR / "similarity.json").read_text("utf-8"))
    assert len(scores["values"]) == 1  # the one pair of consecutive years
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    computed: list[str] = []

    def no_slug(name: str) -> str:
        computed.append(name)
        raise AssertionError(f"slug computed for {name}")

    def no_score(a: str, b: str) -> float:
        computed.append("similarity")
        raise AssertionError("similarity computed")

    monkeypatch.setattr(identity, "_slugify", no_slug)
    monkeypatch.setattr(similarity, "similarity", no_score)
    monkeypatch.setattr(identity.SLUGS, "_values", {})
    monkeypatch.setattr(similarity.SCORES, "_values", {})
    for path in (project / "content" / "reports").rglob("*.md"):
        path.unlink()  # rendered again: every page's slugs and checks come from the memos
    build_site(settings)
    assert computed == []
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
