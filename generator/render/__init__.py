"""Render stage: records + findings -> Markdown pages and data files under content/.

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

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import record as spec
from generator.errors import NianbaoError
from generator.render import (
    compliance,
    downloads,
    feeds,
    indexes,
    pages,
    regions,
    reports,
    tables,
)
from generator.render.catalog import LEVELS, Agency, Catalog, build_catalog
from generator.render.environment import make_environment
from generator.render.memo import ARTEFACTS, RenderCache, agency_key, artefact_key
from generator.render.output import ContentWriter, validate_record_id, validate_rule_id

__all__ = ["render_site"]


def render_site(
    records: list[dict],
    findings: dict[str, list[dict]],
    failures: list[dict],
    rules: Sequence,
    content_dir: Path,
    sources: dict[str, Path],
    cache_dir: Path | None = None,
) -> list[Path]:
    """Write the portal's Markdown pages and downloads into content_dir; return the paths.

    cache_dir: the render cache's parent folder (the build uses .cache/nianbao); None = none."""
    for record in records:
        validate_record_id(record.get("id"))
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise NianbaoError(f"duplicate record ids: {', '.join(dupes)}")
    for rule in rules:
        validate_rule_id(rule.id)
    for rid, findings_list in findings.items():
        for finding in findings_list:
            if finding.get("level") not in LEVELS:
                raise NianbaoError(f"finding of {rid} has level {finding.get('level')!r}")
    catalog = build_catalog(records, findings)
    rule_titles = {rule.id: str(rule.title) for rule in rules}
    env = make_environment(
        spans=tables.proactive_colspans,
        corner=tables.REQUESTS_CORNER,
        levels=[("error", "错误"), ("warning", "警告"), ("info", "提示")],
    )
    writer = ContentWriter(Path(content_dir))
    memo = RenderCache(cache_dir) if cache_dir is not None else None
    csv_rows: dict[str, str] = {}  # record id -> records.csv line (also the agency CSVs)
    keys: dict[str, str] = {}  # record id -> artefact key (with a cache)
    with (
        writer.stream(pages.RECORDS_JSON) as json_out,
        writer.stream(pages.RECORDS_YAML) as yaml_out,
        writer.stream(pages.CELLS_CSV) as cells_out,
        writer.stream(pages.FINDINGS_CSV) as findings_out,
    ):
        corpus_files = downloads.CorpusFiles(json_out, yaml_out, cells_out, findings_out)
        for record in catalog.records:
            rid = record["id"]
            source = sources.get(rid)
            suffix = reports.source_suffix(source) if source is not None else None
            if memo is not None:
                keys[rid] = artefact_key(record, catalog.findings_of(rid), suffix, rule_titles)
            made = _cached(
                memo,
                keys.get(rid),
                ARTEFACTS,
                partial(_record_artefacts, env, catalog, record, suffix, rule_titles),
            )
            reports.add_report_files(writer, record, source, suffix, made["yaml"])
            writer.add(pages.report_page(rid), made["page"])
            findings_rows = downloads.record_findings_rows(record, catalog.findings_of(rid))
            corpus_files.add(made["json"], made["yaml"], made["cells"], findings_rows)
            csv_rows[rid] = made["csv"]
        corpus_files.finish()
    for agency in catalog.agencies:
        key = agency_key(agency.slug, [keys[r["id"]] for r in agency.records]) if memo else None
        made = _cached(memo, key, ("page",), partial(_agency_artefacts, env, catalog, agency))
        writer.add(pages.agency_page(agency.slug), made["page"])
    indexes.render_home(env, writer, catalog, failures, rule_titles)
    indexes.render_agencies(env, writer, catalog)
    region_roots = regions.build_tree(catalog)
    indexes.render_regions(env, writer, catalog, regions.walk(region_roots))
    regions.render_regions(env, writer, catalog, region_roots)
    indexes.render_years(env, writer, catalog)
    indexes.render_unreadable(env, writer, failures)
    results = compliance.rule_results(catalog)
    compliance.render_compliance(env, writer, catalog, rules, results)
    compliance.render_rules(env, writer, catalog, rules, results)
    _render_downloads(env, writer, catalog, csv_rows)
    feeds.render_feeds(writer, catalog)
    written = writer.commit()
    if memo is not None:
        memo.prune()  # only after a complete build: keep what this build used
    return written


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
    record: dict,
    suffix: str | None,
    rule_titles: dict[str, str],
) -> dict[str, str]:
    """A record's page, YAML, JSON item and CSV rows (memo.ARTEFACTS)."""
    return {
        "page": reports.report_page_text(env, catalog, record, suffix, rule_titles),
        "yaml": spec.record_to_yaml(record),  # once per record: report file + records.yaml
        "json": downloads.record_json_item(record),
        "csv": downloads.record_csv_row(record, catalog.counts_of(record["id"])),
        "cells": downloads.record_cells_rows(record),
    }


def _agency_artefacts(env: jinja2.Environment, catalog: Catalog, agency: Agency) -> dict[str, str]:
    return {"page": reports.agency_page_text(env, catalog, agency)}


def _render_downloads(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, csv_rows: dict[str, str]
) -> None:
    """records.csv, the agency CSVs and the data page (records.json, records.yaml and
    cells.csv are written record by record in render_site)."""
    records = catalog.records
    writer.add(pages.RECORDS_CSV, downloads.csv_file(csv_rows[r["id"]] for r in records))
    for agency in catalog.agencies:
        ordered = sorted(agency.records, key=lambda r: int(r["year"]))
        writer.add(
            pages.agency_csv(agency.slug), downloads.csv_file(csv_rows[r["id"]] for r in ordered)
        )
    body = env.get_template("data.md.j2").render(
        report_count=len(records),
        schema=spec.SCHEMA,
        cell_columns=downloads.CELL_COLUMNS,
        # Column names are ASCII constants shown in code spans: not escaped (Markup).
        columns=[(Markup(name), meaning) for name, meaning in downloads.columns()],
    )
    writer.add(pages.DATA, pages.page_text(body))
