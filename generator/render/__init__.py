"""Render stage: the corpus (records with their findings) and the rules -> Markdown pages
and data files under content/.

`render_site` writes each page as it is rendered (unchanged files are not rewritten; the
whole-corpus downloads are written record by record) and at the end deletes what the
previous run generated and this one did not. Output is deterministic: the same input gives
byte-identical files.

With a cache_dir, each report's page, YAML, JSON and CSV rows and each agency page come from
the render cache (generator/render/memo.py) when exactly their inputs are unchanged, so adding
one report to a large corpus renders one report page and one agency page; the cross-report
pages (indexes, regions, years, compliance, feeds, whole-corpus downloads) are made afresh
every time from those pieces.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TextIO, TypeVar

import jinja2
from markupsafe import Markup

from generator import record as spec
from generator.analysis.promises import YearLedger, ledgers_from_json, ledgers_to_json
from generator.errors import NianbaoError
from generator.model import LEVELS, Failure, Record, bug_failure
from generator.model.corpus import Corpus
from generator.pool import made_in_processes, pays_to_fork
from generator.render import (
    analyses,
    compliance,
    downloads,
    feeds,
    indexes,
    pages,
    regions,
    reports,
    tables,
)
from generator.render.catalog import Agency, Catalog, build_catalog
from generator.render.environment import make_environment
from generator.render.memo import (
    ARTEFACTS,
    RenderCache,
    agency_key,
    artefact_key,
)
from generator.render.output import ContentWriter, validate_record_id, validate_rule_id

if TYPE_CHECKING:
    from generator.check.rule import Rule

__all__ = ["render_site"]


@dataclass(frozen=True, slots=True)
class RenderFault:
    """A record whose pages could not be made: nothing of it is published, it is listed."""

    record_id: str
    failure: Failure


@dataclass(frozen=True, slots=True)
class RenderResult:
    paths: list[Path]
    """Every generated file, sorted."""
    faults: list[RenderFault]


def render_site(
    corpus: Corpus,
    rules: Sequence[Rule],
    content_dir: Path,
    *,
    cache_dir: Path | None = None,
    base_url: str | None = None,
    sources_url: str | None = None,
) -> RenderResult:
    """Write the portal's Markdown pages and downloads into content_dir, from the corpus
    (its records with their findings, its failures, the source files) and the rules.

    A report whose page (or whose agency's page) raises while being made is left out of every
    page and download and returned as a fault (listed on the unreadable page); only problems
    of the site itself (templates, the disk) raise. cache_dir: the render cache's parent
    folder (the build uses .cache/nianbao); None = none. base_url: the portal's absolute
    address for the 引用本报告 boxes (generator/site.py portal_url); None = page paths.
    sources_url: the reports folder's address in the portal's repository (site.sources_url):
    the report pages link their sources there and no copy is written; None = copies."""
    records = corpus.records
    for record in records:
        validate_record_id(record.id)
    ids = [r.key for r in records]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise NianbaoError(f"duplicate record ids: {', '.join(dupes)}")
    for rule in rules:
        validate_rule_id(rule.id)
    rule_titles = {rule.id: str(rule.title) for rule in rules}
    env = make_environment(
        bytecode_dir=Path(cache_dir) / JINJA_CACHE if cache_dir is not None else None,
        spans=tables.proactive_colspans,
        corner=tables.REQUESTS_CORNER,
        levels=[(level, level.label) for level in LEVELS],
    )
    writer = ContentWriter(Path(content_dir))
    memo = RenderCache(cache_dir) if cache_dir is not None else None
    pages_of = _ReportPages(env, memo, corpus.sources, rule_titles, base_url, sources_url)
    faults: list[RenderFault] = []
    catalog = build_catalog(records)
    pages_of.prefill(catalog)
    with _corpus_streams(writer) as corpus_files:
        for record in catalog.records:
            made = pages_of.write(writer, catalog, record)
            if isinstance(made, RenderFault):
                faults.append(made)
                continue
            corpus_files.add(*pages_of.corpus_rows(catalog, record, made))
    if faults:
        catalog = _without(records, faults)
    agency_faults: list[RenderFault] = []
    ledgers: dict[str, tuple[YearLedger, ...]] = {}
    keys = {
        agency.slug: agency_key(agency.slug, [pages_of.keys[r.key] for r in agency.records])
        for agency in catalog.agencies
        if memo
    }
    to_make = [a for a in catalog.agencies if memo is None or not memo.has(keys[a.slug])]
    in_pool = _Ahead(
        to_make, made_in_processes(lambda a: _agency_artefacts(env, catalog, a, {}), to_make)
    )
    for agency in catalog.agencies:
        try:
            prefilled = in_pool.take(agency)
            made = _cached(
                memo,
                keys.get(agency.slug),
                ("page", "ledger"),
                partial(_given, prefilled)
                if prefilled is not None
                else partial(_agency_artefacts, env, catalog, agency, ledgers),
            )
            if agency.slug not in ledgers:  # a cached page: its ledger came with it
                ledgers[agency.slug] = ledgers_from_json(made["ledger"])
            writer.add(pages.agency_page(agency.slug), made["page"])
        except Exception as error:
            for record in agency.records:
                agency_faults.append(_fault(record, "生成机关页面", error))
                writer.discard(pages_of.paths.get(record.key, ()))
    if agency_faults:
        faults += agency_faults
        catalog = _without(records, faults)
        writer.discard(_CORPUS_STREAMS)  # written with the faulty records: write them again
        with _corpus_streams(writer) as corpus_files:
            for record in catalog.records:
                made = pages_of.made(catalog, record)
                corpus_files.add(*pages_of.corpus_rows(catalog, record, made))
    listed = sorted([*corpus.failures, *(f.failure for f in faults)], key=lambda f: f.file)
    found = analyses.build_analyses(catalog, corpus, ledgers)
    region_roots = regions.build_tree(catalog)
    region_nodes = regions.walk(region_roots)
    region_path = {node.names: node.path for node in region_nodes}
    results = compliance.rule_results(catalog)
    # the corpus pages, two at a time where there is a second core (_written_apart)
    _written_apart(
        writer,
        pays_to_fork(len(catalog.records)),
        [
            partial(
                regions.render_regions,
                env,
                catalog=catalog,
                roots=region_roots,
                found=found,
                checks=analyses.by_region(found, set(region_path)),
            ),
            partial(
                analyses.render_analyses,
                env,
                catalog=catalog,
                analyses=found,
                region_path=region_path,
            ),
            partial(
                indexes.render_home, env, catalog=catalog, failures=listed, rule_titles=rule_titles
            ),
            partial(indexes.render_agencies, env, catalog=catalog),
            partial(indexes.render_regions, env, catalog=catalog, nodes=region_nodes),
            partial(indexes.render_years, env, catalog=catalog),
            partial(indexes.render_unreadable, env, failures=listed),
            partial(
                compliance.render_compliance, env, catalog=catalog, rules=rules, results=results
            ),
            partial(compliance.render_rules, env, catalog=catalog, rules=rules, results=results),
            partial(compliance.render_format, env),
            partial(_render_downloads, env, catalog=catalog, csv_rows=pages_of.csv_rows),
            partial(feeds.render_feeds, catalog=catalog),
            partial(reports.render_cell_anchors, env),
        ],
    )
    written = writer.commit()
    if memo is not None:
        memo.prune()  # only after a complete build: keep what this build used
    return RenderResult(written, faults)


class _KeptPages(ContentWriter):
    """A writer that keeps what it is given: in a worker process, for the parent to write."""

    def __init__(self) -> None:
        super().__init__(Path("."))
        self.kept: dict[str, str] = {}

    def add(self, rel: str, data: str | bytes) -> None:
        if not isinstance(data, str):
            raise TypeError(f"{rel}: only text is kept for the parent")
        self.kept[rel] = data

    # Anything else would write into the worker's folder: the job then fails in the worker
    # and runs again in the parent (made_in_processes gives None for it).
    def add_copy(self, rel: str, source: Path) -> None:
        raise TypeError(f"{rel}: only text is kept for the parent")

    @contextlib.contextmanager
    def stream(self, rel: str) -> Iterator[TextIO]:
        if rel:  # always: the yield keeps this a generator, as the method it replaces
            raise TypeError(f"{rel}: only text is kept for the parent")
        yield from ()


def _written_apart(
    writer: ContentWriter, pooled: bool, jobs: Sequence[Callable[[ContentWriter], None]]
) -> None:
    """Each job(writer): in worker processes where there is a second core (the pages after
    the report and agency pages took 1.2 s on one core at 1,000 reports, the other idle),
    each writing into _KeptPages, whose pages the parent then writes in the jobs' order; a
    job that raised in a worker (or every job, without workers) runs here on the writer.
    Not pooled (a small corpus): all run here (a pool costs more than it saves)."""

    def kept(job: Callable[[ContentWriter], None]) -> dict[str, str]:
        pages = _KeptPages()
        job(pages)
        return pages.kept

    made = made_in_processes(kept, jobs, threshold=1) if pooled else (None for _ in jobs)
    for job, texts in zip(jobs, made, strict=True):
        if texts is None:
            job(writer)
            continue
        for rel, text in texts.items():
            writer.add(rel, text)


JINJA_CACHE = "jinja"
"""In the cache folder: the templates compiled by Jinja (a build compiled them again each
time; Jinja checks each against its template's source)."""
_CORPUS_STREAMS = (pages.RECORDS_JSON, pages.RECORDS_YAML, pages.CELLS_CSV, pages.FINDINGS_CSV)


@contextlib.contextmanager
def _corpus_streams(writer: ContentWriter) -> Iterator[downloads.CorpusFiles]:
    """The whole-corpus downloads, written record by record."""
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(writer.stream(rel)) for rel in _CORPUS_STREAMS]
        corpus_files = downloads.CorpusFiles(*handles)
        yield corpus_files
        corpus_files.finish()


class _ReportPages:
    """Each record's page and files (from the render cache when their inputs are unchanged),
    with what later steps need: artefact keys, CSV rows, and the paths written per record."""

    def __init__(
        self,
        env: jinja2.Environment,
        memo: RenderCache | None,
        sources: Mapping[str, Path],
        rule_titles: dict[str, str],
        base_url: str | None = None,
        sources_url: str | None = None,
    ) -> None:
        self.env, self.memo, self.sources, self.rule_titles = env, memo, sources, rule_titles
        self.base_url, self.sources_url = base_url, sources_url
        self.keys: dict[str, str] = {}  # record id -> artefact key (with a cache)
        self.prefilled: _Ahead[Record] = _Ahead([], iter(()))  # made in the pool
        self.csv_rows: dict[str, str] = {}  # record id -> records.csv line (also agency CSVs)
        self.paths: dict[str, set[str]] = {}  # record id -> files written for it

    def _key(self, catalog: Catalog, record: Record) -> str | None:
        rid = record.key
        if self.memo is not None and rid not in self.keys:
            self.keys[rid] = artefact_key(
                record,
                catalog.findings_of(rid),
                self._suffix(rid),
                self.rule_titles,
                self.base_url,
                self.sources_url,
            )
        return self.keys.get(rid)

    def _suffix(self, rid: str) -> str | None:
        """The suffix of the source's published copy; None: no copy (none, or linked)."""
        source = self.sources.get(rid)
        if source is None or self.sources_url is not None:
            return None
        return reports.source_suffix(source)

    def _make(self, catalog: Catalog, record: Record) -> dict[str, str]:
        return _record_artefacts(
            self.env,
            catalog,
            record,
            self._suffix(record.key),
            self.rule_titles,
            self.base_url,
            self.sources_url,
        )

    def prefill(self, catalog: Catalog) -> None:
        """Make the artefacts the cache does not hold, in a pool of processes when there
        are many (generator/pool.py); made() then takes them from here."""
        to_make = []
        for record in catalog.records:
            key = self._key(catalog, record)
            if self.memo is None or key is None or not self.memo.has(key):
                to_make.append(record)
        made = made_in_processes(partial(self._make, catalog), to_make)
        self.prefilled = _Ahead(to_make, made)

    def made(self, catalog: Catalog, record: Record) -> dict[str, str]:
        key = self._key(catalog, record)
        prefilled = self.prefilled.take(record)
        if prefilled is not None:
            return _cached(self.memo, key, ARTEFACTS, partial(_given, prefilled))
        return _cached(self.memo, key, ARTEFACTS, partial(self._make, catalog, record))

    def write(
        self, writer: ContentWriter, catalog: Catalog, record: Record
    ) -> dict[str, str] | RenderFault:
        """Write the record's page and files and return its artefacts; on any exception
        write nothing of it and return the fault."""
        rid = record.key
        fault: RenderFault | None
        with writer.claims() as claimed:
            try:
                made = self.made(catalog, record)
                reports.add_report_files(writer, record, self.sources.get(rid), self._suffix(rid))
                writer.add(pages.report_page(rid), made["page"])
            except NianbaoError:
                raise  # the site's own problem (a path refused, two files at one path)
            except Exception as error:
                fault = _fault(record, "生成报告页面", error)
            else:
                fault = None
        if fault is not None:
            writer.discard(claimed)
            return fault
        self.paths[rid] = claimed
        self.csv_rows[rid] = made["csv"]
        return made

    def corpus_rows(
        self, catalog: Catalog, record: Record, made: dict[str, str]
    ) -> tuple[str, str, str, str]:
        findings_rows = downloads.record_findings_rows(record, catalog.findings_of(record.key))
        return made["json"], made["yaml"], made["cells"], findings_rows


J = TypeVar("J")


class _Ahead(Generic[J]):
    """The texts made in the pool for jobs, taken in the jobs' order by a loop that visits
    every job in that order (among others): take(job) gives the job's texts when it is the
    next job, else None (then the caller makes them)."""

    def __init__(self, jobs: Sequence[J], made: Iterator[dict[str, str] | None]) -> None:
        self.pairs = zip(jobs, made, strict=True)
        self.next: tuple[J, dict[str, str] | None] | None = next(self.pairs, None)

    def take(self, job: J) -> dict[str, str] | None:
        if self.next is None or self.next[0] is not job:
            return None
        texts = self.next[1]
        self.next = next(self.pairs, None)
        return texts


def _given(texts: dict[str, str]) -> dict[str, str]:
    return texts


def _fault(record: Record, doing: str, error: BaseException) -> RenderFault:
    return RenderFault(record.key, bug_failure(record.source.file, "render", doing, error))


def _without(records: Sequence[Record], faults: Sequence[RenderFault]) -> Catalog:
    faulty = {fault.record_id for fault in faults}
    return build_catalog([r for r in records if r.key not in faulty])


def _cached(
    memo: RenderCache | None,
    key: str | None,
    names: Sequence[str],
    make: Callable[[], dict[str, str]],
) -> dict[str, str]:
    """The texts from the render cache when it has them under key, else made (and stored)."""
    if memo is None or key is None:
        return make()
    cached = memo.get(key, names)
    if cached is not None:
        return cached
    made = make()
    memo.put(key, made)
    return made


def _record_artefacts(
    env: jinja2.Environment,
    catalog: Catalog,
    record: Record,
    suffix: str | None,
    rule_titles: dict[str, str],
    base_url: str | None = None,
    sources_url: str | None = None,
) -> dict[str, str]:
    """A record's page, YAML, JSON item and CSV rows (memo.ARTEFACTS)."""
    published = record.to_dict()  # once per record: report file, records.yaml/.json/.csv
    return {
        "page": reports.report_page_text(
            env, catalog, record, suffix, rule_titles, base_url, sources_url
        ),
        "yaml": spec.yaml_text(published),
        "json": downloads.record_json_item(published),
        "csv": downloads.record_csv_row(published, catalog.counts_of(record.key)),
        "cells": downloads.record_cells_rows(record),
    }


def _agency_artefacts(
    env: jinja2.Environment,
    catalog: Catalog,
    agency: Agency,
    ledgers: dict[str, tuple[YearLedger, ...]],
) -> dict[str, str]:
    """The agency page, and its promise ledger, kept for the corpus pages (build_analyses)
    and cached with the page."""
    ledgers[agency.slug] = analyses.agency_ledgers(agency)
    return {
        "page": reports.agency_page_text(env, catalog, agency, ledgers[agency.slug]),
        "ledger": ledgers_to_json(ledgers[agency.slug]),
    }


def _render_downloads(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, csv_rows: dict[str, str]
) -> None:
    """records.csv, the agency CSVs and the data page (records.json, records.yaml and
    cells.csv are written record by record in render_site)."""
    records = catalog.records
    writer.add(pages.RECORDS_CSV, downloads.csv_file(csv_rows[r.key] for r in records))
    year_files = []
    for year in catalog.years:
        writer.add(
            pages.year_csv(year), downloads.csv_file(csv_rows[r.key] for r in catalog.by_year(year))
        )
        year_files.append(
            {
                "year": year,
                "href": pages.href(pages.DATA, pages.download(pages.year_csv(year))),
                "count": len(catalog.by_year(year)),
            }
        )
    for agency in catalog.agencies:
        ordered = sorted(agency.records, key=lambda r: r.report_year)
        writer.add(
            pages.agency_csv(agency.slug), downloads.csv_file(csv_rows[r.key] for r in ordered)
        )
    body = env.get_template("data.md.j2").render(
        report_count=len(records),
        year_files=year_files,
        # Column names are ASCII constants; meanings are trusted text with code spans.
        analysis_columns=[
            (anchor, title, [(Markup(n), Markup(m)) for n, m in cols])
            for anchor, title, cols in analyses.CSV_DOCS
        ],
        schema=spec.SCHEMA,
        cell_columns=downloads.CELL_COLUMNS,
        # Column names are ASCII constants shown in code spans: not escaped (Markup).
        columns=[(Markup(name), meaning) for name, meaning in downloads.columns()],
    )
    writer.add(pages.DATA, pages.page_text(body))
