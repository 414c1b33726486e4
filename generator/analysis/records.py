"""The typed model -> the analyses' inputs: what each analysis needs of a Record.

The analysis modules take plain values (analysis/__init__.py); this is the one place that
reads them off a record, for the check stage (HI rules) and the render stage (the pages).
"""

from __future__ import annotations

import re
from datetime import date

from generator.analysis.common import AgencyRef, Region
from generator.analysis.hierarchy import HierarchyReport
from generator.analysis.promises import PromiseReport
from generator.analysis.timeliness import PublishedReport
from generator.model import Record
from generator.model.tables import count
from generator.record import REQUEST_COLUMNS

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def agency_ref(record: Record) -> AgencyRef:
    """The agency as the analyses tell agencies apart: its name and its region's levels."""
    region = record.agency.region
    return AgencyRef.of(record.agency_name, Region.of(region.names()) if region else Region())


def iso_date(value: str | None) -> date | None:
    """The calendar day of an ISO date or timestamp (2021-01-08, 2021-01-12T09:30:00+08:00);
    None for anything else."""
    if not value or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def promise_report(record: Record) -> PromiseReport:
    return PromiseReport(
        agency=agency_ref(record),
        year=record.report_year,
        overview=record.sections.overview,
        problems=record.sections.problems,
        file=record.source.file,
    )


def hierarchy_report(record: Record) -> HierarchyReport:
    columns = range(len(REQUEST_COLUMNS))
    return HierarchyReport(
        agency=agency_ref(record),
        year=record.report_year,
        file=record.source.file,
        review_total=count(record.appeal_cell("review", "total")),
        suit_direct_total=count(record.appeal_cell("suit_direct", "total")),
        suit_after_review_total=count(record.appeal_cell("suit_after_review", "total")),
        received_total=count(record.request_total("received")),
        carried_over=tuple(count(record.request_cell("carried_over", i)) for i in columns),
        carried_forward=tuple(count(record.request_cell("carried_forward", i)) for i in columns),
        texts=tuple(
            (key, text)
            for key in ("overview", "requests", "appeals")
            if (text := record.sections.get(key))
        ),
    )


def published_report(record: Record, first_seen: str | None) -> PublishedReport:
    """The timeliness ledger's view: the 落款 date and the date the file was first committed."""
    return PublishedReport(
        agency=agency_ref(record),
        year=record.report_year,
        file=record.source.file,
        signed=iso_date(record.published),
        first_seen=iso_date(first_seen),
    )
