"""Home, the A–Z / region / year indexes and the unreadable-inputs page."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import groupby
from typing import Any

import jinja2
from markupsafe import Markup

from generator.model import Failure, Level, Record
from generator.render import charts, figures, pages
from generator.render.catalog import UNKNOWN_REGION, Catalog, initial_letter, pinyin_key
from generator.render.output import ContentWriter

LATEST_COUNT = 10
RANK_COUNT = 10
SMALL_SAMPLE = 10  # reports with fewer requests than this are left out of the share ranking
PROBLEM_COUNT = 10


def _report_item(catalog: Catalog, record: Record, from_page: str) -> dict[str, Any]:
    return {
        "record": record,
        "name": record.agency_name,
        "href": pages.href(from_page, pages.report_page(record.key)),
        "counts": catalog.counts_of(record.key),
        "edition": f"{record.edition} 版" if record.edition else "未识别",
    }


def render_home(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    failures: Sequence[Failure],
    rule_titles: dict[str, str] | None = None,
) -> None:
    years = catalog.years
    rule_titles = rule_titles or {}
    year_text = (
        f"{len(years)} 个（{years[-1]}–{years[0]}）"
        if len(years) > 1
        else f"{len(years)} 个（{years[0]}）"
        if years
        else "0"
    )
    latest_year = years[0] if years else None
    latest_records = catalog.by_year(latest_year) if latest_year is not None else []
    latest_sums = figures.sums(latest_records) if latest_records else None
    failed: dict[str, set[str]] = {}
    for record in catalog.records:
        for finding in catalog.findings_of(record.key):
            if finding.failed and finding.level.at_least(Level.WARNING):
                failed.setdefault(finding.rule, set()).add(record.key)
    problems = sorted(failed.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:PROBLEM_COUNT]
    body = env.get_template("home.md.j2").render(
        agency_count=len(catalog.agencies),
        report_count=len(catalog.records),
        year_text=year_text,
        failure_count=sum(1 for f in failures if f.kind == "unreadable"),
        ignored_count=sum(1 for f in failures if f.kind == "ignored"),
        counts=catalog.total_counts(),
        latest_year=latest_year,
        latest_received=latest_sums["received"] if latest_sums else None,
        latest_received_missing=len(latest_sums.missing["received"]) if latest_sums else 0,
        latest=[_report_item(catalog, r, pages.HOME) for r in catalog.latest_reports(LATEST_COUNT)],
        problems=[
            {
                "rule": rule,
                "reports": len(ids),
                "title": rule_titles.get(rule),
                "href": pages.href(pages.HOME, pages.rule_page(rule))
                if rule in rule_titles
                else None,
            }
            for rule, ids in problems
        ],
        year_links=[(y, pages.href(pages.HOME, pages.year_page(y))) for y in years],
        reports_feed=pages.href(pages.HOME, pages.REPORTS_FEED),
        errors_feed=pages.href(pages.HOME, pages.ERRORS_FEED),
    )
    writer.add(pages.HOME, pages.page_text(body))


def render_agencies(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog) -> None:
    items: list[dict[str, Any]] = []
    for agency in catalog.agencies:
        items.append(
            {
                "letter": initial_letter(agency.name),
                "name": agency.name,
                "href": pages.href(pages.AGENCIES, pages.agency_page(agency.slug)),
                "years": [
                    {
                        "year": r.year,
                        "href": pages.href(pages.AGENCIES, pages.report_page(r.key)),
                    }
                    for r in agency.records
                ],
            }
        )
    # catalog.agencies is in pinyin order, so a stable sort by letter keeps it within a letter.
    items.sort(key=lambda item: "~" if item["letter"] == "#" else str(item["letter"]))
    groups = [(letter, list(group)) for letter, group in groupby(items, lambda i: i["letter"])]
    body = env.get_template("agencies.md.j2").render(count=len(items), groups=groups)
    writer.add(pages.AGENCIES, pages.page_text(body))


def render_regions(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, nodes: Sequence[Any] = ()
) -> None:
    tree: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for agency in catalog.agencies:
        path = agency.region_path()
        province = path[0] if path else UNKNOWN_REGION
        city = path[1] if len(path) > 1 else ""
        tree.setdefault(province, {}).setdefault(city, []).append(
            {
                "name": agency.name,
                "county": path[2] if len(path) > 2 else "",
                "href": pages.href(pages.REGIONS, pages.agency_page(agency.slug)),
                "years": [r.year for r in agency.records],
            }
        )
    provinces = sorted(tree, key=lambda p: (p == UNKNOWN_REGION, pinyin_key(p)))
    ordered = []
    for province in provinces:
        cities = sorted(tree[province], key=lambda c: (c != "", pinyin_key(c)))
        ordered.append(
            (
                province,
                [
                    (
                        city,
                        sorted(
                            tree[province][city],
                            key=lambda i: pinyin_key(i["county"]) + pinyin_key(i["name"]),
                        ),
                    )
                    for city in cities
                ],
            )
        )
    region_links = [
        {
            "depth": len(n.names) - 1,
            "name": n.name,
            "href": pages.href(pages.REGIONS, n.path),
            "count": len(n.all_agencies),
        }
        for n in nodes
    ]
    body = env.get_template("regions.md.j2").render(
        tree=ordered, unknown_region=UNKNOWN_REGION, region_links=region_links
    )
    writer.add(pages.REGIONS, pages.page_text(body))


def render_years(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog) -> None:
    """The years index (one row a year: the year pages list the reports) and the year pages."""
    rows = [
        {
            **dataclasses.asdict(catalog.year_summary(year)),
            "href": pages.href(pages.YEARS, pages.year_page(year)),
        }
        for year in catalog.years
    ]
    body = env.get_template("years.md.j2").render(rows=rows)
    writer.add(pages.YEARS, pages.page_text(body))
    for year in catalog.years:
        render_year(env, writer, catalog, year)


def _share_text(share: float) -> str:
    return f"{share * 100:.1f}%"


def year_rankings(records: Sequence[Record]) -> dict[str, list[dict[str, Any]]]:
    """Most requests, highest share granted (>= SMALL_SAMPLE requests only), most corrections."""

    def key(record: Record) -> tuple[str, str, str]:
        return (*pinyin_key(record.agency_name), record.key)

    received = [(v, r) for r in records if (v := r.request_total("received")) is not None]
    most = sorted(received, key=lambda x: (-x[0], key(x[1])))
    shares = []
    for r in records:
        total, granted, handled = (
            r.request_total("received"),
            r.request_total("granted"),
            r.request_total("handled_total"),
        )
        # a share needs a real denominator and something to rank: a 0% at the top of a list
        # of "highest shares" would say more than the figures do
        if total is None or total < SMALL_SAMPLE or granted is None or not handled or not granted:
            continue
        shares.append((granted / handled, r, granted, handled))
    shares.sort(key=lambda x: (-x[0], key(x[1])))
    corrected = [(v, r) for r in records if (v := figures.corrected_total(r))]
    corrections = sorted(corrected, key=lambda x: (-x[0], key(x[1])))
    return {
        "most": [{"record": r, "value": v} for v, r in most[:RANK_COUNT]],
        # Our own ASCII number text: trusted (escape_md would turn "30." into a list guard).
        "share": [
            {"record": r, "value": Markup(_share_text(v)), "granted": g, "handled": h}
            for v, r, g, h in shares[:RANK_COUNT]
        ],
        "corrections": [{"record": r, "value": v} for v, r in corrections[:RANK_COUNT]],
    }


def render_year(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, year: int
) -> None:
    page = pages.year_page(year)
    records = catalog.by_year(year)
    items = [_report_item(catalog, r, page) for r in records]
    for item in items:
        received = item["record"].request_total("received")
        item["small"] = received is None or received < SMALL_SAMPLE
        item["received"] = received
    totals = figures.sums(records)
    outcomes = figures.outcome_totals(records)
    chart = charts.bar_chart(
        [("办理结果", [o.total for o in outcomes])],
        [o.label for o in outcomes],
        f"{year}年各类办理结果合计",
    )
    ranks = year_rankings(records)
    hrefs = {r.key: pages.href(page, pages.report_page(r.key)) for r in records}
    names = {r.key: r.agency_name for r in records}
    body = env.get_template("year.md.j2").render(
        year=year,
        items=items,
        totals=totals,
        sum_items=figures.SUM_ITEMS,
        outcomes=outcomes,
        chart=chart,
        ranks=ranks,
        hrefs=hrefs,
        names=names,
        small_sample=SMALL_SAMPLE,
        years_href=pages.href(page, pages.YEARS),
    )
    writer.add(page, pages.page_text(body, title=f"{year}年"))


def render_unreadable(
    env: jinja2.Environment, writer: ContentWriter, failures: Sequence[Failure]
) -> None:
    """Every input that is not on the site: unreadable reports, then ignored files."""
    ordered = sorted(failures, key=lambda f: (f.file, f.reason))
    body = env.get_template("unreadable.md.j2").render(
        failures=[f for f in ordered if f.kind == "unreadable"],
        ignored=[f for f in ordered if f.kind == "ignored"],
    )
    writer.add(pages.UNREADABLE, pages.page_text(body))
