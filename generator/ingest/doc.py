"""Legacy Word (.doc) reader: convert to .docx with LibreOffice, then read it as DOCX."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from generator.document import Document
from generator.errors import SourceError

TIMEOUT = 120
"""Seconds LibreOffice may take for one file; a report converts in a few seconds."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Start of an OLE2 compound file, the container of Word 97-2003 documents."""


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, path: str) -> Document:
    from generator.ingest import docx, sha256_of

    if data[:2] == b"PK":
        return docx.read(data, path)  # a .docx saved with the old suffix
    if data[:8] != OLE_MAGIC:
        if data.lstrip()[:5].lower() in (b"<html", b"<!doc", b"<?xml"):
            raise SourceError(
                path,
                "这个 .doc 文件其实是网页或 Word XML，不是 Word 97-2003 文档：请在 Word 或 WPS 中另存为 .docx",
            )
        raise SourceError(
            path,
            "不是 Word 文档（.doc 文件缺少 Word 97-2003 文件头）：请检查文件类型，或另存为 .docx",
        )
    binary = soffice()
    if binary is None:
        raise SourceError(
            path,
            "旧版 .doc 文件需要 LibreOffice 才能读取：请安装 LibreOffice（apt-get install libreoffice-writer-nogui），或把报告另存为 .docx",
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        source = Path(tmp) / "report.doc"
        source.write_bytes(data)
        # a private profile: a second LibreOffice (or the user's) must not block this one
        profile = Path(tmp) / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise SourceError(
                path,
                f"旧版 .doc 文件：LibreOffice 在 {TIMEOUT} 秒内未完成转换，请把报告另存为 .docx",
            ) from exc
        converted = Path(tmp) / "report.docx"
        if result.returncode != 0 or not converted.exists():
            detail = (result.stderr or result.stdout).decode("utf-8", errors="replace").strip()
            raise SourceError(
                path,
                f"旧版 .doc 文件：LibreOffice 无法转换（{detail[:120] or '没有输出'}），请把报告另存为 .docx",
            )
        document = docx.read(converted.read_bytes(), path)
    return replace(document, format="docx", sha256=sha256_of(data))
