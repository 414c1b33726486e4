"""MkDocs alone on a built project, with Markdown conversion timed per page type.

    python bench/markdown_pages.py PROJECT [--site DIR]

Runs `mkdocs build --strict` on PROJECT/mkdocs.yml (e.g. the project `bench/scale.py --keep`
leaves) into DIR (default: a temp folder) and times, per page type, MkDocs' `Page.render`
(Python-Markdown's conversion of the page) and the `on_page_content` event (the HTML fragments
hook, overrides/hooks/fragments.py, puts the fragments back there). Used for issue 15's HTML
fragments (bench/README.md); prints one table, asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any


def page_type(src: str) -> str:
    """The kind of page a content/ path is (report, agency, region, year, rule, ...)."""
    if src.startswith("reports/"):
        return "agency" if src.endswith("/index.md") else "report"
    if src.startswith("regions/"):
        return "region"
    if src.startswith("analysis/timeliness/"):
        return "analysis/timeliness/index" if src.endswith("index.md") else "timeliness/<year>"
    if src.startswith("compliance/rules/"):
        return "compliance/rules/index" if src.endswith("index.md") else "rule"
    if src.startswith("years/"):
        return "year"
    return src


def main() -> None:
    import mkdocs.plugins
    import mkdocs.structure.pages
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--site", type=Path, help="build into DIR (default: a temp folder)")
    args = parser.parse_args()

    convert: dict[str, float] = collections.defaultdict(float)
    hooks: dict[str, float] = collections.defaultdict(float)
    pages: collections.Counter[str] = collections.Counter()
    render = mkdocs.structure.pages.Page.render
    on_page_content = mkdocs.plugins.PluginCollection.on_page_content

    def timed_render(self: Any, config: Any, files: Any) -> None:
        start = time.perf_counter()
        render(self, config, files)
        kind = page_type(self.file.src_uri)
        convert[kind] += time.perf_counter() - start
        pages[kind] += 1

    def timed_content(self: Any, html: str, *, page: Any, config: Any, files: Any) -> Any:
        start = time.perf_counter()
        result = on_page_content(self, html, page=page, config=config, files=files)
        hooks[page_type(page.file.src_uri)] += time.perf_counter() - start
        return result

    mkdocs.structure.pages.Page.render = timed_render  # type: ignore[method-assign]
    mkdocs.plugins.PluginCollection.on_page_content = timed_content  # type: ignore[method-assign]
    site = args.site or Path(tempfile.mkdtemp(prefix="nianbao-md-"))
    try:
        config = load_config(
            str(args.project.resolve() / "mkdocs.yml"), site_dir=str(site.resolve()), strict=True
        )
        start = time.perf_counter()
        build(config)
        total = time.perf_counter() - start
    finally:
        if args.site is None:
            shutil.rmtree(site, ignore_errors=True)
    print(f"mkdocs build s {total:.2f}")
    print(f"Markdown conversion (Page.render) s {sum(convert.values()):.2f}")
    print(f"on_page_content (fragments hook) s {sum(hooks.values()):.2f}")
    print(f"{'page type':28} {'pages':>5} {'convert s':>9} {'ms/page':>8} {'hook s':>7}")
    for kind, seconds in sorted(convert.items(), key=lambda kv: -kv[1]):
        n = pages[kind]
        print(f"{kind:28} {n:5} {seconds:9.3f} {1000 * seconds / n:8.2f} {hooks[kind]:7.3f}")


if __name__ == "__main__":
    main()
