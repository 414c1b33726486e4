"""Ingest: report file -> Document. One reader module per format, chosen by file suffix.

Every reader exposes `read(data: bytes, path: str) -> Document` and raises SourceError with a
reason a person can act on ("scanned PDF, no text layer") when the file cannot be read at all.
Readers import their libraries lazily so a missing optional library is a clear message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from generator.document import Document
from generator.errors import SourceError, UnsupportedFormat

# suffix -> (module in this package, format name recorded in source.format)
READERS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "txt"),
    ".md": ("text", "md"),
    ".pdf": ("pdf", "pdf"),
    ".docx": ("docx", "docx"),
    ".doc": ("doc", "docx"),
    ".html": ("html", "html"),
    ".htm": ("html", "html"),
    # page images of a scanned report: read by OCR (ocr.py)
    ".png": ("ocr", "image"),
    ".jpg": ("ocr", "image"),
    ".jpeg": ("ocr", "image"),
    ".tif": ("ocr", "image"),
    ".tiff": ("ocr", "image"),
}

OCR_VERSION = "2"
"""Bump with any change to the OCR reader (ocr*.py) that can alter what it reads: it is part
of the parse cache key (generator/cache.py), so cached OCR parses are read afresh.
2: the pages without a text layer of a PDF that has text elsewhere are read by OCR."""

MAX_BYTES = 20 * 1024 * 1024
"""Larger inputs are refused with a message: no annual report is anywhere near this size."""


def needs_ocr(path: Path) -> bool:
    """A cheap guess that the file will be read by OCR: a page image, or a PDF that names no
    font anywhere (a scan). Only for planning work: the PDF reader decides for itself."""
    suffix = path.suffix.lower()
    if suffix in READERS and READERS[suffix][0] == "ocr":
        return True
    if suffix != ".pdf":
        return False
    try:
        with path.open("rb") as handle:
            return b"/Font" not in handle.read(MAX_BYTES)
    except OSError:
        return False


def reader_for(path: Path) -> tuple[Callable[[bytes, str], Document], str]:
    suffix = path.suffix.lower()
    if suffix not in READERS:
        known = "、".join(sorted(READERS))
        kind = f"暂不能读取 {suffix} 格式的文件" if suffix else "文件没有扩展名"
        raise UnsupportedFormat(
            path, f"{kind}（可读取：{known}）：请把报告另存为其中一种格式后放入"
        )
    module_name, _ = READERS[suffix]
    module = import_module(f"generator.ingest.{module_name}")
    return module.read, READERS[suffix][1]


def read_document(path: Path, display_path: str | None = None) -> Document:
    """Read one report file into a Document; SourceError if it cannot be read at all."""
    shown = display_path or str(path)
    read, _ = reader_for(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(
            shown, f"无法打开文件（{exc.strerror}）：请检查文件权限后重新放入"
        ) from exc
    if size == 0:
        raise SourceError(shown, "空文件（0 字节）：请放入报告的完整文件")
    if size > MAX_BYTES:
        raise SourceError(
            shown,
            f"文件有 {size // (1024 * 1024)} MB，超过 {MAX_BYTES // (1024 * 1024)} MB 的文件不读取：年度报告不会这么大，请检查是否放错了文件",
        )
    data = path.read_bytes()
    return read(data, shown)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
