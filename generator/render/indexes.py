"""Home, the A–Z / region / year indexes and the unreadable-inputs page."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

import jinja2

from generator.render import pages
from generator.render.catalog import (
    UNKNOWN_REGION,
    Catalog,
    agency_name,
    initial_letter,
    pinyin_key,
)
from generator.render.output import ContentWriter
from generator.render.tables import edition_of

LATEST_COUNT = 10


def _report_item(catalog: Catalog, record: dict[str, Any], from_page: str) -> dict[str, Any]:
    return {
        "record": record,
        "name": agency_name(record),
        "href": pages.href(from_page, pages.report_page(record["id"])),
        "counts": catalog.counts_of(record["id"]),
        "edition": f"{edition_of(record)} 版" if record.get("edition") else "未识别",
    }


def render_home(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog,
                failures: Sequence[dict[str, Any]]) -> None:
    years = catalog.years
    year_text = (f"{len(years)} 个（{years[-1]}–{years[0]}）" if len(years) > 1
                 else f"{len(years)} 个（{years[0]}）" if years else "0")
    body = env.get_template("home.md.j2").render(
        agency_count=len(catalog.agencies),
        report_count=len(catalog.records),
        year_text=year_text,
        failure_count=len(failures),
        counts=catalog.total_counts(),
        latest=[_report_item(catalog, r, pages.HOME)
                for r in catalog.latest_reports(LATEST_COUNT)],
    )
    writer.add(pages.HOME, pages.page_text(body))


def render_agencies(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog) -> None:
    items = []
    for agency in catalog.agencies:
        items.append({
            "letter": initial_letter(agency.name),
            "name": agency.name,
            "href": pages.href(pages.AGENCIES, pages.agency_page(agency.slug)),
            "years": [{"year": r["year"],
                       "href": pages.href(pages.AGENCIES, pages.report_page(r["id"]))}
                      for r in agency.records],
        })
    # catalog.agencies is in pinyin order, so a stable sort by letter keeps it within a letter.
    items.sort(key=lambda item: ("~" if item["letter"] == "#" else item["letter"]))
    groups = [(letter, list(group)) for letter, group in groupby(items, lambda i: i["letter"])]
    body = env.get_template("agencies.md.j2").render(count=len(items), groups=groups)
    writer.add(pages.AGENCIES, pages.page_text(body))


def render_regions(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog) -> None:
    tree: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for agency in catalog.agencies:
        path = agency.region_path()
        province = path[0] if path else UNKNOWN_REGION
        city = path[1] if len(path) > 1 else ""
        tree.setdefault(province, {}).setdefault(city, []).append({
            "name": agency.name,
            "county": path[2] if len(path) > 2 else "",
            "href": pages.href(pages.REGIONS, pages.agency_page(agency.slug)),
            "years": [r["year"] for r in agency.records],
        })
    provinces = sorted(tree, key=lambda p: (p == UNKNOWN_REGION, pinyin_key(p)))
    ordered = []
    for province in provinces:
        cities = sorted(tree[province], key=lambda c: (c != "", pinyin_key(c)))
        ordered.append((province, [(
            city,
            sorted(tree[province][city], key=lambda i: pinyin_key(i["county"]) + pinyin_key(i["name"])),
        ) for city in cities]))
    body = env.get_template("regions.md.j2").render(tree=ordered, unknown_region=UNKNOWN_REGION)
    writer.add(pages.REGIONS, pages.page_text(body))


def render_years(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog) -> None:
    groups = [(year, [_report_item(catalog, r, pages.YEARS) for r in catalog.by_year(year)])
              for year in catalog.years]
    body = env.get_template("years.md.j2").render(groups=groups)
    writer.add(pages.YEARS, pages.page_text(body))


def render_unreadable(env: jinja2.Environment, writer: ContentWriter,
                      failures: Sequence[dict[str, Any]]) -> None:
    ordered = sorted(({"file": f.get("file"), "format": f.get("format"), "reason": f.get("reason")}
                      for f in failures), key=lambda f: (str(f["file"]), str(f["reason"])))
    body = env.get_template("unreadable.md.j2").render(failures=ordered)
    writer.add(pages.UNREADABLE, pages.page_text(body))
