"""Markdown -> HTML with MkDocs + Material, then the Pagefind search index (generator/search.py).

The only module that imports mkdocs. Search is Pagefind, not Material's built-in index: at
1,000 reports Material ships a 21 MB index to every searching browser (6-10 s to first
results), Pagefind loads a few hundred KB of chunks per query (bench/README.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

from generator.errors import NianbaoError
from generator.search import build_search_index


class _WarningCounter(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build can say why in one line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_mkdocs(project_dir: Path, site_dir: Path, *, strict: bool = True) -> None:
    """Build the site from project_dir/mkdocs.yml into site_dir, then index it for search.

    NianbaoError on any failure."""
    run_mkdocs(project_dir, site_dir, strict=strict)
    build_search_index(site_dir)


def run_mkdocs(project_dir: Path, site_dir: Path, *, strict: bool = True) -> None:
    """MkDocs alone: project_dir/mkdocs.yml -> HTML in site_dir; NianbaoError on any failure."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project_dir = Path(project_dir).resolve()
    config_file = project_dir / "mkdocs.yml"
    if not config_file.is_file():
        raise NianbaoError(f"{config_file}: no MkDocs configuration found")
    counter = _WarningCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        config = load_config(
            str(config_file), site_dir=str(Path(site_dir).resolve()), strict=strict
        )
        build(config)
    except exceptions.Abort as error:
        reason = counter.messages[0] if counter.messages else str(error)
        raise NianbaoError(f"MkDocs build failed: {_one_line(reason)}") from error
    except exceptions.MkDocsException as error:
        raise NianbaoError(f"MkDocs build failed: {_one_line(str(error))}") from error
    except OSError as error:
        raise NianbaoError(f"MkDocs build failed: {error}") from error
    finally:
        logger.removeHandler(counter)


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


def portal_url(project_dir: Path) -> str | None:
    """The portal's absolute address for the 引用本报告 boxes: mkdocs.yml `site_url`, else
    `extra: portal_url` (an address for citations that leaves Material's canonical links
    out); None when neither is an http(s) address (the pages then cite their own path)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        """Reads MkDocs' configuration without running its Python tags (!!python/…, !ENV)."""

    def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)
    _Loader.add_multi_constructor("!", _ignore)
    try:
        config = yaml.load((Path(project_dir) / "mkdocs.yml").read_text("utf-8"), _Loader)
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(config, dict):
        return None
    extra = config.get("extra")
    for value in (
        config.get("site_url"),
        extra.get("portal_url") if isinstance(extra, dict) else None,
    ):
        if isinstance(value, str) and value.startswith(("https://", "http://")):
            return value
    return None
