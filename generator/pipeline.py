"""The whole flow, in two phases: gather (read, parse, check every report) then write.

Nothing is written until every report has been read and checked, and the site is built into
a temporary folder that replaces `site/` only when the build succeeded, so a failed build
leaves the previous site intact.

Gathering a report: its parse (from the parse cache, generator/cache.py, when the file and the
parser are unchanged; parsed in a process pool when many files need parsing), then its
corrections sidecar (generator/corrections.py; an invalid sidecar makes the report an
unreadable input, so nothing wrong is published), then reports of the same agency and year
are merged: the newest is the record, the older ones its previous_versions
(generator/versions.py). Every input is a record, a failure, or a superseded version.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache import RecordCache, file_sha256
from generator.corrections import CorrectionError, correct_record, report_of
from generator.errors import NianbaoError, SourceError
from generator.ingest import MAX_BYTES, is_report_file, needs_ocr
from generator.versions import merge_versions

PARALLEL_THRESHOLD = 50
"""More uncached reports than this are parsed in a process pool (same records, same order)."""
OCR_WEIGHT = 30
"""A scan read by OCR (seconds a page) counts as this many text reports (milliseconds) toward
PARALLEL_THRESHOLD: two or more scans are read in parallel."""


@dataclass(frozen=True, slots=True)
class Settings:
    project_dir: Path = Path(".")
    reports_dir: Path = Path("reports")
    site_dir: Path = Path("site")
    levels_file: Path | None = None
    """Rule level overrides (generator/check/levels.yml format); None = the defaults."""
    cache_dir: Path | None = None
    """Parse and render cache folder (the CLI uses .cache/nianbao in the project); None = none."""

    @property
    def content_dir(self) -> Path:
        return self.project_dir / "content"


@dataclass
class Corpus:
    """Everything gathered in phase 1."""

    records: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    """Inputs that did not become a record: {file, reason, format}."""
    superseded: list[dict] = field(default_factory=list)
    """Older reports for the same agency and year, kept in the newer record's previous_versions:
    {file, format, id, superseded_by}. inputs = records + failures + superseded."""
    sources: dict[str, Path] = field(default_factory=dict)
    """record id -> the report file it came from."""
    inputs: int = 0


def _input_files(reports_dir: Path) -> list[Path]:
    """Every file under reports_dir, in a stable order (one walk for reports and sidecars)."""
    if not reports_dir.is_dir():
        raise NianbaoError(
            f"reports folder '{reports_dir}' does not exist: create it and put report files in it"
        )
    return sorted((p for p in reports_dir.rglob("*") if p.is_file()), key=lambda p: p.as_posix())


def load_corpus(
    reports_dir: Path,
    progress: Callable | None = None,
    *,
    cache_dir: Path | None = None,
    parallel_threshold: int = PARALLEL_THRESHOLD,
    workers: int | None = None,
) -> Corpus:
    """Read and parse every report; unreadable inputs are collected, never fatal.

    Per file: parse (or take the cached parse), then apply its corrections sidecar. Then the
    reports of one agency and year are merged: the newest is the record, the older ones its
    previous_versions (and counted in corpus.superseded).
    """
    corpus = Corpus()
    files = _input_files(reports_dir)
    paths = [p for p in files if is_report_file(p)]
    corpus.inputs = len(paths)
    relatives = [path.relative_to(reports_dir).as_posix() for path in paths]
    cache = RecordCache(cache_dir) if cache_dir is not None else None
    outcomes: dict[int, tuple[str, object]] = {}
    hashes: dict[int, str] = {}
    pending: list[int] = []
    for index, path in enumerate(paths):
        sha = _cacheable_sha256(path) if cache else None
        cached = cache.get(sha, relatives[index]) if cache and sha else None
        if cached is not None:
            outcomes[index] = ("record", cached)
        else:
            pending.append(index)
            if sha:
                hashes[index] = sha
    parsed = _parse_all(
        [(paths[i], relatives[i]) for i in pending],
        progress,
        done=len(outcomes),
        total=len(paths),
        parallel=sum(OCR_WEIGHT if needs_ocr(paths[i]) else 1 for i in pending)
        > parallel_threshold,
        workers=workers,
    )
    for index, outcome in zip(pending, parsed, strict=True):
        outcomes[index] = outcome
        # cache only what was parsed from the bytes hashed (not a file changed meanwhile)
        if cache and outcome[0] == "record" and outcome[1]["source"]["sha256"] == hashes.get(index):
            cache.put(hashes[index], relatives[index], outcome[1])
    records = []
    for index, path in enumerate(paths):
        kind, value = outcomes[index]
        fmt = path.suffix.lstrip(".").lower()
        if kind == "failure":
            corpus.failures.append({"file": relatives[index], "reason": value, "format": fmt})
            continue
        try:
            records.append(correct_record(value, path, relatives[index]))
        except CorrectionError as error:
            corpus.failures.append(
                {
                    "file": relatives[index],
                    "reason": f"corrections not applied: {error}",
                    "format": fmt,
                }
            )
    for sidecar, report in orphan_sidecars(files):
        # Its report was renamed or removed: the corrections would silently stop applying.
        corpus.inputs += 1
        corpus.failures.append(
            {
                "file": sidecar.relative_to(reports_dir).as_posix(),
                "format": "corrections",
                "reason": (
                    f"corrections file without its report: "
                    f"{report.relative_to(reports_dir).as_posix()} does not exist; rename "
                    "the corrections file with its report, or delete it"
                ),
            }
        )
    corpus.records, corpus.superseded = merge_versions(records)
    corpus.sources = {r["id"]: reports_dir / r["source"]["file"] for r in corpus.records}
    corpus.failures.sort(key=lambda f: f["file"])
    return corpus


def orphan_sidecars(files: list[Path]) -> list[tuple[Path, Path]]:
    """(sidecar, its missing report) for each corrections sidecar among files whose report
    is not there."""
    pairs = ((p, report_of(p)) for p in files)
    return [
        (sidecar, report)
        for sidecar, report in pairs
        if report is not None and not report.is_file()
    ]


def _cacheable_sha256(path: Path) -> str | None:
    """The file's sha256, or None when the reader will refuse it anyway (empty, too large)."""
    try:
        size = path.stat().st_size
        return file_sha256(path) if 0 < size <= MAX_BYTES else None
    except OSError:
        return None


def parse_one(task: tuple[Path, str]) -> tuple[str, object]:
    """("record", record) or ("failure", reason) for one file; never raises (runs in workers)."""
    import generator.parse

    path, relative = task
    try:
        return "record", generator.parse.parse_file(path, relative)
    except SourceError as error:
        return "failure", error.reason
    except Exception as error:  # a parser bug must not hide the other reports
        return "failure", f"parser error ({type(error).__name__}: {error}); please report it"


class _Counted:
    """An iterator with a length, so a progress bar (tqdm) knows the total."""

    def __init__(self, items, length: int) -> None:
        self._items, self._length = items, length

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return self._length


def _parse_all(
    tasks: list[tuple[Path, str]],
    progress: Callable | None,
    *,
    done: int,
    total: int,
    parallel: bool,
    workers: int | None,
) -> list[tuple[str, object]]:
    """Outcomes in task order, serially or in a process pool; progress advances per report."""

    def advance(results):
        counted = _Counted(itertools.chain(itertools.repeat(None, done), results), total)
        for item in progress(counted) if progress else counted:
            if item is not None:
                yield item

    if not tasks:
        list(advance(iter(())))
        return []
    if parallel:
        count = workers or os.cpu_count() or 1
        chunksize = max(1, len(tasks) // (count * 4))
        try:
            with ProcessPoolExecutor(max_workers=count) as pool:
                return list(advance(pool.map(parse_one, tasks, chunksize=chunksize)))
        except (OSError, BrokenProcessPool):
            pass  # no process pool here (sandbox, killed worker): parse serially instead
    return list(advance(parse_one(task) for task in tasks))


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
    superseded: int = 0
    """Older reports of an agency and year kept as previous versions of the newer record."""


def build_site(settings: Settings, progress: Callable | None = None) -> BuildSummary:
    """reports/ -> records -> findings -> Markdown in content/ -> HTML in site/."""
    from generator.check import RULES
    from generator.render import render_site
    from generator.site import build_mkdocs

    # Phase 1: gather. Nothing is written until every report is read and checked.
    corpus = load_corpus(settings.reports_dir, progress, cache_dir=settings.cache_dir)
    findings = check_corpus_records(corpus, settings.levels_file)
    # Phase 2: write Markdown, then build into a temporary folder and swap it in.
    render_site(
        corpus.records,
        findings,
        corpus.failures,
        RULES,
        settings.content_dir,
        corpus.sources,
        cache_dir=settings.cache_dir,
    )
    summary = summarize(corpus, findings)
    del corpus, findings  # MkDocs holds every page in memory: let it reuse the records' memory
    site_dir = settings.site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    # mkdtemp makes a private (0700) folder; it becomes site/, which a web server must read.
    staging.chmod(0o755)
    try:
        build_mkdocs(settings.project_dir, staging)
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


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
    return BuildSummary(
        corpus.inputs, len(corpus.records), len(corpus.failures), counts, len(corpus.superseded)
    )
