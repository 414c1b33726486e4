"""HTML fragments (issue 15): the render stage's finished HTML bypasses Python-Markdown.

A template wraps a heavy block in `<nb-fragment>` lines; the ContentWriter puts it into
content/.fragments/<page>.json with a placeholder in the page (generator/render/output.py),
and overrides/hooks/fragments.py puts it back after Markdown, with MkDocs' link resolution
and validation. These tests build tiny MkDocs projects with the hook (the default theme:
the hook is what is tested) and check the writer's skip-unchanged and stale logic.
"""

from __future__ import annotations

import importlib.util
import json
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

from generator.errors import NianbaoError
from generator.render.environment import html_paragraphs, inline
from generator.render.output import (
    FRAGMENT_DIR,
    ContentWriter,
    fragment_path,
    join_fragments,
    placeholder,
    read_page,
    split_fragments,
)
from generator.site import run_mkdocs

HOOK = ROOT / "overrides" / "hooks" / "fragments.py"


def _hook():
    spec = importlib.util.spec_from_file_location("fragments_hook", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PAGE = (
    '# 页\n\n<nb-fragment>\n<table><tr><td id="a-b">1</td></tr></table>\n</nb-fragment>\n\n正文\n'
)


def test_split_and_join_round_trip() -> None:
    page, fragments = split_fragments(PAGE)
    assert fragments == ['<table><tr><td id="a-b">1</td></tr></table>']
    assert page == "# 页\n\n" + placeholder(0, fragments[0]) + "\n\n正文\n"
    assert "<table" not in page
    assert join_fragments(page, fragments) == "# 页\n\n" + fragments[0] + "\n\n正文\n"


def test_an_unbalanced_marker_is_an_error() -> None:
    with pytest.raises(NianbaoError):
        split_fragments("<nb-fragment>\n<p>x</p>\n")


def test_report_text_cannot_open_or_close_a_fragment() -> None:
    hostile = "</nb-fragment>\n<nb-fragment>\n<script>alert(1)</script>"
    assert "<nb-fragment>" not in inline(hostile) and "</nb-fragment>" not in inline(hostile)
    assert "<nb-fragment>" not in html_paragraphs(hostile)
    assert "<script>" not in html_paragraphs(hostile)
    # Nor stand for one: a placeholder in report text is escaped before the hook looks.
    fake = placeholder(0, "<p>x</p>")
    hook = _hook()
    assert not hook.PLACEHOLDER.search(inline(fake))
    assert not hook.PLACEHOLDER.search(html_paragraphs(fake))


def test_the_hook_and_the_writer_agree_on_the_format() -> None:
    hook = _hook()
    assert hook.FRAGMENT_DIR == FRAGMENT_DIR
    match = hook.PLACEHOLDER.fullmatch(placeholder(12, "<p>片段</p>"))
    assert match.group(1) == "12" and match.group(2) == hook.digest("<p>片段</p>")
    mkdocs = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "overrides/hooks/fragments.py" in mkdocs
    assert f"/{FRAGMENT_DIR}/" in mkdocs  # exclude_docs: never published


def test_writer_puts_fragments_beside_and_skips_unchanged(tmp_path: Path) -> None:
    content = tmp_path / "content"
    writer = ContentWriter(content)
    writer.add("reports/x/2021.md", PAGE)
    writer.commit()
    sidecar = content / fragment_path("reports/x/2021.md")
    assert json.loads(sidecar.read_text("utf-8")) == ['<table><tr><td id="a-b">1</td></tr></table>']
    assert read_page(content, "reports/x/2021.md") == join_fragments(*split_fragments(PAGE))
    page = content / "reports/x/2021.md"
    page.touch()
    sidecar.touch()
    stamps = (page.stat().st_mtime_ns, sidecar.stat().st_mtime_ns)
    # Same bytes: neither file is written again.
    writer = ContentWriter(content)
    writer.add("reports/x/2021.md", PAGE)
    writer.commit()
    assert (page.stat().st_mtime_ns, sidecar.stat().st_mtime_ns) == stamps
    # A changed fragment (same page text around it) rewrites the sidecar and the page (its
    # placeholder carries the fragment's digest), so a check by the page's bytes sees it.
    writer = ContentWriter(content)
    writer.add("reports/x/2021.md", PAGE.replace(">1<", ">2<"))
    writer.commit()
    assert ">2<" in sidecar.read_text("utf-8")
    assert page.stat().st_mtime_ns != stamps[0]
    # A page without fragments any more: its old sidecar is deleted as stale.
    writer = ContentWriter(content)
    writer.add("reports/x/2021.md", "# 页\n\n正文\n")
    writer.commit()
    assert not sidecar.exists() and not (content / FRAGMENT_DIR).exists()


def test_discarding_a_page_discards_its_fragments(tmp_path: Path) -> None:
    writer = ContentWriter(tmp_path)
    with writer.claims() as claimed:
        writer.add("reports/x/2021.md", PAGE)
    writer.discard(claimed)
    assert not (tmp_path / fragment_path("reports/x/2021.md")).exists()


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A MkDocs project with the fragments hook whose pages went through the ContentWriter."""
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: t
            docs_dir: content
            use_directory_urls: true
            strict: true
            validation:
              anchors: warn
            hooks:
              - {HOOK}
            exclude_docs: |
              /{FRAGMENT_DIR}/
            markdown_extensions:
              - attr_list
            """
        ),
        "utf-8",
    )
    writer = ContentWriter(tmp_path / "content")
    for rel, text in pages.items():
        writer.add(rel, text)
    writer.commit()
    return tmp_path


def _fragment(html: str) -> str:
    return f"<nb-fragment>\n{html}\n</nb-fragment>\n"


def test_links_in_fragments_resolve_as_markdown_links_do(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "index.md": "# 首页\n\n"
            + _fragment(
                '<p><a href="reports/x/2021.md#a-b">格</a> <a href="https://e.org/">外</a></p>'
            )
            + "\n[md](reports/x/2021.md#a-b)\n",
            "reports/x/2021.md": "# 报告\n\n"
            + _fragment('<table><tr><td id="a-b">1</td></tr></table>')
            + "\n[本页的格](#a-b)\n",
        },
    )
    run_mkdocs(project, project / "site")
    home = (project / "site" / "index.html").read_text("utf-8")
    # The fragment's link became the same directory URL as the Markdown link.
    assert '<a href="reports/x/2021/#a-b">格</a>' in home
    assert '<a href="reports/x/2021/#a-b">md</a>' in home
    assert '<a href="https://e.org/">外</a>' in home
    report = (project / "site" / "reports" / "x" / "2021" / "index.html").read_text("utf-8")
    assert '<td id="a-b">1</td>' in report and "nb-fragment" not in report
    # Fragments are never published.
    published = [p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*")]
    assert not [p for p in published if FRAGMENT_DIR in p or p.endswith(".md.json")]


def test_a_broken_link_in_a_fragment_fails_the_strict_build(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {"index.md": "# 首页\n\n" + _fragment('<p><a href="reports/missing.md">断</a></p>')},
    )
    with pytest.raises(NianbaoError) as failure:
        run_mkdocs(project, project / "site")
    assert "index.md" in str(failure.value) and "reports/missing.md" in str(failure.value)


def test_a_missing_anchor_in_a_fragment_link_fails_the_strict_build(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "index.md": "# 首页\n\n" + _fragment('<p><a href="b.md#nope">断</a></p>'),
            "b.md": "# 乙\n\n" + _fragment('<p id="yes">有</p>'),
        },
    )
    with pytest.raises(NianbaoError) as failure:
        run_mkdocs(project, project / "site")
    assert "index.md" in str(failure.value) and "b.md#nope" in str(failure.value)


def test_an_anchor_only_a_fragment_has_is_found(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "index.md": "# 首页\n\n[格](b.md#yes)\n",
            "b.md": "# 乙\n\n" + _fragment('<p id="yes">有</p>'),
        },
    )
    run_mkdocs(project, project / "site")  # no "does not contain an anchor '#yes'"


def test_a_statistical_table_is_built_without_cell_ids_its_links_still_checked(
    tmp_path: Path,
) -> None:
    """The value cells of a table with data-nb-cells lose their ids in the built page (the
    browser gives them back, content/js/cell-anchors.js); a link to one is still checked
    against them, and other tables keep theirs."""
    table = (
        '<table data-nb-cells="2021-appeals"><tr><td id="appeals-review-total">3</td></tr></table>'
    )
    pages = {
        "index.md": "# 首页\n\n[格](b.md#appeals-review-total)\n",
        "b.md": "# 乙\n\n"
        + _fragment(table)
        + _fragment('<table><tr><td id="k">1</td></tr></table>'),
    }
    (tmp_path / "ok").mkdir()
    (tmp_path / "broken").mkdir()
    project = _project(tmp_path / "ok", pages)
    run_mkdocs(project, project / "site")  # the link's anchor is found
    built = (project / "site" / "b" / "index.html").read_text("utf-8")
    assert '<table data-nb-cells="2021-appeals"><tr><td>3</td></tr></table>' in built
    assert '<td id="k">1</td>' in built
    broken = {**pages, "index.md": "# 首页\n\n[格](b.md#appeals-review-other)\n"}
    project = _project(tmp_path / "broken", broken)
    with pytest.raises(NianbaoError) as failure:
        run_mkdocs(project, project / "site")
    assert "b.md#appeals-review-other" in str(failure.value)


@pytest.mark.parametrize("sidecar", ["[]\n", '["<p>y</p>"]\n'])
def test_a_placeholder_without_its_fragment_fails_the_strict_build(
    tmp_path: Path, sidecar: str
) -> None:
    project = _project(tmp_path, {"index.md": "# 首页\n\n" + _fragment("<p>x</p>")})
    (project / "content" / fragment_path("index.md")).write_text(sidecar, "utf-8")
    with pytest.raises(NianbaoError) as failure:
        run_mkdocs(project, project / "site")
    assert "index.md" in str(failure.value) and "fragment 0" in str(failure.value)
