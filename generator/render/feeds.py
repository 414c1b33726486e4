"""Atom feeds (feeds/reports.xml, feeds/errors.xml, feeds/agencies/<slug>.xml).

Hand-written XML from a Jinja template with plain XML escaping (not the Markdown escaping of
the pages). Deterministic: every `updated` comes from record dates (published, else the end
of the statistical period, else the last day of the year), never from the clock. Links are
relative to the feed's own URL, so the feeds work under any host name.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import Any

import jinja2

from generator.model import Level, Record
from generator.render import pages
from generator.render.catalog import Catalog
from generator.render.output import ContentWriter

FEED_LIMIT = 100
EPOCH = "1970-01-01T00:00:00Z"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """Text without characters XML 1.0 forbids (autoescape does the rest)."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


def make_feed_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda v: xml_text(v) if not hasattr(v, "__html__") else v,
    )
    return env


def record_updated(record: Record) -> str:
    for value in (record.published, record.period.end if record.period else None):
        if value is not None and _DATE.match(value):
            return f"{value}T00:00:00Z"
    return f"{record.year}-12-31T00:00:00Z" if record.year is not None else EPOCH


def _url(feed: str, page_md: str, anchor: str = "") -> str:
    """The site URL of a Markdown page, relative to the feed file (use_directory_urls)."""
    target = page_md[: -len("index.md")] if page_md.endswith("index.md") else page_md[:-3] + "/"
    target = target or "."
    return posixpath.relpath(target, posixpath.dirname(feed)) + "/" + anchor


def _newest(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries.sort(key=lambda e: e["id"])
    entries.sort(key=lambda e: e["updated"], reverse=True)
    return entries[:FEED_LIMIT]


def _report_entries(catalog: Catalog, feed: str, records: Sequence[Record]) -> list[dict[str, str]]:
    entries = []
    for record in records:
        counts = catalog.counts_of(record.key)
        name = record.agency_name
        entries.append(
            {
                "id": f"urn:nianbao:report:{record.key}",
                "title": f"{name}{record.year}年政府信息公开工作年度报告",
                "updated": record_updated(record),
                "href": _url(feed, pages.report_page(record.key)),
                "summary": f"{name} {record.year}年度报告；合规检查：错误 {counts[Level.ERROR]}，"
                f"警告 {counts[Level.WARNING]}，提示 {counts[Level.INFO]}。",
            }
        )
    return _newest(entries)


def _error_entries(catalog: Catalog, feed: str) -> list[dict[str, str]]:
    entries = []
    for record in catalog.records:
        index = 0
        for finding in catalog.findings_of(record.key):
            if finding.level != Level.ERROR or not finding.failed:
                continue
            index += 1
            name = record.agency_name
            entries.append(
                {
                    "id": f"urn:nianbao:finding:{record.key}:{index}",
                    "title": f"{name}{record.year}年：{finding.rule}",
                    "updated": record_updated(record),
                    "href": _url(feed, pages.report_page(record.key), "#checks"),
                    "summary": finding.message,
                }
            )
    return _newest(entries)


def feed_text(
    env: jinja2.Environment,
    feed: str,
    feed_id: str,
    title: str,
    entries: list[dict[str, Any]],
    home: str,
) -> str:
    """A whole feed from entries {id, title, updated, href, summary} (generator/render/
    analyses.py's feeds use the same template and rules as the report feeds)."""
    updated = max((e["updated"] for e in entries), default=EPOCH)
    return env.get_template("feed.xml.j2").render(
        feed_id=feed_id,
        title=title,
        updated=updated,
        entries=entries,
        self_href=posixpath.basename(feed),
        home_href=_url(feed, home),
    )


def render_feeds(writer: ContentWriter, catalog: Catalog) -> None:
    env = make_feed_environment()
    feed = pages.REPORTS_FEED
    writer.add(
        feed,
        feed_text(
            env,
            feed,
            "urn:nianbao:feed:reports",
            "政府信息公开工作年度报告：新报告",
            _report_entries(catalog, feed, catalog.records),
            pages.HOME,
        ),
    )
    feed = pages.ERRORS_FEED
    writer.add(
        feed,
        feed_text(
            env,
            feed,
            "urn:nianbao:feed:errors",
            "政府信息公开工作年度报告：错误级检查结果",
            _error_entries(catalog, feed),
            pages.HOME,
        ),
    )
    for agency in catalog.agencies:
        feed = pages.agency_feed(agency.slug)
        writer.add(
            feed,
            feed_text(
                env,
                feed,
                f"urn:nianbao:feed:agency:{agency.slug}",
                f"{agency.name}：政府信息公开工作年度报告",
                _report_entries(catalog, feed, agency.records),
                pages.agency_page(agency.slug),
            ),
        )


page_url = _url
"""The site URL of a Markdown page relative to a feed (with an optional anchor)."""
newest = _newest
"""Entries newest first (then by id), at most FEED_LIMIT."""
