"""Markdown -> HTML with MkDocs + Material: the only module that imports mkdocs."""

from __future__ import annotations

import logging
from pathlib import Path

from generator.errors import NianbaoError


class _WarningCounter(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build can say why in one line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_mkdocs(project_dir: Path, site_dir: Path, *, strict: bool = True) -> None:
    """Build the site from project_dir/mkdocs.yml into site_dir; NianbaoError on any failure."""
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
        config = load_config(str(config_file), site_dir=str(Path(site_dir).resolve()),
                             strict=strict)
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
