"""Render stage: records + findings -> Markdown pages and data files under content/.

`render_site` gathers every page in memory, then writes them in one go (unchanged files are
not rewritten) and deletes what the previous run generated and this one did not. Output is
deterministic: the same input gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from generator.render.catalog import LEVELS, Catalog, build_catalog
from generator.render.environment import make_environment
from generator.render.output import ContentWriter, validate_record_id, validate_rule_id

__all__ = ["render_site"]



def render_site(records: list[dict], findings: dict[str, list[dict]], failures: list[dict],
                rules: Sequence, content_dir: Path, sources: dict[str, Path]) -> list[Path]:
    """Write the portal's Markdown pages and downloads into content_dir; return the paths."""
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
    env = make_environment(spans=tables.proactive_colspans, corner=tables.REQUESTS_CORNER,
                           levels=[("error", "错误"), ("warning", "警告"), ("info", "提示")])
    writer = ContentWriter(Path(content_dir))
    yaml_texts = {r["id"]: spec.record_to_yaml(r) for r in catalog.records}  # page + download

    for record in catalog.records:
        reports.render_report(env, writer, catalog, record, sources.get(record["id"]), rule_titles,
                              yaml_texts[record["id"]])
    for agency in catalog.agencies:
        reports.render_agency(env, writer, catalog, agency)
    indexes.render_home(env, writer, catalog, failures, rule_titles)
    indexes.render_agencies(env, writer, catalog)
    region_roots = regions.build_tree(catalog)
    indexes.render_regions(env, writer, catalog, regions.walk(region_roots))
    regions.render_regions(env, writer, catalog, region_roots)
    indexes.render_years(env, writer, catalog)
    indexes.render_unreadable(env, writer, failures)
    compliance.render_compliance(env, writer, catalog, rules)
    compliance.render_rules(env, writer, catalog, rules)
    _render_downloads(env, writer, catalog, yaml_texts)
    feeds.render_feeds(writer, catalog)
    return writer.commit()


def _render_downloads(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog,
                      yaml_texts: dict[str, str]) -> None:
    records = catalog.records
    counts = {r["id"]: catalog.counts_of(r["id"]) for r in records}
    writer.add("data/records.json", downloads.records_json(records))
    writer.add("data/records.yaml", downloads.records_yaml([yaml_texts[r["id"]] for r in records]))
    writer.add("data/records.csv", downloads.records_csv(records, counts))
    writer.add(pages.CELLS_CSV, downloads.cells_csv(records))
    for agency in catalog.agencies:
        ordered = sorted(agency.records, key=lambda r: int(r["year"]))
        writer.add(pages.agency_csv(agency.slug), downloads.records_csv(ordered, counts))
    body = env.get_template("data.md.j2").render(
        report_count=len(records), schema=spec.SCHEMA,
        cell_columns=downloads.CELL_COLUMNS,
        # Column names are ASCII constants shown in code spans: not escaped (Markup).
        columns=[(Markup(name), meaning) for name, meaning in downloads.columns()],
    )
    writer.add(pages.DATA, pages.page_text(body))
