"""The whole flow, in two phases: gather (read, parse, check every report) then write.

Nothing is written until every report has been read and checked, and the site is built into
a temporary folder that replaces `site/` only when the build succeeded, so a failed or
interrupted build leaves the previous site intact.

One bad input costs one report, never the site. Gathering sorts every file under reports/
(generator/inputs.py: reports, sidecars, ignored files), then processes each report:

    process_report = read + parse (from the parse cache when unchanged; in a process pool
                     when many need parsing) -> corrections sidecar -> a year is required

and anything that goes wrong on the way (an unreadable file, a parser bug, no year) makes that
report a Failure with a Chinese reason; the other reports go on. Reports of one agency and
year at one place are then merged (generator/versions.py): the newest is the record, the older
ones its previous_versions. Check and render isolate faults the same way. Every input is a
record, a superseded version, or a Failure (unreadable or ignored).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from generator.cache import RecordCache, file_sha256
from generator.corrections import correct_record
from generator.errors import NianbaoError, SourceError
from generator.ingest import MAX_BYTES
from generator.inputs import gather_inputs
from generator.model import Failure
from generator.model.failure import bug_failure
from generator.model.identity import disambiguate_ids
from generator.versions import merge_versions

PARALLEL_THRESHOLD = 50
"""More uncached reports than this are parsed in a process pool (same records, same order)."""


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
    failures: list[Failure] = field(default_factory=list)
    """Inputs that did not become a record (unreadable) and files skipped on purpose
    (ignored), sorted by file."""
    superseded: list[dict] = field(default_factory=list)
    """Older reports for the same agency and year, kept in the newer record's previous_versions:
    {file, format, id, superseded_by}. inputs = records + failures + superseded."""
    sources: dict[str, Path] = field(default_factory=dict)
    """record id -> the report file it came from."""
    inputs: int = 0

    @property
    def unreadable(self) -> list[Failure]:
        return [f for f in self.failures if f.kind == "unreadable"]

    @property
    def ignored(self) -> list[Failure]:
        return [f for f in self.failures if f.kind == "ignored"]

    def drop(self, failures: Iterable[tuple[str, Failure]]) -> None:
        """Take the records with these ids off the corpus, listing each as its Failure."""
        by_id = dict(failures)
        if not by_id:
            return
        self.records = [r for r in self.records if r["id"] not in by_id]
        self.failures = sorted([*self.failures, *by_id.values()], key=lambda f: f.file)
        for record_id in by_id:
            self.sources.pop(record_id, None)


def load_corpus(
    reports_dir: Path,
    progress: Callable | None = None,
    *,
    cache_dir: Path | None = None,
    parallel_threshold: int = PARALLEL_THRESHOLD,
    workers: int | None = None,
) -> Corpus:
    """Read, parse and correct every report; bad inputs are listed, never fatal."""
    inputs = gather_inputs(reports_dir)
    parsed = parse_reports(
        inputs.reports,
        reports_dir,
        progress,
        cache=RecordCache(cache_dir) if cache_dir is not None else None,
        parallel=parallel_threshold,
        workers=workers,
    )
    records: list[dict] = []
    failures = list(inputs.failures)
    for path, outcome in zip(inputs.reports, parsed, strict=True):
        result = outcome if isinstance(outcome, Failure) else finish_report(outcome, path)
        (failures if isinstance(result, Failure) else records).append(result)
    disambiguate_ids(records)
    corpus = Corpus(failures=sorted(failures, key=lambda f: f.file))
    corpus.records, corpus.superseded = merge_versions(records)
    corpus.sources = {r["id"]: reports_dir / r["source"]["file"] for r in corpus.records}
    corpus.inputs = len(corpus.records) + len(corpus.failures) + len(corpus.superseded)
    return corpus


def finish_report(record: dict, path: Path) -> dict | Failure:
    """A parsed record with its corrections sidecar applied; a Failure when it has no year."""
    relative = record["source"]["file"]
    try:
        record = correct_record(record, path, relative)
    except Exception as error:  # a bug in applying corrections must not hide other reports
        return _bug(relative, "corrections", "应用更正文件", error)
    if record.get("year") is None:
        return Failure(
            relative,
            _format(relative),
            "未能识别报告年度：标题、统计期限和文件名中都没有找到报告年度。请在文件名中写明"
            "年度（如“某某局-2021年报.txt”），或在更正文件 "
            f"{Path(relative).name}.corrections.yml 中加一条 path: year 的更正",
            stage="year",
        )
    return record


def process_report(path: Path, relative: str) -> dict | Failure:
    """One report file -> its record (parsed, corrected, with a year) or the Failure saying
    why not. Never raises: a parser bug costs this report only."""
    outcome = parse_one((path, relative))
    return outcome if isinstance(outcome, Failure) else finish_report(outcome, path)


def parse_one(task: tuple[Path, str]) -> dict | Failure:
    """The parsed record of one file, or its Failure; never raises (runs in workers)."""
    import generator.parse

    path, relative = task
    try:
        return generator.parse.parse_file(path, relative)
    except SourceError as error:
        return Failure(relative, _format(relative), error.reason, stage="read")
    except Exception as error:  # a parser bug must not hide the other reports
        return _bug(relative, "parse", "读取或解析", error)


def _bug(relative: str, stage: str, doing: str, error: BaseException) -> Failure:
    return bug_failure(relative, stage, doing, error)


def _format(relative: str) -> str:
    return Path(relative).suffix.lstrip(".").lower()


def parse_reports(
    paths: list[Path],
    reports_dir: Path,
    progress: Callable | None = None,
    *,
    cache: RecordCache | None = None,
    parallel: int = PARALLEL_THRESHOLD,
    workers: int | None = None,
) -> list[dict | Failure]:
    """parse_one for every path (in order), through the parse cache and, when more than
    `parallel` files need parsing, a process pool; the progress bar advances per report."""
    relatives = [path.relative_to(reports_dir).as_posix() for path in paths]
    outcomes: dict[int, dict | Failure] = {}
    hashes: dict[int, str] = {}
    pending: list[int] = []
    for index, path in enumerate(paths):
        sha = _cacheable_sha256(path) if cache else None
        cached = cache.get(sha, relatives[index]) if cache and sha else None
        if cached is not None:
            outcomes[index] = cached
        else:
            pending.append(index)
            if sha:
                hashes[index] = sha
    parsed = _parse_all(
        [(paths[i], relatives[i]) for i in pending],
        progress,
        done=len(outcomes),
        total=len(paths),
        parallel=len(pending) > parallel,
        workers=workers,
    )
    for index, outcome in zip(pending, parsed, strict=True):
        outcomes[index] = outcome
        # cache only what was parsed from the bytes hashed (not a file changed meanwhile)
        if cache and isinstance(outcome, dict) and outcome["source"]["sha256"] == hashes.get(index):
            cache.put(hashes[index], relatives[index], outcome)
    return [outcomes[index] for index in range(len(paths))]


def _cacheable_sha256(path: Path) -> str | None:
    """The file's sha256, or None when the reader will refuse it anyway (empty, too large)."""
    try:
        size = path.stat().st_size
        return file_sha256(path) if 0 < size <= MAX_BYTES else None
    except OSError:
        return None


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
) -> list[dict | Failure]:
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
    """Findings of every record (attached as record["checks"]). A record on which a rule
    raises is taken off the corpus and listed; the others are checked again without it."""
    from generator.check import check_corpus, load_levels
    from generator.model import Record

    levels = load_levels(levels_file)
    while True:
        faults: dict[str, Failure] = {}
        typed = [Record.from_dict(record) for record in corpus.records]
        found = check_corpus(typed, levels, on_fault=partial(_check_fault, faults))
        if not faults:
            break
        corpus.drop(faults.items())
    findings = {rid: [f.to_dict() for f in items] for rid, items in found.items()}
    for record in corpus.records:
        record["checks"] = findings.get(record["id"], [])
    return findings


def _check_fault(faults: dict[str, Failure], record: Any, rule_id: str, error: Exception) -> None:
    faults.setdefault(
        record.key, _bug(record.source.file, "check", f"检查合规（规则 {rule_id}）", error)
    )


@dataclass(frozen=True, slots=True)
class BuildSummary:
    inputs: int
    records: int
    unreadable: int
    findings: dict[str, int]
    superseded: int = 0
    """Older reports of an agency and year kept as previous versions of the newer record."""
    ignored: int = 0
    """Files skipped on purpose (hidden, backups, not a report format, .nianbaoignore)."""


def build_site(settings: Settings, progress: Callable | None = None) -> BuildSummary:
    """reports/ -> records -> findings -> Markdown in content/ -> HTML in site/."""
    from generator.check import RULES
    from generator.render import render_site
    from generator.site import build_mkdocs

    site_dir = settings.site_dir.resolve()
    recover_site(site_dir)
    # Phase 1: gather. Nothing is written until every report is read and checked.
    corpus = load_corpus(settings.reports_dir, progress, cache_dir=settings.cache_dir)
    findings = check_corpus_records(corpus, settings.levels_file)
    # Phase 2: write Markdown (a report whose pages cannot be made is listed, not fatal),
    # then build into a temporary folder and swap it in.
    faults = render_site(
        corpus.records,
        findings,
        corpus.failures,
        RULES,
        settings.content_dir,
        corpus.sources,
        cache_dir=settings.cache_dir,
    ).faults
    corpus.drop((fault.record_id, fault.failure) for fault in faults)
    summary = summarize(corpus, {r["id"]: findings.get(r["id"], []) for r in corpus.records})
    del corpus, findings  # MkDocs holds every page in memory: let it reuse the records' memory
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site_dir.parent))
    # mkdtemp makes a private (0700) folder; it becomes site/, which a web server must read.
    staging.chmod(0o755)
    try:
        with _terminate_as_interrupt():
            build_mkdocs(settings.project_dir, staging)
            _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


STAGING_PREFIX = ".site-build-"


class BuildInterrupted(NianbaoError):
    """SIGTERM during the build (a cancelled CI job): stopped cleanly, previous site kept."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises BuildInterrupted, so the staging folder is removed and site/ is left as
    it was (the default action would kill the process mid-write). Main thread only."""

    def stop(signum: int, frame: Any) -> None:
        raise BuildInterrupted(
            "构建被中止（收到 SIGTERM）：已保留上一次构建的网站，下次构建会重新生成"
        )

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def recover_site(site_dir: Path) -> None:
    """Undo what an interrupted build left: staging folders, and a site/ moved aside (a kill
    between the two renames of _swap) is put back."""
    parent = site_dir.parent
    if not parent.is_dir():
        return
    for stale in parent.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    old = site_dir.with_name(site_dir.name + ".old")
    if old.is_dir() and not site_dir.exists():
        old.rename(site_dir)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


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
        corpus.inputs,
        len(corpus.records),
        len(corpus.unreadable),
        counts,
        len(corpus.superseded),
        len(corpus.ignored),
    )
