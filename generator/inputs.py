"""Gather: the files under reports/ sorted into reports, corrections sidecars and ignored files.

One walk of the folder. Nothing is skipped in silence: every file is a report (read later), a
corrections sidecar (applied to its report, or listed when its report is missing), or an
ignored file listed with the reason (hidden files and folders, editor backups and lock files,
file types that are not reports, and what `.nianbaoignore` excludes). The folder's configuration
files (`.nianbaoignore`, `agencies.yml`, at its top) are none of these. A file in a document or
format no reader handles yet (`.wps`, `.ofd`, `.xlsx`) is a report
the portal could not read: it is listed as unreadable, so `nianbao check --fail-on error`
catches it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

from generator.corrections import report_of
from generator.errors import NianbaoError
from generator.ingest import READERS
from generator.model import Failure

IGNORE_FILE = ".nianbaoignore"
"""gitignore syntax, at the top of the reports folder: files a maintainer excludes on purpose."""
AGENCIES_FILE = "agencies.yml"
"""The agencies expected to report (optional, at the top of the reports folder; read and
checked by generator/analysis/timeliness.py, its problems shown by the build and `nianbao
check`)."""
CONFIG_FILES = frozenset({IGNORE_FILE, AGENCIES_FILE})
"""The reports folder's own configuration: neither a report nor an ignored file."""

# Formats agencies publish reports in that no reader handles (yet): unreadable, not ignored.
DOCUMENT_SUFFIXES = {
    ".wps": "WPS 文字",
    ".ofd": "OFD 版式文件",
    ".rtf": "RTF",
    ".odt": "OpenDocument 文本",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".et": "WPS 表格",
    ".caj": "CAJ",
    ".bmp": "图片",
    ".zip": "压缩包",
    ".rar": "压缩包",
    ".7z": "压缩包",
}
BACKUP_SUFFIXES = (".swp", ".swo", ".bak", ".tmp", ".orig", ".crdownload", ".part")
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}


@dataclass
class Inputs:
    reports: list[Path] = field(default_factory=list)
    """Files to read as reports, sorted by their POSIX path."""
    failures: list[Failure] = field(default_factory=list)
    """Ignored files and orphan sidecars, known before anything is read."""


def readable_list() -> str:
    return "、".join(sorted(READERS))


def gather_inputs(reports_dir: Path) -> Inputs:
    """Sort every file under reports_dir (one walk; hidden folders are listed, not entered)."""
    if not reports_dir.is_dir():
        raise NianbaoError(f"报告文件夹 '{reports_dir}' 不存在：请创建它并放入年度报告文件")
    spec = _ignore_spec(reports_dir)
    inputs = Inputs()
    files: list[tuple[str, Path]] = []
    for top, dirs, names in os.walk(reports_dir):
        here = Path(top)
        for name in sorted(dirs):
            rel = (here / name).relative_to(reports_dir).as_posix()
            if name.startswith("."):
                inputs.failures.append(
                    Failure(
                        rel + "/", "folder", "隐藏文件夹，未读取其中的文件", "ignored", "ignore"
                    )
                )
            elif spec is not None and spec.match_file(rel + "/"):
                inputs.failures.append(
                    Failure(rel + "/", "folder", f"按 {IGNORE_FILE} 排除", "ignored", "ignore")
                )
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not (
                spec is not None
                and spec.match_file((here / d).relative_to(reports_dir).as_posix() + "/")
            )
        )
        for name in names:
            path = here / name
            files.append((path.relative_to(reports_dir).as_posix(), path))
    files.sort()
    present = {rel for rel, _ in files}
    for rel, path in files:
        if rel in CONFIG_FILES:
            continue
        reason = _ignored_reason(rel, spec)
        if reason is not None:
            fmt = PurePosixPath(rel).suffix.lstrip(".").lower()
            inputs.failures.append(Failure(rel, fmt, reason, "ignored", "ignore"))
            continue
        report = report_of(path)
        if report is not None:
            report_rel = report.relative_to(reports_dir).as_posix()
            if report_rel not in present or _ignored_reason(report_rel, spec) is not None:
                inputs.failures.append(
                    Failure(
                        rel,
                        "corrections",
                        f"更正文件找不到对应的报告：{report_rel} 不存在。"
                        "请把更正文件与报告一起改名，或删除它",
                        "unreadable",
                        "corrections",
                    )
                )
            continue
        inputs.reports.append(path)
    return inputs


def _ignore_spec(reports_dir: Path) -> pathspec.GitIgnoreSpec | None:
    ignore = reports_dir / IGNORE_FILE
    if not ignore.is_file():
        return None
    try:
        lines = ignore.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise NianbaoError(
            f"{ignore}: 无法读取（{error}）；请把它保存为 UTF-8 文本（gitignore 语法）"
        ) from error
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored_reason(rel: str, spec: pathspec.GitIgnoreSpec | None) -> str | None:
    """Why a file is not a report, or None when it should be read as one."""
    name = PurePosixPath(rel).name
    lower = name.lower()
    suffix = PurePosixPath(lower).suffix
    if spec is not None and spec.match_file(rel):
        return f"按 {IGNORE_FILE} 排除"
    if name.startswith("."):
        return "隐藏文件，不作为报告读取"
    if name.startswith("~$"):
        return "Office 临时锁文件（文档正在编辑时产生），不作为报告读取"
    if name.endswith("~") or (name.startswith("#") and name.endswith("#")):
        return "编辑器备份文件，不作为报告读取"
    if suffix in BACKUP_SUFFIXES:
        return f"备份或临时文件（{suffix}），不作为报告读取"
    if lower in SYSTEM_FILES:
        return "系统文件，不作为报告读取"
    if report_of(Path(name)) is not None:
        return None  # a corrections sidecar
    if suffix in READERS or suffix in DOCUMENT_SUFFIXES:
        return None
    if not suffix:
        return (
            "文件没有扩展名，不作为报告读取；如果它是年度报告，"
            f"请按格式加上扩展名（可读取：{readable_list()}）"
        )
    return (
        f"不是年度报告的文件格式（{suffix}），不作为报告读取；"
        f"年度报告请使用以下格式之一：{readable_list()}"
    )
