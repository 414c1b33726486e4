"""Markdown converted in a forked child while MkDocs reads the pages (generator/convert_ahead.py):
the same site as MkDocs alone, the child's warnings still fail a strict build, and a child out
of step or a plugin on the page events costs only time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import site_project
from mkdocs.structure.pages import Page

import generator.convert_ahead as convert_ahead
from generator import pool
from generator.errors import NianbaoError
from generator.site import run_mkdocs

pytestmark = pytest.mark.slow


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def _count_parent_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages converted in this process (the child's count stays in the child)."""
    converted: list[str] = []
    render = Page.render

    def counted(page: Page, config, files) -> None:  # type: ignore[no-untyped-def]
        converted.append(page.file.src_uri)
        render(page, config, files)

    monkeypatch.setattr(Page, "render", counted)
    return converted


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The project and the site MkDocs makes without the child."""
    tmp = tmp_path_factory.mktemp("alone")
    project = site_project(tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pool, "PARALLEL_THRESHOLD", 10**9)
        run_mkdocs(project, tmp / "site", strict=True)
    return project, _files(tmp / "site")


@pytest.mark.parametrize("share", ["every other page", "every page", "out of order"])
def test_pages_the_child_converts_give_the_same_site(
    alone: tuple[Path, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    share: str,
) -> None:
    project, expected = alone
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 1)
    if share == "every page":
        monkeypatch.setattr(convert_ahead, "child_share", lambda pages: list(pages))
    elif share == "out of order":  # the first frame is not the page read: all converted here
        monkeypatch.setattr(convert_ahead, "child_share", lambda pages: pages[::-1])
    converted = _count_parent_renders(monkeypatch)
    run_mkdocs(project, tmp_path / "site", strict=True)
    assert _files(tmp_path / "site") == expected
    pages = len(list((project / "content").rglob("*.md")))
    if share == "every other page":
        assert len(converted) == pages - pages // 2
    elif share == "every page":
        assert converted == []
    else:
        assert len(converted) == pages


def test_a_broken_link_the_child_finds_fails_the_strict_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = site_project(tmp_path)
    (project / "content" / "about.md").write_text("# 关于\n\n[broken](missing.md)\n", "utf-8")
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(convert_ahead, "child_share", lambda pages: list(pages))
    converted = _count_parent_renders(monkeypatch)
    with pytest.raises(NianbaoError, match=r"missing\.md"):
        run_mkdocs(project, tmp_path / "site", strict=True)
    assert converted == []  # the warning came from the child


def test_no_child_beside_a_plugin_on_the_page_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin that changes a page before it is rendered: the child would convert the page
    without that change, so no child is made."""
    project = site_project(tmp_path)
    hook = project / "overrides" / "hooks" / "shout.py"
    hook.write_text("def on_page_markdown(markdown, page, config, files):\n    return markdown\n")
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("hooks:\n", "hooks:\n  - overrides/hooks/shout.py\n"), "utf-8")
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 1)

    def no_fork() -> int:
        raise AssertionError("forked beside a page_markdown plugin")

    monkeypatch.setattr(os, "fork", no_fork)
    run_mkdocs(project, tmp_path / "site", strict=True)
    assert (tmp_path / "site" / "index.html").is_file()


def test_an_incremental_build_with_the_child_equals_a_clean_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In an incremental build the child converts only pages MkDocs will read (the reused
    ones are not read)."""
    project = site_project(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 1)
    run_mkdocs(project, tmp_path / "first", strict=True, cache_dir=cache)
    about = project / "content" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n另起一段。\n", "utf-8")
    converted = _count_parent_renders(monkeypatch)
    forks: list[int] = []
    fork = os.fork

    def counted_fork() -> int:
        pid = fork()
        forks.append(pid)  # in the child, a list of its own
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    run_mkdocs(
        project, tmp_path / "second", strict=True, previous=tmp_path / "first", cache_dir=cache
    )
    pages = len(list((project / "content").rglob("*.md")))
    assert len(forks) == 1
    assert 0 < len(converted) < pages // 2  # most pages reused, the rest shared with the child
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 10**9)
    run_mkdocs(project, tmp_path / "clean", strict=True)
    assert _files(tmp_path / "second") == _files(tmp_path / "clean")
