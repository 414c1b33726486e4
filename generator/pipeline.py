"""The whole flow, in two phases: gather (read, parse, check every report) then write.

Nothing is written until every report has been read and checked, and the site is built into
a temporary folder that replaces `site/` only when the build succeeded, so a failed build
leaves the previous site intact.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import NianbaoError, SourceError
from generator.ingest import is_report_file
from generator.parse import parse_file


@dataclass(frozen=True, slots=True)
class Settings:
    project_dir: Path = Path(".")
    reports_dir: Path = Path("reports")
    site_dir: Path = Path("site")
    levels_file: Path | None = None
    """Rule level overrides (generator/check/levels.yml format); None = the defaults."""

    @property
    def content_dir(self) -> Path:
        return self.project_dir / "content"


@dataclass
class Corpus:
    """Everything gathered in phase 1."""

    records: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    """Inputs that did not become a record: {file, reason, format}."""
    sources: dict[str, Path] = field(default_factory=dict)
    """record id -> the report file it came from."""
    inputs: int = 0


def find_reports(reports_dir: Path) -> list[Path]:
    """Every candidate report file under reports_dir, in a stable order."""
    if not reports_dir.is_dir():
        raise NianbaoError(f"reports folder '{reports_dir}' does not exist: create it and put report files in it")
    return sorted((p for p in reports_dir.rglob("*") if p.is_file() and is_report_file(p)), key=lambda p: p.as_posix())


def load_corpus(reports_dir: Path, progress: Callable | None = None) -> Corpus:
    """Read and parse every report; unreadable inputs are collected, never fatal."""
    corpus = Corpus()
    paths = find_reports(reports_dir)
    corpus.inputs = len(paths)
    by_id: dict[str, dict] = {}
    for path in progress(paths) if progress else paths:
        relative = path.relative_to(reports_dir).as_posix()
        try:
            record = parse_file(path, relative)
        except SourceError as error:
            corpus.failures.append({"file": relative, "reason": error.reason, "format": path.suffix.lstrip(".").lower()})
            continue
        except Exception as error:  # a parser bug must not hide the other reports
            corpus.failures.append({"file": relative, "reason": f"parser error ({type(error).__name__}: {error}); please report it",
                                    "format": path.suffix.lstrip(".").lower()})
            continue
        kept = by_id.get(record["id"])
        if kept is None:
            by_id[record["id"]] = record
            corpus.sources[record["id"]] = path
            continue
        newer, older = (record, kept) if _is_newer(record, kept) else (kept, record)
        by_id[record["id"]] = newer
        corpus.sources[record["id"]] = reports_dir / newer["source"]["file"]
        corpus.failures.append({
            "file": older["source"]["file"],
            "reason": f"superseded: same agency and year as {newer['source']['file']}, which is newer",
            "format": older["source"]["format"],
        })
    corpus.records = [by_id[key] for key in sorted(by_id)]
    corpus.failures.sort(key=lambda f: f["file"])
    return corpus


def _is_newer(candidate: dict, current: dict) -> bool:
    """Newer by publication date, then by file name (a later upload sorts later)."""
    return (candidate["published"] or "", candidate["source"]["file"]) > (current["published"] or "", current["source"]["file"])


def check_corpus_records(corpus: Corpus, levels_file: Path | None) -> dict[str, list[dict]]:
    from generator.check import check_corpus, load_levels

    findings = check_corpus(corpus.records, load_levels(levels_file))
    for record in corpus.records:
        record["checks"] = findings.get(record["id"], [])
    return findings


@dataclass(frozen=True, slots=True)
class BuildSummary:
    inputs: int
    records: int
    unreadable: int
    findings: dict[str, int]


def build_site(settings: Settings, progress: Callable | None = None) -> BuildSummary:
    """reports/ -> records -> findings -> Markdown in content/ -> HTML in site/."""
    from generator.check import RULES
    from generator.render import render_site
    from generator.site import build_mkdocs

    # Phase 1: gather. Nothing is written until every report is read and checked.
    corpus = load_corpus(settings.reports_dir, progress)
    findings = check_corpus_records(corpus, settings.levels_file)
    # Phase 2: write Markdown, then build into a temporary folder and swap it in.
    render_site(corpus.records, findings, corpus.failures, RULES, settings.content_dir, corpus.sources)
    site_dir = settings.site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    try:
        build_mkdocs(settings.project_dir, staging)
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summarize(corpus, findings)


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def summarize(corpus: Corpus, findings: dict[str, list[dict]]) -> BuildSummary:
    from generator.check import count_levels

    counts = count_levels(f for items in findings.values() for f in items)
    return BuildSummary(corpus.inputs, len(corpus.records), len(corpus.failures), counts)
