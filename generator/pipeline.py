"""The whole flow, in two phases: gather (read, parse, check every report) then write.

    process_report   one file -> Record | Failure: read, parse, correct, a year is required
    load_corpus      every file under reports/ -> Corpus (process_report for each report,
                     through the parse cache and a process pool: generator/batch.py; then
                     namesakes told apart, versions of one report merged, each file's git
                     history attached (generator/sources.py) and reports/agencies.yml read)
    check_corpus_records   Corpus -> Corpus with each record's findings attached
    check_report     one record with its report-rule findings (`nianbao parse`)
    build_site       the above, then render (content/), MkDocs and the search index (site/)
    assemble_corpus, publish_corpus   load_corpus after parsing and build_site after
                     loading: `nianbao merge` (generator/shard.py) gives them what the shards
                     parsed

One bad input costs one report, never the site: anything that goes wrong on the way (an
unreadable file, a parser bug, no year; a rule or a page that raises) makes that report a
Failure with a Chinese reason, and the other reports go on. Nothing is written until every
report is read and checked, and the site is built into a staging folder that replaces site/
only when the build succeeded (generator/staging.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.analysis.timeliness import load_agencies
from generator.batch import PARALLEL_THRESHOLD, Progress, parse_reports
from generator.cache import RecordCache
from generator.corrections import correct_record
from generator.errors import SourceError
from generator.ingest import read_document
from generator.inputs import Inputs, gather_inputs
from generator.memos import loaded_memos
from generator.model import Failure, Finding, Level, Record, bug_failure, count_levels
from generator.model.corpus import Corpus
from generator.model.identity import disambiguate_ids, slugify
from generator.sources import HISTORY_DIR, attach_history
from generator.versions import merge_versions


@dataclass(frozen=True, slots=True)
class Settings:
    project_dir: Path = Path(".")
    reports_dir: Path = Path("reports")
    site_dir: Path = Path("site")
    levels_file: Path | None = None
    """Rule level overrides (generator/check/levels.yml format); None = the packaged ones."""
    cache_dir: Path | None = None
    """Parse and render cache folder (the CLI uses .cache/nianbao in the project); None = none."""

    @property
    def content_dir(self) -> Path:
        return self.project_dir / "content"


@dataclass(frozen=True, slots=True)
class BuildSummary:
    inputs: int
    records: int
    unreadable: int
    findings: dict[Level, int]
    """Failed findings per level."""
    superseded: int = 0
    """Older reports of an agency and year kept as previous versions of the newer record."""
    ignored: int = 0
    """Files skipped on purpose (hidden, backups, not a report format, .nianbaoignore)."""
    list_problems: tuple[str, ...] = ()
    """The problems of reports/agencies.yml, in Chinese (the build prints them)."""


# ---- one report ------------------------------------------------------------------------------


def process_report(path: Path, relative: str) -> Record | Failure:
    """One report file -> its record (parsed, corrected, with a year) or the Failure saying
    why not. Never raises: a parser bug costs this report only."""
    parsed = parse_report((path, relative))
    return parsed if isinstance(parsed, Failure) else finish_report(parsed, path)


def parse_report(task: tuple[Path, str]) -> Record | Failure:
    """Read and parse one file (path, path under reports/) -> its record or Failure; never
    raises (it runs in the process pool's workers, so it takes one picklable argument)."""
    from generator.parse import parse_document

    path, relative = task
    try:
        return parse_document(read_document(path, relative))
    except SourceError as error:
        return Failure(relative, _format(relative), error.reason, stage="read")
    except Exception as error:  # a parser bug must not hide the other reports
        return bug_failure(relative, "parse", "读取或解析", error)


def finish_report(record: Record, path: Path) -> Record | Failure:
    """A parsed record with its corrections sidecar applied; a Failure when it has no year."""
    relative = record.source.file
    try:
        record = correct_record(record, path, relative)
    except Exception as error:  # a bug in applying corrections must not hide other reports
        return bug_failure(relative, "corrections", "应用更正文件", error)
    if record.year is None:
        return Failure(
            relative,
            _format(relative),
            "未能识别报告年度：标题、统计期限和文件名中都没有找到报告年度。请在文件名中写明"
            "年度（如“某某局-2021年报.txt”），或在更正文件 "
            f"{Path(relative).name}.corrections.yml 中加一条 path: year 的更正",
            stage="year",
        )
    return record


def _format(relative: str) -> str:
    return Path(relative).suffix.lstrip(".").lower()


# ---- the corpus ------------------------------------------------------------------------------


def load_corpus(
    reports_dir: Path,
    progress: Progress | None = None,
    *,
    cache_dir: Path | None = None,
    parallel_threshold: int = PARALLEL_THRESHOLD,
    workers: int | None = None,
) -> Corpus:
    """Read, parse and correct every report; bad inputs are listed, never fatal."""
    inputs = gather_inputs(reports_dir)
    cache = RecordCache(cache_dir) if cache_dir is not None else None
    parsed = parse_reports(
        inputs.reports,
        reports_dir,
        parse_report,
        progress,
        cache=cache,
        parallel=parallel_threshold,
        workers=workers,
    )
    if cache_dir is not None:  # the memos are kept only with a cache (generator/memos.py)
        for outcome in parsed:
            # into the slug memo also the names parsed in the process pool, so that the
            # next build's new report of a known agency needs no jieba
            if isinstance(outcome, Record) and outcome.agency_name:
                slugify(outcome.agency_name)
    return assemble_corpus(reports_dir, inputs, parsed, cache_dir=cache_dir)


def assemble_corpus(
    reports_dir: Path,
    inputs: Inputs,
    parsed: Sequence[Record | Failure],
    *,
    cache_dir: Path | None = None,
) -> Corpus:
    """The corpus from every report's parse outcome (`parsed`, in the order of
    inputs.reports): corrections applied, namesakes told apart, versions merged, history
    attached. `nianbao merge` calls it with the outcomes the shards parsed
    (generator/shard.py)."""
    cache = RecordCache(cache_dir) if cache_dir is not None else None
    finished = [
        outcome if isinstance(outcome, Failure) else finish_report(outcome, path)
        for path, outcome in zip(inputs.reports, parsed, strict=True)
    ]
    records = disambiguate_ids([r for r in finished if isinstance(r, Record)])
    failures = [*inputs.failures, *(f for f in finished if isinstance(f, Failure))]
    kept, superseded = merge_versions(records)
    as_parsed = {o.source.file: o for o in parsed if isinstance(o, Record)}
    history = attach_history(
        kept,
        as_parsed,
        reports_dir,
        parse_report,
        cache,
        cache_dir / HISTORY_DIR if cache_dir is not None else None,
    )
    return Corpus(
        records=history.records,
        failures=tuple(sorted(failures, key=lambda f: f.file)),
        superseded=tuple(superseded),
        sources={r.key: reports_dir / r.source.file for r in kept},
        first_seen=history.first_seen,
        history=history.state,
        agencies=load_agencies(reports_dir),
    )


def check_corpus_records(
    corpus: Corpus, levels_file: Path | None, *, cache_dir: Path | None = None
) -> Corpus:
    """The corpus with every record's findings attached (Record.checks): the one place
    findings are attached. A record on which a rule raises is taken off the corpus and
    listed; the others are checked again without it. cache_dir: the build's cache folder,
    which keeps the records' report findings (generator/check/memo.py)."""
    from generator.check import check_corpus, load_levels

    levels = load_levels(levels_file)
    while True:
        faults: dict[str, Failure] = {}
        findings = check_corpus(
            corpus.records, levels, on_fault=partial(_check_fault, faults), cache_dir=cache_dir
        )
        if not faults:
            break
        corpus = corpus.without(faults)
    records = tuple(_with_findings(r, findings.get(r.key, ())) for r in corpus.records)
    return dataclasses.replace(corpus, records=records)


def check_report(record: Record, levels_file: Path | None = None) -> Record:
    """One record with the findings of the report rules attached (`nianbao parse`: the
    corpus rules need the agency's other years)."""
    from generator.check import check_record, load_levels

    return _with_findings(record, check_record(record, load_levels(levels_file)))


def _with_findings(record: Record, findings: Iterable[Finding]) -> Record:
    return dataclasses.replace(record, checks=tuple(findings))


def _check_fault(
    faults: dict[str, Failure], record: Record, rule_id: str, error: BaseException
) -> None:
    faults.setdefault(
        record.key, bug_failure(record.source.file, "check", f"检查合规（规则 {rule_id}）", error)
    )


# ---- the site --------------------------------------------------------------------------------


def build_site(settings: Settings, progress: Progress | None = None) -> BuildSummary:
    """reports/ -> records -> findings -> Markdown in content/ -> HTML in site/."""
    from generator.staging import recover_site

    site_dir = settings.site_dir.resolve()
    recover_site(site_dir)  # what a killed build left, before anything else
    with loaded_memos(settings.cache_dir):
        # Phase 1: gather. Nothing is written until every report is read and checked.
        # (passed on, not kept here: publish_corpus lets the records' memory go before MkDocs)
        return publish_corpus(
            settings, load_corpus(settings.reports_dir, progress, cache_dir=settings.cache_dir)
        )


def publish_corpus(settings: Settings, corpus: Corpus) -> BuildSummary:
    """A loaded corpus -> findings -> Markdown in content/ -> HTML in site/ (build_site's
    second half; `nianbao merge` loads the corpus from the shards instead)."""
    from generator.check import RULES
    from generator.render import render_site
    from generator.site import build_mkdocs, portal_url, sources_url
    from generator.staging import staged_site

    site_dir = settings.site_dir.resolve()
    corpus = check_corpus_records(corpus, settings.levels_file, cache_dir=settings.cache_dir)
    # Phase 2: write Markdown (a report whose pages cannot be made is listed, not fatal),
    # then build into a staging folder and swap it in.
    faults = render_site(
        corpus,
        RULES,
        settings.content_dir,
        cache_dir=settings.cache_dir,
        base_url=portal_url(settings.project_dir),
        sources_url=sources_url(settings.project_dir),
    ).faults
    corpus = corpus.without({fault.record_id: fault.failure for fault in faults})
    summary = summarize(corpus)
    del corpus  # MkDocs holds every page in memory: let it reuse the records' memory
    with staged_site(site_dir) as staging:
        build_mkdocs(settings.project_dir, staging, previous=site_dir, cache_dir=settings.cache_dir)
    return summary


def summarize(corpus: Corpus) -> BuildSummary:
    return BuildSummary(
        corpus.inputs,
        len(corpus.records),
        len(corpus.unreadable),
        count_levels(f for record in corpus.records for f in record.checks),
        len(corpus.superseded),
        len(corpus.ignored),
        tuple(p.message for p in corpus.agencies.problems) if corpus.agencies else (),
    )
