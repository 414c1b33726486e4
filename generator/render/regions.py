"""Region pages: province -> city -> county -> township, one page per node under regions/.

A node lists its sub-regions and agencies and sums its agencies' figures per year; a sum with
a null operand is "—" with a note naming the reports that left the item blank. Its 汇总核对
puts the place's government, departments and lower governments side by side per year, with
the sums that cannot be true (generator/render/analyses.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from generator.model import Record
from generator.model.identity import slugify
from generator.render import analyses, charts, figures, pages
from generator.render.catalog import UNKNOWN_REGION, Agency, Catalog, pinyin_key
from generator.render.output import ContentWriter

UNKNOWN_SLUG = "unknown"
LEVEL_NAMES = ("省", "市", "县（区）", "乡镇（街道）")
SOURCE_TEXT = {"folders": "报告所在目录", "text": "报告正文", "path": "报告所在目录"}


@dataclass
class Node:
    names: tuple[str, ...]
    path: str  # regions/<slug>/<slug>/index.md
    children: dict[str, Node] = field(default_factory=dict)
    agencies: list[Agency] = field(default_factory=list)  # directly here
    all_agencies: list[Agency] = field(default_factory=list)  # here and below

    @property
    def name(self) -> str:
        return self.names[-1]


def agency_region_names(agency: Agency) -> tuple[str, ...]:
    names: list[str] = []
    for value in agency.region.names():
        if not value:
            break
        names.append(value)
    return tuple(names) or (UNKNOWN_REGION,)


def build_tree(catalog: Catalog) -> list[Node]:
    """Top-level nodes (provinces, then 地区未知), each with sorted children. The names'
    slugs come from the slug memo in a build (generator/memos.py): the first slugify of a
    process loads jieba's dictionary, most of this function's time otherwise."""
    roots: dict[str, Node] = {}
    slugs: dict[str, dict[str, str]] = {}  # parent path -> {name: slug}

    def child(level: dict[str, Node], parent_dir: str, names: tuple[str, ...]) -> Node:
        name = names[-1]
        if name not in level:
            taken = slugs.setdefault(parent_dir, {})
            base = UNKNOWN_SLUG if names == (UNKNOWN_REGION,) else slugify(name) or "region"
            slug, n = base, 2
            while slug in taken.values():
                slug, n = f"{base}-{n}", n + 1
            taken[name] = slug
            level[name] = Node(names, f"{parent_dir}/{slug}/index.md")
        return level[name]

    # Names sorted first so that slug suffixes (-2) do not depend on agency order.
    agencies = sorted(catalog.agencies, key=lambda a: (agency_region_names(a), a.slug))
    for agency in agencies:
        names = agency_region_names(agency)
        level, parent_dir, node = roots, "regions", None
        for depth in range(len(names)):
            node = child(level, parent_dir, names[: depth + 1])
            node.all_agencies.append(agency)
            level, parent_dir = node.children, node.path.rsplit("/", 1)[0]
        assert node is not None
        node.agencies.append(agency)
    return _sorted(roots)


def _sorted(level: dict[str, Node]) -> list[Node]:
    return sorted(level.values(), key=lambda n: (n.names == (UNKNOWN_REGION,), pinyin_key(n.name)))


def walk(nodes: list[Node]) -> list[Node]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(walk(_sorted(node.children)))
    return out


IDENTITY_RULES = ("T3-01", "T3-02", "T3-03", "T4-01")
"""A report whose own 勾稽 identities fail adds figures that do not add up to its region's sums."""


def _inconsistent(catalog: Catalog, record: Record) -> bool:
    return any(
        f.rule in IDENTITY_RULES and f.status == "fail" for f in catalog.findings_of(record.key)
    )


def _year_rows(node: Node, catalog: Catalog) -> list[dict[str, Any]]:
    years = sorted({r.report_year for a in node.all_agencies for r in a.records}, reverse=True)
    rows = []
    for year in years:
        records = [r for a in node.all_agencies for r in a.records if r.report_year == year]
        records.sort(key=lambda r: r.key)
        totals = figures.sums(records)
        missing = []
        for key, label, _get in figures.SUM_ITEMS:
            for record in totals.missing[key]:
                missing.append(
                    {
                        "label": label,
                        "name": record.agency_name,
                        "year": record.year,
                        "id": record.key,
                    }
                )
        inconsistent = [
            {"name": r.agency_name, "year": r.year, "id": r.key}
            for r in records
            if _inconsistent(catalog, r)
        ]
        rows.append(
            {
                "year": year,
                "reports": len(records),
                "totals": totals,
                "missing": missing,
                "inconsistent": inconsistent,
            }
        )
    return rows


def render_regions(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    roots: list[Node],
    found: analyses.Analyses | None = None,
    checks: dict[tuple[str, ...], analyses.RegionChecks] | None = None,
) -> None:
    """Every region page; with the analyses, each gets its 汇总核对 (hierarchies that add up)."""
    checks = checks or {}
    for node in walk(roots):
        page = node.path
        rows = _year_rows(node, catalog)
        chart_years = sorted(r["year"] for r in rows)
        chart = Markup("")
        if len(chart_years) > 1:
            span = list(range(chart_years[0], chart_years[-1] + 1))
            by_year = {r["year"]: r["totals"] for r in rows}
            chart = charts.line_chart(
                [
                    (label, [by_year[y][key] if y in by_year else None for y in span])
                    for key, label, _g in figures.SUM_ITEMS[:3]
                ],
                span,
                f"{node.name}：各年度申请数量合计",
            )
        crumbs = []
        for depth in range(1, len(node.names)):
            ancestor = _find(roots, node.names[:depth])
            crumbs.append({"name": ancestor.name, "href": pages.href(page, ancestor.path)})
        agencies = []
        for agency in sorted(node.all_agencies, key=lambda a: (*pinyin_key(a.name), a.slug)):
            latest = agency.latest
            sources = {r.agency.region_source or "" for r in agency.records}
            agencies.append(
                {
                    "name": agency.name,
                    "href": pages.href(page, pages.agency_page(agency.slug)),
                    "place": " / ".join(agency_region_names(agency)[len(node.names) :]),
                    "years": [r.year for r in agency.records],
                    "latest": latest,
                    "latest_href": pages.href(page, pages.report_page(latest.key)),
                    "counts": catalog.counts_of(latest.key),
                    "source": "、".join(SOURCE_TEXT.get(s, "未知") for s in sorted(sources) if s)
                    or "未知",
                }
            )
        body = env.get_template("region.md.j2").render(
            node=node,
            level=LEVEL_NAMES[len(node.names) - 1] if node.names != (UNKNOWN_REGION,) else "",
            crumbs=crumbs,
            regions_href=pages.href(page, pages.REGIONS),
            children=[
                {"name": c.name, "href": pages.href(page, c.path), "count": len(c.all_agencies)}
                for c in _sorted(node.children)
            ],
            rows=rows,
            items=figures.SUM_ITEMS,
            chart=chart,
            agencies=agencies,
            hierarchy=analyses.hierarchy_sections(page, checks.get(node.names), found)
            if found is not None
            else None,
            report_href={
                r.key: pages.href(page, pages.report_page(r.key))
                for a in node.all_agencies
                for r in a.records
            },
        )
        writer.add(page, pages.page_text(body, title=" / ".join(node.names)))


def _find(roots: list[Node], names: tuple[str, ...]) -> Node:
    level = {n.name: n for n in roots}
    node = level[names[0]]
    for name in names[1:]:
        node = node.children[name]
    return node
