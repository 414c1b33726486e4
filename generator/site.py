"""Markdown -> HTML with MkDocs + Material, then the Pagefind search index (generator/search.py).

The only module that imports mkdocs. Search is Pagefind, not Material's built-in index: at
1,000 reports Material ships a 21 MB index to every searching browser (6-10 s to first
results), Pagefind loads a few hundred KB of chunks per query (bench/README.md).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.errors import ConfigError, NianbaoError
from generator.search import build_search_index


class _WarningCounter(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build can say why in one line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_mkdocs(
    project_dir: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    previous: Path | None = None,
    cache_dir: Path | None = None,
) -> None:
    """Build the site from project_dir/mkdocs.yml into site_dir, then index it for search.

    With a cache_dir, the build is incremental (generator/incremental.py): pages whose source
    is unchanged since the build that wrote previous (the published site/) are taken from it
    instead of being built again, and search index parts whose pages are unchanged come from
    the cache. The result is the same site a clean build makes. NianbaoError on any failure."""
    run_mkdocs(project_dir, site_dir, strict=strict, previous=previous, cache_dir=cache_dir)
    release_memory()  # the Pagefind processes run beside this one
    build_search_index(
        site_dir, cache_dir=cache_dir / SEARCH_CACHE if cache_dir is not None else None
    )


def release_memory() -> None:
    """Give back to the system what MkDocs held (every page's HTML): the allocator keeps freed
    memory for the process otherwise, and at 10,000 reports this process and a Pagefind process
    beside it added up to 2,063 MiB (bench/README.md). glibc's malloc_trim; elsewhere a no-op."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(name).malloc_trim(0)


SITE_STATE = "site-state.json"
"""In the cache folder: what the last build made of each source file (generator/incremental.py)."""
SEARCH_CACHE = "search"
"""In the cache folder: search index parts by the pages they index (generator/search.py)."""
THEME_TEMPLATES = "jinja-theme"
"""In the cache folder: the theme's templates compiled by Jinja (MkDocs compiled Material's
37 templates afresh in every build, 0.39 s under the profiler at 1,000 reports; Jinja checks
each compiled one against its template's source)."""


def run_mkdocs(
    project_dir: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    previous: Path | None = None,
    cache_dir: Path | None = None,
) -> None:
    """MkDocs alone: project_dir/mkdocs.yml -> HTML in site_dir; NianbaoError on any failure.

    With cache_dir (the build's cache folder): a dirty build that reuses the unchanged pages
    of previous, the site the last build wrote (generator/incremental.py; the state in
    SITE_STATE is then updated); the theme's compiled templates kept in THEME_TEMPLATES; and
    the search index's page words staged into SEARCH_CACHE while MkDocs builds
    (generator/words_ahead.py)."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.convert_ahead import ConvertAhead
    from generator.incremental import PageMemory, Reuse, TemplateCache
    from generator.words_ahead import WordsAhead

    project_dir = Path(project_dir).resolve()
    config_file = project_dir / "mkdocs.yml"
    if not config_file.is_file():
        raise NianbaoError(f"{config_file}: no MkDocs configuration found")
    counter = _WarningCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    reuse: Reuse | None = None
    ahead: WordsAhead | None = None
    convert: ConvertAhead | None = None
    completed = False
    try:
        config = load_config(
            str(config_file), site_dir=str(Path(site_dir).resolve()), strict=strict
        )
        config.plugins[PageMemory.NAME] = PageMemory()  # its post_page runs last (priority)
        if cache_dir is not None:
            # a dirty build keeps what site_dir holds: start from an empty one
            shutil.rmtree(site_dir, ignore_errors=True)
            Path(site_dir).mkdir(parents=True)
            reuse = Reuse(config, cache_dir / SITE_STATE, previous)
            reuse.install(config)
            config.plugins[TemplateCache.NAME] = TemplateCache(cache_dir / THEME_TEMPLATES)
            ahead = WordsAhead(cache_dir / SEARCH_CACHE)
            config.plugins[WordsAhead.NAME] = ahead  # after the hooks' post_page
        convert = ConvertAhead(dirty=reuse is not None)
        config.plugins[ConvertAhead.NAME] = convert  # its nav event after the reuse's
        with _quiet_dirty_warning(reuse is not None):
            build(config, dirty=reuse is not None)
        completed = True
        if reuse is not None:
            reuse.save(len(counter.messages))
    except exceptions.Abort as error:
        reason = counter.messages[0] if counter.messages else str(error)
        raise NianbaoError(f"MkDocs build failed: {_one_line(reason)}") from error
    except exceptions.MkDocsException as error:
        raise NianbaoError(f"MkDocs build failed: {_one_line(str(error))}") from error
    except OSError as error:
        raise NianbaoError(f"MkDocs build failed: {error}") from error
    finally:
        logger.removeHandler(counter)
        if convert is not None:
            convert.stop()
        if ahead is not None:
            ahead.finish(completed=completed)
        if reuse is not None:
            reuse.forget()


class _DirtyWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may have stale navigation: the incremental
    build rebuilds every page the navigation lists, and a warning fails a strict build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextlib.contextmanager
def _quiet_dirty_warning(active: bool) -> Iterator[None]:
    build_logger = logging.getLogger("mkdocs.commands.build")
    dirty_filter = _DirtyWarning()
    if active:
        build_logger.addFilter(dirty_filter)
    try:
        yield
    finally:
        build_logger.removeFilter(dirty_filter)


def _one_line(text: str) -> str:
    return " ".join(text.split())


SITE_CONFIG = ("mkdocs.yml", "overrides", "content/about.md", "content/assets")
"""What a buildable project needs besides reports/: the committed site configuration."""


def copy_site_config(source: Path, project: Path) -> Path:
    """Copy the committed site configuration from a checkout (source) into a new project folder
    (for tests and benchmarks that build elsewhere); returns project."""
    import shutil

    (project / "content").mkdir(parents=True, exist_ok=True)
    for name in SITE_CONFIG:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, project / name)
        elif origin.is_file():
            shutil.copy(origin, project / name)
    return project


def _site_config(project_dir: Path) -> dict[str, Any]:
    """mkdocs.yml as data, read without running its Python tags (!!python/…, !ENV); {} when
    it cannot be read (MkDocs then says why)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        """Reads MkDocs' configuration without running its Python tags."""

    def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)
    _Loader.add_multi_constructor("!", _ignore)
    try:
        config = yaml.load((Path(project_dir) / "mkdocs.yml").read_text("utf-8"), _Loader)
    except (OSError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def _extra(config: dict[str, Any]) -> dict[str, Any]:
    extra = config.get("extra")
    return extra if isinstance(extra, dict) else {}


def portal_url(project_dir: Path) -> str | None:
    """The portal's absolute address for the 引用本报告 boxes: mkdocs.yml `site_url`, else
    `extra: portal_url` (an address for citations that leaves Material's canonical links
    out); None when neither is an http(s) address (the pages then cite their own path)."""
    config = _site_config(project_dir)
    for value in (config.get("site_url"), _extra(config).get("portal_url")):
        if isinstance(value, str) and value.startswith(("https://", "http://")):
            return value
    return None


SOURCES_URL_VARIABLE = "NIANBAO_SOURCES_URL"


def sources_url(project_dir: Path) -> str | None:
    """mkdocs.yml `extra: sources_url`, else the environment's NIANBAO_SOURCES_URL (the
    publish workflows set it for a public repository): the web address of the reports folder
    in the portal's repository (https://github.com/<机构>/<仓库>/blob/main/reports/). With it,
    a report page links its source file there and the site carries no copy of it (a
    province's reports, mostly PDFs, do not fit into GitHub Pages' 1 GB; issue 15). None:
    copies are published. ConfigError for a value that is not such an address."""
    value = _extra(_site_config(project_dir)).get("sources_url")
    if value is not None:
        where, remedy = "mkdocs.yml 中 extra: sources_url", "不需要时删去这一项"
    else:
        value = os.environ.get(SOURCES_URL_VARIABLE) or None
        where, remedy = f"环境变量 {SOURCES_URL_VARIABLE}", "不需要时不设置它"
    if value is None:
        return None
    if not (
        isinstance(value, str) and value.startswith(("https://", "http://")) and value.endswith("/")
    ):
        raise ConfigError(
            f"{where} 的值 {value!r} 不是代码仓库中报告文件夹的网址："
            "应以 https:// 或 http:// 开头、以 / 结尾，例如 "
            f"https://github.com/机构/仓库/blob/main/reports/；{remedy}"
        )
    return value
